"""Generated differential tests: quoting, word splitting, parameter operators, arithmetic,
structured programs, file-descriptor operations and random token soup.

Each example is a small script run under bash and pywarmsh; stdout, stderr and status
must match. Examples are derandomized so a run is reproducible; set
PYWARMSH_HYPOTHESIS_RANDOM=1 to explore new ones.
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from .casefile import Case
from .runner import SUT_TIMEOUTS, bash_shell, describe, run_case, shell_under_test

ORACLE = bash_shell()
SUT = shell_under_test()
SETTINGS = settings(max_examples=40, deadline=None,
                    derandomize=not os.environ.get("PYWARMSH_HYPOTHESIS_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow], database=None)


def check(script: str) -> None:
    case = Case(name="generated", source="test_generated.py", script=script, stderr=True,
                timeout=10.0)
    expected = run_case(ORACLE, case)
    actual = run_case(SUT, case, timeout=SUT_TIMEOUTS.timeout(case.timeout))
    SUT_TIMEOUTS.record(actual)
    same = (expected.status, expected.stdout, expected.stderr) == (
        actual.status, actual.stdout, actual.stderr)
    if not same or actual.has_traceback() or actual.timed_out:
        pytest.fail("generated script differs\n" + describe(case, expected, actual, SUT),
                    pytrace=False)


def bash_single_quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def ansi_c_quoted(text: str) -> str:
    """$'...' with every non-alphanumeric character written as an escape."""
    out = []
    for ch in text:
        if ch.isalnum() and ch.isascii():
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        else:
            out.append("\\x%02x" % ord(ch))
    return "$'" + "".join(out) + "'"


# ---------------------------------------------------------------- quoting
PLAIN = st.text(alphabet="abcxyz019_.,:=+-@%", min_size=1, max_size=4)
QUOTABLE = st.text(alphabet="ab c*?$`\"'\\!#&;|<>(){}[]~\t\n", max_size=6)
VARS = {"v": "a  b", "e": "", "s": "*", "q": "it's"}
VAR_NAME = st.sampled_from(sorted(VARS))


@st.composite
def word_fragment(draw) -> str:
    kind = draw(st.sampled_from(["plain", "single", "double", "ansi", "backslash",
                                 "var", "quoted_var", "cmdsub"]))
    if kind == "plain":
        return draw(PLAIN)
    if kind == "single":
        return bash_single_quoted(draw(QUOTABLE))
    if kind == "ansi":
        return ansi_c_quoted(draw(QUOTABLE))
    if kind == "backslash":
        return "\\" + draw(st.sampled_from(list(" *?$`\"'\\#&;|<>(){}[]~abc")))
    if kind == "double":
        inner = draw(st.text(alphabet="ab c*?'#&;|<>(){}~", max_size=5))
        extra = draw(st.sampled_from(["", "\\$", "\\\"", "\\\\", "\\`", "$v", "${e}x", "\\a"]))
        return '"' + inner + extra + '"'
    if kind == "var":
        return "$" + draw(VAR_NAME)
    if kind == "quoted_var":
        return '"${' + draw(VAR_NAME) + '}"'
    return "$(printf %s " + bash_single_quoted(draw(QUOTABLE)) + ")"


WORD = st.lists(word_fragment(), min_size=1, max_size=4).map("".join)


def var_setup() -> str:
    return "".join(f"{name}={bash_single_quoted(value)}\n" for name, value in VARS.items())


@SETTINGS
@given(st.lists(WORD, min_size=1, max_size=5))
def test_quoting_and_quote_removal(words):
    check(var_setup() + "set -f\nset -- " + " ".join(words)
          + "\nprintf '[%s]\\n' \"$@\"\necho \"n=$#\"\n")


# ---------------------------------------------------------------- word splitting
IFS_CHARS = " \t\n:,-x"
FIELD_TEXT = st.text(alphabet="ab \t\n:,-x", max_size=12)


@SETTINGS
@given(ifs=st.one_of(st.none(), st.text(alphabet=IFS_CHARS, max_size=4)),
       value=FIELD_TEXT, prefix=st.sampled_from(["", "p", "' '", '""']))
def test_word_splitting_with_random_ifs(ifs, value, prefix):
    ifs_line = "unset IFS\n" if ifs is None else f"IFS={ansi_c_quoted(ifs)}\n"
    script = (ifs_line + f"v={ansi_c_quoted(value)}\n"
              + f"set -- {prefix}$v\n"
              + "printf '<%s>' \"$@\"; echo \" $#\"\n"
              + "printf '<%s>' \"$*\"; echo\n"
              + "printf '<%s>' $v$v; echo\n"
              + "printf '<%s>' $v\"$v\"q$v; echo\n"
              + "read -r a b rest <<< \"$v\"; printf '<%s>' \"$a\" \"$b\" \"$rest\"; echo\n")
    check(script)


# ---------------------------------------------------------------- parameter operators
STATES = {"unset": None, "empty": "", "value": "abcabc.tar.gz", "spaces": "a b  c",
          "glob": "x*y?z"}
PATTERN = st.text(alphabet="abc.*?z", min_size=0, max_size=4)
OPERAND = st.one_of(st.text(alphabet="xyz", max_size=3),
                    st.sampled_from(['"q r"', "'*'", "$other", "\\*"]))


@st.composite
def parameter_expression(draw) -> str:
    op = draw(st.sampled_from(["-", ":-", "+", ":+", "=", ":=", "#", "##", "%", "%%",
                               "/", "//", "/#", "/%", "len", "offset", "^^", ",,", "^",
                               "plain"]))
    if op == "len":
        return "${#v}"
    if op == "plain":
        return "${v}"
    if op in ("^^", ",,", "^"):
        return "${v" + op + "}"
    if op == "offset":
        start = draw(st.integers(-4, 6))
        start_text = f" {start}" if start < 0 else str(start)
        if draw(st.booleans()):
            return "${v:" + start_text + ":" + str(draw(st.integers(0, 5))) + "}"
        return "${v:" + start_text + "}"
    if op in ("#", "##", "%", "%%"):
        return "${v" + op + draw(PATTERN) + "}"
    if op.startswith("/"):
        return "${v" + op + draw(PATTERN) + "/" + draw(OPERAND) + "}"
    return "${v" + op + draw(OPERAND) + "}"


@SETTINGS
@given(state=st.sampled_from(sorted(STATES)), exprs=st.lists(parameter_expression(),
                                                              min_size=1, max_size=4))
def test_parameter_operators(state, exprs):
    value = STATES[state]
    setup = "unset v\n" if value is None else f"v={bash_single_quoted(value)}\n"
    setup += "other='o t'\n"
    lines = []
    for expr in exprs:
        lines.append(f"printf '[%s]' \"{expr}\"; echo")
        lines.append(f"printf '[%s]' {expr}; echo")
    lines.append("printf 'v=[%s] %s\\n' \"${v-UNSET}\" \"${v+set}\"")
    check(setup + "\n".join(lines) + "\n")


# ---------------------------------------------------------------- arithmetic
BINARY_OPS = ["+", "-", "*", "/", "%", "**", "<<", ">>", "<", "<=", ">", ">=", "==", "!=",
              "&", "|", "^", "&&", "||", ","]
UNARY_OPS = ["-", "+", "!", "~"]
ARITH_ATOMS = st.one_of(st.integers(-20, 300).map(str),
                        st.sampled_from(["a", "b", "zero", "unset_var", "0x1F", "010", "2#101",
                                         "9223372036854775807"]))


def arith_expression(depth: int = 3):
    if depth == 0:
        return ARITH_ATOMS
    sub = arith_expression(depth - 1)
    return st.one_of(
        ARITH_ATOMS,
        st.tuples(sub, st.sampled_from(BINARY_OPS), sub).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(st.sampled_from(UNARY_OPS), sub).map(lambda t: f"{t[0]}({t[1]})"),
        sub.map(lambda e: f"({e})"),
        st.tuples(sub, sub, sub).map(lambda t: f"{t[0]} ? {t[1]} : {t[2]}"),
    )


@SETTINGS
@given(st.lists(arith_expression(), min_size=1, max_size=3))
def test_arithmetic_expressions(exprs):
    lines = ["a=7 b=-3 zero=0"]
    for expr in exprs:
        lines.append(f"echo \"$(( {expr} ))\"")
    lines.append("echo end")
    check("\n".join(lines) + "\n")


# ---------------------------------------------------------------- token soup
# Random, mostly ill-formed input: pywarmsh must never print a traceback, and must agree
# with bash on the exit status (a syntax error is status 2 in both) and on stdout.
SOUP_TOKENS = ["echo", "a", "'q q'", '"d $x"', "$x", "${x:-y}", "$(echo s)", "`echo b`",
               "$((1+2))", ";", "&&", "||", "|", "&", "(", ")", "{", "}", "if", "then",
               "elif", "else", "fi", "case", "in", "esac", ")", ";;", "for", "do", "done",
               "!", "<", ">", ">>", "2>&1", "<<<", "<<E", "[[", "]]", "((", "))", "=",
               "x=1", "f()", "true", "false", "\n", "\\", "'", '"', "$", "${", "$(", "#"]


@SETTINGS
@given(st.lists(st.sampled_from(SOUP_TOKENS), min_size=1, max_size=12))
def test_token_soup_never_tracebacks(tokens):
    script = " ".join(tokens) + "\n"
    case = Case(name="soup", source="test_generated.py", script=script, timeout=5.0)
    expected = run_case(ORACLE, case)
    actual = run_case(SUT, case, timeout=SUT_TIMEOUTS.timeout(case.timeout))
    SUT_TIMEOUTS.record(actual)
    if actual.has_traceback() or actual.timed_out != expected.timed_out or (
            (expected.status, expected.stdout) != (actual.status, actual.stdout)):
        pytest.fail("token soup differs\n" + describe(case, expected, actual, SUT),
                    pytrace=False)


# ---------------------------------------------------------------- structured programs
# Valid scripts built from ordinary constructs (bounded loops only), to compare the
# semantics of their combinations: status propagation, scoping, redirections, pipelines.
SIMPLE_STATEMENTS = [
    'echo "x=$x"', "echo $? $#", "x=a", "x='b c'", "x=$((${#x} + 1))", "true", "false",
    "(exit 3)", 'printf "%s|" $x; echo', "set -- p q", "shift", "local y=1 2>/dev/null",
    "echo out >&2", "cat f 2>/dev/null", "echo $x >> f", "read -r x < f", "unset x",
    "x=$(echo sub; false)", "! true", "return 2 2>/dev/null", "break 2>/dev/null",
    "eval 'echo ev $x'", 'cat <<< "$x"', "( set -e; false; echo no )", "x+=z",
    "( trap 'echo t' EXIT; echo in )", 'echo "${x:-dflt}" ${x#?}',
    'for a in "$@"; do echo "[$a]"; done', 'false & wait $!; echo "bg=$?"',
    "IFS=: read -r p q <<< 'u:v:w'; echo \"$q\"",
    "set -e", "set +e", "set -o pipefail", "false | true", "x=$(false) || echo rescued",
    "(( 0 ))", "let x=0", "trap 'echo ERR-trap' ERR",
]
CONDITIONS = ['[ "$x" = a ]', "true", "false", 'test -n "$x"', "grep -q a f 2>/dev/null",
              "[ $# -gt 0 ]", "(exit 1)"]


def structured(depth: int):
    simple = st.sampled_from(SIMPLE_STATEMENTS)
    if depth == 0:
        return simple
    body = st.lists(structured(depth - 1), min_size=1, max_size=3).map("; ".join)
    cond = st.sampled_from(CONDITIONS)
    return st.one_of(
        simple,
        st.tuples(cond, body, body).map(lambda t: f"if {t[0]}; then {t[1]}; else {t[2]}; fi"),
        body.map(lambda b: f"for i in 1 2; do {b}; done"),
        st.tuples(cond, body).map(lambda t: f"while {t[0]}; do {t[1]}; break; done"),
        body.map(lambda b: f"f() {{ {b}; }}; f arg; echo \"f=$?\""),
        body.map(lambda b: f"( {b} ); echo \"sub=$?\""),
        body.map(lambda b: f"{{ {b}; }} > g; echo \"grp=$?\"; cat g"),
        body.map(lambda b: f"{{ {b}; }} | tr a-z A-Z; echo \"pipe=$?\""),
        st.tuples(simple, simple, simple).map(lambda t: f"{t[0]} && {t[1]} || {t[2]}"),
        body.map(lambda b: f'case "$x" in a*) {b};; *) echo other;; esac'),
        body.map(lambda b: f'v=$( {b} ); echo "v=[$v] $?"'),
    )


@SETTINGS
@given(st.lists(structured(2), min_size=1, max_size=4))
def test_structured_programs(statements):
    check("echo a > f\nx=a\n" + "\n".join(statements) + "\necho \"end $? x=$x\"\n")


# ---------------------------------------------------------------- redirection sequences
# Random sequences of fd operations (exec, dup, close, groups) and writes; the files and
# every message must end up exactly where bash puts them.
FD_OPERATIONS = [
    "exec 3>a", "exec 3>>a", "exec 4<a", "exec 4<b", "echo x >&3", "cat <&4", "exec 3>&-",
    "exec 4<&-", "exec 5>&3", "echo y 1>&5", "{ echo z; } 3>b >&3", "cat a b", "echo w > b",
    "exec 6<>a", "echo rw >&6", 'read -r l <&4; echo "l=$l"',
    "exec 7>&1 1>c; echo toc; exec 1>&7 7>&-", "cat c", ": > a", "echo e >&2 2>&1",
    "{ echo q; cat <&4; } 4<a", "exec 3>&1", "echo p >&3 3>&-", "set -C", "set +C",
    "echo n > a", "echo m >| a", "cat < a > b", "exec 2>&3", "echo v 2>&1 >&3",
    "( echo s ) 4>c >&4",
]


@SETTINGS
@given(st.lists(st.sampled_from(FD_OPERATIONS), min_size=1, max_size=10))
def test_redirection_sequences(operations):
    check("echo init > a\n" + "\n".join(operations) + '\necho "end $?"; cat a b c 2>&1\n')
