"""Shell state: variables (scalars, indexed and associative arrays, attributes, dynamic
scoping of function locals), positional parameters, options, functions, aliases.

Values: a scalar is a str; an indexed array is a dict[int, str] (sparse, keys kept in
insertion order is NOT relied on: iterate sorted(keys)); an associative array is a
dict[str, str] (bash iterates assoc keys in its own hash order; we use insertion order).
A declared-but-unset variable (`local x`, `declare -a a` before assignment) has value None.
"""
from __future__ import annotations

import os
import time

# attribute letters as `declare` prints them
EXPORT, READONLY, INTEGER, ARRAY, ASSOC, NAMEREF, LOWER, UPPER, TRACE = "xriaAnlut"


class VarError(Exception):
    """An assignment or lookup error with bash's message text (without prefix)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Var:
    __slots__ = ("value", "attrs")

    def __init__(self, value=None, attrs: str = ""):
        self.value = value
        self.attrs = attrs

    def has(self, attr: str) -> bool:
        return attr in self.attrs

    def add(self, attr: str) -> None:
        if attr not in self.attrs:
            self.attrs += attr

    def drop(self, attr: str) -> None:
        self.attrs = self.attrs.replace(attr, "")

    def __repr__(self):
        return f"Var({self.value!r}, {self.attrs!r})"


class IndexedArray(dict):
    """The elements of an indexed array (int keys) that keep track of the highest index,
    so `a+=(x)` and `a[-1]` cost O(1) instead of a scan of every key. Plain dicts are
    still valid array values: `array_top` scans those."""
    __slots__ = ("_top",)

    def __init__(self, items=()):
        dict.__init__(self, items)
        self._top = None  # highest index, or None when it must be computed

    def top(self) -> int:
        """The highest index, -1 when empty."""
        top = self._top
        if top is None:
            top = self._top = max(self) if self else -1
        return top

    def __setitem__(self, key, value):
        dict.__setitem__(self, key, value)
        top = self._top
        if top is not None and key > top:
            self._top = key

    def __delitem__(self, key):
        dict.__delitem__(self, key)
        if key == self._top:
            self._top = None

    def pop(self, key, *default):
        value = dict.pop(self, key, *default)
        if key == self._top:
            self._top = None
        return value

    def popitem(self):
        item = dict.popitem(self)
        self._top = None
        return item

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return dict.__getitem__(self, key)

    def update(self, *args, **kwargs):
        dict.update(self, *args, **kwargs)
        top = self._top
        if top is not None:
            for other in args:
                if other:
                    m = max(other)
                    if m > top:
                        top = m
            self._top = None if kwargs else top

    def __ior__(self, other):
        self.update(other)
        return self

    def clear(self):
        dict.clear(self)
        self._top = -1


def array_top(arr: dict) -> int:
    """The highest index of an indexed array's dict, -1 when it has none."""
    if arr.__class__ is IndexedArray:
        return arr.top()
    ints = [k for k in arr if isinstance(k, int)]
    return max(ints) if ints else -1


# assigning these has effects beyond storing the value
def _is_array(value) -> bool:
    return isinstance(value, dict)


class State:
    """All mutable shell state. The interpreter passes it to expansion and builtins."""

    def __init__(self, environ: dict | None = None):
        self.globals: dict[str, Var] = {}
        self.scopes: list[dict[str, Var]] = []  # function scopes, innermost last
        self.arg0 = "pywarmsh"
        self.positional: list[str] = []
        self.last_status = 0
        self.last_bg_pid: int | None = None
        self.pipestatus: list[int] = [0]
        self.options: set[str] = {"braceexpand", "hashall", "interactive-comments"}
        self.shopts: set[str] = {"checkwinsize", "cmdhist", "complete_fullquote",
                                 "extquote", "force_fignore", "globasciiranges",
                                 "globskipdots", "hostcomplete", "interactive_comments", "patsub_replacement",
                                 "progcomp", "promptvars", "sourcepath"}
        self.functions: dict = {}  # name -> ast.FuncDef
        self.aliases: dict[str, str] = {}
        self.lineno = 0
        self.funcname: list[str] = []      # FUNCNAME stack, innermost first
        self.source_stack: list[str] = []  # BASH_SOURCE, innermost first
        self.call_frames: list = []  # (FUNCNAME or "source", call line), innermost first
        self.start_time = time.monotonic()
        self.seconds_offset = 0
        self.shell_pid = os.getpid()
        self._random = None  # random.Random, made on first use ($RANDOM): import cost
        self._env_cache: dict | None = None
        self._env_live: list = []   # exported computed variables (see environ)
        # set by the interpreter: evaluates arithmetic text for integer variables
        self.arith_eval = lambda text: int(text or 0)
        self.dynamic = {
            "RANDOM": lambda: str(self._rng().randrange(32768)),
            "SECONDS": lambda: str(int(time.monotonic() - self.start_time) + self.seconds_offset),
            "LINENO": lambda: str(self.lineno),
            "BASHPID": lambda: str(os.getpid()),
            "EPOCHSECONDS": lambda: str(int(time.time())),
            "EPOCHREALTIME": lambda: "%.6f" % time.time(),
        }
        if environ is not None:
            for k, v in environ.items():
                if k.isidentifier():
                    self.globals[k] = Var(v, EXPORT)
        from pyshell.builtins.computed_arrays import install  # DIRSTACK, BASH_LINENO
        install(self)

    # ------------------------------------------------------------------ lookup
    def _rng(self):
        rng = self._random
        if rng is None:
            import random
            rng = self._random = random.Random()
        return rng

    def lookup(self, name: str, follow_ref: bool = True) -> Var | None:
        """The visible variable called `name` (innermost scope first), or None."""
        # hot path: one scope walk, and no nameref to follow (attrs is usually "")
        scopes = self.scopes
        var = None
        if scopes:
            for scope in reversed(scopes):
                var = scope.get(name)
                if var is not None:
                    break
        if var is None:
            var = self.globals.get(name)
        if var is None or not follow_ref or NAMEREF not in var.attrs or not var.value:
            return var
        return self._lookup_ref(var.value)

    def _lookup_ref(self, name: str) -> Var | None:
        """lookup() continued through a chain of namerefs (at most 10 links, as bash)."""
        for _ in range(9):
            var = None
            for scope in reversed(self.scopes):
                var = scope.get(name)
                if var is not None:
                    break
            else:
                var = self.globals.get(name)
            if var is None or NAMEREF not in var.attrs or not var.value:
                return var
            name = var.value
        return None

    def resolve_name(self, name: str) -> str:
        """Follow namerefs to the name that is really meant."""
        for _ in range(10):
            var = self.lookup(name, follow_ref=False)
            if var is None or NAMEREF not in var.attrs or not var.value or _is_array(var.value):
                return name
            name = var.value
        return name

    def get(self, name: str) -> str | None:
        """Scalar value of $name (element 0 / key "0" for arrays), None when unset."""
        if not self.scopes:  # hot path: a plain global scalar
            var = self.globals.get(name)
            if var is not None and not var.attrs and var.value.__class__ is str:
                return var.value
        var = self.lookup(name)
        if var is None:
            dyn = self.dynamic.get(name)
            return dyn() if dyn is not None else None
        value = var.value
        if value is None:
            dyn = self.dynamic.get(name)
            return dyn() if dyn is not None else None
        if isinstance(value, dict):
            return value.get("0" if ASSOC in var.attrs else 0)
        return value

    def is_set(self, name: str) -> bool:
        return self.get(name) is not None

    def get_array(self, name: str) -> dict | None:
        """The dict of an array (a scalar is viewed as {0: value}); None when unset."""
        var = self.lookup(name)
        if var is None or var.value is None:
            value = self.get(name)
            return None if value is None else {0: value}
        if isinstance(var.value, dict):
            return var.value
        return {0: var.value}

    def is_assoc(self, name: str) -> bool:
        var = self.lookup(name)
        return var is not None and ASSOC in var.attrs

    # ---------------------------------------------------------------- assignment
    def _target(self, name: str, local: bool = False) -> Var:
        name = self.resolve_name(name)
        if local and self.scopes:
            scope = self.scopes[-1]
            var = scope.get(name)
            if var is None:
                var = scope[name] = Var()
            return var
        var = self.lookup(name, follow_ref=False)
        if var is None:
            var = self.globals[name] = Var()
        return var

    def _convert(self, var: Var, value: str, append_to: str | None = None) -> str:
        if INTEGER in var.attrs:
            num = self.arith_eval(value)
            if append_to is not None:
                num += self.arith_eval(append_to or "0")
            return str(num)
        if append_to is not None:
            value = append_to + value
        if LOWER in var.attrs:
            value = value.lower()
        elif UPPER in var.attrs:
            value = value.upper()
        return value

    def set(self, name: str, value: str, *, append: bool = False, local: bool = False) -> None:
        """name=value (or name+=value). Raises VarError for readonly variables."""
        if not append and not local and name not in self.dynamic:
            # hot path: overwrite a visible variable without attributes (so no nameref,
            # readonly, integer or case conversion) that is not an array
            var = None
            scopes = self.scopes
            if scopes:
                for scope in reversed(scopes):
                    var = scope.get(name)
                    if var is not None:
                        break
            if var is None:
                var = self.globals.get(name)
            if var is not None and not var.attrs and var.value.__class__ is not dict:
                var.value = value
                if "allexport" in self.options:
                    var.add(EXPORT)
                    self._env_cache = None
                return
        var = self._target(name, local)
        if READONLY in var.attrs:
            raise VarError(f"{name}: readonly variable")
        if isinstance(var.value, dict):
            key = "0" if ASSOC in var.attrs else 0
            old = var.value.get(key) if append else None
            var.value[key] = self._convert(var, value, old if append else None)
        else:
            old = var.value if append else None
            if append and old is None:
                old = ""
            var.value = self._convert(var, value, old)
        if name == "SECONDS":
            self.seconds_offset = int(value or 0) if value.lstrip("-").isdigit() else 0
            self.start_time = time.monotonic()
        elif name == "RANDOM":
            self._rng().seed(value)
        if name in self.dynamic:
            # assigning RANDOM/SECONDS/... only has its side effect: reads stay dynamic
            var.value = None
        if EXPORT in var.attrs or "allexport" in self.options:
            var.add(EXPORT)
            self._env_cache = None

    def set_element(self, name: str, key, value: str, *, append: bool = False,
                    local: bool = False) -> None:
        """name[key]=value. `key` is an int for indexed arrays, a str for assoc ones."""
        var = self._target(name, local)
        if READONLY in var.attrs:
            raise VarError(f"{name}: readonly variable")
        if not isinstance(var.value, dict):
            if ASSOC in var.attrs:
                var.value = {} if var.value is None else {0: var.value}
            else:
                var.value = IndexedArray() if var.value is None else \
                    IndexedArray({0: var.value})
                var.add(ARRAY)
        if isinstance(key, int) and key < 0:
            top = array_top(var.value) + 1
            if key + top < 0:
                raise VarError(f"{name}[{key}]: bad array subscript")
            key += top
        old = var.value.get(key, "") if append else None
        var.value[key] = self._convert(var, value, old)
        if EXPORT in var.attrs:
            self._env_cache = None

    def set_array(self, name: str, values, *, assoc: bool = False, append: bool = False,
                  local: bool = False) -> None:
        """name=(...) with an already built dict (int keys, or str keys for assoc)."""
        var = self._target(name, local)
        if READONLY in var.attrs:
            raise VarError(f"{name}: readonly variable")
        if assoc:
            var.add(ASSOC)
        elif ASSOC not in var.attrs:
            var.add(ARRAY)
        if append and isinstance(var.value, dict):
            var.value.update(values)
        elif append and var.value is not None:
            merged = {0: var.value} if ASSOC in var.attrs else IndexedArray({0: var.value})
            merged.update(values)
            var.value = merged
        else:
            var.value = dict(values) if ASSOC in var.attrs else IndexedArray(values)

    def unset(self, name: str) -> None:
        """unset name: removes the innermost visible variable. Raises VarError if readonly."""
        name = self.resolve_name(name)
        scopes = self.scopes
        for depth in range(len(scopes) - 1, -1, -1):
            scope = scopes[depth]
            var = scope.get(name)
            if var is not None:
                if READONLY in var.attrs:
                    raise VarError(f"{name}: cannot unset: readonly variable")
                self._env_cache = None
                if depth < len(scopes) - 1 and "localvar_unset" not in self.shopts:
                    # a caller's local: it goes, and what it shadowed shows again
                    # (the "upvar" idiom of bash-completion relies on this)
                    del scope[name]
                    return
                # the current function's local: bash keeps it, unset, until it returns
                var.value = None
                var.attrs = var.attrs.replace(EXPORT, "")
                return
        var = self.globals.get(name)
        if var is not None:
            if READONLY in var.attrs:
                raise VarError(f"{name}: cannot unset: readonly variable")
            if getattr(var, "no_unset", False):  # BASH_SOURCE, BASH_LINENO
                raise VarError(f"{name}: cannot unset")
            del self.globals[name]
            self._env_cache = None
        self.dynamic.pop(name, None)

    def unset_element(self, name: str, key) -> None:
        var = self.lookup(name)
        if var is None:
            return
        if READONLY in var.attrs:
            raise VarError(f"{name}: cannot unset: readonly variable")
        if isinstance(var.value, dict):
            var.value.pop(key, None)
        elif key in (0, "0"):
            var.value = None

    def set_attr(self, name: str, attr: str, on: bool = True, local: bool = False) -> Var:
        var = self._target(name, local)
        if on:
            var.add(attr)
        else:
            var.drop(attr)
        if attr == EXPORT:
            self._env_cache = None
        return var

    # ------------------------------------------------------------------ scopes
    def push_scope(self) -> None:
        self.scopes.append({})

    def pop_scope(self) -> None:
        scope = self.scopes.pop()
        if scope and any(EXPORT in v.attrs for v in scope.values()):
            self._env_cache = None

    def declare_local(self, name: str) -> Var:
        """`local name`: a new variable in the current function scope (value None)."""
        if not self.scopes:
            raise VarError("local: can only be used in a function")
        scope = self.scopes[-1]
        var = scope.get(name)
        if var is None:
            var = scope[name] = Var()
        return var

    # ------------------------------------------------------------- environment
    def environ(self) -> dict:
        """The environment for child processes: exported, set, scalar variables
        (innermost scope wins). Cached until an exported variable changes."""
        env = self._env_cache
        if env is None:
            env = {}
            live = []
            for scope in [self.globals, *self.scopes]:
                for name, var in scope.items():
                    if EXPORT in var.attrs and var.value is not None \
                            and not isinstance(var.value, dict):
                        env[name] = var.value
                        if type(var) is not Var:
                            live.append((name, var))   # computed: SHELLOPTS, BASHOPTS
                    elif name in env:
                        del env[name]
            self._env_cache = env
            self._env_live = live
        if self._env_live:
            # an exported computed variable changes without an assignment: its current
            # value, in a copy (the cached dict stays as built)
            env = dict(env)
            for name, var in self._env_live:
                env[name] = var.value
        return env

    def invalidate_env(self) -> None:
        self._env_cache = None

    # ------------------------------------------------------------------ options
    def option(self, name: str) -> bool:
        return name in self.options

    def set_option(self, name: str, on: bool) -> None:
        if on:
            self.options.add(name)
        else:
            self.options.discard(name)

    def shopt(self, name: str) -> bool:
        return name in self.shopts

    def dash_flags(self) -> str:
        """$-: the single-letter options in bash's order."""
        letters = [("allexport", "a"), ("braceexpand", "B"), ("errexit", "e"),
                   ("hashall", "h"), ("interactive", "i"), ("monitor", "m"),
                   ("noclobber", "C"), ("noexec", "n"), ("noglob", "f"),
                   ("nounset", "u"), ("verbose", "v"), ("xtrace", "x"),
                   ("keyword", "k"), ("notify", "b"), ("onecmd", "t"),
                   ("physical", "P"), ("privileged", "p"), ("errtrace", "E"),
                   ("functrace", "T"), ("histexpand", "H")]
        on = {letter for opt, letter in letters if opt in self.options}
        order = "abefhikmnptuvxBCEHPT"
        flags = "".join(c for c in order if c in on)
        return flags + getattr(self, "extra_dash_flags", "")
