"""Random arithmetic expressions (fixed seed) evaluated by pywarmsh and by one bash run:
values and error messages must agree."""
import random
import subprocess

from pyshell.interp.arith import ArithError, evaluate
from pyshell.interp.state import State

_OPS = ["+", "-", "*", "/", "%", "**", "<<", ">>", "<", ">", "<=", ">=", "==", "!=", "&",
        "|", "^", "&&", "||", ","]
_UNARY = ["-", "+", "!", "~"]
_ATOMS = ["0", "1", "7", "13", "255", "0x1f", "017", "2#101", "36#z", "x", "y", "z",
          "9223372036854775807", "-3", "a[1]", "a[2]"]


def _expr(rng, depth=0):
    r = rng.random()
    if depth > 3 or r < 0.3:
        atom = rng.choice(_ATOMS)
        return rng.choice(_UNARY) + atom if rng.random() < 0.15 else atom
    if r < 0.4:
        return "(" + _expr(rng, depth + 1) + ")"
    if r < 0.47:
        return f"{_expr(rng, depth + 1)} ? {_expr(rng, depth + 1)} : {_expr(rng, depth + 1)}"
    if r < 0.52:
        return rng.choice(["x", "y", "a[1]"]) + rng.choice(["=", "+=", "*=", "-="]) + \
            _expr(rng, depth + 1)
    if r < 0.55:
        return rng.choice(["x++", "++y", "z--", "--x"])
    return f"{_expr(rng, depth + 1)} {rng.choice(_OPS)} {_expr(rng, depth + 1)}"


def _setup(st):
    st.set("x", "5")
    st.set("y", "x*2")
    st.set("z", "-4")
    st.set_array("a", {1: "3", 2: "y+1"})


def test_random_expressions_match_bash():
    rng = random.Random(20261124)
    exprs = [_expr(rng) for _ in range(500)]
    script = ["x=5 y='x*2' z=-4 a=([1]=3 [2]='y+1')"]
    for e in exprs:
        script.append(f"( echo \"$(( {e} ))\" ) 2>&1 | sed 's/^bash: line [0-9]*: //'")
    out = subprocess.run(["bash", "-c", "\n".join(script)], capture_output=True,
                         text=True).stdout.splitlines()
    assert len(out) == len(exprs)
    mismatches = []
    for e, expected in zip(exprs, out):
        st = State()
        _setup(st)
        try:
            mine = str(evaluate(f" {e} ", st))
        except ArithError as exc:
            mine = exc.message
        if mine != expected:
            mismatches.append((e, mine, expected))
    assert mismatches == []
