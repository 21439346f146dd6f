"""Compact, location-free renderings of syntax trees for shape assertions."""
from __future__ import annotations

from pyshell.syntax import ast as A
from pyshell.syntax.parser import parse

_SKIP = {"line", "col", "source"}


def dump(node) -> str:
    """Render a node as `Type(field=value, ...)`, omitting locations and empty fields.
    Words render as their parts only; a Word's `text` is checked separately."""
    names = getattr(type(node), "_fields", None)
    if names is not None:
        out = []
        for name in names:
            if name in _SKIP or (name == "text" and type(node) is A.Word):
                continue
            value = getattr(node, name)
            if value is None or value == [] or value == {} or value is False:
                continue
            if name == "terminator" and value == ";;":
                continue
            out.append(f"{name}={dump(value)}")
        return f"{type(node).__name__}({', '.join(out)})"
    if isinstance(node, list):
        return "[" + ", ".join(dump(x) for x in node) + "]"
    if isinstance(node, dict):
        return "{" + ", ".join(f"{k}: {dump(v)}" for k, v in node.items()) + "}"
    return repr(node)


def first(source: str, **kw):
    """The first command of a parsed text."""
    return parse(source, **kw).items[0].command


def word_parts(source: str, **kw) -> str:
    """dump() of the parts of the second word of `echo WORD`."""
    cmd = first("echo " + source, **kw)
    return dump(cmd.words[1].parts)
