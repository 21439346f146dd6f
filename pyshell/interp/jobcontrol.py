"""Job control (`set -m`), as bash does it in an interactive shell on a terminal: the
shell leads its own process group and owns the terminal; each job (a program, a
pipeline, a forked subshell, a `&` job) runs in a process group of its own; a foreground
job gets the terminal while it runs and the shell takes it back (and its terminal modes)
when the job ends or stops. A stopped job stays in the jobs table (pyshell.interp.jobs)
for `fg`, `bg`, `jobs` and `kill %N`.

The interpreter reaches this module through `interp.jobs.control` (None without job
control, and always None in subshells): pyshell/repl/ starts it, executor.py,
pipelines.py and subshells.py call it to launch and wait.
"""
from __future__ import annotations

import os
import signal

from pyshell.errors import write_stderr
from pyshell.interp.jobs import decode_status

_TTY_FD_FLOOR = 255   # where bash keeps its terminal fd, out of the way of user fds
_JOB_SIGNALS = (signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU)



def state_word(jobs, pid: int) -> str:
    """A job's state as `jobs` shows it: Running, Stopped..., Done, Exit N, or the
    description of the signal that killed it."""
    if pid in jobs.stopped:
        return "Stopped"   # whatever the signal, unless in posix mode
    status = jobs.children.get(pid)
    if status is None:
        return "Running"
    raw = jobs.raws.get(pid)
    if raw is not None and os.WIFSIGNALED(raw):
        desc = signal.strsignal(os.WTERMSIG(raw)) or f"Signal {os.WTERMSIG(raw)}"
        return desc + (" (core dumped)" if os.WCOREDUMP(raw) else "")
    return "Done" if status == 0 else f"Exit {status}"


def job_line(jobs, pid: int, long: bool = False) -> str:
    """`[N]+  State                   text`, bash's line for a job; with `long`, the
    process ids too, one line per process of a pipeline."""
    current, previous = jobs.marked()
    mark = "+" if pid == current else "-" if pid == previous else " "
    text = jobs.texts.get(pid, "")
    running = jobs.children.get(pid) is None and pid not in jobs.stopped
    if not running and text.endswith(" &"):
        text = text[:-2]
    head = f"[{jobs.numbers[pid]}]{mark}"
    stages = jobs.stage_texts.get(pid)
    if not long:
        return f"{head}  {state_word(jobs, pid):<24}{text}\n"
    if not stages or len(stages) != len(jobs.members.get(pid, ())):
        return f"{head} {pid:5d} {state_word(jobs, pid):<24}{text}\n"
    tail = " &" if running and text.endswith(" &") else ""
    lines = []
    for i, member in enumerate(jobs.members[pid]):
        stage = stages[i] + (tail if i == len(stages) - 1 else "")
        if i == 0:
            lines.append(f"{head} {member:5d} {state_word(jobs, pid):<24}{stage}\n")
        else:
            lines.append(f"     {member:5d} {'':22}| {stage}\n")
    return "".join(lines)


def start(name: str, interactive: bool):
    """Take the terminal for an interactive shell: its own process group, the
    terminal's foreground group. Returns a JobControl, or None after bash's two
    messages when there is no terminal to control."""
    if not interactive:
        return None
    tty = _open_terminal()
    original = os.getpgrp()
    terminal = -1
    error = None
    if tty is not None:
        terminal = _wait_for_foreground(tty, original)
    if terminal == -1:
        error = "Inappropriate ioctl for device"
    else:
        try:
            if original != os.getpid():
                os.setpgid(0, 0)
            _set_foreground(tty, os.getpid())
        except OSError as exc:
            error = exc.strerror
            try:
                os.setpgid(0, original)
            except OSError:
                pass
    if error is not None:
        shown = original if original != os.getpid() else -1
        write_stderr(f"{name}: cannot set terminal process group ({shown}): {error}\n"
                     f"{name}: no job control in this shell\n")
        if tty is not None:
            os.close(tty)
        return None
    return JobControl(tty, original)


def _open_terminal() -> int | None:
    """A private fd on the terminal: stderr's, or /dev/tty when stderr is no terminal."""
    fd = None
    if not os.isatty(2):
        try:
            fd = os.open("/dev/tty", os.O_RDWR | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            fd = None
    if fd is None:
        try:
            fd = os.dup(2)
        except OSError:
            return None
    import fcntl
    try:
        high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, _TTY_FD_FLOOR)
    except OSError:
        high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


def _wait_for_foreground(tty: int, pgrp: int) -> int:
    """The terminal's foreground group once it is ours (a shell started in the
    background stops itself until it is brought to the foreground); -1: no terminal."""
    for _ in range(16):
        try:
            terminal = os.tcgetpgrp(tty)
        except OSError:
            return -1
        if terminal == pgrp:
            return terminal
        old = signal.signal(signal.SIGTTIN, signal.SIG_DFL)
        try:
            os.kill(0, signal.SIGTTIN)
        finally:
            signal.signal(signal.SIGTTIN, old)
    return terminal


def _set_foreground(tty: int, pgid: int) -> None:
    """tcsetpgrp with SIGTTOU blocked: the shell may be in the background right then."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTTOU})
    try:
        os.tcsetpgrp(tty, pgid)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class JobControl:
    def __init__(self, tty: int, original_pgid: int):
        self.tty = tty
        self.pgid = os.getpgrp()
        self.original_pgid = original_pgid
        self.modes = self._get_modes()
        self.job: list | None = None     # pids of the job being started
        self.foreground = False

    # ------------------------------------------------------------------ state
    @staticmethod
    def text_of(node, argv=None) -> str:
        """The command as `jobs` shows it."""
        if node is None:
            return " ".join(argv or ())
        from pyshell.interp.printer import command_text
        return command_text(node)

    @staticmethod
    def on(interp) -> bool:
        """`set +m` turns job control off for a while."""
        return "monitor" in interp.state.options

    def _get_modes(self):
        import termios
        try:
            return termios.tcgetattr(self.tty)
        except (OSError, termios.error):
            return None

    def take_terminal(self, save_modes: bool = False) -> None:
        """The shell is the foreground again; its terminal modes come back (or, after a
        job that ended normally, the modes it left are kept, as `stty` expects)."""
        import termios
        try:
            _set_foreground(self.tty, self.pgid)
        except OSError:
            pass
        if save_modes:
            self.modes = self._get_modes()
        elif self.modes is not None:
            try:
                termios.tcsetattr(self.tty, termios.TCSADRAIN, self.modes)
            except (OSError, termios.error):
                pass

    def give_terminal(self, pgid: int) -> None:
        try:
            _set_foreground(self.tty, pgid)
        except OSError:
            pass

    # -------------------------------------------------------------- starting
    def open_job(self, foreground: bool) -> None:
        self.job = []
        self.foreground = foreground

    def close_job(self) -> list:
        pids, self.job = self.job or [], None
        return pids

    def launch(self, launch, req, async_: bool) -> int:
        """Start a program: a stage of the job being started, or a foreground job of its
        own (async_ False). Other asynchronous launches ($( ), <( )) stay in the
        shell's group."""
        if not async_ and self.job is None:
            req.pgid = 0
            pid = launch(req)
            self.give_terminal(pid)
            return pid
        if self.job is None:
            return launch(req)
        req.pgid = self.job[0] if self.job else 0
        pid = launch(req)
        self._joined(pid)
        return pid

    def forked(self, pid: int) -> None:
        """In the shell, after a fork: the child belongs to the job being started."""
        if self.job is None:
            return
        try:
            os.setpgid(pid, self.job[0] if self.job else pid)
        except OSError:
            pass   # the child did it already (and may have exited)
        self._joined(pid)

    def in_child(self) -> None:
        """In a forked child of the shell: join the job's group, take the default actions
        of the signals the shell survives back, no job control of its own."""
        if self.job is None:
            return
        try:
            os.setpgid(0, self.job[0] if self.job else 0)
        except OSError:
            pass
        if self.foreground and not self.job:
            self.give_terminal(os.getpgrp())
        # what the interactive shell only catches to survive (not what it ignores)
        for sig in (*_JOB_SIGNALS, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM):
            if signal.getsignal(sig) is not signal.SIG_IGN:
                signal.signal(sig, signal.SIG_DFL)

    def _joined(self, pid: int) -> None:
        if self.foreground and not self.job:
            self.give_terminal(pid)
        self.job.append(pid)

    # --------------------------------------------------------------- waiting
    def wait_foreground(self, interp, pids: list, text: str, known: int | None = None):
        """Wait for a foreground job until it ends or stops; the raw wait statuses of
        its processes (a stopped process: its stop status). A stopped job enters the
        jobs table (or stays there: `known` is its leader) and bash's note is shown."""
        leader = pids[0] if known is None else known
        raws = {}
        stopped = None
        retried = False
        pending = list(pids)
        while pending:
            pid = pending[0]
            try:
                _, raw = os.waitpid(pid, os.WUNTRACED)
            except InterruptedError:
                continue
            except ChildProcessError:
                raws[pid] = None
                pending.pop(0)
                continue
            if os.WIFSTOPPED(raw):
                sig = os.WSTOPSIG(raw)
                if sig in (signal.SIGTTIN, signal.SIGTTOU) and not retried \
                        and self._owns_terminal(leader):
                    # it reached the terminal before the shell handed it over
                    retried = True
                    _continue(leader)
                    continue
                stopped = raw
                break
            raws[pid] = raw
            pending.pop(0)
        jobs = interp.jobs
        if stopped is not None:
            self.take_terminal()
            for pid in pending:
                raws[pid] = stopped
            if known is None:
                jobs.add(leader, text=text, members=pids)
            jobs.members[leader].update((p, r) for p, r in raws.items() if p not in pending)
            jobs.stopped[leader] = os.WSTOPSIG(stopped)
            jobs.touch(leader)
            jobs.listed.discard(leader)
            write_stderr("\n" + job_line(jobs, leader))
            return [raws[p] for p in pids]
        last = raws[pids[-1]]
        self.take_terminal(save_modes=last is not None and os.WIFEXITED(last))
        if known is not None:
            jobs.forget(known)
        result = [raws[p] for p in pids]
        if interp.interactive() and any(
                raw is not None and os.WIFSIGNALED(raw) and os.WTERMSIG(raw) == signal.SIGINT
                for raw in result):
            # Ctrl-C killed the job: the shell acts as if interrupted too (a loop that
            # runs it ends), as bash does
            interp.state.pipestatus = [128 + signal.SIGINT]
            raise KeyboardInterrupt
        return result

    def _owns_terminal(self, pgid: int) -> bool:
        try:
            return os.tcgetpgrp(self.tty) == pgid
        except OSError:
            return False

    # ------------------------------------------------------------ whole jobs
    def run_pipeline(self, interp, node) -> list:
        """A pipeline as one foreground job: every stage a child in one group."""
        from pyshell.interp.jobs import Started
        from pyshell.interp.printer import command_text
        self.open_job(foreground=True)
        try:
            started = interp._start_stages(node, None)
        finally:
            pids = self.close_job()
        if not pids:
            return list(started)   # no process was started
        raws = self.wait_foreground(interp, pids, command_text(node))
        if pids[0] in interp.jobs.members:   # it stopped: `jobs -l` lists each process
            _note_stages(interp.jobs, pids[0], node, started)
        by_pid = dict(zip(pids, raws))
        return [(127 if by_pid.get(s.pid) is None else decode_status(by_pid[s.pid]))
                if isinstance(s, Started) else s for s in started]

    def run_forked(self, interp, fork_body, text: str) -> int:
        """A forked subshell `( )` as a foreground job."""
        self.open_job(foreground=True)
        try:
            fork_body()
        finally:
            pids = self.close_job()
        raws = self.wait_foreground(interp, pids, text)
        return 127 if raws[-1] is None else decode_status(raws[-1])

    def run_background(self, interp, cmd) -> int:
        """`cmd &`: its own group, not the terminal's; stdin stays the terminal (a read
        from it stops the job), and an interactive shell shows `[N] pid`."""
        from pyshell.interp.jobs import Started
        from pyshell.interp.printer import command_text
        from pyshell.syntax import ast
        pipeline = type(cmd) is ast.Pipeline and len(cmd.commands) > 1 \
            and not cmd.negate and not cmd.time
        self.open_job(foreground=False)
        try:
            if pipeline:   # each stage a process of the job, as bash starts them
                stages = interp._start_stages(cmd, None)
                last = [s for s in stages if isinstance(s, Started)]
                started = last[-1] if last else 1
            else:
                started = interp.start_async(cmd, [], [])
        finally:
            pids = self.close_job()
        if isinstance(started, Started) and pids:
            jobs = interp.jobs
            interp.state.last_bg_pid = started.pid
            jobs.add(pids[0], text=command_text(cmd) + " &", members=pids)
            if pipeline:
                _note_stages(jobs, pids[0], cmd, stages)
            if interp.interactive():
                write_stderr(f"[{jobs.numbers[pids[0]]}] {started.pid}\n")
        interp.jobs.reap()
        return 0

    def continue_job(self, interp, leader: int, foreground: bool) -> int:
        """`fg` / `bg`: the job runs again, in the foreground (waited for) or not."""
        jobs = interp.jobs
        jobs.stopped.pop(leader, None)
        jobs.touch(leader)
        jobs.listed.discard(leader)
        if not foreground:
            _continue(leader)
            return 0
        self.give_terminal(leader)
        _continue(leader)
        group = jobs.members.get(leader) or {leader: None}
        pids = [p for p, raw in group.items() if raw is None]
        done = {p: raw for p, raw in group.items() if raw is not None}
        text = jobs.texts.get(leader, "")
        if text.endswith(" &"):
            jobs.texts[leader] = text[:-2]
        if not pids:
            self.take_terminal()
            last = list(group.values())[-1]
            jobs.forget(leader)
            return decode_status(last)
        raws = self.wait_foreground(interp, pids, text, known=leader)
        done.update(zip(pids, raws))
        last = done[list(group)[-1]]
        return 127 if last is None else decode_status(last)

    # ------------------------------------------------------------ reporting
    def notify(self, interp) -> None:
        """Before a prompt: report jobs that finished or stopped since the last one."""
        jobs = interp.jobs
        jobs.reap()
        lines = []
        for pid in jobs.job_pids():
            if jobs.children.get(pid) is not None and pid in jobs.members:
                lines.append(job_line(jobs, pid))
            elif pid in jobs.fresh_stops:
                lines.append("\n" + job_line(jobs, pid))   # bash sets it off
        jobs.fresh_stops.clear()
        for pid in jobs.job_pids():
            if jobs.children.get(pid) is not None and pid in jobs.members:
                jobs.forget(pid)
        if lines:
            write_stderr("".join(lines))

    def has_stopped(self, interp) -> bool:
        interp.jobs.reap()
        return bool(interp.jobs.stopped)

    def release(self) -> None:
        """The shell ends: the terminal and the process group go back to what they were
        (a parent without job control would otherwise be left in the background)."""
        if self.original_pgid == self.pgid:
            return
        try:
            os.setpgid(0, self.original_pgid)
            _set_foreground(self.tty, self.original_pgid)
        except OSError:
            pass

    def hang_up(self, interp) -> None:
        """The shell exits: stopped jobs get SIGHUP (and SIGCONT to act on it)."""
        for leader in list(interp.jobs.stopped):
            for sig in (signal.SIGHUP, signal.SIGCONT):
                try:
                    os.killpg(leader, sig)
                except OSError:
                    pass


def _note_stages(jobs, leader: int, node, started) -> None:
    """The text of each process of a pipeline job, for `jobs -l`."""
    from pyshell.interp.jobs import Started
    from pyshell.interp.printer import command_text
    jobs.stage_texts[leader] = [command_text(cmd) for cmd, s in zip(node.commands, started)
                                if isinstance(s, Started)]


def _continue(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGCONT)
    except OSError:
        pass
