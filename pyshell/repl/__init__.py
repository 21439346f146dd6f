"""The interactive shell: prompts (PS1, PS2, PROMPT_COMMAND), line editing and TAB
completion through GNU readline, the command history (HISTFILE, history expansion, the
`history` builtin), startup files, and bash's interactive error handling (errors never
end the session; `exit` or end of input do).

On a terminal the shell controls jobs (pyshell/interp/jobcontrol.py): Ctrl-Z stops the
foreground job, `fg`, `bg` and `jobs` work on the jobs table, finished jobs are reported
before the next prompt.

Entry point: `run(shell, rcfiles)` with a pyshell.shell.Shell.
"""
from __future__ import annotations

import os
import re
import signal

from pyshell.errors import (DiscardCommand, FatalShellError, Incomplete, ParseError,
                            ShellError, write_stderr)
from pyshell.interp.control import AbortCommand, ControlFlow, ExitShell
from pyshell.interp.prompt import PromptInfo, expand as expand_prompt
from pyshell.repl.completion import Completer
from pyshell.repl.history import History, HistoryError
from pyshell.repl.lines import open_lines

# Lines after which bash joins the next line of a multi-line command with a blank,
# not with "; ", when it stores the command as one history entry.
_JOIN_WITH_BLANK = re.compile(r"(?:^|[\s;&|(){}])(?:do|then|else|elif|in|\{|\(|\|\||&&|\||;|&)$"
                              r"|[;&|({]$")
SYSTEM_RC = "/etc/bash.bashrc"


def run(shell, rcfiles) -> int:
    """Run the interactive loop after sourcing `rcfiles`; returns the exit status."""
    return Repl(shell).run(rcfiles)


class Repl:
    def __init__(self, shell):
        self.shell = shell
        self.interp = shell.interp
        self.state = shell.state
        shell.formatter.mode = "interactive"
        st = self.state
        st.set_option("interactive", True)
        st.set_option("histexpand", True)
        st.set_option("history", True)
        st.shopts.add("expand_aliases")
        home = st.get("HOME") or ""
        for name, value in (("PS1", "\\s-\\v\\$ "), ("PS2", "> "),
                            ("HISTFILE", os.path.join(home, ".bash_history")),
                            ("HISTSIZE", "500"), ("HISTFILESIZE", "500")):
            if st.get(name) is None and (name != "HISTFILE" or home):
                st.set(name, value)
        self.history = History(st)
        self.completer = Completer(self.interp)
        self.lines = open_lines(self.completer)
        self.history.on_add = self.lines.add_history
        self.interp.history = self.history   # for the `history` builtin
        self.interp.readline = self.lines.readline   # for `bind` (None: not editing)
        self.command_number = 1
        self.lineno = 0

    # ---------------------------------------------------------------- running
    def run(self, rcfiles) -> int:
        self._install_signals()
        self._start_job_control()
        try:
            for path in rcfiles:
                if os.path.isfile(path):
                    self._run_guarded(lambda path=path: self.interp.source_file(path))
        except ExitShell as exc:
            return exc.status   # `exit` in a startup file: quietly, as bash
        try:
            self.history.read()
            if self.lines.readline is not None:
                self.lines.load_history(self.history.entries)
            status = self._loop()
        except ExitShell as exc:
            if not getattr(exc, "quiet", False):
                write_stderr(self._goodbye())
            status = exc.status
        self._save_history()
        if self.interp.jobs.control is not None:
            self.interp.jobs.control.release()
        return status

    def _loop(self) -> int:
        st = self.state
        warned = False   # bash refuses to exit once when there are stopped jobs
        while True:
            text = self._read_command()
            if text is None:
                write_stderr(self._goodbye())
                if self._stopped_jobs_hold(warned):
                    warned = True
                    continue
                self._hang_up_jobs()
                return st.last_status
            try:
                self._run_text(text)
            except ExitShell:
                if not self._stopped_jobs_hold(warned, announce_exit=True):
                    self._hang_up_jobs()
                    raise
                st.last_status = 1   # the `exit` that did not exit failed
                warned = True
                continue
            warned = False

    def _read_command(self) -> str | None:
        """Lines up to a complete command (PS2 for the continuation lines), after
        history expansion; the command enters the history. None at end of input."""
        self._notify_jobs()
        self._prompt_command()
        lines: list = []
        while True:
            prompt = self._prompt("PS1" if not lines else "PS2")
            try:
                line = self.lines.read(prompt)
            except KeyboardInterrupt:
                # Ctrl-C discards the line being typed (readline in bash shows it as ^C)
                write_stderr("^C\n" if self.lines.readline is not None else "\n")
                self.state.last_status = 130
                lines = []
                self._prompt_command()
                continue
            if line is None:
                if not lines:
                    return None
                return "".join(lines)   # the parser reports the unexpected end
            self.lineno += 1
            if "histexpand" in self.state.options:
                try:
                    expanded, changed = self.history.expand(line.rstrip("\n"))
                except HistoryError as exc:
                    write_stderr(f"{self._name()}: {exc.message}\n")
                    lines = []
                    continue
                if changed:
                    write_stderr(expanded + "\n")
                    line = expanded + "\n"
                if self.history.print_only:
                    self.history.add(expanded)
                    lines = []
                    continue
            lines.append(line)
            text = "".join(lines)
            if not self._incomplete(text):
                if "history" in self.state.options:
                    self._add_history(lines)
                return text

    def _incomplete(self, text: str) -> bool:
        from pyshell.syntax import CommandReader
        reader = CommandReader(text, context=self._parse_context(), interactive=True)
        try:
            while reader.next_command() is not None:
                pass
        except Incomplete:
            return True
        except ParseError:
            return False
        return False

    def _run_text(self, text: str) -> None:
        from pyshell.syntax import CommandReader
        st = self.state
        reader = CommandReader(text, context=self._parse_context(),
                               first_line=max(1, self.lineno - text.count("\n") + 1))
        while True:
            try:
                cmd = reader.next_command()
            except ParseError as err:
                write_stderr(self.shell.formatter.syntax(err))
                if getattr(err, "recoverable", False):
                    st.last_status = err.status
                    continue
                st.last_status = 2
                return
            if cmd is None:
                return
            self.command_number += 1
            if "noexec" in st.options:
                continue
            self._run_guarded(lambda cmd=cmd: self.interp.execute(cmd))
            reader.parser.ctx = self._parse_context()   # aliases, extglob changed

    def _run_guarded(self, run) -> None:
        """Run shell code the interactive way: errors are reported, never fatal."""
        st = self.state
        interp = self.interp
        try:
            st.last_status = run()
        except ExitShell:
            raise
        except AbortCommand as exc:
            st.last_status = exc.status
        except DiscardCommand as exc:
            interp.error(exc.message)
            st.last_status = exc.status
        except FatalShellError as exc:
            interp.error(exc.message)
            st.last_status = 1
        except ControlFlow:
            pass
        except ShellError as exc:
            interp.error(exc.message)
            st.last_status = exc.status
        except KeyboardInterrupt:
            write_stderr("\n")
            st.last_status = 130

    def _parse_context(self):
        from pyshell.syntax import ParseContext
        st = self.state
        return ParseContext(aliases=st.aliases if "expand_aliases" in st.shopts else {},
                            extglob="extglob" in st.shopts)

    # ---------------------------------------------------------------- prompts
    def _prompt(self, name: str) -> str:
        text = self.state.get(name)
        if not text:
            return ""
        info = PromptInfo(history_number=self.history.next_number,
                          command_number=self.command_number,
                          readline=self.lines.readline is not None)
        try:
            return expand_prompt(self.interp, text, info)
        except (ShellError, KeyboardInterrupt):
            return text

    def _prompt_command(self) -> None:
        st = self.state
        commands = st.get_array("PROMPT_COMMAND") if st.get("PROMPT_COMMAND") is not None \
            else None
        if not commands:
            return
        saved = st.last_status
        for key in sorted(commands):
            code = commands[key]
            if code:
                self._run_guarded(lambda code=code: self.interp.eval_string(
                    code, name="PROMPT_COMMAND"))
        st.last_status = saved

    def _goodbye(self) -> str:
        """What bash prints when the session ends: `logout` for a login shell."""
        return "logout\n" if getattr(self.state, "login_shell", False) else "exit\n"

    def _name(self) -> str:
        from pyshell.errors import SHELL_NAME
        return SHELL_NAME

    # ---------------------------------------------------------------- history
    def _add_history(self, lines: list) -> None:
        entry = lines[0].rstrip("\n")
        for line in lines[1:]:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if "<<" in entry or "cmdhist" not in self.state.shopts or \
                    "lithist" in self.state.shopts:
                entry += "\n" + line
            elif _JOIN_WITH_BLANK.search(entry.rstrip()):
                entry = entry.rstrip() + " " + line.lstrip()
            else:
                entry = entry.rstrip() + "; " + line.lstrip()
        self.history.add(entry)

    def _save_history(self) -> None:
        if "history" in self.state.options:
            self.history.write(append_new="histappend" in self.state.shopts)

    # ----------------------------------------------------------- job control
    def _start_job_control(self) -> None:
        from pyshell.interp import jobcontrol
        control = jobcontrol.start(self._name(), interactive=True)
        self.interp.jobs.control = control
        self.state.set_option("monitor", control is not None)

    def _notify_jobs(self) -> None:
        control = self.interp.jobs.control
        if control is not None:
            control.notify(self.interp)

    def _stopped_jobs_hold(self, warned: bool, announce_exit: bool = False) -> bool:
        """True when the shell stays: stopped jobs, and no warning just before."""
        control = self.interp.jobs.control
        if warned or control is None or not control.has_stopped(self.interp):
            return False
        write_stderr(("exit\n" if announce_exit else "") + "There are stopped jobs.\n")
        return True

    def _hang_up_jobs(self) -> None:
        control = self.interp.jobs.control
        if control is not None:
            control.hang_up(self.interp)

    # ---------------------------------------------------------------- signals
    def _install_signals(self) -> None:
        """bash ignores SIGTERM and SIGQUIT and survives SIGTSTP when interactive; SIGINT
        cancels the line or the running command. Python-level handlers (not SIG_IGN) so
        that the programs it starts get the default dispositions."""
        def ignore(signum, frame):
            pass
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig in (signal.SIGTERM, signal.SIGQUIT, signal.SIGTSTP, signal.SIGTTIN,
                    signal.SIGTTOU):
            try:
                signal.signal(sig, ignore)
            except (OSError, ValueError):
                pass
        try:
            from pyshell.launch import signals_changed
            signals_changed()
        except ImportError:
            pass
