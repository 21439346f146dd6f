"""The [[ ... ]] conditional command parser (a mixin of pyshell.syntax.parser.Parser).

bash lexes the inside of [[ ]] itself: `<` `>` are comparison operators, `(` `)` group,
the right side of `==`/`!=`/`=` is a pattern (extglob forms allowed), and the right side of
`=~` is a regular expression in which `|` and parenthesised blanks are part of the word.
"""
from __future__ import annotations

from pyshell.errors import ParseError
from pyshell.syntax import ast as A
from pyshell.syntax.words import OP_RE as _OP_RE

UNARY_OPS = frozenset("-" + c for c in "abcdefghkprstuwxGLNOSzonvR")
BINARY_OPS = frozenset(("==", "=", "!=", "=~", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt",
                        "-ge", "-nt", "-ot", "-ef"))
_PATTERN_OPS = frozenset(("==", "=", "!="))


class CondSyntaxError(ParseError):
    """A syntax error inside [[ ]]. bash prints `message` (a single line, nothing when
    `message` is empty) and then stops reading input as if at end of file: commands
    already parsed on that line do not run and the shell exits with its last status."""

    silent_eof = True
    at_eof = False


def _unclosed_quote(src: str, i: int):
    """(closing character, offset bash reports it at) of a quote, `${`, `$(` or `$((`
    opened on the rest of the line that starts at `i` and never closed before the end
    of the input, else None."""
    return _scan(src, i, None, i)[1]


def _scan(src: str, i: int, until, start: int):
    """Scan from `i` to `until` (None: the end of the line; or a quote, `}`, `)`, `))`)
    the way bash's reader finds the end of a word: (offset after it, None), or
    (len(src), (closer, offset)) when the input ends first."""
    n = len(src)
    in_dq = until == '"'
    while i < n:
        c = src[i]
        if until is None:
            if c == "\n":
                return i, None
        elif until == "'":
            i += 1
            if c == "'":
                return i, None
            continue
        elif src.startswith(until, i):
            return i + len(until), None
        if c == "\\":
            i += 2
            continue
        bad = None
        if src.startswith("${", i):
            i, bad = _scan(src, i + 2, "}", i)
        elif src.startswith("$((", i):
            i, bad = _scan(src, i + 3, "))", i)
        elif src.startswith("$(", i):
            i, bad = _scan(src, i + 2, ")", i)
        elif c == "`":
            i, bad = _scan(src, i + 1, "`", i)
        elif c in "'\"" and not in_dq:
            i, bad = _scan(src, i + 1, c, i)
        elif c == "(" and until == ")":
            i, bad = _scan(src, i + 1, ")", i)
        else:
            i += 1
        if bad is not None:
            return i, bad
    if until is None:
        return n, None
    # bash names `)` of an unclosed $( at the end of the input, the others where
    # they were opened
    return n, (")", n if until == ")" else start) if until in (")", "))") \
        else (until, start)


class _CTok:
    __slots__ = ("kind", "value", "start", "end", "word")

    def __init__(self, kind, value, start, end, word=None):
        self.kind = kind    # W, OP, NL, EOF
        self.value = value
        self.start = start
        self.end = end
        self.word = word


class CondParser:
    """Mixin: needs the Parser's src, pos, _skip, read_word, _scan_parts, _loc."""

    def _ctok(self, skip_newlines: bool = False) -> _CTok:
        src, n = self.src, self.n
        i = self._skip(self.pos)
        while skip_newlines and i < n and src[i] == "\n":
            i = self._skip(i + 1)
        if i >= n:
            return _CTok("EOF", "", i, i)
        c = src[i]
        if c == "\n":
            return _CTok("NL", "newline", i, i + 1)
        two = src[i:i + 2]
        if c in "<>" and two[1:] != "(":
            if two in ("<<", ">>", "<&", ">&", "<>", ">|"):
                return _CTok("OP", two, i, i + 2)
            return _CTok("OP", c, i, i + 1)
        if c in "();&|":
            op = _OP_RE.match(src, i).group()
            return _CTok("OP", op, i, i + len(op))
        word, end = self.read_word(i, braces=False)  # no brace expansion in [[ ]]
        if word.text == "]]":
            return _CTok("END", "]]", i, end, word)
        return _CTok("W", word.text, i, end, word)

    def _cond_fail(self, message: str, tok=None):
        if tok is None:
            line = self._loc(self.pos)[0]
        else:
            line = self._loc(max(tok.start, tok.end - 1))[0]
        err = CondSyntaxError(message, line, None)
        # the input ended inside the [[ ]] (bash then exits 2 rather than with $? 0)
        # (a backslash alone at the very end counts: bash's reader goes on looking for
        # the continued line and meets the end there)
        rest = self.src[tok.end:].lstrip(" \t") if tok is not None else None
        err.at_eof = tok is not None and (tok.kind == "EOF" or (
            tok.kind == "NL" and not rest) or rest in ("\\", "\\\n"))
        if tok is not None and not err.at_eof and tok.kind != "NL":
            # bash reads on to the end of the line; a quote opened there and never
            # closed is one more error, at the end of the input
            quote = _unclosed_quote(self.src, tok.end)
            if quote is not None:
                err.at_eof = True
                err.followups.append((self._loc(quote[1])[0],
                                      f"unexpected EOF while looking for matching `{quote[0]}'"))
        raise err

    def parse_cond(self):
        first = self._ctok(skip_newlines=True)
        if first.kind == "END":
            self._cond_fail("", first)  # `[[ ]]`: bash gives up without a message
        node = self._cond_or()
        tok = self._ctok()
        if tok.kind == "END":
            self.pos = tok.end
            return node
        if tok.kind == "EOF":
            self._cond_fail("unexpected EOF while looking for `]]'", tok)
        if tok.kind == "W":
            self._cond_fail("syntax error in conditional expression", tok)
        self._cond_fail(f"syntax error in conditional expression: unexpected token "
                        f"`{tok.value}'", tok)

    def _cond_or(self):
        left = self._cond_and()
        tok = self._ctok()
        while tok.kind == "OP" and tok.value == "||":
            self.pos = tok.end
            right = self._cond_and()
            left = A.CondOr(left, right, line=left.line, col=left.col)
            tok = self._ctok()
        return left

    def _cond_and(self):
        left = self._cond_not()
        tok = self._ctok()
        while tok.kind == "OP" and tok.value == "&&":
            self.pos = tok.end
            right = self._cond_not()
            left = A.CondAnd(left, right, line=left.line, col=left.col)
            tok = self._ctok()
        return left

    def _cond_not(self):
        tok = self._ctok(skip_newlines=True)
        if tok.kind == "W" and tok.value == "!":
            self.pos = tok.end
            line, col = self._loc(tok.start)
            return A.CondNot(self._cond_not(), line=line, col=col)
        return self._cond_primary(tok)

    def _cond_primary(self, tok):
        line, col = self._loc(tok.start)
        if tok.kind == "OP" and tok.value == "(":
            self.pos = tok.end
            try:
                inner = self._cond_or()
            except CondSyntaxError as exc:
                if exc.message:
                    # bash names the unclosed parenthesis after the inner error
                    exc.followups.append((line, "expected `)'"))
                    raise
                self._cond_fail("expected `)'")  # `( ]]`: the silent error surfaces here
            close = self._ctok()
            if close.kind != "OP" or close.value != ")":
                if close.kind == "W":
                    self._cond_fail("expected `)'", close)
                self._cond_fail(f"unexpected token `{_text(close)}', expected `)'", close)
            self.pos = close.end
            return inner
        if tok.kind == "EOF":
            self._cond_fail("unexpected token `EOF' in conditional command", tok)
        if tok.kind == "END":
            self._cond_fail("", tok)
        if tok.kind != "W":
            self._cond_fail(f"unexpected token `{_text(tok)}' in conditional command", tok)
        self.pos = tok.end
        if tok.value in UNARY_OPS:
            arg = self._ctok()
            if arg.kind != "W":
                self._cond_fail(f"unexpected argument `{_text(arg)}' to conditional unary "
                                "operator", arg)
            self.pos = arg.end
            return A.CondUnary(tok.value, arg.word, line=line, col=col)
        op = self._ctok()
        if (op.kind == "W" and op.value in BINARY_OPS) or (op.kind == "OP" and op.value in "<>"):
            self.pos = op.end
            if op.value == "=~":
                right = self._cond_regex()
            else:
                arg = self._ctok()
                if arg.kind != "W":
                    self._cond_fail(f"unexpected argument `{_text(arg)}' to conditional "
                                    "binary operator", arg)
                if op.value in _PATTERN_OPS:
                    right, end = self.read_word(arg.start, extglob=True, braces=False)
                    self.pos = end
                else:
                    right = arg.word
                    self.pos = arg.end
            return A.CondBinary(op.value, tok.word, right, line=line, col=col)
        if op.kind == "END" or (op.kind == "OP" and op.value in ("&&", "||", ")")):
            return A.CondWord(tok.word, line=line, col=col)
        if op.kind == "W":
            self._cond_fail("conditional binary operator expected", op)
        self._cond_fail(f"unexpected token `{_text(op)}', conditional binary operator expected",
                        op)

    def _cond_regex(self):
        """The =~ operand: blanks inside parentheses and `|` belong to the word."""
        src, n = self.src, self.n
        start = self._skip(self.pos)
        if src.startswith("]]", start) and (start + 2 >= n or src[start + 2] in " \t\n;&|"):
            self._cond_fail("unexpected argument `]]' to conditional binary operator")
        if start >= n or src[start] in "\n;&":
            tok = self._ctok()
            self._cond_fail(f"unexpected argument `{_text(tok)}' to conditional "
                            "binary operator", tok)
        parts: list = []
        depth = 0
        i = start
        while i < n:
            more, i = self._scan_parts(i, " \t\n()|<>;&", in_param=True)
            parts.extend(more)
            if i >= n:
                break
            c = src[i]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif c in " \t\n":
                if depth == 0:
                    break
            elif c in ";&" and depth == 0:
                break
            elif c in "<>" and depth == 0:
                break
            line, col = self._loc(i)
            parts.append(A.Lit(c, line=line, col=col))
            i += 1
        parts = _merge_lits(parts)
        line, col = self._loc(start)
        self.pos = i
        return A.Word(parts, src[start:i], line=line, col=col)


def _text(tok) -> str:
    return tok.value if tok.kind != "EOF" else "EOF"


def _merge_lits(parts):
    out = []
    for p in parts:
        if out and type(p) is A.Lit and type(out[-1]) is A.Lit:
            prev = out[-1]
            out[-1] = A.Lit(prev.text + p.text, line=prev.line, col=prev.col)
        else:
            out.append(p)
    return out
