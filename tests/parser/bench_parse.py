"""Parser throughput: git's bash completion script and a generated 20k-line script.

    python3 -m tests.parser.bench_parse      (prints lines/s; not collected by pytest)
"""
from __future__ import annotations

import os
import time

GIT_COMPLETION = "/usr/share/bash-completion/completions/git"


def generated_script(lines: int = 20000) -> str:
    """A deterministic script mixing the common constructs (whole functions, about
    `lines` lines)."""
    block = [
        'f_{n}() {{',
        '    local a="$1" b=${{2:-default}} i',
        '    for i in "$@"; do',
        '        case $i in',
        '            -x|--long) echo "opt $i" >&2 ;;',
        '            *.txt) cat -- "$i" | grep -v "^#" || true ;;',
        '        esac',
        '    done',
        '    if [[ -n $a && $b == d* ]]; then',
        '        arr=(one "two three" $(printf %s x) [k]=v)',
        '        (( count += ${{#arr[@]}} ))',
        '    elif test -f "$a"; then',
        "        sed -e 's/a/b/' <<EOF",
        'text $a ${{b}} `date`',
        'EOF',
        '    fi',
        '    while read -r line; do echo "${{line%%:*}}"; done < "$a"',
        '}}',
    ]
    out = []
    n = 0
    while len(out) < lines:
        out.extend(line.format(n=n) for line in block)
        n += 1
    return "\n".join(out) + "\n"


def measure(text: str, repeat: int = 3) -> float:
    """Best lines/s over `repeat` parses."""
    from pyshell.syntax.parser import parse
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        parse(text)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return text.count("\n") / best


def main() -> None:
    if os.path.exists(GIT_COMPLETION):
        with open(GIT_COMPLETION, encoding="utf-8", errors="surrogateescape") as f:
            text = f.read()
        print(f"git completion ({text.count(chr(10))} lines): {measure(text):,.0f} lines/s")
    text = generated_script()
    print(f"generated script ({text.count(chr(10))} lines): {measure(text):,.0f} lines/s")


if __name__ == "__main__":
    main()
