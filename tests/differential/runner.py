"""Runs a shell on a test case in a fresh directory and normalizes what it printed.

Both shells get the same environment (nothing inherited from the caller but what a case
needs to find pywarmsh), a fresh temp directory as cwd and as $HOME's parent, and their
output has the run directory and the shell's own name replaced by placeholders so the
two runs can be compared byte for byte.
"""
from __future__ import annotations

import atexit
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .casefile import Case

REPO_ROOT = Path(__file__).resolve().parents[2]
BASH = "/usr/bin/bash"
TMP_MARK = "@TMP@"
SHELL_MARK = "@SH@"
TRACEBACK_SIGNS = ("Traceback (most recent call last)", ": internal error: ")
# env var: run bash against bash to catch cases whose output is not deterministic
SELFCHECK_VAR = "PYWARMSH_DIFF_SELFCHECK"


@dataclass
class Shell:
    """How to start one shell: argv prefix, and the names it calls itself in messages."""
    label: str
    argv: list[str]
    executable: str | None = None       # when argv[0] is only the name shown as $0
    names: tuple[str, ...] = ()         # spellings of its own name in diagnostics
    extra_env: dict[str, str] = field(default_factory=dict)
    path: str = ""                      # a program path for "$TESTSH" inside cases

    def name_pattern(self) -> re.Pattern:
        alternatives = "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
        return re.compile(r"(?<![\w/.-])(?:%s)(?![\w.-])" % alternatives)


def bash_shell() -> Shell:
    # argv[0] "bash" gives the messages `bash: ...` that pywarmsh mirrors with its name
    return Shell("bash", ["bash"], executable=BASH, names=(BASH, "bash"), path=BASH)


def _pyshell_importable_without_path() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import pyshell, sys; print(pyshell.__file__)"],
                           cwd=tempfile.gettempdir(), env={"PATH": os.defpath},
                           capture_output=True, text=True)
    return probe.returncode == 0


def pywarmsh_shell() -> Shell:
    """The installed `pywarmsh` console script if there is one (the one of the Python
    running the tests first, then PATH's), else `python -m pyshell`."""
    candidates = [str(Path(sys.executable).parent / "pywarmsh"), shutil.which("pywarmsh")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return Shell("pywarmsh", [candidate], names=(candidate, "pywarmsh"), path=candidate)
    extra = {} if _pyshell_importable_without_path() else {"PYTHONPATH": str(REPO_ROOT)}
    wrapper = _dev_wrapper()
    return Shell("pywarmsh", [sys.executable, "-m", "pyshell"], names=(wrapper, "pywarmsh"),
                 extra_env=extra, path=wrapper)


_wrapper_path: str | None = None


def _dev_wrapper() -> str:
    """An executable that starts `python -m pyshell`, for cases that run "$TESTSH"."""
    global _wrapper_path
    if _wrapper_path is None:
        directory = tempfile.mkdtemp(prefix="pwdiff-bin-")
        _wrapper_path = os.path.join(directory, "pywarmsh")
        with open(_wrapper_path, "w") as f:
            f.write(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m pyshell \"$@\"\n")
        os.chmod(_wrapper_path, 0o755)
        atexit.register(shutil.rmtree, directory, True)
    return _wrapper_path


def shell_under_test() -> Shell:
    if os.environ.get(SELFCHECK_VAR):
        return bash_shell()
    return pywarmsh_shell()


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str
    timed_out: bool = False

    def has_traceback(self) -> bool:
        return any(sign in self.stderr for sign in TRACEBACK_SIGNS)


def case_env(shell: Shell, run_dir: str, extra: dict[str, str]) -> dict[str, str]:
    env = {
        "HOME": os.path.join(run_dir, "home"),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "TERM": "dumb",
        "USER": "tester",
        "LOGNAME": "tester",
        "TESTSH": shell.path,
    }
    env.update(extra)
    env.update(shell.extra_env)
    return env


def _write_files(run_dir: str, case: Case) -> None:
    os.mkdir(os.path.join(run_dir, "home"))
    if case.mode in ("script", "argv") and case.script:
        Path(run_dir, "script.sh").write_text(case.script, encoding="utf-8")
    for f in case.files:
        target = Path(run_dir, f.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.text, encoding="utf-8")
        target.chmod(f.mode)


def _argv(shell: Shell, case: Case) -> list[str]:
    if case.mode == "script":
        return shell.argv + ["script.sh"] + case.args
    if case.mode == "c":
        return shell.argv + ["-c", case.script] + case.args
    return shell.argv + case.args


def _stdin_bytes(case: Case) -> bytes | None:
    text = case.script if case.mode == "stdin" else case.stdin
    return None if text is None else text.encode("utf-8", "surrogateescape")


def _kill_group(pgid: int) -> None:
    # the case ran in its own session: this reaches only what the case itself started
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class TimeoutBudget:
    """After a few timeouts the shell under test is probably hanging everywhere: later
    cases then get a short timeout so the suite still ends in minutes, not hours."""

    def __init__(self, allowed: int = 3, short: float = 2.0):
        self.allowed, self.short, self.used = allowed, short, 0

    def timeout(self, wanted: float) -> float:
        return wanted if self.used < self.allowed else min(wanted, self.short)

    def record(self, outcome: "Outcome") -> None:
        self.used += outcome.timed_out


SUT_TIMEOUTS = TimeoutBudget()


def run_case(shell: Shell, case: Case, extra_env: dict[str, str] | None = None,
             timeout: float | None = None) -> Outcome:
    run_dir = os.path.realpath(tempfile.mkdtemp(prefix="pwdiff-"))
    try:
        _write_files(run_dir, case)
        stdin_data = _stdin_bytes(case)
        proc = subprocess.Popen(
            _argv(shell, case), executable=shell.executable, cwd=run_dir,
            env=case_env(shell, run_dir, extra_env or {}),
            stdin=subprocess.DEVNULL if stdin_data is None else subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        timed_out = False
        try:
            out, err = proc.communicate(stdin_data, timeout=timeout or case.timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(proc.pid)
            out, err = proc.communicate()
        _kill_group(proc.pid)
        return Outcome(proc.returncode,
                       normalize(out, shell, run_dir), normalize(err, shell, run_dir),
                       timed_out)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def normalize(data: bytes, shell: Shell, run_dir: str) -> str:
    text = data.decode("utf-8", "surrogateescape")
    text = text.replace(run_dir, TMP_MARK)
    return shell.name_pattern().sub(SHELL_MARK, text)


def describe(case: Case, expected: Outcome, actual: Outcome, shell: Shell) -> str:
    """A readable account of a mismatch for the test report."""
    parts = [f"case {case.name} ({case.source}), mode {case.mode}, args {case.args}",
             "--- script", case.script.rstrip("\n")]
    for f in case.files:
        parts.append(f"--- file {f.path} (mode {f.mode:o})\n{f.text.rstrip(chr(10))}")
    if case.stdin is not None:
        parts.append(f"--- stdin\n{case.stdin.rstrip(chr(10))}")
    for attr in ("status", "stdout", "stderr"):
        want, got = getattr(expected, attr), getattr(actual, attr)
        if want != got:
            note = " (not compared)" if attr == "stderr" and not case.stderr else ""
            parts.append(f"--- {attr}{note}: bash gave\n{want!r}\n--- {shell.label} gave\n{got!r}")
    if actual.timed_out:
        parts.append(f"--- {shell.label} timed out")
    return "\n".join(parts)
