"""Word expansion, in bash's order: brace expansion; then tilde, parameter, command and
arithmetic substitution (left to right); word splitting; pathname expansion; quote
removal.

Internally a word expands to a list of chunks `(text, kind)`:
    LIT    unquoted literal source text: glob characters active, never split
    QUOTED quoted text (or a quoted empty string): literal, never split, keeps the word
    SPLIT  result of an unquoted expansion: split on IFS, glob characters active
    BREAK  a hard field boundary (between the words of "$@"); its text joins the
           words where no splitting happens (assignments: " ", or IFS[0] for $*)
    SOFT   a field boundary that drops an empty field (between the words of unquoted $@)
Word splitting turns chunks into fields; pathname expansion works on a field's
pattern form, where quoted characters are backslash-escaped.
"""
from __future__ import annotations

import os

from pyshell.errors import DiscardCommand, FatalShellError, ShellError
from pyshell.syntax import ast as A
from pyshell.interp import pattern as P
from pyshell.interp.assoc_order import bash_key_order
from pyshell.interp.quoting import (ansi_quote, array_body, declare_key, declare_value,
                                    needs_ansi, single_quote)
from pyshell.interp.arith import ArithError, evaluate, evaluate_literal
from pyshell.interp.state import VarError, array_top

LIT, QUOTED, SPLIT, BREAK, SOFT = range(5)
_GLOB_CHARS = frozenset("*?[")
_DEFAULT_IFS = " \t\n"
_SPECIAL = frozenset("@*#?-$!0")
_DQ_ESCAPABLE = frozenset(("$", "`", '"', "\\", "}", "\n"))


# a value without these comes out of splitting (default IFS) and globbing unchanged
_UNSPLIT_CHARS = frozenset(" \t\n*?[")


def _all_subscript(sub) -> str | None:
    """'@' or '*' when a subscript Word is the whole-array form, else None."""
    if sub is None:
        return None
    parts = sub.parts
    if len(parts) == 1 and type(parts[0]) is A.Lit and parts[0].text in ("@", "*"):
        return parts[0].text
    if not parts and sub.text in ("@", "*"):
        return sub.text
    return None


def _quote_q(value: str) -> str:
    """${x@Q}: bash quotes with '...' or $'...' when control characters are present."""
    return ansi_quote(value) if needs_ansi(value, True) else single_quote(value)


def _upper(text: str) -> str:
    """Upper case one character at a time, as towupper does (ß stays ß)."""
    up = text.upper()
    if len(up) == len(text):
        return up
    return "".join(c if len(c.upper()) != 1 else c.upper() for c in text)


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower()[0] for c in text)  # İ -> i, as towlower


_blank_splitters: dict = {}


def _blank_splitter(ifs: str):
    """str -> [piece, piece...] split at runs of the (blank-only) IFS characters."""
    split = _blank_splitters.get(ifs)
    if split is None:
        import re
        split = re.compile("[" + re.escape(ifs) + "]+").split
        if len(_blank_splitters) < 64:
            _blank_splitters[ifs] = split
    return split


class Expander:
    def __init__(self, sh):
        self.sh = sh
        self.state = sh.state
        self.assigned_element = None   # the value of the last name[key]=value assigned

    # ============================================================ public API
    def words(self, words: list) -> list:
        """Full expansion of command words into fields."""
        out = []
        state = self.state
        for w in words:
            parts = w.parts
            if len(parts) == 1:
                p = parts[0]
                tp = type(p)
                if tp is A.Lit:
                    text = p.text
                    # no glob possible: no * or ?, and no [ with a ] after it
                    if "*" not in text and "?" not in text and (
                            "[" not in text or "]" not in text) \
                            or "noglob" in state.options:
                        out.append(text)
                        continue
                elif tp is A.SQ or tp is A.ANSI or tp is A.Escaped:
                    out.append(p.text)
                    continue
                elif tp is A.DQ and len(p.parts) == 1:
                    inner = p.parts[0]
                    if type(inner) is A.Param and inner.name == "@" and inner.op is None \
                            and not inner.length and not inner.indirect:
                        out.extend(state.positional)  # "$@"
                        continue
                elif tp is A.Param and p.op is None and p.subscript is None \
                        and not p.length and not p.indirect and p.name not in _SPECIAL \
                        and not p.name.isdigit():
                    # plain $name whose value needs no globbing, with the default IFS
                    value = state.get(p.name)
                    if value:
                        ifs = state.get("IFS")
                        if ifs is None or ifs == _DEFAULT_IFS:
                            if _UNSPLIT_CHARS.isdisjoint(value):
                                out.append(value)
                                continue
                            if _GLOB_CHARS.isdisjoint(value):
                                # fields: the runs of non-blank characters
                                value = value.strip(_DEFAULT_IFS)
                                if value:
                                    out.extend(_blank_splitter(_DEFAULT_IFS)(value))
                                continue
                elif tp is A.Param and (p.name == "@" or p.name == "*") and p.op is None \
                        and p.subscript is None and not p.length and not p.indirect:
                    # unquoted $@ / $*: the parameters themselves when none is empty or
                    # would be split or globbed (default IFS)
                    pos = state.positional
                    ifs = state.get("IFS")
                    if (ifs is None or ifs == _DEFAULT_IFS) and all(
                            v and _UNSPLIT_CHARS.isdisjoint(v) for v in pos):
                        out.extend(pos)
                        continue
            for p in parts:
                tp = type(p)
                if (tp is A.Brace or tp is A.BraceRange) and "braceexpand" in state.options:
                    if not self._numeric_range(parts, out):
                        for alt in self._braces(parts):
                            self._fields(self._chunks(alt, False), out)
                    break
            else:
                chunks = self._chunks(parts, False)
                if len(chunks) == 1 and chunks[0][1] == QUOTED:
                    out.append(chunks[0][0])
                else:
                    self._fields(chunks, out)
        return out

    def word(self, w) -> str:
        """Expansion without splitting or globbing (assignment values, case words,
        [[ ]] operands, here-strings)."""
        parts = w.parts
        if len(parts) == 1:
            p = parts[0]
            tp = type(p)
            if tp is A.Lit or tp is A.SQ or tp is A.ANSI or tp is A.Escaped:
                return p.text
            if tp is A.DQ and len(p.parts) == 1:
                p = p.parts[0]
                tp = type(p)
                if tp is A.Lit:
                    return p.text
            if tp is A.Param and p.op is None and p.subscript is None and not p.length \
                    and not p.indirect and p.name not in _SPECIAL and not p.name.isdigit():
                # $name / "$name" of a set variable: its value (unset: the general path)
                value = self.state.get(p.name)
                if value is not None:
                    return value
            elif tp is A.ArithSub:
                expr = p.expr.parts
                if len(expr) == 1 and type(expr[0]) is A.Lit:
                    try:
                        return str(evaluate_literal(expr[0].text, self.state))
                    except ArithError as exc:
                        raise DiscardCommand(exc.message)
        chunks = self._chunks(parts, False)
        if len(chunks) == 1:
            return chunks[0][0]
        return self._join(chunks)

    def pattern(self, w) -> str:
        """A pattern string: quoted characters backslash-escaped, unquoted ones active."""
        out = []
        for text, kind in self._chunks(w.parts, False):
            if kind == QUOTED:
                out.append(P.escape(text))
            elif kind == BREAK or kind == SOFT:
                out.append(P.escape(text))
            else:
                out.append(text)
        return "".join(out)

    def heredoc(self, h) -> str:
        if h.quoted:
            return "".join(getattr(p, "text", "") for p in h.body.parts)
        return self._join(self._chunks(h.body.parts, True))

    def arith(self, w) -> int:
        """Expand then evaluate an arithmetic Word; ArithError (a ShellError) on errors."""
        parts = w.parts
        if len(parts) == 1 and type(parts[0]) is A.Lit:
            return evaluate_literal(parts[0].text, self.state)
        return evaluate(self._join(self._chunks(parts, True)), self.state)

    def arith_text(self, w) -> str:
        """An arithmetic Word's text after its expansions, ready for evaluate()."""
        return self._join(self._chunks(w.parts, True))

    def redirect_target(self, w) -> str:
        fields = self.words([w])
        if len(fields) != 1:
            raise ShellError(f"{w.text}: ambiguous redirect")
        return fields[0]

    def assign(self, a, local: bool = False) -> None:
        state = self.state
        try:
            if a.array is not None:
                self._assign_array(a, local)
            elif a.subscript is not None:
                if not a.subscript.parts and not a.subscript.text:
                    raise DiscardCommand(f"{a.name}[]: bad array subscript")
                key = self._subscript_key(a.name, a.subscript)
                value = self.word(a.value) if a.value is not None else ""
                self.assigned_element = value      # for the xtrace line
                state.set_element(a.name, key, value, append=a.append, local=local)
            else:
                value = self.word(a.value) if a.value is not None else ""
                state.set(a.name, value, append=a.append, local=local)
        except VarError as exc:
            if exc.message.endswith("bad array subscript"):
                raise DiscardCommand(exc.message)
            raise ShellError(exc.message)

    # ======================================================= brace expansion
    def _braces(self, parts: list) -> list:
        """All part lists produced by brace expansion, in bash's order."""
        results = [[]]
        for p in parts:
            tp = type(p)
            if tp is A.Brace:
                alts = []
                for alt in p.alternatives:
                    alts.extend(self._braces(alt))
                results = [r + a for r in results for a in alts]
            elif tp is A.BraceRange:
                # a generated backslash vanishes in quote removal, leaving an empty word
                items = [A.Lit(s) if s != "\\" else A.SQ("") for s in self._brace_range(p)]
                results = [r + [item] for r in results for item in items]
            else:
                for r in results:
                    r.append(p)
        # a word that now starts with ~ gets tilde expansion, as in bash
        for k, r in enumerate(results):
            if r and type(r[0]) is A.Lit and r[0].text[:1] == "~":
                text = r[0].text
                slash = text.find("/")
                if slash < 0 and len(r) > 1:
                    continue
                user = text[1:slash] if slash >= 0 else text[1:]
                rest = text[slash:] if slash >= 0 else ""
                results[k] = [A.Tilde(user)] + ([A.Lit(rest)] if rest else []) + r[1:]
        return results

    def _numeric_range(self, parts, out: list) -> bool:
        """pre{1..N}post with plain literal text around one numeric range (the usual
        `for i in {1..100}`): the words are made directly, as they need no splitting,
        globbing or tilde expansion. False when the word is not of that shape."""
        rng = None
        prefix = suffix = ""
        for p in parts:
            tp = type(p)
            if tp is A.BraceRange and rng is None:
                rng = p
            elif tp is A.Lit and not _GLOB_CHARS.intersection(p.text) and "(" not in p.text:
                if rng is None:
                    prefix += p.text
                else:
                    suffix += p.text
            else:
                return False
        if rng is None or prefix[:1] == "~" or not (
                rng.start.lstrip("+-").isdigit() and rng.end.lstrip("+-").isdigit()):
            return False
        items = self._brace_range(rng)
        if prefix or suffix:
            items = [prefix + item + suffix for item in items]
        out.extend(items)
        return True

    @staticmethod
    def _brace_range(p) -> list:
        start, end = p.start, p.end
        step = int(p.step) if p.step else 1
        if start.lstrip("+-").isdigit() and end.lstrip("+-").isdigit():
            a, b = int(start), int(end)
            step = abs(step) or 1
            width = 0
            for s in (start, end):
                digits = s.lstrip("+-")
                if len(digits) > 1 and digits[0] == "0":
                    width = max(width, len(s))
            rng = range(a, b + 1, step) if a <= b else range(a, b - 1, -step)
            if width:
                return [("-" if n < 0 else "") + str(abs(n)).zfill(width - (n < 0))
                        for n in rng]
            return [str(n) for n in rng]
        a, b = ord(start), ord(end)
        step = abs(step) or 1
        rng = range(a, b + 1, step) if a <= b else range(a, b - 1, -step)
        return [chr(c) for c in rng]

    # ================================================================ chunks
    def _chunks(self, parts, quoted: bool) -> list:
        out = []
        for p in parts:
            tp = type(p)
            if tp is A.Lit:
                out.append((p.text, QUOTED if quoted else LIT))
            elif tp is A.Escaped:
                # inside double quotes (a ${x:-word} operand) a backslash only quotes
                # $ ` " \ and }; before anything else it stays
                text = p.text
                if quoted and text not in _DQ_ESCAPABLE:
                    text = "\\" + text
                out.append((text, QUOTED))
            elif tp is A.SQ or tp is A.ANSI:
                out.append((p.text, QUOTED))
            elif tp is A.DQ:
                inner = self._chunks(p.parts, True)
                if not inner and not any(self._is_at(q) for q in p.parts):
                    inner = [("", QUOTED)]
                out.extend(inner)
            elif tp is A.Param:
                self._param(p, quoted, out)
            elif tp is A.CmdSub:
                if p.backquote and p.error is not None:
                    text = self.sh.backquote_syntax_error(p.error)
                else:
                    text = self.sh.run_cmdsub(p.body).rstrip("\n")
                out.append((text, QUOTED if quoted else SPLIT))
            elif tp is A.ArithSub:
                out.append((str(self._arith_sub(p)), QUOTED if quoted else SPLIT))
            elif tp is A.Tilde:
                out.append((self._tilde(p.user), QUOTED))
            elif tp is A.ProcSub:
                out.append((self.sh.run_procsub(p), QUOTED))
            elif tp is A.ExtGlob:
                inner = "|".join(self.pattern(w) for w in p.patterns)
                out.append((f"{p.op}({inner})", QUOTED if quoted else LIT))
            elif tp is A.Brace:
                # brace expansion disabled (set +B): the text stays as written
                alts = [self._join(self._chunks(alt, True)) for alt in p.alternatives]
                out.append(("{" + ",".join(alts) + "}", QUOTED if quoted else LIT))
            elif tp is A.BraceRange:
                text = "{%s..%s%s}" % (p.start, p.end, ".." + p.step if p.step else "")
                out.append((text, QUOTED if quoted else LIT))
            else:
                raise ShellError(f"unsupported word part {tp.__name__}")
        return out

    def _arith_sub(self, p) -> int:
        parts = p.expr.parts
        try:
            if len(parts) == 1 and type(parts[0]) is A.Lit:
                return evaluate_literal(parts[0].text, self.state)
            return evaluate(self._join(self._chunks(parts, True)), self.state)
        except ArithError as exc:
            raise DiscardCommand(exc.message)

    @staticmethod
    def _is_at(p) -> bool:
        return type(p) is A.Param and (p.name == "@" or _all_subscript(p.subscript) == "@"
                                       or p.op == "!@") and not p.length

    @staticmethod
    def _join(chunks) -> str:
        if len(chunks) == 1:
            return chunks[0][0]
        # field boundaries carry the text that joins them where no splitting happens
        return "".join(t for t, k in chunks)

    def _tilde(self, user: str) -> str:
        state = self.state
        if user == "":
            home = state.get("HOME")
            if home is None:
                import pwd
                try:
                    return pwd.getpwuid(os.getuid()).pw_dir
                except KeyError:
                    return "~"
            return home
        if user == "+":
            v = state.get("PWD")
            return v if v is not None else "~+"
        if user == "-":
            v = state.get("OLDPWD")
            return v if v is not None else "~-"
        if user[0] in "+-0123456789":  # ~N, ~+N, ~-N: pushd's directory stack
            from pyshell.builtins.dirstack import stack_entry
            entry = stack_entry(state, user)
            if entry is not None:
                return entry
        import pwd
        try:
            return pwd.getpwnam(user).pw_dir
        except (KeyError, ValueError):
            return "~" + user

    # ======================================================= word splitting
    def _fields(self, chunks: list, out: list) -> None:
        """Split chunks into fields, glob them, and append the words to `out`."""
        state = self.state
        ifs = state.get("IFS")
        if ifs is None:
            ifs = _DEFAULT_IFS
        if len(chunks) == 1:
            text, kind = chunks[0]
            if kind == SPLIT and ifs == _DEFAULT_IFS and text and not (
                    " " in text or "\t" in text or "\n" in text or "*" in text
                    or "?" in text or "[" in text):
                out.append(text)
                return
        ifs_ws = "".join(c for c in ifs if c in _DEFAULT_IFS)
        # IFS of blanks only (the default): a split chunk's delimiters are runs of them
        blank_split = _blank_splitter(ifs) if ifs and len(ifs_ws) == len(ifs) else None
        default_ifs = ifs == _DEFAULT_IFS
        fields = []
        cur = []
        started = False
        # a field just ended at blank IFS characters that closed a split chunk: a non-blank
        # IFS character starting the next split chunk belongs to the same delimiter
        open_blank_delim = False
        for text, kind in chunks:
            if kind == SPLIT:
                if blank_split is not None:
                    if default_ifs and text and not (
                            " " in text or "\t" in text or "\n" in text):
                        cur.append((text, kind))  # nothing to split
                        started = True
                        continue
                    pieces = blank_split(text)
                    first = pieces[0]
                    if first:
                        cur.append((first, kind))
                        started = True
                    for k in range(1, len(pieces)):
                        if started:
                            fields.append(cur)
                            cur = []
                            started = False
                        piece = pieces[k]
                        if piece:
                            cur.append((piece, kind))
                            started = True
                    open_blank_delim = False
                    continue
                if not ifs or not any(c in ifs for c in text):
                    if text:
                        cur.append((text, kind))
                        started = True
                        open_blank_delim = False
                    continue
                i, n = 0, len(text)
                if open_blank_delim:
                    # blanks, then at most one non-blank IFS character (and blanks)
                    # still belong to the delimiter the previous chunk ended with
                    while i < n and text[i] in ifs_ws:
                        i += 1
                    if i < n and text[i] in ifs:
                        i += 1
                        while i < n and text[i] in ifs_ws:
                            i += 1
                    open_blank_delim = i >= n
                    if i >= n:
                        continue
                while i < n:
                    c = text[i]
                    if c in ifs:
                        nonws = False
                        while i < n and text[i] in ifs_ws:
                            i += 1
                        if i < n and text[i] in ifs and text[i] not in ifs_ws:
                            nonws = True
                            i += 1
                            while i < n and text[i] in ifs_ws:
                                i += 1
                        if started or nonws:
                            fields.append(cur)
                            cur = []
                            started = False
                            open_blank_delim = not nonws and i >= n
                        continue
                    j = i + 1
                    while j < n and text[j] not in ifs:
                        j += 1
                    cur.append((text[i:j], kind))
                    started = True
                    i = j
            elif kind == BREAK:
                fields.append(cur)
                cur = []
                started = False
                open_blank_delim = False
            elif kind == SOFT:
                # between the words of unquoted $* / $@: like an IFS[0] delimiter, so
                # an empty word survives only when IFS[0] is not whitespace
                if ifs and ifs[0] not in ifs_ws:
                    fields.append(cur)
                elif started:
                    fields.append(cur)
                open_blank_delim = False
                cur = []
                started = False
            elif kind == QUOTED:
                cur.append((text, kind))
                started = True
                open_blank_delim = False
            elif text:
                cur.append((text, kind))
                started = True
                open_blank_delim = False
        if started:
            fields.append(cur)
        noglob = "noglob" in state.options
        for field in fields:
            if len(field) == 1:
                text, kind = field[0]
                if noglob or kind == QUOTED or not (
                        "*" in text or "?" in text or "[" in text
                        or kind == LIT and "(" in text):
                    out.append(text)
                    continue
            text = "".join(t for t, _ in field)
            if noglob or not any(k != QUOTED and _GLOB_CHARS.intersection(t)
                                 or k == LIT and "(" in t for t, k in field):
                out.append(text)
                continue
            pat = "".join(P.escape(t) if k == QUOTED else t for t, k in field)
            self._glob(pat, text, out)

    def _glob(self, pat: str, text: str, out: list) -> None:
        shopts = self.state.shopts
        extglob = "extglob" in shopts
        if not P.has_glob(pat, extglob):
            out.append(text)
            return
        ignore = self.state.get("GLOBIGNORE")
        matches = P.glob(pat, dotglob="dotglob" in shopts or bool(ignore),
                         nocase="nocaseglob" in shopts, extglob=extglob,
                         globstar="globstar" in shopts, skipdots="globskipdots" in shopts)
        if ignore and matches:
            pats = [g for g in ignore.split(":") if g]
            matches = [m for m in matches
                       if not any(P.match(g, m, extglob) for g in pats)]
        if matches:
            out.extend(matches)
        elif "failglob" in shopts:
            raise DiscardCommand(f"no match: {text}")
        elif "nullglob" not in shopts:
            out.append(text)

    # =================================================== parameter expansion
    def _special(self, name: str):
        state = self.state
        if name == "?":
            return str(state.last_status)
        if name == "#":
            return str(len(state.positional))
        if name == "$":
            return str(state.shell_pid)
        if name == "!":
            pid = state.last_bg_pid
            return None if pid is None else str(pid)
        if name == "-":
            return state.dash_flags()
        if name == "0":
            return state.arg0
        return None

    def _lookup(self, name: str, sub):
        """(value, is_list): the raw value of name / name[sub]; a list of words for
        $@ $* and whole-array subscripts, else a str or None when unset."""
        state = self.state
        if name in ("@", "*"):
            return list(state.positional), True
        if name.isdigit():
            if name == "0":
                return state.arg0, False
            n = int(name)
            pos = state.positional
            return (pos[n - 1] if n <= len(pos) else None), False
        if name in _SPECIAL:
            return self._special(name), False
        whole = _all_subscript(sub)
        if whole is not None:
            arr = self._array(name)
            if arr is None:
                return None, True
            return self._values(name, arr), True
        if sub is None:
            value = state.get(name)
            if value is None and name in ("PIPESTATUS", "FUNCNAME", "BASH_SOURCE"):
                arr = self._array(name)
                return (arr.get(0) if arr else None), False
            return value, False
        arr = self._array(name)
        key = self._subscript_key(name, sub)
        if arr is None or key is None:
            return None, False
        if isinstance(key, int) and key < 0:
            key += array_top(arr) + 1
        return arr.get(key), False

    def _array(self, name: str):
        arr = self.state.get_array(name)
        if arr is None:
            if name == "PIPESTATUS":
                return {i: str(s) for i, s in enumerate(self.state.pipestatus)}
            if name == "FUNCNAME" and self.state.funcname:
                return dict(enumerate(self.state.funcname))
            if name == "BASH_SOURCE" and self.state.source_stack:
                return dict(enumerate(self.state.source_stack))
        return arr

    def _values(self, name: str, arr: dict) -> list:
        if self.state.is_assoc(name):
            return [arr[k] for k in bash_key_order(arr)]
        return [arr[k] for k in sorted(arr)]

    def _keys(self, name: str, arr: dict) -> list:
        if self.state.is_assoc(name):
            return bash_key_order(arr)
        return [str(k) for k in sorted(arr)]

    def _subscript_key(self, name: str, sub):
        """The key for name[sub]: a str for assoc arrays, an int for indexed ones."""
        if self.state.is_assoc(name):
            return self.word(sub)
        parts = sub.parts
        if len(parts) == 1 and type(parts[0]) is A.Lit:  # a[i], a[n-1]: literal text
            text = parts[0].text
            if not text.strip():
                return 0
            try:
                return evaluate_literal(text, self.state)
            except ArithError as exc:
                raise DiscardCommand(exc.message)
        text = self._join(self._chunks(parts, True))
        if not text.strip():
            return 0
        try:
            return evaluate(text, self.state)
        except ArithError as exc:
            raise DiscardCommand(exc.message)

    def _display(self, p) -> str:
        """How bash names the parameter in error messages."""
        if p.name.isdigit() or p.name == "!":
            return "$" + p.name
        sub = p.subscript
        if sub is not None:
            return f"{p.name}[{sub.text or self._join(self._chunks(sub.parts, True))}]"
        return p.name

    def _param(self, p, quoted: bool, out: list) -> None:
        state = self.state
        name = p.name
        op = p.op
        # plain $x / ${x}: the hot path
        if op is None and not p.length and not p.indirect and p.subscript is None \
                and name not in ("@", "*"):
            if name.isdigit() or name in _SPECIAL:
                value = self._lookup(name, None)[0]
            else:
                value = state.get(name)
                if value is None and name in ("PIPESTATUS", "FUNCNAME", "BASH_SOURCE"):
                    value = self._lookup(name, None)[0]
            if value is None:
                if "nounset" in state.options:
                    raise FatalShellError(f"{self._display(p)}: unbound variable")
                if quoted:
                    out.append(("", QUOTED))
                return
            out.append((value, QUOTED if quoted else SPLIT))
            return

        if name == "#" and op in ("^", "^^", ",", ",,") and not p.length:
            # bash reads ${#^...} as the length of a bad name
            raise DiscardCommand(f"${{#{op}{p.arg.text if p.arg else ''}}}: bad substitution")
        if op == "bad":
            # the parser keeps a malformed ${...} for bash's error at expansion time
            raise DiscardCommand(f"{p.arg.text}: bad substitution")
        if op in ("!*", "!@"):
            names = sorted(n for n in self._all_names() if n.startswith(name))
            self._emit_list(names, quoted, op == "!@", out)
            return

        sub = p.subscript
        if p.indirect:
            if _all_subscript(sub) is not None and sub is not None:
                arr = self._array(name)
                keys = self._keys(name, arr) if arr else []
                self._emit_list(keys, quoted, _all_subscript(sub) == "@", out)
                return
            var = state.lookup(name, follow_ref=False) if sub is None else None
            if var is not None and "n" in var.attrs:
                # ${!ref} of a nameref: the name it refers to
                out.append((var.value or "", QUOTED if quoted else SPLIT))
                return
            ref = self._lookup(name, sub)[0]
            if isinstance(ref, list):  # ${!@} / ${!*}: the joined positional parameters
                ref = " ".join(ref) if ref else None
            if ref is None or ref == "":
                if "nounset" in state.options or ref is None and op is None:
                    raise DiscardCommand(f"{self._display(p)}: invalid indirect expansion")
                if quoted:
                    out.append(("", QUOTED))
                return
            name, sub = self._parse_ref(ref)
            if name is None:
                raise DiscardCommand(f"{ref}: invalid variable name")

        if sub is not None and not sub.parts and not sub.text:
            raise DiscardCommand(f"${{{name}[]}}: bad substitution")
        whole = _all_subscript(sub)
        value, is_list = self._lookup(name, sub)
        at = is_list and (name == "@" or whole == "@")

        if p.length:
            if is_list:
                if name in ("@", "*"):
                    n = len(state.positional)
                else:
                    n = 0 if value is None else len(value)
                out.append((str(n), QUOTED if quoted else SPLIT))
                return
            if value is None:
                if "nounset" in state.options:
                    raise FatalShellError(f"{self._display(p)}: unbound variable")
                value = ""
            out.append((str(len(value)), QUOTED if quoted else SPLIT))
            return

        if op in (":-", "-", ":=", "=", ":?", "?", ":+", "+"):
            if is_list:
                is_set = bool(value)
                is_null = not value or (len(value) == 1 and value[0] == "") or \
                    (whole == "*" or name == "*") and not "".join(value)
            else:
                is_set = value is not None
                is_null = not value
            use_arg = (not is_set or (op[0] == ":" and is_null))
            base = op.lstrip(":")
            if base == "+":
                if not use_arg:
                    out.extend(self._word_operand(p.arg, quoted))
                elif quoted:
                    out.append(("", QUOTED))
                return
            if not use_arg:
                self._emit(value, is_list, at, quoted, out)
                return
            if base == "-":
                chunks = self._word_operand(p.arg, quoted)
                out.extend(chunks if chunks or not quoted else [("", QUOTED)])
                return
            if base == "=":
                if is_list or name.isdigit() or name in _SPECIAL:
                    raise DiscardCommand(f"${name}: cannot assign in this way")
                text = self._join(self._chunks(p.arg.parts, quoted)) if p.arg else ""
                self.assign(A.Assign(name, A.Word([A.SQ(text)]), subscript=sub))
                value = self._lookup(name, sub)[0] or ""
                out.append((value, QUOTED if quoted else SPLIT))
                return
            # ? and :?
            msg = self._join(self._chunks(p.arg.parts, quoted)) if p.arg is not None else ""
            if not msg:
                msg = "parameter null or not set" if op == ":?" else "parameter not set"
            shown = p.name if p.name.isdigit() else self._display(p)
            raise FatalShellError(f"{shown}: {msg}")

        if value is None or (is_list and not value):
            # bash 5.2: "${a[@]}" of an unset or empty array never trips set -u
            if "nounset" in state.options and not is_list:
                raise FatalShellError(f"{self._display(p)}: unbound variable")
            if is_list:
                if op == ":" and name in ("@", "*"):
                    value = []
                else:
                    self._emit_list([], quoted, at, out)
                    return
            elif op is not None and op != ":":
                # an unset parameter stays empty whatever the operator
                if op == "@a":
                    var = state.lookup(name)
                    if var is not None and var.attrs:
                        out.append((self._transform(p, "", name, sub),
                                    QUOTED if quoted else SPLIT))
                        return
                if quoted:
                    out.append(("", QUOTED))
                return
            else:
                value = ""

        if op is None:
            self._emit(value, is_list, at, quoted, out)
            return
        if op == ":":
            value = self._substring(p, name, sub, value, is_list)
            self._emit(value, is_list, at, quoted, out)
            return
        if is_list:
            value = [self._transform(p, v, name, sub, quoted) for v in value]
            if op in ("@A", "@K", "@k", "@a") and op != "@a":
                value = self._array_transform(op, name, value)
        else:
            value = self._transform(p, value, name, sub, quoted)
        self._emit(value, is_list, at, quoted, out)

    def _word_operand(self, w, quoted: bool) -> list:
        """The chunks of ${x:-word} / ${x:+word}: unquoted, the whole result is subject
        to word splitting, literal text included."""
        if w is None:
            return []
        chunks = self._chunks(w.parts, quoted)
        if quoted:
            return chunks
        return [(t, SPLIT) if k == LIT else (t, k) for t, k in chunks]

    def _emit(self, value, is_list: bool, at: bool, quoted: bool, out: list) -> None:
        if is_list:
            self._emit_list(value, quoted, at, out)
        else:
            out.append((value, QUOTED if quoted else SPLIT))

    def _emit_list(self, values: list, quoted: bool, at: bool, out: list) -> None:
        if quoted and not at:
            ifs = self.state.get("IFS")
            sep = " " if ifs is None else ifs[:1]
            out.append((sep.join(values), QUOTED))
            return
        kind = QUOTED if quoted else SPLIT
        brk = BREAK if quoted else SOFT
        joiner = " "
        if not at:
            ifs = self.state.get("IFS")
            joiner = " " if ifs is None else ifs[:1]
        for i, v in enumerate(values):
            if i:
                out.append((joiner, brk))
            out.append((v, kind))

    def _all_names(self) -> list:
        """Names of all set variables visible here (for ${!prefix*})."""
        state = self.state
        names = set(state.globals)
        for scope in state.scopes:
            names.update(scope)
        return [n for n in names if state.get(n) is not None or state.get_array(n)]

    @staticmethod
    def _parse_ref(ref: str):
        """Split `name` or `name[sub]` (an indirect reference) into (name, subscript)."""
        if ref.endswith("]") and "[" in ref:
            name, _, sub = ref[:-1].partition("[")
            if name.isidentifier():
                return name, A.Word([A.Lit(sub)], sub)
            return None, None
        if ref.isidentifier() or ref.isdigit() or ref in _SPECIAL:
            return ref, None
        return None, None

    # ------------------------------------------------------------ operators
    def _transform(self, p, value: str, name: str, sub, quoted: bool = False) -> str:
        op = p.op
        extglob = "extglob" in self.state.shopts
        if op in ("#", "##"):
            return P.remove_prefix(value, self._op_pattern(p.arg, quoted), op == "##",
                                   extglob)
        if op in ("%", "%%"):
            return P.remove_suffix(value, self._op_pattern(p.arg, quoted), op == "%%",
                                   extglob)
        if op in ("/", "//", "/#", "/%"):
            pat = self._op_pattern(p.arg, quoted)
            repl = self._replacement(p.arg2, quoted) if p.arg2 is not None else ""
            return P.replace(value, pat, repl, op, extglob,
                             "patsub_replacement" in self.state.shopts)
        if op in ("^", "^^", ",", ",,"):
            pat = self._op_pattern(p.arg, quoted)
            upper = op[0] == "^"
            conv = _upper if upper else _lower
            if len(op) == 1:
                if value and (not pat or P.match(pat, value[0], extglob)):
                    return conv(value[0]) + value[1:]
                return value
            if not pat:
                return conv(value)
            return "".join(conv(c) if P.match(pat, c, extglob) else c for c in value)
        if op == "@Q":
            return _quote_q(value)
        if op == "@E":
            from pyshell.syntax.escapes import decode_ansi
            return decode_ansi(value)
        if op == "@P":
            return self._prompt(value)
        if op == "@U":
            return _upper(value)
        if op == "@u":
            return _upper(value[:1]) + value[1:]
        if op == "@L":
            return _lower(value)
        if op == "@a":
            var = self.state.lookup(name)
            return "".join(sorted(var.attrs, key="aAilnrtux".find)) if var else ""
        if op in ("@A", "@K", "@k"):
            if op == "@A":
                return self._declare_form(name, value)
            return _quote_q(value) if op == "@K" else value
        raise DiscardCommand(f"${{{p.name}{op}}}: bad substitution")

    def _array_transform(self, op: str, name: str, values: list) -> list:
        arr = self._array(name) or {}
        assoc = self.state.is_assoc(name)
        keys = bash_key_order(arr) if assoc else sorted(arr)

        if op == "@K":
            if assoc:
                body = "".join(f"{declare_key(k)} {declare_value(arr[k])} " for k in keys)
            else:
                body = " ".join(f"{k} {declare_value(arr[k])}" for k in keys)
            return [body]
        if op == "@k":
            out = []
            for k in keys:
                out.extend([str(k), arr[k]])
            return out
        var = self.state.lookup(name)
        flags = "".join(sorted(var.attrs, key="aAilnrtux".find)) if var else ""
        return [f"declare -{flags or 'a'} {name}={array_body(arr, keys, assoc)}"]

    def _declare_form(self, name: str, value: str) -> str:
        var = self.state.lookup(name)
        flags = "".join(sorted(var.attrs, key="aAilnrtux".find)) if var else ""
        return f"declare -{flags or '-'} {name}={_quote_q(value)}" if flags else \
            f"{name}={_quote_q(value)}"

    def _prompt(self, value: str) -> str:
        """${x@P}: the prompt-string escapes, then the promptvars expansions."""
        from pyshell.interp import prompt
        return prompt.expand(self.sh, value)

    def _op_chunks(self, w, quoted: bool) -> list:
        """Chunks of a pattern or replacement operand. Inside double quotes bash still
        treats '...' there as quoting (unlike in ${x:-word})."""
        chunks = self._chunks(w.parts, False)
        if not quoted or not any(k == LIT and "'" in t for t, k in chunks):
            return chunks
        out = []
        for text, kind in chunks:
            if kind != LIT or "'" not in text:
                out.append((text, kind))
                continue
            pieces = text.split("'")
            if len(pieces) % 2 == 0:  # unbalanced: the quotes are literal
                out.append((text, kind))
                continue
            for i, piece in enumerate(pieces):
                out.append((piece, QUOTED if i % 2 else LIT))
        return out

    def _op_pattern(self, w, quoted: bool) -> str:
        if w is None:
            return ""
        return "".join(P.escape(t) if k == QUOTED else t for t, k in self._op_chunks(w, quoted))

    def _replacement(self, w, quoted: bool = False) -> str:
        """The replacement of ${x/p/r}: quoted & and backslashes escaped so that only
        an unquoted & refers to the match."""
        out = []
        for text, kind in self._op_chunks(w, quoted):
            if kind == QUOTED:
                out.append(text.replace("\\", "\\\\").replace("&", "\\&"))
            else:
                out.append(text)
        return "".join(out)

    def _substring(self, p, name, sub, value, is_list):
        if p.arg is None or not p.arg.text.strip() and not p.arg.parts:
            shown = f"${{{p.name}:}}" if p.arg2 is None else f"${{{p.name}::{p.arg2.text}}}"
            if p.arg2 is None:
                raise DiscardCommand(f"{shown}: bad substitution")
        try:
            offset = self.arith(p.arg) if p.arg is not None and p.arg.parts else 0
            length = self.arith(p.arg2) if p.arg2 is not None else None
        except ArithError as exc:
            raise DiscardCommand(f"{self._display(p)}: {exc.message}")
        if is_list:
            if name in ("@", "*"):
                items = [self.state.arg0] + list(self.state.positional)
                n = len(items)
                if offset < 0:
                    offset += n
                    if offset < 0:
                        return []
                if length is not None and length < 0:
                    raise DiscardCommand(f"{p.arg2.text}: substring expression < 0")
                end = n if length is None else offset + length
                return items[offset:end]
            arr = self._array(name) or {}
            if self.state.is_assoc(name):
                items = [arr[k] for k in bash_key_order(arr)]
                # bash counts an assoc array's positive offsets from 1 (0 is 1 too)
                start = offset - 1 if offset > 0 else 0 if offset == 0 else len(items) + offset
                if start < 0:
                    return []
                if length is not None and length < 0:
                    raise DiscardCommand(f"{p.arg2.text}: substring expression < 0")
                return items[start:None if length is None else start + length]
            keys = sorted(arr)
            if offset < 0:
                offset += (keys[-1] + 1) if keys else 0
                if offset < 0:
                    return []
            if length is not None and length < 0:
                raise DiscardCommand(f"{p.arg2.text}: substring expression < 0")
            chosen = [arr[k] for k in keys if k >= offset]
            return chosen if length is None else chosen[:length]
        n = len(value)
        if offset < 0:
            offset += n
            if offset < 0:
                return ""
        if offset > n:
            return ""
        if length is None:
            return value[offset:]
        if length < 0:
            end = n + length
            if end < offset:
                raise DiscardCommand(f"{p.arg2.text.strip()}: substring expression < 0")
            return value[offset:end]
        return value[offset:offset + length]

    # ================================================== compound assignment
    def _assign_array(self, a, local: bool) -> None:
        state = self.state
        name = a.name
        assoc = state.is_assoc(name)
        values: dict = {}
        if assoc:
            plain = []
            for item in a.array:
                if item.key is not None:
                    key = self.word(item.key)
                    val = self.word(item.value)
                    if item.append:
                        old = values.get(key)
                        if old is None and a.append:
                            old = (state.get_array(name) or {}).get(key)
                        val = (old or "") + val
                    values[key] = val
                else:
                    plain.extend(self.words([item.value]))
            for i in range(0, len(plain), 2):
                values[plain[i]] = plain[i + 1] if i + 1 < len(plain) else ""
            state.set_array(name, values, assoc=True, append=a.append, local=local)
            return
        index = 0
        if a.append:
            existing = state.get_array(name)
            if existing:
                index = array_top(existing) + 1
        for item in a.array:
            if item.key is not None:
                key = self._subscript_key(name, item.key)
                if key < 0:
                    existing = dict(state.get_array(name) or {}) if a.append else {}
                    existing.update(values)
                    top = (max(existing) + 1) if existing else 0
                    if key + top < 0:
                        raise ShellError(f"{name}[{item.key.text}]: bad array subscript")
                    key += top
                val = self.word(item.value)
                if item.append:
                    val = values.get(key, "") + val
                values[key] = val
                index = key + 1
            else:
                for v in self.words([item.value]):
                    values[index] = v
                    index += 1
        state.set_array(name, values, append=a.append, local=local)
