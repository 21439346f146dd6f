"""A minimal stand-in for the interpreter (`sh`) so expansion and builtins can be
tested on their own: output and diagnostics are collected in strings."""
from __future__ import annotations

import re
import subprocess

from pyshell.interp.state import State


class FakeSh:
    def __init__(self, **variables):
        from pyshell.interp.arith import evaluate
        from pyshell.interp.expand import Expander
        self.state = State()
        self.state.arith_eval = lambda text: evaluate(text, self.state)
        for name, value in variables.items():
            self.state.set(name, value)
        self.expander = Expander(self)
        self.out = {1: "", 2: ""}

    def write(self, fd: int, text: str) -> None:
        self.out[fd] = self.out.get(fd, "") + text

    def error(self, msg: str) -> None:
        self.out[2] += "pywarmsh: " + msg + "\n"

    def run_cmdsub(self, seq) -> str:
        # tests build CmdSub bodies as plain strings of shell code
        return subprocess.run(["bash", "-c", seq], capture_output=True, text=True).stdout

    def run_procsub(self, node) -> str:
        return "/dev/fd/63"


def bash(script: str, stdin: str | None = None):
    """(stdout, stderr with the shell name normalized, status) of /usr/bin/bash."""
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                       input=stdin)
    return r.stdout, re.sub(r"^bash: line \d+: ", "pywarmsh: ", r.stderr, flags=re.M), r.returncode
