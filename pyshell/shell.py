"""The one facade the command line (and later the REPL) uses to run shell code.

A Shell owns the State and the interpreter. It reads and runs ONE top-level command at
a time, so commands before a syntax error run, aliases and `shopt -s extglob` take
effect for the following commands, and `set -v` echoes each command as it is read.
"""
from __future__ import annotations

import os

from pyshell.errors import (SHELL_NAME, DiscardCommand, ErrorFormatter, FatalShellError,
                            Incomplete, ParseError, ShellError, write_stderr)
from pyshell.interp.control import AbortCommand, ControlFlow, ExitShell
from pyshell.interp.executor import Interp
from pyshell.interp.state import State


class Shell:
    def __init__(self, mode: str = "c", script_name: str | None = None,
                 arg0: str = "pywarmsh", args=(), environ: dict | None = None):
        self.state = State(dict(os.environ) if environ is None else environ)
        self.state.arg0 = arg0
        self.state.positional = list(args)
        self.state.pipestatus = []  # no pipeline has run yet
        self.formatter = ErrorFormatter(mode, script_name)
        self.interp = Interp(self.state, self.formatter)
        self._init_variables()

    def _init_variables(self) -> None:
        st = self.state
        st.globals.pop("_", None)  # $_ is the interpreter's (last argument of a command)
        from pyshell import BASH_COMPAT_VERSION
        defaults = {
            "IFS": " \t\n", "PS4": "+ ", "OPTIND": "1", "OPTERR": "1",
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
            elif st.get(name) is None or name == "PS4" and os.geteuid() == 0:
                # bash (4.4 and later) running as root does not take PS4's value from
                # the environment (the variable stays exported): traces would run it
                st.set(name, value)
        if st.get("HOSTNAME") is None:
            st.set("HOSTNAME", os.uname().nodename)
        # what bash sets when the environment does not: the user's login shell, a
        # terminal type, where `enable -f` looks for loadable builtins
        if st.get("SHELL") is None:
            st.set("SHELL", _login_shell())
        if st.get("TERM") is None:
            st.set("TERM", "dumb")
        if st.get("BASH_LOADABLES_PATH") is None:
            st.set("BASH_LOADABLES_PATH", "/usr/local/lib/bash:/usr/lib/bash:"
                   "/opt/local/lib/bash:/usr/pkg/lib/bash:/opt/pkg/lib/bash:.")
        release = BASH_COMPAT_VERSION.split("(")[0].split(".")      # 5.2.15(1)-release
        build = BASH_COMPAT_VERSION.split("(")[1].split(")")[0]
        status = BASH_COMPAT_VERSION.split("-", 1)[1]
        st.set_array("BASH_VERSINFO", dict(enumerate(
            release + [build, status, os.uname().machine + "-pc-linux-gnu"])))
        st.set_attr("BASH_VERSINFO", "r")
        if st.get("GROUPS") is None:
            st.set_array("GROUPS", dict(enumerate(str(g) for g in _groups())))
        self._import_options()
        if st.get("PWD") is None or not _same_dir(st.get("PWD"), "."):
            try:
                st.set("PWD", os.getcwd())
                st.set_attr("PWD", "x")
            except OSError:
                pass

    def _import_options(self) -> None:
        """SHELLOPTS and BASHOPTS from the environment: their options are turned on
        before anything runs (an unknown `set -o` name is reported, an unknown shopt
        name ignored, as bash does)."""
        imported = self.state.imported_options
        if not imported:
            return
        from pyshell.builtins.vars import SET_O_NAMES, SHOPT_NAMES
        for name in imported.get("SHELLOPTS", "").split(":"):
            if name in SET_O_NAMES:
                self.state.set_option(name, True)
            elif name:
                # reported before any input is read: bash's line 0, under its own name
                write_stderr(f"{SHELL_NAME}: line 0: {name}: invalid option name\n")
        for name in imported.get("BASHOPTS", "").split(":"):
            if name in SHOPT_NAMES:
                self.state.shopts.add(name)

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
        if text and not text.endswith("\n"):
            # bash reads a script file by lines and ends the last one as if it had a
            # newline: a final backslash continues onto nothing (unlike -c, eval, source)
            text += "\n"
        self.interp.current_source = path
        self.state.source_stack.insert(0, path)
        return self._finish(self._run_text(text))

    def run_stdin(self) -> int:
        """Commands from fd 0, read a line at a time like bash: whatever a command
        reads from stdin is no longer part of the script."""
        return self._finish(self._run_reader(_StdinCommands(self)))

    def parse_only(self, text: str) -> int:
        """-n: check syntax, run nothing."""
        self.state.set_option("noexec", True)
        return self._run_text(text)

    def _run_text(self, text: str, exec_last: bool = False) -> int:
        return self._run_reader(_TextCommands(self, text), exec_last)

    def _run_reader(self, source, exec_last: bool = False) -> int:
        st = self.state
        interp = self.interp
        status = 0
        while True:
            try:
                cmd = source.next_command()
            except ParseError as err:
                source.report_warnings()
                if "verbose" in st.options:
                    write_stderr(source.rest())
                silent = getattr(err, "silent_eof", False)
                if err.message or not silent:    # `[[ ]]`: bash says nothing
                    write_stderr(self.formatter.syntax(err))
                if getattr(err, "recoverable", False):
                    # inside name=( ... ): bash drops the rest of that line, goes on
                    status = st.last_status = err.status
                    continue
                if self.formatter.mode in ("file", "stdin") and \
                        err.message.startswith("unexpected EOF while looking for matching"):
                    return st.last_status or 2  # bash keeps a failing $? here
                if silent:
                    # bash leaves a [[ ]] syntax error with $?; one where the input
                    # ended inside the [[ with $? or, when that is 0, 2
                    if err.at_eof:
                        return st.last_status or 2
                    if getattr(err, "cmdsub_depth", 0):
                        return st.last_status or 1   # inside $( ): bash's status
                    return st.last_status
                st.last_status = 2
                return 2
            source.report_warnings()
            if "verbose" in st.options:
                write_stderr(source.last_text())
            if cmd is None:
                return status
            if "noexec" in st.options:
                continue
            if exec_last and source.at_end():
                interp.exec_last = _last_simple(cmd)
            try:
                status = interp.execute(cmd)
            except ExitShell as exc:
                return exc.status
            except AbortCommand as exc:
                status = st.last_status = exc.status
            except DiscardCommand as exc:
                interp.error(exc.message)
                status = st.last_status = exc.status
            except FatalShellError as exc:
                interp.error(exc.message)
                return interp.fatal_status(exc)
            except ControlFlow:
                status = st.last_status
            except ShellError as exc:
                interp.error(exc.message)
                status = st.last_status = exc.status

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


# `set -o` names in the order SHELLOPTS lists them (bash's option table)
def _login_shell() -> str:
    import pwd
    try:
        return pwd.getpwuid(os.getuid()).pw_shell or "/bin/sh"
    except (KeyError, OSError):
        return "/bin/sh"


def _groups() -> list:
    """$GROUPS: the effective group, then the supplementary ones."""
    gid = os.getegid()
    try:
        others = os.getgroups()
    except OSError:
        others = []
    return [gid] + [g for g in others if g != gid]


def _same_dir(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


class _TextCommands:
    """Top-level commands of a text held in memory (-c STRING, a script file)."""

    def __init__(self, shell, text: str):
        from pyshell.syntax import CommandReader, ParseContext
        self.shell = shell
        self.text = text
        self.ctx = ParseContext()
        self.reader = CommandReader(text, context=self.ctx)
        self.start = self.end = 0
        self.warned = 0

    def next_command(self):
        st = self.shell.state
        self.ctx.extglob = "extglob" in st.shopts
        self.ctx.aliases = st.aliases if "expand_aliases" in st.shopts else {}
        self.start = self.end
        cmd = self.reader.next_command()
        self.end = self.reader.offset
        return cmd

    def report_warnings(self) -> None:
        warnings = self.reader.warnings
        while self.warned < len(warnings):
            line, msg = warnings[self.warned]
            self.warned += 1
            write_stderr(self.shell.formatter.prefix(line) + msg + "\n")

    def last_text(self) -> str:
        return _source_lines(self.text, self.start, self.end)

    def rest(self) -> str:
        return self.text[self.start:]

    def at_end(self) -> bool:
        rest = self.text[self.end:]
        return all(not line.strip(" \t;") or line.lstrip().startswith("#")
                   for line in rest.split("\n"))


class _StdinCommands:
    """Top-level commands read from fd 0 a line at a time. On a seekable input the
    shell reads blocks and seeks back to the end of the line it used, as bash does;
    otherwise it reads byte by byte so nothing meant for commands is consumed."""

    def __init__(self, shell):
        self.shell = shell
        self.buffer = ""
        self.line = 1
        self.eof = False
        self.last = ""
        self.pending_warnings = []
        try:
            os.lseek(0, 0, os.SEEK_CUR)
            self.seekable = True
        except OSError:
            self.seekable = False

    def _read_line(self) -> str:
        data = bytearray()
        while True:
            try:
                chunk = os.read(0, 4096 if self.seekable else 1)
            except InterruptedError:
                continue
            except OSError:
                chunk = b""
            if not chunk:
                self.eof = True
                if data and not data.endswith(b"\n"):
                    data += b"\n"   # as for a script file (see run_file)
                break
            nl = chunk.find(b"\n")
            if nl >= 0:
                data += chunk[:nl + 1]
                extra = len(chunk) - nl - 1
                if extra and self.seekable:
                    os.lseek(0, -extra, os.SEEK_CUR)
                break
            data += chunk
        return data.decode("utf-8", "surrogateescape")

    def next_command(self):
        from pyshell.syntax import CommandReader, ParseContext
        st = self.shell.state
        while True:
            if self.eof and not self.buffer.strip():
                self.last = ""
                return None
            if not self.buffer.endswith("\n") and not self.eof:
                self.buffer += self._read_line()
                continue
            ctx = ParseContext(aliases=st.aliases if "expand_aliases" in st.shopts else {},
                               extglob="extglob" in st.shopts)
            # while more input may come, an open here-document asks for more lines
            reader = CommandReader(self.buffer, context=ctx, first_line=self.line,
                                   interactive=not self.eof)
            try:
                cmd = reader.next_command()
            except Incomplete:
                if self.eof:
                    raise
                self.buffer += self._read_line()
                continue
            except ParseError as err:
                if getattr(err, "recoverable", False):
                    # the reader has moved past the erroneous line: so do we
                    used = self.buffer[:reader.offset]
                    self.line += used.count("\n")
                    self.buffer = self.buffer[reader.offset:]
                elif getattr(err, "at_eof", False) and not self.eof:
                    # the [[ ]] error met the end of what was read so far: is it the
                    # end of the input? (the shell stops reading after this error)
                    more = self._read_line()
                    self.buffer += more
                    err.at_eof = not more and self.eof
                    if not err.at_eof:
                        err.followups = [f for f in err.followups
                                         if not f[1].startswith("unexpected EOF")]
                raise
            used = self.buffer[:reader.offset]
            self.pending_warnings = list(reader.warnings)
            self.last = used
            self.line += used.count("\n")
            self.buffer = self.buffer[reader.offset:]
            if cmd is None:
                self.line += self.buffer.count("\n")
                self.buffer = ""
                continue
            return cmd

    def report_warnings(self) -> None:
        for line, msg in self.pending_warnings:
            write_stderr(self.shell.formatter.prefix(line) + msg + "\n")
        self.pending_warnings = []

    def last_text(self) -> str:
        text = self.last
        return text if not text or text.endswith("\n") else text + "\n"

    def rest(self) -> str:
        return self.buffer

    def at_end(self) -> bool:
        return False
