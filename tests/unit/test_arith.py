"""Arithmetic evaluation compared with /usr/bin/bash: values and error messages."""
import pytest

from fakesh import bash
from pyshell.interp.arith import ArithError, evaluate
from pyshell.interp.state import State

EXPRESSIONS = [
    "1+2*3", "-2**2", "++5", "2**63", "7 % -3", "-7 / 2", "9223372036854775807+1",
    "-9223372036854775808/-1", "1<<64", "1<<65", "-8>>1", "x=3, x*=2, x", "5 > 3 ? 10 : 20",
    "0 && 1/0", "1 || 1/0", "0 ? 1/0 : 2", "a=b=3", "64#@_", "36#Z", "0X1F", "010", "2#101",
    "0x", "~5", "!0", "3 & 5 | 8 ^ 1", "1 < 2 == 1", "1?2:3?4:5", "x=1,y=x++ + ++x",
    "x=5, x<<=2", "a[2]=7, a[2]*3", "3**40", " 1+ 2", "(2+3)*4", "x=7, x%=4, x^=1",
    # errors
    "1/0 + 5", "12abc", "x++ 2", "1 +  ", "x+", "()", "-", "!", "37#Z", "1 ? : 3", "1 ,",
    "1 $ 2", "5++", "x--5", "x**=3", "a/=0", "1 = 2", "x[", "2#", "08", "1#1", "2#1#1",
    "2**-1", "2 ** -1 + 3", "1 + 09 ", "2#9 + 1", "1 ? 2",
    # bash evaluates while parsing: skipped branches, errors after computed operands
    "0 && 2**-1", "1 ? 2 : 3/0", "1 || x=5", "10 / y=2", "1/0 2", "x=3 ? 1 : 2 +",
    "99999999999999999999", "0xffffffffffffffffff",
]


@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_matches_bash(expr):
    out, err, status = bash(f"echo $(({expr}))")
    try:
        mine = str(evaluate(expr, State())) + "\n"
        assert (mine, 0) == (out, status)
    except ArithError as exc:
        assert status == 1
        assert "pywarmsh: " + exc.message + "\n" == err


def test_variables_are_expressions():
    st = State()
    st.set("a", "b+1")
    st.set("b", "4")
    assert evaluate("a*2", st) == 10
    st.set("c", "1+")
    with pytest.raises(ArithError, match=r"^1\+: syntax error: operand expected"):
        evaluate("c", st)


def test_assignment_updates_state():
    st = State()
    assert evaluate("i=5, i++, i", st) == 6
    assert st.get("i") == "6"
    evaluate("arr[3]=9", st)
    assert st.get_array("arr") == {3: "9"}
