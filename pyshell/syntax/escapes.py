"""Backslash escapes, decoded in one place for every context that has them:

    "ansi"    $'...' strings and ${x@E}: \\nnn octal, \\xHH, \\uHHHH, \\UHHHHHHHH, \\cX,
              \\' \\" \\? and the letters below
    "echo"    echo -e: \\0nnn octal (up to three digits after the 0), \\c ends the output
    "b"       printf %b: as echo, and \\nnn octal without the 0 too
    "printf"  a printf format: \\nnn octal, \\" and \\? stand for themselves, \\' stays

Octal and \\x escapes give bytes. The shell keeps text as str decoded from UTF-8 with
surrogateescape, so the decoded bytes are re-read that way: `$'\\303\\251'` is one
character (é), a lone `$'\\351'` the undecodable byte 0xE9, both written back unchanged.
"""
from __future__ import annotations

LETTERS = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n",
           "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
OCTAL_DIGITS = "01234567"
HEX_DIGITS = "0123456789abcdefABCDEF"


def byte_char(value: int) -> str:
    """One byte as the shell's text holds it (before re-reading as UTF-8)."""
    return chr(value) if value < 0x80 else chr(0xDC00 + value)


def as_text(decoded: str) -> str:
    """Bytes produced by escapes, re-read as UTF-8 (surrogateescape) like all input."""
    if not any("\udc80" <= c <= "\udcff" for c in decoded):
        return decoded
    return decoded.encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")


def control_char(ch: str) -> str:
    """\\cX: bash's TOCTRL."""
    return "\x7f" if ch == "?" else chr(ord(ch.upper()) & 0x1F)


def escape_end(text: str, i: int) -> int:
    """`text[i]` is a backslash: the index just after the escape that starts there, as
    a printf format reads it (\\nnn, \\xHH, \\uHHHH, \\UHHHHHHHH, or one character)."""
    n = len(text)
    j = i + 1
    if j < n and text[j] in OCTAL_DIGITS:
        k = j
        while k < n and k < j + 3 and text[k] in OCTAL_DIGITS:
            k += 1
        return k
    if j < n and text[j] in "xuU":
        k = j + 1
        limit = j + 1 + {"x": 2, "u": 4, "U": 8}[text[j]]
        while k < n and k < limit and text[k] in HEX_DIGITS:
            k += 1
        return k
    return min(j + 1, n)


def decode(text: str, mode: str = "ansi", warn=None) -> tuple:
    """Decode the escapes of `text` for `mode`. Returns (text, stopped): `stopped` when an
    echo-mode \\c ended it. `warn(message)` hears about `\\x` without digits (printf)."""
    if "\\" not in text:
        return text, False
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        e = text[i + 1]
        i += 2
        if e in LETTERS:
            out.append(LETTERS[e])
        elif e == "c":
            if mode in ("echo", "b"):
                return as_text("".join(out)), True
            if mode == "ansi" and i < n:
                ch = text[i]
                i += 1
                if ch == "\\" and i < n and text[i] == "\\":
                    i += 1
                out.append(control_char(ch))
            else:
                out.append("\\c")
        elif e in OCTAL_DIGITS and (mode != "echo" or e == "0"):
            # echo (and %b's \\0nnn): the digits after the 0
            start = i if mode == "echo" or mode == "b" and e == "0" else i - 1
            k = start
            while k < n and k < start + 3 and text[k] in OCTAL_DIGITS:
                k += 1
            out.append(byte_char(int(text[start:k] or "0", 8) & 0xFF))
            i = k
        elif e in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[e]
            k = i
            while k < n and k < i + width and text[k] in HEX_DIGITS:
                k += 1
            if k == i:
                if e == "x" and warn is not None:
                    warn("missing hex digit for \\x")
                out.append("\\" + e)
            elif e == "x":
                out.append(byte_char(int(text[i:k], 16)))
            else:
                try:
                    out.append(chr(int(text[i:k], 16)))
                except (ValueError, OverflowError):
                    out.append("\\" + e + text[i:k])
            i = k
        elif e in "\"'?" and mode in ("printf", "ansi"):
            out.append("\\'" if mode == "printf" and e == "'" else e)
        else:
            out.append("\\" + e)
    result = as_text("".join(out))
    if mode == "ansi" and "\0" in result:
        # bash keeps $'...' as a C string: it ends at the first NUL
        result = result[:result.index("\0")]
    return result, False


def decode_ansi(text: str) -> str:
    """The value of a $'...' string."""
    return decode(text, "ansi")[0]
