"""Subshells, command and process substitution, background jobs: forked when the
code could change the shell, run in place when it provably cannot."""
from __future__ import annotations

import gc
import os
import sys

from pyshell import builtins as _builtins
from pyshell.errors import (DiscardCommand, FatalShellError, ShellError, internal_error,
                            write_stderr)
from pyshell.interp.control import (AbortCommand, BreakLoop, ContinueLoop, ExitShell,
                                    ReturnFunc)
from pyshell.interp.inert import (OUTPUT_ONLY_BUILTINS, _SUBSHELL_VISIBLE, _inert_parts,
                                  _literal_name, _mentions, _single_command)
from pyshell.interp.jobs import Started, wait_pid
from pyshell.interp.state import VarError
from pyshell.syntax import ast


class SubshellMixin:
    """Part of Interp (pyshell.interp.executor); uses its attributes."""

    def exec_subshell(self, node) -> int:
        def run():
            jc = self.jobs.control
            if jc is not None and jc.on(self):   # a job: stopped and resumed as a whole
                return jc.run_forked(self, lambda: self.fork(lambda: self.exec_seq(node.body)),
                                     jc.text_of(node))
            if self._sandboxable(node.body):
                status = self._subshell_in_place(node.body)
                if status is not None:
                    return status
            pid = self.fork(lambda: self.exec_seq(node.body))
            return wait_pid(pid)
        status = self._with_redirs(node.redirs, run)
        self.state.pipestatus = [status]
        self.check_errexit(status)
        return status

    # A subshell whose commands cannot change the shell's state except the current
    # directory (output-only builtins, cd, exit, programs, with side-effect-free
    # expansions) runs without forking; the directory is restored afterwards.
    _SANDBOX_BUILTINS = OUTPUT_ONLY_BUILTINS | {"cd", "exit"}

    def _sandboxable(self, seq) -> bool:
        if self.traps:
            return False
        cache = self._sandbox_cache
        hit = cache.get(id(seq))
        if hit is not None and hit[0] is seq:
            ok = hit[1]
        else:
            ok = self._check_sandbox_seq(seq)
            if len(cache) > 4096:  # eval'd text makes new nodes each time
                cache.clear()
            cache[id(seq)] = (seq, ok)
        if not ok:
            return False
        # names may have become functions since the check
        return not self.state.functions or not any(
            n in self.state.functions for n in self._sandbox_names(seq))

    def _sandbox_names(self, seq):
        for item in seq.items:
            yield from self._names_in(item.command)

    def _names_in(self, cmd):
        if isinstance(cmd, ast.Simple):
            yield _literal_name(cmd.words[0])
        elif isinstance(cmd, (ast.Pipeline, ast.AndOr)):
            for c in cmd.commands:
                yield from self._names_in(c)
        elif isinstance(cmd, (ast.Subshell, ast.BraceGroup)):
            yield from self._sandbox_names(cmd.body)

    def _check_sandbox_seq(self, seq) -> bool:
        return all(not item.background and self._check_sandbox(item.command)
                   for item in seq.items)

    def _check_sandbox(self, cmd) -> bool:
        if isinstance(cmd, ast.Pipeline):
            return not cmd.time and all(self._check_sandbox(c) for c in cmd.commands)
        if isinstance(cmd, ast.AndOr):
            return all(self._check_sandbox(c) for c in cmd.commands)
        if isinstance(cmd, (ast.Subshell, ast.BraceGroup)):
            return self._inert_redirs(cmd.redirs) and self._check_sandbox_seq(cmd.body)
        if not isinstance(cmd, ast.Simple) or not cmd.words:
            return False
        name = _literal_name(cmd.words[0])
        if name is None:
            return False
        builtin_fn = _builtins.lookup(name)
        if builtin_fn is not None and name not in self._SANDBOX_BUILTINS:
            return False
        if builtin_fn is not None and cmd.assigns:
            return False
        for w in cmd.words:
            if not _inert_parts(w.parts) or _mentions(w.parts, _SUBSHELL_VISIBLE):
                return False
        for a in cmd.assigns:
            if a.array is not None or a.subscript is not None \
                    or (a.value is not None and not _inert_parts(a.value.parts)):
                return False
        return self._inert_redirs(cmd.redirs)

    @staticmethod
    def _inert_redirs(redirs) -> bool:
        for r in redirs:
            if r.varname or (r.target is not None and not _inert_parts(r.target.parts)) \
                    or r.heredoc is not None and not r.heredoc.quoted:
                return False
        return True

    def _subshell_in_place(self, seq, cmdsub: bool = False) -> int | None:
        """Run a sandboxable subshell body here; None when it must fork after all."""
        st = self.state
        try:
            cwd_fd = os.open(".", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError:
            return None
        saved_vars = {name: st.lookup(name) for name in ("PWD", "OLDPWD")}
        saved_values = {name: (v.value, v.attrs) if v is not None else None
                        for name, v in saved_vars.items()}
        saved_errexit = "errexit" in st.options
        if cmdsub and "inherit_errexit" not in st.shopts:
            st.options.discard("errexit")  # as in a command substitution's subshell
        self.subshell_level += 1
        try:
            status = self.exec_seq(seq)
        except ExitShell as exc:
            status = exc.status
        except (FatalShellError, DiscardCommand) as exc:
            self.error(exc.message)
            status = 1 if exc.status == 127 else exc.status
        except AbortCommand as exc:
            status = exc.status
        finally:
            self.subshell_level -= 1
            try:
                # back only if the body moved: a needless fchdir would count as a change
                # of directory for the warm processes (see launch.warm) and make every
                # later program be given its directory
                before, now = os.fstat(cwd_fd), os.stat(".")
                if (before.st_ino, before.st_dev) != (now.st_ino, now.st_dev):
                    os.fchdir(cwd_fd)
            except OSError:
                os.fchdir(cwd_fd)
            finally:
                os.close(cwd_fd)
            for name, snap in saved_values.items():
                if snap is None:
                    if st.lookup(name) is not None:
                        try:
                            st.unset(name)
                        except VarError:
                            pass
                else:
                    var = saved_vars[name]
                    var.value, var.attrs = snap
                    if st.lookup(name) is not var:
                        st.globals[name] = var
            st.invalidate_env()
            st.set_option("errexit", saved_errexit)
        return status

    # ------------------------------------------------------------ subprocesses
    def fork(self, body, moves=(), close=()) -> int:
        """Run `body()` in a forked subshell; returns the child's pid. The child never
        returns from here: it leaves with os._exit and the body's status."""
        # What start-up leaves lazy is made before forking, as children then share it:
        # every builtin (not imported again in each child) and the $RANDOM generator
        # (a child continues the parent's sequence).
        if not _builtins._loaded:
            _builtins._load_all()
        if self.state._random is None:
            self.state._rng()
        _preload_launcher()
        # Frozen objects are never traversed by the collector: a collection in the child
        # would otherwise touch (and so copy) every page the two processes share.
        gc.freeze()
        pid = os.fork()
        if pid:
            gc.unfreeze()
            if self.jobs.control is not None:
                self.jobs.control.forked(pid)
            return pid
        status = 1
        try:
            try:
                if self.jobs.control is not None:
                    self.jobs.control.in_child()
                for src, dst in moves:
                    if src != dst:
                        os.dup2(src, dst)
                    else:
                        os.set_inheritable(dst, True)
                for fd in close:
                    if fd not in (0, 1, 2):
                        os.close(fd)
                for src, dst in moves:
                    if src > 2 and src not in [d for _, d in moves]:
                        try:
                            os.close(src)
                        except OSError:
                            pass
                self.enter_subshell()
                status = body()
            except ExitShell as exc:
                status = exc.status
            except ReturnFunc as exc:
                status = exc.status
            except (BreakLoop, ContinueLoop):
                status = 0
            except (FatalShellError, DiscardCommand) as exc:
                self.error(exc.message)
                status = exc.status
            except AbortCommand as exc:
                status = exc.status
            status = self.run_exit_trap(status)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
        except BaseException as exc:  # never a traceback from a child
            write_stderr(internal_error(exc))
            status = 1
        finally:
            _end_own_warm_processes()
            os._exit(status & 255)

    def enter_subshell(self) -> None:
        """State changes when this process becomes a subshell of its parent."""
        import signal
        self.subshell_level += 1
        self.loop_depth = 0  # break/continue do not reach the parent's loops
        self.capture = None
        self.pipe_stage = False
        self.jobs.forget_all()
        self.exec_last = None
        for frame in self.redirector.frames:
            for entry in frame:
                if entry[1] >= 0:
                    try:
                        os.close(entry[1])
                    except OSError:
                        pass
                    entry[1] = -2
        self.redirector.frames = []
        # coprocess fds stay with the shell that started them (else a coprocess
        # would never see end-of-file when its parent closes its input)
        for fd in self.redirector.visible_cloexec:
            try:
                os.close(fd)
            except OSError:
                pass
        self.redirector.visible_cloexec = set()
        kept = {}
        options = self.state.options
        for name, action in self.traps.items():
            if action == "" or (name == "ERR" and "errtrace" in options) or (
                    name in ("DEBUG", "RETURN") and "functrace" in options):
                kept[name] = action
            elif name != "EXIT":
                num = _signal_number(name)
                if num:
                    signal.signal(num, signal.SIG_DFL)
        # still listed by `trap` until this subshell changes a trap (see trap_builtin)
        self.shown_traps = {n: a for n, a in self.traps.items() if n not in kept}
        self.traps = kept
        self.pending_signals = []

    def run_background(self, cmd) -> int:
        jc = self.jobs.control
        if jc is not None and jc.on(self):
            return jc.run_background(self, cmd)
        devnull = os.open("/dev/null", os.O_RDONLY)
        try:
            started = self.start_async(cmd, [(devnull, 0)], [])
        finally:
            os.close(devnull)
        if isinstance(started, Started):
            self.state.last_bg_pid = started.pid
            from pyshell.interp.printer import command_text
            self.jobs.add(started.pid, text=command_text(cmd) + " &")
        self.jobs.reap()
        return 0

    def run_cmdsub(self, seq) -> str:
        """$(...): run `seq` in a subshell and return its output (newlines kept)."""
        cmd = _single_command(seq)
        if isinstance(cmd, ast.Simple):
            inproc = self._inprocess_candidate(cmd)
            if inproc is not None:
                return self._capture_builtin(inproc)
            if not cmd.words and not cmd.assigns and len(cmd.redirs) == 1 \
                    and cmd.redirs[0].op == "<" and cmd.redirs[0].fd in (None, 0):
                return self._read_file_sub(cmd.redirs[0])
            simple = self._spawn_candidate(cmd)
            if simple is not None:
                return self._spawn_capture(simple)
        if self._sandboxable(seq):
            return self._capture_in_place(seq)
        r, w = os.pipe()
        try:
            depth = self.loop_depth
            pid = self.fork(lambda: self._cmdsub_body(seq, depth), [(w, 1)], [r])
        finally:
            os.close(w)
        data = _read_all(r)
        status = wait_pid(pid)
        self.last_cmdsub_status = status
        self.state.last_status = status
        return self._cmdsub_text(data)

    def backquote_syntax_error(self, err) -> str:
        """`...` whose text does not parse: bash parses it only when it runs, in the
        substitution's subshell, which reports the error and exits 2."""
        if err.message or not getattr(err, "silent_eof", False):
            write_stderr(self.formatter.syntax(
                err, self._eval_error_prefix("command substitution")))
        self.last_cmdsub_status = 2
        self.state.last_status = 2
        return ""

    def _capture_builtin(self, simple) -> str:
        saved = self.capture
        out = self.capture = []
        self.xtrace_depth += 1
        try:
            status = self._run_simple(simple, False)
        except (FatalShellError, DiscardCommand) as exc:
            self.error(exc.message)
            status = exc.status
        except AbortCommand as exc:
            status = exc.status
        finally:
            self.capture = saved
            self.xtrace_depth -= 1
        self.last_cmdsub_status = status
        self.state.last_status = status
        text = "".join(out)
        if "\0" in text:
            self.error("warning: command substitution: ignored null byte in input")
            text = text.replace("\0", "")
        return text

    def _capture_in_place(self, seq) -> str:
        """$(...) of a sandboxable body, without forking: its stdout is an anonymous
        file (a pipe could fill up while nobody reads it), read back afterwards."""
        from pyshell.interp.redirect import anonymous_file
        fd = anonymous_file()
        frame = self.redirector.plumb([(fd, 1)])
        self.xtrace_depth += 1
        try:
            status = self._subshell_in_place(seq, cmdsub=True)
        finally:
            self.xtrace_depth -= 1
            self.redirector.restore(frame)
        if status is None:  # could not run in place after all
            os.close(fd)
            r, w = os.pipe()
            try:
                depth = self.loop_depth
                pid = self.fork(lambda: self._cmdsub_body(seq, depth), [(w, 1)], [r])
            finally:
                os.close(w)
            data = _read_all(r)
            status = wait_pid(pid)
        else:
            os.lseek(fd, 0, os.SEEK_SET)
            data = _read_all(fd)
        self.last_cmdsub_status = status
        self.state.last_status = status
        return self._cmdsub_text(data)

    def _cmdsub_text(self, data: bytes) -> str:
        if b"\0" in data:
            self.error("warning: command substitution: ignored null byte in input")
            data = data.replace(b"\0", b"")
        return data.decode("utf-8", "surrogateescape")

    def _cmdsub_body(self, seq, loop_depth: int = 0) -> int:
        if "inherit_errexit" not in self.state.shopts:
            self.state.options.discard("errexit")
        self.xtrace_depth += 1
        # Unlike ( ), a command substitution inside a loop still sees the loop (bash):
        # break or continue there ends the substitution, with status 0.
        self.loop_depth = loop_depth
        try:
            return self.exec_seq(seq)
        except (BreakLoop, ContinueLoop):
            return 0

    def _start_simple(self, simple):
        """Start a one-program command without waiting (traced one level deeper): its
        Started, or the status of an error reported here."""
        self.xtrace_depth += 1
        try:
            return self._run_simple(simple, async_=True)
        except (FatalShellError, DiscardCommand) as exc:
            self.error(exc.message)
            return exc.status
        except AbortCommand as exc:
            return exc.status
        finally:
            self.xtrace_depth -= 1

    def _spawn_capture(self, simple) -> str:
        r, w = os.pipe()
        frame = self.redirector.plumb([(w, 1)])
        os.close(w)
        try:
            result = self._start_simple(simple)
        finally:
            self.redirector.restore(frame)
        data = _read_all(r)
        status = wait_pid(result.pid) if isinstance(result, Started) else result
        self.last_cmdsub_status = status
        self.state.last_status = status
        return self._cmdsub_text(data)

    def _read_file_sub(self, redir) -> str:
        """$(< file): the file's contents, no subshell."""
        try:
            path = self.redirector._target_path(redir.target)
            with open(path, "rb") as f:
                data = f.read()
            status = 0
        except ShellError as exc:
            self.error(exc.message)
            data, status = b"", 1
        except OSError as exc:
            self.error(f"{path}: {exc.strerror}")
            data, status = b"", 1
        self.last_cmdsub_status = status
        self.state.last_status = status
        return self._cmdsub_text(data)

    def run_procsub(self, node) -> str:
        r, w = os.pipe()
        if node.direction == "<":
            keep, give, child_fd = r, w, 1
        else:
            keep, give, child_fd = w, r, 0
        try:
            pid = self._procsub_spawned(node.body, give, child_fd)
            if pid is None:
                pid = self.fork(lambda: self._procsub_body(node.body), [(give, child_fd)],
                                [keep])
        finally:
            os.close(give)
        user_fd = _fcntl_dup(keep, 60)
        os.close(keep)
        self.procsub_fds.append(user_fd)
        if pid:
            self.jobs.add(pid, procsub=True)
            self.state.last_bg_pid = pid
        return f"/dev/fd/{user_fd}"

    def _procsub_body(self, seq) -> int:
        self.xtrace_depth += 1
        return self.exec_seq(seq)

    def _procsub_spawned(self, seq, fd: int, child_fd: int) -> int | None:
        """<(prog args) / >(prog args) of one program whose words expand without side
        effects: expanded here and spawned on the pipe, no fork of the shell. Returns the
        pid, 0 when it failed before a process existed (reported), or None when the body
        needs a subshell."""
        cmd = _single_command(seq)
        simple = self._spawn_candidate(cmd) if isinstance(cmd, ast.Simple) else None
        if simple is None:
            return None
        frame = self.redirector.plumb([(fd, child_fd)])
        saved_status = self.state.last_status
        last_arg = self.last_arg
        try:
            result = self._start_simple(simple)
        finally:
            self.redirector.restore(frame)
            self.state.last_status = saved_status  # a substitution's $? stays its own
            self.last_arg = last_arg
        return result.pid if isinstance(result, Started) else 0

    def _close_procsubs(self, mark: int) -> None:
        for fd in self.procsub_fds[mark:]:
            try:
                os.close(fd)
            except OSError:
                pass
        del self.procsub_fds[mark:]


_launcher_loaded = False


def _end_own_warm_processes() -> None:
    """A forked subshell that started warm processes of its own ends and reaps them
    before it leaves (os._exit runs no exit handlers)."""
    launch = sys.modules.get("pyshell.launch")   # never imported: nothing to end
    if launch is not None:
        try:
            launch.end_warm_processes()
        except Exception:
            pass


def _preload_launcher() -> None:
    """Import the launcher (and create its pool) before a fork: a child that starts a
    program would otherwise import it again, which costs more than the fork itself."""
    global _launcher_loaded
    if not _launcher_loaded:
        _launcher_loaded = True
        from pyshell import launch
        from pyshell.interp.executor import _launcher
        _launcher()
        launch._get_pool()


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except InterruptedError:
            continue
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def _fcntl_dup(fd: int, low: int) -> int:
    import fcntl
    return fcntl.fcntl(fd, fcntl.F_DUPFD, low)


def _signal_number(name: str) -> int:
    import signal
    try:
        return int(getattr(signal, "SIG" + name))
    except AttributeError:
        return 0
