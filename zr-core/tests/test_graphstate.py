"""The graph state on its own: which tasks may start, what a failure
blocks, concurrency groups and interactive tasks (pure code, no processes)."""

from zr.graph import TaskGraph
from zr.graphstate import GraphState
from zr.model import Task


def tasks(**deps) -> dict:
    return {name: Task(name, deps=d) for name, d in deps.items()}


def test_ready_in_start_order_and_dependents_after_their_dependencies():
    table = tasks(a=[], b=[], c=["a", "b"], d=["c"])
    state = GraphState(table, ["a", "b", "c", "d"])
    assert state.take_startable(10, False, False) == ["a", "b"]
    assert state.finish("a", True) == []
    assert state.finish("b", True) == ["c"]
    assert state.take_startable(10, False, True) == ["c"]
    assert state.finish("c", True) == ["d"]
    assert state.take_startable(1, False, False) == ["d"]
    state.finish("d", True)
    assert state.remaining == set() and state.blocked == []


def test_free_slots_bound_what_starts():
    state = GraphState(tasks(a=[], b=[], c=[]), ["a", "b", "c"])
    assert state.take_startable(2, False, False) == ["a", "b"]
    assert state.take_startable(0, False, True) == []
    assert list(state.ready) == ["c"]


def test_a_failure_blocks_everything_that_waits_on_it_transitively():
    table = tasks(a=[], b=["a"], c=["b"], d=[])
    state = GraphState(table, ["a", "d", "b", "c"])
    state.take_startable(10, False, False)
    assert state.finish("a", False, "failed") == []
    assert state.blocked == [("b", "dependency 'a' failed"), ("c", "dependency 'a' failed")]
    assert state.remaining == {"d"}


def test_an_earlier_stage_failure_blocks_at_once():
    table = tasks(a=[], b=["a"], c=[])
    state = GraphState(table, ["b", "c"], finished={"a": (False, "timed out")})
    assert state.blocked == [("b", "dependency 'a' timed out")]
    assert state.take_startable(10, False, False) == ["c"]


def test_serial_dependencies_run_one_after_another():
    table = {"x": Task("x"), "y": Task("y"), "all": Task("all", deps_serial=["x", "y"])}
    TaskGraph(table)  # puts the chain's order edges on the tasks (Task.after)
    state = GraphState(table, ["x", "y", "all"])
    assert state.take_startable(10, False, False) == ["x"]
    assert state.finish("x", True) == ["y"]
    assert state.take_startable(10, False, True) == ["y"]
    assert state.finish("y", True) == ["all"]


def serial_table() -> dict:
    """release's chain is lint, then build (which needs gen); docs needs build."""
    table = {**tasks(lint=[], gen=[], build=["gen"], docs=["build"]),
             "release": Task("release", deps_serial=["lint", "build"])}
    TaskGraph(table)
    return table


def test_a_failed_step_stops_its_chain_and_what_only_the_chain_needs():
    state = GraphState(serial_table(), ["lint", "gen", "build", "release"],
                       targets=["release"])
    assert state.take_startable(10, False, False) == ["lint"]
    assert state.finish("lint", False, "failed") == []
    assert sorted(state.blocked) == [
        ("build", "deps_serial of release stopped: 'lint' failed"),
        ("gen", "deps_serial of release stopped: 'lint' failed"),
        ("release", "dependency 'lint' failed")]
    assert state.remaining == set()


def test_a_failed_step_does_not_block_another_target_that_shares_a_task():
    names = ["lint", "gen", "build", "release", "docs"]
    state = GraphState(serial_table(), names, targets=["release", "docs"])
    assert state.finish("lint", False, "failed") == ["gen"]  # ordered after lint, then free
    assert state.blocked == [("release", "dependency 'lint' failed")]
    assert state.finish("gen", True) == ["build"]
    assert state.finish("build", True) == ["docs"]


def test_a_later_stage_wants_what_a_stopped_chain_would_drop():
    table = serial_table()
    state = GraphState(table, ["lint", "gen", "build", "release"],
                       plan=["lint", "gen", "build", "release", "docs"],
                       targets=["release", "docs"])
    assert state.take_startable(10, False, False) == ["lint"]
    state.finish("lint", False, "failed")
    assert state.blocked == [("release", "dependency 'lint' failed")]
    assert list(state.ready) == ["gen"]


def test_a_chain_stopped_in_an_earlier_stage_is_stopped_at_once():
    state = GraphState(serial_table(), ["gen", "build", "release"],
                       finished={"lint": (False, "failed")}, targets=["lint", "release"])
    assert sorted(name for name, _ in state.blocked) == ["build", "gen", "release"]
    assert not state.ready


def test_copies_share_a_concurrency_group_and_its_limit():
    base = Task("test", max_concurrent=1)
    cells = {f"test[{n}]": base.copy(name=f"test[{n}]") for n in (1, 2, 3)}
    cells["other"] = Task("other", max_concurrent=1)
    state = GraphState(cells, list(cells))
    started = state.take_startable(10, False, False)
    assert started == ["test[1]", "other"]  # test[2], test[3] wait, others pass them
    assert list(state.ready) == ["test[2]", "test[3]"]
    state.release(cells["test[1]"])
    state.finish("test[1]", True)
    assert state.take_startable(10, False, True) == ["test[2]"]
    own = base.copy(name="solo", concurrency_group="solo")
    assert own.concurrency_group == "solo"


def test_an_interactive_task_runs_alone():
    table = {"a": Task("a"), "tty": Task("tty", interactive=True), "b": Task("b")}
    state = GraphState(table, ["a", "tty", "b"])
    assert state.take_startable(10, False, False) == ["a"]  # tty waits for a
    state.finish("a", True)
    assert state.take_startable(10, False, False) == ["tty"]  # and nothing beside it
    assert state.take_startable(10, True, True) == []
    state.finish("tty", True)
    assert state.take_startable(10, False, False) == ["b"]


def test_stop_starts_nothing_more():
    state = GraphState(tasks(a=[], b=[]), ["a", "b"])
    state.stop()
    assert state.take_startable(10, False, False) == []


def test_a_stopped_chain_passes_its_stop_along_and_frees_a_later_step_others_need():
    table = {**tasks(a=[], b=[], c=[], docs=["c"]),
             "release": Task("release", deps_serial=["a", "b", "c"])}
    TaskGraph(table)
    state = GraphState(table, ["a", "b", "c", "release", "docs"], targets=["release", "docs"])
    assert state.take_startable(10, False, False) == ["a"]
    assert state.finish("a", False, "failed") == ["c"]
    assert state.blocked == [("release", "dependency 'a' failed"),
                             ("b", "deps_serial of release stopped: 'a' failed")]
    assert state.finish("c", True) == ["docs"]
