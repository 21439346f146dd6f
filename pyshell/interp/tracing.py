"""`set -x`: the PS4 prefix and bash's layout of traced commands and assignments."""
from __future__ import annotations

from pyshell.errors import write_stderr
from pyshell.syntax import ast


class TraceMixin:
    """Part of Interp (pyshell.interp.executor); uses its attributes."""

    # ------------------------------------------------------------------ xtrace
    def _ps4(self) -> str:
        ps4 = self.state.get("PS4")
        if ps4 is None:
            return ""
        if "$" in ps4 or "`" in ps4:
            ps4 = self._expand_prompt(ps4)
        if not ps4:
            return ""
        return ps4[0] * (self.xtrace_depth - 1) + ps4

    def _expand_prompt(self, text: str) -> str:
        try:
            from pyshell.syntax import parse
            seq = parse('"' + text.replace("\\", "\\\\").replace('"', '\\"')
                        .replace("\\\\$", "\\$") + '"')
            word = seq.items[0].command
            if isinstance(word, ast.Pipeline):
                word = word.commands[0]
            return self.expander.word(word.words[0])
        except Exception:
            return text

    def _trace_line(self, text: str) -> None:
        write_stderr(self._ps4() + text + "\n")

    def _trace_words(self, argv) -> None:
        from pyshell.interp.quoting import quote_word
        from pyshell.interp.printer import assign_source
        words = []
        for w in argv:
            if isinstance(w, ast.Assign):
                w = assign_source(w)
            words.append(quote_word(w))
        self._trace_line(" ".join(words))

    def _trace_assign(self, a, ps4: str | None = None, old: str | None = None) -> None:
        """`+ name=value` after an assignment, without expanding anything again."""
        from pyshell.interp.quoting import quote_assignment_value
        from pyshell.interp.printer import assign_source
        st = self.state
        op = "+=" if a.append else "="
        if a.array is not None:
            line = assign_source(a)
        elif a.subscript is not None:
            # the value as the assignment just expanded it
            value = self.expander.assigned_element
            line = assign_source(a) if a.value is None or value is None \
                else f"{a.name}[{a.subscript.text}]{op}" + quote_assignment_value(value)
            self.expander.assigned_element = None
        else:
            value = st.get(a.name)
            if value is None:
                return
            if a.append and old is not None and value.startswith(old):
                value = value[len(old):]
            line = f"{a.name}{op}{quote_assignment_value(value)}"
        if ps4 is None:
            self._trace_line(line)
        else:
            write_stderr(ps4 + line + "\n")
