"""Quick differential checks of the interpreter: each snippet in cases.txt (separated by
lines `---`) runs under /usr/bin/bash -c and pywarmsh -c in a fresh directory; stdout,
stderr (shell name normalized) and exit status must be identical."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
REPO = HERE.parents[1]
BASH = "/usr/bin/bash"


def _cases() -> list:
    text = (HERE / "cases.txt").read_text()
    return [c.strip("\n") for c in text.split("\n---\n") if c.strip()]


def _run(argv, cwd, env):
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=20)
    return proc.stdout, proc.stderr, proc.returncode


@pytest.mark.skipif(not os.path.exists(BASH), reason="needs bash as the oracle")
@pytest.mark.parametrize("script", _cases(), ids=lambda s: s.split("\n")[0][:60])
def test_same_as_bash(script, tmp_path):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
           "LC_ALL": "C", "PYTHONPATH": str(REPO)}
    (tmp_path / "b").mkdir()
    (tmp_path / "p").mkdir()
    expected = _run(["bash", "-c", script], tmp_path / "b", env)
    got = _run([sys.executable, "-m", "pyshell", "-c", script], tmp_path / "p", env)
    out, err, status = got
    err = err.replace(b"pywarmsh", b"bash")
    out = out.replace(b"pywarmsh", b"bash")
    assert (out, err, status) == expected


@pytest.mark.skipif(not os.path.exists(BASH), reason="needs bash as the oracle")
def test_ps4_from_the_environment(tmp_path):
    """bash running as root keeps PS4 exported but with its default value, so that a
    trace cannot run what the environment put there; other users take it."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C",
           "PYTHONPATH": str(REPO), "PS4": "+$(echo X) "}
    script = "declare -p PS4; env | grep ^PS4=; set -x; true"
    expected = _run(["bash", "-c", script], tmp_path, env)
    got = _run([sys.executable, "-m", "pyshell", "-c", script], tmp_path, env)
    assert got == expected


@pytest.mark.skipif(not os.path.exists(BASH), reason="needs bash as the oracle")
@pytest.mark.parametrize("extra", [
    {"SHELLOPTS": "errexit:nounset:bogus", "BASHOPTS": "nullglob:bogus"},
    {"SHELLOPTS": "xtrace"},
    {"SHELLOPTS": ""},
    {},
], ids=["options-and-bogus", "xtrace", "empty", "none"])
def test_options_from_the_environment(extra, tmp_path):
    """SHELLOPTS and BASHOPTS in the environment turn their options on at start (an
    unknown set -o name is reported) and stay exported; SHELL, TERM and
    BASH_LOADABLES_PATH get bash's values when the environment has none."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(REPO),
           **extra}
    script = ('echo "[$-]"; shopt nullglob; declare -p SHELLOPTS BASHOPTS; '
              'echo "$SHELL|$TERM|$BASH_LOADABLES_PATH"; env > env.txt; '
              'grep -c OPTS= env.txt')
    expected = _run(["bash", "-c", script], tmp_path, env)
    got = _run([sys.executable, "-m", "pyshell", "-c", script], tmp_path, env)
    out, err, status = got
    assert (out, err.replace(b"pywarmsh", b"bash"), status) == expected
