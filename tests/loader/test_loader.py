"""The warm loader must be indistinguishable from posix_spawn.

Every scenario of driver.py runs twice - through the warm pool and through posix_spawn -
and both results must be identical. Each runs as the current user and, when that is
root, again as an unprivileged user (uid/gid 65534 via setpriv).
"""
from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pytest

import pyshell

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, "driver.py")
PKG_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(pyshell.__file__)))
IS_ROOT = os.geteuid() == 0
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

pytestmark = pytest.mark.skipif(
    not os.path.exists(os.path.join(os.path.dirname(pyshell.__file__), "_stub")),
    reason="the warm-process stub is not built (pip install . or setup.py build_ext -i)")


@pytest.fixture(scope="session")
def probe_dir():
    if not shutil.which("cc"):
        pytest.skip("no C compiler to build the probe program")
    d = tempfile.mkdtemp(prefix="pywarmsh-probe-")
    os.chmod(d, 0o755)
    src = os.path.join(HERE, "probe.c")
    out = os.path.join(d, "probe")
    subprocess.check_call(["cc", "-O1", "-pthread", "-o", out, src])
    for v in (1, 2, 3):
        subprocess.check_call(["cc", "-O1", "-pthread", f"-DVERSION={v}", "-o",
                               f"{out}.v{v}", src])
    for variant in ("CTOR_THREAD", "CTOR_FD", "CTOR_PRINT"):
        lib = f"ctor_{variant.lower()}"
        subprocess.check_call(["cc", "-O1", "-pthread", "-shared", "-fPIC", f"-D{variant}",
                               "-o", os.path.join(d, f"lib{lib}.so"),
                               os.path.join(HERE, "ctorlib.c")])
        subprocess.check_call(["cc", "-O1", "-pthread", "-o", f"{out}.{variant.lower()}", src,
                               "-Wl,--no-as-needed", f"-L{d}", f"-l{lib}", f"-Wl,-rpath,{d}"])
    subprocess.check_call(["cc", "-O1", "-shared", "-fPIC", "-DLAZY_UNDEFINED", "-o",
                           os.path.join(d, "liblazyundef.so"), os.path.join(HERE, "ctorlib.c")])
    # a position-dependent (ET_EXEC) build, loaded at its fixed address
    subprocess.check_call(["cc", "-O1", "-pthread", "-no-pie", "-fno-pie", "-o",
                           f"{out}.nopie", src])
    yield out
    shutil.rmtree(d, ignore_errors=True)


def _python_for(user):
    """An interpreter the user can run that can import this checkout's pyshell."""
    if user == "self":
        return sys.executable
    for py in (sys.executable, shutil.which("python3"), "/usr/bin/python3"):
        if not py:
            continue
        r = subprocess.run(NOBODY + [py, "-c", "import pyshell._loader"],
                           env={"PYTHONPATH": PKG_ROOT}, capture_output=True, cwd="/")
        if r.returncode == 0:
            return py
    return None


@pytest.fixture(params=["self", "nobody"])
def user(request):
    if request.param == "nobody":
        if not IS_ROOT:
            pytest.skip("the unprivileged half needs root to switch users (setpriv)")
        if _python_for("nobody") is None:
            pytest.skip("no Python interpreter that uid 65534 can run with this pyshell")
    return request.param


def driver(mode, scenario, user, probe, setup=None):
    work = tempfile.mkdtemp(prefix="pywarmsh-loader-")
    os.chmod(work, 0o777)
    try:
        if setup:
            setup(work)
        py = _python_for(user)
        cmd = [py, DRIVER, mode, scenario, work, probe]
        if user == "nobody":
            cmd = NOBODY + cmd
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": PKG_ROOT}
        r = subprocess.run(cmd, env=env, capture_output=True, timeout=120, cwd=work)
        assert r.returncode == 0, r.stderr.decode()
        return json.loads(r.stdout)
    finally:
        if os.path.ismount(os.path.join(work, "noexec-mount")):
            subprocess.run(["umount", os.path.join(work, "noexec-mount")])
        shutil.rmtree(work, ignore_errors=True)


def both(scenario, user, probe, setup=None):
    warm = driver("warm", scenario, user, probe, setup)
    cold = driver("spawn", scenario, user, probe, setup)
    if warm["result"] != cold["result"]:
        a = json.dumps(warm["result"], indent=1, sort_keys=True).replace("\\n", "\n")
        b = json.dumps(cold["result"], indent=1, sort_keys=True).replace("\\n", "\n")
        diff = "\n".join(difflib.unified_diff(b.splitlines(), a.splitlines(), "posix_spawn",
                                              "warm", lineterm="", n=2))
        pytest.fail(f"{scenario}: warm launch differs from posix_spawn:\n{diff}")
    return warm, cold


@pytest.mark.parametrize("scenario", [
    "argv", "env", "fds", "cwd_umask", "rlimits", "signals", "tz_locale", "status",
    "pgid", "programs", "sched", "nopie"])
def test_same_as_posix_spawn(scenario, user, probe_dir):
    warm, _ = both(scenario, user, probe_dir)
    assert warm["meta"]["warm_runs"] > 0, "nothing was served warm"


def test_locale_data_loaded_at_warm_up(user, probe_dir):
    warm, _ = both("locale", user, probe_dir)
    first = warm["result"][0]["out"]
    assert first.startswith("at start: C codeset=ANSI_X3.4-1968\nchosen: C.UTF-8\n")
    assert "chosen: (null)" in warm["result"][4]["out"]
    meta = warm["meta"]
    assert "C.UTF-8" in meta["locales"], meta
    assert meta["locale_files_mapped"] > 0, meta
    assert meta["fallbacks"].get("locale-unavailable") == 1, meta
    if IS_ROOT and user == "self":
        assert meta["stale_after_dir_change"] == 1, meta


def test_loader_environment_is_part_of_the_key(user, probe_dir):
    warm, _ = both("loader_env", user, probe_dir)
    first_trace = warm["result"][1]["out"]
    assert "libc.so.6 =>" in first_trace and "version=" not in first_trace
    assert warm["result"][2]["out"] == warm["result"][3]["out"] == "version=1\n"


def test_binding_in_advance_leaves_dlopen_lazy(user, probe_dir):
    """Warm images are bound at warm-up (LD_BIND_NOW), but ld.so's lazy flag is put
    back: dlopen(RTLD_LAZY) of a library with a never-called undefined function works."""
    warm, _ = both("lazy_binding", user, probe_dir)
    assert warm["result"][0]["out"] == "dlopen=ok\n"
    assert warm["meta"]["warm_runs"] > 0 and warm["meta"]["bind_now"]


def test_oversized_requests_fall_back(user, probe_dir):
    warm, _ = both("big_args", user, probe_dir)
    res = warm["result"]
    assert res[1] == {"oserror": "E2BIG"}
    assert res[3]["out"] == "y" * 1000 + "\n"
    assert res[4]["status"] == ["exit", 2]
    assert warm["meta"]["stats"]["fallbacks"].get("oversized", 0) >= 3


def test_startup_side_effects_are_not_warmed(user, probe_dir):
    warm, _ = both("constructors", user, probe_dir)
    assert warm["meta"]["warm_runs"] == 0
    fallbacks = warm["meta"]["stats"]["fallbacks"]
    # Each variant got exactly one server, whose stub said why it refused (it waits for
    # the first request before leaving, so the reason is not lost in a socket reset),
    # and all later runs went straight to posix_spawn for that reason.
    assert warm["meta"]["stats"]["servers_started"] == 3
    assert fallbacks == {"first-use": 3, "threads-at-entry": 2, "fds-open-at-entry": 2,
                         "output-at-entry": 2}, fallbacks
    assert warm["result"][2]["out"].startswith("constructor output, argc=1\n")


def test_probe_report_is_exact(user, probe_dir):
    warm, _ = both("argv", user, probe_dir)
    out = warm["result"][0]["out"]
    assert "argv[0]=weird0\nargv[1]=\nargv[2]=a b\n" in out
    assert "invocation_name=weird0\nshort_name=weird0\n" in out
    assert "auxv_entry_is_start=1\n" in out
    assert f"execfn={probe_dir}\n" in out
    assert "cmdline=weird0\\0\\0a b\\0-x\\0\\xc3\\xa9\\0\\x5c\\0\\0\n" in out
    assert "comm=probe\\x0a\n" in out
    assert "pthread_kill_self=0 delivered=1\n" in out
    assert "thread=0,42\n" in out
    out = warm["result"][1]["out"]
    assert "short_name=name\n" in out


def test_cwd_and_umask(user, probe_dir):
    warm, _ = both("cwd_umask", user, probe_dir)
    res = warm["result"]
    assert "cwd=$WORK/sub dir\n" in res[1] and "umask=027\n" in res[2]
    assert res[3] == "" and res[4] == "0o666" and "cwd=/\n" in res[5]
    assert res[6] == ".\n..\nmade\n" and res[7] == "version=1\n"


def test_signals_seen_by_program(user, probe_dir):
    warm, _ = both("signals", user, probe_dir)
    first, dfl, masked, _ = (r["out"] for r in warm["result"])
    # SIGINT, SIGUSR1 and Python's own SIGPIPE and SIGXFSZ
    assert "\nignored=2,10,13,25,\n" in first
    assert "\nhandled=\n" in first                  # handlers never survive exec
    assert "\nignored=10,25,\n" in dfl
    assert "\nblocked=1,12,40,\n" in masked


def test_pipeline_sigpipe_and_pgid(user, probe_dir):
    warm, _ = both("pipeline", user, probe_dir)
    for yes_status, head_status, same_group, _, out in warm["result"]:
        assert yes_status == ["signal", 13]
        assert head_status == ["exit", 0]
        assert same_group and out == "y\n"
    assert warm["meta"]["warm_runs"] >= 2


def test_stops_are_seen_by_waitpid(user, probe_dir):
    warm, _ = both("stop", user, probe_dir)
    assert warm["result"][-1] == [["stopped", 19], ["exit", 7]]
    assert warm["meta"]["warm_runs"] >= 1


def test_exit_statuses_and_signal_deaths(user, probe_dir):
    warm, _ = both("status", user, probe_dir)
    statuses = [r["status"] for r in warm["result"]]
    assert statuses == [["exit", 0], ["exit", 1], ["exit", 42], ["exit", 255], ["exit", 1],
                        ["exit", 0], ["signal", 15], ["signal", 9], ["signal", 6],
                        ["signal", 11]]


def test_replaced_binary_is_never_run_stale(user, probe_dir):
    warm, _ = both("replace", user, probe_dir)
    assert [r["out"] for r in warm["result"]] == [
        "version=1\n", "version=2\n", "version=3\n", "version=3\n"]


def test_privileged_binaries_never_warmed(user, probe_dir):
    warm, _ = both("privileged", user, probe_dir)
    assert warm["meta"]["warm_runs"] == 0
    # 6 requests, each tried 3 times by the driver in the hope of a warm run
    assert warm["meta"]["fallbacks"] == {"setuid-setgid": 18}


def test_exec_errors_unchanged(user, probe_dir):
    warm, _ = both("exec_errors", user, probe_dir)
    kinds = [r.get("oserror") for r in warm["result"][:5]]
    assert kinds == ["ENOEXEC", None, "EACCES", "ENOENT", "EACCES"]
    assert warm["result"][1]["out"] == "from-script x\n"


@pytest.mark.skipif(not IS_ROOT, reason="mounting a noexec tmpfs needs root")
def test_noexec_mount_honoured(user, probe_dir):
    def setup(work):
        mnt = os.path.join(work, "noexec-mount")
        os.mkdir(mnt)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "noexec,mode=0777", "tmpfs", mnt],
                           capture_output=True)
        if r.returncode != 0:
            pytest.skip("cannot mount a tmpfs here: " + r.stderr.decode().strip())
        shutil.copyfile(probe_dir, os.path.join(mnt, "prog"))
        os.chmod(os.path.join(mnt, "prog"), 0o755)
    warm, _ = both("noexec", user, probe_dir, setup)
    assert [r.get("oserror") for r in warm["result"]] == ["EACCES"] * 3
    assert warm["meta"]["warm_runs"] == 0


def test_dead_server_dropped_and_command_still_runs(user, probe_dir):
    warm, _ = both("dead_server", user, probe_dir)
    assert [r["status"] for r in warm["result"]] == [["exit", 11], ["exit", 12], ["exit", 13]]
    assert warm["meta"]["dead_drops"] >= 1


def test_pool_is_bounded(user, probe_dir):
    warm, _ = both("lru", user, probe_dir)
    meta = warm["meta"]
    assert meta["servers_now"] == 2 and meta["internal"] == 2
    assert meta["evictions"] >= 2
    assert warm["result"][-1] == [True, []]


def test_forked_shell_does_not_use_parents_servers(user, probe_dir):
    warm, _ = both("fork", user, probe_dir)
    child = warm["result"][1]
    assert child[0]["status"] == ["exit", 22]
    assert "ppid=DRIVER\n" in child[1]["out"]


def test_no_leaked_fds_or_zombies(user, probe_dir):
    warm, _ = both("hygiene", user, probe_dir)
    assert warm["result"] == [True, []]


def test_canary_fresh_per_child(user, probe_dir):
    warm, _ = both("canary", user, probe_dir)
    assert warm["result"] == [True]


def test_servers_isolated_and_die_with_shell(user, probe_dir):
    warm = driver("warm", "servers", user, probe_dir)
    meta = warm["meta"]
    assert len(meta["servers"]) == 2
    assert all(meta["server_pgrp_is_own"])
    assert all(fds == ["0", "1", "2", "3:socket", "4:pipe"] for fds in meta["server_fds"])
    # one spare per server, waiting in its server's group with the socket and its pipe
    assert len(meta["spares"]) == 2 and all(meta["spare_in_server_group"])
    assert all(fds[:4] == ["0", "1", "2", "3:socket"] and len(fds) == 5
               and fds[4].endswith(":pipe") for fds in meta["spare_fds"])
    # `pgrep -f true` must not find them
    assert meta["internal_cmdlines"] == ["pywarmsh-warm-process"] * 4
    internal = meta["servers"] + meta["spares"]
    deadline = time.time() + 5
    while time.time() < deadline and any(os.path.exists(f"/proc/{p}") for p in internal):
        time.sleep(0.05)
    assert not any(os.path.exists(f"/proc/{p}") for p in internal)


def test_spares_start_on_time_run_once_and_leave_no_zombies(user, probe_dir):
    """Spares (see asm/stub.c): start times within a clock tick of the launch, each
    program run exactly once, no zombie after bursts, idle gaps or a killed spare."""
    warm, _ = both("spares", user, probe_dir)
    assert warm["result"][0] is True and warm["result"][2] == 25
    assert warm["result"][3:] == [[], [], []]
    assert warm["meta"]["spare_hits"] >= 10


def test_deferred_pipeline_launches(user, probe_dir):
    """A pipeline's stages are all requested before any answer is awaited; a request
    whose warm process dies unanswered still runs once, with its fds."""
    warm, _ = both("deferred", user, probe_dir)
    killed, status, out, fallbacks = warm["meta"]["killed_round"]
    assert killed and status == ["exit", 0] and out == "once\n"
    assert fallbacks.get("server-died", 0) + fallbacks.get("socket-error", 0) == 1
    assert warm["result"][-1] == [True, []]


def test_process_limit_never_fails_a_command(user, probe_dir):
    """ulimit -u: the warm processes give way (uid 0 is not bound by the limit)."""
    warm, _ = both("process_limit", user, probe_dir)
    assert all(r.get("status") == ["exit", 0] for r in warm["result"]), warm["result"]
    if user == "nobody":
        assert warm["meta"]["process_limit_drops"] == 1


def test_warm_off_switch(probe_dir):
    work = tempfile.mkdtemp(prefix="pywarmsh-loader-")
    try:
        code = ("import os\n"
                "from pyshell.launch import launch, LaunchRequest, warm_stats\n"
                "for i in range(3):\n"
                f"    os.waitpid(launch(LaunchRequest({probe_dir!r}, ['p', 'exit', '0'], {{}})), 0)\n"
                "print(warm_stats().get('warm_hits', 0))\n")
        stats = os.path.join(work, "stats.json")
        on = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"PYTHONPATH": PKG_ROOT, "PYWARMSH_WARM_STATS": stats},
                            cwd=work)
        assert on.stdout == "2\n"
        with open(stats) as f:
            s = json.load(f)
        assert s["launches"] == 3 and s["warm_hits"] == 2 and s["fallbacks"] == {"first-use": 1}
        off = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env={"PYTHONPATH": PKG_ROOT, "PYWARMSH_WARM": "0"}, cwd=work)
        assert off.stdout == "0\n"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_prepare_exec_ends_servers_and_writes_stats(probe_dir):
    work = tempfile.mkdtemp(prefix="pywarmsh-loader-")
    try:
        stats = os.path.join(work, "stats.json")
        code = ("import os, pyshell.launch as L\n"
                "for i in range(3):\n"
                f"    os.waitpid(L.launch(L.LaunchRequest({probe_dir!r}, ['p', 'exit', '0'], {{}})), 0)\n"
                "pids = sorted(L._pool.internal_pids)\n"
                "L.prepare_exec()\n"
                "alive = [p for p in pids if os.path.exists(f'/proc/{p}')]\n"
                "os.execv('/bin/echo', ['echo', str(len(pids)), str(alive)])\n")
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={"PYTHONPATH": PKG_ROOT, "PYWARMSH_WARM_STATS": stats},
                           cwd=work)
        assert r.stdout == "1 []\n", r.stderr
        with open(stats) as f:
            assert json.load(f)["warm_hits"] == 2
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_replaced_library_is_never_run_stale():
    """A library of a warm binary replaced by rename (as package managers do): the next
    launch drops the server and runs the new library."""
    if not shutil.which("cc"):
        pytest.skip("no C compiler")
    work = tempfile.mkdtemp(prefix="pywarmsh-loader-")
    try:
        lib_src = os.path.join(work, "ver.c")
        prog_src = os.path.join(work, "main.c")
        with open(prog_src, "w") as f:
            f.write("#include <stdio.h>\nint ver(void);\n"
                    "int main(void) { printf(\"lib=%d\\n\", ver()); return 0; }\n")
        for v in (1, 2):
            with open(lib_src, "w") as f:
                f.write(f"int ver(void) {{ return {v}; }}\n")
            subprocess.check_call(["cc", "-shared", "-fPIC", "-o",
                                   os.path.join(work, f"libver.so.{v}"), lib_src])
        lib = os.path.join(work, "libver.so")
        shutil.copy(os.path.join(work, "libver.so.1"), lib)
        prog = os.path.join(work, "prog")
        subprocess.check_call(["cc", "-o", prog, prog_src, f"-L{work}", "-lver",
                               f"-Wl,-rpath,{work}"])
        code = (
            "import os, sys, json\n"
            "from pyshell.launch.warm import WarmPool\n"
            "from pyshell.launch.request import LaunchRequest\n"
            "prog, lib, new = sys.argv[1:4]\n"
            "pool = WarmPool()\n"
            "def run():\n"
            "    r, w = os.pipe()\n"
            "    pid = pool.launch(LaunchRequest(prog, ['prog'], {}, fds=[(1, w)]))\n"
            "    os.close(w)\n"
            "    out = os.read(r, 100).decode()\n"
            "    os.close(r)\n"
            "    os.waitpid(pid, 0)\n"
            "    return out\n"
            "outs = [run() for _ in range(3)]\n"
            "os.rename(new, lib)\n"
            "outs += [run() for _ in range(3)]\n"
            "print(json.dumps({'outs': outs, 'hits': pool.stats['warm_hits'],\n"
            "                  'fallbacks': pool.stats['fallbacks']}))\n"
            "pool.close()\n")
        res = subprocess.run([sys.executable, "-c", code, prog, lib,
                              os.path.join(work, "libver.so.2")],
                             capture_output=True, text=True, env={"PYTHONPATH": PKG_ROOT},
                             cwd=work, check=True)
        got = json.loads(res.stdout)
        assert got["outs"] == ["lib=1\n"] * 3 + ["lib=2\n"] * 3
        assert got["fallbacks"].get("stale-library") == 1
        assert got["hits"] >= 3          # warm before and again after the replacement
    finally:
        shutil.rmtree(work, ignore_errors=True)
