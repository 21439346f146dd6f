"""Syntax errors and incomplete input: messages, lines and context lines as bash's.

Each case is checked against the real bash (`bash -n` on a script file) when it is
installed, so the expectations cannot drift from the oracle.
"""
import shutil
import subprocess

import pytest

from pyshell.errors import Incomplete, ParseError
from pyshell.syntax.cond import CondSyntaxError
from pyshell.syntax.parser import CommandReader
from tests.parser import corpus

BASH = shutil.which("bash")

CASES = [
    # (script, expected diagnostic lines with `S` for the script name)
    ("echo a; fi\n", ["S: line 1: syntax error near unexpected token `fi'",
                      "S: line 1: `echo a; fi'"]),
    ("echo a\n\nfi\n", ["S: line 3: syntax error near unexpected token `fi'", "S: line 3: `fi'"]),
    ("if true; then\n", ["S: line 2: syntax error: unexpected end of file"]),
    ("if true; then", ["S: line 2: syntax error: unexpected end of file"]),
    ("for i in 1; do\necho\n", ["S: line 3: syntax error: unexpected end of file"]),
    ("echo 'abc\nx\n", ["S: line 1: unexpected EOF while looking for matching `''"]),
    ('a\necho "abc\n', ["S: line 2: unexpected EOF while looking for matching `\"'"]),
    ("echo $(ls\n", ["S: line 2: unexpected EOF while looking for matching `)'"]),
    ("echo ${x\n", ["S: line 1: unexpected EOF while looking for matching `}'"]),
    ("echo `ls\n", ["S: line 1: unexpected EOF while looking for matching ``'"]),
    ("echo ( a\n", ["S: line 1: syntax error near unexpected token `a'", "S: line 1: `echo ( a'"]),
    ("echo a=(1)\n", ["S: line 1: syntax error near unexpected token `('",
                      "S: line 1: `echo a=(1)'"]),
    ("esac x=(1 2)\n", ["S: line 1: syntax error near unexpected token `esac'",
                        "S: line 1: `esac x=(1 2)'"]),
    ("case x in\na) ;;\n", ["S: line 3: syntax error: unexpected end of file"]),
    ("echo a |\n", ["S: line 2: syntax error: unexpected end of file"]),
    ("echo a | ; b\n", ["S: line 1: syntax error near unexpected token `;'",
                        "S: line 1: `echo a | ; b'"]),
    ("a | ! b\n", ["S: line 1: syntax error near unexpected token `!'", "S: line 1: `a | ! b'"]),
    ("f() echo\n", ["S: line 1: syntax error near unexpected token `echo'",
                    "S: line 1: `f() echo'"]),
    ("if then :; fi\n", ["S: line 1: syntax error near unexpected token `then'",
                         "S: line 1: `if then :; fi'"]),
    ("{ }\n", ["S: line 1: syntax error near unexpected token `}'", "S: line 1: `{ }'"]),
    ("( )\n", ["S: line 1: syntax error near unexpected token `)'", "S: line 1: `( )'"]),
    ("for\n", ["S: line 1: syntax error near unexpected token `newline'", "S: line 1: `for'"]),
    ("echo a;;\n", ["S: line 1: syntax error near unexpected token `;;'",
                    "S: line 1: `echo a;;'"]),
    ("for ((i=0;i<1)) ; do :; done\n", ["S: line 1: syntax error: arithmetic expression required",
                                        "S: line 1: syntax error: `((i=0;i<1))'"]),
    ("[[ a b ]]\n", ["S: line 1: conditional binary operator expected"]),
    ("[[ a == ]]\n", ["S: line 1: unexpected argument `]]' to conditional binary operator"]),
    ("[[ ( a ]]\n", ["S: line 1: unexpected token `]]', expected `)'"]),
    ("[[ -f ]]\n", ["S: line 1: unexpected argument `]]' to conditional unary operator"]),
    ("[[ a\n== a ]]\n", ["S: line 1: unexpected token `newline', conditional binary operator "
                         "expected"]),
    ("[[ a ) ]]\n", ["S: line 1: syntax error in conditional expression: unexpected token `)'"]),
    ("[[ -f a b ]]\n", ["S: line 1: syntax error in conditional expression"]),
    ("[[ a ;; ]]\n", ["S: line 1: unexpected token `;;', conditional binary operator expected"]),
    ("[[ ; ]]\n", ["S: line 1: unexpected token `;' in conditional command"]),
    ("[[ ]]\n", []),
    ("for i\n ; do :; done\n", ["S: line 2: syntax error near unexpected token `;'",
                                 "S: line 2: ` ; do :; done'"]),
    ("for ((;;))\n; do :; done\n", ["S: line 2: syntax error near unexpected token `;'",
                                     "S: line 2: `; do :; done'"]),
    ("for i\nin a; do :; done\nfor ((;;)) ;\n do :; done\n", []),
    ("cat <<EOF\nabc\n", ["S: line 2: warning: here-document at line 1 delimited by "
                         "end-of-file (wanted `EOF')"]),
    ("echo a\\\n", []),
    ("! !\n", []),
    ("x=`if`\n", []),  # bash parses backquotes when they run
    ("echo ${x;}\n", []),  # bad substitution is a run-time error
    # errors inside name=( ... ): reported, the rest of the line dropped, parsing goes on
    ("a=(1 2; echo next\necho line2; fi\n", [
        "S: line 1: syntax error near unexpected token `;'", "S: line 1: `a=(1 2; echo next'",
        "S: line 2: syntax error near unexpected token `fi'", "S: line 2: `echo line2; fi'"]),
    ("a=(1 2\n", ["S: line 1: unexpected EOF while looking for matching `)'"]),
    ("x=1\na=(1 'x\n\n", ["S: line 2: unexpected EOF while looking for matching `''",
                         "S: line 4: syntax error: unexpected end of file"]),
]


def ours(script: str) -> list:
    return corpus.our_diagnostics(script)


@pytest.mark.parametrize("script, expected", CASES)
def test_error_messages(script, expected):
    assert ours(script) == expected


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
@pytest.mark.parametrize("script, expected", CASES)
def test_expectations_match_bash(script, expected, tmp_path):
    path = tmp_path / "S"
    path.write_text(script)
    res = subprocess.run([BASH, "-n", "S"], cwd=tmp_path, capture_output=True, text=True)
    assert res.stderr.splitlines() == expected


def test_incomplete_is_distinct():
    for text in ("if true; then\n", "echo 'a\n", "echo a |\n", "f() {\n", "echo $(\n", "a &&\n", "case x in\n"):
        with pytest.raises(Incomplete):
            CommandReader(text).next_command()
    for text in ("fi\n", "echo a; )\n"):
        with pytest.raises(ParseError) as info:
            CommandReader(text).next_command()
        assert not isinstance(info.value, Incomplete)


def test_interactive_continuation_line():
    with pytest.raises(Incomplete):
        CommandReader("echo a\\\n", interactive=True).next_command()
    assert CommandReader("echo a\\\n").next_command() is not None
    assert CommandReader("echo a\\\\\n", interactive=True).next_command() is not None
    with pytest.raises(Incomplete):
        CommandReader("cat <<EOF\nabc\n", interactive=True).next_command()
    assert CommandReader("cat <<EOF\nabc\nEOF\n", interactive=True).next_command()


def test_commands_before_an_error_are_returned():
    reader = CommandReader("echo 1\necho 2\nfi\necho 3\n")
    assert reader.next_command() is not None
    assert reader.next_command() is not None
    with pytest.raises(ParseError) as info:
        reader.next_command()
    assert info.value.line == 3


def test_cond_error_stops_input():
    with pytest.raises(CondSyntaxError) as info:
        CommandReader("[[ ]]\n").next_command()
    assert info.value.silent_eof and info.value.message == ""
