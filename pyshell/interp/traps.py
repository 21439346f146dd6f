"""Traps: signals recorded by a handler and run between commands; EXIT, ERR, RETURN,
DEBUG (and $BASH_COMMAND)."""
from __future__ import annotations

from pyshell.errors import ShellError
from pyshell.interp.control import ControlFlow, ExitShell
from pyshell.interp.jobs import WaitInterrupted


class TrapMixin:
    """Part of Interp (pyshell.interp.executor); uses its attributes."""

    def _run_err_trap(self, status: int) -> None:
        action = self.traps.get("ERR")
        if action:
            self.state.last_status = status
            self.in_trap += 1
            try:
                self.eval_string(action, "trap")
            finally:
                self.in_trap -= 1
            self.state.last_status = status

    # ---------------------------------------------------- DEBUG, $BASH_COMMAND
    def debug_trap(self, command) -> None:
        """Before `command` (a node, or the text bash shows for a for/case header or an
        arithmetic for step): it becomes $BASH_COMMAND and the DEBUG trap runs, except
        inside functions (unless set -T) and inside traps."""
        if self.in_trap:
            return
        self.current_command = command
        action = self.traps.get("DEBUG")
        if not action or (self.func_depth and "functrace" not in self.state.options):
            return
        st = self.state
        saved = st.last_status
        self.in_trap += 1
        try:
            self.eval_string(action, "trap")
        finally:
            self.in_trap -= 1
            st.last_status = saved

    def bash_command(self) -> str:
        """$BASH_COMMAND: the command running, or the one a trap is about."""
        command = self.current_command
        if command is None:
            return ""
        if isinstance(command, str):
            return command
        from pyshell.interp.printer import command_text
        return command_text(command)

    # ------------------------------------------------------------------- traps
    def on_signal(self, signum, frame=None) -> None:
        self.pending_signals.append(signum)
        if self.in_wait_builtin:
            # bash's `wait` returns 128+N at once when a trapped signal arrives
            raise WaitInterrupted(signum)

    def run_pending_traps(self) -> None:
        pending, self.pending_signals = self.pending_signals, []
        import signal
        for signum in pending:
            try:
                name = signal.Signals(signum).name[3:]
            except ValueError:
                continue
            action = self.traps.get(name)
            if action:
                saved = self.state.last_status
                self.in_trap += 1
                try:
                    self.eval_string(action, "trap")
                finally:
                    self.in_trap -= 1
                self.state.last_status = saved

    def run_exit_trap(self, status: int) -> int:
        """Run the EXIT trap once; `exit` inside it sets the final status."""
        action = self.traps.pop("EXIT", None)
        if not action or self.in_exit_trap:
            return status
        self.in_exit_trap = True
        self.state.last_status = status
        try:
            self.eval_string(action, "trap")
        except ExitShell as exc:
            return exc.status
        except (ControlFlow, ShellError):
            pass
        return status
