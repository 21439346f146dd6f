"""The `select` loop: a numbered menu on stderr, PS3 prompt, replies read from stdin."""
from __future__ import annotations

import os

from pyshell.interp.state import VarError


def _menu(items: list) -> str:
    """One numbered line per item, numbers right-aligned (what bash prints for menus
    that are not wider than the terminal)."""
    digits = len(str(len(items)))
    return "".join(f"{i:>{digits}}) {item}\n" for i, item in enumerate(items, 1))


def _read_reply() -> str | None:
    data = bytearray()
    while True:
        try:
            ch = os.read(0, 1)
        except InterruptedError:
            continue
        except OSError:
            ch = b""
        if not ch:
            return None if not data else data.decode("utf-8", "surrogateescape")
        if ch == b"\n":
            return data.decode("utf-8", "surrogateescape")
        data += ch


def run_select(sh, node) -> int:
    st = sh.state
    st.lineno = node.line
    if "xtrace" in st.options:      # as written, before the words are expanded
        words = '"$@"' if node.words is None else " ".join(w.text for w in node.words)
        sh._trace_line(f"select {node.var} in {words}")
    items = list(st.positional) if node.words is None else sh.expander.words(node.words)
    if not items:
        return 0
    status = 0
    show_menu = True
    sh.loop_depth += 1
    try:
        while True:
            if show_menu:
                sh.write(2, _menu(items))
            sh.write(2, st.get("PS3") if st.get("PS3") is not None else "#? ")
            reply = _read_reply()
            if reply is None:
                sh.write(2, "\n")
                return status
            st.set("REPLY", reply)
            text = reply.strip()
            if not text:
                show_menu = True
                continue
            show_menu = False
            choice = items[int(text) - 1] if text.isdigit() and 0 < int(text) <= len(items) \
                else ""
            try:
                st.set(node.var, choice)
            except VarError as exc:
                sh.error(exc.message)
                return 1
            status, stop = sh._loop_body(node.body)
            if stop:
                return status
    finally:
        sh.loop_depth -= 1
