"""The interactive shell (`pywarmsh -i` with input from a pipe) against `bash -i`.

Cases are data in cases/*.sh-cases (the format of tests/differential/casefile.py): the
`stdin` section is what the user types. Neither shell has a terminal here (each runs in a
session of its own), so both say that they cannot use job control.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.differential.casefile import load_cases
from tests.differential.runner import bash_shell, describe, run_case, shell_under_test

CASES_DIR = Path(__file__).parent / "cases"
ORACLE = bash_shell()
SUT = shell_under_test()


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in load_cases(CASES_DIR)])
def test_interactive_case(case):
    expected = run_case(ORACLE, case)
    actual = run_case(SUT, case)
    # the default prompt (\s-\v\$ ) names the shell
    actual.stderr = actual.stderr.replace("pywarmsh-5.2", "bash-5.2")
    assert not actual.has_traceback(), describe(case, expected, actual, SUT)
    assert not actual.timed_out, describe(case, expected, actual, SUT)
    same = (expected.status, expected.stdout) == (actual.status, actual.stdout)
    if case.stderr:
        same = same and expected.stderr == actual.stderr
    assert same, describe(case, expected, actual, SUT)
