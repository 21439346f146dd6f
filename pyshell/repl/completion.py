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
            if len(self.matches) == 1 and self.matches[0].endswith("\0"):
                self.matches[0] = self.matches[0][:-1]   # -o nospace
            elif len(self.matches) == 1 and not self.matches[0].endswith(("/", "}")):
                # Python's readline appends nothing after a unique match; bash a blank,
                # or a slash after a $VARIABLE that names a directory
                match = self.matches[0]
                value = self.interp.state.get(match[1:]) if match.startswith("$") else None
                self.matches[0] += "/" if value and os.path.isdir(value) else " "
        return self.matches[index] if index < len(self.matches) else None

    def _starts(self, name: str, prefix: str) -> bool:
        """readline's matching: `bind 'set completion-ignore-case on'` ignores case."""
        if getattr(self.interp, "completion_ignore_case", False):
            return name.casefold().startswith(prefix.casefold())
        return name.startswith(prefix)

    def candidates(self, line: str, begin: int, text: str) -> list:
        before = line[:begin]
        programmed = self._programmable(line, begin, text)
        if programmed is not None:
            return programmed
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
        found = {a for a in state.aliases if self._starts(a, text)}
        found.update(k for k in KEYWORDS if self._starts(k, text))
        found.update(f for f in state.functions if self._starts(f, text))
        found.update(b for b in builtin_names() if self._starts(b, text))
        for directory in (state.get("PATH") or "").split(":"):
            try:
                entries = os.listdir(directory or ".")
            except OSError:
                continue
            for entry in entries:
                if self._starts(entry, text) and entry not in found:
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
            if not self._starts(entry, prefix) or (entry.startswith(".") and not dotfiles):
                continue
            shown = os.path.join(shown_dir, entry) if shown_dir else entry
            full = os.path.join(directory, entry) if directory else entry
            suffix = "/" if os.path.isdir(full) else ""
            out.append(quote_filename(shown) + suffix)
        return sorted(out)

    # ------------------------------------------------- programmable completion
    def _programmable(self, line: str, begin: int, text: str):
        """Matches from a `complete` spec for the command being typed (bash's
        programmable completion), or None when no spec applies."""
        table = getattr(self.interp.state, "completions", None)
        if not table:
            return None
        words, cword = comp_words(line[:begin + len(text)], WORD_BREAKS)
        if cword == 0:
            spec_name = "_InitialWorD_" if "_InitialWorD_" in table else None
            if spec_name is None:
                return None
        elif not words or not words[0]:
            spec_name = "_EmptycmD_"
        else:
            command = words[0]
            spec_name = command if command in table else os.path.basename(command)
            if spec_name not in table:
                spec_name = "_DefaultCmD_"
        for _ in range(3):   # a function may return 124 after defining a new spec
            spec = table.get(spec_name)
            if spec is None:
                return None
            result = self._run_spec(spec, words, cword, line, begin + len(text), text)
            if result is not _RETRY:
                return result
            command = words[0] if words else ""
            spec_name = command if command in table else "_DefaultCmD_"
        return None

    def _run_spec(self, spec, words, cword, line, point, text):
        from pyshell.builtins.completion import Spec, generate
        interp = self.interp
        state = interp.state
        matches = []
        if spec.function is not None:
            fdef = state.functions.get(spec.function)
            if fdef is not None:
                saved_status = state.last_status
                state.set("COMP_LINE", line)
                state.set("COMP_POINT", str(point))
                state.set("COMP_CWORD", str(cword))
                state.set("COMP_KEY", "9")
                state.set("COMP_TYPE", "9")
                state.set_array("COMP_WORDS", dict(enumerate(words)))
                prev = words[cword - 1] if cword > 0 else ""
                try:
                    status = interp.call_function(fdef, [spec.function, words[0] if words
                                                         else "", text, prev])
                except Exception:
                    status = 1
                state.last_status = saved_status
                reply = state.get_array("COMPREPLY") or {}
                for name in ("COMP_LINE", "COMP_POINT", "COMP_CWORD", "COMP_KEY",
                             "COMP_TYPE", "COMP_WORDS", "COMPREPLY"):
                    try:
                        state.unset(name)
                    except Exception:
                        pass
                if status == 124:
                    return _RETRY
                matches = [reply[k] for k in sorted(reply)]
        rest = Spec()
        for attr in ("actions", "options", "glob", "words", "prefix", "suffix", "filter",
                     "command"):
            setattr(rest, attr, getattr(spec, attr))
        matches += generate(interp, rest, text)
        if not matches:
            if "bashdefault" in spec.options:
                return None   # bash's own completion
            if "default" in spec.options:
                return self._files(text)
        if "filenames" in spec.options:
            matches = [quote_filename(m) + ("/" if os.path.isdir(m) and
                                             not m.endswith("/") else "")
                       for m in matches]
        if "nosort" not in spec.options:
            matches = sorted(set(matches))
        if len(matches) == 1 and "nospace" in spec.options:
            matches[0] += "\0"   # marker: no blank after it (removed by complete())
        return matches


_RETRY = object()


def comp_words(line: str, breaks: str) -> tuple:
    """bash's COMP_WORDS and COMP_CWORD for the text before the cursor: words split at
    blanks, quotes kept together, and each run of other word-break characters (such
    as `=` or `:`) a word of its own."""
    words: list = []
    current: list = []
    i, n = 0, len(line)
    separators = "".join(c for c in breaks if c not in " \t\n\"'")
    while i < n:
        c = line[i]
        if c in " \t\n":
            if current:
                words.append("".join(current))
                current = []
            i += 1
            continue
        if c in "\"'":
            close = line.find(c, i + 1)
            close = n if close < 0 else close + 1
            current.append(line[i:close])
            i = close
            continue
        if c == "\\" and i + 1 < n:
            current.append(line[i:i + 2])
            i += 2
            continue
        if c in separators:
            if current:
                words.append("".join(current))
                current = []
            j = i
            while j < n and line[j] in separators:
                j += 1
            words.append(line[i:j])
            i = j
            continue
        current.append(c)
        i += 1
    words.append("".join(current))   # the word being completed (maybe empty)
    return words, len(words) - 1
