"""Unit tests for interpreter pieces that differential snippets reach only indirectly."""
from __future__ import annotations

import os

import pytest

from pyshell.errors import ShellError
from pyshell.interp.quoting import quote_assignment_value, quote_word
from pyshell.interp.redirect import fd_is_open, heredoc_fd
from pyshell.shell import Shell


@pytest.mark.parametrize("word, shown", [
    ("plain", "plain"),
    ("a b", "'a b'"),
    ("", "''"),
    ("it's", "'it'\\''s'"),
    ("~", "'~'"),
    ("a=~", "'a=~'"),
    ("x~", "x~"),
    ("#c", "'#c'"),
    ("a#", "a#"),
    ("tab\there", "'tab\there'"),
    ("bell\a", "$'bell\\a'"),
    ("$x", "'$x'"),
])
def test_quote_word_like_xtrace(word, shown):
    assert quote_word(word) == shown


def test_assignment_values_quote_only_when_needed():
    assert quote_assignment_value("") == ""
    assert quote_assignment_value("v") == "v"
    assert quote_assignment_value("a b") == "'a b'"


@pytest.mark.parametrize("size", [0, 10, 70000])
def test_heredoc_fd_returns_whole_text(size):
    text = "x" * size
    fd = heredoc_fd(text)
    try:
        data = b""
        while chunk := os.read(fd, 65536):
            data += chunk
    finally:
        os.close(fd)
    assert data == text.encode()


def _shell():
    return Shell("c")


def _parse_redirs(shell, text):
    from pyshell.syntax import parse
    cmd = parse(text).items[0].command
    if hasattr(cmd, "commands"):
        cmd = cmd.commands[0]
    return cmd.redirs


def test_redirection_frame_restores_fd(tmp_path):
    shell = _shell()
    target = tmp_path / "out"
    assert not fd_is_open(57)
    redirs = _parse_redirs(shell, f": 57>{target}")
    frame = shell.interp.redirector.apply(redirs)
    assert fd_is_open(57)
    os.write(57, b"hi")
    shell.interp.redirector.restore(frame)
    assert not fd_is_open(57)
    assert target.read_bytes() == b"hi"


def test_user_fd_is_inheritable_and_saved_copy_is_not(tmp_path):
    shell = _shell()
    frame = shell.interp.redirector.apply(_parse_redirs(shell, f": 2>{tmp_path / 'e'}"))
    try:
        assert os.get_inheritable(2)
        copies = [entry[1] for entry in frame if entry[1] >= 0]
        assert copies and all(not os.get_inheritable(c) for c in copies)
    finally:
        shell.interp.redirector.restore(frame)


def test_failed_redirection_raises_with_bash_text(tmp_path):
    shell = _shell()
    with pytest.raises(ShellError) as info:
        shell.interp.redirector.apply(_parse_redirs(shell, f": < {tmp_path}/missing"))
    assert info.value.message == f"{tmp_path}/missing: No such file or directory"


def test_noclobber_refuses_existing_regular_file(tmp_path):
    shell = _shell()
    target = tmp_path / "f"
    target.write_text("keep")
    shell.state.set_option("noclobber", True)
    with pytest.raises(ShellError) as info:
        shell.interp.redirector.apply(_parse_redirs(shell, f": > {target}"))
    assert info.value.message.endswith("cannot overwrite existing file")
    assert target.read_text() == "keep"


def test_function_layout_matches_bash():
    from pyshell.interp.printer import function_text
    from pyshell.syntax import parse
    fdef = parse("f() { a; if b; then c; fi; }").items[0].command
    assert function_text(fdef) == ("f () \n{ \n    a;\n    if b; then\n        c;\n"
                                   "    fi\n}")
