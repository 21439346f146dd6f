"""Reads differential test cases from `cases/*.sh-cases` files.

A case file holds many cases. Each case starts with `=== NAME`, followed by optional
`key: value` header lines, followed by sections that each start with `--- KIND`:

    === pipeline_head
    # comment lines (starting with #) in the header are ignored
    stderr: yes                 # also compare stderr (default: no)
    mode: script                # script (default) | c | stdin | argv
    args: a 'b c'               # shell words (shlex), positional args or shell argv
    timeout: 10                 # seconds
    known_failure: why pywarmsh can never match here (reported as xfail)
    --- script
    yes | head -1
    --- stdin
    text fed to the script's standard input (mode script / c / argv)
    --- file data/input.txt
    contents of a file created in the case's directory before running
    --- file tool.sh exec
    an executable file (mode 755)
    --- file raw.bin noeol
    a file whose last newline is dropped (quote a path with spaces: --- file 'a b.txt')

Modes (SH is the shell under test; the working directory is a fresh temp dir):
    script   SH script.sh ARGS          (errors read `script.sh: line N: ...`)
    c        SH -c SCRIPT ARGS
    stdin    SH ARGS < SCRIPT
    argv     SH ARGS, with stdin from the stdin section; the script section, if any,
             is written to script.sh so ARGS can name it
Section bodies keep their lines verbatim; trailing blank lines are dropped and every
body ends with one newline (use `noeol` on a file, or printf in the script, otherwise).
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

MODES = ("script", "c", "stdin", "argv")
STDERR_MODES = ("no", "yes")
CASE_NAME = re.compile(r"^[A-Za-z0-9_.+-]+$")


class CaseFileError(Exception):
    pass


@dataclass
class CaseFile:
    path: str
    mode: int = 0o644
    text: str = ""


@dataclass
class Case:
    name: str
    source: str                  # "file.sh-cases:LINE", for messages
    script: str = ""
    stdin: str | None = None
    args: list[str] = field(default_factory=list)
    mode: str = "script"
    stderr: bool = False
    timeout: float = 10.0
    known_failure: str | None = None
    files: list[CaseFile] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.name


def _body(lines: list[str]) -> str:
    while lines and not lines[-1].strip():
        lines.pop()
    return "".join(line + "\n" for line in lines)


def _apply_header(case: Case, key: str, value: str, where: str) -> None:
    if key == "mode":
        if value not in MODES:
            raise CaseFileError(f"{where}: unknown mode {value!r}")
        case.mode = value
    elif key == "args":
        case.args = shlex.split(value)
    elif key == "stderr":
        if value not in STDERR_MODES:
            raise CaseFileError(f"{where}: stderr must be one of {STDERR_MODES}")
        case.stderr = value == "yes"
    elif key == "timeout":
        case.timeout = float(value)
    elif key == "known_failure":
        if not value:
            raise CaseFileError(f"{where}: known_failure needs a written reason")
        case.known_failure = value
    else:
        raise CaseFileError(f"{where}: unknown header {key!r}")


def _close_section(case: Case, kind: list[str], lines: list[str], where: str) -> None:
    body = _body(lines)
    if kind[0] == "script":
        case.script = body
    elif kind[0] == "stdin":
        case.stdin = body
    elif kind[0] == "file":
        if len(kind) < 2:
            raise CaseFileError(f"{where}: `--- file` needs a path")
        flags = set(kind[2:])
        if flags - {"exec", "noeol"}:
            raise CaseFileError(f"{where}: unknown file flags {flags}")
        if "noeol" in flags and body.endswith("\n"):
            body = body[:-1]
        mode = 0o755 if "exec" in flags else 0o644
        case.files.append(CaseFile(kind[1], mode, body))
    else:
        raise CaseFileError(f"{where}: unknown section {kind[0]!r}")


def parse_case_text(text: str, filename: str = "<text>") -> list[Case]:
    cases: list[Case] = []
    case: Case | None = None
    section: list[str] | None = None   # split `--- KIND ARGS` line
    section_where = ""
    lines: list[str] = []

    def finish_section():
        nonlocal section, lines
        if case is not None and section is not None:
            _close_section(case, section, lines, section_where)
        section, lines = None, []

    for lineno, line in enumerate(text.splitlines(), 1):
        where = f"{filename}:{lineno}"
        if line.startswith("=== "):
            finish_section()
            name = line[4:].strip()
            if not CASE_NAME.match(name):
                raise CaseFileError(f"{where}: bad case name {name!r}")
            case = Case(name=name, source=where)
            cases.append(case)
        elif line.startswith("--- "):
            if case is None:
                raise CaseFileError(f"{where}: section outside a case")
            finish_section()
            section = shlex.split(line[4:])
            section_where = where
        elif section is not None:
            lines.append(line)
        elif case is None or not line.strip() or line.lstrip().startswith("#"):
            continue
        else:
            key, sep, value = line.partition(":")
            if not sep:
                raise CaseFileError(f"{where}: expected `key: value` or `--- section`")
            _apply_header(case, key.strip(), value.strip(), where)
    finish_section()
    for c in cases:
        if c.mode == "stdin" and c.stdin is not None:
            raise CaseFileError(f"{c.source}: mode stdin reads the script from stdin")
        if c.mode != "argv" and not c.script:
            raise CaseFileError(f"{c.source}: case has no script")
    return cases


def load_cases(directory: Path) -> list[Case]:
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.sh-cases")):
        for case in parse_case_text(path.read_text(encoding="utf-8"), path.name):
            if case.name in seen:
                raise CaseFileError(f"{case.source}: duplicate case name "
                                    f"(first at {seen[case.name]})")
            seen[case.name] = case.source
            cases.append(case)
    return cases
