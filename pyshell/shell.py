"""The one facade the command line (and later the REPL) uses to run shell code.

A Shell owns the State and the interpreter. It reads and runs ONE top-level command at
a time, so commands before a syntax error run, aliases and `shopt -s extglob` take
effect for the following commands, and `set -v` echoes each command as it is read.
"""
from __future__ import annotations

import os

from pyshell.errors import (ErrorFormatter, FatalShellError, ParseError, ShellError,
                            write_stderr)
from pyshell.interp.control import ControlFlow, ExitShell
from pyshell.interp.executor import Interp
from pyshell.interp.state import State


class Shell:
    def __init__(self, mode: str = "c", script_name: str | None = None,
                 arg0: str = "pywarmsh", args=(), environ: dict | None = None):
        self.state = State(dict(os.environ) if environ is None else environ)
        self.state.arg0 = arg0
        self.state.positional = list(args)
        self.formatter = ErrorFormatter(mode, script_name)
        self.interp = Interp(self.state, self.formatter)
        self._init_variables()

    def _init_variables(self) -> None:
        st = self.state
        from pyshell import BASH_COMPAT_VERSION
        defaults = {
            "IFS": " \t\n", "PS4": "+ ", "PS2": "> ", "PS1": "\\s-\\v\\$ ", "OPTIND": "1",
            "BASH_VERSION": BASH_COMPAT_VERSION, "SHLVL": None, "PPID": str(os.getppid()),
            "HOSTTYPE": os.uname().machine, "MACHTYPE": os.uname().machine + "-pc-linux-gnu",
            "OSTYPE": "linux-gnu", "UID": str(os.getuid()), "EUID": str(os.geteuid()),
            "BASH": os.environ.get("PYWARMSH_PATH", "/usr/local/bin/pywarmsh"),
        }
        for name, value in defaults.items():
            if name == "SHLVL":
                try:
                    level = int(os.environ.get("SHLVL", "0")) + 1
                except ValueError:
                    level = 1
                st.set("SHLVL", str(level))
                st.set_attr("SHLVL", "x")
            elif st.get(name) is None:
                st.set(name, value)
        if st.get("PWD") is None or not _same_dir(st.get("PWD"), "."):
            try:
                st.set("PWD", os.getcwd())
                st.set_attr("PWD", "x")
            except OSError:
                pass

    # ------------------------------------------------------------------ options
    def set_option_letter(self, letter: str, on: bool) -> bool:
        from pyshell.builtins.vars import LETTER_OPTIONS
        name = LETTER_OPTIONS.get(letter)
        if name is None:
            return False
        self.state.set_option(name, on)
        return True

    # ----------------------------------------------------------------- running
    def run_string(self, text: str, exec_last: bool = False) -> int:
        return self._finish(self._run_text(text, exec_last))

    def run_file(self, path: str) -> int:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as exc:
            write_stderr(f"pywarmsh: {path}: {exc.strerror}\n")
            return 126 if exc.errno == 21 else 127
        text = data.decode("utf-8", "surrogateescape")
        self.interp.current_source = path
        self.state.source_stack.insert(0, path)
        return self._finish(self._run_text(text))

    def run_stdin(self) -> int:
        chunks = []
        while True:
            try:
                chunk = os.read(0, 65536)
            except InterruptedError:
                continue
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return self._finish(self._run_text(b"".join(chunks).decode("utf-8", "surrogateescape")))

    def parse_only(self, text: str) -> int:
        """-n: check syntax, run nothing."""
        self.state.set_option("noexec", True)
        return self._run_text(text)

    def _run_text(self, text: str, exec_last: bool = False) -> int:
        from pyshell.syntax import CommandReader, ParseContext
        st = self.state
        interp = self.interp
        ctx = ParseContext()
        reader = CommandReader(text, context=ctx)
        status = 0
        start = 0
        try:
            while True:
                ctx.extglob = "extglob" in st.shopts
                ctx.aliases = st.aliases if "expand_aliases" in st.shopts else {}
                try:
                    cmd = reader.next_command()
                except ParseError as err:
                    if "verbose" in st.options:
                        write_stderr(text[start:])
                    write_stderr(self.formatter.syntax(err))
                    st.last_status = 2
                    return 2
                end = reader.offset
                if "verbose" in st.options:
                    write_stderr(_source_lines(text, start, end))
                start = end
                if cmd is None:
                    return status
                if "noexec" in st.options:
                    continue
                if exec_last and not text[end:].strip(" \t\n;"):
                    interp.exec_last = _last_simple(cmd)
                status = interp.execute(cmd)
        except ExitShell as exc:
            return exc.status
        except FatalShellError as exc:
            interp.error(exc.message)
            return exc.status
        except ControlFlow:
            return st.last_status
        except ShellError as exc:
            interp.error(exc.message)
            return exc.status

    def _finish(self, status: int) -> int:
        status = self.interp.run_exit_trap(status)
        return status & 255


def _source_lines(text: str, start: int, end: int) -> str:
    """The input lines set -v echoes for a command read from text[start:end]."""
    chunk = text[start:end]
    if not chunk:
        return ""
    if not chunk.endswith("\n"):
        nl = text.find("\n", end)
        chunk = text[start:] if nl < 0 else text[start:nl + 1]
        if not chunk.endswith("\n"):
            chunk += "\n"
    return chunk


def _last_simple(seq):
    """The simple command `-c` may exec directly: the last one of the last list."""
    from pyshell.syntax import ast
    if not seq.items or seq.items[-1].background:
        return None
    cmd = seq.items[-1].command
    if isinstance(cmd, ast.Pipeline):
        if len(cmd.commands) != 1 or cmd.negate or cmd.time:
            return None
        cmd = cmd.commands[0]
    if isinstance(cmd, ast.AndOr):
        return None
    return cmd if isinstance(cmd, ast.Simple) else None


def _same_dir(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
