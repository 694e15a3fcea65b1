"""The event loop on its own: timers fire in order and can be cancelled,
a callback queued from another thread wakes a wait that has nothing else
to wait for, and a stop signal is counted, not acted on."""

import os
import signal
import threading

from zr.eventloop import STOP_SIGNALS, EventLoop


def test_timers_fire_in_order_and_cancelled_ones_do_not():
    fired = []
    with EventLoop() as loop:
        loop.call_later(0.02, lambda: fired.append("second"))
        loop.call_later(0.01, lambda: fired.append("first"))
        cancelled = loop.call_later(0.015, lambda: fired.append("cancelled"))
        cancelled.cancel()
        assert loop.live_timers == 2
        while loop.live_timers:
            loop.wait()
            loop.run_due()
    assert fired == ["first", "second"]


def test_a_callback_from_another_thread_wakes_the_wait():
    done = []
    with EventLoop() as loop:
        thread = threading.Thread(target=lambda: loop.call_soon_threadsafe(
            lambda: done.append(threading.current_thread().name)), name="worker")
        thread.start()
        thread.join()
        # Nothing else to wait for: without the wake-up this would block forever.
        loop.wait()
        loop.run_due()
    assert done == [threading.main_thread().name]  # run on the loop's thread


def test_fds_are_reported_with_their_data():
    read_end, write_end = os.pipe()
    try:
        with EventLoop() as loop:
            loop.poller.register(read_end, ("pipe", 1))
            os.write(write_end, b"x")
            assert loop.wait() == [("pipe", 1)]
    finally:
        os.close(read_end)
        os.close(write_end)


def test_stop_signals_are_counted_and_the_old_handlers_restored():
    before = signal.getsignal(signal.SIGTERM)
    assert signal.SIGHUP in STOP_SIGNALS and signal.SIGINT in STOP_SIGNALS
    with EventLoop() as loop:
        os.kill(os.getpid(), signal.SIGTERM)
        loop.wait(max_wait=5)
        assert loop.signals_received == 1 and loop.last_signal == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_timer_a_month_away_does_not_overflow_the_wait():
    with EventLoop() as loop:
        loop.call_later(30 * 86400, lambda: None)
        loop.call_soon_threadsafe(lambda: None)  # returns at once
        assert loop.wait() == []
