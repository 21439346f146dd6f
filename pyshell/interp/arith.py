"""Arithmetic evaluation with bash semantics: 64-bit signed wraparound, variables whose
values are themselves expressions (evaluated recursively), array elements, assignment
operators, short-circuit && || ?: (the skipped side is not evaluated).

The parser (pyshell.syntax.arith) gives a tuple tree; here each tree is compiled once
into nested closures (cached by text), so a loop body's `i < n` costs one dict lookup
plus a few calls per evaluation.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pyshell.errors import FatalShellError, ShellError
from pyshell.interp.state import VarError
from pyshell.syntax.arith import ArithSyntaxError, parse

_MASK = (1 << 64) - 1
_SIGN = 1 << 63
_MAX_DEPTH = 1024


class ArithError(ShellError):
    """An arithmetic error with bash's full text: `expr: msg (error token is "tok")`."""


class _EvalError(Exception):
    def __init__(self, message: str, token: str):
        self.message = message
        self.token = token


def wrap(v: int) -> int:
    """Reduce to a signed 64-bit value."""
    if -_SIGN <= v < _SIGN:
        return v
    v &= _MASK
    return v - (1 << 64) if v & _SIGN else v


_depth = [0]  # nesting of variables whose values are evaluated as expressions


def _value_of(text: str, state) -> int:
    """The numeric value of a variable's text (an expression itself)."""
    if not text:
        return 0
    if text.isdigit() and text.isascii() and (text[0] != "0" or len(text) == 1):
        return int(text)
    return _nested(text.lstrip(" \t\n"), state)


def _nested(text: str, state) -> int:
    _depth[0] += 1
    try:
        return _evaluate(text, state, _depth[0])
    finally:
        _depth[0] -= 1


def _subscript_key(state, name: str, sub: str):
    if state.is_assoc(name):
        return sub
    return _nested(sub, state) if sub.strip() else 0


def _read_scalar(name: str, state) -> int:
    """The numeric value of variable `name` as an operand."""
    # hot path: a plain variable holding a decimal number
    var = state.lookup(name, False)
    if var is not None and not var.attrs:
        value = var.value
        if value.__class__ is str and value.isdigit() and value.isascii() \
                and (value[0] != "0" or len(value) == 1):
            return int(value)
    value = state.get(name)
    if value is None:
        if "nounset" in state.options:
            raise FatalShellError(f"{name}: unbound variable")
        return 0
    return _value_of(value, state)


def _compile_var(node):
    _, name, sub, errtok = node
    if sub is None:
        def get(state):
            if state is None:
                return 0
            return _read_scalar(name, state)

        def put(state, value):
            if state is not None:
                _assign_scalar(state, name, value)
        return get, put

    if sub in ("@", "*"):
        def get(state):
            if state is None:
                return 0
            arr = state.get_array(name)
            if not arr:
                return 0
            return _value_of(arr[min(arr)] if not state.is_assoc(name)
                             else next(iter(arr.values())), state)

        def put(state, value):
            if state is not None:
                raise _EvalError("bad array subscript", errtok)
        return get, put

    def get(state):
        if state is None:
            return 0
        key = _subscript_key(state, name, sub)
        arr = state.get_array(name)
        if arr is None:
            if "nounset" in state.options:
                raise FatalShellError(f"{name}: unbound variable")
            return 0
        if isinstance(key, int) and key < 0:
            keys = [k for k in arr if isinstance(k, int)]
            key += (max(keys) + 1) if keys else 0
        value = arr.get(key)
        return 0 if value is None else _value_of(value, state)

    def put(state, value):
        if state is None:
            return
        key = _subscript_key(state, name, sub)
        _assign_element(state, name, key, value)
    return get, put


def _assign_scalar(state, name: str, value: int) -> None:
    try:
        state.set(name, str(value))
    except VarError as exc:
        raise _EvalError(exc.message, None)


def _assign_element(state, name: str, key, value: int) -> None:
    try:
        state.set_element(name, key, str(value))
    except VarError as exc:
        raise _EvalError(exc.message, None)


def _divide(a: int, b: int, errtok: str) -> int:
    if b == 0:
        raise _EvalError("division by 0", errtok)
    q = abs(a) // abs(b)
    return wrap(q if (a < 0) == (b < 0) else -q)


def _modulo(a: int, b: int, errtok: str) -> int:
    if b == 0:
        raise _EvalError("division by 0", errtok)
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def _power(a: int, b: int, errtok: str) -> int:
    if b < 0:
        raise _EvalError("exponent less than 0", errtok)
    if a in (0, 1) or b == 0:
        return 1 if b == 0 else a
    if a == -1:
        return -1 if b & 1 else 1
    return wrap(pow(a, b, 1 << 64))


def _shift_left(a: int, b: int) -> int:
    return wrap(a << (b & 63))


def _shift_right(a: int, b: int) -> int:
    return a >> (b & 63)


_BINARY = {
    "+": lambda a, b: wrap(a + b),
    "-": lambda a, b: wrap(a - b),
    "*": lambda a, b: wrap(a * b),
    "<": lambda a, b: int(a < b),
    ">": lambda a, b: int(a > b),
    "<=": lambda a, b: int(a <= b),
    ">=": lambda a, b: int(a >= b),
    "==": lambda a, b: int(a == b),
    "!=": lambda a, b: int(a != b),
    "&": lambda a, b: a & b,
    "|": lambda a, b: a | b,
    "^": lambda a, b: a ^ b,
    "<<": _shift_left,
    ">>": _shift_right,
}
_CHECKED = {"/": _divide, "%": _modulo, "**": _power}


def _binop(op: str, errtok: str):
    fn = _BINARY.get(op)
    if fn is not None:
        return fn
    checked = _CHECKED[op]
    return lambda a, b: checked(a, b, errtok)


def _compile(node):
    kind = node[0]
    if kind == "num":
        value = wrap(node[1])
        return lambda ctx: value
    if kind == "var":
        return _compile_var(node)[0]
    if kind == "lvar":
        return lambda ctx: 0
    if kind == "bin":
        _, op, left, right, errtok = node
        lf, rf = _compile(left), _compile(right)
        fn = _binop(op, errtok)
        if op == "+":
            return lambda ctx: wrap(lf(ctx) + rf(ctx))
        if op == "<":
            return lambda ctx: int(lf(ctx) < rf(ctx))
        if op in ("/", "%"):
            def divide(ctx):
                a, b = lf(ctx), rf(ctx)
                if ctx is None and b == 0:
                    return 0  # bash ignores division by 0 in a skipped branch
                return fn(a, b)
            return divide
        return lambda ctx: fn(lf(ctx), rf(ctx))
    if kind == "un":
        _, op, operand = node
        f = _compile(operand)
        if op == "-":
            return lambda ctx: wrap(-f(ctx))
        if op == "+":
            return f
        if op == "!":
            return lambda ctx: int(not f(ctx))
        return lambda ctx: ~f(ctx)
    if kind in ("pre", "post"):
        _, op, var = node
        get, put = _compile_var(var)
        delta = 1 if op == "+" else -1
        if kind == "pre":
            def pre(ctx):
                value = wrap(get(ctx) + delta)
                put(ctx, value)
                return value
            return pre

        def post(ctx):
            value = get(ctx)
            put(ctx, wrap(value + delta))
            return value
        return post
    if kind == "assign":
        _, op, var, value, errtok = node
        get, put = _compile_var(var)
        vf = _compile(value)
        if op == "=":
            def assign(ctx):
                v = vf(ctx)
                put(ctx, v)
                return v
            return assign
        fn = _binop(op[:-1], errtok)

        def update(ctx):
            old = get(ctx)
            value = vf(ctx)
            if ctx is None:
                return 0
            v = fn(old, value)
            put(ctx, v)
            return v
        return update
    # the side bash skips is still evaluated with ctx None ("noeval"): no variables, no
    # assignments, no division errors, but e.g. a negative exponent is still an error
    if kind == "and":
        lf, rf = _compile(node[1]), _compile(node[2])

        def land(ctx):
            if lf(ctx):
                return int(bool(rf(ctx)))
            rf(None)
            return 0
        return land
    if kind == "or":
        lf, rf = _compile(node[1]), _compile(node[2])

        def lor(ctx):
            if lf(ctx):
                rf(None)
                return 1
            return int(bool(rf(ctx)))
        return lor
    if kind == "cond":
        cf, yf, nf = (_compile(n) for n in node[1:])

        def ternary(ctx):
            if cf(ctx):
                value = yf(ctx)
                nf(None)
                return value
            yf(None)
            return nf(ctx)
        return ternary
    if kind == "comma":
        lf, rf = _compile(node[1]), _compile(node[2])

        def comma(ctx):
            lf(ctx)
            return rf(ctx)
        return comma
    raise AssertionError(kind)


@lru_cache(maxsize=1024)
def _compiled(text: str):
    return _compile(parse(text))


def _run_pending(pending: list, text: str, state) -> None:
    """Evaluate the operands bash had already computed before its syntax error (its
    errors, such as division by 0, are reported instead)."""
    try:
        for node in reversed(pending):
            _compile(node)(state)
    except _EvalError as exc:
        if exc.token is None:
            raise ArithError(exc.message)
        raise ArithError(f'{text}: {exc.message} (error token is "{exc.token}")')


def _evaluate(text: str, state, depth: int) -> int:
    if depth > _MAX_DEPTH:
        raise ArithError(f"{text}: expression recursion level exceeded "
                         f"(error token is \"{text}\")")
    try:
        return _compiled(text)(state)
    except ArithSyntaxError as exc:
        if exc.pending:
            _run_pending(exc.pending, text, state)
        shown = text if exc.shown is None else exc.shown
        raise ArithError(f'{shown}: {exc.message} (error token is "{exc.token}")')
    except _EvalError as exc:
        if exc.token is None:
            raise ArithError(exc.message)
        raise ArithError(f'{text}: {exc.message} (error token is "{exc.token}")')
    except RecursionError:
        raise ArithError(f"{text}: expression recursion level exceeded "
                         f"(error token is \"{text}\")")


def evaluate(text: str, state) -> int:
    """Evaluate arithmetic `text` (already expanded). Raises ArithError (a ShellError)
    with bash's message, or FatalShellError for `x: unbound variable` under set -u."""
    text = text.lstrip(" \t\n")
    if text.isdigit() and text.isascii() and (text[0] != "0" or len(text) == 1):
        return wrap(int(text))
    # `total + 17`: text made by expanding `$((total + $1))` differs on every call, so
    # the compiled-closure cache misses; evaluate the one-operator shape directly
    simple = _SIMPLE_BINARY(text)
    if simple is not None:
        left, op, right = simple.groups()
        a = int(left) if left[0] in _DIGITS else _read_scalar(left, state)
        b = int(right) if right[0] in _DIGITS else _read_scalar(right, state)
        if op == "+":
            return wrap(a + b)
        if op == "-":
            return wrap(a - b)
        return wrap(a * b)
    return _evaluate(text, state, 0)


_literal_fns: dict = {}  # arithmetic text written in the script -> its closure


def evaluate_literal(text: str, state) -> int:
    """evaluate() for text written literally in the script (`(( i < n ))`, `$((i+1))`):
    the same text comes back every time, so its compiled closure is looked up directly,
    without the checks evaluate() makes for text that varies."""
    fn = _literal_fns.get(text)
    if fn is None:
        value = evaluate(text, state)  # compiles it, or raises the error
        stripped = text.lstrip(" \t\n")
        try:
            fn = _compiled(stripped)
        except ArithSyntaxError:
            return value  # cannot happen after a successful evaluate; be safe
        if len(_literal_fns) >= 2048:
            _literal_fns.clear()
        _literal_fns[text] = fn
        return value
    try:
        return fn(state)
    except _EvalError as exc:
        stripped = text.lstrip(" \t\n")
        if exc.token is None:
            raise ArithError(exc.message)
        raise ArithError(f'{stripped}: {exc.message} (error token is "{exc.token}")')
    except RecursionError:
        stripped = text.lstrip(" \t\n")
        raise ArithError(f"{stripped}: expression recursion level exceeded "
                         f"(error token is \"{stripped}\")")


_DIGITS = frozenset("0123456789")
# name-or-decimal, one of + - *, name-or-decimal (no octal/hex/base#, no other operator)
_OPERAND = r"([A-Za-z_][A-Za-z0-9_]*|[1-9][0-9]*|0(?![0-9A-Za-z_#]))"
_SIMPLE_BINARY = re.compile(_OPERAND + r"[ \t\n]*([-+*])(?![-+*=])[ \t\n]*" + _OPERAND
                            + r"[ \t\n]*\Z").match

