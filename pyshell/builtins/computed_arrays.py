"""Variables whose value is computed on every read, as bash's dynamic ones: the arrays
DIRSTACK (the directory stack kept by pushd/popd), and FUNCNAME, BASH_LINENO and
BASH_SOURCE (the call stack: functions and sourced files, with `main` for a script's own
level); the read-only scalars SHELLOPTS and BASHOPTS (the enabled `set -o` and `shopt`
options), which `declare -p`, `set` and `export` see like any variable.

The directory stack is `state.dirstack`: the saved directories, top (`dirs` entry 1)
first; the current directory is entry 0 and is never stored. Assigning a DIRSTACK
element that exists (1..N) replaces that stack entry; other assignments and unsetting
elements have no lasting effect. The call stack arrays ignore assignments. As in bash,
`unset DIRSTACK` or `unset FUNCNAME` removes the variable (the stacks themselves stay),
while BASH_SOURCE and BASH_LINENO cannot be unset.
"""
from __future__ import annotations

from pyshell.interp.state import ARRAY, ASSOC, EXPORT, READONLY, Var


# The sizes bash creates its alias and command hash tables with (their listing order).
ALIAS_HASH_BUCKETS = 64
COMMAND_HASH_BUCKETS = 256


def install(state) -> None:
    """Give a new shell state its (empty) directory stack and the computed variables."""
    state.dirstack = []
    # SHELLOPTS and BASHOPTS found in the environment name options to turn on at start
    # (Shell does that) and stay exported
    state.imported_options = {}
    for name, read in (("SHELLOPTS", shellopts_value),
                       ("BASHOPTS", lambda st: ":".join(sorted(st.shopts)))):
        imported = state.globals.get(name)
        attrs = READONLY
        if imported is not None and isinstance(imported.value, str):
            state.imported_options[name] = imported.value
            attrs += EXPORT
        state.globals[name] = ComputedScalar(state, read, attrs)
    state.globals["DIRSTACK"] = ComputedArray(state, _dirstack_values, _set_dirstack_entry)
    state.globals["BASH_LINENO"] = ComputedArray(state, call_lines, None, no_unset=True)
    state.globals["FUNCNAME"] = ComputedArray(state, _function_names, None)
    state.globals["BASH_SOURCE"] = ComputedArray(state, _sources, None, no_unset=True)
    state.globals["PIPESTATUS"] = ComputedArray(   # unset until a command has run
        state, lambda st: [str(s) for s in st.pipestatus] or None, None)
    # the alias table and the command hash table, as associative arrays whose element
    # assignments change them (BASH_ALIASES[n]=v defines an alias); as in bash 5.2,
    # unsetting an element changes neither
    state.command_hash = None       # the interpreter's CommandHash, set by the Interp
    state.globals["BASH_ALIASES"] = ComputedArray(
        state, lambda st: dict(st.aliases), _set_alias, assoc=True,
        hash_buckets=ALIAS_HASH_BUCKETS)
    state.globals["BASH_CMDS"] = ComputedArray(
        state, _hashed_commands, _set_hashed, assoc=True,
        hash_buckets=COMMAND_HASH_BUCKETS)


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


def _set_alias(state, name, value) -> None:
    state.aliases[str(name)] = value


def _hashed_commands(state) -> dict:
    table = state.command_hash
    return dict(table.table) if table is not None else {}


def _set_hashed(state, name, path) -> None:
    if state.command_hash is not None:
        state.command_hash.table[str(name)] = path


def _sources(state) -> list:
    return list(state.source_stack)


def _function_names(state):
    # set only while a function runs
    return frame_names(state) if state.funcname else None


class _LiveArray(dict):
    """A snapshot of a computed array whose element assignments reach their owner."""
    __slots__ = ("state", "write", "hash_buckets")

    def __setitem__(self, key, value):
        dict.__setitem__(self, key, value)
        if self.write is not None:
            self.write(self.state, key, value)

    def update(self, other=(), **kw):
        for key, value in dict(other, **kw).items():
            self[key] = value


class ComputedArray(Var):
    """An array computed on each read: `read(state)` gives its values (a list, or a
    dict for an associative one), or None when unset."""
    __slots__ = ("state", "read", "write", "no_unset", "hash_buckets")

    def __init__(self, state, read, write, no_unset: bool = False, assoc: bool = False,
                 hash_buckets: int = 1024):
        self.state = state
        self.read = read
        self.write = write
        self.hash_buckets = hash_buckets   # of bash's table behind it (key order)
        self.no_unset = no_unset  # `unset NAME` fails, as for bash's BASH_SOURCE
        self.attrs = ASSOC if assoc else ARRAY

    @property
    def value(self):
        values = self.read(self.state)
        if values is None:
            return None
        snapshot = _LiveArray(values.items() if isinstance(values, dict)
                              else enumerate(values))
        snapshot.state = self.state
        snapshot.write = self.write
        snapshot.hash_buckets = self.hash_buckets
        return snapshot

    @value.setter
    def value(self, new):
        if isinstance(new, dict) and self.write is not None:
            for key, item in new.items():
                self.write(self.state, key, item)


def shellopts_value(state) -> str:
    """The enabled `set -o` options, in bash's (alphabetical) order."""
    from pyshell.builtins.vars import SET_O_NAMES   # loaded: a cycle at import time
    return ":".join(name for name in SET_O_NAMES if name in state.options)


class ComputedScalar(Var):
    """A scalar whose value is computed on each read; it ignores assignments (the
    variables using it are read-only, so none reaches it)."""
    __slots__ = ("state", "read")

    def __init__(self, state, read, attrs: str = ""):
        self.state = state
        self.read = read
        self.attrs = attrs

    @property
    def value(self):
        return self.read(self.state)

    @value.setter
    def value(self, new):
        pass
