"""`pywarmsh` command line: the same invocation forms and options as bash.

    pywarmsh [long options] [-abefhkmnptuvxBCEHPT] [-o opt] [-O shopt] [FILE [ARGS...]]
    pywarmsh ... -c STRING [NAME [ARGS...]]
    pywarmsh ... [-s] [ARGS...]          (commands from standard input)
"""
from __future__ import annotations

import os
import sys

NAME = "pywarmsh"
LONG_OPTIONS = ("--debug", "--debugger", "--dump-po-strings", "--dump-strings", "--help",
                "--init-file", "--login", "--noediting", "--noprofile", "--norc", "--posix",
                "--pretty-print", "--rcfile", "--restricted", "--verbose", "--version")
SET_LETTERS = "abefhkmnptuvxBCEHPT"


def _usage() -> str:
    longs = "".join(f"\t{opt}\n" for opt in LONG_OPTIONS)
    return (f"Usage:\t{NAME} [GNU long option] [option] ...\n"
            f"\t{NAME} [GNU long option] [option] script-file ...\n"
            f"GNU long options:\n{longs}"
            "Shell options:\n"
            "\t-ilrsD or -c command or -O shopt_option\t\t(invocation only)\n"
            f"\t-{SET_LETTERS} or -o option\n")


def _version() -> str:
    from pyshell import BASH_COMPAT_VERSION, __version__
    return (f"pywarmsh {__version__}, compatible with GNU bash, version "
            f"{BASH_COMPAT_VERSION} ({os.uname().machine}-pc-linux-gnu)\n"
            "License GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>\n"
            "\nThis is free software; you are free to change and redistribute it.\n"
            "There is NO WARRANTY, to the extent permitted by law.\n")


class UsageError(Exception):
    pass


def _write(fd: int, text: str) -> None:
    from pyshell.errors import write_stderr
    if fd == 2:
        write_stderr(text)
    else:
        try:
            os.write(fd, text.encode())
        except OSError:
            pass


def parse_args(args: list) -> dict:
    """bash's invocation grammar -> settings (raises UsageError with bash's text)."""
    from pyshell.builtins.vars import LETTER_OPTIONS, SET_O_NAMES
    opts = {"command": None, "stdin": False, "set": [], "shopt": [], "version": False,
            "help": False, "operands": [], "interactive": False, "login": False,
            "rcfile": None, "norc": False, "noprofile": False}
    i = 0
    n = len(args)
    while i < n:
        arg = args[i]
        if arg == "--" or arg == "-":
            i += 1
            break
        if arg.startswith("--"):
            if arg == "--version":
                opts["version"] = True
            elif arg == "--help":
                opts["help"] = True
            elif arg in ("--rcfile", "--init-file"):
                i += 1
                if i < n:
                    opts["rcfile"] = args[i]
            elif arg in ("--norc", "--noprofile", "--login"):
                opts[arg[2:]] = True
            elif arg == "--verbose":
                opts["set"].append(("verbose", True))
            elif arg == "--posix":
                opts["set"].append(("posix", True))
            elif arg not in LONG_OPTIONS:
                raise UsageError(f"{NAME}: {arg}: invalid option\n" + _usage())
            i += 1
            continue
        if arg[0] not in "-+" or len(arg) == 1:
            break
        on = arg[0] == "-"
        i += 1
        for letter in arg[1:]:
            if letter == "c" and on:
                opts["command"] = True
            elif letter == "s" and on:
                opts["stdin"] = True
            elif letter in "o":
                if i >= n:
                    raise UsageError(f"{NAME}: -o: option requires an argument\n")
                name = args[i]
                i += 1
                if name not in SET_O_NAMES:
                    raise UsageError(f"{NAME}: line 0: {NAME}: {name}: invalid option name\n")
                opts["set"].append((name, on))
            elif letter == "O":
                if i >= n:
                    raise UsageError(f"{NAME}: -O: option requires an argument\n")
                opts["shopt"].append((args[i], on))
                i += 1
            elif letter == "i":
                opts["interactive"] = on
            elif letter == "l":
                opts["login"] = on
            elif letter in "rD":
                pass  # restricted / dump strings: not supported, accepted quietly
            elif letter in LETTER_OPTIONS:
                opts["set"].append((LETTER_OPTIONS[letter], on))
            else:
                raise UsageError(f"{NAME}: {arg[0]}{letter}: invalid option\n" + _usage())
    opts["operands"] = args[i:]
    if opts["command"]:
        if not opts["operands"]:
            raise UsageError(f"{NAME}: -c: option requires an argument\n")
    return opts


def main(argv: list | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 130
    except SystemExit:
        raise
    except BaseException as exc:  # the one place a bug becomes a line, not a traceback
        from pyshell.errors import internal_error
        _write(2, internal_error(exc))
        return 1


def _setup_signals() -> None:
    """Python ignores SIGPIPE and catches SIGINT; a non-interactive bash has both at
    their defaults, and programs must inherit the defaults."""
    import _signal as signal  # the C module: `signal` itself imports enum
    for sig in (signal.SIGPIPE, signal.SIGINT, signal.SIGXFSZ):
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (OSError, ValueError):
            pass


def _undo_locale_coercion() -> None:
    """Python sets LC_CTYPE when it coerces the C locale (PEP 538): the programs the shell
    starts must not see a variable the user never set (/proc/self/environ still holds
    the environment the shell was started with)."""
    if "LC_CTYPE" not in os.environ:
        return
    try:
        with open("/proc/self/environ", "rb") as f:
            initial = f.read()
    except OSError:
        return
    if not initial.startswith(b"LC_CTYPE=") and b"\0LC_CTYPE=" not in initial:
        del os.environ["LC_CTYPE"]


def _main(argv: list) -> int:
    _undo_locale_coercion()
    _setup_signals()
    from pyshell.interp.redirect import reserve_low_fds
    reserve_low_fds()
    try:
        opts = parse_args(argv)
    except UsageError as exc:
        _write(2, str(exc))
        return 2
    if opts["version"]:
        _write(1, _version())
        return 0
    if opts["help"]:
        _write(1, _version().splitlines()[0] + "\n" + _usage())
        return 0
    from pyshell.shell import Shell
    sys.setrecursionlimit(20000)
    operands = opts["operands"]
    if opts["command"]:
        text = operands[0]
        arg0 = operands[1] if len(operands) > 1 else NAME
        shell = Shell("c", operands[1] if len(operands) > 1 else None, arg0, operands[2:])
        shell.state.extra_dash_flags = "c"
        shell.state.set("BASH_EXECUTION_STRING", text)
        if not _apply_options(shell, opts):
            return 2
        if "noexec" in shell.state.options:
            return shell.parse_only(text)
        return shell.run_string(text, exec_last=True)
    if operands and not opts["stdin"]:
        path = operands[0]
        if os.path.isdir(path):
            _write(2, f"{path}: {path}: Is a directory\n")
            return 126
        shell = Shell("file", path, path, operands[1:])
        if not _apply_options(shell, opts):
            return 2
        return shell.run_file(path)
    shell = Shell("stdin", None, NAME, operands)
    shell.state.extra_dash_flags = "s"
    if not _apply_options(shell, opts):
        return 2
    if opts["interactive"] or (os.isatty(0) and os.isatty(2)):
        from pyshell.repl import run
        return shell._finish(run(shell, _startup_files(shell, opts)))
    return shell.run_stdin()


def _startup_files(shell, opts) -> list:
    """What an interactive bash sources: the login files for a login shell, else the
    system and the user's bashrc (or --rcfile FILE); none with --norc / --noprofile."""
    home = shell.state.get("HOME") or ""
    if opts["login"] or (sys.argv[0] or "").startswith("-"):
        shell.state.login_shell = True
        if opts["noprofile"]:
            return []
        files = ["/etc/profile"]
        for name in (".bash_profile", ".bash_login", ".profile"):
            path = os.path.join(home, name)
            if home and os.path.isfile(path):
                files.append(path)
                break
        return files
    if opts["norc"]:
        return []
    if opts["rcfile"]:
        return [opts["rcfile"]]
    from pyshell.repl import SYSTEM_RC
    return [SYSTEM_RC] + ([os.path.join(home, ".bashrc")] if home else [])


def _apply_options(shell, opts) -> bool:
    from pyshell.builtins.vars import SHOPT_NAMES
    for name, on in opts["set"]:
        shell.state.set_option(name, on)
    for name, on in opts["shopt"]:
        if name not in SHOPT_NAMES:
            _write(2, f"{NAME}: {name}: invalid shell option name\n")
            return False
        if on:
            shell.state.shopts.add(name)
        else:
            shell.state.shopts.discard(name)
    return True
