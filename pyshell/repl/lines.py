"""Reading input lines for the interactive shell.

On a terminal, GNU readline (Python's `readline` module) edits the line, keeps the
history for the arrow keys and completes with TAB. Elsewhere (`pywarmsh -i < file`) lines
are read from fd 0 a byte at a time, so programs the commands start see the rest of the
input, and the prompt and the line read are echoed to stderr, as bash's readline does
when its input is not a terminal.
"""
from __future__ import annotations

import os

from pyshell.errors import write_stderr


class PlainLines:
    """Input from a pipe or file."""

    def __init__(self):
        self.readline = None

    def read(self, prompt: str) -> str | None:
        write_stderr(prompt)
        data = bytearray()
        while True:
            try:
                chunk = os.read(0, 1)
            except InterruptedError:
                continue
            except OSError:
                chunk = b""
            if not chunk:
                break
            data += chunk
            if chunk == b"\n":
                break
        if not data:
            return None
        text = data.decode("utf-8", "surrogateescape")
        write_stderr(text if text.endswith("\n") else text + "\n")
        return text

    def add_history(self, entry: str) -> None:
        pass


class ReadlineLines:
    """Input from a terminal, through GNU readline."""

    def __init__(self, readline, completer):
        self.readline = readline
        readline.set_completer(completer.complete)
        readline.set_completer_delims(completer_delims())
        readline.parse_and_bind("tab: complete")
        readline.set_auto_history(False)   # the shell decides what enters the history

    def read(self, prompt: str) -> str | None:
        try:
            return input(prompt) + "\n"
        except EOFError:
            return None

    def add_history(self, entry: str) -> None:
        self.readline.add_history(entry)

    def load_history(self, entries) -> None:
        self.readline.clear_history()
        for entry in entries:
            self.readline.add_history(entry)


def completer_delims() -> str:
    from pyshell.repl.completion import WORD_BREAKS
    return WORD_BREAKS.replace("=", "").replace(":", "")


def open_lines(completer):
    """Readline on a terminal (when the module is available), plain reads otherwise."""
    if os.isatty(0) and os.isatty(1):
        try:
            import readline
        except ImportError:
            return PlainLines()
        return ReadlineLines(readline, completer)
    return PlainLines()
