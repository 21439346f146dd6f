"""Pipelines: real pipes between concurrently running stages. Programs are spawned,
shell code forks, and an output-only builtin at the head runs in the shell itself."""
from __future__ import annotations

import os

from pyshell import builtins as _builtins
from pyshell.errors import DiscardCommand, FatalShellError, ShellError, write_stderr
from pyshell.interp.control import AbortCommand, StagePipeClosed
from pyshell.interp.inert import (OUTPUT_ONLY_BUILTINS, _SUBSHELL_VISIBLE, _inert_parts,
                                  _literal_name, _mentions, _single_command)
from pyshell.interp.jobs import Started, wait_pid
from pyshell.syntax import ast

_GLOB_CHARS = frozenset("*?[")


class PipelineMixin:
    """Part of Interp (pyshell.interp.executor); uses its attributes."""

    # ----------------------------------------------------------------- pipelines
    def exec_pipeline(self, node) -> int:
        if node.time:
            return self._timed(node)
        cmds = node.commands
        if not cmds:  # a lone `!`
            status = 1 if node.negate else 0
            self.state.pipestatus = [status]
            return status
        if len(cmds) == 1:
            if node.negate:
                status = 0 if self.guarded(cmds[0]) else 1
                self.state.pipestatus = [status]
                return status
            return self.execute(cmds[0])
        statuses = self._run_stages(node)
        if self.jobs.children:
            self.report_killed_jobs()
        self.state.pipestatus = statuses
        status = statuses[-1]
        if "pipefail" in self.state.options:
            for s in reversed(statuses):
                if s:
                    status = s
                    break
        if node.negate:
            return 0 if status else 1
        self.check_errexit(status)
        return status

    def _run_stages(self, node) -> list:
        jc = self.jobs.control
        if jc is not None and jc.on(self):
            return jc.run_pipeline(self, node)   # every stage a child, in one group
        first = self._inprocess_candidate(node.commands[0])
        if first is not None and not (node.stderr_pipes and node.stderr_pipes[0]):
            return self._run_stages_with_builtin_head(node, first)
        return self._run_stages_forked(node)

    def _run_stages_with_builtin_head(self, node, first) -> list:
        """`echo x | prog`: start the other stages, then run the builtin right here
        with its stdout on the first pipe. Its words are expanded (and traced) first,
        as the first stage would be."""
        import signal
        self.state.lineno = first.line
        if not self.in_trap:
            self.current_command = first
            if "DEBUG" in self.traps:
                self.debug_trap(first)
        argv = None
        try:
            argv = self.expander.words(first.words)
        except FatalShellError as exc:
            self.error(exc.message)
            head = self.fatal_status(exc)
        except ShellError as exc:
            self.error(exc.message)
            head = exc.status
        if argv is not None and "xtrace" in self.state.options:
            self._trace_words(argv)
        r, w = os.pipe()
        try:
            rest = ast.Pipeline(node.commands[1:], stderr_pipes=node.stderr_pipes[1:],
                                line=node.line)
            started = self._start_stages(rest, r, [w])
        except BaseException:
            os.close(w)
            raise
        if argv is None:
            os.close(w)
        else:
            frame = self.redirector.plumb([(w, 1)])
            os.close(w)
            old = signal.signal(signal.SIGPIPE, signal.SIG_IGN)
            self.pipe_stage = True
            try:
                head = self.call_builtin(_builtins.lookup(argv[0]), argv)
            except StagePipeClosed:
                head = 128 + signal.SIGPIPE
            finally:
                self.pipe_stage = False
                signal.signal(signal.SIGPIPE, old)
                self.redirector.restore(frame)
        return [head] + [wait_pid(s.pid) if isinstance(s, Started) else s for s in started]

    def _run_stages_forked(self, node) -> list:
        return [wait_pid(s.pid) if isinstance(s, Started) else s
                for s in self._start_stages(node, None)]

    def _start_stages(self, node, first_input, close_in_children=()) -> list:
        cmds = node.commands
        pipes = node.stderr_pipes
        last = len(cmds) - 1
        started = []
        prev_read = first_input
        try:
            for i, cmd in enumerate(cmds):
                if i < last:
                    r, w = os.pipe()
                else:
                    r = w = None
                with_stderr = i < len(pipes) and pipes[i]
                moves = []
                if prev_read is not None:
                    moves.append((prev_read, 0))
                if w is not None:
                    moves.append((w, 1))
                    if with_stderr:
                        moves.append((w, 2))
                try:
                    started.append(self.start_async(
                        cmd, moves, [*close_in_children, *([r] if r is not None else [])],
                        defer=True))
                finally:
                    if prev_read is not None:
                        os.close(prev_read)
                    if w is not None:
                        os.close(w)
                prev_read = r
        finally:
            if prev_read is not None and len(started) <= last:
                os.close(prev_read)
            self._finish_launches(started)
        return started

    def _finish_launches(self, started) -> None:
        """Stages whose programs were only requested (see run_program): their pids, or
        the status of a start that failed after all."""
        for i, s in enumerate(started):
            if isinstance(s, Started) and type(s.pid) is not int:
                pending = s.pid
                from pyshell.launch import finish   # loaded: it made the pending launch
                try:
                    s.pid = finish(pending)
                except OSError as exc:
                    req = pending.req
                    started[i] = self.exec_failure(exc, req.argv[0], req.path, req.argv,
                                                   req.env)

    def start_async(self, cmd, moves, close_in_child=(), defer: bool = False):
        """Start `cmd` with the fd `moves` (src, dst) applied, without waiting: returns
        Started(pid), or an int status when it failed before a process existed."""
        simple = self._spawn_candidate(cmd, pipeline_stage=True)
        if simple is not None:
            frame = self.redirector.plumb(moves)
            last_arg = self.last_arg  # $_ is set by commands the shell itself runs
            deferred = self.deferred_stage
            self.deferred_stage = simple if defer else None
            try:
                return self._run_simple(simple, async_=True)
            except FatalShellError as exc:
                self.error(exc.message)
                return self.fatal_status(exc)
            except DiscardCommand as exc:
                self.error(exc.message)
                return exc.status
            except AbortCommand as exc:
                return exc.status
            finally:
                self.deferred_stage = deferred
                self.last_arg = last_arg
                self.redirector.restore(frame)
        return Started(self.fork(lambda: self._stage_body(cmd), moves, close_in_child))

    def _stage_body(self, cmd) -> int:
        """A forked stage: a simple command that is itself a pipeline element neither
        runs the ERR trap nor ends the shell under set -e (the pipeline does, in the
        parent); anything else runs as usual."""
        if isinstance(cmd, ast.Simple):
            return self._run_simple(cmd, False)
        return self.execute(cmd)

    def _inprocess_candidate(self, cmd):
        """The Simple node if `cmd` is an output-only builtin that may run without a
        subshell (no redirections, assignments or subshell-visible expansions)."""
        if isinstance(cmd, ast.Pipeline):
            if len(cmd.commands) != 1 or cmd.negate or cmd.time:
                return None
            cmd = cmd.commands[0]
        if not isinstance(cmd, ast.Simple) or not cmd.words or cmd.assigns or cmd.redirs:
            return None
        name = _literal_name(cmd.words[0])
        if name not in OUTPUT_ONLY_BUILTINS or name in self.state.functions:
            return None
        if name == "printf" and len(cmd.words) > 1 and cmd.words[1].text.startswith("-v"):
            return None
        for w in cmd.words:
            if not _inert_parts(w.parts) or _mentions(w.parts, _SUBSHELL_VISIBLE):
                return None
        return cmd

    def _spawn_candidate(self, cmd, pipeline_stage: bool = False):
        """The Simple node if `cmd` may be expanded in the parent and then spawned."""
        if isinstance(cmd, ast.Pipeline):
            if len(cmd.commands) != 1 or cmd.negate or cmd.time:
                return None
            cmd = cmd.commands[0]
        if not isinstance(cmd, ast.Simple) or not cmd.words:
            return None
        name = _literal_name(cmd.words[0])
        if name is None:
            return None
        fdef = self.state.functions.get(name)
        if fdef is not None:
            # f args, where f's body is one program: spawned inside the call's context
            if cmd.assigns or cmd.redirs or _GLOB_CHARS.intersection(name) \
                    or self._spawnable_body(fdef) is None:
                return None
        elif _builtins.lookup(name):
            return None
        for w in cmd.words:
            if not _inert_parts(w.parts):
                return None
            # a subshell would see its own $BASH_SUBSHELL; bash does not count a
            # program's own pipeline stage as one
            if (fdef is not None or not pipeline_stage) \
                    and _mentions(w.parts, _SUBSHELL_VISIBLE):
                return None
        for a in cmd.assigns:
            if a.array is not None or a.subscript is not None \
                    or (a.value is not None and not _inert_parts(a.value.parts)):
                return None
        for r in cmd.redirs:
            if r.varname or (r.target is not None and not _inert_parts(r.target.parts)) \
                    or r.heredoc is not None and not r.heredoc.quoted:
                return None
        return cmd

    def _spawnable_body(self, fdef):
        """The Simple node when function `fdef` is `{ prog args; }`: one program (not a
        function or builtin) with side-effect-free expansions and no redirections of
        the function or its braces; else None."""
        body = fdef.body
        if fdef.redirs or type(body) is not ast.BraceGroup or body.redirs:
            return None
        inner = _single_command(body.body)
        if type(inner) is not ast.Simple or not inner.words:
            return None
        name = _literal_name(inner.words[0])
        if name is None or name in self.state.functions:
            return None
        return self._spawn_candidate(inner)

    def _timed(self, node) -> int:
        import time
        t0 = time.monotonic()
        c0 = os.times()
        inner = ast.Pipeline(node.commands, negate=node.negate,
                             stderr_pipes=node.stderr_pipes, line=node.line)
        status = self.exec_pipeline(inner) if inner.commands else 0
        real = time.monotonic() - t0
        c1 = os.times()
        user = (c1.user - c0.user) + (c1.children_user - c0.children_user)
        sys_ = (c1.system - c0.system) + (c1.children_system - c0.children_system)
        if node.time_posix:
            text = f"real {real:.2f}\nuser {user:.2f}\nsys {sys_:.2f}\n"
        else:
            def fmt(t):
                return "%dm%.3fs" % (int(t // 60), t - 60 * int(t // 60))
            text = f"\nreal\t{fmt(real)}\nuser\t{fmt(user)}\nsys\t{fmt(sys_)}\n"
        write_stderr(text)
        return status
