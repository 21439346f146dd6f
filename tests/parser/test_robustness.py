"""No input may make the parser fail with anything but a ParseError, or take long."""
import random
import time

import pytest

from pyshell.errors import ParseError
from pyshell.syntax import ParseContext
from pyshell.syntax.parser import CommandReader
from tests.parser import corpus

_PIECES = list("()[]{}<>|&;$`'\"\\#!*?@+-=:/~,.% \t\n") + [
    "$(", "${", "$((", "<<", "<<-", "[[", "]]", "((", "))", "case", "esac", "in", "do",
    "done", "if", "fi", "then", "function", "coproc", "time", "select", "for", "<(", ">(",
    "$'", '$"', "{1..3}", "@(", "!(", "a=(", "\\\n", "<<EOF\n"]


def read_all(text, ctx=None, interactive=False):
    reader = CommandReader(text, ctx, interactive=interactive)
    while True:
        try:
            if reader.next_command() is None:
                return
        except ParseError as exc:
            if not getattr(exc, "recoverable", False):
                return


def _seed_texts():
    paths = corpus.find_scripts(limit=120)
    texts = [corpus.read_text(p)[:2500] for p in paths]
    return texts or ["if a; then b; fi\n", "case x in a) b;; esac\n", "f() { a | b; }\n"]


@pytest.mark.parametrize("seed", range(4))
def test_random_damage_only_raises_parse_errors(seed):
    rng = random.Random(seed)
    texts = _seed_texts()
    for _ in range(150):
        chars = list(rng.choice(texts))
        for _ in range(rng.randrange(1, 6)):
            pos = rng.randrange(len(chars) + 1)
            kind = rng.randrange(3)
            if kind == 0:
                chars[pos:pos] = [rng.choice(_PIECES)]
            elif kind == 1:
                del chars[pos:pos + rng.randrange(1, 5)]
            else:
                chars[pos:pos] = [chr(rng.randrange(1, 0x250))]
        ctx = ParseContext(extglob=rng.random() < 0.5,
                           aliases={"ls": "ls -l ", "x": "if true; then"}
                           if rng.random() < 0.3 else {})
        read_all("".join(chars), ctx, interactive=rng.random() < 0.2)


@pytest.mark.parametrize("piece", ["$((", "$(", "${x:-", "(", "{ ", "$[", '"$(', "`",
                                   "[[ ( ", "a=(", "case x in (", "<(", "@("])
def test_deep_nesting_is_fast_and_clean(piece):
    for depth in (40, 400, 5000):
        t0 = time.perf_counter()
        read_all(piece * depth, ParseContext(extglob=True))
        assert time.perf_counter() - t0 < 2.0


def test_deep_but_reasonable_nesting_parses():
    text = "{ " * 500 + "echo" + "; }" * 500 + "\n"
    assert CommandReader(text).next_command() is not None
    text = "echo " + "$(echo " * 300 + "x" + ")" * 300 + "\n"
    assert CommandReader(text).next_command() is not None
