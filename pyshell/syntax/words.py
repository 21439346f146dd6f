"""The word lexer: source text of one shell word -> ast word parts with their quoting.

bash finds where a word ends while it lexes the word's quotes and substitutions, so this
lexer does both at once: it returns the parts and the offset just after the word.
`$( )` bodies are parsed as commands by the owning parser (bash 5.2 does the same), so the
class is a mixin of pyshell.syntax.parser.Parser and relies on its `_parse_cmdsub` and
`_loc` methods.
"""
from __future__ import annotations

import re

from pyshell.errors import ParseError
from pyshell.syntax import ast as A
from pyshell.syntax.braces import expand_braces_in_parts
from pyshell.syntax.escapes import decode_ansi

NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIGITS_RE = re.compile(r"[0-9]+")
_NAME_CHARS_RE = re.compile(r"[A-Za-z0-9_]+")
_ASSIGNMENT_LIKE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_DQ_RUN = re.compile(r'[^"\\$`]+')
_HEREDOC_RUN = re.compile(r"[^\\$`]+")
_SPECIAL_PARAMS = "@*#?-$!0123456789"
_EXTGLOB_OPS = "?*+@!"

OPERATORS = (";;&", ";;", ";&", ";", "&&", "&>>", "&>", "&", "||", "|&", "|", "(", ")",
             "<<<", "<<-", "<<", "<&", "<>", "<", ">>", ">&", ">|", ">")
OP_RE = re.compile("|".join(re.escape(op) for op in OPERATORS))

# Characters that end an unquoted word in command context.
WORD_STOPS = " \t\n;&|()<>"
_RUN_CACHE: dict = {}


def _run_re(stops: str):
    """Regex matching a run of characters that need no attention in a context."""
    rx = _RUN_CACHE.get(stops)
    if rx is None:
        rx = re.compile("[^" + re.escape(stops + "\\'\"$`") + "]+")
        _RUN_CACHE[stops] = rx
    return rx




class WordLexer:
    """Mixin: needs self.src, self.n, self.ctx, self._loc(pos), self._parse_cmdsub(pos),
    self._eof_error(msg, quote=True) and self._sub_parser(text, pos)."""

    # ------------------------------------------------------------------ words

    def read_word(self, pos: int, stops: str = WORD_STOPS, *, assignment: bool = False,
                  extglob: bool | None = None, braces: bool = True) -> tuple:
        """Lex one word starting at `pos`. Returns (Word, end)."""
        if extglob is None:
            extglob = self.ctx.extglob
        parts, end = self._scan_parts(pos, stops, extglob=extglob)
        line, col = self._loc(pos)
        text = self.src[pos:end]
        if parts:
            parts = self._post_process(parts, text, assignment, braces)
        return A.Word(parts, text, line=line, col=col), end

    def _post_process(self, parts, text, assignment, braces):
        first = parts[0]
        if type(first) is A.Lit and first.text[:1] == "~":
            parts = _split_tilde(parts, 0, assignment)
        if assignment or ("=" in text and _ASSIGNMENT_LIKE.match(text.replace("\\\n", ""))):
            parts = _assignment_tildes(parts)
        if braces and "{" in text:
            parts = expand_braces_in_parts(parts)
        return parts

    def _scan_parts(self, pos: int, stops: str, *, extglob: bool = False,
                    in_param: bool = False, dq_param: bool = False) -> tuple:
        """Unquoted-context scanner used for words and ${...} operands.

        `stops` are the unquoted characters that end the scan. `dq_param`: the operand
        of a ${...} written inside double quotes, where single quotes are literal.
        """
        src, n = self.src, self.n
        run = _run_re(stops)
        parts: list = []
        lit: list = []
        lit_start = pos
        i = pos
        while i < n:
            m = run.match(src, i, n)
            if m:
                if not lit:
                    lit_start = i
                lit.append(m.group())
                i = m.end()
                if i >= n:
                    break
            c = src[i]
            if c in stops:
                if c == "(" and extglob and lit and lit[-1][-1:] in _EXTGLOB_OPS:
                    op = lit[-1][-1]
                    lit[-1] = lit[-1][:-1]
                    if not lit[-1]:
                        lit.pop()
                    self._flush(parts, lit, lit_start)
                    node, i = self._scan_extglob(i - 1, op)
                    parts.append(node)
                    continue
                if c in "<>" and i + 1 < n and src[i + 1] == "(" and not in_param:
                    self._flush(parts, lit, lit_start)
                    node, i = self._scan_procsub(i)
                    parts.append(node)
                    continue
                break
            if c == "\\":
                if i + 1 >= n:
                    if not lit:
                        lit_start = i
                    lit.append("\\")
                    i += 1
                    continue
                nxt = src[i + 1]
                if nxt == "\n":
                    if i + 1 == self.virtual_nl:
                        if not lit:
                            lit_start = i
                        lit.append("\\")
                        i += 1
                        continue
                    i += 2
                    continue
                self._flush(parts, lit, lit_start)
                line, col = self._loc(i)
                parts.append(A.Escaped(nxt, line=line, col=col))
                i += 2
                continue
            if c == "'":
                if dq_param:
                    if not lit:
                        lit_start = i
                    lit.append("'")
                    i += 1
                    continue
                self._flush(parts, lit, lit_start)
                j = src.find("'", i + 1)
                if j < 0:
                    self._eof_error("unexpected EOF while looking for matching `''", start=i)
                line, col = self._loc(i)
                parts.append(A.SQ(src[i + 1:j], line=line, col=col))
                i = j + 1
                continue
            if c == '"':
                self._flush(parts, lit, lit_start)
                node, i = self._scan_dq(i)
                parts.append(node)
                continue
            if c == "$":
                if i + 1 < n and src[i + 1] == "'" and not dq_param:
                    self._flush(parts, lit, lit_start)
                    node, i = self._scan_ansi(i)
                    parts.append(node)
                    continue
                if i + 1 < n and src[i + 1] == '"':
                    self._flush(parts, lit, lit_start)
                    node, i = self._scan_dq(i + 1)
                    parts.append(node)
                    continue
                node, j = self._scan_dollar(i, in_dq=dq_param)
                if node is None:
                    if not lit:
                        lit_start = i
                    lit.append("$")
                    i += 1
                    continue
                self._flush(parts, lit, lit_start)
                parts.append(node)
                i = j
                continue
            if c == "`":
                self._flush(parts, lit, lit_start)
                node, i = self._scan_backquote(i)
                parts.append(node)
                continue
            # A character that is special in another context only.
            if not lit:
                lit_start = i
            lit.append(c)
            i += 1
        self._flush(parts, lit, lit_start)
        return parts, i

    def _flush(self, parts, lit, start):
        if lit:
            line, col = self._loc(start)
            parts.append(A.Lit("".join(lit), line=line, col=col))
            lit.clear()

    # ---------------------------------------------------------------- quoting

    def _scan_dq(self, pos: int) -> tuple:
        """`pos` at the opening double quote. Returns (DQ, end)."""
        line, col = self._loc(pos)
        parts, i = self._scan_expanding(pos + 1, heredoc=False)
        return A.DQ(parts, line=line, col=col), i

    def _scan_expanding(self, i: int, heredoc: bool) -> tuple:
        """Text where only $, ` and \\ are special: a double-quoted string (ends at the
        closing quote, `\\"` escapes it) or a whole unquoted here-document body.
        Returns (parts, offset after the text)."""
        src, n = self.src, self.n
        run_re, escapable = (_HEREDOC_RUN, "$`\\") if heredoc else (_DQ_RUN, '$`"\\')
        start = i - 1
        parts: list = []
        lit: list = []
        lit_start = i
        while True:
            if i >= n:
                if heredoc:
                    break
                self._eof_error('unexpected EOF while looking for matching `"\'', start=start)
            m = run_re.match(src, i)
            if m:
                if not lit:
                    lit_start = i
                lit.append(m.group())
                i = m.end()
                continue
            c = src[i]
            if c == '"':  # only reached outside here-documents
                i += 1
                break
            if c == "\\":
                nxt = src[i + 1] if i + 1 < n else ""
                if nxt == "\n":
                    i += 2
                    continue
                if not lit:
                    lit_start = i
                if nxt in escapable:
                    lit.append(nxt)
                    i += 2
                else:
                    lit.append("\\")
                    i += 1
                continue
            if c == "$":
                node, j = self._scan_dollar(i, in_dq=True)
                if node is None:
                    if not lit:
                        lit_start = i
                    lit.append("$")
                    i += 1
                    continue
                self._flush(parts, lit, lit_start)
                parts.append(node)
                i = j
                continue
            # backquote
            self._flush(parts, lit, lit_start)
            node, i = self._scan_backquote(i, in_dq=True)
            parts.append(node)
        self._flush(parts, lit, lit_start)
        return parts, i

    def _scan_ansi(self, pos: int) -> tuple:
        """`pos` at the `$` of $'...'."""
        src = self.src
        i = pos + 2
        while True:
            j = src.find("'", i)
            if j < 0:
                self._eof_error("unexpected EOF while looking for matching `''", start=pos)
            # an escaped quote does not end the string
            k = j - 1
            bs = 0
            while k >= pos + 2 and src[k] == "\\":
                bs += 1
                k -= 1
            if bs % 2 == 0:
                break
            i = j + 1
        line, col = self._loc(pos)
        return A.ANSI(decode_ansi(src[pos + 2:j]), line=line, col=col), j + 1

    def _scan_heredoc_body(self, text: str, line0: int) -> list:
        """Parts of an unquoted here-document body (already cut from the source)."""
        sub = self._sub_parser(text, line0)
        try:
            return sub._heredoc_parts()
        except ParseError:
            # bash expands a here-document body only when the command runs, so a
            # malformed expansion in it is not a syntax error of the script: keep the
            # text literal.
            return [A.Lit(text, line=line0, col=0)]

    def _heredoc_parts(self) -> list:
        return self._scan_expanding(0, heredoc=True)[0]

    # ------------------------------------------------------------ expansions

    def _scan_dollar(self, pos: int, in_dq: bool = False) -> tuple:
        """`pos` at a `$`. Returns (node, end) or (None, pos) for a literal dollar.

        Finding where `$((` or `${` ends may scan nested substitutions speculatively, so
        results (and errors) of `$(`/`$((`/`${` are remembered by position: without that,
        nested `$((` would be scanned an exponential number of times."""
        if self.src.startswith(("$(", "${"), pos):
            key = (pos, in_dq)
            memo = self.memo
            hit = memo.get(key)
            if hit is None:
                try:
                    hit = self._scan_dollar_uncached(pos, in_dq)
                except ParseError as exc:
                    hit = exc
                memo[key] = hit
            if isinstance(hit, ParseError):
                raise hit
            return hit
        return self._scan_dollar_uncached(pos, in_dq)

    def _scan_dollar_uncached(self, pos: int, in_dq: bool) -> tuple:
        src, n = self.src, self.n
        i = pos + 1
        if i >= n:
            return None, pos
        c = src[i]
        line, col = self._loc(pos)
        if c == "{":
            return self._scan_param_braced(pos, in_dq)
        if c == "(":
            if i + 1 < n and src[i + 1] == "(":
                end = self._arith_end(i + 2)
                if end is not None:
                    expr = self._arith_word(i + 2, end)
                    return A.ArithSub(expr, line=line, col=col), end + 2
            body, end = self._parse_cmdsub(i + 1)
            return A.CmdSub(body, line=line, col=col), end
        if c == "[":
            end = self._bracket_arith_end(i + 1)
            expr = self._arith_word(i + 1, end)
            return A.ArithSub(expr, line=line, col=col), end + 1
        m = NAME_RE.match(src, i)
        if m:
            name, end = m.group(), m.end()
            while src.startswith("\\\n", end) and end + 2 != self.virtual_nl:
                # a line continuation does not end a name (bash removes it first)
                more = _NAME_CHARS_RE.match(src, end + 2)
                if not more:
                    break
                name += more.group()
                end = more.end()
            return A.Param(name, line=line, col=col), end
        if c in _SPECIAL_PARAMS:
            return A.Param(c, line=line, col=col), i + 1
        return None, pos

    def _scan_param_braced(self, pos: int, in_dq: bool) -> tuple:
        """`pos` at the `$` of ${...}."""
        src, n = self.src, self.n
        line, col = self._loc(pos)
        start = pos + 2
        i = start
        p = A.Param("", braced=True, line=line, col=col)

        def at(k):
            return src[k] if k < n else ""

        c = at(i)
        if c == "#" and at(i + 1) not in ("}", ""):
            # ${#name} length, unless it is ${#} or ${#op...} on the parameter `#`
            nm_end = self._param_name_end(i + 1)
            if nm_end is not None and at(nm_end) in ("}", "["):
                p.length = True
                i += 1
        elif c == "!" and at(i + 1) not in ("}", ""):
            nm_end = self._param_name_end(i + 1)
            if nm_end is not None:
                p.indirect = True
                i += 1
        nm_end = self._param_name_end(i)
        if nm_end is None:
            return self._bad_substitution(pos, in_dq)
        p.name = src[i:nm_end]
        i = nm_end
        if at(i) == "[" and NAME_RE.fullmatch(p.name):
            close = self._subscript_end(i + 1, in_braces=True)
            if close is None:
                return self._bad_substitution(pos, in_dq)
            p.subscript = self._arith_word(i + 1, close, subscript=True)
            i = close + 1
        c = at(i)
        if c == "}":
            return p, i + 1
        if c == "":
            self._eof_error("unexpected EOF while looking for matching `}'", start=pos)
        if p.indirect and c in "*@" and at(i + 1) == "}":
            p.op = "!" + c
            return p, i + 2
        if p.length:
            return self._bad_substitution(pos, in_dq)
        two = src[i:i + 2]
        if two in (":-", ":=", ":?", ":+"):
            p.op = two
            p.arg, i = self._param_operand(i + 2, "}", in_dq)
        elif c in "-=?+":
            p.op = c
            p.arg, i = self._param_operand(i + 1, "}", in_dq)
        elif c in "#%^,":
            p.op = two if two in ("##", "%%", "^^", ",,") else c
            p.arg, i = self._param_operand(i + len(p.op), "}", in_dq, pattern=True)
        elif c == "/":
            op = "/"
            j = i + 1
            if at(j) in "/#%" and at(j):
                op += at(j)
                j += 1
            p.op = op
            p.arg, i = self._param_operand(j, "/}", in_dq, pattern=True)
            if at(i) == "/":
                p.arg2, i = self._param_operand(i + 1, "}", in_dq)
        elif c == ":":
            p.op = ":"
            j = self._colon_end(i + 1)
            p.arg = self._arith_word(i + 1, j)
            i = j
            if at(i) == ":":
                j = self._colon_end(i + 1, stop_at_colon=False)
                p.arg2 = self._arith_word(i + 1, j)
                i = j
        elif c == "@" and at(i + 1) and at(i + 1) in "QEPAaUuLKk" and at(i + 2) == "}":
            p.op = "@" + at(i + 1)
            i += 2
        else:
            return self._bad_substitution(pos, in_dq)
        if at(i) != "}":
            if i >= n:
                self._eof_error("unexpected EOF while looking for matching `}'", start=pos)
            return self._bad_substitution(pos, in_dq)
        return p, i + 1

    def _param_name_end(self, i: int):
        src, n = self.src, self.n
        if i >= n:
            return None
        m = NAME_RE.match(src, i)
        if m:
            return m.end()
        m = _DIGITS_RE.match(src, i)
        if m:
            return m.end()
        if src[i] in "@*#?-$!":
            return i + 1
        return None

    def _param_operand(self, i: int, stops: str, in_dq: bool, pattern: bool = False):
        parts, end = self._scan_parts(i, stops, in_param=True,
                                      dq_param=in_dq and not pattern,
                                      extglob=self.ctx.extglob)
        if end >= self.n:
            self._eof_error("unexpected EOF while looking for matching `}'", start=i)
        line, col = self._loc(i)
        if parts and not in_dq:
            first = parts[0]
            if type(first) is A.Lit and first.text[:1] == "~" and not pattern:
                parts = _split_tilde(parts, 0, False)
        return A.Word(parts, self.src[i:end], line=line, col=col), end

    def _bad_substitution(self, pos: int, in_dq: bool):
        """bash reports a malformed ${...} when it is expanded, not when it is parsed:
        the node is Param(op='bad') whose arg holds the whole text."""
        end = self._brace_end(pos + 2)
        line, col = self._loc(pos)
        text = self.src[pos:end]
        word = A.Word([A.Lit(text, line=line, col=col)], text, line=line, col=col)
        return A.Param("", op="bad", arg=word, braced=True, line=line, col=col), end

    def _brace_end(self, i: int) -> int:
        """Offset after the `}` closing a ${ whose contents start at i (quotes and
        nested expansions skipped)."""
        src, n = self.src, self.n
        start = i
        while i < n:
            c = src[i]
            if c == "\\":
                i += 2
                continue
            if c == "'":
                j = src.find("'", i + 1)
                if j < 0:
                    break
                i = j + 1
                continue
            if c == '"':
                _, i = self._scan_dq(i)
                continue
            if c == "$" and i + 1 < n and src[i + 1] in "({[":
                node, i = self._scan_dollar(i)
                continue
            if c == "`":
                _, i = self._scan_backquote(i)
                continue
            if c == "}":
                return i + 1
            i += 1
        self._eof_error("unexpected EOF while looking for matching `}'", start=start)

    def _subscript_end(self, i: int, in_braces: bool = False):
        """Index of the `]` closing a subscript whose text starts at i (None if there is
        none; inside ${...}, none past its `}`)."""
        src, n = self.src, self.n
        depth = 0
        while i < n:
            c = src[i]
            if c == "\\":
                i += 2
                continue
            if c == "}" and in_braces:
                return None
            if c == "[":
                depth += 1
            elif c == "]":
                if depth == 0:
                    return i
                depth -= 1
            elif c == "$" and i + 1 < n and src[i + 1] in "({[":
                _, i = self._scan_dollar(i)
                continue
            elif c == '"':
                _, i = self._scan_dq(i)
                continue
            elif c == "'":
                j = src.find("'", i + 1)
                if j < 0:
                    return None
                i = j + 1
                continue
            elif c == "`":
                _, i = self._scan_backquote(i)
                continue
            i += 1
        return None

    def _colon_end(self, i: int, stop_at_colon: bool = True) -> int:
        """End of a ${x:off:len} operand: first `:` (or `}`) outside parens/brackets."""
        src, n = self.src, self.n
        start = i
        depth = 0
        while i < n:
            c = src[i]
            if c == "\\":
                i += 2
                continue
            if c in "([":
                depth += 1
            elif c in ")]":
                depth -= 1
            elif depth <= 0 and (c == "}" or (c == ":" and stop_at_colon)):
                return i
            elif c == "$" and i + 1 < n and src[i + 1] in "({[":
                _, i = self._scan_dollar(i)
                continue
            elif c == '"':
                _, i = self._scan_dq(i)
                continue
            elif c == "'":
                j = src.find("'", i + 1)
                if j < 0:
                    break
                i = j + 1
                continue
            i += 1
        self._eof_error("unexpected EOF while looking for matching `}'", start=start)

    # ------------------------------------------------------------ arithmetic

    def _arith_end(self, i: int):
        """`i` just after `$((` or `((`: index of the first `)` of the closing `))`, or
        None when the parentheses close as `)` + something else (then it is a nested
        subshell, as bash decides)."""
        src, n = self.src, self.n
        start = i
        depth = 0
        while i < n:
            c = src[i]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    return i if i + 1 < n and src[i + 1] == ")" else None
                depth -= 1
            elif c == "\\":
                i += 2
                continue
            elif c == "$" and i + 1 < n and src[i + 1] in "({[":
                try:
                    _, i = self._scan_dollar(i)
                except ParseError:
                    return None
                continue
            elif c == "'":
                # quotes delimit text while scanning (the evaluator sees them)
                j = src.find("'", i + 1)
                if j < 0:
                    self._eof_error("unexpected EOF while looking for matching `''", start=i)
                i = j + 1
                continue
            elif c == '"':
                try:
                    _, i = self._scan_dq(i)
                except ParseError:
                    return None
                continue
            elif c == "`":
                try:
                    _, i = self._scan_backquote(i)
                except ParseError:
                    return None
                continue
            i += 1
        self._eof_error("unexpected EOF while looking for matching `)'", start=start)

    def _bracket_arith_end(self, i: int) -> int:
        src, n = self.src, self.n
        start = i
        depth = 0
        while i < n:
            c = src[i]
            if c == "[":
                depth += 1
            elif c == "]":
                if depth == 0:
                    return i
                depth -= 1
            elif c == "$" and i + 1 < n and src[i + 1] in "({[":
                _, i = self._scan_dollar(i)
                continue
            i += 1
        self._eof_error("unexpected EOF while looking for matching `]'", start=start)

    def _arith_word(self, start: int, end: int, subscript: bool = False) -> A.Word:
        """The text src[start:end] in arithmetic context (expanded like a double-quoted
        string, then parsed as arithmetic by the expander)."""
        src = self.src
        parts: list = []
        lit: list = []
        lit_start = start
        i = start
        while i < end:
            c = src[i]
            if c == "$":
                if subscript and src.startswith("'", i + 1):
                    self._flush(parts, lit, lit_start)
                    node, i = self._scan_ansi(i)   # m[$'k\n']
                    parts.append(node)
                    continue
                node, j = self._scan_dollar(i, in_dq=True)
                if node is not None and j <= end:
                    self._flush(parts, lit, lit_start)
                    parts.append(node)
                    i = j
                    continue
            elif c == "`":
                self._flush(parts, lit, lit_start)
                node, i = self._scan_backquote(i, in_dq=True)
                parts.append(node)
                continue
            elif c == '"':
                self._flush(parts, lit, lit_start)
                node, j = self._scan_dq(i)
                if subscript:
                    parts.append(node)    # a key's quotes are removed: m["a b"]
                else:
                    parts.extend(node.parts)
                i = j
                continue
            elif c == "\\" and i + 1 < end:
                nxt = src[i + 1]
                if nxt == "\n":
                    i += 2
                    continue
                if not lit:
                    lit_start = i
                if subscript:
                    self._flush(parts, lit, lit_start)
                    line, col = self._loc(i)
                    parts.append(A.Escaped(nxt, line=line, col=col))
                else:
                    lit.append(nxt if nxt in '$`"\\' else "\\" + nxt)
                i += 2
                continue
            elif subscript and c == "'":
                j = src.find("'", i + 1)
                if 0 <= j < end:
                    self._flush(parts, lit, lit_start)
                    line, col = self._loc(i)
                    parts.append(A.SQ(src[i + 1:j], line=line, col=col))
                    i = j + 1
                    continue
            if not lit:
                lit_start = i
            lit.append(c)
            i += 1
        self._flush(parts, lit, lit_start)
        line, col = self._loc(start)
        return A.Word(parts, src[start:end], line=line, col=col)

    # ------------------------------------------------- command substitutions

    def _scan_backquote(self, pos: int, in_dq: bool = False) -> tuple:
        """`...`: the text up to the next unescaped backquote, unescaped and parsed."""
        src, n = self.src, self.n
        i = pos + 1
        out = []
        while True:
            if i >= n:
                self._eof_error("unexpected EOF while looking for matching ``'", start=pos)
            c = src[i]
            if c == "`":
                break
            if c == "\\" and i + 1 < n:
                nxt = src[i + 1]
                if nxt in "$`\\" or (in_dq and nxt == '"'):
                    out.append(nxt)
                else:
                    out.append("\\" + nxt)
                i += 2
                continue
            out.append(c)
            i += 1
        line, col = self._loc(pos)
        try:
            body = self._parse_backquote_body("".join(out), pos + 1)
            error = None
        except ParseError as exc:
            # bash parses `...` only when it runs: the error belongs to that moment
            body, error = A.Seq([], line=line, col=col), exc
        node = A.CmdSub(body, backquote=True, line=line, col=col)
        node.error = error
        return node, i + 1

    def _scan_procsub(self, pos: int) -> tuple:
        line, col = self._loc(pos)
        body, end = self._parse_cmdsub(pos + 2)
        return A.ProcSub(self.src[pos], body, line=line, col=col), end

    def _scan_extglob(self, pos: int, op: str) -> tuple:
        """`pos` at the operator character before `(`: ?( *( +( @( !( pattern-list )."""
        src, n = self.src, self.n
        line, col = self._loc(pos)
        i = pos + 2
        patterns = []
        while True:
            # whitespace and other metacharacters are literal inside an extglob
            parts, j = self._scan_parts(i, "|()", extglob=True, in_param=True)
            while j < n and src[j] == "(":  # a bare parenthesis: literal
                more, j = self._scan_parts(j + 1, "|()", extglob=True, in_param=True)
                parts = parts + [A.Lit("(", line=line, col=col)] + more
            if j >= n:
                self._eof_error("unexpected EOF while looking for matching `)'", start=pos)
            pl, pc = self._loc(i)
            patterns.append(A.Word(parts, src[i:j], line=pl, col=pc))
            if src[j] == ")":
                return A.ExtGlob(op, patterns, line=line, col=col), j + 1
            i = j + 1


# -------------------------------------------------------------- tilde helpers

def _split_tilde(parts: list, index: int, assignment: bool) -> list:
    """Turn a leading `~user` of the Lit at parts[index] into a Tilde part, when the
    tilde prefix is entirely unquoted literal text (as bash requires)."""
    lit = parts[index]
    text = lit.text
    stop = "/:" if assignment else "/"
    k = 1
    while k < len(text) and text[k] not in stop:
        k += 1
    if k == len(text) and index + 1 < len(parts):
        nxt = parts[index + 1]
        if not (type(nxt) is A.Lit and nxt.text[:1] in stop):
            return parts  # the prefix continues with a quoted or expanded part
    user = text[1:k]
    if user and not _valid_tilde_user(user):
        return parts
    tilde = A.Tilde(user, line=lit.line, col=lit.col)
    rest = text[k:]
    new = [tilde]
    if rest:
        new.append(A.Lit(rest, line=lit.line, col=lit.col + k))
    return parts[:index] + new + parts[index + 1:]


def _valid_tilde_user(user: str) -> bool:
    if user in ("+", "-"):
        return True
    if user[0] in "+-" and user[1:].isdigit():
        return True
    return not any(ch in user for ch in "*?[]{}$")


def _assignment_tildes(parts: list) -> list:
    """In name=value words, a tilde after the first `=` or after any `:` in the value
    is expanded too (bash does this even for ordinary arguments that look like this)."""
    first = parts[0]
    if type(first) is not A.Lit or "=" not in first.text:
        return parts
    out: list = []
    seen_eq = False
    for idx, part in enumerate(parts):
        if type(part) is not A.Lit or not ("~" in part.text):
            if type(part) is A.Lit and not seen_eq and "=" in part.text:
                seen_eq = True
            out.append(part)
            continue
        text = part.text
        starts = []
        for k, ch in enumerate(text):
            if ch == "=" and not seen_eq:
                seen_eq = True
            elif not (ch == ":" and seen_eq):
                continue
            if text[k + 1:k + 2] == "~":
                starts.append(k + 1)
        if not starts:
            out.append(part)
            continue
        next_part = parts[idx + 1] if idx + 1 < len(parts) else None
        prev = 0
        for k in starts:
            end = k + 1
            while end < len(text) and text[end] not in "/:":
                end += 1
            user = text[k + 1:end]
            quoted_follows = end == len(text) and next_part is not None and not (
                type(next_part) is A.Lit and next_part.text[:1] in "/:")
            if quoted_follows or (user and not _valid_tilde_user(user)):
                continue
            if k > prev:
                out.append(A.Lit(text[prev:k], line=part.line, col=part.col + prev))
            out.append(A.Tilde(user, line=part.line, col=part.col + k))
            prev = end
        if prev < len(text):
            out.append(A.Lit(text[prev:], line=part.line, col=part.col + prev))
    return out
