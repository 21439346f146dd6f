"""Prompt strings: bash's backslash escapes (PS1, PS2, PS4, ${x@P}) and, with `shopt -s
promptvars` (the default), the expansions that follow them."""
from __future__ import annotations

import os
import time

from pyshell.syntax.escapes import as_text, byte_char

# Marks around invisible text (\[ ... \]) that GNU readline uses to measure a prompt.
READLINE_IGNORE_START = "\001"
READLINE_IGNORE_END = "\002"


class PromptInfo:
    """What a prompt escape may need besides the shell state."""
    __slots__ = ("history_number", "command_number", "jobs", "readline")

    def __init__(self, history_number: int = 1, command_number: int = 0, jobs: int = 0,
                 readline: bool = False):
        self.history_number = history_number    # \!
        self.command_number = command_number    # \#
        self.jobs = jobs                        # \j
        self.readline = readline                # \[ \] become readline's markers


def _user() -> str:
    import pwd
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return "?"


def _tty_name() -> str:
    try:
        return os.path.basename(os.ttyname(0))
    except OSError:
        return "tty"


def _working_dir(state, basename_only: bool) -> str:
    cwd = state.get("PWD") or os.getcwd()
    home = state.get("HOME")
    if home and home != "/" and (cwd == home or cwd.startswith(home.rstrip("/") + "/")):
        cwd = "~" + cwd[len(home.rstrip("/")):]
    if basename_only and cwd not in ("/", "~"):
        cwd = cwd.rstrip("/").rsplit("/", 1)[-1] or "/"
    return cwd


def _escape_value(text: str, quote: bool) -> str:
    """An escape's result is not expanded again (bash quotes it before promptvars)."""
    if not quote:
        return text
    return "".join("\\" + c if c in "$`\\" else c for c in text)


def decode(text: str, state, info: PromptInfo | None = None, quote: bool = False) -> str:
    """Replace bash's prompt escapes in `text`. `quote`: protect the escapes' results
    from the expansion that follows (promptvars)."""
    if "\\" not in text:
        return text
    info = info or PromptInfo()
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
        value = None
        if e == "u":
            value = _user()
        elif e in "hH":
            import socket
            host = socket.gethostname()
            value = host.split(".")[0] if e == "h" else host
        elif e in "wW":
            value = _working_dir(state, e == "W")
        elif e == "$":
            value = "#" if os.geteuid() == 0 else "$"
        elif e == "s":
            from pyshell.errors import SHELL_NAME
            value = SHELL_NAME
        elif e in "vV":
            from pyshell import BASH_COMPAT_VERSION
            release = BASH_COMPAT_VERSION.split("(")[0]        # 5.2.15
            value = ".".join(release.split(".")[:2]) if e == "v" else release
        elif e == "n":
            value = "\n"
        elif e == "r":
            value = "\r"
        elif e == "a":
            value = "\a"
        elif e == "e":
            value = "\x1b"
        elif e == "t":
            value = time.strftime("%H:%M:%S")
        elif e == "T":
            value = time.strftime("%I:%M:%S")
        elif e == "@":
            value = time.strftime("%I:%M %p")
        elif e == "A":
            value = time.strftime("%H:%M")
        elif e == "d":
            value = time.strftime("%a %b %d")
        elif e == "D" and i < n and text[i] == "{":
            close = text.find("}", i)
            if close < 0:
                value = "\\D"
            else:
                value = time.strftime(text[i + 1:close] or "%X")
                i = close + 1
        elif e == "j":
            value = str(info.jobs)
        elif e == "l":
            value = _tty_name()
        elif e == "!":
            value = str(info.history_number)
        elif e == "#":
            value = str(info.command_number)
        elif e in "01234567":
            j = i - 1
            while j < n and j < i + 2 and text[j] in "01234567":
                j += 1
            value = byte_char(int(text[i - 1:j], 8) & 0xFF)
            i = j
        elif e == "[":
            if info.readline:
                out.append(READLINE_IGNORE_START)
            continue
        elif e == "]":
            if info.readline:
                out.append(READLINE_IGNORE_END)
            continue
        elif e == "\\":
            out.append("\\")   # left as is: it quotes what follows, as in bash
            continue
        else:
            out.append("\\" + e)
            continue
        out.append(_escape_value(value, quote))
    return as_text("".join(out))


def expand(sh, text: str, info: PromptInfo | None = None) -> str:
    """A prompt as bash shows it: escapes decoded, then (promptvars) parameter, command
    and arithmetic expansion as in an unquoted here-document."""
    promptvars = "promptvars" in sh.state.shopts
    decoded = decode(text, sh.state, info, quote=promptvars)
    if not promptvars or not any(c in decoded for c in "$`\\"):
        return decoded
    from types import SimpleNamespace
    from pyshell.syntax import expanding_text_parts
    from pyshell.syntax import ast as A
    if (len(decoded) - len(decoded.rstrip("\\"))) % 2:
        decoded += "\\"   # a final lone backslash stays a character
    parts = expanding_text_parts(decoded)
    body = SimpleNamespace(quoted=False, body=A.Word(parts, decoded, line=1, col=0))
    return sh.expander.heredoc(body)
