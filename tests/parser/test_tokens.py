"""The token layer (pyshell/syntax/tokens.py): bashlex's tokenizer driven at offsets."""
from __future__ import annotations

import subprocess
import sys

import pytest

from pyshell.syntax.parser import Parser, Token
from pyshell.syntax.words import OPERATORS


def tokens(source: str) -> list:
    """(kind, value) of every token of `source`, read the way the parser reads them."""
    parser = Parser(source)
    out, pos = [], 0
    while True:
        tok = parser._lex(pos)
        out.append((tok.kind, tok.value))
        if tok.kind == "EOF":
            return out
        pos = tok.end


@pytest.mark.parametrize("op", OPERATORS)
def test_every_operator_is_one_token(op):
    kinds = tokens(f"a{op}b")
    assert kinds[1][1] == op, kinds
    assert kinds[0] == ("W", "a")


def test_blanks_comments_and_continuations_are_skipped():
    assert tokens("a \t b # c d\n\\\n e") == [
        ("W", "a"), ("W", "b"), ("NL", "\n"), ("W", "e"), ("NL", "\n"), ("EOF", "")]


def test_comment_only_at_word_start():
    assert tokens("a#b #c") == [("W", "a#b"), ("NL", "\n"), ("EOF", "")]


def test_backslash_before_the_supplied_final_newline_is_a_character():
    # -c 'echo a\' : bash keeps the backslash (no newline follows it in the text)
    assert tokens("echo a\\")[:2] == [("W", "echo"), ("W", "a\\")]
    # with a real newline it is a continuation (the word's raw text keeps it)
    assert tokens("echo a\\\n") == [("W", "echo"), ("W", "a\\\n"), ("EOF", "")]
    assert tokens("echo \\")[:2] == [("W", "echo"), ("W", "\\")]


def test_fd_and_variable_redirections():
    parser = Parser("2>x {fd}>&- 3<<<w 12")
    tok = parser._lex(0)
    assert (tok.kind, tok.value, tok.fd) == ("R", ">", 2)
    tok = parser._lex(parser._lex(tok.end).end)
    assert (tok.kind, tok.value, tok.varname) == ("R", ">&", "fd")
    assert tokens("3<<<w 12")[:3] == [("R", "<<<"), ("W", "w"), ("W", "12")]


def test_process_substitution_is_a_word():
    assert tokens("cat <(ls) >(wc)")[:3] == [("W", "cat"), ("W", "<(ls)"), ("W", ">(wc)")]


def test_positions():
    parser = Parser("ab  ;; cd")
    tok = parser._lex(2)
    assert isinstance(tok, Token) and (tok.start, tok.end, tok.value) == (4, 6, ";;")


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_bashlex_lalr_table_is_not_built():
    out = _run("import sys\n"
               "from pyshell.syntax.parser import parse\n"
               "parse('case x in fi) (( y )) ;; esac; [[ -n a ]] && a=(1 2)')\n"
               "print(sorted(m for m in sys.modules if m.startswith('bashlex.')))")
    assert "bashlex.tokenizer" in out
    assert "bashlex.parser" not in out and "bashlex.yacc" not in out


def test_bashlex_stays_usable_after_the_partial_import():
    out = _run("from pyshell.syntax.parser import parse\n"
               "import bashlex\n"
               "print(bashlex.parse('echo hi')[0].kind, parse('echo hi').items[0].command.words[1].text)")
    assert out == "command hi"


def test_a_fully_imported_bashlex_is_reused():
    out = _run("import bashlex\n"
               "from pyshell.syntax.parser import parse\n"
               "print(parse('a|b').items[0].command.commands[1].words[0].text, bashlex.parse('x')[0].kind)")
    assert out == "b command"
