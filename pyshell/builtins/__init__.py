"""Builtin registry. A builtin is `fn(sh, argv) -> status`, where `sh` is the
interpreter (pyshell.interp.executor.Interp) and argv[0] is the builtin's name.
Builtins write output with sh.write(fd, text) and diagnostics with sh.error(msg)
(msg without the location prefix, e.g. "cd: x: No such file or directory").

Modules are grouped by area (core, io, vars, dirs, test, ...); each registers its
functions with @builtin. They are imported on first lookup to keep start-up lean.
"""
from __future__ import annotations

BUILTINS: dict = {}
# POSIX special builtins: assignment prefixes persist, errors exit a non-interactive shell.
SPECIAL = frozenset({":", ".", "break", "continue", "eval", "exec", "exit", "export",
                     "readonly", "return", "set", "shift", "source", "times", "trap",
                     "unset"})

_MODULES = ("core", "io", "vars", "dirs", "test", "flow", "arrays", "dirstack", "completion",
            "misc", "history", "jobs_builtins", "session")
# The module that registers each builtin, so that looking one up imports only that
# module (tests/unit/test_builtin_registry.py checks it against the registrations).
_HOME = {name: mod for mod, names in (
    ("core", (":", "alias", "builtin", "command", "disown", "false", "getopts", "hash",
              "kill", "times", "true", "type", "ulimit", "umask", "unalias")),
    ("io", ("echo", "printf", "read")),
    ("vars", ("declare", "export", "let", "local", "readonly", "set", "shift", "shopt",
              "typeset", "unset")),
    ("dirs", ("cd", "pwd")),
    ("test", ("[", "test")),
    ("flow", (".", "break", "continue", "eval", "exec", "exit", "return", "source", "trap",
              "wait")),
    ("arrays", ("mapfile", "readarray")),
    ("dirstack", ("dirs", "popd", "pushd")),
    ("completion", ("compgen", "complete", "compopt")),
    ("misc", ("caller", "enable", "help")),
    ("history", ("fc", "history")),
    ("session", ("bind", "logout")),
    ("jobs_builtins", ("bg", "fg", "jobs", "suspend")),
) for name in names}
_loaded = False


def builtin(*names):
    def register(fn):
        for name in names:
            BUILTINS[name] = fn
        return fn
    return register


def _load_all() -> None:
    global _loaded
    _loaded = True
    for mod in _MODULES:
        try:
            __import__(f"pyshell.builtins.{mod}")
        except ModuleNotFoundError as exc:
            if exc.name != f"pyshell.builtins.{mod}":
                raise


def lookup(name: str):
    """The builtin function called `name`, or None. Before everything is loaded, only
    the module that defines `name` is imported (a name not in _HOME is no builtin)."""
    fn = BUILTINS.get(name)
    if fn is not None or _loaded:
        return fn
    mod = _HOME.get(name)
    if mod is None:
        return None
    try:
        __import__(f"pyshell.builtins.{mod}")
    except ModuleNotFoundError as exc:
        if exc.name != f"pyshell.builtins.{mod}":
            raise
    return BUILTINS.get(name)


def names() -> list:
    if not _loaded:
        _load_all()
    return sorted(BUILTINS)
