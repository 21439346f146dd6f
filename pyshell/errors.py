"""Shell errors and the one place where they are formatted for the user.

bash prefixes every diagnostic with where it came from:
  script file   f.sh: line 3: MSG            (syntax errors too)
  -c string     bash: line 1: MSG            syntax: bash: -c: line 1: MSG
  stdin         bash: line 1: MSG
  interactive   bash: MSG
pywarmsh prints the same with its own name in place of `bash`.
"""
from __future__ import annotations

import os
import sys

SHELL_NAME = "pywarmsh"


class ShellError(Exception):
    """An error the shell reports, after which the current command fails with `status`."""
    status = 1

    def __init__(self, message: str, status: int | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.line = line


class ParseError(ShellError):
    """A syntax error. `message` is bash's text, e.g. "syntax error near unexpected token `fi'".

    `context` is the offending source line bash echoes as a second diagnostic line
    (`f.sh: line 3: `fi'`), or None when bash prints no second line (end of file).
    """
    status = 2

    def __init__(self, message: str, line: int, context: str | None = None, col: int = 0,
                 followups: list | None = None):
        super().__init__(message, 2, line)
        self.context = context
        self.col = col
        # further (line, message) diagnostics bash prints after this one
        self.followups = followups or []


class Incomplete(ParseError):
    """The input ends inside a construct: more lines would complete it (REPL: PS2)."""


class FatalShellError(ShellError):
    """An error that makes a non-interactive shell exit (bash's "fatal" expansion errors)."""


class DiscardCommand(ShellError):
    """An expansion error after which bash abandons the rest of the current top-level
    command (the whole line's list, including callers) and, when non-interactive,
    goes on with the next one: bad substitution, arithmetic errors, failglob."""


class InternalError(ShellError):
    """A bug in pywarmsh, reported as one line instead of a traceback."""
    status = 1


class ErrorFormatter:
    """Formats diagnostics with bash's prefixes. The interpreter owns one instance."""

    def __init__(self, mode: str = "c", script_name: str | None = None):
        # mode: "file", "c", "stdin" or "interactive"
        self.mode = mode
        self.script_name = script_name

    def prefix(self, line: int | None, syntax: bool = False) -> str:
        if self.mode == "file":
            head = self.script_name or SHELL_NAME
        elif self.mode == "c" and syntax:
            head = (self.script_name or SHELL_NAME) + ": -c"
        elif self.mode == "c":
            head = self.script_name or SHELL_NAME  # `-c STRING NAME` reports as NAME
        else:
            head = SHELL_NAME
        if self.mode == "interactive" or line is None:
            return head + ": "
        return f"{head}: line {line}: "

    def runtime(self, msg: str, line: int | None) -> str:
        return self.prefix(line) + msg + "\n"

    def syntax(self, err: ParseError, prefix=None) -> str:
        """A syntax error's diagnostic lines. `prefix(line)` replaces the shell's own
        prefix (eval and source name themselves: `f.sh: eval: line 3: `)."""
        if prefix is None:
            def prefix(line):
                return self.prefix(line, syntax=True)
        out = prefix(err.line) + err.message + "\n"
        if err.context is not None and self.mode != "interactive":
            out += prefix(err.line) + "`" + err.context + "'\n"
        for line, msg in getattr(err, "followups", ()):
            out += prefix(line) + msg + "\n"
        return out


def write_stderr(text: str) -> None:
    """Write a diagnostic straight to fd 2 (unbuffered, like bash)."""
    data = text.encode("utf-8", "surrogateescape")
    while data:
        try:
            n = os.write(2, data)
        except InterruptedError:
            continue
        except OSError:
            return
        data = data[n:]


def internal_error(exc: BaseException) -> str:
    """One clear line for a bug, never a traceback (set PYWARMSH_DEBUG=1 for one)."""
    if os.environ.get("PYWARMSH_DEBUG"):
        import traceback
        traceback.print_exception(exc, file=sys.stderr)
    return f"{SHELL_NAME}: internal error: {type(exc).__name__}: {exc}\n"
