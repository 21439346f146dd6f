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
