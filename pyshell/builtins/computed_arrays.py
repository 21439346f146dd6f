"""Array variables whose value is computed on every read, as bash's dynamic arrays:
DIRSTACK (the directory stack kept by pushd/popd), and FUNCNAME, BASH_LINENO and
BASH_SOURCE (the call stack: functions and sourced files, with `main` for a script's own
level).

The directory stack is `state.dirstack`: the saved directories, top (`dirs` entry 1)
first; the current directory is entry 0 and is never stored. Assigning a DIRSTACK
element that exists (1..N) replaces that stack entry; other assignments and unsetting
elements have no lasting effect. The call stack arrays ignore assignments. As in bash,
`unset DIRSTACK` or `unset FUNCNAME` removes the variable (the stacks themselves stay),
while BASH_SOURCE and BASH_LINENO cannot be unset.
"""
from __future__ import annotations

from pyshell.interp.state import ARRAY, Var


def install(state) -> None:
    """Give a new shell state its (empty) directory stack and the computed arrays."""
    state.dirstack = []
    state.globals["DIRSTACK"] = ComputedArray(state, _dirstack_values, _set_dirstack_entry)
    state.globals["BASH_LINENO"] = ComputedArray(state, call_lines, None, no_unset=True)
    state.globals["FUNCNAME"] = ComputedArray(state, _function_names, None)
    state.globals["BASH_SOURCE"] = ComputedArray(state, _sources, None, no_unset=True)


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


def _dirstack_values(state) -> list:
    return [logical_cwd(state), *state.dirstack]


def _set_dirstack_entry(state, index, value: str) -> None:
    stack = state.dirstack
    if isinstance(index, int) and 1 <= index <= len(stack):
        stack[index - 1] = value


def call_lines(state) -> list:
    """BASH_LINENO: the line each active function or sourced file was called from,
    innermost first; a script's own level adds a 0 at the bottom."""
    lines = [str(line) for _, line in state.call_frames]
    if len(state.source_stack) > len(state.call_frames):
        lines.append("0")
    return lines


def frame_names(state) -> list:
    """The call stack's names, innermost first: functions, `source` for a sourced
    file, and `main` for a script's own level."""
    names = [name for name, _ in state.call_frames]
    if len(state.source_stack) > len(state.call_frames):
        names.append("main")
    return names


def _sources(state) -> list:
    return list(state.source_stack)


def _function_names(state):
    # set only while a function runs
    return frame_names(state) if state.funcname else None


class _LiveArray(dict):
    """A snapshot of a computed array whose element assignments reach their owner."""
    __slots__ = ("state", "write")

    def __setitem__(self, key, value):
        dict.__setitem__(self, key, value)
        if self.write is not None:
            self.write(self.state, key, value)

    def update(self, other=(), **kw):
        for key, value in dict(other, **kw).items():
            self[key] = value


class ComputedArray(Var):
    __slots__ = ("state", "read", "write", "no_unset")

    def __init__(self, state, read, write, no_unset: bool = False):
        self.state = state
        self.read = read
        self.write = write
        self.no_unset = no_unset  # `unset NAME` fails, as for bash's BASH_SOURCE
        self.attrs = ARRAY

    @property
    def value(self):
        values = self.read(self.state)
        if values is None:
            return None
        snapshot = _LiveArray(enumerate(values))
        snapshot.state = self.state
        snapshot.write = self.write
        return snapshot

    @value.setter
    def value(self, new):
        if isinstance(new, dict) and self.write is not None:
            for key, item in new.items():
                self.write(self.state, key, item)
