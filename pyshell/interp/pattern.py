"""bash pattern matching and pathname expansion.

A pattern string is what Expander.pattern() produces: characters that were quoted
in the source are backslash-escaped, unquoted * ? [...] (and extglob operators) are
active. Patterns are translated once to Python regexes (cached).
"""
from __future__ import annotations

import os
import re
from functools import lru_cache


@lru_cache(maxsize=None)
def _letter_runs() -> tuple:
    """Runs (first, last) of letters above ASCII in the Basic Multilingual Plane, found
    with the regex engine's Unicode tables (fast)."""
    bmp = "".join(map(chr, range(0x80, 0x10000)))
    return tuple((m.start() + 0x80, m.end() + 0x7F)
                 for m in re.finditer(r"[^\W\d_]+", bmp))


def _class_range(lo: int, hi: int) -> str:
    if lo == hi:
        return re.escape(chr(lo))
    return re.escape(chr(lo)) + "-" + re.escape(chr(hi))


def _letters(test=None) -> str:
    """Non-ASCII letters (those passing `test`, if given) as regex class ranges: in the
    C.UTF-8 locale bash's [[:alpha:]] [[:upper:]] etc. match them too."""
    if test is None:
        return "".join(_class_range(lo, hi) for lo, hi in _letter_runs())
    out = []
    for lo, hi in _letter_runs():
        start = None
        for c in range(lo, hi + 2):
            if c <= hi and test(chr(c)):
                if start is None:
                    start = c
            elif start is not None:
                out.append(_class_range(start, c - 1))
                start = None
    return "".join(out)


_ASCII_CLASSES = {
    "digit": "0-9", "space": "\\s", "blank": " \\t",
    "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "xdigit": "0-9A-Fa-f", "cntrl": "\\x00-\\x1f\\x7f",
    "print": "\\x20-\\x7e\\xa0-\\U0010ffff", "graph": "\\x21-\\x7e\\xa1-\\U0010ffff",
    "word": "\\w",
}


@lru_cache(maxsize=None)
def class_body(name: str) -> str:
    """The regex class body for [[:name:]] ("" for an unknown class), built lazily."""
    if name in _ASCII_CLASSES:
        return _ASCII_CLASSES[name]
    if name == "alpha":
        return "a-zA-Z" + _letters()
    if name == "alnum":
        return "0-9" + class_body("alpha")
    if name == "upper":
        return "A-Z" + _letters(str.isupper)
    if name == "lower":
        return "a-z" + _letters(str.islower)
    return ""


_EXT_OPS = "?*+@!"


def has_glob(pattern: str, extglob: bool = False) -> bool:
    """True when the pattern has an active (unescaped) glob character."""
    if "*" not in pattern and "?" not in pattern and "[" not in pattern and \
            not (extglob and "(" in pattern):
        return False
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c in "*?":
            return True
        if c == "[" and _bracket_end(pattern, i) > 0:
            return True
        if extglob and c in _EXT_OPS and i + 1 < n and pattern[i + 1] == "(":
            return True
        i += 1
    return False


def unescape(pattern: str) -> str:
    """The literal text of a pattern without active characters (quote removal)."""
    if "\\" not in pattern:
        return pattern
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            i += 1
            c = pattern[i]
        out.append(c)
        i += 1
    return "".join(out)


def escape(text: str) -> str:
    """Make literal text safe inside a pattern."""
    if not any(c in text for c in "*?[]\\()|!+@"):
        return text
    return "".join("\\" + c if c in "*?[]\\()|!+@" else c for c in text)


def _bracket_end(p: str, i: int) -> int:
    """Index just past the `]` closing the bracket expression at p[i] == '[', or -1."""
    n = len(p)
    j = i + 1
    if j < n and p[j] in "!^":
        j += 1
    if j < n and p[j] == "]":
        j += 1
    while j < n:
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if c == "[" and j + 1 < n and p[j + 1] in ":.=":
            close = p.find(p[j + 1] + "]", j + 2)
            if close >= 0:
                j = close + 2
                continue
        if c == "]":
            return j + 1
        j += 1
    return -1


def _class_char(c: str) -> str:
    return "\\" + c if c in "\\]^-[" else c


def _bracket(p: str, i: int, end: int) -> str:
    j = i + 1
    negate = False
    if p[j] in "!^":
        negate = True
        j += 1
    items = []
    stop = end - 1
    while j < stop:
        c = p[j]
        if c == "[" and j + 1 < stop and p[j + 1] == ":":
            close = p.find(":]", j + 2)
            if 0 <= close < stop:
                items.append(class_body(p[j + 2:close]))
                j = close + 2
                continue
        if c == "[" and j + 1 < stop and p[j + 1] in ".=":
            close = p.find(p[j + 1] + "]", j + 2)
            if 0 <= close < stop:
                items.append(_class_char(p[j + 2:close][:1]))
                j = close + 2
                continue
        if c == "\\" and j + 1 < stop:
            j += 1
            c = p[j]
        lo = c
        j += 1
        if j + 1 < stop and p[j] == "-":
            hi = p[j + 1]
            if hi == "\\" and j + 2 < stop:
                hi = p[j + 2]
                j += 1
            j += 2
            if ord(hi) >= ord(lo):
                items.append(_class_char(lo) + "-" + _class_char(hi))
            continue
        items.append(_class_char(lo))
    body = "".join(items)
    if not body:
        return "[^\\s\\S]" if not negate else "[\\s\\S]"
    return ("[^" if negate else "[") + body + "]"


def _split_alternatives(p: str, i: int):
    """For an extglob group starting after `(` at p[i]: (list of alternatives, index
    after the closing `)`), or None when unbalanced."""
    depth = 1
    alts = []
    start = i
    j, n = i, len(p)
    while j < n:
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                alts.append(p[start:j])
                return alts, j + 1
        elif c == "|" and depth == 1:
            alts.append(p[start:j])
            start = j + 1
        j += 1
    return None


def _translate(p: str, extglob: bool, pathname: bool = False) -> str:
    out = []
    i, n = 0, len(p)
    anychar = "[^/]" if pathname else "."
    while i < n:
        c = p[i]
        if extglob and c in _EXT_OPS and i + 1 < n and p[i + 1] == "(":
            group = _split_alternatives(p, i + 2)
            if group is not None:
                alts, after = group
                inner = "|".join(_translate(a, extglob, pathname) for a in alts)
                if c == "!":
                    rest = _translate(p[after:], extglob, pathname)
                    out.append(f"(?:(?!(?:{inner}){rest}$){anychar}*?)")
                else:
                    suffix = {"?": "?", "*": "*", "+": "+", "@": ""}[c]
                    out.append(f"(?:{inner}){suffix}")
                i = after
                continue
        if c == "*":
            while i + 1 < n and p[i + 1] == "*":
                i += 1
            out.append(anychar + "*")
        elif c == "?":
            out.append(anychar)
        elif c == "[":
            end = _bracket_end(p, i)
            if end < 0:
                out.append("\\[")
            else:
                out.append(_bracket(p, i, end))
                i = end
                continue
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(p[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _split_negations(p: str):
    """Split a pattern at its top-level !(...) groups: a list of str segments and
    ("!", inner) items, or None when there is no top-level negation."""
    items = []
    i, n = 0, len(p)
    start = 0
    found = False
    while i < n:
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            end = _bracket_end(p, i)
            if end > 0:
                i = end
                continue
        if c in _EXT_OPS and i + 1 < n and p[i + 1] == "(":
            group = _split_alternatives(p, i + 2)
            if group is not None:
                alts, after = group
                if c == "!":
                    items.append(p[start:i])
                    items.append(("!", "|".join(alts)))
                    start = after
                    found = True
                i = after
                continue
        i += 1
    if not found:
        return None
    items.append(p[start:])
    return [it for it in items if it != ""]


class _NegationMatcher:
    """Matches patterns with top-level !(...) by trying every split of the text, since
    a regex lookahead cannot say "this substring does not match"."""

    def __init__(self, items, extglob: bool, nocase: bool):
        flags = re.DOTALL | (re.IGNORECASE if nocase else 0)
        self.items = []
        for it in items:
            if isinstance(it, tuple):
                self.items.append((True, compile_pattern("@(" + it[1] + ")", extglob,
                                                         nocase)))
            else:
                self.items.append((False, re.compile(_translate(it, extglob), flags)))

    def _from(self, k: int, text: str, pos: int, end: int) -> bool:
        if k == len(self.items):
            return pos == end
        negated, rx = self.items[k]
        for e in range(end, pos - 1, -1):
            hit = rx.fullmatch(text, pos, e) is not None
            if hit != negated and self._from(k + 1, text, e, end):
                return True
        return False

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None):
        end = len(text) if endpos is None else endpos
        return True if self._from(0, text, pos, end) else None

    def match(self, text: str, pos: int = 0):
        for e in range(len(text), pos - 1, -1):
            if self._from(0, text, pos, e):
                return True
        return None


@lru_cache(maxsize=512)
def compile_pattern(pattern: str, extglob: bool = False, nocase: bool = False):
    flags = re.DOTALL | (re.IGNORECASE if nocase else 0)
    if extglob and "!(" in pattern:
        items = _split_negations(pattern)
        if items is not None:
            return _NegationMatcher(items, extglob, nocase)
    try:
        return re.compile(_translate(pattern, extglob), flags)
    except re.error:
        return re.compile(re.escape(unescape(pattern)), flags)


def match(pattern: str, text: str, extglob: bool = False, nocase: bool = False) -> bool:
    """Whole-string match of `text` against a bash pattern."""
    if not nocase and not has_glob(pattern, extglob):
        return unescape(pattern) == text
    return compile_pattern(pattern, extglob, nocase).fullmatch(text) is not None


# ----------------------------------------------------- ${x#p} ${x%p} ${x/p/r}

def remove_prefix(text: str, pattern: str, longest: bool, extglob: bool = False) -> str:
    if not has_glob(pattern, extglob):
        lit = unescape(pattern)
        return text[len(lit):] if text.startswith(lit) else text
    rx = compile_pattern(pattern, extglob)
    rng = range(len(text), -1, -1) if longest else range(len(text) + 1)
    for i in rng:
        if rx.fullmatch(text, 0, i):
            return text[i:]
    return text


def remove_suffix(text: str, pattern: str, longest: bool, extglob: bool = False) -> str:
    if not has_glob(pattern, extglob):
        lit = unescape(pattern)
        return text[:len(text) - len(lit)] if lit and text.endswith(lit) else text
    rx = compile_pattern(pattern, extglob)
    n = len(text)
    rng = range(n + 1) if longest else range(n, -1, -1)
    for i in rng:
        if rx.fullmatch(text, i, n):
            return text[:i]
    return text


def _expand_replacement(repl: str, matched: str, ampersand: bool) -> str:
    if "\\" not in repl and ("&" not in repl or not ampersand):
        return repl
    out = []
    i, n = 0, len(repl)
    while i < n:
        c = repl[i]
        if c == "\\" and i + 1 < n and repl[i + 1] in "\\&":
            out.append(repl[i + 1])
            i += 2
            continue
        out.append(matched if c == "&" and ampersand else c)
        i += 1
    return "".join(out)


def replace(text: str, pattern: str, repl: str, mode: str, extglob: bool = False,
            ampersand: bool = True) -> str:
    """${text/pattern/repl}: mode '/' first, '//' all, '/#' anchored at start,
    '/%' anchored at end. In `repl`, an unescaped & stands for the match when
    patsub_replacement is on (`ampersand`); `\\&` and `\\\\` are literal."""
    if pattern == "":
        if mode == "/#":
            return _expand_replacement(repl, "", ampersand) + text
        if mode == "/%":
            return text + _expand_replacement(repl, "", ampersand)
        return text
    n = len(text)
    if not has_glob(pattern, extglob):
        lit = unescape(pattern)
        if mode == "/#":
            return _expand_replacement(repl, lit, ampersand) + text[len(lit):] \
                if text.startswith(lit) else text
        if mode == "/%":
            return text[:n - len(lit)] + _expand_replacement(repl, lit, ampersand) \
                if text.endswith(lit) else text
        r = _expand_replacement(repl, lit, ampersand)
        return text.replace(lit, r) if mode == "//" else text.replace(lit, r, 1)
    rx = compile_pattern(pattern, extglob)
    if n == 0:
        # an empty value is replaced when the pattern matches the empty string
        return _expand_replacement(repl, "", ampersand) if rx.fullmatch("") else ""
    if mode == "/#":
        for j in range(n, -1, -1):
            if rx.fullmatch(text, 0, j):
                return _expand_replacement(repl, text[:j], ampersand) + text[j:]
        return text
    if mode == "/%":
        for i in range(n + 1):
            if rx.fullmatch(text, i, n):
                return text[:i] + _expand_replacement(repl, text[i:], ampersand)
        return text
    out = []
    i = 0
    last = 0
    while i <= n:
        found = -1
        if rx.match(text, i) is not None:
            for j in range(n, i - 1, -1):
                if rx.fullmatch(text, i, j):
                    found = j
                    break
        if found < 0 or found == i:
            i += 1
            continue
        out.append(text[last:i])
        out.append(_expand_replacement(repl, text[i:found], ampersand))
        last = i = found
        if mode == "/":
            break
    out.append(text[last:])
    return "".join(out)


# ------------------------------------------------------------ pathname expansion

def _component_regex(comp: str, extglob: bool, nocase: bool):
    if extglob and "!(" in comp:
        return compile_pattern(comp, extglob, nocase)
    flags = re.DOTALL | (re.IGNORECASE if nocase else 0)
    try:
        return re.compile(_translate(comp, extglob, pathname=True), flags)
    except re.error:
        return re.compile(re.escape(unescape(comp)), flags)


def _split_components(pattern: str) -> list:
    """Split on unescaped `/` that are not inside a bracket expression."""
    parts = []
    cur = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            cur.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "/":
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def _listdir(path: str) -> list:
    try:
        return os.listdir(path or ".")
    except OSError:
        return []


def _isdir(path: str) -> bool:
    return os.path.isdir(path or ".")


def glob(pattern: str, dotglob: bool = False, nocase: bool = False, extglob: bool = False,
         globstar: bool = False, skipdots: bool = True) -> list:
    """Pathname expansion. Returns matches sorted as bash does in the C/UTF-8 locales
    (by code point); an empty list when nothing matches. `skipdots` (shopt
    globskipdots, on by default): `.` and `..` never match, not even `.*`."""
    comps = _split_components(pattern)
    if comps[0] == "":  # absolute
        bases = ["/"]
        comps = comps[1:]
    else:
        bases = [""]
    results = bases
    last = len(comps) - 1
    for index, comp in enumerate(comps):
        final = index == last
        if comp == "":
            # a trailing slash (or //): keep only directories, add the slash
            if final:
                results = [r + "/" if not r.endswith("/") else r for r in results
                           if _isdir(r)]
            continue
        if not has_glob(comp, extglob):
            lit = unescape(comp)
            nxt = []
            for base in results:
                path = _join(base, lit)
                if final:
                    if os.path.lexists(path):
                        nxt.append(path)
                elif _isdir(path):
                    nxt.append(path)
            results = nxt
            continue
        if globstar and comp == "**":
            nxt = []
            for base in results:
                nxt.extend(_globstar(base, dotglob, final))
            results = nxt
            continue
        rx = _component_regex(comp, extglob, nocase)
        explicit_dot = unescape(comp).startswith(".")
        nxt = []
        for base in results:
            names = _listdir(base)
            if explicit_dot and not skipdots:
                names += [".", ".."]
            names.sort()
            for name in names:
                if name[0] == "." and not (dotglob or explicit_dot):
                    continue
                if name in (".", "..") and (skipdots or not explicit_dot):
                    continue
                if rx.fullmatch(name):
                    path = _join(base, name)
                    if final or _isdir(path):
                        nxt.append(path)
        results = nxt
        if not results:
            return []
    if results == bases:
        return []
    return sorted(results)


def _join(base: str, name: str) -> str:
    if not base:
        return name
    if base.endswith("/"):
        return base + name
    return base + "/" + name


def _globstar(base: str, dotglob: bool, final: bool) -> list:
    """`**`: the base itself (as a directory prefix) and every directory below it,
    plus every file when it is the last component."""
    out = []
    if not final:
        out.append(base)
    elif base:
        out.append(base.rstrip("/") + "/")

    def walk(d):
        for name in sorted(_listdir(d)):
            if name[0] == "." and not dotglob:
                continue
            path = _join(d, name)
            isdir = os.path.isdir(path) and not os.path.islink(path)
            if final or isdir:
                out.append(path)
            if isdir:
                walk(path)
    walk(base)
    return out
