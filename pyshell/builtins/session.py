"""logout: leave a login shell."""
from __future__ import annotations

import re

from pyshell.builtins import builtin
from pyshell.interp.control import ExitShell


@builtin("logout")
def logout_builtin(sh, argv) -> int:
    if not getattr(sh.state, "login_shell", False):
        sh.error("logout: not login shell: use `exit'")
        return 1
    status = sh.state.last_status
    if len(argv) > 1:
        try:
            status = int(argv[1]) & 255
        except ValueError:
            sh.error(f"logout: {argv[1]}: numeric argument required")
            status = 2
    exc = ExitShell(status)
    exc.quiet = True   # unlike `exit`, bash prints no "logout" for it
    raise exc


_BIND_USAGE = ("bind: usage: bind [-lpsvPSVX] [-m keymap] [-f filename] [-q name] [-u name] "
               "[-r keyseq] [-x keyseq:shell-command] [keyseq:readline-function or "
               "readline-command]\n")


@builtin("bind")
def bind_builtin(sh, argv) -> int:
    """Readline key bindings and variables (`bind 'set ...'`, `bind '"\\e[A": ...'`,
    `bind -f FILE`), applied through Python's readline. The listings (-p -v -s -l -q)
    need readline internals Python does not expose: they say so."""
    readline = getattr(sh, "readline", None)
    if readline is None:
        sh.error("bind: warning: line editing not enabled")
    args = argv[1:]
    status = 0
    while args and args[0].startswith("-") and len(args[0]) > 1:
        arg = args.pop(0)
        if arg == "--":
            break
        for k, letter in enumerate(arg[1:]):
            if letter in "fmqurx":
                value = arg[k + 2:] or (args.pop(0) if args else None)
                if value is None:
                    sh.error(f"bind: -{letter}: option requires an argument")
                    sh.write(2, _BIND_USAGE)
                    return 2
                if letter == "f":
                    status |= _bind_file(sh, readline, value)
                elif letter in "qurx":
                    sh.error(f"bind: -{letter}: not supported by this line editor")
                    status = 1
                break   # -m KEYMAP: the default keymap is the only one
            if letter not in "lpsvPSVX":
                sh.error(f"bind: -{letter}: invalid option")
                sh.write(2, _BIND_USAGE)
                return 2
            sh.error(f"bind: -{letter}: not supported by this line editor")
            status = 1
    for binding in args:
        setting = re.match(r"\s*set\s+completion-ignore-case\s+(\S+)", binding)
        if setting:   # our completer matches names itself: it needs to know
            sh.completion_ignore_case = setting.group(1).lower() in ("on", "1")
        if readline is not None:
            try:
                readline.parse_and_bind(binding)
            except Exception:
                sh.error(f"bind: {binding}: cannot apply")
                status = 1
    return status


def _bind_file(sh, readline, path: str) -> int:
    import os
    if not os.access(path, os.R_OK) or os.path.isdir(path):
        sh.error(f"bind: {path}: cannot read: No such file or directory")
        return 1
    if readline is not None:
        try:
            readline.read_init_file(path)
        except OSError as exc:
            sh.error(f"bind: {path}: cannot read: {exc.strerror}")
            return 1
    return 0
