"""Hypothesis round-trips: words built from random quoting pieces lex back into exactly
those pieces, and ${...} operators into their operator and operands."""
from hypothesis import given, settings, strategies as st

from pyshell.syntax import ast as A
from tests.parser.helpers import first

PLAIN = st.text(alphabet="abcXYZ019_./-%+:@^", min_size=1, max_size=6)
QUOTABLE = st.text(alphabet="ab c*?[]$`\\\"|&;<>(){}#~", max_size=6)


@st.composite
def pieces(draw):
    kind = draw(st.sampled_from(["plain", "sq", "dq", "esc", "ansi"]))
    if kind == "plain":
        text = draw(PLAIN)
        return text, ("Lit", text)
    if kind == "sq":
        text = draw(QUOTABLE.filter(lambda t: "'" not in t))
        return f"'{text}'", ("SQ", text)
    if kind == "dq":
        text = draw(st.text(alphabet="ab c*?[]|&;<>(){}#~'", max_size=6))
        return f'"{text}"', ("DQ", text)
    if kind == "esc":
        ch = draw(st.sampled_from(list(" $'\"*?[;&|<>(){}#~`\\")))
        return "\\" + ch, ("Escaped", ch)
    text = draw(st.text(alphabet="abc xyz", max_size=5))
    return f"$'{text}\\n'", ("ANSI", text + "\n")


def _expected(items):
    out = []
    for kind, text in items:
        if kind == "Lit" and out and out[-1][0] == "Lit":
            out[-1] = ("Lit", out[-1][1] + text)
        else:
            out.append((kind, text))
    return out


def _actual(parts):
    got = []
    for p in parts:
        if type(p) is A.DQ:
            got.append(("DQ", "".join(x.text for x in p.parts)))
        else:
            got.append((type(p).__name__, p.text))
    return got


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(pieces(), min_size=1, max_size=6))
def test_quoting_pieces_round_trip(items):
    source = "".join(src for src, _ in items)
    cmd = first("echo " + source + " end")
    assert [w.text for w in cmd.words] == ["echo", source, "end"]
    assert _actual(cmd.words[1].parts) == _expected([exp for _, exp in items])


OPS = [":-", "-", ":=", "=", ":?", "?", ":+", "+", "#", "##", "%", "%%", "^", "^^", ",", ",,"]


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(OPS), st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,5}", fullmatch=True),
       st.text(alphabet="ab*?. -", max_size=5))
def test_param_operator_round_trip(op, name, operand):
    if op in ("#", "%", "^", ",") and operand[:1] == op:
        operand = "x" + operand  # `${x##...}` would be the doubled operator
    p = first(f"echo ${{{name}{op}{operand}}}").words[1].parts[0]
    assert (p.name, p.op, p.arg.text) == (name, op, operand)
