"""Child processes the shell started asynchronously (`cmd &`, process substitutions)
and waiting for processes with bash's exit-status conventions. With job control
(pyshell/interp/jobcontrol.py) a job may also be stopped, and may have several processes
(a pipeline in its own process group, led by its first process)."""
from __future__ import annotations

import os


class Started:
    """An asynchronously started command: the pid to wait for."""
    __slots__ = ("pid",)

    def __init__(self, pid: int):
        self.pid = pid


class WaitInterrupted(Exception):
    """A trapped signal arrived while the `wait` builtin was blocked."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def decode_status(raw: int) -> int:
    """A waitpid status as $? shows it: the exit code, or 128 + signal number."""
    if os.WIFEXITED(raw):
        return os.WEXITSTATUS(raw)
    if os.WIFSIGNALED(raw):
        return 128 + os.WTERMSIG(raw)
    return 128 + os.WSTOPSIG(raw) if os.WIFSTOPPED(raw) else 1


def wait_pid_raw(pid: int) -> int | None:
    """Block until `pid` ends; its raw wait status (None if it is not our child)."""
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:
            continue
        except ChildProcessError:
            return None


def wait_pid(pid: int) -> int:
    """Block until `pid` ends; its $? status."""
    while True:
        try:
            _, raw = os.waitpid(pid, 0)
        except InterruptedError:
            continue
        except ChildProcessError:
            return 127
        return decode_status(raw)


class Jobs:
    """Asynchronous children: pid -> status once reaped (None while running)."""

    def __init__(self):
        self.children: dict[int, int | None] = {}
        self.procsubs: set[int] = set()
        self.numbers: dict[int, int] = {}  # pid -> job number (%N)
        self.texts: dict[int, str] = {}    # pid -> command text for `jobs`
        self.inherited: set[int] = set()   # a subshell lists its parent's jobs only
        self.last_raw: int | None = None   # raw wait status of the last job waited for
        self.control = None                # JobControl while the shell controls jobs
        self.members: dict[int, list] = {} # leader -> every pid of a process-group job
        self.stopped: dict[int, int] = {}  # leader -> the signal that stopped it
        self.recent: list = []             # job leaders, least recently touched first
        self.raws: dict[int, int] = {}     # leader -> raw status of a finished group job
        self.fresh_stops: set = set()      # jobs that stopped in the background, unreported
        self.stage_texts: dict[int, list] = {}  # leader -> text of each pipeline process
        self.listed: set = set()           # jobs `jobs` has shown in their current state
        self.killed: dict[int, int] = {}   # pid -> raw status: found killed by a signal,
                                           # not yet reported (see killed_notice)

    def add(self, pid: int, procsub: bool = False, text: str = "", members=None) -> None:
        self.children[pid] = None
        if procsub:
            self.procsubs.add(pid)
        else:
            self.numbers[pid] = max(self.numbers.values(), default=0) + 1
            self.texts[pid] = text
            if members is not None:
                self.members[pid] = dict.fromkeys(members)
            self.touch(pid)

    def touch(self, pid: int) -> None:
        """`pid`'s job becomes the most recent one (for %+ and %-)."""
        if pid in self.recent:
            self.recent.remove(pid)
        self.recent.append(pid)

    def marked(self) -> tuple:
        """(current, previous) jobs as bash picks them: live jobs before finished ones
        (bash moves the marks off a job when it ends), stopped before running, then the
        most recently started or touched."""
        jobs = self.job_pids()
        if self.control is None and not self.stopped:
            return (jobs[-1] if jobs else None, jobs[-2] if len(jobs) > 1 else None)
        rank = {pid: i for i, pid in enumerate(self.recent)}
        order = sorted(jobs, key=lambda p: (self.children.get(p) is None, p in self.stopped,
                                            rank.get(p, -1), p), reverse=True)
        return (order[0] if order else None, order[1] if len(order) > 1 else None)

    def job_pids(self) -> list:
        """Background jobs (not process substitutions), oldest first."""
        return [pid for pid in self.children if pid in self.numbers]

    def pid_of(self, spec: str) -> int | None:
        """%N, %%, %+, %-, %string -> pid."""
        jobs = self.job_pids()
        if not jobs:
            return None
        body = spec[1:]
        current, previous = self.marked()
        if body in ("", "%", "+"):
            return current
        if body == "-":
            return previous if previous is not None else current
        if body.isdigit():
            for pid in jobs:
                if self.numbers[pid] == int(body):
                    return pid
            return None
        for pid in reversed(jobs):
            if self.texts.get(pid, "").startswith(body.lstrip("?")) or \
                    (body.startswith("?") and body[1:] in self.texts.get(pid, "")):
                return pid
        return None

    def forget(self, pid: int) -> None:
        self.killed.pop(pid, None)
        self.inherited.discard(pid)
        self.children.pop(pid, None)
        self.procsubs.discard(pid)
        self.numbers.pop(pid, None)
        self.texts.pop(pid, None)
        self.members.pop(pid, None)
        self.stopped.pop(pid, None)
        self.raws.pop(pid, None)
        self.fresh_stops.discard(pid)
        self.stage_texts.pop(pid, None)
        self.listed.discard(pid)
        if pid in self.recent:
            self.recent.remove(pid)

    def signal(self, pid: int, sig: int) -> None:
        """`kill` of a job: its whole process group when it has one; a stopped job is
        continued as well so that it can act on the signal, as bash does."""
        import signal as _signal
        if pid in self.members:
            os.killpg(pid, sig)
            if pid in self.stopped and sig not in (_signal.SIGKILL, _signal.SIGCONT):
                os.killpg(pid, _signal.SIGCONT)
        else:
            os.kill(pid, sig)

    def knows(self, pid: int) -> bool:
        return pid in self.children

    def wait(self, pid: int) -> int:
        self.last_raw = None
        if pid in self.inherited:
            return 127
        status = self.children.get(pid)
        if status is None and pid in self.members:
            raw = None
            for member, raw in self.members[pid].items():
                if raw is None:
                    raw = wait_pid_raw(member)
            self.last_raw = raw
            status = 127 if raw is None else decode_status(raw)
        elif status is None:
            raw = wait_pid_raw(pid)
            self.last_raw = raw
            status = 127 if raw is None else decode_status(raw)
        if pid in self.killed:          # found killed earlier, not yet reported
            self.last_raw = self.killed[pid]
        self.forget(pid)
        return status

    def wait_all(self) -> None:
        for pid in list(self.children):
            if pid not in self.procsubs and pid not in self.inherited \
                    and pid not in self.stopped:
                self.wait(pid)

    def wait_any(self) -> tuple[int, int] | None:
        """wait -n: the next job to finish, as (pid, status); None when none is left."""
        for pid, status in list(self.children.items()):
            if status is not None and pid not in self.procsubs:
                self.forget(pid)
                return pid, status
        pending = [p for p in self.children
                   if p not in self.procsubs and p not in self.inherited]
        if not pending:
            return None
        # Our own children only: waitpid(-1) could reap the launcher's warm processes,
        # which are children of the shell too. Sleep on pidfds until one of them ends
        # (polling with a growing delay only where pidfds are not available).
        import select
        import time
        fds = {}
        try:
            for pid in pending:
                try:
                    fds[os.pidfd_open(pid)] = pid
                except (OSError, AttributeError):
                    break
            else:
                poller = select.poll()
                for fd in fds:
                    poller.register(fd, select.POLLIN)
            delay = 0.0005
            while True:
                for pid in pending:
                    try:
                        done, raw = os.waitpid(pid, os.WNOHANG)
                    except ChildProcessError:
                        done, raw = pid, 0
                    if done:
                        self.forget(pid)
                        return pid, decode_status(raw)
                if len(fds) == len(pending):
                    poller.poll()
                else:
                    time.sleep(delay)
                    delay = min(delay * 2, 0.02)
        finally:
            for fd in fds:
                os.close(fd)

    def reap(self) -> None:
        """Collect finished children without blocking (keeps the process table clean)."""
        for pid, status in list(self.children.items()):
            if status is not None or pid in self.inherited:
                continue
            if pid in self.members:
                self._reap_group(pid)
                continue
            try:
                done, raw = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                self.children.pop(pid, None)
                continue
            if done:
                self.children[pid] = decode_status(raw)
                if os.WIFSIGNALED(raw) and pid not in self.procsubs:
                    self.killed[pid] = raw

    def take_killed(self) -> list:
        """[(pid, raw, text)] of background jobs found killed by a signal since the last
        call (bash reports them after the next program it waited for)."""
        self.reap()
        out = [(pid, raw, self.texts.get(pid, "")) for pid, raw in self.killed.items()]
        self.killed.clear()
        return out

    def _reap_group(self, leader: int) -> None:
        """A process-group job: note stops and continues; it is finished (with its
        last process's status) once every process is."""
        group = self.members[leader]
        flags = os.WNOHANG | os.WUNTRACED | os.WCONTINUED
        for pid, raw in group.items():
            if raw is not None:
                continue
            try:
                done, raw = os.waitpid(pid, flags)
            except ChildProcessError:
                done, raw = pid, 0
            if not done:
                continue
            if os.WIFSTOPPED(raw):
                if leader not in self.stopped:
                    self.touch(leader)
                    self.fresh_stops.add(leader)
                    self.listed.discard(leader)
                self.stopped[leader] = os.WSTOPSIG(raw)
            elif os.WIFCONTINUED(raw):
                self.stopped.pop(leader, None)
            else:
                group[pid] = raw
        if all(raw is not None for raw in group.values()):
            last = list(group.values())[-1]
            self.raws[leader] = last
            self.children[leader] = decode_status(last)
            self.stopped.pop(leader, None)

    def forget_all(self) -> None:
        """In a new subshell: the parent's children are not ours to wait for, but
        `jobs` still lists them, as in bash."""
        for pid in list(self.procsubs):
            self.children.pop(pid, None)
        self.procsubs.clear()
        self.inherited = set(self.children)
        self.control = None   # a subshell runs without job control


def killed_notice(pid: int, raw, text: str, traps) -> str | None:
    """bash's line (after the error prefix) for a job killed by a signal, or None: not
    for SIGINT, SIGPIPE and SIGTERM (bash is built not to report those), nor for a
    signal the script traps."""
    import signal
    if raw is None or not os.WIFSIGNALED(raw):
        return None
    sig = os.WTERMSIG(raw)
    if sig in (signal.SIGINT, signal.SIGPIPE, signal.SIGTERM):
        return None
    try:
        name = signal.Signals(sig).name[3:]
    except ValueError:
        name = None
    if name is not None and traps.get(name) is not None:
        return None
    desc = signal.strsignal(sig) or f"Signal {sig}"
    if os.WCOREDUMP(raw):
        desc += " (core dumped)"
    if text.endswith(" &"):
        text = text[:-2]
    return f"{pid:5d} {desc:<24}{text}\n"
