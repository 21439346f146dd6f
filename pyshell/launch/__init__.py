"""The launch seam: every external program the shell starts goes through `launch`.

Backends: the warm loader (pyshell/launch/warm.py over pyshell._loader and the
freestanding stub) when it can serve the binary safely, else posix_spawn. Both take the
same LaunchRequest and return a pid that is a direct child of the shell, with identical
observable behaviour; errors are the exec errors of posix_spawn (OSError, e.g. ENOEXEC
for a file the shell must run as a script).

Environment: PYWARMSH_WARM=0 turns warming off; PYWARMSH_WARM_STATS=<file> writes the
pool's statistics as JSON to <file> when the shell exits.
"""
from __future__ import annotations

import os
import sys

from pyshell.launch.request import LaunchRequest  # noqa: F401
from pyshell.launch.spawn import spawn

_pool = None          # WarmPool, created on first launch
_warm_enabled = None  # decided once, from the shell's own environment


def _get_pool():
    global _pool, _warm_enabled
    if _warm_enabled is None:
        _warm_enabled = os.environ.get("PYWARMSH_WARM", "1") != "0"
        if _warm_enabled:
            try:
                from pyshell.launch.warm import WarmPool
                _pool = WarmPool()
            except ImportError:          # extension not built: posix_spawn only
                _warm_enabled = False
            else:
                import atexit
                # (registered first, run last: the statistics are written before)
                atexit.register(_pool.close)
                stats = os.environ.get("PYWARMSH_WARM_STATS")
                if stats:
                    atexit.register(_pool.write_stats, stats)
    return _pool


def launch(req: LaunchRequest) -> int:
    """Start the program described by `req`; return its pid (a child of this process)."""
    pool = _pool if _warm_enabled else (None if _warm_enabled is False else _get_pool())
    if pool is None:
        return spawn(req)
    return pool.launch(req)


def launch_deferred(req: LaunchRequest):
    """Like `launch`, but a warm launch may only be sent: then the result is a pending
    launch, to be passed to `finish` (before any wait, in the order sent). Used for a
    pipeline's stages, so that all its programs are requested before any answer is
    awaited. The fds the request names are taken at this call."""
    pool = _get_pool()
    if pool is None:
        return spawn(req)
    return pool.launch(req, defer=True)


def finish(started) -> int:
    """The pid of a launch returned by `launch_deferred` (an int is returned as is)."""
    if type(started) is int:
        return started
    return _pool.finish(started)


def make_room(fd: int) -> None:
    """The shell is about to put one of the script's fds on `fd` (exec 230>file): if
    one of the launcher's own fds sits there, it moves elsewhere first, as bash moves
    its own fds out of the way."""
    if _pool is not None and fd in _pool.own_fds:
        _pool.make_room(fd)
    loader = sys.modules.get("pyshell._loader")
    if loader is not None:
        loader.release_fd(fd)


def is_internal_pid(pid: int) -> bool:
    """True for the pool's own warm processes: the interpreter must never reap them or
    report them as jobs (a waitpid(-1) that returns one of them is to be ignored)."""
    return _pool is not None and _pool.is_internal(pid)


def prepare_exec() -> None:
    """Call right before the shell itself execve()s (`exec cmd`, the last command of -c):
    writes the statistics file and ends the warm processes, which would otherwise become
    unknown children of the new program. If the exec fails the pool simply starts again."""
    if _pool is None:
        return
    stats = os.environ.get("PYWARMSH_WARM_STATS")
    if stats:
        _pool.write_stats(stats)
    _pool.close()


def end_warm_processes() -> None:
    """End and reap this process's own warm processes (a forked subshell about to leave
    through os._exit, which runs no exit handlers)."""
    if _pool is not None:
        _pool.close()       # only the owner's: a forked copy's are its parent's


def signals_changed() -> None:
    """The shell changed a signal disposition other than through `signal.signal` (which
    the pool tracks itself): re-read the dispositions before the next launch."""
    if _pool is not None:
        from pyshell import _loader
        _loader.signals_changed()


def warm_stats() -> dict:
    """The warm pool's statistics so far (empty when warming is off)."""
    return dict(_pool.stats) if _pool is not None else {}
