"""The command history of an interactive shell: the list, HISTFILE, HISTCONTROL,
HISTIGNORE, HISTSIZE / HISTFILESIZE, and history expansion (`!!`, `!n`, `!str`, `^a^b`,
word designators and modifiers)."""
from __future__ import annotations

import os
import re


class HistoryError(Exception):
    """A failed history expansion: bash prints `message` and drops the line."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _int_var(state, name: str, default: int | None) -> int | None:
    value = state.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default


class History:
    def __init__(self, state):
        self.state = state
        self.entries: list[str] = []
        self.base = 1           # history number of entries[0]
        self.loaded = 0         # entries read from HISTFILE (not appended again)
        self.file_lines = 0     # lines of HISTFILE read so far (history -n)
        self.size = _int_var(state, "HISTSIZE", 500)
        self.on_add = None      # callback(entry), e.g. to mirror into readline
        self.print_only = False  # the last expansion had :p

    # ------------------------------------------------------------------ the list
    @property
    def next_number(self) -> int:
        return self.base + len(self.entries)

    def add(self, entry: str) -> bool:
        """Record `entry` unless HISTCONTROL / HISTIGNORE say otherwise."""
        entry = entry.rstrip("\n")
        if not entry.strip():
            return False
        control = (self.state.get("HISTCONTROL") or "").split(":")
        if ("ignorespace" in control or "ignoreboth" in control) and entry[0] in " \t":
            return False
        if ("ignoredups" in control or "ignoreboth" in control) and self.entries and \
                self.entries[-1] == entry:
            return False
        if self._ignored(entry):
            return False
        if "erasedups" in control:
            self.entries = [e for e in self.entries if e != entry]
        self.sync_size()
        self.entries.append(entry)
        self._trim(self.size)
        if self.on_add is not None:
            self.on_add(entry)
        return True

    def _ignored(self, entry: str) -> bool:
        patterns = self.state.get("HISTIGNORE")
        if not patterns:
            return False
        from pyshell.interp.pattern import match
        for pattern in patterns.split(":"):
            pattern = pattern.replace("&", self.entries[-1] if self.entries else "&")
            if pattern and match(pattern, entry):
                return True
        return False

    def sync_size(self) -> None:
        """Apply a changed HISTSIZE the way readline's stifle_history does (which
        restarts the numbering at the count of entries it drops)."""
        size = _int_var(self.state, "HISTSIZE", 500)
        if size == self.size:
            return
        self.size = size
        if size is not None and 0 <= size < len(self.entries):
            dropped = len(self.entries) - size
            del self.entries[:dropped]
            self.base = dropped
            self.loaded = max(0, self.loaded - dropped)

    def _trim(self, size: int | None) -> None:
        if size is None or size < 0:
            return
        extra = len(self.entries) - size
        if extra > 0:
            del self.entries[:extra]
            self.base += extra
            self.loaded = max(0, self.loaded - extra)

    def clear(self) -> None:
        self.entries = []
        self.base = 1
        self.loaded = 0

    def delete(self, number: int) -> bool:
        index = number - self.base
        if not 0 <= index < len(self.entries):
            return False
        del self.entries[index]
        return True

    # ------------------------------------------------------------------ HISTFILE
    def file(self) -> str | None:
        path = self.state.get("HISTFILE")
        return path or None

    def read(self, path: str | None = None, new_only: bool = False) -> None:
        path = path or self.file()
        if not path:
            return
        try:
            with open(path, encoding="utf-8", errors="surrogateescape") as f:
                lines = f.read().splitlines()
        except OSError:
            return
        seen = self.file_lines if new_only else 0
        self.file_lines = len(lines)
        # timestamps (#1700000000 lines) are kept by bash only with HISTTIMEFORMAT
        lines = [line for line in lines[seen:] if not re.fullmatch(r"#\d+", line)]
        self.entries.extend(lines)
        self.loaded = len(self.entries)
        self._trim(_int_var(self.state, "HISTSIZE", 500))

    def write(self, path: str | None = None, append_new: bool = False) -> bool:
        """Save to HISTFILE (or `path`): only the new entries with `append_new`
        (histappend, history -a), else the whole list; then HISTFILESIZE applies."""
        path = path or self.file()
        if not path:
            return True
        entries = self.entries[self.loaded:] if append_new else self.entries
        try:
            mode = "a" if append_new else "w"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append_new
                                                              else os.O_TRUNC), 0o600)
            with os.fdopen(fd, mode, encoding="utf-8", errors="surrogateescape") as f:
                f.writelines(entry + "\n" for entry in entries)
            self.loaded = len(self.entries)
            self._truncate_file(path)
            return True
        except OSError:
            return False

    def _truncate_file(self, path: str) -> None:
        limit = _int_var(self.state, "HISTFILESIZE", None)
        if limit is None:
            limit = _int_var(self.state, "HISTSIZE", 500)
        if limit is None or limit < 0:
            return
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            lines = f.read().splitlines(keepends=True)
        if len(lines) > limit:
            with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.writelines(lines[len(lines) - limit:])

    # ---------------------------------------------------------------- expansion
    def expand(self, line: str) -> tuple:
        """History expansion of one input line: (text, changed). Raises HistoryError."""
        self.print_only = False
        if "!" not in line and not line.startswith("^"):
            return line, False
        return _Expansion(self, line).run()


_WORD_RE = re.compile(r"""(?:[^\s'"\\]|\\.|'[^']*'|"(?:[^"\\]|\\.)*")+""")


def _single_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _split_words(text: str) -> list:
    return _WORD_RE.findall(text)


class _Expansion:
    def __init__(self, history: History, line: str):
        self.history = history
        self.line = line
        self.last_search = None

    def run(self) -> tuple:
        line = self.line
        if line.startswith("^"):
            # ^old^new^ is !!:s^old^new^
            line = "!!:s" + line
        out = []
        i, n = 0, len(line)
        in_single = in_double = False
        changed = False
        while i < n:
            c = line[i]
            if c == "\\" and i + 1 < n and not in_single:
                out.append(line[i:i + 2])
                i += 2
                continue
            if c == "'" and not in_double:
                in_single = not in_single
            elif c == '"':
                in_double = not in_double
            if c != "!" or in_single or i + 1 >= n or line[i + 1] in " \t\n=(" or \
                    (in_double and line[i + 1] == '"'):
                out.append(c)
                i += 1
                continue
            text, i = self._designator(line, i + 1)
            out.append(text)
            changed = True
        return "".join(out), changed

    # !<event>[:<words>][:<modifiers>]
    def _designator(self, line: str, i: int) -> tuple:
        start = i - 1
        entries = self.history.entries
        n = len(line)
        c = line[i]
        if c == "!":
            event = self._event(len(entries) - 1, line, start, i + 1)
            i += 1
        elif c.isdigit() or (c == "-" and i + 1 < n and line[i + 1].isdigit()):
            m = re.match(r"-?\d+", line[i:])
            num = int(m.group())
            i += m.end()
            if num < 0:
                event = self._event(len(entries) + num, line, start, i)
            else:
                event = self._event(num - self.history.base, line, start, i)
        elif c == "#":
            return "".join(line[:start]), i + 1
        elif c == "?":
            end = line.find("?", i + 1)
            text = line[i + 1:] if end < 0 else line[i + 1:end]
            i = n if end < 0 else end + 1
            event = self._search(text, line, start, i, anywhere=True)
        elif c in "$^*:":
            event = self._event(len(entries) - 1, line, start, i)
        else:
            m = re.match(r"[^\s:?\"'!]+", line[i:])
            if m is None:
                return "!", i
            text = m.group()
            i += m.end()
            event = self._search(text, line, start, i, anywhere=False)
        words = None
        if i < n and (line[i] in "$^*" or line[i] == ":" and i + 1 < n and
                      (line[i + 1].isdigit() or line[i + 1] in "^$*-")):
            words, i = self._words(event, line, i, start)
        result = event if words is None else words
        while i + 1 < n and line[i] == ":" and line[i + 1] in "htrepqxsg&":
            result, i = self._modifier(result, line, i + 1, i)
        return result, i

    def _event(self, index: int, line: str, start: int, end: int) -> str:
        entries = self.history.entries
        if not 0 <= index < len(entries):
            raise HistoryError(f"{line[start:end]}: event not found")
        return entries[index]

    def _search(self, text: str, line: str, start: int, end: int, anywhere: bool) -> str:
        for entry in reversed(self.history.entries):
            if (text in entry) if anywhere else entry.startswith(text):
                self.last_search = text
                return entry
        raise HistoryError(f"{line[start:end]}: event not found")

    def _words(self, event: str, line: str, i: int, start: int) -> tuple:
        start = i   # bash names the word designator in its errors
        words = _split_words(event)
        last = len(words) - 1
        if line[i] == ":":
            i += 1
        m = re.match(r"(\^|\$|\*|\d+|)(?:(-)(\$|\d+)?|(\*))?", line[i:])
        first, dash, second, star = m.groups()
        i += m.end()
        if first == "" and not dash:
            raise HistoryError(f"{line[start:i]}: bad word specifier")
        if first == "*":
            lo, hi = 1, last
        else:
            lo = {"^": 1, "$": last, "": 0 if dash else None}.get(first)
            if lo is None:
                lo = int(first)
            if star:
                hi = last
            elif dash:
                hi = last - 1 if second is None else last if second == "$" else int(second)
            else:
                hi = lo
        if lo > last or hi > last or lo < 0:
            if first == "*" and last < 1:
                return "", i
            raise HistoryError(f"{line[start:i]}: bad word specifier")
        return " ".join(words[lo:hi + 1]), i

    def _modifier(self, text: str, line: str, i: int, start: int) -> tuple:
        """`start`: the modifier's colon (bash names the modifier in its errors)."""
        c = line[i]
        i += 1
        if c == "h":
            return (text.rsplit("/", 1)[0] if "/" in text else text), i
        if c == "t":
            return text.rsplit("/", 1)[-1], i
        if c == "r":
            head, dot, tail = text.rpartition(".")
            return (head if dot and "/" not in tail else text), i
        if c == "e":
            head, dot, tail = text.rpartition(".")
            return (dot + tail if dot and "/" not in tail else ""), i
        if c == "q":
            return _single_quote(text), i
        if c == "x":
            return " ".join(_single_quote(w) for w in re.split(r"[ \t\n]", text)), i
        if c == "p":
            self.history.print_only = True   # the line is shown and stored, not run
            return text, i
        global_ = False
        if c == "g":
            global_ = True
            if i >= len(line):
                return text, i
            c = line[i]
            i += 1
        if c == "&":
            return text, i
        if c == "s":
            if i >= len(line):
                raise HistoryError(f"{line[start:i]}: bad word specifier")
            delim = line[i]
            parts = []
            j = i + 1
            buf = []
            while j < len(line) and len(parts) < 2:
                ch = line[j]
                if ch == "\\" and j + 1 < len(line) and line[j + 1] == delim:
                    buf.append(delim)
                    j += 2
                    continue
                if ch == delim:
                    parts.append("".join(buf))
                    buf = []
                    j += 1
                    continue
                buf.append(ch)
                j += 1
            if len(parts) < 2:
                parts.append("".join(buf))
            old, new = parts[0], parts[1] if len(parts) > 1 else ""
            if not old:
                raise HistoryError(f"{line[start:j]}: no previous substitution")
            if old not in text:
                raise HistoryError(f"{line[start:j]}: substitution failed")
            new = new.replace("&", old)
            return (text.replace(old, new) if global_ else text.replace(old, new, 1)), j
        raise HistoryError(f"{line[start:i]}: unrecognized history modifier")
