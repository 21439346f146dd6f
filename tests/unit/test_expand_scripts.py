"""Expansion, [[ ]], read/printf/cd in whole scripts: each case in data/expand_cases.txt
(cases separated by `#---` lines) runs as a script file under /usr/bin/bash and under
pywarmsh in the same prepared directory; stdout, stderr and status must match."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES = [c.strip("\n") for c in
         (Path(__file__).parent / "data" / "expand_cases.txt").read_text().split("\n#---\n")
         if c.strip()]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("w")
    for name in ("a.txt", "b.txt", "c.log", ".hidden"):
        (d / name).write_text("")
    (d / "d1" / "x").mkdir(parents=True)
    (d / "d2").mkdir()
    (d / "d1" / "x" / "f.txt").write_text("")
    (d / "d1" / "y.txt").write_text("")
    return d


def _run(argv, script, cwd):
    (cwd / "s.sh").write_text(script.replace("/tmp/dt/w", str(cwd)) + "\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME="/root")
    r = subprocess.run(argv + ["s.sh"], cwd=cwd, capture_output=True, text=True,
                       env=env, timeout=30)
    return r.stdout, r.stderr, r.returncode


@pytest.mark.parametrize("script", CASES, ids=[c.splitlines()[0][:40] for c in CASES])
def test_script_like_bash(script, workdir):
    expected = _run(["/usr/bin/bash"], script, workdir)
    actual = _run([sys.executable, "-m", "pyshell"], script, workdir)
    assert actual == expected
