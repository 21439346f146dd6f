"""Accept/reject agreement with `bash -n` on the real scripts installed on this machine
and on deterministic mutants of them. Prints both figures (run with -s to see them)."""
import os
import shutil

import pytest

from tests.parser import corpus

BASH = shutil.which("bash")
MUTANTS = int(os.environ.get("PARSER_MUTANTS", "1500"))


@pytest.fixture(scope="module")
def scripts():
    if BASH is None:
        pytest.skip("bash is not installed: no oracle to compare with")
    paths = corpus.find_scripts()
    if not paths:
        pytest.skip("no shell scripts found on this machine (install bash-completion)")
    texts = [corpus.read_text(p) for p in paths]
    return paths, texts, corpus.bash_verdicts(texts)


def test_real_scripts_agree_with_bash(scripts):
    paths, texts, bash = scripts
    ours = [corpus.our_verdict(t) for t in texts]
    bad = [(p, b, msg) for p, b, (o, msg) in zip(paths, bash, ours) if b != o]
    agree = len(texts) - len(bad)
    print(f"\nreal scripts: {agree}/{len(texts)} agree with bash -n "
          f"({sum(bash)} accepted by bash, {sum(t.count(chr(10)) for t in texts)} lines)")
    assert not bad, bad[:5]


def test_mutants_agree_with_bash(scripts):
    paths, texts, bash = scripts
    good = [t for t, ok in zip(texts, bash) if ok]
    muts = corpus.mutants(good, MUTANTS)
    bm = corpus.bash_verdicts(muts)
    agree = sum(1 for t, b in zip(muts, bm) if corpus.our_verdict(t)[0] == b)
    rate = agree / len(muts)
    print(f"\nmutants: {agree}/{len(muts)} agree with bash -n ({100 * rate:.2f}%)")
    assert rate >= 0.995
