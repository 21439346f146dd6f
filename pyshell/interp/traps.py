"""Traps: signals recorded by a handler and run between commands; EXIT, ERR, RETURN."""
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
            self.eval_string(action, "trap")
            self.state.last_status = status

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
                self.eval_string(action, "trap")
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
