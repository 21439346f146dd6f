"""[[ ]] evaluation, and the file/string/integer tests it shares with `test` / `[`."""
from __future__ import annotations

import os
import re
import stat
from functools import lru_cache

from pyshell.errors import ShellError
from pyshell.syntax import ast as A

UNARY_OPS = frozenset("-a -b -c -d -e -f -g -h -k -p -r -s -t -u -w -x -G -L -N -O -S "
                      "-z -n -o -v -R".split())
BINARY_OPS = frozenset("= == != < > -eq -ne -lt -le -gt -ge -nt -ot -ef".split())
_INT_RE = re.compile(r"[ \t\n]*[+-]?[0-9]+[ \t\n]*")


def _stat(path: str, follow: bool = True):
    if path == "":
        return None
    try:
        return os.stat(path) if follow else os.lstat(path)
    except (OSError, ValueError):
        return None


def unary(sh, op: str, arg: str) -> bool:
    """A unary test; `op` includes the dash."""
    if op == "-z":
        return arg == ""
    if op == "-n":
        return arg != ""
    if op == "-o":
        return arg in sh.state.options
    if op == "-v":
        return _var_is_set(sh, arg)
    if op == "-R":
        var = sh.state.lookup(arg, follow_ref=False)
        return var is not None and "n" in var.attrs
    if op == "-t":
        try:
            return os.isatty(int(arg))
        except (ValueError, OverflowError):
            return False
    if op in ("-h", "-L"):
        st = _stat(arg, follow=False)
        return st is not None and stat.S_ISLNK(st.st_mode)
    st = _stat(arg)
    if st is None:
        return False
    mode = st.st_mode
    if op in ("-e", "-a"):
        return True
    if op == "-f":
        return stat.S_ISREG(mode)
    if op == "-d":
        return stat.S_ISDIR(mode)
    if op == "-b":
        return stat.S_ISBLK(mode)
    if op == "-c":
        return stat.S_ISCHR(mode)
    if op == "-p":
        return stat.S_ISFIFO(mode)
    if op == "-S":
        return stat.S_ISSOCK(mode)
    if op == "-s":
        return st.st_size > 0
    if op == "-g":
        return bool(mode & stat.S_ISGID)
    if op == "-u":
        return bool(mode & stat.S_ISUID)
    if op == "-k":
        return bool(mode & stat.S_ISVTX)
    if op == "-r":
        return os.access(arg, os.R_OK)
    if op == "-w":
        return os.access(arg, os.W_OK)
    if op == "-x":
        return os.access(arg, os.X_OK)
    if op == "-O":
        return st.st_uid == os.geteuid()
    if op == "-G":
        return st.st_gid == os.getegid()
    if op == "-N":
        return st.st_mtime > st.st_atime
    raise ShellError(f"{op}: unary operator expected", 2)


def _var_is_set(sh, name: str) -> bool:
    state = sh.state
    if name.endswith("]") and "[" in name:
        base, _, sub = name[:-1].partition("[")
        arr = state.get_array(base)
        if arr is None:
            return False
        if sub in ("@", "*"):
            return bool(arr)
        if state.is_assoc(base):
            return sub in arr
        from pyshell.interp.arith import evaluate
        key = evaluate(sub, state)
        if key < 0:
            ints = [k for k in arr if isinstance(k, int)]
            key += (max(ints) + 1) if ints else 0
        return key in arr
    if name.isdigit():
        return 0 < int(name) <= len(state.positional) or name == "0"
    if name in ("#", "?", "$", "-", "0"):
        return True
    return state.get(name) is not None


def to_int(text: str, what: str = "") -> int:
    """test's integer operands: optional blanks and sign, decimal digits only."""
    if text.isdigit() and text.isascii() and len(text) < 19:
        return int(text)
    if _INT_RE.fullmatch(text):
        value = int(text)
        if -(1 << 63) <= value < (1 << 63):
            return value
    raise ShellError(f"{what}{text}: integer expression expected", 2)


def binary(sh, op: str, left: str, right: str, prefix: str = "") -> bool:
    """A binary test of `test` (string operands; [[ ]] handles ==/!=/=~ itself)."""
    if op in ("=", "=="):
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right
    if op == ">":
        return left > right
    if op in ("-eq", "-ne", "-lt", "-le", "-gt", "-ge"):
        a, b = to_int(left, prefix), to_int(right, prefix)
        return _compare_int(op, a, b)
    return file_compare(op, left, right)


def _compare_int(op: str, a: int, b: int) -> bool:
    if op == "-eq":
        return a == b
    if op == "-ne":
        return a != b
    if op == "-lt":
        return a < b
    if op == "-le":
        return a <= b
    if op == "-gt":
        return a > b
    return a >= b


def file_compare(op: str, a: str, b: str) -> bool:
    sa, sb = _stat(a), _stat(b)
    if op == "-ef":
        return sa is not None and sb is not None and \
            (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)
    if op == "-nt":
        return sa is not None and (sb is None or sa.st_mtime_ns > sb.st_mtime_ns)
    if op == "-ot":
        return sb is not None and (sa is None or sa.st_mtime_ns < sb.st_mtime_ns)
    raise ShellError(f"{op}: binary operator expected", 2)


# ----------------------------------------------------------------- [[ ]]

def evaluate(sh, node) -> bool:
    """Evaluate a [[ ]] expression (a CondCmd or one of its Cond* nodes)."""
    if type(node) is A.CondCmd:
        node = node.expr
    return _evaluate(sh, node, False)


def _evaluate(sh, node, negated: bool) -> bool:
    # `negated`: an odd number of `!` directly before this primary; only set -x shows it
    tp = type(node)
    if tp is A.CondAnd:
        return _evaluate(sh, node.left, False) and _evaluate(sh, node.right, False)
    if tp is A.CondOr:
        return _evaluate(sh, node.left, False) or _evaluate(sh, node.right, False)
    if tp is A.CondNot:
        return not _evaluate(sh, node.operand, not negated)
    exp = sh.expander
    trace = "xtrace" in sh.state.options
    if tp is A.CondWord:
        value = exp.word(node.word)
        if trace:
            _trace(sh, negated, "-n", value)
        return value != ""
    if tp is A.CondUnary:
        value = exp.word(node.operand)
        if trace:
            _trace(sh, negated, node.op, value)
        return unary(sh, node.op, value)
    op = node.op
    left = exp.word(node.left)
    if op in ("==", "=", "!="):
        from pyshell.interp import pattern
        pat = exp.pattern(node.right)
        if trace:
            _trace(sh, negated, left, op, _traced_pattern(exp, node.right))
        nocase = "nocasematch" in sh.state.shopts
        matched = pattern.match(pat, left, extglob=True, nocase=nocase)
        return matched if op != "!=" else not matched
    if op == "=~":
        if trace:
            _trace(sh, negated, left, op, exp.word(node.right))
        return _regex_match(sh, left, node.right)
    right = exp.word(node.right)
    if trace:
        _trace(sh, negated, left, op, right)
    if op in ("-eq", "-ne", "-lt", "-le", "-gt", "-ge"):
        from pyshell.interp.arith import ArithError, evaluate as arith
        try:
            a = arith(left, sh.state)
            b = arith(right, sh.state)
        except ArithError as exc:
            # bash reports it as a [[ error and the test is simply false
            sh.error(f"[[: {exc.message}")
            return False
        return _compare_int(op, a, b)
    if op == "<":
        return left < right
    if op == ">":
        return left > right
    return file_compare(op, left, right)


def _traced_pattern(exp, word) -> str:
    """The pattern as bash traces it: every quoted character backslash-escaped."""
    from pyshell.interp.expand import QUOTED
    return "".join("".join("\\" + c for c in text) if kind == QUOTED else text
                   for text, kind in exp._chunks(word.parts, False))


def _trace(sh, negated: bool, *words: str) -> None:
    """set -x shows each primary as bash evaluates it: `+ [[ abc == a* ]]`."""
    bang = "! " if negated else ""
    sh._trace_line("[[ " + bang + " ".join(words) + " ]]")


def _regex_match(sh, subject: str, word) -> bool:
    from pyshell.interp.expand import QUOTED
    exp = sh.expander
    pieces = []
    for text, kind in exp._chunks(word.parts, False):
        pieces.append((text, kind == QUOTED))
    rx = _compile_ere(tuple(pieces), "nocasematch" in sh.state.shopts)
    if rx is None:
        raise ShellError("", 2)
    m = rx.search(subject)
    state = sh.state
    if m is None:
        state.set_array("BASH_REMATCH", {})
        return False
    groups = [m.group(0)] + [g if g is not None else "" for g in m.groups()]
    state.set_array("BASH_REMATCH", dict(enumerate(groups)))
    return True


_ERE_CLASS_NAMES = frozenset("alpha digit alnum upper lower space blank punct xdigit "
                             "cntrl print graph".split())


def _ere_bracket(text: str, i: int):
    """Translate a POSIX bracket expression at text[i] == '['; (regex, next index)."""
    n = len(text)
    j = i + 1
    out = ["["]
    if j < n and text[j] == "^":
        out.append("^")
        j += 1
    if j < n and text[j] == "]":
        out.append("\\]")
        j += 1
    while j < n and text[j] != "]":
        c = text[j]
        if c == "[" and j + 1 < n and text[j + 1] in ":.=":
            close = text.find(text[j + 1] + "]", j + 2)
            if close < 0:
                return None
            name = text[j + 2:close]
            if text[j + 1] == ":":
                if name not in _ERE_CLASS_NAMES:
                    return None
                from pyshell.interp.pattern import class_body
                out.append(class_body(name))
            else:
                out.append(re.escape(name))
            j = close + 2
            continue
        out.append("\\" + c if c in "\\[]^" else c)
        j += 1
    if j >= n:
        return None
    out.append("]")
    return "".join(out), j + 1


@lru_cache(maxsize=256)
def _compile_ere(pieces: tuple, nocase: bool):
    """POSIX ERE (unquoted pieces) plus literal text (quoted pieces) -> Python regex;
    None when the regex is invalid (bash's status 2)."""
    out = []
    for text, quoted in pieces:
        if quoted:
            out.append(re.escape(text))
            continue
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c == "\\" and i + 1 < n:
                e = text[i + 1]
                out.append("\\b" if e in "<>" else ("\\" + e if not e.isalnum() or e in "wWsSbB"
                                                    else e))
                i += 2
                continue
            if c == "[":
                res = _ere_bracket(text, i)
                if res is None:
                    return None
                out.append(res[0])
                i = res[1]
                continue
            if c == "{" and not re.match(r"\{[0-9]+(,[0-9]*)?\}", text[i:]):
                out.append("\\{")
            elif c == "?" and i > 0 and text[i - 1] in "*+?}" and out and out[-1] != "\\?":
                return None
            else:
                out.append(c)
            i += 1
    try:
        return re.compile("".join(out), re.DOTALL | (re.IGNORECASE if nocase else 0))
    except re.error:
        return None
