"""The pool of warm processes: one per (binary identity, loader environment).

A warm process is pyshell/_stub (asm/stub.c) started by posix_spawn: it loads the
program and ld.so in userspace, lets ld.so relocate it and run its constructors, and
stops at the program's entry. Each request makes it clone(CLONE_PARENT) a child that is a
direct child of this shell and becomes the program with the request's argv, env, fds,
cwd, umask, rlimits, signals and process group. The native half of the protocol is
pyshell/_loader.pyx.

Rules that keep a warm child indistinguishable from a fork/exec child:
- Only binaries that `classify` accepts are warmed; a binary is warmed from its second
  launch; before every warm use the path is stat()ed and the (dev, ino, size, mtime_ns,
  ctime_ns) identity must match the warm image, and so must the identities of the
  libraries it had mapped. A stale or dead server is dropped and the command runs through
  posix_spawn. Any failure before a child exists falls back to posix_spawn.
- The key includes every LD_*, GLIBC_TUNABLES and MALLOC_* variable: ld.so and malloc
  read them once, at warm-up (and GCONV_PATH: see locale_data).
- Without such variables a warm process loads the locale data the warming request's
  LC_ALL or LANG names (launch/locale_data.py): children still start in the C locale;
  the files and directories that loading read are checked before every use.
- Servers are children of the shell (CLONE_PARENT needs that), in their own process
  group (terminal signals never reach them), with PR_SET_PDEATHSIG and socket EOF making
  them exit with the shell. Each keeps a spare child made in advance (asm/stub.c): also
  a child of the shell, in its server's group until it becomes a program. A spare that
  ended unused is named in the next answer and reaped then (`_loader.request`); a
  dropped server's group is killed and reaped. The interpreter must not reap them:
  `is_internal_pid(pid)` tells which pids belong to the pool. A forked copy of the shell (subshell) never uses
  its parent's servers: the pool notices the pid change and starts empty.
- PYWARMSH_WARM=0 disables warming. PYWARMSH_WARM_STATS=<file> writes statistics as
  JSON to <file> when the shell exits.

Known differences from a real exec (documented, by design of a warm image):
- /proc/self/exe of a warm child is the stub (programs whose file mentions
  /proc/self/exe or $ORIGIN are therefore never warmed);
- all runs of one warm binary share its ASLR layout and pointer guard (the stack canary
  and AT_RANDOM are fresh per child);
- library constructors ran once, at warm-up, seeing only the loader variables of the
  environment (a library start-up that leaves threads, open files or output refuses
  warming); the program's own constructors run per child as usual;
- a later change of the shell's cgroup is not followed (nice value and affinity are);
- a child whose set-up fails after its server was killed from outside is reported as a
  dead server, and the command then fails through posix_spawn as it would have anyway.

The shell's working directory is passed to a child only when the shell changed
directory (os.chdir / os.fchdir, tracked) since its server started: otherwise the
child already has it, inherited from the server.

Per launch, the signal dispositions the shell ignores are not re-read: `_loader` caches
them per process, and every disposition change made through `signal.signal` (trap, the
interpreter's own) invalidates that cache (see `track_signal_changes`). Code that changes
dispositions another way must call `pyshell.launch.signals_changed()`.
"""
from __future__ import annotations

import os
import signal
import _socket   # not `socket`: its import (selectors, enums) costs every script ~2.5 ms
import time
from collections import OrderedDict

from pyshell import _loader
from pyshell.launch.classify import not_warmable_reason
from pyshell.launch.locale_data import locale_to_preload, locale_search_inputs
from pyshell.launch.request import LaunchRequest
from pyshell.launch.spawn import spawn

STUB = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "_stub")

MAX_SERVERS = 24
MAX_MEMORY_KB = 48 * 1024
# No reply timeout, not even while a server warms up: giving up on a server that is
# merely slow could let it start the program after posix_spawn already has (run twice).
# A warm-up that blocks is a program whose start-up blocks, as its real exec would.
REPLY_TIMEOUT_MS = -1
_NOT_WARMABLE_CODES = {1: "stub-arguments", 2: "stub-open", 3: "elf-unsupported",
                       4: "map-failed", 5: "interpreter-failed", 6: "threads-at-entry",
                       7: "stub-resources", 8: "fds-open-at-entry",
                       9: "output-at-entry", 10: "bind-now-unsupported",
                       11: "locale-unavailable"}
# Failures that make a server useless (as opposed to one request's).
_SERVER_FAILURES = frozenset(_NOT_WARMABLE_CODES.values()) | {
    "not-warmable", "server-died", "socket-error", "timeout"}


_masks: dict = {}
# Bumped by every os.chdir / os.fchdir (see track_cwd_changes): a server whose
# generation is current has the shell's working directory as its own.
_cwd_generation = 0


def track_cwd_changes():
    """Make os.chdir and os.fchdir (the only ways the shell changes its directory: `cd`,
    subshells, spawn's cwd) start a new cwd generation, so that a launch passes its
    directory only when the shell has moved since the server started."""
    for name in ("chdir", "fchdir"):
        current = getattr(os, name)
        if getattr(current, "_pywarmsh_tracked", False):
            continue
        setattr(os, name, _tracked_cwd_change(current))


def _tracked_cwd_change(change):
    def tracked(*args, **kwargs):
        global _cwd_generation
        try:
            return change(*args, **kwargs)
        finally:
            _cwd_generation += 1

    tracked._pywarmsh_tracked = True
    tracked.__doc__ = change.__doc__
    tracked.__name__ = change.__name__
    return tracked



def track_signal_changes():
    """Make every `signal.signal` call invalidate the cached ignored-signal set.

    The shell changes dispositions only through `signal.signal`, from several places
    (trap, start-up, subshells, pipeline stages); hooking the one function keeps the cache
    exact without each of them having to remember an invalidation call."""
    current = signal.signal
    if getattr(current, "_pywarmsh_tracked", False):
        return
    changed = _loader.signals_changed

    def tracked_signal(signalnum, handler):
        if signalnum == signal.SIGCHLD:
            _chld_handler(callable(handler))
        try:
            return current(signalnum, handler)
        finally:
            changed()

    tracked_signal._pywarmsh_tracked = True
    tracked_signal.__doc__ = current.__doc__
    signal.signal = tracked_signal


# The pool of this process (set by WarmPool) and whether the shell handles SIGCHLD (a
# `trap ... CHLD`): the trap must run once per child the script started, but warm
# processes and spares are children of the shell too, and they end (eviction, a stale
# spare). While such a trap is set, programs start through posix_spawn only.
_active_pool = None
_chld_trapped = False


def _chld_handler(trapped: bool) -> None:
    global _chld_trapped
    if trapped and not _chld_trapped and _active_pool is not None:
        # End the warm processes now, before the handler is installed: their SIGCHLDs
        # arrive while the signal is still at its default (discarded).
        _active_pool.close()
    _chld_trapped = trapped


def _mask(signals) -> int:
    m = _masks.get(signals)
    if m is None:
        m = 0
        for s in signals:
            s = int(s)
            if 1 <= s <= 64:
                m |= 1 << (s - 1)
        if len(_masks) < 256:
            _masks[signals] = m
    return m


def _end_spares(group):
    """A dropped server's spare (a child of the shell waiting in the server's process
    group, see asm/stub.c) ends with it: kill whatever is left in the group, reap it."""
    try:
        os.killpg(group, signal.SIGKILL)
    except OSError:
        pass
    while True:
        try:
            os.waitpid(-group, 0)
        except ChildProcessError:
            return
        except InterruptedError:
            continue


class Pending:
    """A launch request sent to a warm process whose answer is still to be received."""
    __slots__ = ("srv", "key", "seq", "req", "fdmap", "keep")

    def __init__(self, srv, key, seq, req, fdmap, keep):
        self.srv = srv
        self.key = key
        self.seq = seq
        self.req = req
        self.fdmap = fdmap
        self.keep = keep


class _Server:
    __slots__ = ("pid", "pidfd", "sock", "path", "libs", "used", "mem_kb", "start_ns",
                 "attrs", "cwd_gen", "pending", "locale")

    def __init__(self, pid, sock, path, attrs, locale=""):
        self.pid = pid
        try:        # signals and waits through a pidfd cannot hit a recycled pid
            self.pidfd = _loader.move_high(os.pidfd_open(pid))
        except (OSError, AttributeError):
            self.pidfd = -1
        self.sock = sock           # our end of the request socket (an fd)
        self.cwd_gen = _cwd_generation   # the shell's directory it started in
        self.path = path
        self.attrs = attrs    # nice value and affinity the server (and its children) got
        self.libs = None      # packed identities of its mapped files, read after warm-up
        self.used = 0
        self.mem_kb = 0
        self.start_ns = time.perf_counter_ns()
        self.pending = 0      # requests sent whose answers are still to be received
        self.locale = locale  # the locale whose data it loaded at warm-up, or ""


class WarmPool:
    def __init__(self):
        self.owner = os.getpid()
        self.servers: OrderedDict = OrderedDict()   # key -> _Server, LRU order
        self.internal_pids: set = set()
        self.own_fds: set = set()                   # the servers' sockets and pidfds
        self.verdicts: dict = {}                    # file identity -> reason or None
        self.uses: dict = {}                        # key -> launches seen
        self.by_path: dict = {}                     # path -> key of its last warm use
        self.failed: dict = {}                      # key -> why its server never served
        self.retiring: set = set()                  # keys to drop once no answer is owed
        self.outstanding: set = set()               # Pending launches not yet finished
        self.starved = False                        # the process limit was hit: no warming
        os.register_at_fork(after_in_child=self._drop_kept_fds)
        self.stats = {"launches": 0, "warm_hits": 0, "posix_spawn": 0, "fallbacks": {},
                      "servers_started": 0, "server_start_us": [], "server_private_kb": [],
                      "evictions": 0, "stale_drops": 0, "dead_drops": 0, "spare_hits": 0,
                      "process_limit_drops": 0}
        self.stub_ok = os.access(STUB, os.X_OK)
        global _active_pool, _chld_trapped
        _active_pool = self
        _chld_trapped = callable(signal.getsignal(signal.SIGCHLD))
        # Warm up with every function bound in advance (see _start); turned off for good
        # when a stub reports that it cannot put ld.so back to lazy binding.
        self.bind_now = True
        self.bad_locales: set = set()   # names the C library could not load at warm-up
        track_signal_changes()
        track_cwd_changes()

    # ---- bookkeeping ---------------------------------------------------------------
    def _fallback(self, reason: str):
        fb = self.stats["fallbacks"]
        fb[reason] = fb.get(reason, 0) + 1

    def _drop(self, key):
        """End a server and reap it (it may already be dead, even reaped elsewhere)."""
        srv = self.servers.pop(key, None)
        if srv is None:
            return
        self.own_fds.discard(srv.sock)
        self.own_fds.discard(srv.pidfd)
        os.close(srv.sock)
        try:
            if srv.pidfd >= 0:
                signal.pidfd_send_signal(srv.pidfd, signal.SIGKILL)
                os.waitid(os.P_PIDFD, srv.pidfd, os.WEXITED)
            else:
                os.kill(srv.pid, signal.SIGKILL)
                os.waitpid(srv.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass                 # already gone: reaped by someone else
        finally:
            if srv.pidfd >= 0:
                os.close(srv.pidfd)
        self.internal_pids.discard(srv.pid)
        _end_spares(srv.pid)

    def is_internal(self, pid) -> bool:
        """A server, or a server's spare (it waits in its server's process group)."""
        if pid in self.internal_pids:
            return True
        try:
            return os.getpgid(pid) in self.internal_pids
        except OSError:
            return False

    def _forked(self):
        """This is a forked copy of the shell: the servers belong to the parent."""
        for srv in self.servers.values():
            os.close(srv.sock)
            if srv.pidfd >= 0:
                os.close(srv.pidfd)
        self.servers.clear()
        self.internal_pids.clear()
        self.own_fds.clear()
        self.by_path.clear()
        # A forked subshell usually runs a command or two and exits: it starts servers of
        # its own only for binaries it launches twice itself.
        self.uses.clear()
        self.owner = os.getpid()

    def make_room(self, fd):
        """Move the server fd sitting on `fd` (see pyshell.launch.make_room)."""
        for key, srv in list(self.servers.items()):
            if srv.sock == fd:
                srv.sock = _loader.move_high(os.dup(fd))
                os.close(fd)
                self.own_fds.discard(fd)
                self.own_fds.add(srv.sock)
            elif srv.pidfd == fd:
                srv.pidfd = _loader.move_high(os.dup(fd))
                os.close(fd)
                self.own_fds.discard(fd)
                self.own_fds.add(srv.pidfd)

    def close(self):
        """End every warm process and spare, and reap them (at exit, and before the
        shell execs): none is left for init to reap. All are killed first, so that
        their address spaces are torn down in parallel."""
        if os.getpid() != self.owner:
            return
        for srv in self.servers.values():
            try:
                os.killpg(srv.pid, signal.SIGKILL)
            except OSError:
                pass
        for key in list(self.servers):
            self._drop(key)

    # ---- the seam ------------------------------------------------------------------
    def launch(self, req: LaunchRequest, defer: bool = False):
        """A pid, or with `defer` possibly a Pending whose `finish` gives the pid: the
        request is sent, its answer collected later (a pipeline's stages are all
        requested before any answer is awaited)."""
        if os.getpid() != self.owner:
            self._forked()
        self.stats["launches"] += 1
        if _chld_trapped:
            return self._spawn(req, "chld-trap")
        if self.starved:
            return self._spawn(req, "process-limit")
        if req.cwd is not None and not req.path.startswith("/"):
            # resolved against req.cwd by the exec: leave it to posix_spawn
            return self._spawn(req, "relative-path-with-cwd")
        ident = _loader.identity(req.path)
        if ident is None:
            return self._spawn(req, "stat-failed")
        verdict = self.verdicts.get(ident, 0)
        if verdict == 0:
            verdict = self._classify(req.path, ident)
        if verdict is not None:
            return self._spawn(req, verdict)

        loader_env = _loader.loader_env(req.env)
        key = (ident, loader_env)
        srv = self.servers.get(key)
        if srv is None:
            failed = self.failed.get(key)
            if failed is not None:
                return self._spawn(req, failed)
            n = self.uses.get(key, 0) + 1
            if len(self.uses) > 4096:
                self.uses.clear()
            self.uses[key] = n
            if n < 2:
                return self._spawn(req, "first-use")
            srv = self._start(key, req.path, loader_env, req.env)
            if srv is None:
                return self._spawn(req, "server-start-failed")
        elif srv.libs and not _loader.identities_current(srv.libs):
            if not srv.pending:      # else dropped at its next use
                self.stats["stale_drops"] += 1
                self._drop(key)
            return self._spawn(req, "stale-library")
        elif srv.attrs != _loader.process_attributes():
            if not srv.pending:
                self._drop(key)
            return self._spawn(req, "nice-or-affinity-changed")
        else:
            self.servers.move_to_end(key)
        old = self.by_path.get(req.path)
        if old != key:
            if old in self.servers and old[1] == loader_env \
                    and not self.servers[old].pending:
                self.stats["stale_drops"] += 1     # the file at this path was replaced
                self._drop(old)
            if len(self.by_path) > 4096:
                self.by_path.clear()
            self.by_path[req.path] = key

        if defer and req.cwd is None and srv.cwd_gen == _cwd_generation \
                and len(self.servers) <= MAX_SERVERS // 2:
            try:
                return self._send(srv, key, req)
            except _loader.WarmError as e:
                return self._spawn(req, self._warm_failed(srv, key, e))
            except (OSError, ValueError):
                return self._spawn(req, "request-error")
        if srv.pending:
            # an answer to a deferred request is still on the way on this socket, and
            # answers come in request order: not now
            return self._spawn(req, "answer-pending")
        try:
            pid = self._request(srv, req)
        except _loader.WarmError as e:
            return self._spawn(req, self._warm_failed(srv, key, e))
        except (OSError, ValueError):
            return self._spawn(req, "request-error")
        self._served(srv)
        return pid

    def _warm_failed(self, srv, key, e) -> str:
        """Book a failed warm request; the fallback reason."""
        reason = e.reason
        if reason == "not-warmable":
            reason = _NOT_WARMABLE_CODES.get(e.code, "not-warmable")
        if reason == "bind-now-unsupported":
            # this C library's layout is not the one expected: warm lazily instead
            self.bind_now = False
            self._retire(key, srv)
        elif reason == "locale-unavailable":
            # not installed (or unreadable): warm without it; programs then fail to load
            # it themselves, each run, as after an exec
            self.bad_locales.add(srv.locale)
            self._retire(key, srv)
        elif reason in _SERVER_FAILURES:
            if srv.used == 0:
                # It never served: do not try this binary with this loader
                # environment again (the stub's own reason may be lost when it
                # exits before reading the request: the socket then reports reset).
                if len(self.failed) > 4096:
                    self.failed.clear()
                self.failed[key] = reason
            else:
                self.stats["dead_drops"] += 1
            self._retire(key, srv)
        elif reason == "child-setup-failed":
            self._retire(key, srv)   # e.g. the shell left its session: start afresh
        return reason

    def _retire(self, key, srv) -> None:
        """Drop a server now, or once the answers still owed to this shell are in (a
        spare may be serving one of them even when its server is gone)."""
        if srv.pending:
            self.retiring.add(key)
        else:
            self._drop(key)

    def _served(self, srv) -> None:
        self.stats["warm_hits"] += 1
        if _loader.last_from_spare:
            self.stats["spare_hits"] += 1
        if srv.used == 0:
            self._after_warmup(srv)
        srv.used += 1

    def _send(self, srv, key, req) -> "Pending":
        fdmap, srcs = _loader.fd_plan(req.fds)
        pgid = os.getpgrp() if req.pgid is None else req.pgid
        # The fds the child is given, kept until its answer: if that is a failure, the
        # command still starts, through posix_spawn, with these very fds. Taken before
        # sending: once the request is out, nothing may fail over to posix_spawn.
        keep = []
        try:
            for fd in srcs:
                keep.append(os.dup(fd))
            seq = _loader.request(srv.sock, req.path, req.argv, req.env, fdmap, srcs, -1,
                                  pgid, _mask(req.sigdefault), _mask(req.sigmask),
                                  REPLY_TIMEOUT_MS, False)
        except BaseException:
            for fd in keep:
                os.close(fd)
            raise
        srv.pending += 1
        p = Pending(srv, key, seq, req, fdmap, keep)
        self.outstanding.add(p)
        return p

    def _drop_kept_fds(self):
        """In a forked copy of the shell (a pipeline's next stage may be one): the fds
        kept for the parent's pending launches would hold pipes open there."""
        for p in self.outstanding:
            for fd in p.keep:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.outstanding = set()

    def finish(self, p: "Pending") -> int:
        """The pid of a deferred launch (the fallback's when the warm path failed)."""
        srv = p.srv
        try:
            try:
                pid = _loader.receive(srv.sock, p.seq, REPLY_TIMEOUT_MS)
            except _loader.WarmError as e:
                srv.pending -= 1
                reason = self._warm_failed(srv, p.key, e)
            except (OSError, ValueError):
                srv.pending -= 1
                reason = "request-error"
            else:
                srv.pending -= 1
                self._served(srv)
                return pid
            finally:
                if not srv.pending and p.key in self.retiring:
                    self.retiring.discard(p.key)
                    if self.servers.get(p.key) is srv:
                        self._drop(p.key)
            targets = {child_fd for child_fd, _ in p.fdmap}
            fds = [(child_fd, p.keep[i]) for child_fd, i in p.fdmap]
            fds += [(fd, -1) for fd in _loader.inheritable_fds() if fd not in targets]
            req = p.req
            return self._spawn(LaunchRequest(req.path, req.argv, req.env, fds, req.pgid,
                                             req.sigdefault, req.sigmask), reason)
        finally:
            self.outstanding.discard(p)
            for fd in p.keep:
                os.close(fd)

    def _classify(self, path, ident):
        if not self.stub_ok:
            verdict = "no-stub"
        else:
            try:
                st = os.stat(path)
            except OSError:
                return "stat-failed"
            if (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) != ident:
                return "changing"                 # being replaced right now: ask again later
            verdict = not_warmable_reason(path, st)
        if len(self.verdicts) > 4096:
            self.verdicts.clear()
        self.verdicts[ident] = verdict
        return verdict

    def _spawn(self, req, reason):
        self._fallback(reason)
        self.stats["posix_spawn"] += 1
        try:
            return spawn(req)
        except BlockingIOError:
            # EAGAIN: the user's process limit (ulimit -u) is reached. Warm processes
            # must never be why a command fails: end them all, warm nothing more in this
            # shell, and try again.
            if not self.servers or self.starved:
                raise
            self.starved = True
            self.stats["process_limit_drops"] += 1
            for key in [k for k, v in self.servers.items() if not v.pending]:
                self._drop(key)
            return spawn(req)

    # ---- servers -------------------------------------------------------------------
    def _start(self, key, path, loader_env, request_env):
        while len(self.servers) >= MAX_SERVERS or (
                self.servers and sum(s.mem_kb for s in self.servers.values())
                > MAX_MEMORY_KB):
            victim = next((k for k, v in self.servers.items() if not v.pending), None)
            if victim is None:
                break
            self.stats["evictions"] += 1
            self._drop(victim)
        attrs = _loader.process_attributes()
        env = dict(loader_env)
        args = [STUB, path, str(os.getpid())]
        if not loader_env and self.bind_now:
            # ld.so binds every function at warm-up instead of in every child; the stub
            # ("1") then restores ld.so's lazy-binding flag, the one trace of it a program
            # could see (dlopen(RTLD_LAZY) follows it). Only without loader variables of
            # the user's: those (LD_BIND_NOT, LD_DEBUG, LD_AUDIT...) keep ld.so's normal
            # behaviour, and with them binding at first call.
            env["LD_BIND_NOW"] = "1"
            args.append("1")
        locale = "" if loader_env else locale_to_preload(request_env, self.bad_locales)
        if locale:
            if len(args) == 3:
                args.append("0")             # no bind-now
            args.append(locale)
        mine, theirs = _socket.socketpair(_socket.AF_UNIX, _socket.SOCK_SEQPACKET)
        theirs = theirs.detach()
        mine = _loader.move_high(mine.detach())
        try:
            pid = os.posix_spawn(
                STUB, args, env,
                file_actions=[(os.POSIX_SPAWN_DUP2, theirs, 3),
                              (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDWR, 0),
                              (os.POSIX_SPAWN_DUP2, 0, 1),
                              (os.POSIX_SPAWN_DUP2, 0, 2)],
                setpgroup=0, setsigdef=_ALL_SIGNALS, setsigmask=())
        except OSError:
            os.close(mine)
            return None
        finally:
            os.close(theirs)
        self.internal_pids.add(pid)
        srv = _Server(pid, mine, path, attrs, locale)
        self.own_fds.add(mine)
        self.own_fds.add(srv.pidfd)
        self.servers[key] = srv
        self.stats["servers_started"] += 1
        return srv

    def _after_warmup(self, srv):
        """Record the warm-up cost, the server's memory and the files it has mapped."""
        for name in ("server_start_us", "server_private_kb"):
            del self.stats[name][:-999]          # the last thousand servers are enough
        self.stats["server_start_us"].append((time.perf_counter_ns() - srv.start_ns) // 1000)
        libs = {}
        try:
            with open(f"/proc/{srv.pid}/maps") as f:
                for line in f:
                    parts = line.split(None, 5)
                    if len(parts) == 6 and parts[5].startswith("/") and parts[4] != "0":
                        libs[parts[5].rstrip("\n")] = None
            with open(f"/proc/{srv.pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith(("Private_Dirty:", "Private_Clean:")):
                        srv.mem_kb += int(line.split()[1])
        except (OSError, ValueError):
            pass
        self.stats["server_private_kb"].append(srv.mem_kb)
        entries = []
        for p in libs:
            # the program itself is checked by every launch (its identity is in the key)
            if p == STUB or p == srv.path or p.endswith(" (deleted)"):
                continue
            ident = _loader.identity(p)
            if ident is not None:
                entries.append((p, ident))
        if srv.locale:
            for p in locale_search_inputs(list(libs)):
                if p not in libs:
                    entries.append((p, _loader.identity(p) or _loader.ABSENT))
        srv.libs = _loader.packed_identities(entries)

    def _request(self, srv, req):
        fdmap, srcs = _loader.fd_plan(req.fds)
        pgid = os.getpgrp() if req.pgid is None else req.pgid
        if req.cwd is None and srv.cwd_gen == _cwd_generation:
            # the shell has not changed directory since the server started in its
            # directory: the child inherits the very same one
            return _loader.request(srv.sock, req.path, req.argv, req.env, fdmap,
                                   srcs, -1, pgid, _mask(req.sigdefault),
                                   _mask(req.sigmask), REPLY_TIMEOUT_MS)
        cwd_fd = os.open(req.cwd if req.cwd is not None else ".",
                         os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            srcs.append(cwd_fd)
            return _loader.request(srv.sock, req.path, req.argv, req.env, fdmap,
                                   srcs, len(srcs) - 1, pgid, _mask(req.sigdefault),
                                   _mask(req.sigmask), REPLY_TIMEOUT_MS)
        finally:
            os.close(cwd_fd)

    # ---- statistics ----------------------------------------------------------------
    def write_stats(self, path):
        if os.getpid() != self.owner:
            return
        import json
        s = dict(self.stats)
        s["warm_servers"] = len(self.servers)
        s["hit_rate"] = round(s["warm_hits"] / s["launches"], 4) if s["launches"] else 0.0
        try:
            with open(path, "w") as f:
                json.dump(s, f, indent=1, sort_keys=True)
                f.write("\n")
        except OSError:
            pass


_ALL_SIGNALS = frozenset(s for s in signal.valid_signals() if int(s) not in (9, 19))
