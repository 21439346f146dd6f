"""The plain-data launch request: everything a new program process must get."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass(slots=True)
class LaunchRequest:
    """Start `path` with `argv` and `env`.

    fds:      the fd plan: (child_fd, parent_fd) pairs applied in order on top of the
              shell's inheritable fds (parent_fd == child_fd keeps it; -1 closes child_fd).
              The shell's own fds 0, 1, 2 and inheritable user fds (exec 3>f) pass through.
    pgid:     None: stay in the shell's process group; 0: new group led by the child;
              >0: join that group (pipeline stages after the first).
    sigdefault: signals to reset to SIG_DFL in the child (everything the shell catches).
    sigmask:  the blocked-signal set the program starts with.
    cwd:      None: the shell's current directory (the shell really chdir()s for `cd`).
    foreground: give the terminal to the child's group (interactive job control).
    """
    path: str
    argv: list
    env: dict
    fds: list = field(default_factory=list)
    pgid: Optional[int] = None
    sigdefault: frozenset = frozenset()
    sigmask: frozenset = frozenset()
    cwd: Optional[str] = None
    foreground: bool = False
