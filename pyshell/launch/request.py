"""The plain-data launch request: everything a new program process must get."""
from __future__ import annotations


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
    # A plain class, not a dataclass: importing dataclasses (inspect, ast) would add
    # ~6 ms to the first program start of every script.
    __slots__ = ("path", "argv", "env", "fds", "pgid", "sigdefault", "sigmask", "cwd",
                 "foreground")

    def __init__(self, path: str, argv: list, env: dict, fds: list | None = None,
                 pgid: int | None = None, sigdefault: frozenset = frozenset(),
                 sigmask: frozenset = frozenset(), cwd: str | None = None,
                 foreground: bool = False):
        self.path = path
        self.argv = argv
        self.env = env
        self.fds = [] if fds is None else fds
        self.pgid = pgid
        self.sigdefault = sigdefault
        self.sigmask = sigmask
        self.cwd = cwd
        self.foreground = foreground

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None   # mutable, like the dataclass it replaces

    def __repr__(self):
        return "LaunchRequest(" + ", ".join(
            f"{name}={getattr(self, name)!r}" for name in self.__slots__) + ")"
