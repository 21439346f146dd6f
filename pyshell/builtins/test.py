"""test and [: POSIX argument-count rules, then bash's recursive grammar for longer
expressions (! -a -o ( ) and every unary/binary operator)."""
from __future__ import annotations

from pyshell.builtins import builtin
from pyshell.errors import ShellError
from pyshell.interp import cond

_TEST_BINOPS = cond.BINARY_OPS


class _Syntax(Exception):
    pass


class _Test:
    def __init__(self, sh, args):
        self.sh = sh
        self.args = args
        self.pos = 0

    # --------------------------------------------------------------- helpers
    def fail(self, msg: str):
        raise _Syntax(msg)

    def is_unop(self, s: str) -> bool:
        return s in cond.UNARY_OPS

    def unary(self, op: str, arg: str) -> bool:
        return cond.unary(self.sh, op, arg)

    def binary(self, op: str, a: str, b: str) -> bool:
        if op in ("-eq", "-ne", "-lt", "-le", "-gt", "-ge"):
            for x in (a, b):
                try:
                    cond.to_int(x)
                except ShellError:
                    self.fail(f"{x}: integer expression expected")
        return cond.binary(self.sh, op, a, b)

    # ------------------------------------------------- argument-count rules
    def one(self, i: int) -> bool:
        return self.args[i] != ""

    def two(self, i: int) -> bool:
        a = self.args
        if a[i] == "!":
            return a[i + 1] == ""
        if len(a[i]) == 2 and a[i][0] == "-":
            if self.is_unop(a[i]):
                return self.unary(a[i], a[i + 1])
        self.fail(f"{a[i]}: unary operator expected")

    def three(self, i: int) -> bool:
        a = self.args
        if a[i + 1] in _TEST_BINOPS:
            return self.binary(a[i + 1], a[i], a[i + 2])
        if a[i + 1] in ("-a", "-o"):
            if a[i + 1] == "-a":
                return self.one(i) and self.one(i + 2)
            return self.one(i) or self.one(i + 2)
        if a[i] == "!":
            return not self.two(i + 1)
        if a[i] == "(" and a[i + 2] == ")":
            return self.one(i + 1)
        self.fail(f"{a[i + 1]}: binary operator expected")

    def four(self) -> bool:
        a = self.args
        if a[0] == "!":
            return not self.three(1)
        if a[0] == "(" and a[3] == ")":
            return self.two(1)
        return self.full()

    def run(self) -> bool:
        n = len(self.args)
        if n == 0:
            return False
        if n == 1:
            return self.one(0)
        if n == 2:
            return self.two(0)
        if n == 3:
            return self.three(0)
        if n == 4:
            return self.four()
        return self.full()

    # ------------------------------------------------------ full grammar
    def full(self) -> bool:
        value = self.expr_or()
        if self.pos != len(self.args):
            self.fail("too many arguments")
        return value

    def expr_or(self) -> bool:
        value = self.expr_and()
        if self.pos < len(self.args) and self.args[self.pos] == "-o":
            self.pos += 1
            right = self.expr_or()
            return value or right
        return value

    def expr_and(self) -> bool:
        value = self.term()
        if self.pos < len(self.args) and self.args[self.pos] == "-a":
            self.pos += 1
            right = self.expr_and()
            return value and right
        return value

    def term(self) -> bool:
        a = self.args
        n = len(a)
        if self.pos >= n:
            self.fail("argument expected")
        s = a[self.pos]
        if s == "!":
            self.pos += 1
            return not self.term()
        if s == "(":
            self.pos += 1
            value = self.expr_or()
            if self.pos >= n or a[self.pos] != ")":
                self.fail("`)' expected")
            self.pos += 1
            return value
        if self.pos + 3 <= n and a[self.pos + 1] in _TEST_BINOPS:
            value = self.binary(a[self.pos + 1], s, a[self.pos + 2])
            self.pos += 3
            return value
        if len(s) == 2 and s[0] == "-":
            if not self.is_unop(s):
                self.fail(f"{s}: unary operator expected")
            if self.pos + 1 >= n:
                self.fail("argument expected")
            value = self.unary(s, a[self.pos + 1])
            self.pos += 2
            return value
        self.pos += 1
        return s != ""


# the common three-argument forms, decided without building a parser object
_INT_COMPARE = {"-eq": int.__eq__, "-ne": int.__ne__, "-lt": int.__lt__,
                "-le": int.__le__, "-gt": int.__gt__, "-ge": int.__ge__}


def _is_plain_int(text: str) -> bool:
    return text.isdigit() and text.isascii() and len(text) < 19


def _run(sh, name: str, args: list) -> int:
    if len(args) == 3:
        left, op, right = args
        compare = _INT_COMPARE.get(op)
        if compare is not None:
            if _is_plain_int(left) and _is_plain_int(right):
                return 0 if compare(int(left), int(right)) else 1
        elif op == "=" or op == "==":
            return 0 if left == right else 1
        elif op == "!=":
            return 0 if left != right else 1
    try:
        return 0 if _Test(sh, args).run() else 1
    except _Syntax as exc:
        sh.error(f"{name}: {exc}")
        return 2
    except ShellError as exc:
        sh.error(f"{name}: {exc.message}")
        return 2


@builtin("test")
def test(sh, argv) -> int:
    return _run(sh, "test", argv[1:])


@builtin("[")
def bracket(sh, argv) -> int:
    if argv[-1] != "]":
        sh.error("[: missing `]'")
        return 2
    return _run(sh, "[", argv[1:-1])
