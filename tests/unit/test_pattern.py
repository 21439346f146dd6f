"""Pattern matching and substitution helpers compared with bash."""
import pytest

from fakesh import bash
from pyshell.interp import pattern as P

MATCHES = [
    ("a*", "abc"), ("[!a]*", "abc"), ("[[:digit:]]x", "5x"), ("\\*", "*"), ("\\*", "a"),
    ("[]a]", "]"), ("[a-c]", "b"), ("[", "["), ("a[", "a["), ("?", ""), ("*", ""),
    ("[^x]", "y"), ("[[:alpha:][:digit:]]", "_"), ("a\\?", "a?"), ("[a\\]]", "]"),
    ("@(foo|bar)", "bar"), ("!(foo)", "foo"), ("!(foo)", "fox"), ("+(ab)", "ababab"),
    ("*(a|b)c", "abac"), ("?(x)y", "y"), ("!(*.txt)", "a.txt"), ("[[:space:]]", " "),
]


@pytest.mark.parametrize("pat,text", MATCHES)
def test_match_like_bash(pat, text):
    out, _, _ = bash(f"shopt -s extglob\n[[ '{text}' == {pat} ]] && echo y || echo n")
    assert ("y\n" if P.match(pat, text, extglob=True) else "n\n") == out


def test_prefix_suffix():
    assert P.remove_suffix("file.tar.gz", ".*", False) == "file.tar"
    assert P.remove_suffix("file.tar.gz", ".*", True) == "file"
    assert P.remove_prefix("/a/b/c", "*/", False) == "a/b/c"
    assert P.remove_prefix("/a/b/c", "*/", True) == "c"
    assert P.remove_prefix("abc", "x*", True) == "abc"


def test_replace():
    assert P.replace("hello world", "o", "0", "//") == "hell0 w0rld"
    assert P.replace("hello", "l*", "<&>", "/") == "he<llo>"
    assert P.replace("hello", "l*", "<\\&>", "/") == "he<&>"
    assert P.replace("abc", "a", "X", "/#") == "Xbc"
    assert P.replace("abc", "[bc]", "X", "/%") == "abX"
    assert P.replace("aaa", "a", "b", "/") == "baa"


def test_glob(tmp_path, monkeypatch):
    for name in ("a", "B", "c", "_x", ".h"):
        (tmp_path / name).write_text("")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f.txt").write_text("")
    monkeypatch.chdir(tmp_path)
    assert P.glob("*") == ["B", "_x", "a", "c", "d"]
    assert P.glob(".*") == [".h"]
    assert P.glob("*", dotglob=True) == [".h", "B", "_x", "a", "c", "d"]
    assert P.glob("*/") == ["d/"]
    assert P.glob("**/*.txt", globstar=True) == ["d/f.txt"]
    assert P.glob("nomatch*") == []
    assert P.glob("[ab]") == ["a"]
    assert P.glob("[AB]", nocase=True) == ["B", "a"]


NEGATION_TEXTS = ["foo", "foox", "fo", "", "bar", "foobar", "xfoo"]
NEGATION_PATTERNS = ["!(foo)", "!(foo)*", "!(foo)bar", "x!(foo)", "!(f*)", "!(foo|bar)",
                     "a!(b)c", "*!(.txt)"]


def test_negation_like_bash():
    lines = []
    for t in NEGATION_TEXTS:
        for p in NEGATION_PATTERNS:
            lines.append(f"[[ '{t}' == {p} ]] && echo y || echo n")
    out, _, _ = bash("shopt -s extglob\n" + "\n".join(lines))
    mine = "".join("y\n" if P.match(p, t, extglob=True) else "n\n"
                   for t in NEGATION_TEXTS for p in NEGATION_PATTERNS)
    assert mine == out
