"""Job builtins: jobs, fg, bg, suspend. The jobs table is pyshell.interp.jobs; moving
jobs between foreground and background is pyshell.interp.jobcontrol."""
from __future__ import annotations

import os
import signal

from pyshell.builtins import builtin

JOBS_USAGE = "jobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]\n"


def _job_of(jobs, spec: str):
    """A job spec as fg/bg read it: %N, %+, %-, %%, %str, %?str, or N / str without %."""
    if not spec.startswith("%"):
        spec = "%" + spec
    pid = jobs.pid_of(spec)
    return pid if pid is not None and pid in jobs.numbers else None


@builtin("jobs")
def jobs_builtin(sh, argv) -> int:
    jobs = sh.jobs
    args = argv[1:]
    pids_only = long = changed = False
    state = None   # -r / -s: the last one given counts, as in bash
    while args and args[0].startswith("-") and len(args[0]) > 1:
        arg = args.pop(0)
        if arg == "--":
            break
        for letter in arg[1:]:
            if letter == "p":
                pids_only = True
            elif letter == "l":
                long = True
            elif letter in "rs":
                state = letter
            elif letter == "n":
                changed = True
            else:
                sh.error(f"jobs: -{letter}: invalid option")
                sh.write(2, JOBS_USAGE)
                return 2
    jobs.reap()
    pids = jobs.job_pids()
    if args:
        chosen = []
        for spec in args:
            pid = jobs.pid_of(spec) if spec.startswith("%") else \
                (int(spec) if spec.isdigit() and int(spec) in pids else None)
            if pid is None:
                sh.error(f"jobs: {spec}: no such job")
                return 1
            chosen.append(pid)
        pids = chosen
    if state == "r":
        pids = [p for p in pids if jobs.children.get(p) is None and p not in jobs.stopped]
    elif state == "s":
        pids = [p for p in pids if p in jobs.stopped]
    if changed:   # only jobs not listed since they last changed state
        pids = [p for p in pids if p not in jobs.listed or jobs.children.get(p) is not None]
    jobs.listed.update(pids)
    out = []
    for pid in pids:
        if pids_only:
            out.append(f"{pid}\n")
        elif pid in jobs.members:
            from pyshell.interp.jobcontrol import job_line
            out.append(job_line(jobs, pid, long))
        else:
            out.append(_plain_line(jobs, pid, long))
    for pid in pids:
        if not pids_only and jobs.children.get(pid) is not None:
            jobs.forget(pid)
    sh.write(1, "".join(out))
    return 0


def _plain_line(jobs, pid: int, long: bool) -> str:
    """A job started without job control (one process, no group of its own)."""
    status = jobs.children.get(pid)
    state = "Running" if status is None else ("Done" if status == 0 else f"Exit {status}")
    current, previous = jobs.marked()
    mark = "+" if pid == current else "-" if pid == previous else " "
    middle = f" {pid:5d} " if long else "  "
    return f"[{jobs.numbers[pid]}]{mark}{middle}{state:<24}{jobs.texts[pid]}\n"


def _control(sh, name: str):
    jc = sh.jobs.control
    if jc is None or not jc.on(sh):
        sh.error(f"{name}: no job control")
        return None
    return jc


def _start(sh, argv) -> tuple:
    """fg/bg: (job control or None after its error, operands); the table is reaped."""
    jc = _control(sh, argv[0])
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if jc is not None:
        sh.jobs.reap()
    return jc, args


@builtin("fg")
def fg_builtin(sh, argv) -> int:
    jc, args = _start(sh, argv)
    if jc is None:
        return 1
    jobs = sh.jobs
    spec = args[0] if args else "%+"
    pid = _job_of(jobs, spec)
    if pid is None:
        sh.error(f"fg: {spec if args else 'current'}: no such job")
        return 1
    if pid not in jobs.members:
        sh.error(f"fg: job {jobs.numbers[pid]} started without job control")
        return 1
    if jobs.children.get(pid) is not None:
        sh.error("fg: job has terminated")
        jobs.forget(pid)
        return 1
    text = jobs.texts.get(pid, "")
    sh.write(1, (text[:-2] if text.endswith(" &") else text) + "\n")
    return jc.continue_job(sh, pid, foreground=True)


@builtin("bg")
def bg_builtin(sh, argv) -> int:
    jc, args = _start(sh, argv)
    if jc is None:
        return 1
    jobs = sh.jobs
    status = 0
    for spec in args or ["%+"]:
        pid = _job_of(jobs, spec)
        if pid is None:
            sh.error(f"bg: {spec if args else 'current'}: no such job")
            status = 1
            continue
        if pid not in jobs.members:
            sh.error(f"bg: job {jobs.numbers[pid]} started without job control")
            status = 1
            continue
        if pid not in jobs.stopped:
            if jobs.children.get(pid) is not None:
                sh.error("bg: job has terminated")
            else:
                sh.error(f"bg: job {jobs.numbers[pid]} already in background")
            continue
        text = jobs.texts.get(pid, "")
        if not text.endswith(" &"):
            text = jobs.texts[pid] = text + " &"
        jc.continue_job(sh, pid, foreground=False)
        current, _ = jobs.marked()
        mark = "+" if pid == current else "-" if pid == jobs.marked()[1] else " "
        sh.write(1, f"[{jobs.numbers[pid]}]{mark} {text}\n")
    return status


@builtin("suspend")
def suspend_builtin(sh, argv) -> int:
    args = argv[1:]
    force = False
    for arg in args:
        if arg == "-f":
            force = True
        elif arg != "--":
            sh.error(f"suspend: {arg}: invalid option")
            sh.write(2, "suspend: usage: suspend [-f]\n")
            return 2
    jc = sh.jobs.control
    if jc is None or not jc.on(sh):
        sh.error("suspend: cannot suspend: no job control")
        return 1
    if "login_shell" in sh.state.shopts and not force:
        sh.error("suspend: cannot suspend a login shell")
        return 1
    old = signal.signal(signal.SIGTSTP, signal.SIG_DFL)
    try:
        os.killpg(os.getpgrp(), signal.SIGSTOP)
    finally:
        signal.signal(signal.SIGTSTP, old)
    return 0


# ----------------------------------------------------- `wait` under job control

def warn_stopped(sh) -> None:
    """`wait` without ids waits for running jobs only; bash names the stopped ones."""
    jobs = sh.jobs
    for pid in jobs.job_pids():
        if pid in jobs.stopped:
            sh.error(f"wait: warning: job {jobs.numbers[pid]}[{pid}] stopped")


def wait_job(sh, spec: str) -> int:
    """`wait %N`: the job's status; a stopped job is not waited for."""
    jobs = sh.jobs
    jobs.reap()
    pid = _job_of(jobs, spec)
    if pid is None:
        sh.error(f"wait: {spec}: no such job")
        return 127
    if pid in jobs.stopped:
        sh.error(f"warning: wait_for_job: job {jobs.numbers[pid]} is stopped")
        return 128 + jobs.stopped[pid]
    return jobs.wait(pid)
