"""The fork/exec backend: posix_spawn (glibc uses clone(CLONE_VM|CLONE_VFORK), so the
Python interpreter is never forked to start a program)."""
from __future__ import annotations

import os

from pyshell.launch.request import LaunchRequest

_DUP2 = os.POSIX_SPAWN_DUP2
_CLOSE = os.POSIX_SPAWN_CLOSE


def spawn(req: LaunchRequest) -> int:
    """Start the program; return its pid. Raises OSError with the exec errno."""
    actions = []
    for child_fd, parent_fd in req.fds:
        if parent_fd < 0:
            actions.append((_CLOSE, child_fd))
        else:
            actions.append((_DUP2, parent_fd, child_fd))
    kwargs = {}
    if actions:
        kwargs["file_actions"] = actions
    if req.pgid is not None:
        kwargs["setpgroup"] = req.pgid
    if req.sigdefault:
        kwargs["setsigdef"] = req.sigdefault
    kwargs["setsigmask"] = req.sigmask
    if req.cwd is None:
        return os.posix_spawn(req.path, req.argv, req.env, **kwargs)
    # os.posix_spawn has no chdir action: the (single-threaded) shell changes directory
    # around the spawn and comes back through a directory fd.
    back = os.open(".", os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.chdir(req.cwd)
        try:
            return os.posix_spawn(req.path, req.argv, req.env, **kwargs)
        finally:
            os.fchdir(back)
    finally:
        os.close(back)
