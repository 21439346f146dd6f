"""Shows what bash (and optionally pywarmsh) print for cases, to write or debug cases.

    python3 -m tests.differential.show [--pywarmsh] [NAME-SUBSTRING...]
"""
from __future__ import annotations

import sys
from pathlib import Path

from .casefile import load_cases
from .runner import bash_shell, pywarmsh_shell, run_case


def main(argv: list[str]) -> int:
    shells = [bash_shell()]
    if "--pywarmsh" in argv:
        argv = [a for a in argv if a != "--pywarmsh"]
        shells.append(pywarmsh_shell())
    for case in load_cases(Path(__file__).parent / "cases"):
        if argv and not any(word in case.name for word in argv):
            continue
        for shell in shells:
            out = run_case(shell, case)
            print(f"=== {case.name} [{shell.label}] status={out.status}"
                  f"{' TIMEOUT' if out.timed_out else ''}")
            print("stdout:", repr(out.stdout))
            if out.stderr:
                print("stderr:", repr(out.stderr))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
