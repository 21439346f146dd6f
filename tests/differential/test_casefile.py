"""The case-file reader and the output normalization of the differential harness."""
from __future__ import annotations

import pytest

from .casefile import CaseFileError, parse_case_text
from .runner import Shell, normalize

SAMPLE = """\
# leading comment
=== first
stderr: yes
args: a 'b c'
--- script
echo one
=== second
mode: c
known_failure: a written reason
--- file dir/tool exec
#!/bin/sh
--- file raw noeol
no newline at end

--- stdin
input line


--- script
cat
"""


def test_parses_headers_sections_and_files():
    first, second = parse_case_text(SAMPLE, "sample")
    assert first.name == "first" and first.stderr and first.args == ["a", "b c"]
    assert first.mode == "script" and first.known_failure is None
    assert second.mode == "c" and second.known_failure == "a written reason"
    assert second.stdin == "input line\n"
    assert second.script == "cat\n"
    tool, raw = second.files
    assert (tool.path, tool.mode, tool.text) == ("dir/tool", 0o755, "#!/bin/sh\n")
    assert (raw.path, raw.mode, raw.text) == ("raw", 0o644, "no newline at end")


@pytest.mark.parametrize("text, message", [
    ("=== x\nmode: nosuch\n--- script\n:\n", "unknown mode"),
    ("=== x\ncolour: red\n--- script\n:\n", "unknown header"),
    ("=== x\nknown_failure:\n--- script\n:\n", "written reason"),
    ("=== x\n--- script\n", "no script"),
    ("=== x\nmode: stdin\n--- script\n:\n--- stdin\nin\n", "reads the script from stdin"),
    ("=== bad name\n--- script\n:\n", "bad case name"),
    ("--- script\n:\n", "outside a case"),
    ("=== x\n--- script\n:\n--- scirpt\n", "unknown section"),
    ("=== x\n--- script\n:\n--- file\n", "needs a path"),
])
def test_rejects_malformed_cases(text, message):
    with pytest.raises(CaseFileError, match=message):
        parse_case_text(text)


def test_normalize_replaces_run_dir_and_shell_name_only_as_words():
    shell = Shell("bash", ["bash"], names=("/usr/bin/bash", "bash"))
    raw = b"/tmp/run1/x: bash: line 1: /usr/bin/bash bashful mybash bash\n"
    assert normalize(raw, shell, "/tmp/run1") == \
        "@TMP@/x: @SH@: line 1: @SH@ bashful mybash @SH@\n"


def test_corpus_loads_and_is_not_truncated():
    from pathlib import Path

    from .casefile import load_cases
    cases = load_cases(Path(__file__).parent / "cases")
    assert len(cases) >= 330
    per_file: dict[str, int] = {}
    for case in cases:
        filename = case.source.split(":")[0]
        per_file[filename] = per_file.get(filename, 0) + 1
    assert min(per_file.values()) >= 3, per_file
