"""The lazy builtin index names exactly the builtins each module registers."""
import importlib

import pyshell.builtins as B


def test_home_index_matches_registrations():
    registered = {}
    for mod in B._MODULES:
        m = importlib.import_module(f"pyshell.builtins.{mod}")
        for name, fn in B.BUILTINS.items():
            if fn.__module__ == m.__name__:
                registered[name] = mod
    assert registered == B._HOME
    assert set(B.BUILTINS) == set(B._HOME)


def test_unknown_name_is_not_a_builtin():
    assert B.lookup("no-such-builtin-xyz") is None
    assert B.lookup("true") is not None
