"""Recursive-descent parser for bash 5.2 producing pyshell.syntax.ast nodes.

Tokens are lexed on demand at the parser's position, because what a token is depends on
where the parser is (reserved words only in command position, `((` and `[[` only there,
`name=(` only where an assignment may appear). Command substitutions are parsed by the
same parser (as bash 5.2 does), so here-documents and `case` work inside them.

The token layer is bashlex's tokenizer (subclassed in syntax/tokens.py: blanks, comments,
continuations, newlines and operators); words are read by the project's word lexer
(syntax/words.py) because they must keep their quoting; the grammar is this module's.
bashlex's own LALR grammar is not used: its actions stop at case, [[ ]], (( )), arrays and
more, and its table costs ~100 ms per process to build.

Shapes produced: a list is a Seq of SeqItem; a SeqItem holds an AndOr only when there is
an `&&`/`||`, a Pipeline only when there is a `|`, `!` or `time`; otherwise the command
node itself (Simple, If, ...).
"""
from __future__ import annotations

import gc
import re
import sys
from bisect import bisect_right

from pyshell.errors import Incomplete, ParseError
from pyshell.syntax import ast as A
from pyshell.syntax import ParseContext
from pyshell.syntax.words import OP_RE as _OP_RE, WORD_STOPS, WordLexer
from pyshell.syntax.cond import CondParser
from pyshell.syntax.tokens import ShellTokenizer

_REDIR_OPS = frozenset(("<<<", "<<-", "<<", "<&", "<>", "<", ">>", ">&", ">|", ">", "&>",
                        "&>>"))
_FD_REDIR_RE = re.compile(r"[0-9]+(?=[<>])")
_VAR_REDIR_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}(?=[<>])")
_BLANKS_RE = re.compile(r"[ \t]+")
_ASSIGN_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\[)?")

RESERVED = frozenset(("if", "then", "else", "elif", "fi", "case", "esac", "for", "select",
                      "while", "until", "do", "done", "function", "time", "{", "}", "!",
                      "[[", "]]", "coproc", "in"))
# Reserved words that can only continue a construct: an error where a command starts.
_CLOSERS = frozenset(("then", "else", "elif", "fi", "esac", "do", "done", "}", "in", "]]"))
DECL_BUILTINS = frozenset(("declare", "typeset", "local", "export", "readonly"))

W, OP, R, NL, EOF = "W", "OP", "R", "NL", "EOF"

MSG_EOF = "syntax error: unexpected end of file"
_RECURSION_LIMIT = 12000
if sys.getrecursionlimit() < _RECURSION_LIMIT:
    # Each nesting level costs a few Python frames (pure Python calls, which do not use
    # the C stack on 3.11+): allow bash-like nesting depths.
    sys.setrecursionlimit(_RECURSION_LIMIT)
MSG_EOF_PAREN = "unexpected EOF while looking for matching `)'"


class ArrayAssignError(ParseError):
    """A syntax error inside a compound array assignment. Unlike other syntax errors,
    bash goes on: the reader has already moved to the next input line, the caller prints
    the diagnostic, sets $? to `status` (1) and keeps reading commands."""
    recoverable = True
    resume_offset = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status = 1


class Token:
    __slots__ = ("kind", "value", "start", "end", "word", "fd", "varname")

    def __init__(self, kind, value, start, end, word=None, fd=None, varname=None):
        self.kind = kind
        self.value = value  # raw text for words, operator text otherwise
        self.start = start
        self.end = end
        self.word = word
        self.fd = fd
        self.varname = varname

    def __repr__(self):
        return f"Token({self.kind},{self.value!r},{self.start}-{self.end})"


class Parser(WordLexer, CondParser):
    def __init__(self, source: str, context: ParseContext | None = None, first_line: int = 1):
        self.virtual_nl = -1
        if source and not source.endswith("\n"):
            # bash reads a last line without newline as if it had one (but a final
            # backslash stays a literal character)
            self.virtual_nl = len(source)
            source += "\n"
        self.src = source
        self.n = len(source)
        self.ctx = context if context is not None else ParseContext()
        self.first_line = first_line
        self.pos = 0
        self.pending: list = []   # here-documents waiting for the next newline
        self.interactive = False  # unterminated here-documents are Incomplete
        self.spliced = 0          # characters added to the source by alias expansion
        self.cache: dict = {}
        self.memo: dict = {}      # scanned substitutions by position (see _scan_dollar)
        self.eof_stack: list = [MSG_EOF]
        self.warnings: list = []  # (line, message)
        self._nl = None
        self._alias_ends: dict = {}   # alias name -> end offset of its expansion
        self._alias_blank_end = -1    # end of the last alias text that ended in a blank
        self._heredoc_bodies: dict = {}   # newline offset -> bodies read after it
        self.tokens = ShellTokenizer(self)

    # ------------------------------------------------------------- locations

    def _newlines(self):
        nl = self._nl
        if nl is None:
            nl = []
            src = self.src
            i = src.find("\n")
            while i >= 0:
                nl.append(i)
                i = src.find("\n", i + 1)
            self._nl = nl
        return nl

    def _loc(self, pos: int) -> tuple:
        nl = self._nl
        if nl is None:
            nl = self._newlines()
        k = bisect_right(nl, pos - 1)
        start = nl[k - 1] + 1 if k else 0
        return self.first_line + k, pos - start

    def _line_text(self, pos: int) -> str:
        src = self.src
        start = src.rfind("\n", 0, pos) + 1 if pos > 0 else 0
        if pos < self.n and src[pos] == "\n" and pos > 0:
            start = src.rfind("\n", 0, pos) + 1
        end = src.find("\n", pos if pos < self.n and src[pos] != "\n" else pos)
        if end < 0:
            end = self.n
        return src[start:end]

    # ---------------------------------------------------------------- errors

    def _eof_line(self) -> int:
        return self.first_line + self.src.count("\n")

    def _eof_error(self, msg: str | None = None, start: int | None = None):
        """End of input inside a quote or expansion (msg given; bash reports the line
        where it started) or inside a construct."""
        if msg is None:
            raise Incomplete(self.eof_stack[-1], self._eof_line())
        if start is None:
            line = self.first_line + self.src.count("\n")
        else:
            line = self._loc(start)[0]
        raise Incomplete(msg, line)

    def _unexpected(self, tok: Token):
        if tok.kind == EOF:
            self._eof_error()
        text = "newline" if tok.kind == NL else tok.value
        if tok.kind == W and tok.end < self.n and self.src[tok.end] == "(" and \
                self._assignment_shape(tok):
            saved = self.pos
            try:
                self._array_items(tok.end)
                text = self.src[tok.start:self.pos]
            except ParseError:
                pass
            self.pos = saved
        at = tok.start
        if tok.kind == W:
            text = _display_token(text)
            at = max(tok.start, tok.end - 1)  # bash has read the whole word
        line = self._loc(at)[0]
        context = self._line_text(at)
        if self.pending:
            # bash reads the pending here-documents before it reports the error
            nl = self.src.find("\n", tok.start)
            if nl >= 0:
                end = self._read_heredocs(nl + 1)
                line = self._loc(end - 1)[0]
        raise ParseError(f"syntax error near unexpected token `{text}'", line, context)

    # ---------------------------------------------------------------- tokens

    def _skip(self, i: int) -> int:
        src, n = self.src, self.n
        while i < n:
            c = src[i]
            if c == " " or c == "\t":
                m = _BLANKS_RE.match(src, i)
                i = m.end()
            elif c == "\\" and i + 1 < n and src[i + 1] == "\n" and i + 1 != self.virtual_nl:
                i += 2
            elif c == "#":
                j = src.find("\n", i)
                i = n if j < 0 else j
            else:
                break
        return i

    def peek(self) -> Token:
        tok = self.cache.get(self.pos)
        if tok is None:
            tok = self._lex(self.pos)
            self.cache[self.pos] = tok
        elif self.pending and tok.kind in (NL, EOF):
            # a word was lexed again (e.g. an assignment's value): its here-documents
            # take the bodies already read after this newline
            bodies = self._heredoc_bodies.get(tok.start, ())
            for hd, body in zip(self.pending, bodies):
                hd.body = body
            self.pending = []
        return tok

    def advance(self) -> Token:
        tok = self.peek()
        self.pos = tok.end
        return tok

    def peek_at(self, pos: int) -> Token:
        saved = self.pos
        self.pos = pos
        try:
            return self.peek()
        finally:
            self.pos = saved

    def _lex(self, pos: int) -> Token:
        tok = self.tokens.token_at(pos)
        if type(tok) is Token:
            return tok
        kind, value, i, end = tok
        if kind == "op":
            return Token(R if value in _REDIR_OPS else OP, value, i, end)
        if self.pending:
            hds = self.pending
            if kind == "nl":
                end = self._read_heredocs(end)
            else:
                self._read_heredocs(end)
            self._heredoc_bodies[i] = [hd.body for hd in hds]
        if kind == "nl":
            return Token(NL, "\n", i, end)
        return Token(EOF, "", i, i)

    def word_token(self, i: int) -> Token:
        """The token that starts with a word character at i: a redirection operator with
        its fd (`2>`) or variable (`{fd}>`), or a word."""
        src = self.src
        c = src[i]
        if "0" <= c <= "9":
            m = _FD_REDIR_RE.match(src, i)
            if m and not src.startswith("(", m.end() + 1):
                op = _OP_RE.match(src, m.end()).group()
                if op in _REDIR_OPS and not op.startswith("&"):
                    return Token(R, op, i, m.end() + len(op), fd=int(m.group()))
        elif c == "{":
            m = _VAR_REDIR_RE.match(src, i)
            if m:
                op = _OP_RE.match(src, m.end()).group()
                if op in _REDIR_OPS and not op.startswith("&"):
                    return Token(R, op, i, m.end() + len(op), varname=m.group(1))
        return self._lex_word(i)

    def _lex_word(self, i: int) -> Token:
        word, end = self.read_word(i)
        if end == i:
            # a lone character no rule consumes (cannot normally happen)
            self._unexpected(Token(OP, self.src[i], i, i + 1))
        return Token(W, word.text, i, end, word)

    # ----------------------------------------------------------- here-docs

    def _read_heredocs(self, i: int) -> int:
        """Read the bodies of the pending here-documents starting at offset i."""
        src, n = self.src, self.n
        pending, self.pending = self.pending, []
        for hd in pending:
            body_start = i
            lines = []
            found = False
            while i < n:
                j = src.find("\n", i)
                end = n if j < 0 else j
                text = src[i:end]
                check = text.lstrip("\t") if hd.strip_tabs else text
                i = end + 1 if j >= 0 else n
                if not hd.quoted:
                    # backslash-newline joins lines before the delimiter test
                    while check.endswith("\\") and i < n and \
                            (len(check) - len(check.rstrip("\\"))) % 2 == 1:
                        j = src.find("\n", i)
                        end = n if j < 0 else j
                        check = check[:-1] + src[i:end]
                        i = end + 1 if j >= 0 else n
                if check == hd.delimiter:
                    found = True
                    break
                lines.append(check + ("\n" if j >= 0 else ""))
            if not found:
                if self.interactive:
                    # the REPL reads more lines until the delimiter arrives
                    raise Incomplete(MSG_EOF, self._eof_line())
                line = self.first_line - 1 + src.count("\n")
                self._warn(line, "warning: here-document at line %d delimited by "
                           "end-of-file (wanted `%s')" % (hd.line, hd.delimiter))
            text = "".join(lines)
            body_line = self._loc(body_start)[0]
            if hd.quoted:
                parts = [A.Lit(text, line=body_line, col=0)] if text else []
            else:
                parts = self._scan_heredoc_body(text, body_line) if text else []
            hd.body = A.Word(parts, text, line=body_line, col=0)
        return i

    def _warn(self, line: int, message: str):
        self.warnings.append((line, message))
        on_warning = getattr(self.ctx, "warn", None)
        if on_warning is not None:
            on_warning(line, message)

    # ------------------------------------------------------------ sub-parsers

    def _sub_parser(self, text: str, first_line: int) -> "Parser":
        sub = Parser(text, self.ctx, first_line)
        sub.eof_stack = list(self.eof_stack)
        return sub

    def _parse_backquote_body(self, text: str, pos: int) -> A.Seq:
        line = self._loc(pos)[0]
        sub = self._sub_parser(text, line)
        sub.eof_stack.append(MSG_EOF)
        seq = sub._compound_list((), allow_empty=True, eof_ok=True)
        tok = sub.peek()
        if tok.kind != EOF:
            sub._unexpected(tok)
        self.warnings.extend(sub.warnings)
        return seq

    def _parse_cmdsub(self, pos: int) -> tuple:
        """Parse `$(` body starting at `pos` up to its `)`. Returns (Seq, end)."""
        saved_pos, saved_pending = self.pos, self.pending
        self.pos = pos
        self.pending = []
        self.eof_stack.append(MSG_EOF_PAREN)
        try:
            seq = self._compound_list((")",), allow_empty=True)
            tok = self.peek()
            if tok.kind != OP or tok.value != ")":
                self._unexpected(tok)
            return seq, tok.end
        except ParseError as exc:
            exc.cmdsub_depth = getattr(exc, "cmdsub_depth", 0) + 1
            raise
        finally:
            self.eof_stack.pop()
            self.pos = saved_pos
            if self.pending:
                # bash reads their bodies after the line holding the substitution
                self._warn(self._loc(pos)[0], "warning: command substitution: %d unterminated "
                           "here-document" % len(self.pending))
                saved_pending.extend(self.pending)
            self.pending = saved_pending

    # ------------------------------------------------------------------ lists

    def _skip_newlines(self):
        while True:
            tok = self.peek()
            if tok.kind != NL:
                return tok
            self.pos = tok.end

    def parse_top(self):
        """One top-level command: the and-or lists of one input line. None at EOF."""
        tok = self._skip_newlines()
        if tok.kind == EOF:
            return None
        line, col = self._loc(tok.start)
        items = []
        while True:
            cmd = self._and_or()
            tok = self.peek()
            item = A.SeqItem(cmd, line=getattr(cmd, "line", line), col=getattr(cmd, "col", col))
            items.append(item)
            if tok.kind == OP and tok.value in (";", "&"):
                self.pos = tok.end
                item.background = tok.value == "&"
                tok = self.peek()
                if tok.kind in (NL, EOF):
                    if tok.kind == NL:
                        self.pos = tok.end
                    break
                continue
            if tok.kind == NL:
                self.pos = tok.end
                break
            if tok.kind == EOF:
                break
            self._unexpected(tok)
        return A.Seq(items, line=line, col=col)

    def _compound_list(self, closers: tuple, allow_empty: bool = False,
                       eof_ok: bool = False) -> A.Seq:
        """Commands up to (not including) a closing reserved word or operator."""
        tok = self._skip_newlines()
        line, col = self._loc(tok.start)
        items = []
        while True:
            if tok.kind == EOF:
                if eof_ok:
                    break
                self._eof_error()
            if tok.kind == W and self.ctx.aliases and self._maybe_alias(tok):
                tok = self.peek()
                continue
            if (tok.kind == W or tok.kind == OP) and tok.value in closers:
                break
            cmd = self._and_or()
            item = A.SeqItem(cmd, line=getattr(cmd, "line", line), col=getattr(cmd, "col", col))
            items.append(item)
            tok = self.peek()
            if tok.kind == OP and tok.value in (";", "&"):
                self.pos = tok.end
                item.background = tok.value == "&"
                tok = self._skip_newlines()
                continue
            if tok.kind == NL:
                tok = self._skip_newlines()
                continue
            if tok.kind == EOF and eof_ok:
                break
            if (tok.kind == W or tok.kind == OP) and tok.value in closers:
                break
            self._unexpected(tok)
        if not items and not allow_empty:
            self._unexpected(tok)
        return A.Seq(items, line=line, col=col)

    def _and_or(self):
        first = self._pipeline()
        tok = self.peek()
        if tok.kind != OP or tok.value not in ("&&", "||"):
            return first
        commands = [first]
        ops = []
        while tok.kind == OP and tok.value in ("&&", "||"):
            self.pos = tok.end
            ops.append(tok.value)
            self._skip_newlines()
            commands.append(self._pipeline())
            tok = self.peek()
        return A.AndOr(commands, ops, line=first.line, col=first.col)

    def _pipeline(self):
        tok = self.peek()
        line, col = self._loc(tok.start)
        negate = False
        timed = posix = prefixed = False
        if tok.kind == W and self.ctx.aliases:
            while self._maybe_alias(tok):
                tok = self.peek()
        while tok.kind == W and tok.value in ("!", "time"):
            prefixed = True
            if tok.value == "!":
                negate = not negate
                self.pos = tok.end
            else:
                timed = True
                self.pos = tok.end
                tok = self.peek()
                if tok.kind == W and tok.value == "-p":
                    posix = True
                    self.pos = tok.end
                # `time --` is accepted by bash as well
            tok = self.peek()
        if prefixed and (tok.kind in (NL, EOF) or (tok.kind == OP and tok.value == ";")):
            return A.Pipeline([], negate, [], timed, posix, line=line, col=col)
        cmd = self._command()
        tok = self.peek()
        if tok.kind != OP or tok.value not in ("|", "|&"):
            if prefixed:
                return A.Pipeline([cmd], negate, [], timed, posix, line=line, col=col)
            return cmd
        commands = [cmd]
        stderr = []
        while tok.kind == OP and tok.value in ("|", "|&"):
            self.pos = tok.end
            stderr.append(tok.value == "|&")
            self._skip_newlines()
            commands.append(self._command())
            tok = self.peek()
        return A.Pipeline(commands, negate, stderr, timed, posix, line=line, col=col)

    # --------------------------------------------------------------- commands

    def _command(self):
        tok = self.peek()
        if tok.kind == W:
            if self.ctx.aliases and self._maybe_alias(tok):
                return self._command()
            value = tok.value
            if value in RESERVED:
                method = _COMPOUND.get(value)
                if method is not None:
                    return method(self, tok)
                if value in _CLOSERS or value == "!":
                    self._unexpected(tok)
                if value == "time":  # after `|`: times the rest of the pipeline
                    return self._pipeline()
            nxt = self.peek_at(tok.end)
            if nxt.kind == OP and nxt.value == "(" and not self._assignment_shape(tok):
                return self._funcdef(tok, tok)
            return self._simple()
        if tok.kind == R:
            return self._simple()
        if tok.kind == OP and tok.value == "(":
            if tok.end < self.n and self.src[tok.end] == "(":
                node = self._arith_cmd(tok)
                if node is not None:
                    return self._redirects_after(node)
            return self._subshell(tok)
        self._unexpected(tok)

    def _redirects_after(self, node):
        tok = self.peek()
        if tok.kind == R:
            while tok.kind == R:
                node.redirs.append(self._redirect())
                tok = self.peek()
        elif tok.kind == OP and tok.value == "(" and self.src.startswith("(", tok.end):
            self._dparen_after_command(tok)
        return node

    def _dparen_after_command(self, tok: Token):
        """`((` right after a compound command's last word (`fi`, `done`, `}`, `)`, `))`,
        `]]`, `esac`): where a reserved word would be acceptable bash lexes it as an
        arithmetic command, so the error names its text (or EOF inside it); when the
        parentheses close as a nested subshell the caller reports `(`."""
        end = self._arith_end(tok.start + 2)
        if end is not None:
            text = _display_token(self.src[tok.start + 2:end])
            self._unexpected(Token(OP, text, end + 1, end + 2))

    def _subshell(self, tok):
        line, col = self._loc(tok.start)
        self.pos = tok.end
        body = self._compound_list((")",))
        close = self.peek()
        if close.kind != OP or close.value != ")":
            self._unexpected(close)
        self.pos = close.end
        return self._redirects_after(A.Subshell(body, line=line, col=col))

    def _arith_cmd(self, tok):
        start = tok.start + 2
        end = self._arith_end(start)
        if end is None:
            return None
        line, col = self._loc(tok.start)
        expr = self._arith_word(start, end)
        self.pos = end + 2
        return A.ArithCmd(expr, line=line, col=col)

    def _expect_word(self, value: str) -> Token:
        tok = self.peek()
        if tok.kind != W or tok.value != value:
            self._unexpected(tok)
        self.pos = tok.end
        return tok

    def _brace_group(self, tok):
        line, col = self._loc(tok.start)
        self.pos = tok.end
        body = self._compound_list(("}",))
        self._expect_word("}")
        return self._redirects_after(A.BraceGroup(body, line=line, col=col))

    def _if(self, tok):
        line, col = self._loc(tok.start)
        self.pos = tok.end
        clauses = []
        else_body = None
        clause_tok = tok
        while True:
            cond = self._compound_list(("then",))
            self._expect_word("then")
            body = self._compound_list(("elif", "else", "fi"))
            cl, cc = self._loc(clause_tok.start)
            clauses.append(A.IfClause(cond, body, line=cl, col=cc))
            nxt = self.peek()
            self.pos = nxt.end
            if nxt.value == "elif":
                clause_tok = nxt
                continue
            if nxt.value == "else":
                else_body = self._compound_list(("fi",))
                self._expect_word("fi")
            break
        return self._redirects_after(A.If(clauses, else_body, line=line, col=col))

    def _while(self, tok):
        line, col = self._loc(tok.start)
        self.pos = tok.end
        cond = self._compound_list(("do",))
        body = self._do_group()
        node = A.While(cond, body, until=tok.value == "until", line=line, col=col)
        return self._redirects_after(node)

    def _do_group(self, allow_brace: bool = False):
        tok = self.peek()
        if allow_brace and tok.kind == W and tok.value == "{":
            self.pos = tok.end
            body = self._compound_list(("}",))
            self._expect_word("}")
            return body
        self._expect_word("do")
        body = self._compound_list(("done",))
        self._expect_word("done")
        return body

    def _for(self, tok):
        line, col = self._loc(tok.start)
        self.pos = tok.end
        nxt = self.peek()
        if tok.value == "for" and nxt.kind == OP and nxt.value == "(" and \
                nxt.end < self.n and self.src[nxt.end] == "(":
            return self._arith_for(nxt, line, col)
        if nxt.kind != W:
            self._unexpected(nxt)
        var = nxt.value
        self.pos = nxt.end
        words = self._in_words()
        body = self._do_group(allow_brace=True)
        cls = A.For if tok.value == "for" else A.Select
        return self._redirects_after(cls(var, words, body, line=line, col=col))

    def _in_words(self):
        """After `for NAME`: [newlines] in words (; | newline) [newlines], or
        [; | newlines] (no `;` after a newline)."""
        before = self.pos
        tok = self._skip_newlines()
        words = None
        if tok.kind == W and tok.value == "in":
            self.pos = tok.end
            words = []
            tok = self.peek()
            while tok.kind == W:
                words.append(tok.word)
                self.pos = tok.end
                tok = self.peek()
            if tok.kind == OP and tok.value == ";":
                self.pos = tok.end
            elif tok.kind != NL:
                self._unexpected(tok)
            self._skip_newlines()
        elif tok.kind == OP and tok.value == ";" and self._skip(before) == tok.start:
            self.pos = tok.end
            self._skip_newlines()
        return words

    def _arith_for(self, tok, line, col):
        start = tok.start + 2
        end = self._arith_end(start)
        if end is None:
            self._unexpected(tok)
        # split at the two top-level semicolons
        src = self.src
        cuts = []
        depth = 0
        i = start
        while i < end:
            c = src[i]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            elif c == ";" and depth == 0:
                cuts.append(i)
            elif c == "$" and i + 1 < end and src[i + 1] in "({[":
                _, i = self._scan_dollar(i)
                continue
            i += 1
        bounds = [(start, end)] if not cuts else \
            [(start, cuts[0])] + [(a + 1, b) for a, b in zip(cuts, cuts[1:] + [end])]
        exprs = [self._arith_word(a, b) if src[a:b].strip() else None for a, b in bounds]
        self.pos = end + 2
        nxt = self.peek()
        if nxt.kind == OP and nxt.value == ";":
            self.pos = nxt.end
        self._skip_newlines()
        body = self._do_group(allow_brace=True)
        if len(exprs) != 3:
            # bash splits the header when it reduces the whole command, after the body
            lno = self._loc(tok.start)[0]
            message = "arithmetic expression required" if len(exprs) < 3 else "`;' unexpected"
            raise ParseError("syntax error: " + message, lno, None,
                             followups=[(lno, "syntax error: `((%s))'" % src[start:end])])
        node = A.ArithFor(exprs[0], exprs[1], exprs[2], body, line=line, col=col)
        return self._redirects_after(node)

    def _case(self, tok):
        line, col = self._loc(tok.start)
        self.pos = tok.end
        wtok = self.peek()
        if wtok.kind != W:
            self._unexpected(wtok)
        self.pos = wtok.end
        self._skip_newlines()
        self._expect_word("in")
        items = []
        tok = self._skip_newlines()
        while True:
            if tok.kind == W and tok.value == "esac":
                self.pos = tok.end
                break
            il, ic = self._loc(tok.start)
            if tok.kind == OP and tok.value == "(":
                self.pos = tok.end
                tok = self.peek()
            patterns = []
            while True:
                if tok.kind != W:
                    self._unexpected(tok)
                patterns.append(self._unbraced(tok))
                self.pos = tok.end
                tok = self.peek()
                if tok.kind == OP and tok.value == "|":
                    self.pos = tok.end
                    tok = self.peek()
                    continue
                break
            if tok.kind != OP or tok.value != ")":
                self._unexpected(tok)
            self.pos = tok.end
            body = self._compound_list(("esac", ";;", ";&", ";;&"), allow_empty=True)
            tok = self.peek()
            term = ";;"
            if tok.kind == OP:
                term = tok.value
                self.pos = tok.end
                tok = self._skip_newlines()
            items.append(A.CaseItem(patterns, body if body.items else None, term,
                                    line=il, col=ic))
        return self._redirects_after(A.Case(self._unbraced(wtok), items, line=line, col=col))

    def _unbraced(self, tok: Token) -> A.Word:
        """The token's word without brace expansion (case words and patterns)."""
        if "{" not in tok.value:
            return tok.word
        return self.read_word(tok.start, braces=False)[0]

    def _function(self, tok):
        self.pos = tok.end
        name_tok = self.peek()
        if name_tok.kind != W:
            self._unexpected(name_tok)
        self.pos = name_tok.end
        nxt = self.peek()
        if nxt.kind == OP and nxt.value == "(":
            after = self.peek_at(nxt.end)
            if after.kind == OP and after.value == ")":
                return self._funcdef(tok, name_tok)
            # `function f (cmd)`: the parenthesis opens a subshell body
        return self._funcdef_body(tok, name_tok)

    def _funcdef(self, start_tok, name_tok):
        """At `name` of `name ( )` or after `function name`, positioned before `(`."""
        self.pos = name_tok.end
        self.advance()  # (
        close = self.peek()
        if close.kind != OP or close.value != ")":
            self._unexpected(close)
        self.pos = close.end
        return self._funcdef_body(start_tok, name_tok)

    def _funcdef_body(self, start_tok, name_tok):
        tok = self._skip_newlines()
        if tok.kind == W and self.ctx.aliases:
            self._maybe_alias(tok)
            tok = self.peek()
        ok = (tok.kind == W and tok.value in _COMPOUND and tok.value not in
              ("function", "coproc", "time", "!")) or (tok.kind == OP and tok.value == "(")
        if not ok:
            self._unexpected(tok)
        body = self._command()
        redirs = []
        if getattr(body, "redirs", None):
            redirs, body.redirs = body.redirs, []
        line, col = self._loc(start_tok.start)
        source = self.src[start_tok.start:self.pos].rstrip(" \t")
        return A.FuncDef(name_tok.value, body, redirs, source, line=line, col=col)

    def _coproc(self, tok):
        line, col = self._loc(tok.start)
        self.pos = tok.end
        nxt = self.peek()
        name = "COPROC"
        if nxt.kind == W and nxt.value not in RESERVED:
            after = self.peek_at(nxt.end)
            if (after.kind == W and after.value in _COMPOUND and after.value not in
                    ("function", "coproc", "time", "!")) or (after.kind == OP and after.value == "("):
                name = nxt.value
                self.pos = nxt.end
        body = self._command()
        return A.Coproc(name, body, line=line, col=col)

    def _cond(self, tok):
        line, col = self._loc(tok.start)
        self.pos = tok.end
        expr = self.parse_cond()
        return self._redirects_after(A.CondCmd(expr, line=line, col=col))

    # --------------------------------------------------------- simple command

    def _assignment_shape(self, tok: Token):
        """(name, subscript (start, end) or None, append, value_start) or None."""
        text = tok.value
        m = _ASSIGN_RE.match(text)
        if not m:
            return None
        i = m.end()
        sub = None
        if m.group(2):
            depth = 0
            j = i
            while j < len(text):
                c = text[j]
                if c == "\\":
                    j += 2
                    continue
                if c == "[":
                    depth += 1
                elif c == "]":
                    if depth == 0:
                        break
                    depth -= 1
                j += 1
            else:
                return None
            sub = (tok.start + i, tok.start + j)
            i = j + 1
        append = False
        if text.startswith("+=", i):
            append = True
            i += 1
        if not text.startswith("=", i):
            return None
        return m.group(1), sub, append, tok.start + i + 1

    def _wide_subscript(self, tok: Token) -> Token:
        """Where an assignment may appear, bash reads `name[` up to the matching `]`
        with blanks included (`a[i + 1]=x`). Returns the widened token, or `tok`."""
        m = _ASSIGN_RE.match(tok.value)
        if not m or not m.group(2):
            return tok
        close = self._subscript_end(tok.start + m.end())
        if close is None:
            return tok
        k = close + 1
        if self.src.startswith("+=", k):
            k += 1
        if not self.src.startswith("=", k):
            return tok
        rest, end = self.read_word(close + 1)
        line, col = self._loc(tok.start)
        head = A.Lit(self.src[tok.start:close + 1], line=line, col=col)
        text = self.src[tok.start:end]
        word = A.Word([head] + rest.parts, text, line=line, col=col)
        wide = Token(W, text, tok.start, end, word)
        self.cache[tok.start] = wide
        return wide

    def _assignment(self, tok: Token, shape) -> A.Assign:
        name, sub, append, vstart = shape
        line, col = self._loc(tok.start)
        subscript = self._arith_word(sub[0], sub[1], subscript=True) if sub else None
        node = A.Assign(name, None, subscript, append, line=line, col=col)
        self.pos = tok.end
        if vstart == tok.end and tok.end < self.n and self.src[tok.end] == "(":
            # (with a subscript, bash accepts the syntax and fails when it runs:
            # "a[1]: cannot assign list to array member")
            try:
                node.array = self._array_items(tok.end)
            except ParseError as exc:
                raise self._array_error(exc) from None
            return node
        node.value = self._assign_value(vstart, tok.end, tok.word)
        return node

    def _array_error(self, exc: ParseError) -> "ArrayAssignError":
        """bash reports a syntax error inside `name=( ... )`, drops the rest of that input
        line and goes on with the next one (status 1)."""
        depth = getattr(exc, "cmdsub_depth", 0)
        if depth and not isinstance(exc, Incomplete):
            return exc  # bash stops there as for any other syntax error
        if self.interactive and isinstance(exc, Incomplete):
            return exc  # more input lines may complete it
        err = ArrayAssignError(exc.message, exc.line, exc.context, exc.col, exc.followups)
        if isinstance(exc, Incomplete):
            err.resume_offset = self.n
            # bash then also hits the end of input once per enclosing `$(`
            if not exc.message.endswith("`)'"):
                err.followups.append((self._eof_line() + depth, MSG_EOF))
            elif depth:
                err.followups.append((self._eof_line(), MSG_EOF))
        else:
            nl = self._newlines()
            k = exc.line - self.first_line
            err.resume_offset = nl[k] + 1 if k < len(nl) else self.n
        return err

    def _assign_value(self, start: int, end: int, token_word: A.Word | None = None) -> A.Word:
        from pyshell.syntax.words import _assignment_tildes
        if start == end:
            line, col = self._loc(start)
            return A.Word([], "", line=line, col=col)
        if token_word is not None:
            # Common case: `name=` lies inside the token's first literal part and the
            # value has no brace (not expanded in assignments): reuse the lexed parts.
            parts = token_word.parts
            prefix = start - (end - len(token_word.text))
            head = parts[0] if parts else None
            if type(head) is A.Lit and len(head.text) >= prefix and \
                    "{" not in token_word.text:
                rest = head.text[prefix:]
                line, col = self._loc(start)
                value = ([A.Lit(rest, line=line, col=col)] if rest else []) + parts[1:]
                return A.Word(value, self.src[start:end], line=line, col=col)
        parts, wend = self._scan_parts(start, WORD_STOPS, extglob=self.ctx.extglob)
        line, col = self._loc(start)
        word = A.Word(parts, self.src[start:wend], line=line, col=col)
        if parts and type(parts[0]) is A.Lit and "~" in self.src[start:end]:
            first = parts[0]
            fake = [A.Lit("=" + first.text, line=first.line, col=first.col - 1)] + parts[1:]
            fixed = _assignment_tildes(fake)
            head = fixed[0]
            if type(head) is A.Lit:
                rest = head.text[1:]
                fixed = ([A.Lit(rest, line=head.line, col=head.col + 1)] if rest else []) + fixed[1:]
            word.parts = fixed
        return word

    def _array_items(self, pos: int) -> list:
        """Items of name=( ... ); pos at `(`. Leaves self.pos after `)`."""
        src, n = self.src, self.n
        items = []
        i = pos + 1
        while True:
            i = self._skip(i)
            while i < n and src[i] == "\n":
                i = self._skip(i + 1)
            if i >= n:
                self._eof_error(MSG_EOF_PAREN, start=pos)
            c = src[i]
            if c == ")":
                self.pos = i + 1
                return items
            if c in ";&|(<>" and not (c in "<>" and src.startswith("(", i + 1)):
                tok = self._lex(i)
                self._unexpected(tok)
            if c == "[":
                # A word that starts with `[` here starts with a subscript: bash reads up
                # to its matching `]`, blanks and all (`[key]=value`, or a word `[a b]x`)
                close = self._subscript_end(i + 1)
                if close is None:
                    # an open quote or substitution inside reports itself first
                    self._scan_parts(i + 1, "", extglob=self.ctx.extglob)
                    self._eof_error("unexpected EOF while looking for matching `]'", start=i)
                k = close + 1
                append = src.startswith("+=", k)
                if append:
                    k += 1
                if src.startswith("=", k):
                    value, end = self.read_word(k + 1)
                    line, col = self._loc(i)
                    item = A.ArrayItem(self._assign_value(k + 1, end), append=append,
                                       line=line, col=col)
                    item.key = self._arith_word(i + 1, close, subscript=True)
                    items.append(item)
                    i = end
                    continue
                word, end = self._bracketed_word(i, close)
                items.append(A.ArrayItem(word, line=word.line, col=word.col))
                i = end
                continue
            word, end = self.read_word(i)
            items.append(A.ArrayItem(word, line=word.line, col=word.col))
            i = end

    def _bracketed_word(self, i: int, close: int) -> tuple:
        """A compound-array word whose `[...]` (src[i:close + 1]) is literal text up to
        its `]`, blanks and newlines included, with expansions and quotes still active;
        the word goes on after it as usual."""
        n = self.n
        self.n = close + 1   # bound the scan: nothing stops it inside the brackets
        try:
            parts, _ = self._scan_parts(i, "", extglob=self.ctx.extglob)
        finally:
            self.n = n
        end = close + 1
        if end < n and self.src[end] not in WORD_STOPS:
            more, end = self._scan_parts(end, WORD_STOPS, extglob=self.ctx.extglob)
            parts += more
        text = self.src[i:end]
        line, col = self._loc(i)
        return A.Word(self._post_process(parts, text, False, True), text,
                      line=line, col=col), end

    def _simple(self):
        tok = self.peek()
        line, col = self._loc(tok.start)
        assigns, words, redirs = [], [], []
        decl = {}
        is_decl = False
        lineno = None  # the line bash gives the command (its LINENO), see below
        while True:
            if lineno is None and (assigns or redirs):
                # bash numbers a command whose first element is an assignment or a
                # redirection by the line where that element ends
                lineno = self._loc(self.pos - 1)[0]
            if tok.kind == R:
                redirs.append(self._redirect())
            elif tok.kind == W:
                if not words and "[" in tok.value and "=" not in tok.value:
                    tok = self._wide_subscript(tok)
                if not words:
                    shape = self._assignment_shape(tok)
                    if shape is not None:
                        assigns.append(self._assignment(tok, shape))
                        tok = self.peek()
                        continue
                    if (assigns or redirs) and self.ctx.aliases and self._maybe_alias(tok):
                        tok = self.peek()
                        continue
                    is_decl = tok.value in DECL_BUILTINS
                elif is_decl:
                    shape = self._assignment_shape(tok)
                    if shape is not None:
                        words.append(tok.word)
                        decl[len(words) - 1] = self._assignment(tok, shape)
                        tok = self.peek()
                        continue
                words.append(tok.word)
                self.pos = tok.end
                if lineno is None:
                    # ... and one that starts with a word by the line where the token
                    # after that word ends (bash's parser reads it before it builds the
                    # command)
                    nxt = self.peek()
                    at = nxt.start if nxt.kind != W else max(nxt.start, nxt.end - 1)
                    lineno = self._loc(min(at, self.n - 1))[0]
            else:
                break
            tok = self.peek()
            if self._alias_blank_end >= 0 and tok.kind == W and \
                    self._skip(self._alias_blank_end) == tok.start:
                # an alias ending in a blank makes the next word a candidate too
                self._alias_blank_end = -1
                if self._maybe_alias(tok):
                    tok = self.peek()
        if tok.kind == OP and tok.value == "(" and (words or assigns):
            self._unexpected(tok)
        if lineno is None:
            lineno = self._loc(max(self.pos - 1, 0))[0] if (assigns or redirs) else line
        return A.Simple(assigns, words, redirs, decl, line=lineno, col=col)

    def _redirect(self) -> A.Redir:
        tok = self.advance()
        line, col = self._loc(tok.start)
        node = A.Redir(tok.value, fd=tok.fd, varname=tok.varname, line=line, col=col)
        target = self.peek()
        if target.kind != W:
            self._unexpected(target)
        self.pos = target.end
        if tok.value in ("<<", "<<-"):
            raw = target.value
            quoted = any(ch in raw for ch in "'\"\\")
            delim = _remove_quotes(raw) if quoted else raw
            hd = A.HereDoc(delim, None, quoted, tok.value == "<<-", line=line, col=col)
            node.heredoc = hd
            self.pending.append(hd)
        else:
            node.target = target.word
        return node

    # ---------------------------------------------------------------- aliases

    def _maybe_alias(self, tok: Token) -> bool:
        """Expand an alias at command position by splicing its text into the source."""
        name = tok.value
        value = self.ctx.aliases.get(name)
        if value is None or "=" in name or any(c in name for c in "'\"\\$`/"):
            return False
        active_end = self._alias_ends.get(name)
        if active_end is not None and tok.start < active_end:
            return False
        self._splice(tok.start, tok.end, value)
        end = tok.start + len(value)
        self._alias_ends[name] = end
        if value.endswith((" ", "\t")):
            self._alias_blank_end = end
        return True

    def _splice(self, start: int, end: int, text: str):
        delta = len(text) - (end - start)
        self.spliced += delta
        if self.virtual_nl >= end:
            self.virtual_nl += delta
        self.src = self.src[:start] + text + self.src[end:]
        self.n = len(self.src)
        self.tokens.set_source(self.src, self.virtual_nl)
        self.cache = {}
        self.memo = {}
        self._nl = None
        for k, v in list(self._alias_ends.items()):
            if v > start:
                self._alias_ends[k] = v + delta


_ANSI_DISPLAY = {"\a": "\\a", "\b": "\\b", "\x1b": "\\E", "\f": "\\f", "\n": "\\n",
                 "\r": "\\r", "\t": "\\t", "\v": "\\v", "\\": "\\\\", "'": "\\'"}


def _display_token(text: str) -> str:
    """A word as bash shows it in `near unexpected token`: $'...' already decoded into
    '...', and the whole token written $'...' when it holds control characters."""
    if "$'" in text:
        from pyshell.syntax.escapes import decode_ansi
        out = []
        i = 0
        while i < len(text):
            if text.startswith("$'", i):
                j = i + 2
                while j < len(text) and text[j] != "'":
                    j += 2 if text[j] == "\\" else 1
                out.append("'" + decode_ansi(text[i + 2:j]) + "'")
                i = j + 1
            elif text[i] == "\\":
                out.append(text[i:i + 2])
                i += 2
            elif text[i] == "'":
                j = text.find("'", i + 1)
                j = len(text) if j < 0 else j
                out.append(text[i:j + 1])
                i = j + 1
            else:
                out.append(text[i])
                i += 1
        text = "".join(out)
    if any(ord(c) < 32 or c == "\x7f" for c in text):
        return "$'" + "".join(_ANSI_DISPLAY.get(c) or
                              ("\\%03o" % ord(c) if ord(c) < 32 or c == "\x7f" else c)
                              for c in text) + "'"
    return text


def _ends_with_continuation(text: str) -> bool:
    """Does the text end with an unescaped backslash-newline?"""
    body = text[:-1] if text.endswith("\n") else text
    return (len(body) - len(body.rstrip("\\"))) % 2 == 1


def _remove_quotes(raw: str) -> str:
    out = []
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c == "\\" and i + 1 < n:
            out.append(raw[i + 1])
            i += 2
        elif c == "'":
            j = raw.find("'", i + 1)
            j = n if j < 0 else j
            out.append(raw[i + 1:j])
            i = j + 1
        elif c == '"':
            i += 1
            while i < n and raw[i] != '"':
                if raw[i] == "\\" and i + 1 < n and raw[i + 1] in '"\\$`':
                    i += 1
                out.append(raw[i])
                i += 1
            i += 1
        elif c == "$" and i + 1 < n and raw[i + 1] in "'\"":
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


_COMPOUND = {
    "{": Parser._brace_group,
    "if": Parser._if,
    "while": Parser._while,
    "until": Parser._while,
    "for": Parser._for,
    "select": Parser._for,
    "case": Parser._case,
    "function": Parser._function,
    "coproc": Parser._coproc,
    "[[": Parser._cond,
}


# ------------------------------------------------------------------- public API

class CommandReader:
    """Reads one top-level command at a time from a source text."""

    def __init__(self, source: str, context: ParseContext | None = None, first_line: int = 1,
                 interactive: bool = False):
        self.source = source
        self.parser = Parser(source, context, first_line)
        self.parser.interactive = interactive
        self.interactive = interactive

    @property
    def warnings(self) -> list:
        return self.parser.warnings

    @property
    def offset(self) -> int:
        """Offset in the (original) source just after the last command read."""
        p = self.parser
        return min(p.pos - p.spliced, len(self.source))

    def seek(self, offset: int) -> None:
        """Continue reading at `offset` (a value of `offset` seen before)."""
        p = self.parser
        p.pos = offset + p.spliced
        p.pending = []
        p.cache = {}

    def next_command(self):
        p = self.parser
        p.cache = {}
        p._alias_ends = {}
        if self.interactive and p.pos < p.n and _ends_with_continuation(p.src):
            # a trailing backslash-newline asks for a continuation line
            raise Incomplete(MSG_EOF, p._eof_line())
        p.memo = {}
        # A parse allocates many small objects that all survive (the tree): pausing the
        # cyclic collector meanwhile saves ~30% of the parse time and creates no cycles.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            return p.parse_top()
        except ArrayAssignError as exc:
            self.seek(exc.resume_offset)
            raise
        except RecursionError:
            line = p._loc(min(p.pos, p.n))[0]
            raise ParseError("syntax error: nesting too deep", line, None) from None
        finally:
            if gc_was_enabled:
                gc.enable()


def parse(source: str, context: ParseContext | None = None, first_line: int = 1) -> A.Seq:
    """Parse a whole text; returns one Seq holding every top-level command's items."""
    reader = CommandReader(source, context, first_line)
    items = []
    while (seq := reader.next_command()) is not None:
        items.extend(seq.items)
    return A.Seq(items, line=first_line, col=0)
