"""Static checks on syntax tree nodes: what expanding or running them could change.

They let the interpreter skip a fork when the result is provably the same: a pipeline
stage or command substitution whose words have no side effects is expanded in the
shell and spawned; output-only builtins run in the shell itself.
"""
from __future__ import annotations

from pyshell.syntax import ast

# builtins that only write output: `$(echo x)` and `echo x | prog` run them in-process
# (no fork) because nothing they do can be observed outside their own output
OUTPUT_ONLY_BUILTINS = frozenset({"echo", "printf", "pwd", "true", "false", ":"})


_SUBSHELL_VISIBLE = frozenset({"BASHPID", "BASH_SUBSHELL"})


_INERT_PARTS = (ast.Lit, ast.Escaped, ast.SQ, ast.ANSI, ast.Tilde, ast.BraceRange)


_ASSIGNING_OPS = frozenset({"=", ":="})


def _inert_parts(parts) -> bool:
    """True when expanding these parts cannot change shell state (so a pipeline stage
    or command substitution may expand them in the parent and spawn without forking).
    Errors are fine: the caller reports them as the stage's failure."""
    for p in parts:
        if isinstance(p, _INERT_PARTS):
            continue
        if isinstance(p, ast.DQ):
            if not _inert_parts(p.parts):
                return False
        elif isinstance(p, ast.Param):
            if p.op in _ASSIGNING_OPS or p.subscript is not None:
                return False
            if p.arg is not None and not _inert_parts(p.arg.parts):
                return False
            if p.arg2 is not None and not _inert_parts(p.arg2.parts):
                return False
        elif isinstance(p, ast.CmdSub):
            continue  # runs in its own subshell anyway
        elif isinstance(p, ast.Brace):
            for alt in p.alternatives:
                if not _inert_parts(alt):
                    return False
        else:
            return False  # ArithSub (may assign), ProcSub, ExtGlob...
    return True


def _mentions(parts, names) -> bool:
    for p in parts:
        if isinstance(p, ast.Param):
            if p.name in names:
                return True
        elif isinstance(p, ast.DQ) and _mentions(p.parts, names):
            return True
    return False


def _literal_name(word) -> str | None:
    parts = word.parts
    if len(parts) == 1:
        p = parts[0]
        if isinstance(p, (ast.Lit, ast.SQ)):
            return p.text
    return None


def _no_substitutions(parts) -> bool:
    """No command substitutions: expanding these parts again has no side effects."""
    for p in parts:
        if isinstance(p, (ast.CmdSub, ast.ProcSub, ast.ArithSub)):
            return False
        if isinstance(p, ast.DQ) and not _no_substitutions(p.parts):
            return False
        if isinstance(p, ast.Param) and (p.op in _ASSIGNING_OPS or p.arg is not None
                                         and not _no_substitutions(p.arg.parts)):
            return False
    return True


def _pure_literal(parts) -> bool:
    for p in parts:
        if isinstance(p, ast.DQ):
            if not _pure_literal(p.parts):
                return False
        elif not isinstance(p, (ast.Lit, ast.SQ, ast.ANSI, ast.Escaped)):
            return False
    return True


def _single_command(seq):
    if len(seq.items) != 1 or seq.items[0].background:
        return None
    cmd = seq.items[0].command
    if isinstance(cmd, ast.Pipeline) and len(cmd.commands) == 1 and not cmd.negate \
            and not cmd.time:
        cmd = cmd.commands[0]
    return cmd
