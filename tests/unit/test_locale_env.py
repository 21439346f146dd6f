"""Python coerces a C locale by setting LC_CTYPE (PEP 538); the programs pywarmsh starts
must not inherit that variable when the user did not set it."""
from __future__ import annotations

import subprocess

from tests.differential.runner import shell_under_test


def _child_env(extra: dict) -> str:
    sut = shell_under_test()
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", **sut.extra_env, **extra}
    return subprocess.run(sut.argv + ["-c", "env"], env=env, capture_output=True,
                          text=True, check=True).stdout


def test_no_lc_ctype_invented():
    assert "LC_CTYPE=" not in _child_env({})


def test_users_lc_ctype_kept():
    assert "LC_CTYPE=C.UTF-8" in _child_env({"LC_CTYPE": "C.UTF-8"}).splitlines()
