"""Job control on a terminal: the same keys (Ctrl-Z, Ctrl-C, fg, bg, jobs, kill %N, exit
with stopped jobs) are typed into `bash -i` and `pywarmsh -i`, each on a pseudo-terminal
of its own, and the screens must match once process ids are replaced by a placeholder.

Waits for a program to be running use `settle` (the program's own output does not tell
when it started); every check of the outcome waits for the next prompt."""
from __future__ import annotations

import re

import pytest

from tests.differential.runner import shell_under_test
from tests.repl.test_terminal import BASH, _play

_PID = re.compile(r"^(\[\d+\]) \d+(\r?)$|(job \d+)\[\d+\]", re.M)

SESSIONS = {
    "stop_then_fg_then_interrupt": [
        ("echo $-\r",), ("sleep 30\r", False, 0.5), ("\x1a",), ("echo $?\r",),
        ("jobs\r",), ("fg\r", False, 0.5), ("\x03",), ("echo $?\r",), ("jobs\r",),
        ("\x04", False)],
    "stopped_pipeline": [
        ("sleep 30 | cat\r", False, 0.5), ("\x1a",), ("echo $?\r",), ("fg %1\r", False, 0.5),
        ("\x03",), ("echo $? ${PIPESTATUS[@]}\r",), ("\x04", False)],
    "subshell_job_bg_and_kill": [
        ("( sleep 30 )\r", False, 0.5), ("\x1a",), ("jobs\r",), ("bg %1\r",), ("bg\r",),
        ("fg %3\r",), ("kill %1; sleep 0.3\r",), ("fg\r",), ("\x04", False)],
    "stopped_reader_killed": [
        ("cat\r", False, 0.5), ("\x1a",), ("jobs %cat\r",), ("kill -9 %1; sleep 0.3\r",),
        ("jobs\r",), ("\x04", False)],
    "background_done_notice": [
        ("sleep 0.2 &\r",), ("sleep 0.8\r",), ("jobs\r",),
        ("sh -c 'sleep 0.2; exit 3' &\r",), ("sleep 0.8\r",),
        ("\x04", False)],
    "interrupt_ends_loop": [
        ("while true; do sleep 5; done\r", False, 0.6), ("\x03",),
        ("echo $? ${PIPESTATUS[@]}\r",),
        ("for i in 1 2; do sleep 5 | cat; echo next; done\r", False, 0.6), ("\x03",),
        ("echo $? ${PIPESTATUS[@]}\r",), ("\x04", False)],
    "wait_and_stopped_jobs": [
        ("sleep 30\r", False, 0.5), ("\x1a",), ("wait; echo $?\r",), ("wait %1; echo $?\r",),
        ("sh -c 'sleep 0.3; exec cat' &\r",), ("sleep 0.8\r",), ("jobs\r",),
        ("kill -9 %1 %2; sleep 0.3\r",), ("\x04", False)],
    "pipeline_jobs_long_listing": [
        ("sleep 3 | cat &\r",), ("jobs -l\r",), ("jobs\r",),
        ("sleep 30 | sleep 31\r", False, 0.5), ("\x1a",), ("jobs -l %sleep\\ 30\r",),
        ("jobs -l\r",), ("sleep 3\r",), ("\x04",), ("\x04", False)],
    "terminal_modes_after_stty": [
        ("stty -a >/dev/null; echo $?\r",), ("stty -echo; echo $?\r",), ("cat\r", False, 0.5),
        ("secret\r", False, 0.3), ("\x04",), ("stty echo\r",), ("cat\r", False, 0.5),
        ("visible\r", False, 0.3), ("\x04",), ("\x04", False)],
    "exit_with_stopped_jobs": [
        ("sleep 30\r", False, 0.5), ("\x1a",), ("exit\r",), ("echo $?\r",), ("exit\r",),
        ("exit 4\r", False)],
    "foreground_reader_gets_terminal": [
        ("cat\r", False, 0.5), ("typed line\r", False, 0.3), ("\x04",), ("echo $?\r",),
        ("\x04", False)],
}


# `jobs -l`: "[1]+  4314 Running ..." and a pipeline's "      4315      | cat"
_LONG_PID = re.compile(r"^(\[\d+\][-+ ]|) +\d+ (?=[A-Z ])", re.M)


def _screen(result: tuple) -> tuple:
    status, screen = result
    screen = _PID.sub(lambda m: f"{m[1]} PID{m[2]}" if m[1] else f"{m[3]}[PID]", screen)
    return status, _LONG_PID.sub(r"\1 PID ", screen)


@pytest.mark.skipif(BASH is None, reason="bash is not installed: no oracle")
@pytest.mark.parametrize("name", sorted(SESSIONS))
def test_job_control_session_matches_bash(name):
    sut = shell_under_test()
    expected = _screen(_play([BASH], SESSIONS[name]))
    actual = _screen(_play(list(sut.argv), SESSIONS[name], sut.extra_env))
    assert "Traceback" not in actual[1] and "internal error" not in actual[1], actual[1]
    assert actual == expected


@pytest.mark.skipif(BASH is None, reason="bash is not installed: no oracle")
def test_parent_gets_the_terminal_back():
    """Started by a shell without job control, the interactive shell gives the terminal
    back to its parent's process group when it exits (the parent can read it again)."""
    sut = shell_under_test()
    steps = [("sleep 0.1\r",), ("exit\r", False, 0.5), ("typed\r", False, 0.5)]
    parent = ["sh", "-c", '"$@"; read x; echo "parent read: $x"', "sh"]
    expected = _play(parent + [BASH], steps)
    actual = _play(parent + list(sut.argv), steps, sut.extra_env)
    assert "parent read: typed" in expected[1]
    assert actual == expected
