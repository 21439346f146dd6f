"""The scripts in examples/ give the same output and status under bash and pywarmsh.

They run with small sizes here (the benchmarks run them at full size).
"""
from __future__ import annotations

import pytest

from .casefile import Case, CaseFile
from .runner import REPO_ROOT, SUT_TIMEOUTS, bash_shell, describe, run_case, shell_under_test

EXAMPLES = {"log_report.sh": ["300"], "build.sh": ["6"], "inventory_report.sh": ["2"],
            "word_freq.sh": ["500"]}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_matches_bash(name):
    source = (REPO_ROOT / "examples" / name).read_text(encoding="utf-8")
    case = Case(name=name, source=f"examples/{name}", mode="argv", stderr=True,
                args=[name] + EXAMPLES[name], files=[CaseFile(name, 0o755, source)],
                timeout=30.0)
    expected = run_case(bash_shell(), case)
    assert expected.status == 0 and expected.stdout, f"{name} fails under bash itself"
    sut = shell_under_test()
    actual = run_case(sut, case, timeout=SUT_TIMEOUTS.timeout(case.timeout))
    SUT_TIMEOUTS.record(actual)
    if (expected.status, expected.stdout, expected.stderr) != (
            actual.status, actual.stdout, actual.stderr) or actual.has_traceback():
        pytest.fail(describe(case, expected, actual, sut), pytrace=False)
