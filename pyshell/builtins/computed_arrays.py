"""The directory stack kept by pushd/popd and the DIRSTACK array that shows it.

The stack is `state.dirstack`: the saved directories, top (`dirs` entry 1) first; the
current directory is entry 0 and is never stored. DIRSTACK is computed on every read, as
in bash: element 0 is the current directory, then the stack. Assigning an element that
exists (1..N) replaces that stack entry; other assignments and unsetting elements have
no lasting effect. `unset DIRSTACK` removes the variable; the stack itself stays.
"""
from __future__ import annotations

from pyshell.interp.state import ARRAY, Var


def install(state) -> None:
    """Give a new shell state its (empty) stack and the DIRSTACK variable."""
    state.dirstack = []
    state.globals["DIRSTACK"] = DirStackVar(state)


def logical_cwd(state) -> str:
    from pyshell.builtins.dirs import current_dir
    try:
        return current_dir(_Holder(state))
    except OSError:
        return "."


class _Holder:
    """What current_dir() needs of an interpreter: its state."""
    __slots__ = ("state",)

    def __init__(self, state):
        self.state = state


def set_entry(state, index, value: str) -> None:
    stack = state.dirstack
    if isinstance(index, int) and 1 <= index <= len(stack):
        stack[index - 1] = value


class _LiveArray(dict):
    """A snapshot of DIRSTACK whose element assignments reach the stack."""
    __slots__ = ("state",)

    def __setitem__(self, key, value):
        dict.__setitem__(self, key, value)
        set_entry(self.state, key, value)

    def update(self, other=(), **kw):
        for key, value in dict(other, **kw).items():
            self[key] = value


class DirStackVar(Var):
    __slots__ = ("state",)

    def __init__(self, state):
        self.state = state
        self.attrs = ARRAY

    @property
    def value(self):
        state = self.state
        snapshot = _LiveArray(enumerate([logical_cwd(state), *state.dirstack]))
        snapshot.state = state
        return snapshot

    @value.setter
    def value(self, new):
        if isinstance(new, dict):
            for key, item in new.items():
                set_entry(self.state, key, item)
