"""Runs every case of cases/*.sh-cases under bash and pywarmsh and compares the results.

Set PYWARMSH_DIFF_SELFCHECK=1 to run bash against bash: a case that fails then is not
deterministic (or the harness normalizes too little) and must be fixed.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from .casefile import load_cases
from .runner import SUT_TIMEOUTS, bash_shell, describe, run_case, shell_under_test

CASES_DIR = Path(__file__).parent / "cases"
ORACLE = bash_shell()
SUT = shell_under_test()


def _params():
    for case in load_cases(CASES_DIR):
        marks = []
        if case.known_failure:
            marks.append(pytest.mark.xfail(reason=case.known_failure, strict=False))
        yield pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_case(case):
    expected = run_case(ORACLE, case)
    if expected.timed_out:
        pytest.fail(f"bash itself timed out on {case.name}: fix the case", pytrace=False)
    actual = run_case(SUT, case, timeout=SUT_TIMEOUTS.timeout(case.timeout))
    SUT_TIMEOUTS.record(actual)
    problem = None
    if actual.has_traceback():
        problem = "pywarmsh printed a Python traceback / internal error"
    elif actual.timed_out:
        problem = "timed out"
    elif (expected.status, expected.stdout) != (actual.status, actual.stdout) or (
            case.stderr and expected.stderr != actual.stderr):
        problem = "output differs"
    if problem:
        pytest.fail(problem + "\n" + describe(case, expected, actual, SUT), pytrace=False)
