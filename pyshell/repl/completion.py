"""Tab completion for the interactive shell (GNU readline's completer protocol).

What is completed, as bash does by default: `$NAME` / `${NAME` with variable names,
`~USER` with user names, a command word (first word of a command, after `|`, `;`, `&&`,
`(`...) with aliases, keywords, functions, builtins and programs in PATH, and any other
word with file names (directories get a `/`).
"""
from __future__ import annotations

import os
import re

# bash's default COMP_WORDBREAKS
WORD_BREAKS = " \t\n\"'><=;|&(:"
_COMMAND_SEPARATORS = re.compile(r"(?:\|\||&&|[;|&(`]|\$\(|\bthen|\bdo|\belse|\btime|!)\s*$")
KEYWORDS = ("if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while",
            "until", "do", "done", "in", "function", "time", "{", "}", "!", "[[", "]]",
            "coproc")
_SPECIAL_CHARS = set(" \t\n\"'\\|&;()<>$`!*?[]{}#~=")


def quote_filename(name: str) -> str:
    return "".join("\\" + c if c in _SPECIAL_CHARS else c for c in name)


class Completer:
    def __init__(self, interp):
        self.interp = interp
        self.matches: list = []

    # readline calls complete(text, 0), complete(text, 1)... until it gets None
    def complete(self, text: str, index: int):
        if index == 0:
            try:
                import readline
                line = readline.get_line_buffer()
                begin = readline.get_begidx()
            except (ImportError, AttributeError):
                line, begin = text, 0
            try:
                self.matches = self.candidates(line, begin, text)
            except Exception:   # never let a completion bug reach readline
                self.matches = []
            if len(self.matches) == 1 and not self.matches[0].endswith(("/", "}")):
                # Python's readline appends nothing after a unique match; bash a blank,
                # or a slash after a $VARIABLE that names a directory
                match = self.matches[0]
                value = self.interp.state.get(match[1:]) if match.startswith("$") else None
                self.matches[0] += "/" if value and os.path.isdir(value) else " "
        return self.matches[index] if index < len(self.matches) else None

    def candidates(self, line: str, begin: int, text: str) -> list:
        before = line[:begin]
        if begin > 0 and line[begin - 1] == "$":
            return sorted(name for name in self._variables() if name.startswith(text))
        if begin > 1 and line[begin - 2:begin] == "${":
            return sorted(name + "}" for name in self._variables() if name.startswith(text))
        if text.startswith("$"):
            return sorted("$" + n for n in self._variables() if n.startswith(text[1:]))
        if text.startswith("~") and "/" not in text:
            return self._users(text[1:])
        if self._command_position(before) and "/" not in text:
            return self._commands(text)
        return self._files(text)

    @staticmethod
    def _command_position(before: str) -> bool:
        stripped = before.rstrip()
        if not stripped:
            return True
        return bool(_COMMAND_SEPARATORS.search(before))

    def _variables(self) -> set:
        state = self.interp.state
        names = set(state.globals)
        for scope in getattr(state, "scopes", ()):
            names.update(scope)
        return {n for n in names if state.get(n) is not None or state.get_array(n)}

    @staticmethod
    def _users(prefix: str) -> list:
        import pwd
        return sorted("~" + p.pw_name + "/" for p in pwd.getpwall()
                      if p.pw_name.startswith(prefix))

    def _commands(self, text: str) -> list:
        from pyshell.builtins import names as builtin_names
        state = self.interp.state
        found = {a for a in state.aliases if a.startswith(text)}
        found.update(k for k in KEYWORDS if k.startswith(text))
        found.update(f for f in state.functions if f.startswith(text))
        found.update(b for b in builtin_names() if b.startswith(text))
        for directory in (state.get("PATH") or "").split(":"):
            try:
                entries = os.listdir(directory or ".")
            except OSError:
                continue
            for entry in entries:
                if entry.startswith(text) and entry not in found:
                    path = os.path.join(directory or ".", entry)
                    if os.access(path, os.X_OK) and not os.path.isdir(path):
                        found.add(entry)
        if not found:
            return self._files(text)
        return sorted(found)

    def _files(self, text: str) -> list:
        state = self.interp.state
        home = state.get("HOME") or ""
        typed = text.replace("\\", "")
        expanded = home + typed[1:] if typed.startswith("~/") and home else typed
        directory, prefix = os.path.split(expanded)
        shown_dir = os.path.split(typed)[0]
        try:
            entries = os.listdir(directory or ".")
        except OSError:
            return []
        dotfiles = prefix.startswith(".")
        out = []
        for entry in entries:
            if not entry.startswith(prefix) or (entry.startswith(".") and not dotfiles):
                continue
            shown = os.path.join(shown_dir, entry) if shown_dir else entry
            full = os.path.join(directory, entry) if directory else entry
            suffix = "/" if os.path.isdir(full) else ""
            out.append(quote_filename(shown) + suffix)
        return sorted(out)
