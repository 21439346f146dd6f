#!/usr/bin/env python3
"""Times pywarmsh, bash and dash on the scripts in benchmarks/cases/ and examples/.

Runs are interleaved: every repetition visits every case, and each case runs once under
every shell (in a rotating order) before the next case, so a noisy machine disturbs all
shells alike. Outputs of the shells are compared; medians and ratios are printed as a
markdown table, followed by the start-up comparison `pywarmsh -c true` vs
`python3 -c pass`.

    python3 benchmarks/run.py [-r REPS] [-k FILTER] [--shells bash,pywarmsh,dash]
                              [--no-examples] [--no-startup] [--startup-runs N]
                              [--update-readme]

A script's first comment line is its description. `# dash: no` in its first lines keeps
it from dash (bash-only syntax); examples/ scripts are bash-only unless they say
`# dash: yes`. The shell being measured is in $BENCH_SHELL.
"""
from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
CASES_DIR = BENCH_DIR / "cases"
EXAMPLES_DIR = REPO_ROOT / "examples"
RUN_TIMEOUT = 600


@dataclass
class Shell:
    name: str
    argv: list[str]          # command prefix; the script path is appended
    program: str             # an executable path, exported as $BENCH_SHELL
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class BenchCase:
    name: str
    path: Path
    description: str
    dash_ok: bool
    times: dict[str, list[float]] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


def find_pywarmsh(tmp: Path) -> Shell:
    """The installed console script, else a wrapper running `python -m pyshell` from the repo."""
    for candidate in (str(Path(sys.executable).parent / "pywarmsh"), shutil.which("pywarmsh")):
        if candidate and os.access(candidate, os.X_OK):
            return Shell("pywarmsh", [candidate], candidate)
    wrapper = tmp / "pywarmsh"
    wrapper.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m pyshell \"$@\"\n")
    wrapper.chmod(0o755)
    return Shell("pywarmsh", [sys.executable, "-m", "pyshell"], str(wrapper),
                 {"PYTHONPATH": str(REPO_ROOT)})


def available_shells(names: list[str], tmp: Path) -> list[Shell]:
    shells = []
    for name in names:
        if name == "pywarmsh":
            shells.append(find_pywarmsh(tmp))
            continue
        path = shutil.which(name)
        if path is None:
            print(f"note: {name} not found, skipped", file=sys.stderr)
            continue
        shells.append(Shell(name, [path], path))
    return shells


def read_case(path: Path, dash_default: bool) -> BenchCase:
    lines = path.read_text().splitlines()[:5]
    comments = [line for line in lines if line.startswith("#") and not line.startswith("#!")]
    description = comments[0].lstrip("#").strip() if comments else path.stem
    dash_ok = dash_default
    for line in lines:
        if line.replace(" ", "") == "#dash:no":
            dash_ok = False
        elif line.replace(" ", "") == "#dash:yes":
            dash_ok = True
    return BenchCase(path.stem, path, description, dash_ok)


def collect_cases(with_examples: bool, filters: list[str]) -> list[BenchCase]:
    cases = [read_case(p, True) for p in sorted(CASES_DIR.glob("*.sh"))]
    if with_examples:
        for path in sorted(EXAMPLES_DIR.glob("*.sh")):
            case = read_case(path, False)
            case.description = f"example: {path.name}"
            cases.append(case)
    if filters:
        cases = [c for c in cases if any(f in c.name for f in filters)]
    return cases


def make_fixtures(work: Path) -> None:
    data = work / "data"
    data.mkdir()
    with open(data / "lines20k.txt", "w") as f:
        for i in range(20000):
            f.write(f"line {i} {'x' * (i % 13)} end\n")
    with open(data / "small.txt", "w") as f:
        f.writelines(f"{i} {i * i}\n" for i in range(100))


def base_env(work: Path) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", os.defpath), "HOME": str(work),
            "LC_ALL": "C.UTF-8", "TZ": "UTC"}


def run_once(shell: Shell, argv_tail: list[str], work: Path) -> tuple[float, str, str | None]:
    env = base_env(work)
    env.update(shell.env)
    env["BENCH_SHELL"] = shell.program
    start = time.perf_counter()
    try:
        proc = subprocess.run(shell.argv + argv_tail, cwd=work, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, "", f"timed out after {RUN_TIMEOUT}s"
    elapsed = time.perf_counter() - start
    problem = None
    if proc.returncode != 0:
        problem = f"exit status {proc.returncode}: {proc.stderr.decode(errors='replace')[-300:]}"
    return elapsed, proc.stdout.decode(errors="replace"), problem


def run_cases(cases: list[BenchCase], shells: list[Shell], reps: int, work: Path) -> None:
    for rep in range(reps):
        for index, case in enumerate(cases):
            eligible = [s for s in shells if s.name != "dash" or case.dash_ok]
            shift = (rep + index) % len(eligible)
            for shell in eligible[shift:] + eligible[:shift]:
                if shell.name in case.failures:
                    continue
                elapsed, out, problem = run_once(shell, [str(case.path)], work)
                if problem:
                    case.failures[shell.name] = problem
                    continue
                case.times.setdefault(shell.name, []).append(elapsed)
                case.outputs.setdefault(shell.name, out)
            print(f"rep {rep + 1}/{reps} {case.name} done", file=sys.stderr)


def startup(shells: list[Shell], runs: int, work: Path) -> dict[str, float]:
    """Median wall time of `SHELL -c true` per shell and of `python3 -c pass`."""
    probes = {s.name + " -c true": (s, ["-c", "true"]) for s in shells}
    python = Shell("python3", [sys.executable], sys.executable)
    probes["python3 -c pass"] = (python, ["-c", "pass"])
    probes["python3 -I -S -c pass"] = (python, ["-I", "-S", "-c", "pass"])
    times: dict[str, list[float]] = {k: [] for k in probes}
    for _ in range(runs):
        for label, (shell, tail) in probes.items():
            elapsed, _, problem = run_once(shell, tail, work)
            if problem is None:
                times[label].append(elapsed)
    return {k: statistics.median(v) for k, v in times.items() if v}


def fmt_ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:.2f}" if value and base else "-"


def report(cases: list[BenchCase], shells: list[Shell], reps: int,
           start: dict[str, float] | None) -> str:
    names = [s.name for s in shells]
    header = ["case"] + [f"{n} (s)" for n in names]
    ratio_names = [n for n in names if n != "bash"] if "bash" in names else []
    header += [f"{n}/bash" for n in ratio_names] + ["outputs"]
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for case in cases:
        med = {n: statistics.median(case.times[n]) for n in names if case.times.get(n)}
        cells = [case.description.replace("|", "\\|")]
        for n in names:
            if n in case.failures:
                cells.append("FAILED")
            else:
                cells.append(f"{med[n]:.3f}" if n in med else "-")
        cells += [fmt_ratio(med.get(n), med.get("bash")) for n in ratio_names]
        distinct = set(case.outputs.values())
        cells.append("match" if len(distinct) <= 1 else "DIFFER")
        rows.append("| " + " | ".join(cells) + " |")
    text = "\n".join(rows) + f"\n\nMedians of {reps} interleaved runs (wall time, seconds).\n"
    if start:
        py = start.get("python3 -c pass")
        text += "\n| start-up | median (ms) | ratio to python3 -c pass |\n|---|---|---|\n"
        for label, value in start.items():
            text += f"| `{label}` | {value * 1000:.1f} | {fmt_ratio(value, py)} |\n"
    return text


def explain_problems(cases: list[BenchCase]) -> None:
    for case in cases:
        for shell, problem in case.failures.items():
            print(f"FAILED {case.name} under {shell}: {problem}", file=sys.stderr)
        if len(set(case.outputs.values())) > 1:
            print(f"DIFFER {case.name}:", file=sys.stderr)
            for shell, out in case.outputs.items():
                print(f"  {shell}: {out[-200:]!r}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-r", "--reps", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument("-k", "--filter", action="append", default=[],
                        help="only cases whose name contains this (repeatable)")
    parser.add_argument("--shells", default="bash,pywarmsh,dash")
    parser.add_argument("--no-examples", action="store_true")
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument("--startup-runs", type=int, default=30)
    parser.add_argument("--update-readme", action="store_true",
                        help="also replace the benchmark table in README.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pywarmsh-bench-") as tmp:
        work = Path(tmp)
        shells = available_shells(args.shells.split(","), work)
        if not shells:
            print("no shells to measure", file=sys.stderr)
            return 2
        make_fixtures(work)
        cases = collect_cases(not args.no_examples, args.filter)
        run_cases(cases, shells, args.reps, work)
        start = None if args.no_startup else startup(shells, args.startup_runs, work)
        explain_problems(cases)
        table = report(cases, shells, args.reps, start)
        print(table)
    if args.update_readme:
        update_readme(table, args.reps)
    return 0


README_START = "<!-- BENCHMARK TABLE START"
README_END = "<!-- BENCHMARK TABLE END -->"


def update_readme(table: str, reps: int) -> None:
    """Replace what lies between the README's benchmark markers with this run's table."""
    readme = REPO_ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start = text.index(README_START)
    start = text.index("\n", start) + 1
    end = text.index(README_END)
    commit = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    intro = (f"Commit {commit}, `benchmarks/run.py -r {reps}` on {os.cpu_count()} CPUs "
             f"({time.strftime('%Y-%m-%d')}).\n\n")
    readme.write_text(text[:start] + intro + table.rstrip("\n") + "\n" + text[end:],
                      encoding="utf-8")
    print(f"updated {readme}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
