"""Scenario driver for the loader tests: runs one scenario through pyshell.launch and
prints a JSON result on stdout.

    python3 driver.py MODE SCENARIO WORKDIR PROBE

MODE is `warm` (the warm pool; each request is run until it is served warm) or `spawn`
(posix_spawn only). The tests run every scenario in both modes - as root and as an
unprivileged user - and require identical results. Facts only the warm mode can show
(was it really served warm?) go to the "meta" part, which is not compared.
"""
from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import time

from pyshell.launch.request import LaunchRequest
from pyshell.launch.spawn import spawn

MODE, SCENARIO, WORK, PROBE = sys.argv[1:5]
META = {"warm_runs": 0, "cold_runs": 0}

if MODE == "warm":
    from pyshell.launch.warm import WarmPool
    POOL = WarmPool()
else:
    POOL = None

BASE_ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C"}


def status_of(st):
    if os.WIFEXITED(st):
        return ["exit", os.WEXITSTATUS(st)]
    if os.WIFSIGNALED(st):
        return ["signal", os.WTERMSIG(st)]
    if os.WIFSTOPPED(st):
        return ["stopped", os.WSTOPSIG(st)]
    return ["unknown", st]


def start(req):
    """One launch through the mode's backend; errors become data."""
    if POOL is None:
        return spawn(req)
    hits = POOL.stats["warm_hits"]
    pid = POOL.launch(req)
    if POOL.stats["warm_hits"] > hits:
        META["warm_runs"] += 1
    else:
        META["cold_runs"] += 1
    return pid


def once(path, argv, env=None, fds=(), stdin=None, pgid=None, sigdefault=(),
         sigmask=(), cwd=None):
    out = os.path.join(WORK, "out")
    err = os.path.join(WORK, "err")
    ofd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    efd = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    ifd = os.open(stdin or "/dev/null", os.O_RDONLY)
    try:
        req = LaunchRequest(path, list(argv), dict(BASE_ENV if env is None else env),
                            fds=[(0, ifd), (1, ofd), (2, efd)] + list(fds), pgid=pgid,
                            sigdefault=frozenset(sigdefault), sigmask=frozenset(sigmask),
                            cwd=cwd)
        try:
            pid = start(req)
        except OSError as e:
            return {"oserror": errno.errorcode.get(e.errno, e.errno)}
    finally:
        os.close(ofd)
        os.close(efd)
        os.close(ifd)
    _, st = os.waitpid(pid, 0)
    with open(out, "rb") as f:
        o = f.read().decode("utf-8", "backslashreplace")
    with open(err, "rb") as f:
        e = f.read().decode("utf-8", "backslashreplace")
    return {"status": status_of(st), "out": normalize(o), "err": normalize(e)}


def normalize(text):
    return text.replace(f"ppid={os.getpid()}\n", "ppid=DRIVER\n").replace(WORK, "$WORK")


def run(*args, **kw):
    """Run a request; in warm mode repeat it until a warm process served it."""
    if POOL is None:
        return once(*args, **kw)
    for _ in range(3):
        before = META["warm_runs"]
        r = once(*args, **kw)
        if META["warm_runs"] > before:
            return r
    return r


# ---- scenarios ---------------------------------------------------------------------
def sc_argv():
    return [run(PROBE, ["weird0", "", "a b", "-x", "\u00e9", "\\", ""]),
            run(PROBE, ["/some/path/name", "report"])]


def sc_env():
    return [run(PROBE, ["probe"], env={"A": "1", "EMPTY": "", "X": "y=z", "TZ": "UTC"}),
            run(PROBE, ["probe"], env={}),
            run("/usr/bin/env", ["env"], env={"ONLY": "this"}),
            run("/usr/bin/env", ["env"], env={})]


def sc_fds():
    keep = os.open(os.path.join(WORK, "inherited"), os.O_WRONLY | os.O_CREAT, 0o666)
    os.set_inheritable(keep, True)
    hidden = os.open(os.path.join(WORK, "hidden"), os.O_WRONLY | os.O_CREAT, 0o666)
    three = os.open(os.path.join(WORK, "three"), os.O_WRONLY | os.O_CREAT, 0o666)
    r1, w1 = os.pipe()
    res = [run(PROBE, ["probe"], fds=[(3, three), (5, r1), (9, w1), (7, -1)])]
    res.append(run(PROBE, ["probe"], fds=[(3, three), (3, -1), (4, keep)]))
    res.append(run(PROBE, ["probe"], fds=[(6, three), (7, 6), (6, -1)]))
    res.append(run(PROBE, ["probe"], fds=[(8, hidden)]))
    res.append(run(PROBE, ["probe"], fds=[(1, 2)]))
    for fd in (keep, hidden, three, r1, w1):
        os.close(fd)
    res.append(run(PROBE, ["probe"], fds=[(4, 1000)]))   # EBADF in both modes
    return res


def sc_cwd_umask():
    sub = os.path.join(WORK, "sub dir")
    os.makedirs(sub, exist_ok=True)
    res = [run(PROBE, ["probe"])]
    os.chdir(sub)
    res.append(run(PROBE, ["probe"]))
    old = os.umask(0o027)
    res.append(run(PROBE, ["probe"]))
    os.umask(0o000)
    res.append(run("/usr/bin/touch", ["touch", "made"]))
    res.append(oct(os.stat("made").st_mode & 0o777))
    os.umask(old)
    res.append(run(PROBE, ["probe"], cwd="/"))
    os.chdir(WORK)
    res.append(run("/usr/bin/ls", ["ls", "-a"], cwd=sub))
    # a relative path is resolved in the new cwd, not the shell's
    for where, version in ((sub, 1), (WORK, 2)):
        shutil.copyfile(f"{PROBE}.v{version}", os.path.join(where, "local"))
        os.chmod(os.path.join(where, "local"), 0o755)
    res.append(run("./local", ["local", "version"], cwd=sub))
    return [r["out"] if isinstance(r, dict) else r for r in res]


def sc_rlimits():
    res = [run(PROBE, ["probe"])]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft, 200), hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 30, resource.RLIM_INFINITY)
                       if os.getuid() == 0 else (1 << 30, resource.getrlimit(
                           resource.RLIMIT_FSIZE)[1]))
    res.append(run(PROBE, ["probe"]))
    return res


def sc_signals():
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGUSR2, lambda *a: None)
    signal.signal(signal.SIGTERM, lambda *a: None)
    res = [run(PROBE, ["probe"])]
    res.append(run(PROBE, ["probe"], sigdefault={signal.SIGPIPE, signal.SIGINT}))
    res.append(run(PROBE, ["probe"], sigmask={signal.SIGHUP, signal.SIGUSR2, 40}))
    signal.signal(signal.SIGUSR1, signal.SIG_DFL)
    res.append(run(PROBE, ["probe"], sigdefault={signal.SIGPIPE}))
    return res


def sc_tz_locale():
    res = []
    for tz in ("UTC", "Asia/Tokyo", "America/New_York", "UTC"):
        res.append(run("/usr/bin/date", ["date", "-d", "@86400", "+%F %T %Z"],
                       env={"TZ": tz, "LC_ALL": "C"}))
    res.append(run("/usr/bin/ls", ["ls", "--bogus-option"], env={"LC_ALL": "C"}))
    res.append(run("/usr/bin/ls", ["myls", "--bogus-option"], env={"LC_ALL": "C.UTF-8"}))
    return res


def sc_locale():
    """Warm processes load the warming request's locale data: programs still start in the
    C locale and get what their own environment selects; a locale that is not installed
    behaves as after an exec; a change to what glibc's search read drops the server."""
    probe = ["probe", "locale"]
    utf8 = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
    res = [run(PROBE, probe, env=utf8),
           run(PROBE, probe, env={"LANG": "C.UTF-8"}),
           run(PROBE, probe, env={"LC_ALL": "C"}),
           run(PROBE, probe, env={}),
           run(PROBE, probe, env={"LC_ALL": "xx_YY.UTF-8"}),
           run(PROBE, probe, env={"LANG": "C.UTF-8", "LC_TIME": "POSIX"})]
    # another binary, first warmed under a locale that is not installed
    other = os.path.join(WORK, "probe-other")
    shutil.copy(PROBE, other)
    res += [run(other, probe, env={"LC_ALL": "xx_YY.UTF-8"}),
            run(other, probe, env=utf8)]
    if POOL is not None:
        META["locales"] = sorted(s.locale for s in POOL.servers.values())
        META["fallbacks"] = POOL.stats["fallbacks"]
        # the data really is in the warm process that preloaded it
        META["locale_files_mapped"] = max(
            sum("/locale/" in line for line in open(f"/proc/{s.pid}/maps"))
            for s in POOL.servers.values() if s.locale)
    if os.geteuid() == 0 and os.path.isdir("/usr/lib/locale"):
        # a locale directory appearing (and going) where glibc looked changes its
        # directory's identity: the next launch must not use the warm process
        drops = POOL.stats["stale_drops"] if POOL else 0
        os.rmdir(tempfile.mkdtemp(prefix="pywarmsh-test-", dir="/usr/lib/locale"))
        res.append(once(PROBE, probe, env=utf8))
        if POOL is not None:
            META["stale_after_dir_change"] = POOL.stats["stale_drops"] - drops
    return res


def sc_status():
    res = [run(PROBE, ["probe", "exit", str(n)]) for n in (0, 1, 42, 255)]
    res += [run("/usr/bin/false", ["false"]), run("/usr/bin/true", ["true"])]
    res += [run(PROBE, ["probe", "kill", str(s)]) for s in (15, 9, 6, 11)]
    return res


def sc_pipeline():
    """`yes | head -1`: yes dies of SIGPIPE; stages in one new process group."""
    res = []
    for _ in range(3):
        r, w = os.pipe()
        out = os.open(os.path.join(WORK, "pipe-out"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        p1 = start(LaunchRequest("/usr/bin/yes", ["yes"], dict(BASE_ENV),
                                 fds=[(1, w)], pgid=0,
                                 sigdefault=frozenset({signal.SIGPIPE})))
        p2 = start(LaunchRequest("/usr/bin/head", ["head", "-1"], dict(BASE_ENV),
                                 fds=[(0, r), (1, out)], pgid=p1,
                                 sigdefault=frozenset({signal.SIGPIPE})))
        os.close(r)
        os.close(w)
        os.close(out)
        pg1, pg2 = os.getpgid(p2) == p1, True
        s2 = status_of(os.waitpid(p2, 0)[1])
        s1 = status_of(os.waitpid(p1, 0)[1])
        with open(os.path.join(WORK, "pipe-out")) as f:
            res.append([s1, s2, pg1, pg2, f.read()])
    return res


def sc_stop():
    res = []
    for _ in range(3):
        pid = start(LaunchRequest(PROBE, ["probe", "stop"], dict(BASE_ENV)))
        _, st = os.waitpid(pid, os.WUNTRACED)
        first = status_of(st)
        os.kill(pid, signal.SIGCONT)
        _, st = os.waitpid(pid, 0)
        res.append([first, status_of(st)])
    return res


def sc_pgid():
    return [run(PROBE, ["probe"], pgid=0), run(PROBE, ["probe"])]


def _listing_dir():
    """A directory whose listing (`..` included) nothing else changes."""
    d = os.path.join(WORK, "listing", "here")
    os.makedirs(d, exist_ok=True)
    for name in ("a", "b b", ".hidden"):
        with open(os.path.join(d, name), "w") as f:
            f.write(name)
    return d


def sc_programs():
    data = os.path.join(WORK, "data.txt")
    with open(data, "w") as f:
        for i in range(2000):
            f.write(f"line {i * 7919 % 2000} abc\n")
    return [run("/usr/bin/sed", ["sed", "s/a/X/"], stdin=data),
            run("/usr/bin/sort", ["sort", "--parallel=4", "-S", "1M", data]),
            run("/usr/bin/grep", ["grep", "-c", "9 abc"], stdin=data),
            run("/usr/bin/wc", ["wc"], stdin=data),
            run("/usr/bin/cat", ["cat", data, "/nonexistent"]),
            run("/usr/bin/basename", ["basename", "/a/b/c"]),
            run("/usr/bin/ls", ["ls", "-la", "--time-style=+", _listing_dir()]),
            run("/usr/bin/date", ["date", "-u", "-d", "@0"]),
            run("/usr/bin/env", ["env"], env={"Z": "1", "A": "2"})]


def _build(version, dest):
    tmp = dest + ".tmp"
    shutil.copyfile(PROBE + f".v{version}", tmp)
    os.chmod(tmp, 0o755)
    return tmp


def sc_replace():
    prog = os.path.join(WORK, "prog")
    os.rename(_build(1, prog), prog)
    res = [run(prog, ["prog", "version"])]
    # overwrite in place (same inode), as `cp new prog` does
    with open(PROBE + ".v2", "rb") as src, open(prog, "r+b") as dst:
        dst.write(src.read())
        dst.truncate()
    res.append(run(prog, ["prog", "version"]))
    # replace by rename, as package managers do
    os.rename(_build(3, prog), prog)
    res.append(run(prog, ["prog", "version"]))
    res.append(once(prog, ["prog", "version"]))
    return res


def sc_privileged():
    prog = os.path.join(WORK, "suid")
    shutil.copyfile(PROBE, prog)
    os.chmod(prog, 0o4755)
    res = [run(prog, ["suid", "exit", "5"]) for _ in range(3)]
    os.chmod(prog, 0o2755)
    res += [run(prog, ["suid", "exit", "6"]) for _ in range(3)]
    if POOL is not None:
        META["fallbacks"] = POOL.stats["fallbacks"]
    return res


def sc_exec_errors():
    script = os.path.join(WORK, "noshebang")
    with open(script, "w") as f:
        f.write("echo hi\n")
    os.chmod(script, 0o755)
    shebang = os.path.join(WORK, "shebang")
    with open(shebang, "w") as f:
        f.write("#!/bin/sh\necho from-script \"$@\"\n")
    os.chmod(shebang, 0o755)
    plain = os.path.join(WORK, "plain")
    shutil.copyfile(PROBE, plain)
    os.chmod(plain, 0o644)
    res = []
    for _ in range(3):
        res.append(once(script, ["noshebang"]))
        res.append(once(shebang, ["shebang", "x"]))
        res.append(once(plain, ["plain"]))
        res.append(once(os.path.join(WORK, "missing"), ["missing"]))
        res.append(once(WORK, ["dir"]))
        res.append(once("/bin/busybox" if os.path.exists("/bin/busybox") else PROBE,
                        ["probe", "exit", "4"]))
    return res


def sc_noexec():
    prog = os.path.join(WORK, "noexec-mount", "prog")
    return [once(prog, ["prog", "exit", "3"]) for _ in range(3)]


def sc_loader_env():
    """LD_* variables are read once by ld.so: a warm image must match them."""
    import re
    res = [run(PROBE, ["probe", "exit", "0"])]
    for env in ({"LD_TRACE_LOADED_OBJECTS": "1"}, {"LD_BIND_NOW": "1"}, {},
                {"LD_TRACE_LOADED_OBJECTS": "1"}):
        r = run(PROBE, ["probe", "version"], env=env)
        r["out"] = re.sub(r"\(0x[0-9a-f]+\)", "(ADDR)", r["out"])
        res.append(r)
    return res


def sc_lazy_binding():
    lib = os.path.join(os.path.dirname(PROBE), "liblazyundef.so")
    return [run(PROBE, ["probe", "dlopen", lib]), run("/usr/bin/true", ["true"])]


def sc_big_args():
    huge = "x" * (200 * 1024)
    many = {f"V{i}": "y" * 1000 for i in range(300)}
    return [run(PROBE, ["probe", "exit", "1"]),
            run(PROBE, ["probe", huge]),
            run("/usr/bin/wc", ["wc", "-c"], env=many),
            run("/usr/bin/printenv", ["printenv", "V299"], env=many),
            run(PROBE, ["probe", "exit", "2", "z" * 100000])]


def sc_sched():
    """Nice value and CPU affinity come from the warm process: changes must show."""
    res = [run("/usr/bin/nice", ["nice"]), run("/usr/bin/nproc", ["nproc"])]
    os.nice(3)
    res.append(run("/usr/bin/nice", ["nice"]))
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    res += [run("/usr/bin/nproc", ["nproc"]), run("/usr/bin/nice", ["nice"])]
    return res


def sc_nopie():
    prog = PROBE + ".nopie"
    return [run(prog, ["nopie", "a", ""]), run(prog, ["nopie", "exit", "9"])]


def sc_constructors():
    return [run(PROBE + ".ctor_thread", ["probe", "exit", "5"]),
            run(PROBE + ".ctor_fd", ["probe"]),
            run(PROBE + ".ctor_print", ["probe"])]


def sc_lru():
    """A bounded pool: the least recently used server goes, and is reaped."""
    if POOL is not None:
        import pyshell.launch.warm as warm
        warm.MAX_SERVERS = 2
    res = []
    for prog in ("/usr/bin/true", "/usr/bin/basename", PROBE, "/usr/bin/true"):
        res.append(run(prog, [os.path.basename(prog), "exit", "1"]))
    if POOL is not None:
        META["servers_now"] = len(POOL.servers)
        META["evictions"] = POOL.stats["evictions"]
        META["internal"] = len(POOL.internal_pids)
    res.append(sc_hygiene())
    return res


def sc_dead_server():
    res = [run(PROBE, ["probe", "exit", "11"])]
    if POOL is not None:
        for pid in list(POOL.internal_pids):
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.05)
    res.append(once(PROBE, ["probe", "exit", "12"]))
    res.append(run(PROBE, ["probe", "exit", "13"]))
    if POOL is not None:
        META["dead_drops"] = POOL.stats["dead_drops"]
    return res


def sc_fork():
    res = [run(PROBE, ["probe", "exit", "21"])]
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(rfd)
            child_res = [run(PROBE, ["probe", "exit", "22"]),
                         run(PROBE, ["probe"])]
            for r in child_res:
                if "out" in r:
                    r["out"] = r["out"].replace(f"ppid={os.getpid()}\n", "ppid=FORKED\n")
            os.write(wfd, json.dumps(child_res).encode())
        finally:
            os._exit(0)
    os.close(wfd)
    data = b""
    while chunk := os.read(rfd, 65536):
        data += chunk
    os.close(rfd)
    os.waitpid(pid, 0)
    res.append(json.loads(data))
    res.append(run(PROBE, ["probe", "exit", "23"]))
    return res


def sc_hygiene():
    """Many runs leave no fds, zombies or stray children behind in the shell."""
    def fds():
        return sorted(int(x) for x in os.listdir("/proc/self/fd"))
    run(PROBE, ["probe", "exit", "0"])
    before = fds()
    for i in range(40):
        once(PROBE, ["probe", "exit", str(i % 3)])
    after = fds()
    kids = []
    for p in _children():
        state = _state(p)
        if state == "Z":
            kids.append("zombie")
        elif state != "gone" and (POOL is None or not POOL.is_internal(p)):
            kids.append(state)
    return [before == after, kids]


def sc_canary():
    vals = [run(PROBE, ["probe", "canary"])["out"] for _ in range(2)]
    vals += [once(PROBE, ["probe", "canary"])["out"] for _ in range(3)]
    return [len(set(vals)) == len(vals)]


def sc_servers():
    """Report the warm servers' pids, then exit: they must die with this process."""
    run(PROBE, ["probe", "exit", "0"])
    run("/usr/bin/true", ["true"])
    if POOL is not None:
        META["servers"] = sorted(POOL.internal_pids)
        for pid in POOL.internal_pids:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            META.setdefault("server_pgrp_is_own", []).append(int(fields[2]) == pid)
            # A server drops its copies of a request's fds while the child sets up,
            # concurrently with the shell: give it a moment to become idle.
            # Besides the request socket (3) it holds only the read end of its spare's
            # note pipe; the spare (a child of this shell in the server's group) holds
            # the socket and the write end.
            deadline = time.time() + 2
            while True:
                fds = _fd_kinds(pid)
                if fds == ["0", "1", "2", "3:socket", "4:pipe"] or time.time() > deadline:
                    break
                time.sleep(0.01)
            META.setdefault("server_fds", []).append(fds)
        # each server makes its next spare after the last answer, concurrently with us,
        # and the spare drops the fds it does not keep right after it is made
        deadline = time.time() + 2
        while True:
            spares = [p for p in _children() if p not in POOL.internal_pids]
            try:
                spare_fds = [_fd_kinds(p) for p in spares]
            except OSError:
                spare_fds = None
            if (len(spares) >= len(POOL.internal_pids) and spare_fds is not None
                    and all(len(f) == 5 for f in spare_fds)) or time.time() > deadline:
                break
            time.sleep(0.01)
        META["spares"] = spares
        META["spare_in_server_group"] = [os.getpgid(p) in POOL.internal_pids
                                         for p in spares]
        META["spare_fds"] = spare_fds
        cmdlines = []
        for p in sorted(POOL.internal_pids) + spares:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                cmdlines.append(f.read().rstrip(b"\0").decode())
        META["internal_cmdlines"] = cmdlines
    return []


def _fd_kinds(pid):
    kinds = []
    for fd in sorted(os.listdir(f"/proc/{pid}/fd"), key=int):
        target = os.readlink(f"/proc/{pid}/fd/{fd}")
        kind = target.split(":")[0] if target.startswith(("socket:", "pipe:")) else ""
        kinds.append(f"{fd}:{kind}" if kind else fd)
    return kinds


def _children():
    """The pids whose parent is this process."""
    kids = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                kids.append(int(p))
    return kids


def sc_spares():
    """Servers keep a spare child made in advance (asm/stub.c). Programs served by one
    start within one clock tick of their launch (a spare too old to serve ends instead);
    spares that ended unused, too old or killed from outside, leave no zombie; every
    program still runs exactly once."""
    tick = os.sysconf("SC_CLK_TCK")
    null = os.open("/dev/null", os.O_RDWR)
    starts_ok = []
    runs = []

    def launch_one(code):
        marker = os.path.join(WORK, "ran")
        req = LaunchRequest("/bin/sh", ["sh", "-c", f"echo x >> {marker}; exit {code}"],
                            dict(BASE_ENV), fds=[(0, null), (1, null), (2, null)])
        before = time.clock_gettime(time.CLOCK_BOOTTIME)
        pid = start(req)
        with open(f"/proc/{pid}/stat") as f:
            starttime = int(f.read().rsplit(")", 1)[1].split()[19])
        after = time.clock_gettime(time.CLOCK_BOOTTIME)
        _, st = os.waitpid(pid, 0)
        starts_ok.append(int(before * tick) - 1 <= starttime <= int(after * tick) + 1)
        runs.append(status_of(st))

    def zombies():
        return [p for p in _children() if _state(p) == "Z"]

    for i in range(20):                  # back to back: served by spares
        launch_one(i % 4)
    after_burst = zombies()
    for i in range(3):                   # idle long enough for the spare to grow old
        time.sleep(0.03)
        launch_one(10 + i)
    after_stale = zombies()
    if POOL is not None:                 # a spare killed from outside while idle
        for p in _children():
            if p not in POOL.internal_pids and POOL.is_internal(p):
                os.kill(p, signal.SIGKILL)
        time.sleep(0.02)
        META["spare_hits"] = POOL.stats["spare_hits"]
    launch_one(20)
    launch_one(21)
    after_kill = zombies()
    with open(os.path.join(WORK, "ran")) as f:
        ran = f.read().count("x")
    os.close(null)
    return [all(starts_ok), runs, ran, after_burst, after_stale, after_kill]


def sc_deferred():
    """Pipelines request every stage before awaiting any answer (launch_deferred): a
    three-stage pipeline, two stages of one binary, and a request whose warm process
    and spare are killed before its answer came: the stage still runs, once, through
    posix_spawn with the same fds."""
    def pipeline(stages, feed=b"b\na\nc\nb\n"):
        fds = []
        rin, win = os.pipe()
        os.write(win, feed)
        os.close(win)
        prev = rin
        handles = []
        for i, (path, argv) in enumerate(stages):
            last = i == len(stages) - 1
            r, w = (None, os.open(os.path.join(WORK, "pout"),
                                  os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)) \
                if last else os.pipe()
            req = LaunchRequest(path, argv, dict(BASE_ENV), fds=[(0, prev), (1, w)])
            handles.append(POOL.launch(req, defer=True) if POOL is not None
                           else spawn(req))
            os.close(prev)
            os.close(w)
            prev = r
            fds.append(w)
        pids = [POOL.finish(h) if POOL is not None and not isinstance(h, int) else h
                for h in handles]
        sts = [status_of(os.waitpid(pid, 0)[1]) for pid in pids]
        with open(os.path.join(WORK, "pout")) as f:
            return [sts, f.read()]

    sort_uniq = [("/usr/bin/sort", ["sort"]), ("/usr/bin/uniq", ["uniq", "-c"]),
                 ("/usr/bin/tr", ["tr", "a-z", "A-Z"])]
    cats = [("/bin/cat", ["cat"]), ("/bin/cat", ["cat", "-n"]), ("/usr/bin/wc", ["wc", "-l"])]
    res = []
    for _ in range(3):                   # the later rounds are served warm
        res.append(pipeline(sort_uniq))
        res.append(pipeline(cats))
    if POOL is not None:
        # A request that nobody will answer: stop cat's spare, send, kill its group.
        import pyshell.launch.warm as warm
        key = next(k for k, v in POOL.servers.items() if v.path == "/bin/cat")
        srv = POOL.servers[key]
        deadline = time.time() + 2        # its next spare is made concurrently
        while True:
            spares = [p for p in _children() if p not in POOL.internal_pids
                      and _pgid(p) == srv.pid]
            if spares or time.time() > deadline:
                break
            time.sleep(0.01)
        for p in spares:
            os.kill(p, signal.SIGSTOP)
        out = os.open(os.path.join(WORK, "kout"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                      0o666)
        rin, win = os.pipe()
        os.write(win, b"once\n")
        os.close(win)
        h = POOL.launch(LaunchRequest("/bin/cat", ["cat"], dict(BASE_ENV),
                                      fds=[(0, rin), (1, out)]), defer=True)
        os.close(rin)
        os.close(out)
        killed = isinstance(h, warm.Pending)
        os.killpg(srv.pid, signal.SIGKILL)
        pid = POOL.finish(h) if killed else h
        st = status_of(os.waitpid(pid, 0)[1])
        with open(os.path.join(WORK, "kout")) as f:
            META["killed_round"] = [killed, st, f.read(), POOL.stats["fallbacks"]]
    res.append(sc_hygiene())
    return res


def sc_process_limit():
    """Under a tight process limit (ulimit -u), warm processes and their spares must
    never be why a command fails: when a start fails with EAGAIN the pool ends them and
    the command starts anyway."""
    import resource
    uid = os.getuid()
    mine = 0
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if os.stat(f"/proc/{p}").st_uid == uid:
                    mine += 1
            except OSError:
                pass
    # room for this process's children one at a time, not for servers and spares too
    resource.setrlimit(resource.RLIMIT_NPROC, (mine + 3, mine + 3))
    res = []
    for _ in range(4):
        for prog, argv in (("/usr/bin/true", ["true"]), ("/usr/bin/basename", ["basename", "/a/b"]),
                           ("/usr/bin/tr", ["tr", "a", "b"]), ("/bin/echo", ["echo", "e"])):
            res.append(once(prog, argv))
    if POOL is not None:
        META["process_limit_drops"] = POOL.stats.get("process_limit_drops")
    return res


def _pgid(pid):
    try:
        return os.getpgid(pid)
    except OSError:
        return None


def _state(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def main():
    os.chdir(WORK)
    result = globals()["sc_" + SCENARIO]()
    if POOL is not None:
        META["stats"] = POOL.stats
        META["bind_now"] = POOL.bind_now
    json.dump({"result": result, "meta": META}, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
