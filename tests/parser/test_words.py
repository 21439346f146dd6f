"""Word lexing: quoting structure, expansions, tilde, brace and extglob parts."""
import pytest

from pyshell.syntax import ParseContext
from pyshell.syntax import ast as A
from tests.parser.helpers import dump, first, word_parts

L = "Lit(text={!r})".format


@pytest.mark.parametrize("src, expected", [
    ("abc", "[Lit(text='abc')]"),
    ("a\\ b", "[Lit(text='a'), Escaped(text=' '), Lit(text='b')]"),
    ("'x y'z", "[SQ(text='x y'), Lit(text='z')]"),
    ("$'a\\tb\\x41\\101\\u00e9\\cA'", "[ANSI(text='a\\tbAAé\\x01')]"),
    ('"a $b ${c} \\$ \\x"', "[DQ(parts=[Lit(text='a '), Param(name='b'), Lit(text=' '), "
                           "Param(name='c', braced=True), Lit(text=' $ \\\\x')])]"),
    ('$"msg"', "[DQ(parts=[Lit(text='msg')])]"),
    ("$1$#$?$@$*$$$!$-$0", "[Param(name='1'), Param(name='#'), Param(name='?'), "
                           "Param(name='@'), Param(name='*'), Param(name='$'), Param(name='!'), "
                           "Param(name='-'), Param(name='0')]"),
    ("a$", "[Lit(text='a$')]"),
    ("${10}", "[Param(name='10', braced=True)]"),
    ("$10", "[Param(name='1'), Lit(text='0')]"),
    ("a\\\nb", "[Lit(text='ab')]"),
])
def test_quoting(src, expected):
    assert word_parts(src) == expected


@pytest.mark.parametrize("src, op, arg, arg2", [
    ("${x:-d}", ":-", "d", None), ("${x-d}", "-", "d", None), ("${x:=d}", ":=", "d", None),
    ("${x=d}", "=", "d", None), ("${x:?m}", ":?", "m", None), ("${x?m}", "?", "m", None),
    ("${x:+a}", ":+", "a", None), ("${x+a}", "+", "a", None), ("${x#p}", "#", "p", None),
    ("${x##p}", "##", "p", None), ("${x%p}", "%", "p", None), ("${x%%p}", "%%", "p", None),
    ("${x/p/r}", "/", "p", "r"), ("${x//p/r}", "//", "p", "r"), ("${x/#p/r}", "/#", "p", "r"),
    ("${x/%p/r}", "/%", "p", "r"), ("${x/p}", "/", "p", None), ("${x^p}", "^", "p", None),
    ("${x^^}", "^^", "", None), ("${x,}", ",", "", None), ("${x,,p}", ",,", "p", None),
    ("${x:1}", ":", "1", None), ("${x:1:2}", ":", "1", "2"), ("${x: -1}", ":", " -1", None),
    ("${x:a?1:2:3}", ":", "a?1", "2:3"),
])
def test_param_operators(src, op, arg, arg2):
    p = first("echo " + src).words[1].parts[0]
    assert type(p) is A.Param and p.name == "x" and p.braced
    assert p.op == op
    assert (p.arg.text if p.arg else "") == arg
    assert (p.arg2.text if p.arg2 else None) == arg2


@pytest.mark.parametrize("op", ["Q", "E", "P", "A", "a", "U", "u", "L", "K", "k"])
def test_param_transformations(op):
    p = first(f"echo ${{x@{op}}}").words[1].parts[0]
    assert (p.name, p.op) == ("x", "@" + op)


def test_param_special_forms():
    assert word_parts("${#x}") == "[Param(name='x', length=True, braced=True)]"
    assert word_parts("${#}") == "[Param(name='#', braced=True)]"
    assert word_parts("${#a[@]}") == ("[Param(name='a', subscript=Word(parts=[Lit(text='@')]), "
                                      "length=True, braced=True)]")
    assert word_parts("${!ref}") == "[Param(name='ref', indirect=True, braced=True)]"
    assert word_parts("${!pre*}") == "[Param(name='pre', indirect=True, op='!*', braced=True)]"
    assert word_parts("${!pre@}") == "[Param(name='pre', indirect=True, op='!@', braced=True)]"
    assert word_parts("${!a[@]}") == ("[Param(name='a', subscript=Word(parts=[Lit(text='@')]), "
                                      "indirect=True, braced=True)]")
    assert word_parts("${!}") == "[Param(name='!', braced=True)]"
    assert word_parts("${a[i+1]:-x}") == (
        "[Param(name='a', subscript=Word(parts=[Lit(text='i+1')]), op=':-', "
        "arg=Word(parts=[Lit(text='x')]), braced=True)]")


def test_bad_substitution_is_deferred():
    p = first("echo ${x;} next").words[1].parts[0]
    assert p.op == "bad" and p.arg.text == "${x;}"


def test_param_operand_quoting():
    # unquoted: quotes in the operand are quoting; inside "...", single quotes are literal
    assert word_parts("${x:-'a b'}") == ("[Param(name='x', op=':-', "
                                         "arg=Word(parts=[SQ(text='a b')]), braced=True)]")
    assert word_parts("\"${x:-'a'}\"") == ("[DQ(parts=[Param(name='x', op=':-', "
                                           "arg=Word(parts=[Lit(text=\"'a'\")]), braced=True)])]")
    assert word_parts("${x:-{a}}") == ("[Param(name='x', op=':-', "
                                       "arg=Word(parts=[Lit(text='{a')]), braced=True), Lit(text='}')]")
    assert word_parts('${x/a/"}"}') == ("[Param(name='x', op='/', arg=Word(parts=[Lit(text='a')]), "
                                        "arg2=Word(parts=[DQ(parts=[Lit(text='}')])]), braced=True)]")


def test_command_substitutions():
    assert word_parts("$(a; b)") == ("[CmdSub(body=Seq(items=[SeqItem(command=Simple(words=[Word("
                                     "parts=[Lit(text='a')])])), SeqItem(command=Simple(words=["
                                     "Word(parts=[Lit(text='b')])]))]))]")
    assert word_parts("`a \\`b\\``") == (
        "[CmdSub(body=Seq(items=[SeqItem(command=Simple(words=[Word(parts=[Lit(text='a')]), "
        "Word(parts=[CmdSub(body=Seq(items=[SeqItem(command=Simple(words=[Word(parts=["
        "Lit(text='b')])]))]), backquote=True)])]))]), backquote=True)]")
    # case inside $( ) with a bare `)` pattern terminator
    cmd = first("echo $(case x in a) echo y;; esac)")
    sub = cmd.words[1].parts[0]
    assert type(sub.body.items[0].command) is A.Case
    # $( ( ...) ) is a subshell, not arithmetic
    assert word_parts("$( (a) )").startswith("[CmdSub(body=Seq(items=[SeqItem(command=Subshell(")
    assert word_parts("$((a) )").startswith("[CmdSub(body=Seq(items=[SeqItem(command=Subshell(")


def test_arithmetic_substitution():
    assert word_parts("$((1 + $x * (2)))") == (
        "[ArithSub(expr=Word(parts=[Lit(text='1 + '), Param(name='x'), Lit(text=' * (2)')]))]")
    assert word_parts("$[1+2]") == "[ArithSub(expr=Word(parts=[Lit(text='1+2')]))]"
    assert word_parts('$(( "1" + $(echo 2) ))') == (
        "[ArithSub(expr=Word(parts=[Lit(text=' '), Lit(text='1'), Lit(text=' + '), "
        "CmdSub(body=Seq(items=[SeqItem(command=Simple(words=[Word(parts=[Lit(text='echo')]), "
        "Word(parts=[Lit(text='2')])]))])), Lit(text=' ')]))]")


def test_process_substitution():
    cmd = first("diff <(a) >(b) x<(c)")
    assert dump(cmd.words[1].parts[0])[:25] == "ProcSub(direction='<', bo"
    assert cmd.words[2].parts[0].direction == ">"
    assert [type(p).__name__ for p in cmd.words[3].parts] == ["Lit", "ProcSub"]
    r = first("cat < <(ls)").redirs[0]
    assert r.op == "<" and type(r.target.parts[0]) is A.ProcSub


@pytest.mark.parametrize("src, expected", [
    ("~", "[Tilde(user='')]"),
    ("~/x", "[Tilde(user=''), Lit(text='/x')]"),
    ("~root/x", "[Tilde(user='root'), Lit(text='/x')]"),
    ("~+", "[Tilde(user='+')]"),
    ("~-/a", "[Tilde(user='-'), Lit(text='/a')]"),
    ("~'x'", "[Lit(text='~'), SQ(text='x')]"),
    ("a~", "[Lit(text='a~')]"),
    ("\\~", "[Escaped(text='~')]"),
    ("x=~:~/b", "[Lit(text='x='), Tilde(user=''), Lit(text=':'), Tilde(user=''), Lit(text='/b')]"),
    ("--opt=~", "[Lit(text='--opt=~')]"),
])
def test_tilde(src, expected):
    assert word_parts(src) == expected


def test_tilde_in_assignment_value():
    a = first("PATH=~/bin:~root/x:a~").assigns[0]
    assert dump(a.value.parts) == ("[Tilde(user=''), Lit(text='/bin:'), Tilde(user='root'), "
                                   "Lit(text='/x:a~')]")


@pytest.mark.parametrize("src, expected", [
    ("{a,b}", "[Brace(alternatives=[[Lit(text='a')], [Lit(text='b')]])]"),
    ("x{a,}y", "[Lit(text='x'), Brace(alternatives=[[Lit(text='a')], []]), Lit(text='y')]"),
    ("{1..10}", "[BraceRange(start='1', end='10')]"),
    ("{01..10..2}", "[BraceRange(start='01', end='10', step='2')]"),
    ("{a..e}", "[BraceRange(start='a', end='e')]"),
    ("{a..9}", "[Lit(text='{a..9}')]"),
    ("{a}", "[Lit(text='{a}')]"),
    ("{}", "[Lit(text='{}')]"),
    ("\\{a,b}", "[Escaped(text='{'), Lit(text='a,b}')]"),
    ("'{a,b}'", "[SQ(text='{a,b}')]"),
    ("{a,{b,c}}", "[Brace(alternatives=[[Lit(text='a')], [Brace(alternatives=[[Lit(text='b')], "
                  "[Lit(text='c')]])]])]"),
    ("{$x,\"y z\"}", "[Brace(alternatives=[[Param(name='x')], [DQ(parts=[Lit(text='y z')])]])]"),
    ("{a{b,c}", "[Lit(text='{a'), Brace(alternatives=[[Lit(text='b')], [Lit(text='c')]])]"),
])
def test_braces(src, expected):
    assert word_parts(src) == expected


def test_no_brace_expansion_in_assignment():
    a = first("x={a,b}").assigns[0]
    assert dump(a.value.parts) == "[Lit(text='{a,b}')]"


def test_extglob_only_when_enabled():
    on = ParseContext(extglob=True)
    assert word_parts("@(a|b*)", context=on) == (
        "[ExtGlob(op='@', patterns=[Word(parts=[Lit(text='a')]), Word(parts=[Lit(text='b*')])])]")
    assert word_parts("x!(*.c|?(y))", context=on) == (
        "[Lit(text='x'), ExtGlob(op='!', patterns=[Word(parts=[Lit(text='*.c')]), "
        "Word(parts=[ExtGlob(op='?', patterns=[Word(parts=[Lit(text='y')])])])])]")
    from pyshell.errors import ParseError
    with pytest.raises(ParseError):
        first("echo @(a|b)")


def test_word_text_and_location():
    cmd = first("  echo  'a b'$c\n")
    w = cmd.words[1]
    assert w.text == "'a b'$c"
    assert (w.line, w.col) == (1, 8)
    assert (w.parts[1].line, w.parts[1].col) == (1, 13)


def test_no_brace_expansion_in_case_and_conditionals():
    c = first("case {a,b} in {a,b}) ;; esac")
    assert dump(c.word.parts) == "[Lit(text='{a,b}')]"
    assert dump(c.items[0].patterns[0].parts) == "[Lit(text='{a,b}')]"
    e = first("[[ {a,b} == {c,d} ]]").expr
    assert dump(e.left.parts) == "[Lit(text='{a,b}')]"
    assert dump(e.right.parts) == "[Lit(text='{c,d}')]"
    assert type(first("for i in {1,2}; do :; done").words[0].parts[0]) is A.Brace


@pytest.mark.parametrize("src, tilde", [("abc-def=~", False), ("a=~", True), ("a[1]=~", True),
                                        ("a+=~", True), ("x=y:~", True)])
def test_tilde_only_in_assignment_like_words(src, tilde):
    parts = first("echo " + src).words[1].parts
    assert any(type(p) is A.Tilde for p in parts) == tilde


def test_braces_extend_a_preceding_name():
    # bash expands braces first: $v{a,b}x is $vax $vbx
    assert word_parts("$v{a,b}x") == ("[Brace(alternatives=[[Param(name='vax')], "
                                      "[Param(name='vbx')]])]")
    assert word_parts("$v{a,-}x") == ("[Brace(alternatives=[[Param(name='vax')], "
                                      "[Param(name='v'), Lit(text='-x')]])]")
    assert word_parts("$v{01..03..2}") == ("[Brace(alternatives=[[Param(name='v01')], "
                                           "[Param(name='v03')]])]")
    assert word_parts("${v}{a,b}").startswith("[Param(name='v', braced=True), Brace(")
    assert word_parts("$1{a,b}").startswith("[Param(name='1'), Brace(")


def test_line_continuation_inside_a_name():
    assert word_parts("$va\\\nb") == "[Param(name='vab')]"


def test_brace_groups_after_a_name_multiply_out():
    assert word_parts("$u{x,y}{1,2}") == (
        "[Brace(alternatives=[[Param(name='ux1')], [Param(name='ux2')], [Param(name='uy1')], "
        "[Param(name='uy2')]])]")
