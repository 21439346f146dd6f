"""A script's output is byte-identical with warming on and off (through the shell)."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest

import pyshell

PKG_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(pyshell.__file__)))

SCRIPT = r"""
for i in 1 2 3 4; do
  /usr/bin/printf '%s|' "$i" '' "a  b"; echo
  echo "x$i y" | sed 's/x/X/'
  b=$(basename /a/b/c$i); echo "$b"
  TZ=Asia/Tokyo date -d @$((i * 3600)) '+%F %T %Z'
  env -i A=$i /usr/bin/env
  ls -a "$D" | sort -r | head -3
  yes | head -1; echo "${PIPESTATUS[*]}"
  false; echo "false=$?"
  sh -c 'exit 7'; echo "sh=$?"
  cat "$D/nothere" 2>&1; echo "cat=$?"
  wc -c < "$D/f1"
  printf 'b\nB\n\303\251\na\n' | sort | tr '\n' ' '; printf '\303\251\n' | wc -m
  locale; date -d @0 +%c; ls "$D/missing" 2>&1
done
printf 'line\n' > "$D/../o"; cat "$D/../o" "$D/../o" | uniq -c
"""


def _run(warm: str, work: str, locale: dict):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": PKG_ROOT, **locale,
           "PYWARMSH_WARM": warm, "D": os.path.join(work, "d"),
           "PYWARMSH_WARM_STATS": os.path.join(work, f"stats-{warm}.json")}
    return subprocess.run([sys.executable, "-m", "pyshell", "-c", SCRIPT], env=env,
                          capture_output=True, cwd=work, timeout=120)


# Warm processes load the locale of their first command (launch/locale_data.py): the C
# locale, a UTF-8 one by LC_ALL or by LANG, and one that is not installed.
@pytest.mark.parametrize("locale", [{"LC_ALL": "C"}, {"LC_ALL": "C.UTF-8"},
                                    {"LANG": "C.UTF-8"}, {"LANG": "xx_YY.UTF-8"}],
                         ids=["C", "LC_ALL=C.UTF-8", "LANG=C.UTF-8", "unavailable"])
def test_script_output_identical_warm_and_cold(locale):
    with tempfile.TemporaryDirectory() as work:
        os.mkdir(os.path.join(work, "d"))
        for name in ("f1", "f2", "f3"):
            with open(os.path.join(work, "d", name), "w") as f:
                f.write(name * 10)
        warm = _run("1", work, locale)
        cold = _run("0", work, locale)
        assert warm.stderr == cold.stderr
        assert warm.stdout.decode().splitlines() == cold.stdout.decode().splitlines()
        assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout)
        assert warm.stdout.count(b"false=1\n") == 4
        import json
        with open(os.path.join(work, "stats-1.json")) as f:
            stats = json.load(f)
        assert stats["warm_hits"] >= 20
