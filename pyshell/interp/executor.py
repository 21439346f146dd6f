"""The command interpreter: walks pyshell.syntax.ast command nodes.

`Interp` is the object builtins and the expander receive as `sh`. Commands run in the
shell process itself; only subshells, pipeline stages that run shell code, command
substitutions with shell-code bodies and `&` jobs fork. External programs are always
started through pyshell.launch, never by forking the interpreter.

The class is assembled from mixins, one per area: pipelines.py (pipelines),
subshells.py (subshells, substitutions, background jobs), tracing.py (set -x) and
traps.py; this module holds dispatch, simple commands, functions and compound commands.
"""
from __future__ import annotations

import os

from pyshell import builtins as _builtins
from pyshell.errors import (DiscardCommand, ErrorFormatter, FatalShellError, ParseError,
                            ShellError, internal_error, write_stderr)
from pyshell.interp.control import (AbortCommand, BreakLoop, ContinueLoop, ControlFlow,
                                    ExitShell, ReturnFunc, StagePipeClosed)
from pyshell.interp.inert import _no_substitutions
from pyshell.interp.jobs import (Jobs, Started, WaitInterrupted,  # noqa: F401 (re-export)
                                 decode_status, wait_pid, wait_pid_raw)
from pyshell.interp.lookup import CommandHash
from pyshell.interp.pipelines import PipelineMixin
from pyshell.interp.redirect import Redirector
from pyshell.interp.state import EXPORT, State, VarError
from pyshell.interp.subshells import SubshellMixin
from pyshell.interp.tracing import TraceMixin
from pyshell.interp.traps import TrapMixin
from pyshell.syntax import ast

DECLARATION_BUILTINS = frozenset({"declare", "typeset", "local", "export", "readonly"})
FUNCNEST_LIMIT = 1000  # deeper shell recursion would exhaust Python's stack


# fatal expansion errors after which even `bash -c` exits with status 1
FATAL_STATUS_1 = ("invalid indirect expansion", "bad substitution", "invalid variable name",
                  "cannot assign in this way", "substring expression < 0")


class Interp(PipelineMixin, SubshellMixin, TraceMixin, TrapMixin):
    """Executes commands against a State. See the module docstring."""

    def __init__(self, state: State | None = None, formatter: ErrorFormatter | None = None):
        self.state = state if state is not None else State(dict(os.environ))
        self.formatter = formatter if formatter is not None else ErrorFormatter("c")
        self.redirector = Redirector(self)
        self.jobs = Jobs()
        self.hash = CommandHash()
        self.state.command_hash = self.hash     # BASH_CMDS
        self.traps: dict[str, str] = {}      # "EXIT", "INT", ... -> command text
        self.shown_traps: dict[str, str] = {}  # a subshell's parent's, for listing only
        self.deferred_stage = None   # the pipeline stage being started (see _start_stages)
        self.pending_signals: list[int] = []
        self.errexit_ignore = 0              # >0 inside conditions, && || lists, !
        self.loop_depth = 0
        self.func_depth = 0
        self.current_command = None   # $BASH_COMMAND (see traps.py)
        self.in_trap = 0
        self.state.dynamic["BASH_COMMAND"] = self.bash_command
        self.source_depth = 0
        self.subshell_level = 0
        self.xtrace_depth = 1
        self.eval_depth = 0
        self.in_exit_trap = False
        self.last_cmdsub_status: int | None = None
        self.capture: list | None = None     # collects fd-1 text of an in-process $( )
        self.pipe_stage = False              # running a pipeline stage in-process
        self.in_wait_builtin = False
        self.procsub_fds: list[int] = []
        self.exec_last = None                # the node `-c` may exec without forking
        self.func_sources: dict[str, str] = {}
        # where code being run was read from: the script, a sourced file, or bash's
        # names for -c text ("environment") and standard input ("main")
        mode = self.formatter.mode
        self.current_source = (self.formatter.script_name or "") if mode == "file" else \
            {"c": "environment", "stdin": "main"}.get(mode, "")
        self.function_sources: list[str] = []  # origin of each active function call
        self._expander = None
        self._sandbox_cache: dict = {}
        self._eval_cache: dict = {}          # eval text -> its parsed single command
        self.state.arith_eval = self._arith_text
        self.state.dynamic.setdefault("BASH_SUBSHELL", lambda: str(self.subshell_level))
        self.last_arg = ""                   # $_: last word of the previous command
        self.state.dynamic.setdefault("_", lambda: self.last_arg)
        self._dispatch = {
            ast.Simple: self.exec_simple,
            ast.Pipeline: self.exec_pipeline,
            ast.AndOr: self.exec_andor,
            ast.Seq: self.exec_seq,
            ast.BraceGroup: self.exec_brace,
            ast.Subshell: self.exec_subshell,
            ast.If: self.exec_if,
            ast.While: self.exec_while,
            ast.For: self.exec_for,
            ast.ArithFor: self.exec_arith_for,
            ast.Select: self.exec_select,
            ast.Case: self.exec_case,
            ast.ArithCmd: self.exec_arith_cmd,
            ast.CondCmd: self.exec_cond_cmd,
            ast.FuncDef: self.exec_funcdef,
            ast.Coproc: self.exec_coproc,
        }

    # ------------------------------------------------------------ collaborators
    @property
    def expander(self):
        exp = self._expander
        if exp is None:
            from pyshell.interp.expand import Expander
            exp = self._expander = Expander(self)
        return exp

    def _arith_text(self, text: str) -> int:
        from pyshell.interp import arith
        return arith.evaluate(text, self.state)

    # ------------------------------------------------------------------- output
    def write(self, fd: int, text: str) -> None:
        """Write to a real fd, unbuffered. OSError (EBADF, EPIPE) reaches the caller."""
        if fd == 1 and self.capture is not None:
            self.capture.append(text)
            return
        data = text.encode("utf-8", "surrogateescape")
        while data:
            try:
                n = os.write(fd, data)
            except InterruptedError:
                continue
            except BrokenPipeError:
                if self.pipe_stage:
                    raise StagePipeClosed() from None
                raise
            data = data[n:]

    def report(self, exc: ShellError) -> None:
        """Print a ShellError unless it was already reported where it happened."""
        if not getattr(exc, "reported", False):
            self.error(exc.message)

    def error(self, msg: str) -> None:
        write_stderr(self.error_prefix() + msg + "\n")

    def error_prefix(self) -> str:
        fmt = self.formatter
        line = self.state.lineno
        if self.source_depth and self.current_source:
            return f"{self.current_source}: line {line}: "
        if self.function_sources and self.function_sources[-1]:
            # bash names the file a function came from ("environment" for -c text)
            return f"{self.function_sources[-1]}: line {line}: "
        return fmt.prefix(line)

    # ---------------------------------------------------------------- dispatch
    def execute(self, node) -> int:
        try:
            status = self._dispatch[type(node)](node)
        except FatalShellError as exc:
            # reported where it happened (inside the redirections then in effect)
            self.error(exc.message)
            if self.formatter.mode == "interactive" and not self.subshell_level:
                raise AbortCommand(1) from None   # an interactive shell goes on
            raise ExitShell(self.fatal_status(exc)) from None
        except DiscardCommand as exc:
            self.error(exc.message)
            raise AbortCommand(exc.status) from None
        self.state.last_status = status
        return status

    def fatal_status(self, exc) -> int:
        """Exit status after a fatal expansion error: `bash -c` leaves with 127 after
        ${x?} and unbound variables, everything else (and every subshell) with 1."""
        if self.formatter.mode == "c" and not self.subshell_level \
                and not exc.message.endswith(FATAL_STATUS_1):
            return 127
        return 1

    def guarded(self, node) -> int:
        """Run `node` where `set -e` does not apply (conditions, && || operands, !)."""
        self.errexit_ignore += 1
        try:
            return self.execute(node)
        finally:
            self.errexit_ignore -= 1

    def check_errexit(self, status: int, err_trap: bool = True) -> None:
        """After a command failed outside a condition: the ERR trap, then set -e.
        `err_trap`: whether an ERR trap was set when the command started (bash runs it
        for a failed simple command only then: a function that sets it does not trap
        its own call)."""
        if status and not self.errexit_ignore:
            if err_trap and "ERR" in self.traps:
                self._run_err_trap(status)
            if "errexit" in self.state.options:
                raise ExitShell(status)


    def exec_seq(self, seq) -> int:
        status = 0
        for item in seq.items:
            if item.background:
                status = self.run_background(item.command)
                self.state.last_status = status
            else:
                status = self.execute(item.command)
            if self.pending_signals:
                self.run_pending_traps()
        return status

    def exec_andor(self, node) -> int:
        cmds = node.commands
        last = len(cmds) - 1
        status = self.guarded(cmds[0]) if last else self.execute(cmds[0])
        for i, op in enumerate(node.ops, 1):
            if (op == "&&") == (status == 0):
                status = self.execute(cmds[i]) if i == last else self.guarded(cmds[i])
        return status


    # ----------------------------------------------------------- simple commands
    def exec_simple(self, node) -> int:
        had_err_trap = "ERR" in self.traps
        status = self._run_simple(node, False)
        self.state.pipestatus = [status]
        if status and self.errexit_ignore == 0:
            self.check_errexit(status, had_err_trap)
        return status

    def _run_simple(self, node, async_: bool):
        st = self.state
        st.lineno = node.line
        if not self.in_trap:
            self.current_command = node
            if "DEBUG" in self.traps:
                self.debug_trap(node)
        mark = len(self.procsub_fds)
        self.last_cmdsub_status = None
        last_arg = ""
        try:
            if not node.words:
                return self._assign_only(node)
            try:
                if node.decl_assigns:
                    argv = self._expand_decl_words(node)
                else:
                    argv = self.expander.words(node.words)
            except (FatalShellError, DiscardCommand):
                raise
            except ShellError as exc:
                self.error(exc.message)
                return exc.status
            if not argv:
                return self._assign_only(node)
            last_arg = argv[-1]
            name = argv[0]
            func = st.functions.get(name)
            fn = None if func is not None else _builtins.lookup(name)
            if not async_ and not node.assigns and not node.redirs \
                    and "xtrace" not in st.options:
                # the common case: nothing for _run_resolved to set up or undo
                if fn is not None:
                    return self.call_builtin(fn, argv)
                if func is not None:
                    return self.call_function(func, argv)
            if async_ and (func is not None or fn is not None):
                if func is not None and not node.assigns and not node.redirs \
                        and "RETURN" not in self.traps:
                    inner = self._spawnable_body(func)
                    if inner is not None:
                        if "xtrace" in st.options:
                            self._trace_words(argv)
                        return self._call_function_async(func, argv, inner)
                return Started(self.fork(lambda: self._run_resolved(node, argv, func, fn)))
            return self._run_resolved(node, argv, func, fn, async_)
        finally:
            self.last_arg = last_arg if type(last_arg) is str else last_arg.name
            if len(self.procsub_fds) > mark:
                self._close_procsubs(mark)

    def _expand_decl_words(self, node) -> list:
        exp = self.expander
        name = exp.words(node.words[:1])
        if not name or name[0] not in DECLARATION_BUILTINS:
            return exp.words(node.words)
        argv = list(name)
        decl = node.decl_assigns
        for i, w in enumerate(node.words[1:], 1):
            a = decl.get(i)
            if a is not None:
                argv.append(a)
            else:
                argv.extend(exp.words([w]))
        return argv

    def _assign_only(self, node) -> int:
        """`a=1 b=2` or `>file` alone: assignments persist; redirections are performed
        and undone. Status: that of the last command substitution, else 0."""
        frame = None
        if node.redirs:
            try:
                frame = self.redirector.apply(node.redirs)
            except ShellError as exc:
                self.report(exc)
                return 1
        try:
            if node.assigns:
                status = self._do_assigns(node.assigns, fatal=True)
                if status:
                    return status
        finally:
            if frame is not None:
                self.redirector.restore(frame)
        return self.last_cmdsub_status or 0

    def _do_assigns(self, assigns, local: bool = False, export: bool = False,
                    fatal: bool = False) -> int:
        exp = self.expander
        st = self.state
        trace = "xtrace" in st.options
        for a in assigns:
            if trace:
                ps4 = self._ps4()  # the trace uses PS4 as it was before `PS4=...`
                old = st.get(a.name) if a.append and a.subscript is None else None
                if a.array is not None:
                    self._trace_assign(a, ps4)   # name=(...) as written, before expanding
            try:
                exp.assign(a, local=local)
            except VarError as exc:
                self.error(exc.message)
                if fatal:
                    raise AbortCommand(1)
                return 1
            except (FatalShellError, DiscardCommand):
                raise
            except ShellError as exc:
                self.error(exc.message)
                if fatal:
                    raise AbortCommand(1)
                return exc.status
            if export:
                st.set_attr(a.name, EXPORT, local=local)
            if trace and a.array is None:
                self._trace_assign(a, ps4, old)
        return 0

    def interactive(self) -> bool:
        return self.formatter.mode == "interactive"

    def _run_resolved(self, node, argv, func, fn, async_: bool = False):
        """Run an expanded simple command: function, builtin or program."""
        st = self.state
        scoped = False
        frame = None
        try:
            # bash's order: assignments (traced), the traced command line, redirections
            env = None
            if func is not None or fn is not None:
                if node.assigns:
                    if fn is not None and argv[0] in _builtins.SPECIAL \
                            and "posix" in st.options:
                        self._do_assigns(node.assigns)
                    else:
                        st.push_scope()
                        scoped = True
                        self._do_assigns(node.assigns, local=True, export=True)
            else:
                env = self.child_env(node.assigns)
            if "xtrace" in st.options:
                self._trace_words(argv)
            if node.redirs:
                permanent = fn is not None and argv[0] == "exec"
                try:
                    frame = self.redirector.apply(node.redirs, permanent=permanent)
                except (FatalShellError, DiscardCommand):
                    raise
                except ShellError as exc:
                    self.report(exc)
                    return 1
            if func is not None:
                return self.call_function(func, argv)
            if fn is not None:
                return self.call_builtin(fn, argv)
            return self.run_program(argv, node, async_, env)
        finally:
            if frame is not None:
                self.redirector.restore(frame)
            if scoped:
                st.pop_scope()

    def call_builtin(self, fn, argv) -> int:
        try:
            return fn(self, argv)
        except ControlFlow:
            raise
        except (FatalShellError, DiscardCommand):
            raise
        except ShellError as exc:
            self.error(exc.message)
            return exc.status
        except VarError as exc:
            self.error(exc.message)
            return 1
        except OSError as exc:
            self.error(f"{argv[0]}: write error: {exc.strerror}")
            return 1
        except WaitInterrupted:
            raise
        except Exception as exc:  # a bug in one builtin fails that command only
            write_stderr(internal_error(exc))
            return 1

    # ---------------------------------------------------------------- programs
    def find_program(self, name: str) -> str | None:
        if "/" in name:
            return name
        return self.hash.find(name, self.state.get("PATH"))

    def child_env(self, assigns) -> dict:
        """The environment for a program, with `VAR=x cmd` prefix assignments."""
        st = self.state
        if not assigns:
            return st.environ()
        st.push_scope()
        try:
            self._do_assigns(assigns, local=True, export=True)
            return dict(st.environ())
        finally:
            st.pop_scope()

    def run_program(self, argv, node=None, async_: bool = False, env=None):
        name = argv[0]
        if env is None:
            env = self.child_env(node.assigns if node is not None else None)
        if "/" in name:
            path = name
        else:
            path_value = env.get("PATH") if node is not None and node.assigns \
                else self.state.get("PATH")
            if not path_value:
                # unset or empty PATH: bash looks in the current directory only
                from pyshell.interp.lookup import is_executable_file
                if not is_executable_file(name):
                    self.error(f"{name}: No such file or directory")
                    return 127
                path = "./" + name
            else:
                path = self.hash.find(name, path_value)
            if path is None:
                self.error(f"{name}: command not found")
                return 127
        if self.exec_last is node and node is not None and not self.traps:
            self._exec_in_place(path, argv, env)
        launch, LaunchRequest = _launcher()
        jc = self.jobs.control   # job control: the program is a job of its own
        if jc is not None and not jc.on(self):
            jc = None
        try:
            if jc is not None:
                pid = jc.launch(launch, LaunchRequest(path, argv, env), async_)
            elif node is not None and node is self.deferred_stage:
                # a pipeline stage: its answer is collected once every stage is started
                from pyshell.launch import launch_deferred
                pid = launch_deferred(LaunchRequest(path, argv, env))
            else:
                pid = launch(LaunchRequest(path, argv, env))
        except OSError as exc:
            if exc.errno == 2 and "/" not in name and name in self.hash.table:
                # the remembered location went away: search PATH again, as bash does
                self.hash.forget_name(name)
                return self.run_program(argv, node, async_, env)
            return self.exec_failure(exc, name, path, argv, env)
        if async_:
            return Started(pid)
        if jc is not None:
            raw = jc.wait_foreground(self, [pid], jc.text_of(node, argv))[0]
        else:
            raw = wait_pid_raw(pid)
            if self.jobs.children:
                self.report_killed_jobs()
        if raw is None:
            return 127
        if os.WIFSIGNALED(raw):
            self._report_signal(raw, pid, node)
        return decode_status(raw)

    def report_killed_jobs(self) -> None:
        """After a program it waited for, bash reports background jobs that were killed
        by a signal meanwhile (a script's shell; job control has notices of its own)."""
        if self.interactive():
            return
        from pyshell.interp.jobs import killed_notice
        for pid, raw, text in self.jobs.take_killed():
            line = killed_notice(pid, raw, text, self.traps)
            if line is not None:
                write_stderr(self.error_prefix() + line)

    def _report_signal(self, raw: int, pid: int, node) -> None:
        """bash's note when a foreground program was killed by a signal."""
        import signal
        sig = os.WTERMSIG(raw)
        if sig in (signal.SIGINT, signal.SIGPIPE):
            return
        if sig == signal.SIGTERM:
            write_stderr("Terminated\n")
            return
        desc = signal.strsignal(sig) or f"Signal {sig}"
        if os.WCOREDUMP(raw):
            desc += " (core dumped)"
        from pyshell.interp.printer import command_text
        text = command_text(node) if node is not None else ""
        write_stderr(f"{self.error_prefix()}{pid:5d} {desc:<24}{text}\n")

    def _exec_in_place(self, path, argv, env) -> None:
        """`-c`'s last command: replace the shell, as bash does (no fork, no wait)."""
        prepare_exec()
        try:
            os.execve(path, argv, env)
        except OSError:
            pass  # fall back to the normal path, which reports the error

    def exec_failure(self, exc: OSError, name: str, path: str, argv, env) -> int:
        """bash's diagnostics and statuses when a program cannot be started."""
        import errno
        if exc.errno == errno.ENOEXEC:
            return self._run_as_script(path, argv, env)
        shown = path if "/" not in name else name
        if os.path.isdir(path):
            self.error(f"{shown}: Is a directory")
            return 126
        if exc.errno == errno.ENOENT:
            if _shebang_interpreter(path) is not None:
                self.error(f"{shown}: cannot execute: required file not found")
                return 127
            self.error(f"{shown}: No such file or directory")
            return 127
        self.error(f"{shown}: {exc.strerror}")
        return 126

    def _run_as_script(self, path, argv, env) -> int:
        """A file execve rejects (no #!): bash runs it as a shell script in a new shell."""
        try:
            with open(path, "rb") as f:
                head = f.read(80)
        except OSError as exc:
            self.error(f"{argv[0]}: {exc.strerror}")
            return 126
        if b"\0" in head.split(b"\n", 1)[0]:
            self.error(f"{argv[0]}: cannot execute binary file: Exec format error")
            return 126
        name = argv[0]

        def run_script():
            # a fresh shell state in a forked subshell, as bash reinitializes itself
            from pyshell.shell import Shell
            shell = Shell("file", name, name, list(argv[1:]), environ=dict(env))
            return shell.run_file(path)
        return wait_pid(self.fork(run_script))

    # --------------------------------------------------------------- functions
    def exec_funcdef(self, node) -> int:
        self.state.functions[node.name] = node
        self.func_sources[node.name] = self.current_source
        return 0

    def _enter_function(self, fdef, argv):
        """The call's context: arguments, scope, FUNCNAME and friends. Returns what
        _leave_function restores."""
        st = self.state
        if self.func_depth >= FUNCNEST_LIMIT:
            self.error(f"{fdef.name}: maximum function nesting level exceeded ({FUNCNEST_LIMIT})")
            raise ExitShell(1)
        saved = (st.positional, self.loop_depth)
        st.positional = argv[1:]
        st.push_scope()
        st.funcname.insert(0, fdef.name)
        st.call_frames.insert(0, (fdef.name, st.lineno))  # for BASH_LINENO and caller
        origin = self.func_sources.get(fdef.name, self.current_source)
        st.source_stack.insert(0, origin)
        self.function_sources.append(origin)
        self.func_depth += 1
        self.loop_depth = 0
        return saved

    def _leave_function(self, saved) -> None:
        st = self.state
        self.func_depth -= 1
        del st.funcname[0]
        st.lineno = st.call_frames[0][1]   # back on the calling line (ERR traps, $LINENO)
        del st.call_frames[0]
        del st.source_stack[0]
        self.function_sources.pop()
        st.pop_scope()
        st.positional, self.loop_depth = saved

    def call_function(self, fdef, argv) -> int:
        st = self.state
        saved = self._enter_function(fdef, argv)
        frame = None
        err_trap = None
        try:
            if fdef.redirs:
                try:
                    frame = self.redirector.apply(fdef.redirs)
                except ShellError as exc:
                    self.report(exc)
                    return 1
            return_trap = self.traps.get("RETURN")
            if "DEBUG" in self.traps and "functrace" in st.options:
                self.debug_trap(self.current_command)   # bash: once more at entry
            # Functions do not inherit the ERR trap (unless set -E): it is put aside for
            # the call and comes back afterwards unless the function set one of its own.
            if "ERR" in self.traps and "errtrace" not in st.options:
                err_trap = self.traps.pop("ERR")
            try:
                status = self.execute(fdef.body)
            except ReturnFunc as ret:
                status = ret.status
            after = self.traps.get("RETURN")
            # RETURN traps are not inherited: only one set during this call fires
            if after and (after is not return_trap or "functrace" in st.options):
                self.eval_string(after, "trap")
        finally:
            if frame is not None:
                self.redirector.restore(frame)
            if err_trap is not None and "ERR" not in self.traps:
                self.traps["ERR"] = err_trap
            self._leave_function(saved)
        return status

    def _call_function_async(self, fdef, argv, inner):
        """Start a function whose whole body is one program (see _spawnable_body): the
        program is spawned inside the call's context, as the subshell would run it."""
        st = self.state
        line = st.lineno
        saved = self._enter_function(fdef, argv)
        try:
            return self._run_simple(inner, async_=True)
        except FatalShellError as exc:  # reported in the function, as its subshell would
            self.error(exc.message)
            return 1
        except DiscardCommand as exc:
            self.error(exc.message)
            return exc.status
        finally:
            self._leave_function(saved)
            st.lineno = line

    # -------------------------------------------------------------- compounds
    def _with_redirs(self, redirs, run) -> int:
        if not redirs:
            return run()
        if redirs[0].line:
            self.state.lineno = redirs[0].line
        try:
            frame = self.redirector.apply(redirs)
        except (FatalShellError, DiscardCommand):
            raise
        except ShellError as exc:
            self.report(exc)
            return 1
        try:
            return run()
        finally:
            self.redirector.restore(frame)

    def exec_brace(self, node) -> int:
        if not node.redirs:
            return self.exec_seq(node.body)
        return self._with_redirs(node.redirs, lambda: self.exec_seq(node.body))


    def exec_if(self, node) -> int:
        if not node.redirs:
            return self._run_if(node)
        return self._with_redirs(node.redirs, lambda: self._run_if(node))

    def _run_if(self, node) -> int:
        for clause in node.clauses:
            if self._condition(clause.condition) == 0:
                return self.exec_seq(clause.body)
        if node.else_body is not None:
            return self.exec_seq(node.else_body)
        return 0

    def _condition(self, seq) -> int:
        self.errexit_ignore += 1
        try:
            return self.exec_seq(seq)
        finally:
            self.errexit_ignore -= 1

    def _loop_body(self, body):
        """Run one iteration. Returns (status, stop)."""
        try:
            return self.exec_seq(body), False
        except BreakLoop as brk:
            if brk.levels > 1:
                brk.levels -= 1
                raise
            return 0, True
        except ContinueLoop as cont:
            if cont.levels > 1:
                cont.levels -= 1
                raise
            return 0, False

    def exec_while(self, node) -> int:
        if not node.redirs:
            return self._run_while(node)
        return self._with_redirs(node.redirs, lambda: self._run_while(node))

    def _run_while(self, node) -> int:
        status = 0
        self.loop_depth += 1
        try:
            while True:
                cond = self._condition(node.condition)
                if (cond == 0) == node.until:
                    return status
                status, stop = self._loop_body(node.body)
                if stop:
                    return status
        finally:
            self.loop_depth -= 1

    def exec_for(self, node) -> int:
        if not node.redirs:
            return self._run_for(node)
        return self._with_redirs(node.redirs, lambda: self._run_for(node))

    def _run_for(self, node) -> int:
        st = self.state
        if node.words is None:
            items = list(st.positional)
        else:
            st.lineno = node.line
            items = self.expander.words(node.words)
        from pyshell.builtins.vars import is_name
        if not is_name(node.var):
            self.error(f"`{node.var}': not a valid identifier")
            return 1
        status = 0
        traced = None
        if "xtrace" in st.options:
            # bash shows the words as written, not their expansion
            words = '"$@"' if node.words is None else " ".join(w.text for w in node.words)
            traced = f"for {node.var} in {words}"
        header = None
        self.loop_depth += 1
        try:
            for value in items:
                st.lineno = node.line     # $LINENO in the trace and DEBUG trap: the for
                if traced is not None:    # bash traces the header, then runs DEBUG
                    self._trace_line(traced)
                if "DEBUG" in self.traps:
                    if header is None:
                        header = "for %s in %s" % (node.var, '"$@"' if node.words is None
                                                   else " ".join(w.text for w in node.words))
                    self.debug_trap(header)
                try:
                    st.set(node.var, value)
                except VarError as exc:
                    self.error(exc.message)
                    return 1
                status, stop = self._loop_body(node.body)
                if stop:
                    break
        finally:
            self.loop_depth -= 1
        return status

    def _arith_step(self, word, line: int) -> int | None:
        """One expression of an arithmetic for: traced (an empty one as 1, substitutions
        done), then the DEBUG trap, then evaluated, all with $LINENO the for's line."""
        self.state.lineno = line
        text = None
        if "xtrace" in self.state.options:
            text = self.expander.arith_text(word) if word is not None else "1"
            self._trace_line(f"(( {text.lstrip()} ))")
        if "DEBUG" in self.traps:
            self.debug_trap("((%s))" % (word.text.lstrip() if word is not None else "1"))
        return self._arith_or_true(word, text=text)

    def _arith_or_true(self, word, what: str = "((", text: str | None = None) -> int | None:
        """Evaluate an arithmetic Word (or its already expanded `text`); None after
        reporting an error."""
        if word is None:
            return 1
        try:
            if text is not None:
                from pyshell.interp.arith import evaluate
                return evaluate(text, self.state)
            return self.expander.arith(word)
        except ShellError as exc:
            msg = exc.message
            self.error(f"{what}: {msg}" if what and not msg.startswith(what) else msg)
            return None

    def exec_arith_for(self, node) -> int:
        if not node.redirs:
            return self._run_arith_for(node)
        return self._with_redirs(node.redirs, lambda: self._run_arith_for(node))

    def _run_arith_for(self, node) -> int:
        st = self.state
        st.lineno = node.line
        if self._arith_step(node.init, node.line) is None:
            return 1
        status = 0
        self.loop_depth += 1
        try:
            while True:
                cond = self._arith_step(node.cond, node.line)
                if cond is None:
                    return 1
                if cond == 0:
                    break
                status, stop = self._loop_body(node.body)
                if stop:
                    break
                if self._arith_step(node.step, node.line) is None:
                    return 1
        finally:
            self.loop_depth -= 1
        return status

    def exec_select(self, node) -> int:
        def run():
            from pyshell.interp.select import run_select
            return run_select(self, node)
        return self._with_redirs(node.redirs, run)

    def exec_case(self, node) -> int:
        if not node.redirs:
            return self._run_case(node)
        return self._with_redirs(node.redirs, lambda: self._run_case(node))

    def _run_case(self, node) -> int:
        from pyshell.interp import pattern
        st = self.state
        st.lineno = node.line
        exp = self.expander
        if "DEBUG" in self.traps:
            self.debug_trap(f"case {node.word.text} in ")
        if "xtrace" in st.options:      # the word as written, before its expansion
            self._trace_line(f"case {node.word.text} in")
        subject = exp.word(node.word)
        extglob = "extglob" in st.shopts
        nocase = "nocasematch" in st.shopts
        items = node.items
        status = 0
        i = 0
        while i < len(items):
            item = items[i]
            if self._case_matches(item, subject, exp, pattern, extglob, nocase):
                while True:
                    status = self.exec_seq(item.body) if item.body is not None else 0
                    if item.terminator == ";&" and i + 1 < len(items):
                        i += 1
                        item = items[i]
                        continue
                    break
                if item.terminator != ";;&":
                    return status
            i += 1
        return status

    @staticmethod
    def _case_matches(item, subject, exp, pattern, extglob, nocase) -> bool:
        for p in item.patterns:
            pat = exp.pattern(p)
            if nocase:
                if pattern.match(pat.lower(), subject.lower(), extglob=extglob):
                    return True
            elif pattern.match(pat, subject, extglob=extglob):
                return True
        return False

    def exec_arith_cmd(self, node) -> int:
        if not node.redirs:
            status = self._run_arith_cmd(node)
        else:
            status = self._with_redirs(node.redirs, lambda: self._run_arith_cmd(node))
        if status:
            self.check_errexit(status)
        return status

    def _run_arith_cmd(self, node) -> int:
        st = self.state
        st.lineno = node.line
        if not self.in_trap:
            self.current_command = node
            if "DEBUG" in self.traps:
                self.debug_trap(node)
        text = None
        if "xtrace" in st.options:
            if _no_substitutions(node.expr.parts):
                self._trace_line(f"(( {self.expander.word(node.expr)} ))")
            else:
                # bash shows the expression with its substitutions done (run once)
                text = self.expander.arith_text(node.expr)
                self._trace_line(f"(( {text} ))")
        value = self._arith_or_true(node.expr, text=text)
        return 1 if not value else 0

    def exec_cond_cmd(self, node) -> int:
        if not node.redirs:
            status = self._run_cond_cmd(node)
        else:
            status = self._with_redirs(node.redirs, lambda: self._run_cond_cmd(node))
        if status:
            self.check_errexit(status)
        return status

    def _run_cond_cmd(self, node) -> int:
        self.state.lineno = node.line
        if not self.in_trap:
            self.current_command = node
            if "DEBUG" in self.traps:
                self.debug_trap(node)
        from pyshell.interp import cond
        try:
            return 0 if cond.evaluate(self, node) else 1
        except (FatalShellError, DiscardCommand):
            raise
        except ShellError as exc:
            self.error(exc.message)
            return exc.status if exc.status != 1 else 2

    def exec_coproc(self, node) -> int:
        """coproc NAME cmd: run cmd in the background with pipes to and from it;
        NAME[0] reads its output, NAME[1] writes its input, NAME_PID is its pid."""
        st = self.state
        st.lineno = node.line
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        try:
            pid = self.fork(lambda: self.execute(node.body),
                            [(to_child_r, 0), (from_child_w, 1)],
                            [to_child_w, from_child_r])
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        import fcntl
        read_fd = fcntl.fcntl(from_child_r, fcntl.F_DUPFD_CLOEXEC, 60)
        write_fd = fcntl.fcntl(to_child_w, fcntl.F_DUPFD_CLOEXEC, 60)
        os.close(from_child_r)
        os.close(to_child_w)
        self.redirector.visible_cloexec.update((read_fd, write_fd))
        from pyshell.interp.printer import command_text
        self.jobs.add(pid, text="coproc " + command_text(node.body) + " &")
        st.last_bg_pid = pid
        try:
            st.set_array(node.name, {0: str(read_fd), 1: str(write_fd)})
            st.set(node.name + "_PID", str(pid))
        except VarError as exc:
            self.error(exc.message)
            return 1
        return 0


    # -------------------------------------------------------------------- eval
    def parse_context(self):
        from pyshell.syntax import ParseContext
        return ParseContext(aliases=self.state.aliases if "expand_aliases" in self.state.shopts
                            else {}, extglob="extglob" in self.state.shopts)

    def run_source_text(self, text: str, first_line: int = 1, prefix=None) -> int:
        """Read and run `text` one top-level command at a time. ParseError propagates,
        except an error inside name=( ... ): bash reports it (with `prefix`) and goes
        on with the next line, as at top level."""
        from pyshell.syntax import CommandReader
        ctx = self.parse_context()
        reader = CommandReader(text, context=ctx, first_line=first_line)
        status = 0
        while True:
            ctx.extglob = "extglob" in self.state.shopts
            ctx.aliases = self.state.aliases if "expand_aliases" in self.state.shopts else {}
            try:
                cmd = reader.next_command()
            except ParseError as err:
                if not getattr(err, "recoverable", False) or prefix is None:
                    raise
                write_stderr(self.formatter.syntax(err, prefix))
                status = self.state.last_status = err.status
                continue
            if cmd is None:
                return status
            status = self.execute(cmd)

    def eval_string(self, text: str, name: str = "eval") -> int:
        saved_line = self.state.lineno
        base = saved_line if saved_line > 0 else 1  # eval'd lines count from here
        self.eval_depth += 1
        self.xtrace_depth += 1
        try:
            cmd = self._parsed_once(text, base)
            if cmd is not None:
                return self.execute(cmd)
            return self.run_source_text(text, first_line=base,
                                        prefix=self._eval_error_prefix(name))
        except ParseError as err:
            write_stderr(self.formatter.syntax(err, self._eval_error_prefix(name)))
            return 2
        finally:
            self.eval_depth -= 1
            self.xtrace_depth -= 1
            self.state.lineno = saved_line

    def _parsed_once(self, text: str, first_line: int):
        """The one command of an eval text, parsed once per (text, line, extglob): eval
        in a loop would otherwise parse the same text every time. Only texts that hold a
        single command qualify (running it cannot change how the rest parses), and only
        while no aliases can expand. None: parse and run it the ordinary way."""
        st = self.state
        if st.aliases and "expand_aliases" in st.shopts:
            return None
        key = (text, first_line, "extglob" in st.shopts)
        cache = self._eval_cache
        cmd = cache.get(key)
        if cmd is not None:
            return cmd or None
        from pyshell.syntax import CommandReader
        reader = CommandReader(text, context=self.parse_context(), first_line=first_line)
        try:
            cmd = reader.next_command()
        except ParseError:
            return None  # reported when run_source_text parses it again
        if len(cache) >= 512:
            cache.clear()
        if cmd is None or reader.warnings or text[reader.offset:].strip():
            cache[key] = False  # not a single command: always the ordinary way
            return None
        cache[key] = cmd
        return cmd

    def _eval_error_prefix(self, name: str):
        fmt = self.formatter
        from pyshell.errors import SHELL_NAME
        head = fmt.script_name if fmt.mode in ("file", "c") and fmt.script_name else SHELL_NAME
        return lambda line: f"{head}: {name}: line {line}: "

    def source_file(self, path: str, args=None) -> int:
        """`source path [args]`: run a file in the current shell."""
        try:
            with open(path, "rb") as f:
                text = f.read().decode("utf-8", "surrogateescape")
        except OSError as exc:
            self.error(f"{path}: {exc.strerror}")
            return 1
        st = self.state
        saved_pos = st.positional
        saved_source = self.current_source
        saved_line = st.lineno
        if args is not None:
            st.positional = list(args)
        st.source_stack.insert(0, path)
        st.call_frames.insert(0, ("source", saved_line))
        self.current_source = path
        self.source_depth += 1
        try:
            return self.run_source_text(text, prefix=lambda line: f"{path}: line {line}: ")
        except ReturnFunc as ret:
            return ret.status
        except ParseError as err:
            write_stderr(self.formatter.syntax(err, lambda line: f"{path}: line {line}: "))
            return 2
        finally:
            self.source_depth -= 1
            self.current_source = saved_source
            del st.source_stack[0]
            del st.call_frames[0]
            if args is not None:
                st.positional = saved_pos
            st.lineno = saved_line


# ------------------------------------------------------------------------ helpers

_LAUNCHER = None


def _launcher():
    """pyshell.launch, imported on the first program start (keeps start-up lean)."""
    global _LAUNCHER
    if _LAUNCHER is None:
        from pyshell.launch import LaunchRequest, launch
        _LAUNCHER = (launch, LaunchRequest)
    return _LAUNCHER


def prepare_exec() -> None:
    """Before the shell execve()s itself: let the launcher end its helper processes."""
    from pyshell import launch
    hook = getattr(launch, "prepare_exec", None)
    if hook is not None:
        hook()


def _shebang_interpreter(path: str) -> str | None:
    try:
        with open(path, "rb") as f:
            head = f.read(256)
    except OSError:
        return None
    if not head.startswith(b"#!"):
        return None
    line = head[2:].split(b"\n", 1)[0].strip()
    if not line:
        return None
    return line.split()[0].decode("utf-8", "surrogateescape")
