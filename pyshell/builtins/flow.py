"""Builtins that change the flow of control: exit return break continue eval source .
exec trap wait."""
from __future__ import annotations

import os

from pyshell.builtins import builtin
from pyshell.interp.control import BreakLoop, ContinueLoop, ExitShell, ReturnFunc


def _status_arg(sh, name: str, text: str):
    """bash's numeric argument for exit/return: an int (mod 256 later) or None."""
    t = text.strip()
    body = t[1:] if t[:1] in "+-" else t
    if not body.isdigit() or not -2**63 <= int(t) < 2**63:
        sh.error(f"{name}: {text}: numeric argument required")
        return None
    return int(t)


@builtin("exit")
def exit_builtin(sh, argv) -> int:
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        raise ExitShell(sh.state.last_status)
    if len(args) > 1:
        sh.error("exit: too many arguments")
        return 1
    value = _status_arg(sh, "exit", args[0])
    if value is None:
        raise ExitShell(2)
    raise ExitShell(value & 255)


@builtin("return")
def return_builtin(sh, argv) -> int:
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not sh.func_depth and not sh.source_depth:
        sh.error("return: can only `return' from a function or sourced script")
        return 2
    if not args:
        raise ReturnFunc(sh.state.last_status)
    if len(args) > 1:
        sh.error("return: too many arguments")
        raise ReturnFunc(2)
    value = _status_arg(sh, "return", args[0])
    if value is None:
        raise ReturnFunc(2)
    raise ReturnFunc(value & 255)


def _loop_control(sh, argv, exc_type) -> int:
    name = argv[0]
    levels = 1
    if not sh.loop_depth:
        sh.error(f"{name}: only meaningful in a `for', `while', or `until' loop")
        return 0
    if len(argv) > 1:
        text = argv[1]
        t = text.strip()
        if not (t.lstrip("-+").isdigit()):
            sh.error(f"{name}: {text}: numeric argument required")
            raise ExitShell(128)
        levels = int(t)
        if levels < 1:
            sh.error(f"{name}: {text}: loop count out of range")
            return 1
    raise exc_type(min(levels, sh.loop_depth))


@builtin("break")
def break_builtin(sh, argv) -> int:
    return _loop_control(sh, argv, BreakLoop)


@builtin("continue")
def continue_builtin(sh, argv) -> int:
    return _loop_control(sh, argv, ContinueLoop)


@builtin("eval")
def eval_builtin(sh, argv) -> int:
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    text = " ".join(args)
    if not text.strip():
        return 0
    return sh.eval_string(text, "eval")


def _find_sourced(sh, name: str) -> str | None:
    if "/" in name:
        return name
    if "sourcepath" in sh.state.shopts:
        import stat
        for directory in (sh.state.get("PATH") or "").split(":"):
            candidate = f"{directory or '.'}/{name}"
            try:
                if stat.S_ISREG(os.stat(candidate).st_mode):
                    return candidate
            except OSError:
                continue
    return name


@builtin("source", ".")
def source_builtin(sh, argv) -> int:
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        sh.error(f"{argv[0]}: filename argument required")
        sh.write(2, f"{argv[0]}: usage: {argv[0]} filename [arguments]\n")
        return 2
    path = _find_sourced(sh, args[0])
    if os.path.isdir(path):
        sh.error(f"{argv[0]}: {args[0]}: is a directory")
        return 1
    return sh.source_file(path, args[1:] if len(args) > 1 else None)


@builtin("exec")
def exec_builtin(sh, argv) -> int:
    """Redirections were already applied permanently by the interpreter."""
    args = argv[1:]
    clear_env = login = False
    arg0 = None
    while args and args[0].startswith("-") and len(args[0]) > 1:
        arg = args.pop(0)
        if arg == "--":
            break
        letters = arg[1:]
        for j, letter in enumerate(letters):
            if letter == "c":
                clear_env = True
            elif letter == "l":
                login = True
            elif letter == "a":
                if not args:
                    sh.error("exec: -a: option requires an argument")
                    return 2
                arg0 = args.pop(0)
            else:
                sh.error(f"exec: -{letter}: invalid option")
                sh.write(2, "exec: usage: exec [-cl] [-a name] [command [argument ...]]\n")
                return 2
    if not args:
        return 0
    path = sh.find_program(args[0])
    if path is None:
        sh.error(f"exec: {args[0]}: not found")
        raise ExitShell(127)
    env = {} if clear_env else sh.state.environ()
    new_argv = list(args)
    if arg0 is not None:
        new_argv[0] = arg0
    if login:
        new_argv[0] = "-" + new_argv[0]
    if "EXIT" in sh.traps:
        sh.traps.pop("EXIT", None)
    from pyshell.interp.executor import prepare_exec
    prepare_exec()
    try:
        os.execve(path, new_argv, env)
    except OSError as exc:
        status = sh.exec_failure(exc, args[0], path, new_argv, env)
        raise ExitShell(status)
    return 0


# ------------------------------------------------------------------------- trap

def _signal_table() -> dict:
    import signal
    table = {}
    for sig in signal.Signals:
        if sig.name.startswith("SIG") and not sig.name.startswith("SIG_"):
            table.setdefault(int(sig), sig.name[3:])
    return table


def _normalize_signal(spec: str):
    """'INT', 'SIGINT', '2', 'int', 'EXIT', '0' -> canonical name, or None."""
    import signal
    s = spec.upper()
    if s in ("0", "EXIT", "SIGEXIT"):
        return "EXIT"
    if s in ("ERR", "DEBUG", "RETURN"):
        return s
    if spec.isdigit():
        return _signal_table().get(int(spec))
    if s.startswith("SIG"):
        s = s[3:]
    if hasattr(signal, "SIG" + s) and not s.startswith("_"):
        return _signal_table().get(int(getattr(signal, "SIG" + s)), s)
    return None


def _display(name: str) -> str:
    return name if name in ("EXIT", "ERR", "DEBUG", "RETURN") else "SIG" + name


def _install(sh, name: str, action) -> None:
    import signal
    if name in ("EXIT", "ERR", "DEBUG", "RETURN"):
        return
    num = int(getattr(signal, "SIG" + name))
    if num in (signal.SIGKILL, signal.SIGSTOP):
        return
    try:
        if action is None:
            signal.signal(num, signal.SIG_DFL)
        elif action == "" and num == signal.SIGCHLD:
            # Really ignoring SIGCHLD would make the kernel reap every child at once
            # (no status for wait or $?): bash keeps reaping too. Unlike bash, programs
            # then start with SIGCHLD at its default rather than ignored.
            signal.signal(num, signal.SIG_DFL)
        elif action == "":
            signal.signal(num, signal.SIG_IGN)
        else:
            signal.signal(num, sh.on_signal)
    except (OSError, ValueError):
        pass


@builtin("trap")
def trap_builtin(sh, argv) -> int:
    args = argv[1:]
    if args and args[0] == "-l":
        table = _signal_table()
        items = [f"{num:2d}) SIG{name}" for num, name in sorted(table.items())]
        lines = []
        for i in range(0, len(items), 5):
            lines.append("\t".join(items[i:i + 5]) + "\n")
        sh.write(1, "".join(lines))
        return 0
    if args and args[0] == "-p":
        args = args[1:]
        names = []
        for spec in args:
            name = _normalize_signal(spec)
            if name is None:
                sh.error(f"trap: {spec}: invalid signal specification")
                return 1
            names.append(name)
        return _print_traps(sh, names or None)
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        return _print_traps(sh, None)
    if len(args) == 1 or _is_unsigned(args[0]):
        action = None
        specs = args
    else:
        action = args[0]
        specs = args[1:]
        if action == "-":
            action = None
    status = 0
    # a subshell's first change of traps ends the listing of its parent's (see below)
    sh.shown_traps = {}
    for spec in specs:
        name = _normalize_signal(spec)
        if name is None:
            sh.error(f"trap: {spec}: invalid signal specification")
            status = 1
            continue
        if action is None:
            sh.traps.pop(name, None)
        else:
            sh.traps[name] = action
        _install(sh, name, action)
    return status


def _is_unsigned(text: str) -> bool:
    return text.isdigit()


def _print_traps(sh, names) -> int:
    """In a subshell that has not changed any trap yet, the parent's traps are listed
    too (POSIX: `saved=$(trap)` then `eval "$saved"` restores them), though only ignored
    signals (and ERR/DEBUG/RETURN under errtrace/functrace) are in effect there."""
    from pyshell.interp.quoting import single_quote
    out = []
    traps = sh.traps
    if sh.shown_traps:
        traps = {**sh.shown_traps, **sh.traps}
    order = names if names is not None else _trap_order(traps)
    for name in order:
        action = traps.get(name)
        if action is None:
            continue
        out.append(f"trap -- {single_quote(action)} {_display(name)}\n")
    sh.write(1, "".join(out))
    return 0


def _trap_order(traps) -> list:
    import signal

    def key(name):
        if name == "EXIT":
            return -1
        if name in ("DEBUG", "ERR", "RETURN"):
            return 1000 + ("DEBUG", "ERR", "RETURN").index(name)
        return int(getattr(signal, "SIG" + name, 999))
    return sorted(traps, key=key)


# ------------------------------------------------------------------------- wait

@builtin("wait")
def wait_builtin(sh, argv) -> int:
    from pyshell.interp.executor import WaitInterrupted
    sh.in_wait_builtin = True
    try:
        if sh.pending_signals:
            return 128 + sh.pending_signals[-1]
        return _wait(sh, argv)
    except WaitInterrupted as exc:
        return 128 + exc.signum
    finally:
        sh.in_wait_builtin = False


def _wait(sh, argv) -> int:
    args = argv[1:]
    any_job = False
    var = None
    while args and args[0].startswith("-") and len(args[0]) > 1:
        arg = args.pop(0)
        if arg == "--":
            break
        if arg == "-n":
            any_job = True
        elif arg == "-f":
            pass
        elif arg == "-p":
            if not args:
                sh.error("wait: -p: option requires an argument")
                return 2
            var = args.pop(0)
        else:
            sh.error(f"wait: {arg}: invalid option")
            sh.write(2, "wait: usage: wait [-fn] [-p var] [id ...]\n")
            return 2
    jobs = sh.jobs
    if any_job:
        found = jobs.wait_any()
        if found is None:
            return 127
        pid, status = found
        if var:
            sh.state.set(var, str(pid))
        return status
    if not args:
        if jobs.control is not None:
            from pyshell.builtins.jobs_builtins import warn_stopped
            warn_stopped(sh)
        jobs.wait_all()
        return 0
    status = 0
    for spec in args:
        if spec.startswith("%") and jobs.control is not None:
            from pyshell.builtins.jobs_builtins import wait_job
            status = wait_job(sh, spec)
            continue
        if spec.startswith("%"):
            sh.error(f"wait: {spec}: no such job")
            status = 127
            continue
        if not spec.isdigit():
            sh.error(f"wait: `{spec}': not a pid or valid job spec")
            status = 2
            continue
        pid = int(spec)
        if not jobs.knows(pid):
            sh.error(f"wait: pid {pid} is not a child of this shell")
            status = 127
            continue
        text = jobs.texts.get(pid, "")
        status = jobs.wait(pid)
        _report_killed(sh, pid, jobs.last_raw, text)
    return status


def _report_killed(sh, pid: int, raw, text: str) -> None:
    """bash's note when a job it waited for was killed by a signal."""
    from pyshell.interp.jobs import killed_notice
    line = killed_notice(pid, raw, text, sh.traps)
    if line is not None:
        sh.write(2, sh.error_prefix() + line)
