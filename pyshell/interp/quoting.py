"""Quoting words for re-input, the way bash prints them in `set -x` traces, `declare -p`,
`alias`, `trap -p` and `${x@Q}`."""
from __future__ import annotations

_METAS = frozenset(" \t\n'\"\\|&;()<>!{}*[?]^$`")


def needs_quoting(word: str) -> bool:
    """bash's sh_contains_shell_metas."""
    if not word:
        return True
    for i, ch in enumerate(word):
        if ch in _METAS:
            return True
        if ch == "~" and (i == 0 or word[i - 1] in "=:"):
            return True
        if ch == "#" and i == 0:
            return True
    return False


def needs_ansi(word: str, tab_newline: bool = False) -> bool:
    """Control characters and bytes that are not UTF-8 call for $'...'; tab and newline
    only when `tab_newline` (declare -p and set listings; traces, alias and trap -p keep
    them quoted)."""
    for ch in word:
        code = ord(ch)
        if code < 32:
            if tab_newline or ch not in "\t\n":
                return True
        elif code == 127 or 0xDC80 <= code <= 0xDCFF:
            return True
    return False


def single_quote(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"


_ANSI_ESCAPES = {"\a": "\\a", "\b": "\\b", "\x1b": "\\E", "\f": "\\f", "\n": "\\n",
                 "\r": "\\r", "\t": "\\t", "\v": "\\v", "\\": "\\\\", "'": "\\'"}


def ansi_quote(word: str) -> str:
    out = []
    for ch in word:
        esc = _ANSI_ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append("\\%03o" % ord(ch))
        elif 0xDC80 <= ord(ch) <= 0xDCFF:   # a byte that is not UTF-8
            out.append("\\%03o" % (ord(ch) - 0xDC00))
        else:
            out.append(ch)
    return "$'" + "".join(out) + "'"


def quote_word(word: str) -> str:
    """A word as set -x shows it: unchanged when safe, else quoted."""
    if needs_ansi(word):
        return ansi_quote(word)
    if needs_quoting(word):
        return single_quote(word)
    return word


def quote_assignment_value(value: str, listing: bool = False) -> str:
    """`listing`: as `set` lists variables (tab and newline as $'...')."""
    if needs_ansi(value, listing):
        return ansi_quote(value)
    if value and not needs_quoting(value):
        return value
    return single_quote(value) if value else ""


def double_quote(word: str) -> str:
    return '"' + "".join("\\" + c if c in '"\\$`' else c for c in word) + '"'


def declare_value(value: str) -> str:
    """An array element's value as declare -p, ${a[@]@A} and ${a[@]@K} print it."""
    if needs_ansi(value, True):
        return ansi_quote(value)
    return double_quote(value)


def declare_key(key: str) -> str:
    """An associative array's key as declare -p, ${a[@]@A} and ${a[@]@K} print it."""
    if needs_ansi(key, True):
        return ansi_quote(key)
    if needs_quoting(key) or key in ("@", "*"):
        return double_quote(key)
    return key


def array_body(arr: dict, keys: list, assoc: bool) -> str:
    """The `(...)` of `declare -p` for an array, its keys in listing order."""
    if assoc:
        return "(" + "".join(f"[{declare_key(k)}]={declare_value(arr[k])} "
                             for k in keys) + ")"
    return "(" + " ".join(f"[{k}]={declare_value(arr[k])}" for k in keys) + ")"
