"""echo, printf and test/[ compared with /usr/bin/bash (stdout, stderr, status)."""
import shlex

import pytest

import pyshell.builtins.io  # noqa: F401  (registers the builtins)
import pyshell.builtins.test  # noqa: F401
from fakesh import FakeSh, bash
from pyshell.builtins import BUILTINS

PRINTF = [
    ["%d\n", "abc", "12abc", " 7", "0x1f", "010", "'A", "7 ", "0x", "-5", "+3"],
    ["%5.2f|%-4d|%04x|%+d|%e|%g\n", "3.14159", "7", "255", "5", "12345.678", "0.0001"],
    ["%q\n", "a b", "", "it's", "~x", "a~b", "#a", "x,y", "a\nb", "é"],
    ["%s %s\n", "a", "b", "c"], ["%z\n", "1"], [], ["%u %o %x\n", "-1", "-1", "-1"],
    ["%c|%5s|%.1s\n", "hello", "hi", "xyz"], ["\\101\\x41\\u00e9\n"],
    ["%*d|%-*s|\n", "5", "42", "4", "ab"], ["%d\n", "99999999999999999999"],
    ["%i %d\n", "1.5"], ["%s\n"], ["%5%|\n"], ["%.3d|%#o|%#x\n", "5", "8", "255"],
    ["%b|\n", "x\\cy", "z"], ["a\\cb\\n"], ["%s\\n", "a\\tb"], ["%b\n", "a\\tb\\0101\\101"],
    ["%-5s|%5.1s|\n", "ab", "xyz"], ["%s=%d\n", "a", "1", "b"], ['x\\"y\\q\\?\n'],
    ["%f %.2e %G\n", "1e3", "abc", "1.5x"], ["%(%Y)T\n", "0"], ["-x"],
]
ECHO = [["-n", "-e", "a\\tb"], ["--", "x"], ["-e", "a\\cb", "c"], ["-ne"], ["-x", "y"],
        ["-e", "\\0101\\x41x"], [], ["-E", "a\\nb"], ["-nn", "-"], ["-e", "\\u263a\\U0001F600"]]
TEST = [
    "[ a", "[ a = ]", "test a -eq 1", "[ 1 -eq a ]", "test a b", "test a b c", "[ -x ]",
    "[ = ]", "test ! a b", "test a b c d", "test a -a b -o c d", "[ ( a ]", "[ -f ]",
    "test -q a", "[ 1 -lt 2 -a 3 -gt 2 ]", 'test " 5 " -eq 5', "test !", "test -n",
    "[ a -a ]", '[ "" -o a ]', "test a = b = c", "[ ! ! a ]", "test -e /tmp -a ! -f /tmp",
    "[ ]", "[ ( ) ]", "[ a == a ]", "test 3 -gt", "[ -z a b ]", "test ( a b )",
    "test 1 -eq 1 1", "test ( a = a ) -a ( -d / )", "test -d /tmp -o", "test ( a",
    "test a \\< b", "test /etc/passwd -nt /nonexist", 'test -z "" -a -n x -a ! -e /nope',
    "test -o errexit", "test ! -o", "[ -e ]", "test a -lt", "test -1 -lt 1",
]


def _compare(argv, stdin=""):
    sh = FakeSh()
    status = BUILTINS[argv[0]](sh, argv)
    expected = bash(" ".join(shlex.quote(a) for a in argv), stdin=stdin)
    assert (sh.out[1], sh.out[2], status) == expected


@pytest.mark.parametrize("args", PRINTF)
def test_printf(args):
    _compare(["printf", *args])


@pytest.mark.parametrize("args", ECHO)
def test_echo(args):
    _compare(["echo", *args])


@pytest.mark.parametrize("line", TEST)
def test_test(line):
    _compare(shlex.split(line))


def test_printf_v_assigns():
    sh = FakeSh()
    assert BUILTINS["printf"](sh, ["printf", "-v", "out", "%s-%d", "a", "7"]) == 0
    assert sh.state.get("out") == "a-7" and sh.out[1] == ""


def test_printf_floats_like_bash_long_double():
    """%f %e %g %E %G with random flags/widths/precisions: bash reads the argument into
    a long double, so e.g. %.2f of 2.675 is 2.68."""
    import random
    rng = random.Random(11)
    cases = []
    for _ in range(250):
        r = rng.random()
        if r < 0.3:
            v = str(rng.randint(-10 ** 6, 10 ** 6))
        elif r < 0.6:
            v = f"{rng.uniform(-1000, 1000):.{rng.randint(0, 8)}f}"
        elif r < 0.8:
            v = f"{rng.uniform(1, 9):.3f}e{rng.randint(-30, 30)}"
        else:
            v = rng.choice(["0", "-0", "0.5", "2.5", "2.675", "99.95", "0.05", "1e-5",
                            "123456789", "9.9999999", ".5", "5.", "1e100", "-1e-100"])
        flags = "".join(rng.sample("-+ #0", rng.randint(0, 2)))
        fmt = "%" + flags + rng.choice(["", "8", "15"]) + \
            rng.choice(["", ".0", ".1", ".3", ".10", ".20"]) + rng.choice("feEgG")
        cases.append((fmt, v))
    script = "\n".join(f"printf {shlex.quote('[' + f + ']')} {shlex.quote(v)}; echo"
                       for f, v in cases)
    expected = bash(script)[0].splitlines()
    mine = []
    for f, v in cases:
        sh = FakeSh()
        BUILTINS["printf"](sh, ["printf", "[" + f + "]", v])
        mine.append(sh.out[1])
    assert [(c, m) for c, m, e in zip(cases, mine, expected) if m != e] == []
