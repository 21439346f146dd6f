"""The parser: bash source text -> pyshell.syntax.ast nodes.

Interface used by the interpreter and the REPL (a recursive-descent grammar over a
token layer built on bashlex's tokenizer; no bashlex object leaks past this package):

    reader = CommandReader(source, context=ctx, first_line=1, interactive=False)
    while (cmd := reader.next_command()) is not None:   # one top-level command at a time
        run(cmd)                                        # a Seq (the whole input line's list)
    reader.offset          # offset in `source` just after the last command (set -v)
    reader.seek(offset)    # re-read from an earlier offset (e.g. after `shopt -s extglob`)
    reader.warnings        # [(line, message)] parse-time warnings (also ctx.warn(line, msg))

    parse(source) -> Seq                                # everything at once (tests)
    pyshell.syntax.cache.parse_file(path, ctx)          # cached by (path, size, mtime)

Errors raised by `next_command` (all pyshell.errors.ParseError, status 2, with bash's
message, line and context line; `followups` lists further (line, message) lines):
  Incomplete        the input ends inside a construct (open quote, compound command,
                    `$(`, trailing | && ||; with interactive=True also a trailing
                    backslash-newline or an unterminated here-document): REPL continues.
  parser.ArrayAssignError (`recoverable`, status 1): inside name=( ... ). bash reports it,
                    skips the rest of that line and goes on: keep calling next_command.
  cond.CondSyntaxError (`silent_eof`): inside [[ ]]. bash prints `message` (nothing when
                    empty, and no context line) and then stops reading input, exiting
                    with the last command's status.
`ctx` is a ParseContext the interpreter updates between commands: aliases are expanded
and extglob honoured per top-level command, as bash does.
"""
from __future__ import annotations

from pyshell.errors import Incomplete, ParseError  # noqa: F401  (re-exported)

__all__ = ["CommandReader", "Incomplete", "ParseContext", "ParseError", "expanding_text_parts",
           "parse"]


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


def expanding_text_parts(text: str, first_line: int = 1) -> list:
    """Word parts of a text where only $, ` and \\ are special, as in an unquoted
    here-document body (prompt strings are expanded this way)."""
    from pyshell.syntax.parser import Parser
    from pyshell.syntax import ast as A
    parts = Parser("")._scan_heredoc_body(text + "\n", first_line)
    last = parts[-1] if parts else None
    if type(last) is A.Lit and last.text.endswith("\n"):  # the newline added above
        if last.text == "\n":
            parts.pop()
        else:
            parts[-1] = A.Lit(last.text[:-1], line=last.line, col=last.col)
    return parts


def __getattr__(name):
    # Lazy: importing the parser machinery costs start-up time.
    if name in ("CommandReader", "parse"):
        from pyshell.syntax import parser
        return getattr(parser, name)
    raise AttributeError(name)
