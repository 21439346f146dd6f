"""Helpers of the newer builtins: option parsing, mapfile's line reader, compgen's word
lists, filters and spec order, and the computed arrays (DIRSTACK, FUNCNAME, BASH_LINENO)."""
import os

import pytest

from fakesh import FakeSh
from pyshell.builtins.arrays import _LineSource
from pyshell.builtins.completion import _filtered, _listing_order, _split_wordlist
from pyshell.builtins.computed_arrays import install
from pyshell.builtins.options import getopt, legal_number, parse


@pytest.mark.parametrize("text,value", [
    ("5", 5), (" 7 ", 7), ("+3", 3), ("-2", -2), ("0", 0), ("", None), ("1_0", None),
    ("0x10", None), ("1.5", None), ("٣", None), ("9" * 30, None),
])
def test_legal_number(text, value):
    assert legal_number(text) == value


def test_getopt_groups_letters_and_takes_attached_arguments():
    sh = FakeSh()
    opts, rest = getopt(sh, "x", ["x", "-tn2", "-d", "", "--", "-a", "b"], "d:n:t", "u")
    assert opts == [("t", None), ("n", "2"), ("d", "")]
    assert rest == ["-a", "b"]
    opts, rest = getopt(sh, "x", ["x", "-t", "-", "y"], "t", "u")
    assert (opts, rest) == ([("t", None)], ["-", "y"])


def test_getopt_errors_print_message_and_usage():
    sh = FakeSh()
    assert getopt(sh, "m", ["m", "-z"], "t", "m [-t]") is None
    assert sh.out[2] == "pywarmsh: m: -z: invalid option\nm: usage: m [-t]\n"
    sh = FakeSh()
    assert getopt(sh, "m", ["m", "-n"], "n:", "m [-n N]") is None
    assert "m: -n: option requires an argument" in sh.out[2]


def test_parse_keeps_options_before_a_bad_one():
    # bash checks `-O x` before it reaches the unknown `-z`
    parsed = parse(["m", "-O", "x", "-z", "a"], "O:")
    assert parsed.opts == [("O", "x")]
    assert parsed.error == "-z: invalid option"
    sh = FakeSh()
    assert parsed.report_error(sh, "m", "m [-O n]") == 2
    assert sh.out[2] == "pywarmsh: m: -z: invalid option\nm: usage: m [-O n]\n"


def _lines(source):
    out = []
    while (line := source.next_line()) is not None:
        out.append(line)
    return out


def test_line_source_on_a_pipe_reads_no_further_than_asked():
    r, w = os.pipe()
    os.write(w, b"a\nb\nc")
    os.close(w)
    try:
        source = _LineSource(r, b"\n", exact=True)
        assert source.next_line() == b"a\n"
        assert os.read(r, 100) == b"b\nc"
    finally:
        os.close(r)


def test_line_source_on_a_file_gives_back_the_rest(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"1\n2\n3")
    fd = os.open(path, os.O_RDONLY)
    try:
        source = _LineSource(fd, b"\n", exact=True)
        assert source.next_line() == b"1\n"
        source.sync()
        assert os.read(fd, 100) == b"2\n3"
    finally:
        os.close(fd)


def test_line_source_last_line_without_delimiter(tmp_path):
    r, w = os.pipe()
    os.write(w, b"x\0y\0z")
    os.close(w)
    try:
        assert _lines(_LineSource(r, b"\0", exact=False)) == [b"x\0", b"y\0", b"z"]
    finally:
        os.close(r)


# ------------------------------------------------------------- completion helpers

@pytest.mark.parametrize("text,ifs,words", [
    ("a b  c", " \t\n", ["a", "b", "c"]),
    ("one 'two three'", " ", ["one", "'two three'"]),
    ('x "a b" $(echo p q) ${v:- z}', " ", ["x", '"a b"', "$(echo p q)", "${v:- z}"]),
    ("a:b c:d", ":", ["a", "b c", "d"]),
    ("a\\ b c", " ", ["a\\ b", "c"]),
    ("it\"s x", " ", ['it"s x']),
])
def test_wordlist_splits_outside_quotes_and_substitutions(text, ifs, words):
    assert _split_wordlist(text, ifs) == words


def test_filter_pattern_ampersand_and_negation():
    sh = FakeSh()
    words = ["ab", "&b", "xb"]
    assert _filtered(sh, words, "&b", "a") == ["&b", "xb"]
    assert _filtered(sh, words, "\\&b", "a") == ["ab", "xb"]
    assert _filtered(sh, words, "!x*", "") == ["xb"]


def test_spec_listing_follows_bash_hash_buckets():
    # bash's table: 512 buckets of FNV-1 hashes, newest first within a bucket
    names = ["foo", "bar", "baz", "_InitialWorD_", "_DefaultCmD_", "_EmptycmD_", "z2", "z1",
             "qux"]
    assert _listing_order(names) == names


def test_dirstack_array_reads_live_and_writes_existing_entries():
    from pyshell.interp.state import State
    state = State({"PWD": "/"})
    install(state)
    state.dirstack[:] = ["/a", "/b"]
    assert state.get_array("DIRSTACK")[2] == "/b"
    state.set_element("DIRSTACK", 1, "/x")
    state.set_element("DIRSTACK", 7, "/y")
    state.set_element("DIRSTACK", 0, "/z")
    assert state.dirstack == ["/x", "/b"]
    state.set_array("DIRSTACK", {0: "p", 1: "q", 2: "r", 3: "s"})
    assert state.dirstack == ["q", "r"]


def test_call_stack_arrays():
    from pyshell.interp.state import State
    state = State({})
    install(state)
    assert state.get_array("FUNCNAME") is None
    state.source_stack[:] = ["f.sh", "script"]
    state.funcname[:] = ["f"]
    state.call_frames[:] = [("f", 7)]
    assert state.get_array("FUNCNAME") == {0: "f", 1: "main"}
    assert state.get_array("BASH_LINENO") == {0: "7", 1: "0"}
    state.set_element("BASH_LINENO", 0, "99")
    assert state.get_array("BASH_LINENO")[0] == "7"
