"""Non-local control flow of the shell language, carried by exceptions.

They never escape the interpreter: loops catch Break/Continue, function calls catch
Return, and the outermost runner (or a subshell's child process) catches Exit.
"""
from __future__ import annotations


class ControlFlow(Exception):
    """Base class: not an error, so never reported."""


class BreakLoop(ControlFlow):
    def __init__(self, levels: int = 1):
        super().__init__(levels)
        self.levels = levels


class ContinueLoop(ControlFlow):
    def __init__(self, levels: int = 1):
        super().__init__(levels)
        self.levels = levels


class ReturnFunc(ControlFlow):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class ExitShell(ControlFlow):
    """`exit N`, a fatal error, or `set -e`: leave the shell (or the current subshell)."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class AbortCommand(ControlFlow):
    """Abandon the rest of the current top-level command (its error is already
    reported); a non-interactive shell goes on with the next one."""

    def __init__(self, status: int = 1):
        super().__init__(status)
        self.status = status


class StagePipeClosed(ControlFlow):
    """A builtin run in-process as a pipeline stage wrote to a pipe nobody reads: the
    stage ends as if killed by SIGPIPE (status 141), silently, as in bash."""
