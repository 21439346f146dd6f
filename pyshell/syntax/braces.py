"""Brace expansion syntax: find {a,b} and {x..y[..step]} in a word's parts.

Only unquoted literal `{` `,` `}` count (an escaped or quoted brace is text), and a brace
pair without a top-level comma or a valid sequence is literal, as in bash.
"""
from __future__ import annotations

import re

from pyshell.syntax import ast as A

_RANGE = re.compile(r"([+-]?[0-9]+|[A-Za-z])\.\.([+-]?[0-9]+|[A-Za-z])(?:\.\.([+-]?[0-9]+))?")


def expand_braces_in_parts(parts: list) -> list:
    if not any(type(p) is A.Lit and "{" in p.text for p in parts):
        return parts
    items: list = []
    locs: list = []
    for p in parts:
        if type(p) is A.Lit:
            for k, ch in enumerate(p.text):
                items.append(ch)
                locs.append((p.line, p.col + k))
        else:
            items.append(p)
            locs.append((getattr(p, "line", 0), getattr(p, "col", 0)))
    return _names_into_braces(_convert(items, locs, 0, len(items)))


_NAME_CHARS = re.compile(r"[A-Za-z0-9_]+")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _names_into_braces(parts: list) -> list:
    """bash expands braces before parameters, so in `$pre{a,b}` the alternatives extend
    the variable name (`$prea $preb`). Rewrite such pairs into one Brace whose
    alternatives start with the longer Param."""
    out: list = []
    i = 0
    while i < len(parts):
        part = parts[i]
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        if type(part) is A.Param and not part.braced and part.op is None and \
                _IDENT.fullmatch(part.name) and type(nxt) in (A.Brace, A.BraceRange):
            alts = _alternatives(nxt)
            if alts is not None:
                j = i + 2
                # following brace groups multiply out ({x,y}{1,2} is x1 x2 y1 y2) and
                # may all continue the name
                while j < len(parts) and type(parts[j]) in (A.Brace, A.BraceRange):
                    more = _alternatives(parts[j])
                    if more is None or len(alts) * len(more) > 4096:
                        break
                    alts = [_concat(a, b) for a in alts for b in more]
                    j += 1
                after = parts[j] if j < len(parts) else None
                if type(after) is A.Lit and _NAME_CHARS.match(after.text):
                    # the text after the braces belongs to every alternative
                    alts = [_concat(alt, [after]) for alt in alts]
                    j += 1
                new_alts = [_extend_name(part, alt) for alt in alts]
                out.append(A.Brace(new_alts, line=part.line, col=part.col))
                i = j
                continue
        out.append(part)
        i += 1
    return out


def _alternatives(node):
    return node.alternatives if type(node) is A.Brace else _range_alternatives(node)


def _concat(a: list, b: list) -> list:
    """Two part lists joined, merging literal text at the seam."""
    if a and b and type(a[-1]) is A.Lit and type(b[0]) is A.Lit:
        last = a[-1]
        return a[:-1] + [A.Lit(last.text + b[0].text, line=last.line, col=last.col)] + b[1:]
    return a + b


def _extend_name(param, alt: list) -> list:
    head = alt[0] if alt else None
    if type(head) is A.Lit:
        m = _NAME_CHARS.match(head.text)
        if m:
            name = A.Param(param.name + m.group(), line=param.line, col=param.col)
            rest = head.text[m.end():]
            tail = [A.Lit(rest, line=head.line, col=head.col + m.end())] if rest else []
            return [name] + tail + alt[1:]
    return [A.Param(param.name, line=param.line, col=param.col)] + alt


def _range_alternatives(node):
    """The words of a {x..y[..step]} sequence as alternatives (bash's rules), or None."""
    a, b, step = node.start, node.end, node.step
    inc = abs(int(step)) if step else 1
    inc = inc or 1
    if a.isalpha():
        lo, hi = ord(a), ord(b)
        seq = range(lo, hi + 1, inc) if lo <= hi else range(lo, hi - 1, -inc)
        values = [chr(c) for c in seq]
    else:
        x, y = int(a), int(b)
        seq = range(x, y + 1, inc) if x <= y else range(x, y - 1, -inc)
        if len(seq) > 10000:
            return None
        width = max(len(a), len(b)) if (a.lstrip("+-").startswith("0") and len(a.lstrip("+-")) > 1) or \
            (b.lstrip("+-").startswith("0") and len(b.lstrip("+-")) > 1) else 0
        values = [("-" if v < 0 else "") + str(abs(v)).zfill(width - (1 if v < 0 else 0))
                  if width else str(v) for v in seq]
    return [[A.Lit(v, line=node.line, col=node.col)] for v in values]


def _convert(items, locs, start, end) -> list:
    out: list = []
    i = start
    while i < end:
        it = items[i]
        if it == "{":
            res = _try_brace(items, locs, i, end)
            if res is not None:
                node, i = res
                out.append(node)
                continue
        out.append(i)  # index of a char or part, merged below
        i += 1
    return _merge(out, items, locs)


def _merge(out, items, locs) -> list:
    result: list = []
    buf: list = []
    buf_loc = None
    for x in out:
        if type(x) is int:
            it = items[x]
            if type(it) is str:
                if not buf:
                    buf_loc = locs[x]
                buf.append(it)
                continue
            x = it
        if buf:
            result.append(A.Lit("".join(buf), line=buf_loc[0], col=buf_loc[1]))
            buf = []
        result.append(x)
    if buf:
        result.append(A.Lit("".join(buf), line=buf_loc[0], col=buf_loc[1]))
    return result


def _try_brace(items, locs, i, end):
    depth = 0
    commas = []
    j = i + 1
    while j < end:
        c = items[j]
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                break
            depth -= 1
        elif c == "," and depth == 0:
            commas.append(j)
        j += 1
    else:
        return None
    line, col = locs[i]
    if commas:
        alts = []
        prev = i + 1
        for k in commas + [j]:
            alts.append(_convert(items, locs, prev, k))
            prev = k + 1
        return A.Brace(alts, line=line, col=col), j + 1
    inner = items[i + 1:j]
    if inner and all(type(c) is str for c in inner):
        m = _RANGE.fullmatch("".join(inner))
        if m:
            a, b, step = m.group(1), m.group(2), m.group(3)
            if a.isalpha() == b.isalpha():
                return A.BraceRange(a, b, step, line=line, col=col), j + 1
    return None
