"""Real shell scripts found on this machine and deterministic mutants of them, compared
with `bash -n` (accept/reject). Used by test_corpus.py; runnable alone for the figures:

    python3 -m tests.parser.corpus [--mutants]
"""
from __future__ import annotations

import glob
import os
import random
import subprocess
import tempfile

BASH = "/usr/bin/bash"
_SHEBANG_WORDS = (b"bash", b"/sh")


def _is_shell_script(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(128)
    except OSError:
        return False
    if not head.startswith(b"#!"):
        return False
    first = head.split(b"\n", 1)[0]
    return any(w in first for w in _SHEBANG_WORDS) and b"python" not in first


def find_scripts(limit: int | None = None) -> list:
    """Paths of bash/sh scripts installed on the machine (deduplicated, sorted)."""
    seen = set()
    out = []
    candidates = []
    candidates += sorted(glob.glob("/usr/share/bash-completion/completions/*"))
    candidates += ["/usr/share/bash-completion/bash_completion", "/etc/bash.bashrc",
                   "/etc/profile"]
    candidates += sorted(glob.glob("/etc/profile.d/*.sh"))
    for d in ("/usr/bin", "/usr/sbin", "/usr/lib/git-core"):
        candidates += [p for p in sorted(glob.glob(d + "/*")) if _is_shell_script(p)]
    for p in candidates:
        try:
            real = os.path.realpath(p)
            if real in seen or not os.path.isfile(real) or os.path.getsize(real) > 400_000:
                continue
        except OSError:
            continue
        seen.add(real)
        out.append(real)
    return out[:limit] if limit else out


def read_text(path: str) -> str:
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "surrogateescape")


def bash_verdicts(texts: list) -> list:
    """Accept (True) / reject (False) by `bash -n` for each text, one bash process per
    text, run in parallel batches. bash prints [[ ]] errors without a failing status, so
    any diagnostic other than a here-document warning counts as a rejection."""
    return [ok for ok, _ in bash_diagnostics(texts)]


def bash_diagnostics(texts: list) -> list:
    """(accepted, diagnostic lines) from `bash -n FILE` for each text (as script files:
    bash reads standard input differently)."""
    results = [None] * len(texts)
    batch = 16
    with tempfile.TemporaryDirectory() as tmp:
        for start in range(0, len(texts), batch):
            procs = []
            for k in range(start, min(start + batch, len(texts))):
                path = os.path.join(tmp, f"s{k}.sh")
                with open(path, "wb") as f:
                    f.write(texts[k].encode("utf-8", "surrogateescape"))
                p = subprocess.Popen([BASH, "-n", path], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, cwd=tmp)
                procs.append((k, p, path))
            for k, p, path in procs:
                _, err = p.communicate()
                lines = [ln.replace(path, "SCRIPT") for ln in
                         err.decode("utf-8", "replace").split("\n")[:-1]]
                errors = [ln for ln in lines if "warning: here-document" not in ln]
                results[k] = (p.returncode == 0 and not errors, lines)
                os.unlink(path)
    return results


def our_verdict(text: str):
    """(accepted, error message or None). Any exception other than ParseError fails."""
    from pyshell.errors import ParseError
    from pyshell.syntax.parser import CommandReader
    reader = CommandReader(text)
    try:
        while reader.next_command() is not None:
            pass
    except ParseError as e:
        return False, f"line {e.line}: {e.message}"
    return True, None


def our_diagnostics(text: str, name: str = "S") -> list:
    """The diagnostic lines pywarmsh's parser gives for a script, formatted as bash -n
    prints them for a file called `name` (warnings first, then errors in order)."""
    from pyshell.errors import ParseError
    from pyshell.syntax.cond import CondSyntaxError
    from pyshell.syntax.parser import CommandReader
    reader = CommandReader(text)
    out = []

    def report(e):
        if e.message:
            out.append(f"{name}: line {e.line}: {e.message}")
        if e.context is not None:
            out.append(f"{name}: line {e.line}: `{e.context}'")
        out.extend(f"{name}: line {line}: {msg}" for line, msg in e.followups)
    while True:
        try:
            if reader.next_command() is None:
                break
        except CondSyntaxError as e:
            report(e)
            break
        except ParseError as e:
            report(e)
            if not getattr(e, "recoverable", False):
                break
    return [f"{name}: line {line}: {msg}" for line, msg in reader.warnings] + out


def mutants(texts: list, count: int, seed: int = 1234) -> list:
    """Deterministic mutants: truncations, deleted lines, inserted keywords/tokens."""
    rng = random.Random(seed)
    inserts = ["fi", "done", "then", "do", "esac", "}", "{", ")", "(", "if", "case x in",
               "for", "while true", ";;", "&&", "|", "'", '"', "$(", "`", "[[ a", "elif",
               "else", "((", "function", ";", "! !", "<<EOF"]
    out = []
    usable = [t for t in texts if t.count("\n") > 3]
    while len(out) < count and usable:
        text = rng.choice(usable)
        lines = text.split("\n")
        kind = rng.randrange(3)
        k = rng.randrange(len(lines))
        if kind == 0:
            out.append("\n".join(lines[:k]) + "\n")
        elif kind == 1:
            out.append("\n".join(lines[:k] + lines[k + 1:]))
        else:
            line = lines[k]
            col = rng.randrange(len(line) + 1)
            tok = rng.choice(inserts)
            lines[k] = line[:col] + " " + tok + " " + line[col:]
            out.append("\n".join(lines))
    return out


def main(argv=None):
    import sys
    import time
    argv = sys.argv[1:] if argv is None else argv
    paths = find_scripts()
    texts = [read_text(p) for p in paths]
    bash = bash_verdicts(texts)
    t0 = time.perf_counter()
    ours = [our_verdict(t) for t in texts]
    dt = time.perf_counter() - t0
    nlines = sum(t.count("\n") for t in texts)
    agree = sum(1 for b, (o, _) in zip(bash, ours) if b == o)
    print(f"real scripts: {agree}/{len(texts)} agree with bash -n "
          f"({sum(bash)} accepted by bash); {nlines} lines parsed in {dt:.2f}s "
          f"({nlines / dt:.0f} lines/s)")
    for p, b, (o, msg) in zip(paths, bash, ours):
        if b != o:
            print(f"  DISAGREE {p}: bash={'ok' if b else 'error'} ours={msg or 'ok'}")
    if "--mutants" in argv:
        good = [t for t, b in zip(texts, bash) if b]
        seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 1234
        muts = mutants(good, int(os.environ.get("MUTANTS", "2000")), seed)
        bm = bash_verdicts(muts)
        om = [our_verdict(t) for t in muts]
        agree = sum(1 for b, (o, _) in zip(bm, om) if b == o)
        print(f"mutants: {agree}/{len(muts)} agree ({100 * agree / len(muts):.2f}%)")
        if "-v" in argv:
            for i, (m, b, (o, msg)) in enumerate(zip(muts, bm, om)):
                if b != o:
                    print(f"  MUTANT {i}: bash={'ok' if b else 'error'} ours={msg or 'ok'}")


if __name__ == "__main__":
    main()
