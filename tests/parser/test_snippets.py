"""One-line scripts (valid and invalid) whose diagnostics must be exactly bash -n's.

snippets_ok.txt: each line is a valid command (and the whole file is one script);
snippets_bad.txt: each line is a syntax error of some kind. Every case is run through
`bash -n` and through the parser; the diagnostic lines must be identical.
"""
import os
import shutil

import pytest

from tests.parser import corpus

HERE = os.path.dirname(__file__)
BASH = shutil.which("bash")


def _lines(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [line + "\n" for line in f.read().splitlines() if line]


def _cases():
    ok = _lines("snippets_ok.txt")
    return ["".join(ok)] + ok + _lines("snippets_bad.txt")


@pytest.mark.skipif(BASH is None, reason="bash is not installed: no oracle")
def test_snippet_diagnostics_match_bash():
    cases = _cases()
    expected = corpus.bash_diagnostics(cases)
    diffs = []
    for text, (_, bash_lines) in zip(cases, expected):
        ours = corpus.our_diagnostics(text, "SCRIPT")
        if ours != bash_lines:
            diffs.append((text, bash_lines, ours))
    print(f"\nsnippets: {len(cases) - len(diffs)}/{len(cases)} identical diagnostics")
    assert not diffs, diffs[:3]


def test_valid_snippets_parse():
    for text in _lines("snippets_ok.txt"):
        assert corpus.our_diagnostics(text) == [], text
