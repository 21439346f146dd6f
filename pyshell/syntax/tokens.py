"""The parser's token layer: bashlex's tokenizer, read one token at a time.

bash decides what a token is from where the parser stands (reserved words only in command
position, `((` and `[[` only there, `name=(` only where an assignment may appear), so the
parser asks for the token at an offset it chooses instead of consuming a stream.
`ShellTokenizer` subclasses bashlex's tokenizer for that: bashlex reads the blanks, line
continuations, comments, newlines and operators (`_readtoken`), and hands every word to the
project's word lexer (`_readtokenword` is overridden), because bashlex's word reader loses
quoting and mis-bounds `$( )`, here-documents and extended globs (see the project notes).

Importing `bashlex` itself builds its LALR parser table (~100 ms per process); the
tokenizer module does not need that table, so the package is registered without running
its `__init__`, which runs on first use of any other attribute instead.
"""
from __future__ import annotations

import importlib
import importlib.util
import re
import sys


def _import_bashlex_tokenizer():
    package = sys.modules.get("bashlex")
    if package is None:
        spec = importlib.util.find_spec("bashlex")
        if spec is None:
            # raised as ImportError: pyshell.syntax's lazy attributes must not turn it
            # into a confusing "cannot import name"
            raise ImportError("the bashlex package (a dependency of pywarmsh) is not "
                              "installed for this Python")
        package = importlib.util.module_from_spec(spec)

        def finish_import(name):
            # Someone wants bashlex's parser entry points: run the package's own
            # __init__ now, once. Other names fall through to the import system, which
            # loads submodules (`from bashlex import flags` asks here first).
            if name not in ("parse", "parsesingle", "split"):
                raise AttributeError(name)
            del package.__getattr__
            spec.loader.exec_module(package)
            return getattr(package, name)

        package.__getattr__ = finish_import
        sys.modules["bashlex"] = package
    return importlib.import_module("bashlex.tokenizer")


_bashlex_tokenizer = _import_bashlex_tokenizer()
_bashlex_utils = importlib.import_module("bashlex.utils")
_bashlex_flags = importlib.import_module("bashlex.flags")


class _ParserState(_bashlex_utils.typedset):
    """bashlex's parser-state flag set; `state & flag` (asked twice per token) answers
    with a bool instead of building a new set."""
    __slots__ = ()

    def __init__(self):
        super().__init__(_bashlex_flags.parser)

    def __and__(self, value):
        if isinstance(value, _bashlex_flags.parser):
            return value in self._s
        return super().__and__(value)
_EOF_TOKEN = _bashlex_tokenizer.eoftoken
_BLANKS = re.compile(r"[ \t]*")


class ShellTokenizer(_bashlex_tokenizer.tokenizer):
    """One token at a time at parser-chosen offsets of `parser.src`.

    `token_at(pos)` returns `(kind, value, start, end)` with kind "op" (an operator; value
    its text), "nl" or "eof", or the parser's own token object for a word, built by
    `parser.word_token(start)` (which also recognises `2>` and `{fd}>` redirections).
    """

    def __init__(self, parser):
        # parser.src already ends in a newline (bash adds one to a last unterminated line)
        super().__init__(parser.src, _ParserState())
        self._parser = parser
        self._virtual_nl = parser.virtual_nl

    def set_source(self, src: str, virtual_nl: int):
        """The parser's text changed (an alias was spliced in)."""
        self._shell_input_line = src
        self._virtual_nl = virtual_nl

    def token_at(self, pos: int):
        # bashlex skips blanks a character at a time; a run of them in one step
        # (indentation) leaves the same position
        self._shell_input_line_index = _BLANKS.match(self._shell_input_line, pos).end()
        self._eol_ungetc_lookahead = None
        positions = self._positions
        positions.clear()
        result = self._readtoken()
        if result is _EOF_TOKEN:
            end = len(self._shell_input_line)
            return ("eof", "", end, end)
        if type(result) is not _bashlex_tokenizer.tokentype:
            return result   # a word, lexed by the parser
        value = result.value
        return ("nl" if value == "\n" else "op", value, positions[-1],
                self._shell_input_line_index)

    def _readtokenword(self, c):
        return self._parser.word_token(self._shell_input_line_index - 1)

    def _getc(self, remove_quoted_newline=True):
        # Same contract as bashlex's (one character, None at the end, backslash-newline
        # skipped when asked), with one difference: a backslash before the newline bash
        # supplies for an unterminated last line is a character, not a continuation.
        c = self._eol_ungetc_lookahead
        if c is not None:
            self._eol_ungetc_lookahead = None
            return c
        src = self._shell_input_line
        i = self._shell_input_line_index
        n = len(src)
        while i < n:
            c = src[i]
            i += 1
            if c == "\\" and remove_quoted_newline and src[i] == "\n" and \
                    i != self._virtual_nl:
                i += 1
                continue
            self._shell_input_line_index = i
            return c
        self._shell_input_line_index = i
        return None

    def _discard_until(self, character):
        # Same effect as bashlex's character loop (used for comments), in one search.
        src = self._shell_input_line
        i = src.find(character, self._shell_input_line_index)
        self._shell_input_line_index = len(src) if i < 0 else i
