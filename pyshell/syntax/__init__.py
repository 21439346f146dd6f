"""The parser: bash source text -> pyshell.syntax.ast nodes.

Interface used by the interpreter and the REPL (nothing from bashlex leaks past here):

    reader = CommandReader(source, context=ctx, first_line=1)
    while (cmd := reader.next_command()) is not None:   # one top-level command at a time
        run(cmd)                                        # a Seq (the whole input line's list)

    parse(source) -> Seq                                # everything at once (tests, -n)

`next_command` raises pyshell.errors.ParseError (with line, bash's message and the
context line) or its subclass Incomplete when the input ends inside a construct
(open quote, compound command, pending here-document, trailing | && || or backslash).
`ctx` is a ParseContext the interpreter updates between commands: aliases are expanded
and extglob honoured per top-level command, as bash does.
"""
from __future__ import annotations

from pyshell.errors import Incomplete, ParseError  # noqa: F401  (re-exported)


class ParseContext:
    """What the interpreter's state changes about parsing, updated between commands.

    aliases: name -> replacement text (only expanded when non-empty)
    extglob: lex ?(..) *(..) +(..) @(..) !(..) as extended globs
    warn:    warn(line, message) for warnings bash prints and continues after, e.g.
             "warning: here-document at line 1 delimited by end-of-file (wanted `EOF')"
             (print it with the runtime prefix for `line`); also kept in
             CommandReader.warnings
    """
    __slots__ = ("aliases", "extglob", "warn")

    def __init__(self, aliases: dict | None = None, extglob: bool = False, warn=None):
        self.aliases = {} if aliases is None else aliases
        self.extglob = extglob
        self.warn = warn

    def __repr__(self):
        return f"ParseContext(aliases={self.aliases!r}, extglob={self.extglob!r})"


def __getattr__(name):
    # Lazy: importing the parser machinery costs start-up time.
    if name in ("CommandReader", "parse"):
        from pyshell.syntax import parser
        return getattr(parser, name)
    raise AttributeError(name)
