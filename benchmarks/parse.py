#!/usr/bin/env python3
"""Parser speed: git's bash completion script and a generated 20k-line script.

For each input prints the parser's throughput in-process (lines/s, best of several
parses), and `pywarmsh -n FILE` against `bash -n FILE` (whole processes, interleaved,
median wall time), plus the time to import the parser.

    python3 benchmarks/parse.py [-r REPS] [--update-readme]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GIT_COMPLETION = "/usr/share/bash-completion/completions/git"
README_START = "<!-- PARSER TABLE START"
README_END = "<!-- PARSER TABLE END -->"


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


def lines_per_second(text: str, repeat: int) -> float:
    """Best lines/s over `repeat` parses in this process."""
    sys.path.insert(0, str(REPO_ROOT))
    from pyshell.syntax.parser import parse
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        parse(text)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return text.count("\n") / best


def pywarmsh_command() -> list:
    for candidate in (str(Path(sys.executable).parent / "pywarmsh"), shutil.which("pywarmsh")):
        if candidate and os.access(candidate, os.X_OK):
            return [candidate]
    return [sys.executable, "-m", "pyshell"]


def wall(argv: list) -> float:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    t0 = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed: {proc.stderr.decode(errors='replace')}")
    return dt


def import_time_ms(reps: int) -> float:
    code = ("import time; t = time.perf_counter(); import pyshell.syntax.parser; "
            "print(time.perf_counter() - t)")
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    samples = [float(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                    text=True, env=env, check=True).stdout)
               for _ in range(reps)]
    return statistics.median(samples) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-r", "--reps", type=int, default=5)
    ap.add_argument("--update-readme", action="store_true")
    args = ap.parse_args()

    inputs = []
    if os.path.exists(GIT_COMPLETION):
        with open(GIT_COMPLETION, encoding="utf-8", errors="surrogateescape") as f:
            inputs.append(("git's bash completion", f.read()))
    inputs.append(("generated script", generated_script()))

    rows = []
    pywarmsh = pywarmsh_command()
    with tempfile.TemporaryDirectory() as tmp:
        for label, text in inputs:
            path = os.path.join(tmp, "input.sh")
            with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(text)
            rate = lines_per_second(text, args.reps)
            ours, bash = [], []
            for _ in range(args.reps):   # interleaved
                ours.append(wall(pywarmsh + ["-n", path]))
                bash.append(wall(["bash", "-n", path]))
            p, b = statistics.median(ours), statistics.median(bash)
            rows.append(f"| {label} | {text.count(chr(10))} | {rate:,.0f} | {p * 1000:.0f} "
                        f"| {b * 1000:.0f} | {p / b:.2f} |")
    table = "\n".join([
        f"Parser, `benchmarks/parse.py -r {args.reps}` ({time.strftime('%Y-%m-%d')}); import "
        f"of the parser: {import_time_ms(args.reps):.1f} ms.",
        "",
        "| input | lines | parser (lines/s) | `pywarmsh -n` (ms) | `bash -n` (ms) | ratio |",
        "|---|---|---|---|---|---|",
        *rows])
    print(table)
    if args.update_readme:
        readme = REPO_ROOT / "README.md"
        text = readme.read_text()
        start = text.index(README_START)
        start = text.index("\n", start) + 1
        end = text.index(README_END)
        readme.write_text(text[:start] + table + "\n" + text[end:])


if __name__ == "__main__":
    main()
