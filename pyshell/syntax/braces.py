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
    return _convert(items, locs, 0, len(items))


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
