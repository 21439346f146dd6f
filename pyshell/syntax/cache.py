"""Parsed-file cache for `source`/`.` and scripts run repeatedly in one shell.

A file's commands are parsed once per (path, size, mtime, parse context) and the trees
reused: the interpreter must treat them as read-only. Like bash, a file is still run one
top-level command at a time: `commands` holds each command with the offset just after it,
and when running a command changes how the rest must be parsed (a new alias, extglob
switched), the caller re-parses from that offset with CommandReader(...).seek(offset).
"""
from __future__ import annotations

import os

_CACHE: dict = {}
_MAX_ENTRIES = 64


class ParsedSource:
    __slots__ = ("text", "commands", "error", "warnings")

    def __init__(self, text, commands, error, warnings):
        self.text = text          # the decoded file text
        self.commands = commands  # list of (Seq, end offset)
        self.error = error        # ParseError after the commands, or None
        self.warnings = warnings  # (line, message) parse-time warnings


def _context_key(context) -> tuple:
    if context is None:
        return (False, ())
    return (bool(context.extglob), tuple(sorted(context.aliases.items())))


def parse_file(path: str, context=None, text: str | None = None) -> ParsedSource:
    """Parse a whole file (or `text` read from it), cached by its identity.
    Raises OSError when the file cannot be read."""
    from pyshell.errors import ParseError
    from pyshell.syntax.parser import CommandReader
    st = os.stat(path)
    key = (os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ino, _context_key(context))
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    if text is None:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "surrogateescape")
    reader = CommandReader(text, context)
    commands = []
    error = None
    try:
        while (cmd := reader.next_command()) is not None:
            commands.append((cmd, reader.offset))
    except ParseError as exc:
        error = exc
    result = ParsedSource(text, commands, error, list(reader.warnings))
    if len(_CACHE) >= _MAX_ENTRIES:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = result
    return result


def clear() -> None:
    _CACHE.clear()
