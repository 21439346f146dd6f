"""Arithmetic expression parser: text (already expanded) -> a small tuple tree.

Follows bash's expr.c closely: a recursive-descent parser that reads tokens lazily,
so syntax errors are found in the same order and report the same "error token"
(the text from the start of the last token read to the end of the expression).

Tree nodes (tuples, first item is the kind):
    ("num", value)
    ("var", name, subscript_text_or_None, errtok)
    ("lvar", ...)              a name right before `=`: its value reads as 0, as in bash
    ("pre", "+"|"-", var)      ++x / --x
    ("post", "+"|"-", var)     x++ / x--
    ("un", op, operand)        - + ! ~
    ("bin", op, left, right, errtok)   errtok: text after the operator (division by 0)
    ("and", l, r)  ("or", l, r)  ("cond", c, a, b)  ("comma", l, r)
    ("assign", op, var, value, errtok) op: = += -= *= /= %= <<= >>= &= ^= |=
    ("error", message, errtok) a number that is not valid (reported when evaluated
                               in bash order: numbers are converted when read)
"""
from __future__ import annotations

from functools import lru_cache


class ArithSyntaxError(Exception):
    """A parse error: `message` is bash's text, `token` the error token text."""

    def __init__(self, message: str, token: str, shown: str | None = None):
        super().__init__(message)
        self.message = message
        self.token = token
        # bash evaluates while it parses: the complete operands to the left of the
        # error (outermost first once reversed) run before the error is reported
        self.pending = []
        # for a bad integer constant bash shows the expression only up to that constant
        self.shown = shown


_WS = " \t\n\r\f\v"
_ASSIGN_OPS = {"=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|="}
# two/three-character operators, longest first
_OPS3 = ("<<=", ">>=")
_OPS2 = ("**", "<=", ">=", "==", "!=", "&&", "||", "<<", ">>", "+=", "-=", "*=", "/=",
         "%=", "&=", "^=", "|=")
_OPS1 = set("+-*/%<>=!~&^|?:(),")
_EOF = "EOF"


def _digit_value(c: str, base: int) -> int:
    if "0" <= c <= "9":
        return ord(c) - 48
    if "a" <= c <= "z":
        return ord(c) - 87
    if "A" <= c <= "Z":
        return ord(c) - 55 if base <= 36 else ord(c) - 29
    if c == "@":
        return 62
    return 63  # "_"


def convert_number(text: str) -> int:
    """bash's strlong: decimal, 0octal, 0xhex, base#digits. Raises ValueError(message)."""
    if text.isdigit() and (text[0] != "0" or len(text) == 1):
        return int(text)
    base = 10
    i = 0
    if text[0] == "0":
        if len(text) > 1 and text[1] in "xX":
            base, i = 16, 2
        else:
            base = 8
    value = 0
    digits = 0
    found_base = False
    for c in text[i:]:
        if c == "#":
            if found_base:
                raise ValueError("invalid number")
            if value < 2 or value > 64:
                raise ValueError("invalid arithmetic base")
            base, value, found_base = value, 0, True
            digits = 0
            continue
        digits += 1
        d = _digit_value(c, base)
        if d >= base:
            raise ValueError("value too great for base")
        value = value * base + d
    if found_base and not digits:
        raise ValueError("invalid integer constant")
    return value


def _is_name_start(c: str) -> bool:
    return c == "_" or ("a" <= c <= "z") or ("A" <= c <= "Z")


def _is_name_char(c: str) -> bool:
    return c == "_" or c.isascii() and c.isalnum()


class _Parser:
    __slots__ = ("text", "pos", "tok", "val", "tokstart", "lasttp", "prev")

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.lasttp = 0
        self.tok = None
        self.prev = None
        self.val = None
        self.tokstart = 0

    # -------------------------------------------------------------- tokens
    def error(self, message: str, at: int | None = None):
        start = self.lasttp if at is None else at
        raise ArithSyntaxError(message, self.text[start:])

    def next(self) -> None:
        text = self.text
        n = len(text)
        p = self.pos
        while p < n and text[p] in _WS:
            p += 1
        self.prev = self.tok
        if p >= n:
            self.pos = p
            self.tok = _EOF
            return
        self.lasttp = self.tokstart = p
        c = text[p]
        if _is_name_start(c):
            q = p + 1
            while q < n and _is_name_char(text[q]):
                q += 1
            name = text[p:q]
            sub = None
            if q < n and text[q] == "[":
                depth, r = 0, q
                while r < n:
                    if text[r] == "[":
                        depth += 1
                    elif text[r] == "]":
                        depth -= 1
                        if depth == 0:
                            break
                    r += 1
                if r >= n:
                    self.pos = n
                    self.error("bad array subscript", p)
                sub = text[q + 1:r]
                q = r + 1
            self.pos = q
            self.tok = "STR"
            # bash does not evaluate a name followed by `=` (an assignment's target)
            r = q
            while r < n and text[r] in _WS:
                r += 1
            lvalue = r + 1 < n and text[r] == "=" and text[r + 1] != "=" or \
                r + 1 == n and text[r] == "="
            self.val = (name, sub, text[p:], lvalue)
            return
        if "0" <= c <= "9":
            q = p + 1
            while q < n and (_is_name_char(text[q]) or text[q] in "#@"):
                q += 1
            self.pos = q
            word = text[p:q]
            try:
                self.val = convert_number(word)
                self.tok = "NUM"
            except ValueError as exc:
                raise ArithSyntaxError(str(exc), word, text[:q])
            return
        three = text[p:p + 3]
        if three in _OPS3:
            self.pos = p + 3
            self.tok = three
            return
        two = text[p:p + 2]
        if two in ("++", "--"):
            if self.tok == "STR":
                self.pos = p + 2
                self.tok = "POST" + c
                return
            q = p + 2
            while q < n and text[q] in _WS:
                q += 1
            if q < n and _is_name_start(text[q]):
                self.pos = p + 2
                self.tok = "PRE" + c
                return
            self.pos = p + 1
            self.tok = c
            return
        if two in _OPS2:
            self.pos = p + 2
            self.tok = two
            return
        if c in _OPS1:
            self.pos = p + 1
            self.tok = c
            return
        self.pos = p + 1
        self.error("syntax error: invalid arithmetic operator", p)

    def rest_after_op(self) -> str:
        """bash's error token for division by zero: the text after the operator."""
        p = self.pos
        text = self.text
        while p < len(text) and text[p] in _WS:
            p += 1
        return text[p:]

    # ------------------------------------------------------------- grammar
    @staticmethod
    def _after(done, step):
        """Run a parse step; if it fails, the already parsed `done` is evaluated first."""
        try:
            return step()
        except ArithSyntaxError as exc:
            exc.pending.append(done)
            raise

    def parse(self):
        self.next()
        if self.tok == _EOF:
            return ("num", 0)
        node = self.comma()
        if self.tok != _EOF:
            self._after(node, lambda: self.error("syntax error in expression"))
        return node

    def comma(self):
        node = self.assign()
        while self.tok == ",":
            self.next()
            node = ("comma", node, self._after(node, self.assign))
        return node

    def assign(self):
        node = self.cond()
        tok = self.tok
        if tok in _ASSIGN_OPS:
            if node[0] not in ("var", "lvar") or self.prev != "STR":
                self._after(node, lambda: self.error("attempted assignment to non-variable"))
            node = ("var",) + node[1:]
            errtok = self.rest_after_op()
            self.next()
            value = self.assign()
            return ("assign", tok, node, value, errtok)
        return node

    def cond(self):
        node = self.lor()
        if self.tok == "?":
            return self._after(node, lambda: self._cond_rest(node))
        return node

    def _cond_rest(self, node):
        self.next()
        if self.tok in (_EOF, ":"):
            self.error("expression expected")
        yes = self.comma()
        if self.tok != ":":
            self.error("`:' expected for conditional expression")
        self.next()
        if self.tok == _EOF:
            self.error("expression expected")
        no = self._after(("cond", node, yes, ("num", 0)), self.cond)
        return ("cond", node, yes, no)

    def lor(self):
        node = self.land()
        while self.tok == "||":
            self.next()
            node = ("or", node, self._after(node, self.land))
        return node

    def land(self):
        node = self.bor()
        while self.tok == "&&":
            self.next()
            node = ("and", node, self._after(node, self.bor))
        return node

    def _binary(self, ops, sub):
        node = sub()
        while self.tok in ops:
            op = self.tok
            errtok = self.rest_after_op()
            self.next()
            node = ("bin", op, node, self._after(node, sub), errtok)
        return node

    def bor(self):
        return self._binary(("|",), self.bxor)

    def bxor(self):
        return self._binary(("^",), self.band)

    def band(self):
        return self._binary(("&",), self.eq)

    def eq(self):
        return self._binary(("==", "!="), self.rel)

    def rel(self):
        return self._binary(("<", ">", "<=", ">="), self.shift)

    def shift(self):
        return self._binary(("<<", ">>"), self.add)

    def add(self):
        return self._binary(("+", "-"), self.mul)

    def mul(self):
        return self._binary(("*", "/", "%"), self.power)

    def power(self):
        node = self.unary()
        if self.tok == "**":
            self.next()
            right = self._after(node, self.power)
            # bash reports a negative exponent at the last token read
            node = ("bin", "**", node, right, self.text[self.lasttp:])
        return node

    def unary(self):
        tok = self.tok
        if tok in ("!", "~", "-", "+"):
            self.next()
            return ("un", tok, self.unary())
        return self.primary()

    def primary(self):
        tok = self.tok
        if tok in ("PRE+", "PRE-"):
            self.next()
            if self.tok != "STR":
                self.error("identifier expected after pre-increment or pre-decrement")
            name, sub, errtok, _ = self.val
            self.next()
            return ("pre", tok[3], ("var", name, sub, errtok))
        if tok == "(":
            self.next()
            node = self.comma()
            if self.tok != ")":
                self.error("missing `)'")
            self.next()
            return node
        if tok == "NUM":
            value = self.val
            self.next()
            return ("num", value)
        if tok == "STR":
            name, sub, errtok, lvalue = self.val
            node = ("lvar" if lvalue else "var", name, sub, errtok)
            self.next()
            if self.tok in ("POST+", "POST-"):
                node = ("post", self.tok[4], node)
                self.next()
            return node
        self.error("syntax error: operand expected")


@lru_cache(maxsize=1024)
def parse(text: str):
    """Parse an arithmetic expression. Raises ArithSyntaxError."""
    return _Parser(text).parse()
