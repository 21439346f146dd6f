"""Per-launch cost of external programs: warm pool vs posix_spawn vs bash.

    python3 benchmarks/launch_micro.py [--runs N] [--rounds R]

For each command (true, sed, basename, date, ls) it times N launch+wait cycles through
the warm pool and through posix_spawn, interleaved in R rounds, and a bash loop running
the same command N times minus an empty bash loop. Prints medians in microseconds per
launch as a markdown table, then the warm processes' start cost, memory and the cache
hit rate.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pyshell.launch.request import LaunchRequest  # noqa: E402
from pyshell.launch.spawn import spawn  # noqa: E402
from pyshell.launch.warm import WarmPool  # noqa: E402

BASH = "/usr/bin/bash"


def commands(work):
    data = os.path.join(work, "input.txt")
    with open(data, "w") as f:
        f.write("a b c\n")
    for i in range(12):
        open(os.path.join(work, f"file{i}"), "w").close()
    return [
        ("true", "/usr/bin/true", ["true"], None),
        ("sed s/a/x/", "/usr/bin/sed", ["sed", "s/a/x/"], data),
        ("basename /a/b/c", "/usr/bin/basename", ["basename", "/a/b/c"], None),
        ("date", "/usr/bin/date", ["date"], None),
        ("ls -la (12 files)", "/usr/bin/ls", ["ls", "-la", work], None),
    ]


def time_launches(launch, path, argv, stdin, n, env):
    out = os.open("/dev/null", os.O_WRONLY)
    inp = os.open(stdin or "/dev/null", os.O_RDONLY)
    req = LaunchRequest(path, argv, env, fds=[(0, inp), (1, out)],
                        sigdefault=frozenset({13}))
    try:
        t0 = time.perf_counter()
        for _ in range(n):
            if stdin:
                os.lseek(inp, 0, 0)
            os.waitpid(launch(req), 0)
        return (time.perf_counter() - t0) / n * 1e6
    finally:
        os.close(out)
        os.close(inp)


def time_bash(cmd_line, n, env):
    def run(body):
        script = f"for ((i=0;i<{n};i++)); do {body}; done"
        t0 = time.perf_counter()
        subprocess.run([BASH, "-c", script], stdout=subprocess.DEVNULL, check=True,
                       env=env)
        return time.perf_counter() - t0
    return (run(cmd_line) - run(":")) / n * 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    # the locale of benchmarks/run.py (and of most users): a UTF-8 one, which every
    # coreutils program loads at start (warm processes have it loaded already)
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "TZ": "UTC"}
    pool = WarmPool()
    with tempfile.TemporaryDirectory() as work:
        cmds = commands(work)
        res = {name: {"warm": [], "spawn": [], "bash": []} for name, *_ in cmds}
        for _ in range(args.rounds):
            for name, path, argv, stdin in cmds:
                r = res[name]
                r["warm"].append(time_launches(pool.launch, path, argv, stdin, args.runs, env))
                r["spawn"].append(time_launches(spawn, path, argv, stdin, args.runs, env))
                # the full path: bash's `true` would be its builtin
                line = " ".join([path] + argv[1:]) + (f" < {stdin}" if stdin else "")
                r["bash"].append(time_bash(f"{line} >/dev/null", args.runs, env))
        print("| command | warm (us) | posix_spawn (us) | bash loop (us) |"
              " spawn / warm | bash / warm |")
        print("|---|---|---|---|---|---|")
        for name, *_ in cmds:
            w, s, b = (statistics.median(res[name][k]) for k in ("warm", "spawn", "bash"))
            print(f"| {name} | {w:.0f} | {s:.0f} | {b:.0f} | {s / w:.2f}x | {b / w:.2f}x |")
        st = pool.stats
        starts = st["server_start_us"]
        mem = st["server_private_kb"]
        print()
        print(f"warm process start cost (spawn + warm-up + first child): median "
              f"{statistics.median(starts):.0f} us over {len(starts)} servers")
        print(f"memory per warm process (private, from smaps_rollup): median "
              f"{statistics.median(mem):.0f} kB, max {max(mem)} kB")
        print(f"hit rate: {st['warm_hits']}/{st['launches']} = "
              f"{st['warm_hits'] / st['launches']:.4f}; fallbacks: {st['fallbacks']}")
    pool.close()


if __name__ == "__main__":
    main()
