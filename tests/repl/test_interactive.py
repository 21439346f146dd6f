"""The interactive shell (`pywarmsh -i` with input from a pipe) against `bash -i`.

Cases are data in cases/*.sh-cases (the format of tests/differential/casefile.py): the
`stdin` section is what the user types. bash, whose input is not a terminal here, also
says it cannot use job control; pywarmsh has no job control yet and says nothing, so those
two lines are dropped from bash's stderr before comparing.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.differential.casefile import load_cases
from tests.differential.runner import bash_shell, describe, run_case, shell_under_test

CASES_DIR = Path(__file__).parent / "cases"
ORACLE = bash_shell()
SUT = shell_under_test()
_JOB_CONTROL_NOTES = ("cannot set terminal process group", "no job control in this shell")


def _without_job_control_notes(stderr: str) -> str:
    return "".join(line for line in stderr.splitlines(keepends=True)
                   if not any(note in line for note in _JOB_CONTROL_NOTES))


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in load_cases(CASES_DIR)])
def test_interactive_case(case):
    expected = run_case(ORACLE, case)
    expected.stderr = _without_job_control_notes(expected.stderr)
    actual = run_case(SUT, case)
    assert not actual.has_traceback(), describe(case, expected, actual, SUT)
    assert not actual.timed_out, describe(case, expected, actual, SUT)
    same = (expected.status, expected.stdout) == (actual.status, actual.stdout)
    if case.stderr:
        same = same and expected.stderr == actual.stderr
    assert same, describe(case, expected, actual, SUT)
