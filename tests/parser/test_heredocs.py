"""Here-document bodies as bash reads them, checked against bash running `cat`."""
import shutil
import subprocess

import pytest

from pyshell.syntax import ast as A
from pyshell.syntax.parser import parse

BASH = shutil.which("bash")

CASES = [
    "cat <<EOF\nabc\\\nEOF\nEOF\n",
    "cat <<EOF\na\\\\b \\$x \\` \\\" \\n\nEOF\n",
    "cat <<'EOF'\na\\\nb\nEOF\n",
    "cat <<-EOF\n\t\tx\n\t  y\n\tEOF\n",
    "cat <<EOF\n  EOF\nEOF\n",
    "cat <<E\"O\"F\n$unset_var\nEOF\n",
    "cat <<EOF; cat <<EOF\none\nEOF\ntwo\nEOF\n",
    "cat <<EOF\nx\nEOF \nEOF\n",
    "cat <<\\EOF\n\\$y\nEOF\n",
    "cat <<EOF\n${unset_var:-\"q\"} $'s' \"d\"\nEOF\n",
    "cat <<EOF\n`broken\nEOF\n",
]


def render(parts) -> str:
    """Body text with unset variables expanded to nothing (enough for these cases)."""
    out = []
    for p in parts:
        if type(p) is A.Lit:
            out.append(p.text)
        elif type(p) is A.Param and p.op == ":-":
            out.append(render(p.arg.parts))
        elif type(p) is A.DQ:
            out.append(render(p.parts))
        elif type(p) is not A.Param:
            out.append(f"<{type(p).__name__}>")
    return "".join(out)


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
@pytest.mark.parametrize("script", CASES)
def test_heredoc_body_matches_bash(script):
    if "`broken" in script:
        pytest.skip("bash reports the bad substitution at run time; checked below")
    expected = subprocess.run([BASH, "-c", script], capture_output=True, text=True,
                              env={"PATH": "/usr/bin:/bin"}).stdout
    seq = parse(script)
    got = "".join(render(r.heredoc.body.parts) for item in seq.items
                  for r in item.command.redirs)
    assert got == expected


def test_malformed_expansion_in_body_is_not_a_syntax_error():
    seq = parse(CASES[-1])
    body = seq.items[0].command.redirs[0].heredoc.body
    assert body.text == "`broken\n"
