"""The interactive shell on a terminal (GNU readline): the same keystrokes are typed into
`bash -i` and `pywarmsh -i`, each on its own pseudo-terminal (as controlling terminal),
and the screens must match. Input is sent a step at a time, each step waiting until
the shell shows its next prompt (no fixed sleeps decide the outcome)."""
from __future__ import annotations

import fcntl
import os
import select
import shutil
import subprocess
import tempfile
import termios
import time
from pathlib import Path

import pytest

from tests.differential.runner import shell_under_test

BASH = shutil.which("bash")
PROMPT = "PROMPT$ "
STEP_TIMEOUT = 20.0


def _controlling_terminal():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Session:
    def __init__(self, argv: list, home: str, extra_env: dict):
        master, slave = os.openpty()
        env = {"HOME": home, "PATH": "/usr/local/bin:/usr/bin:/bin", "TERM": "dumb",
               "LC_ALL": "C.UTF-8", "HISTFILE": os.path.join(home, "hist"), **extra_env}
        self.proc = subprocess.Popen(argv + ["--rcfile", os.path.join(home, "rc"), "-i"],
                                     stdin=slave, stdout=slave, stderr=slave, cwd=home,
                                     env=env, preexec_fn=_controlling_terminal)
        os.close(slave)
        self.master = master
        self.screen = b""

    def _read(self, until, timeout: float = STEP_TIMEOUT) -> None:
        end = time.monotonic() + timeout
        while not until() and time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    data = os.read(self.master, 4096)
                except OSError:
                    return
                if not data:
                    return
                self.screen += data

    def prompts(self) -> int:
        return self.screen.count(PROMPT.encode())

    def type(self, keys: str, new_prompt: bool = True, settle: float = 0.0) -> None:
        before = self.prompts()
        os.write(self.master, keys.encode())
        if new_prompt:
            self._read(lambda: self.prompts() > before)
        if settle:
            self._read(lambda: False, settle)

    def finish(self) -> tuple:
        try:
            self.proc.wait(timeout=STEP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._read(lambda: False, 0.2)
        os.close(self.master)
        return self.proc.returncode, self.screen.decode("utf-8", "replace")


def _play(argv: list, steps: list, extra_env: dict | None = None) -> tuple:
    with tempfile.TemporaryDirectory() as home:
        Path(home, "rc").write_text(
            f"PS1='{PROMPT}'\n"
            "_mine() { COMPREPLY=( $(compgen -W 'alpha beta gamma' -- \"$2\") ); }\n"
            "complete -F _mine mycmd\n"
            "complete -W 'one two three' -P pre- other\n"
            "complete -o nospace -W 'key=' setting\n"
            "bind '\"\\C-t\": \"echo bound\\n\"'\n")
        Path(home, "alpha_file").write_text("")
        Path(home, "beta_dir").mkdir()
        session = Session(argv, home, extra_env or {})
        session._read(lambda: session.prompts() >= 1)
        for step in steps:
            session.type(*step)
        status, screen = session.finish()
    return status, screen.replace(home, "HOME").replace("pywarmsh", "bash")


SESSIONS = {
    "commands_and_continuation": [
        ("echo hi\r",), ("for i in 1 2\r", False, 0.3), ("do echo $i; done\r",),
        ("exit 3\r", False)],
    "completion": [
        ("echo alp\t\r",), ("cd bet\t\r",), ("pw\t\r",), ("echo $HOM\t\r",), ("\x04", False)],
    "programmable": [
        ("mycmd b\t\r",), ("other t\t\t\x15", False, 0.5), ("mycmd \t\t\x15", False, 0.5),
        ("setting k\tv\r",), ("\x04", False)],
    "bind": [
        ("\x14",), ("bind 'set completion-ignore-case on'\r",), ("echo ALP\t\r",),
        ("\x04", False)],
    "history_keys": [
        ("echo one\r",), ("echo two\r",), ("\x1b[A\x1b[A\r",), ("!!\r",), ("\x04", False)],
    "interrupts": [
        ("sleep 5\r", False, 0.5), ("\x03",), ("echo status $?\r",),
        ("echo partial", False, 0.3), ("\x03",), ("echo status $?\r",), ("\x04", False)],
}


@pytest.mark.skipif(BASH is None, reason="bash is not installed: no oracle")
@pytest.mark.parametrize("name", sorted(SESSIONS))
def test_terminal_session_matches_bash(name):
    sut = shell_under_test()
    expected = _play([BASH], SESSIONS[name])
    actual = _play(list(sut.argv), SESSIONS[name], sut.extra_env)
    assert "Traceback" not in actual[1] and "internal error" not in actual[1], actual[1]
    assert actual == expected
