"""Turning command nodes back into source text the way bash prints them
(`type f`, `declare -f`, `set` listing functions): bash's own layout, not the
user's, e.g.

    f () 
    { 
        echo one;
        if x; then
            y;
        fi
    }
"""
from __future__ import annotations

from pyshell.syntax import ast

INDENT = "    "


def function_text(fdef) -> str:
    body = fdef.body
    if not isinstance(body, ast.BraceGroup):
        body = ast.BraceGroup(ast.Seq([ast.SeqItem(body)]))
    text = f"{fdef.name} () \n" + _Printer().group(body, 0)
    redirs = _redirs(fdef.redirs)
    return text + (" " + redirs if redirs else "")


def command_text(node) -> str:
    """One command in bash's layout (for job and signal messages)."""
    return _Printer().command(node, 0)


class _Printer:
    def __init__(self):
        self.heredocs: list = []

    # ------------------------------------------------------------ lists
    def lines(self, seq, level: int, terminate_last: bool) -> str:
        """Commands of `seq`, one per line at `level`, separated by `;`."""
        pad = INDENT * level
        out = []
        items = seq.items
        lead = pad
        for i, item in enumerate(items):
            text = self.command(item.command, level)
            last = i == len(items) - 1
            docs = self._flush_heredocs()
            if item.background:
                # bash keeps the next command on the same line after `&`
                out.append(lead + text + (" &" if last else " & "))
                lead = ""
                continue
            if lead != pad:
                out.append(text)
                lead = pad
                out.append(";" if (terminate_last or not last) else "")
                out.append("\n" if not last else "")
                continue
            if docs:
                out.append(pad + text + "\n" + docs + ("\n" if not last else ""))
                continue
            out.append(pad + text + (";" if (terminate_last or not last) else "")
                       + ("\n" if not last else ""))
        return "".join(out)

    def inline(self, seq, level: int) -> str:
        parts = []
        for item in seq.items:
            text = self.command(item.command, level)
            parts.append(text + (" &" if item.background else ""))
        return "; ".join(parts)

    def _flush_heredocs(self) -> str:
        if not self.heredocs:
            return ""
        out = []
        for doc in self.heredocs:
            body = doc.body.text or "".join(getattr(p, "text", "") for p in doc.body.parts)
            if body and not body.endswith("\n"):
                body += "\n"
            out.append(body + doc.delimiter + "\n")
        self.heredocs = []
        return "".join(out)

    # --------------------------------------------------------- commands
    def command(self, node, level: int) -> str:
        method = getattr(self, "c_" + type(node).__name__, None)
        if method is None:
            return ":"
        return method(node, level)

    def c_Simple(self, node, level):
        words = [_assign_text(a) for a in node.assigns]
        words += [w.text for w in node.words]
        redirs = self._redirs(node.redirs)
        if redirs:
            words.append(redirs)
        return " ".join(words)

    def _redirs(self, redirs) -> str:
        for r in redirs:
            if r.heredoc is not None:
                self.heredocs.append(r.heredoc)
        return _redirs(redirs)

    def c_Pipeline(self, node, level):
        out = ""
        for i, cmd in enumerate(node.commands):
            if i:
                out += " |& " if i - 1 < len(node.stderr_pipes) and node.stderr_pipes[i - 1] \
                    else " | "
            out += self.command(cmd, level)
        if node.negate:
            out = "! " + out
        if node.time:
            out = ("time -p " if node.time_posix else "time ") + out
        return out

    def c_AndOr(self, node, level):
        out = self.command(node.commands[0], level)
        for op, cmd in zip(node.ops, node.commands[1:]):
            out += f" {op} " + self.command(cmd, level)
        return out

    def c_Seq(self, node, level):
        return self.inline(node, level)

    def group(self, node, level):
        pad = INDENT * level
        return "{ \n" + self.lines(node.body, level + 1, False) + "\n" + pad + "}"

    def c_BraceGroup(self, node, level):
        return self._with_redirs(self.group(node, level), node)

    def c_Subshell(self, node, level):
        pad = INDENT * level
        inner = [self.command(item.command, level) + (" &" if item.background else "")
                 for item in node.body.items]
        return self._with_redirs("( " + (";\n" + pad).join(inner) + " )", node)

    def _with_redirs(self, text, node):
        redirs = self._redirs(getattr(node, "redirs", []))
        return text + (" " + redirs if redirs else "")

    def c_If(self, node, level):
        return self._with_redirs(self._if(node.clauses, node.else_body, level), node)

    def _if(self, clauses, else_body, level):
        pad = INDENT * level
        first = clauses[0]
        out = "if " + self.inline(first.condition, level) + "; then\n"
        out += self.lines(first.body, level + 1, True) + "\n"
        if len(clauses) > 1:
            out += pad + "else\n" + INDENT * (level + 1) + \
                self._if(clauses[1:], else_body, level + 1) + ";\n"
        elif else_body is not None:
            out += pad + "else\n" + self.lines(else_body, level + 1, True) + "\n"
        return out + pad + "fi"

    def c_While(self, node, level):
        pad = INDENT * level
        word = "until" if node.until else "while"
        out = f"{word} " + self.inline(node.condition, level) + "; do\n"
        out += self.lines(node.body, level + 1, True) + "\n" + pad + "done"
        return self._with_redirs(out, node)

    def c_For(self, node, level):
        pad = INDENT * level
        words = '"$@"' if node.words is None else " ".join(w.text for w in node.words)
        out = f"for {node.var} in {words};\n{pad}do\n"
        out += self.lines(node.body, level + 1, True) + "\n" + pad + "done"
        return self._with_redirs(out, node)

    def c_Select(self, node, level):
        pad = INDENT * level
        words = '"$@"' if node.words is None else " ".join(w.text for w in node.words)
        out = f"select {node.var} in {words};\n{pad}do\n"
        out += self.lines(node.body, level + 1, True) + "\n" + pad + "done"
        return self._with_redirs(out, node)

    def c_ArithFor(self, node, level):
        pad = INDENT * level

        def t(w):
            return w.text.strip() if w is not None else ""
        out = f"for (({t(node.init)}; {t(node.cond)}; {t(node.step)}))\n{pad}do\n"
        out += self.lines(node.body, level + 1, True) + "\n" + pad + "done"
        return self._with_redirs(out, node)

    def c_Case(self, node, level):
        pad = INDENT * level
        out = f"case {node.word.text} in \n"
        for item in node.items:
            out += INDENT * (level + 1) + " | ".join(p.text for p in item.patterns) + ")\n"
            if item.body is not None and item.body.items:
                out += self.lines(item.body, level + 2, False) + "\n"
            out += INDENT * (level + 1) + item.terminator + "\n"
        return self._with_redirs(out + pad + "esac", node)

    def c_ArithCmd(self, node, level):
        return self._with_redirs(f"(( {node.expr.text.strip()} ))", node)

    def c_CondCmd(self, node, level):
        return self._with_redirs(f"[[ {_cond_text(node.expr)} ]]", node)

    def c_FuncDef(self, node, level):
        body = node.body
        if not isinstance(body, ast.BraceGroup):
            body = ast.BraceGroup(ast.Seq([ast.SeqItem(body)]))
        pad = INDENT * level
        return f"{node.name} () \n{pad}" + self.group(body, level)

    def c_Coproc(self, node, level):
        return f"coproc {node.name} " + self.command(node.body, level)


def assign_source(a) -> str:
    """An assignment as written (for traces that must not expand it twice)."""
    return _assign_text(a)


def _assign_text(a) -> str:
    op = "+=" if a.append else "="
    name = a.name + (f"[{a.subscript.text}]" if a.subscript is not None else "")
    if a.array is not None:
        items = []
        for item in a.array:
            if item.key is not None:
                items.append(f"[{item.key.text}]{'+=' if item.append else '='}"
                             f"{_word_source(item.value)}")
            else:
                items.append(_word_source(item.value))
        return f"{name}{op}(" + " ".join(items) + ")"
    return name + op + (a.value.text if a.value is not None else "")


def _word_source(word) -> str:
    """A word as bash re-prints it: as written, except that $'...' strings are shown
    decoded in single quotes."""
    if any(isinstance(p, ast.ANSI) for p in word.parts):
        from pyshell.interp.quoting import single_quote
        out = []
        for p in word.parts:
            if isinstance(p, ast.ANSI):
                out.append(single_quote(p.text))
            elif isinstance(p, ast.SQ):
                out.append(single_quote(p.text))
            elif isinstance(p, (ast.Lit,)):
                out.append(p.text)
            else:
                return word.text
        return "".join(out)
    return word.text


def _redirs(redirs) -> str:
    out = []
    for r in redirs:
        fd = "" if r.fd is None else str(r.fd)
        if r.varname:
            fd = "{" + r.varname + "}"
        if r.heredoc is not None:
            delim = r.heredoc.delimiter
            if r.heredoc.quoted:
                delim = "'" + delim + "'"
            out.append(f"{fd}{r.op}{delim}")
        elif r.op in (">&", "<&"):
            out.append(f"{fd}{r.op}{r.target.text}")
        else:
            out.append(f"{fd}{r.op} {r.target.text}")
    return " ".join(out)


def _cond_text(node) -> str:
    if isinstance(node, ast.CondBinary):
        return f"{node.left.text} {node.op} {node.right.text}"
    if isinstance(node, ast.CondUnary):
        return f"{node.op} {node.operand.text}"
    if isinstance(node, ast.CondNot):
        return "! " + _cond_text(node.operand)
    if isinstance(node, ast.CondAnd):
        return _cond_text(node.left) + " && " + _cond_text(node.right)
    if isinstance(node, ast.CondOr):
        return _cond_text(node.left) + " || " + _cond_text(node.right)
    if isinstance(node, ast.CondWord):
        return node.word.text
    return ""
