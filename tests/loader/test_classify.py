"""Which files the warm loader refuses, and why (pyshell/launch/classify.py)."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from pyshell.launch import classify


def reason(path):
    return classify.not_warmable_reason(path, os.stat(path))


@pytest.fixture
def binaries(tmp_path):
    if not shutil.which("cc"):
        pytest.skip("no C compiler")
    src = tmp_path / "m.c"
    src.write_text('#include <stdio.h>\nint main(void){puts("%s");return 0;}\n'
                   % "hello")
    built = {}
    for name, flags in [("dyn", []), ("static", ["-static"]), ("execstack", ["-z", "execstack"]),
                        ("origin", ["-Wl,-rpath,$ORIGIN/../lib"])]:
        out = tmp_path / name
        r = subprocess.run(["cc", *flags, "-o", str(out), str(src)], capture_output=True)
        if r.returncode == 0:
            built[name] = str(out)
    return built


def test_ordinary_dynamic_program_is_warmable(binaries):
    assert reason(binaries["dyn"]) is None


def test_refusals(binaries, tmp_path):
    if "static" in binaries:
        assert reason(binaries["static"]) == "static"
    if "execstack" in binaries:
        assert reason(binaries["execstack"]) == "executable-stack"
    assert reason(binaries["origin"]) == "origin-rpath"
    script = tmp_path / "s"
    script.write_text("#!/bin/sh\necho hi\n")
    script.chmod(0o755)
    assert reason(str(script)) == "script"
    text = tmp_path / "t"
    text.write_text("echo hi\n" * 20)
    text.chmod(0o755)
    assert reason(str(text)) == "not-elf"
    suid = tmp_path / "suid"
    shutil.copy(binaries["dyn"], suid)
    suid.chmod(0o4755)
    assert reason(str(suid)) == "setuid-setgid"
    plain = tmp_path / "plain"
    shutil.copy(binaries["dyn"], plain)
    plain.chmod(0o644)
    if os.geteuid() != 0:
        assert reason(str(plain)) == "no-exec-permission"
    assert reason(str(tmp_path)) == "not-regular-file"


def test_proc_self_exe_readers_refused(binaries, tmp_path):
    prog = tmp_path / "reader"
    data = open(binaries["dyn"], "rb").read() + b"/proc/self/exe\0"
    prog.write_bytes(data)
    prog.chmod(0o755)
    assert reason(str(prog)) == "reads-proc-self-exe"


def test_lsm_profiles_refused(binaries, monkeypatch):
    monkeypatch.setattr(classify, "_lsm_rules", [os.path.dirname(binaries["dyn"]) + "/d*"])
    assert reason(binaries["dyn"]) == "lsm-exec-transition"
    monkeypatch.setattr(classify, "_lsm_rules", True)
    assert reason(binaries["dyn"]) == "lsm-exec-transition"
    monkeypatch.setattr(classify, "_lsm_rules", [])
    assert reason(binaries["dyn"]) is None


def test_foreign_elf_refused(binaries, tmp_path):
    data = bytearray(open(binaries["dyn"], "rb").read())
    data[18] = 183          # EM_AARCH64
    prog = tmp_path / "arm"
    prog.write_bytes(bytes(data))
    prog.chmod(0o755)
    assert reason(str(prog)) == "foreign-or-32-bit"
    data[18] = 62
    data[4] = 1             # ELFCLASS32
    prog.write_bytes(bytes(data))
    assert reason(str(prog)) == "foreign-or-32-bit"
