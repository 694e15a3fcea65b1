"""One child process of a task attempt: spawn, watch, signal, reap.

Every child starts in a new process group, so a timeout or Ctrl-C reaches
everything the task started (its shell, the compiler the shell ran, that
compiler's children). On Linux zr also makes itself a child subreaper, as
tini does, so a grandchild that escapes its group by daemonizing is
re-parented to zr, where :func:`kill_orphans` can find it instead of init.
"""

from __future__ import annotations

import errno
import os
try:  # the C module itself: signal.py only adds enum wrappers, and importing
    import _signal as signal  # enum costs more than a trivial run's scheduling
except ImportError:  # pragma: no cover - other Python implementations
    import signal
import sys

_HAS_PIDFD = hasattr(os, "pidfd_open")
_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "ash", "mksh"})
_PIPE_SIZE = 1 << 20


class Child:
    """A running child: its pid, a pollable fd that becomes readable when it
    exits (a pidfd on Linux), and the read ends of its stdout/stderr pipes.

    Started with ``os.posix_spawn`` (vfork-fast, and no ``subprocess``
    import on the start-up path) when it can be, else with ``Popen``.
    """

    __slots__ = ("popen", "pid", "exit_fd", "stdout_fd", "stderr_fd", "returncode",
                 "own_group", "closed", "widened")

    def __init__(self, pid: int, stdout_fd, stderr_fd, popen=None, own_group: bool = True):
        self.popen = popen
        self.pid = pid
        self.own_group = own_group  # False: an interactive task in zr's own group
        self.stdout_fd = stdout_fd  # None: the child writes to zr's own stdout
        self.stderr_fd = stderr_fd
        self.closed: set = set()  # the streams (1, 2) read to their end
        self.widened = False
        if stdout_fd is not None:
            os.set_blocking(stdout_fd, False)
            os.set_blocking(stderr_fd, False)
        self.exit_fd = None
        if _HAS_PIDFD:
            try:
                self.exit_fd = os.pidfd_open(pid)
            except OSError:
                self.exit_fd = None
        self.returncode = None

    def poll(self) -> int | None:
        """The exit status if the child has exited (negative: killed by signal)."""
        if self.returncode is None:
            if self.popen is not None:
                self.returncode = self.popen.poll()
            else:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        """Reap the child (it has exited, or is about to) and return its status."""
        if self.returncode is None:
            if self.popen is not None:
                self.returncode = self.popen.wait()
            else:
                _, status = os.waitpid(self.pid, 0)
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def signal_group(self, sig: int) -> None:
        """Send ``sig`` to the child's whole process group (to the child
        alone when it shares zr's group)."""
        if self.own_group:
            signal_group(self.pid, sig)
        else:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def widen_stdout(self) -> None:
        """Give a chatty task's stdout a 1 MiB pipe (Linux), once: 16x fewer
        wake-ups and reads than the default 64 KiB when a task prints
        megabytes. Called when a read found the pipe full, so a task that
        prints little costs no pipe resizing."""
        if not self.widened and self.stdout_fd is not None:
            self.widened = True
            _widen_pipe(self.stdout_fd)

    def close(self) -> None:
        if self.popen is not None:  # its file objects own the pipe fds
            for stream in (self.popen.stdout, self.popen.stderr):
                if stream is None:
                    continue
                try:
                    stream.close()
                except OSError:
                    pass
        elif self.stdout_fd is not None:
            for fd in (self.stdout_fd, self.stderr_fd):
                try:
                    os.close(fd)
                except OSError:
                    pass
        if self.exit_fd is not None:
            os.close(self.exit_fd)
            self.exit_fd = None


def _widen_pipe(fd: int) -> None:
    """Make the pipe of ``fd`` 1 MiB (Linux; elsewhere nothing changes)."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    except (ImportError, AttributeError, OSError):
        pass


def spawn(argv: list, cwd: str, env: dict, *, piped: bool = True,
          terminal: bool = False) -> Child:
    """Start ``argv`` in its own process group with piped output (or, with
    ``piped=False``, writing straight to zr's own stdout and stderr).

    ``terminal=True`` (an interactive task) gives the child zr's stdin,
    stdout and stderr and keeps it in zr's process group, the terminal's
    foreground group: it can read the keyboard and gets Ctrl-C itself.

    stdin is /dev/null: a task in a background process group that read the
    terminal would be stopped by SIGTTIN. Raises OSError (ENOENT for a
    missing program) which the caller turns into a 127 result.

    A POSIX shell command (``sh -e -c CMD``, the default) is started with
    ``os.posix_spawn``, which cannot change directory: the script starts
    with ``cd -- CWD || exit;`` instead (which also sets ``$PWD`` right).
    Anything else goes through ``subprocess.Popen(cwd=...)``.
    """
    if hasattr(os, "posix_spawn") and _is_posix_shell(argv):
        program = _which(argv[0], env.get("PATH", os.defpath))
        if program:
            script = argv[-1]
            if cwd != _start_dir():
                # Same line, so the shell's line numbers in errors stay the user's.
                script = f"cd -- {_quote(cwd)} || exit; {script}"
            return _posix_spawn(program, argv[:-1] + [script], env, piped, terminal)
    return _popen(argv, cwd, env, piped, terminal)


def _is_posix_shell(argv: list) -> bool:
    if len(argv) < 3:
        return False
    flag = argv[-2]
    return (os.path.basename(argv[0]) in _SHELLS and flag.startswith("-")
            and not flag.startswith("--") and "c" in flag)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


_start = []
_which_cache: dict = {}


def _start_dir() -> str:
    if not _start:
        _start.append(os.getcwd())
    return _start[0]


def _which(name: str, path: str) -> str | None:
    """``name`` resolved on the task's own PATH (cached per PATH)."""
    key = (name, path)
    found = _which_cache.get(key, False)
    if found is False:
        found = None
        if "/" in name:
            found = name if os.access(name, os.X_OK) else None
        else:
            for directory in path.split(os.pathsep):
                candidate = os.path.join(directory or ".", name)
                if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                    found = candidate
                    break
        _which_cache[key] = found
    return found


def _posix_spawn(program: str, argv: list, env: dict, piped: bool, terminal: bool) -> Child:
    piped = piped and not terminal
    actions = [] if terminal else [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0)]
    if piped:
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        actions += [(os.POSIX_SPAWN_DUP2, out_w, 1), (os.POSIX_SPAWN_DUP2, err_w, 2)]
    try:
        group = {} if terminal else {"setpgroup": 0}
        pid = os.posix_spawn(
            program, argv, env, file_actions=actions, **group,
            # Python ignores SIGPIPE (and SIGXFSZ); a task must not inherit that.
            setsigdef=(signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM))
    except BaseException:
        if piped:
            os.close(out_r)
            os.close(err_r)
        raise
    finally:
        if piped:
            os.close(out_w)
            os.close(err_w)
    if not piped:
        return Child(pid, None, None, own_group=not terminal)
    return Child(pid, out_r, err_r)


def _popen(argv: list, cwd: str, env: dict, piped: bool, terminal: bool) -> Child:
    import subprocess

    piped = piped and not terminal
    extra = ({} if terminal else {"process_group": 0} if sys.version_info >= (3, 11)
             else {"preexec_fn": os.setpgrp})
    stream = subprocess.PIPE if piped else None
    popen = subprocess.Popen(argv, cwd=cwd, env=env,
                             stdin=None if terminal else subprocess.DEVNULL,
                             stdout=stream, stderr=stream, close_fds=True, **extra)
    if not piped:
        return Child(popen.pid, None, None, popen, own_group=not terminal)
    return Child(popen.pid, popen.stdout.fileno(), popen.stderr.fileno(), popen)


def signal_group(pgid: int, sig: int) -> None:
    """Send ``sig`` to process group ``pgid``; a group already gone is fine."""
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def become_subreaper() -> bool:
    """Ask Linux to re-parent orphaned descendants to this process."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_CHILD_SUBREAPER = 36
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def orphan_pids(tracked=frozenset()) -> list:
    """Pids whose parent is this process, except ``tracked`` (the children zr
    started itself): orphans re-parented to zr as a subreaper. Linux only
    (reads /proc); empty elsewhere."""
    me = os.getpid()
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        pid = int(entry)
        if pid in tracked:
            continue
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # Fields after the ")" that closes the command name: state, ppid, ...
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == me:
            found.append(pid)
    return found


def reap_orphans(tracked: set, kill: bool) -> None:
    """Reap (and with ``kill``, first SIGKILL) re-parented orphans.

    Only specific pids are waited for, never ``waitpid(-1)``, so children
    that ``subprocess`` still owns are left alone.
    """
    for pid in orphan_pids(tracked):
        if kill:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.waitpid(pid, 0 if kill else os.WNOHANG)
        except ChildProcessError:
            pass
        except OSError as exc:  # pragma: no cover - defensive
            if exc.errno != errno.ECHILD:
                raise


def describe_exit(code: int | None) -> str:
    """``exit 42``, ``killed by SIGKILL``, for messages."""
    if code is None:
        return "did not exit"
    if code < 0:
        try:
            import signal as names

            return f"killed by {names.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit {code}"
