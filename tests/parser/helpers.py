"""Compact, location-free renderings of syntax trees for shape assertions."""
from __future__ import annotations

from dataclasses import fields, is_dataclass

from pyshell.syntax import ast as A
from pyshell.syntax.parser import parse

_SKIP = {"line", "col", "source"}


def dump(node) -> str:
    """Render a node as `Type(field=value, ...)`, omitting locations and empty fields.
    Words render as their parts only; a Word's `text` is checked separately."""
    if is_dataclass(node):
        out = []
        for f in fields(node):
            if f.name in _SKIP or (f.name == "text" and type(node) is A.Word):
                continue
            value = getattr(node, f.name)
            if value is None or value == [] or value == {} or value is False:
                continue
            if f.name == "terminator" and value == ";;":
                continue
            out.append(f"{f.name}={dump(value)}")
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
