"""pyshell/syntax/escapes.py against bash itself: random escape sequences decoded as
$'...' (ansi), by echo -e (echo) and by printf %b (b); bytes must be identical."""
from __future__ import annotations

import random
import shutil
import subprocess

import pytest

from pyshell.syntax.escapes import decode

BASH = shutil.which("bash")
PIECES = ["\\a", "\\b", "\\e", "\\E", "\\f", "\\n", "\\r", "\\t", "\\v", "\\\\", "\\'",
          '\\"', "\\?", "\\0", "\\01", "\\101", "\\0101", "\\377", "\\8", "\\x", "\\x4",
          "\\x41", "\\xe9", "\\xZ", "\\u", "\\u00e9", "\\u20ac", "\\U0001F600", "\\U",
          "\\cA", "\\c?", "\\c1", "\\z", "a", "é", "\\303\\251", "\\351", " ", "x"]


def _cases(seed: int, count: int = 150) -> list:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 5)))
        out.append(text)
    return out


def _bash_outputs(cases: list, mode: str) -> list:
    """What bash writes for each case (one bash per case: outputs may hold NUL bytes)."""
    out = []
    for text in cases:
        quoted = "'" + text.replace("'", "'\\''") + "'"
        if mode == "ansi":
            command = f"printf '%s' $'{text}'"
        elif mode == "echo":
            command = f"echo -ne {quoted}"
        else:
            command = f"printf '%b' {quoted}"
        out.append(subprocess.run([BASH, "-c", command], capture_output=True,
                                  check=True).stdout)
    return out


@pytest.mark.skipif(BASH is None, reason="bash is not installed: no oracle")
@pytest.mark.parametrize("mode", ["echo", "b"])
def test_echo_and_printf_b_match_bash(mode):
    cases = _cases(7 if mode == "echo" else 8)
    expected = _bash_outputs(cases, mode)
    for text, want in zip(cases, expected):
        got, stopped = decode(text, mode)
        assert got.encode("utf-8", "surrogateescape") == want, (text, got, want)


@pytest.mark.skipif(BASH is None, reason="bash is not installed: no oracle")
def test_ansi_c_strings_match_bash():
    cases = [c for c in _cases(9) if "\\'" not in c]   # a \' would end the test's quoting
    expected = _bash_outputs(cases, "ansi")
    for text, want in zip(cases, expected):
        assert decode(text, "ansi")[0].encode("utf-8", "surrogateescape") == want, text
