"""Redirections, applied to the shell process's real file descriptors.

A command's redirections are applied left to right (bash's order); the previous state
of every fd touched is saved first in a *frame* (a copy at fd >= 10, close-on-exec so
it never leaks into programs) and the frame is restored after the command. `exec`
applies redirections without a frame: they stay.

Fds the user names (`3>f`, `exec 4<&0`) are created with dup2 and so are inheritable:
programs see them. Everything the shell opens for itself is close-on-exec.
"""
from __future__ import annotations

import fcntl
import os
import sys

from pyshell.errors import DiscardCommand, FatalShellError, ShellError

_PIPE_LIMIT = 65536  # a here-document smaller than this fits in a fresh pipe

_OUTPUT_FLAGS = {
    ">": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
    ">|": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
    ">>": os.O_WRONLY | os.O_CREAT | os.O_APPEND,
    "&>": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
    "&>>": os.O_WRONLY | os.O_CREAT | os.O_APPEND,
    "<>": os.O_RDWR | os.O_CREAT,
    "<": os.O_RDONLY,
}


class RedirectionFailed(ShellError):
    """A redirection failed; its message has already been printed."""
    reported = True


_RESERVED = False  # reserve_low_fds() ran: closed fds 3-9 become placeholders again


def close_user_fd(fd: int) -> None:
    """Close an fd for shell code (`n>&-`, undoing `n>f`); a reserved low fd gets its
    placeholder back instead, so the shell's machinery never lands on it."""
    if _RESERVED and 3 <= fd <= 9:
        spare = os.open("/dev/null", os.O_RDONLY | os.O_CLOEXEC)
        if spare != fd:
            os.dup2(spare, fd, inheritable=False)
            os.close(spare)
        return
    try:
        os.close(fd)
    except OSError:
        pass


def reserve_low_fds() -> None:
    """Occupy the free fds 3-9 with close-on-exec placeholders, so that fds the
    shell's machinery opens (the launcher's sockets, ...) land at 10 and above, where
    `exec 3>file` cannot clobber them. Shell code sees the placeholders as closed
    (Redirector.user_visible) and programs never inherit them."""
    global _RESERVED
    _RESERVED = True
    placeholder = None
    for fd in range(3, 10):
        if fd_is_open(fd):
            continue
        if placeholder is None:
            placeholder = os.open("/dev/null", os.O_RDONLY | os.O_CLOEXEC)
            if placeholder == fd:
                continue
        os.dup2(placeholder, fd, inheritable=False)


def fd_is_open(fd: int) -> bool:
    try:
        fcntl.fcntl(fd, fcntl.F_GETFD)
        return True
    except OSError:
        return False


def anonymous_file() -> int:
    """A close-on-exec read/write fd of a file with no name (memfd, else unlinked)."""
    try:
        return os.memfd_create("pywarmsh")
    except (AttributeError, OSError):
        import tempfile
        fd, path = tempfile.mkstemp(prefix="pywarmsh-")
        os.unlink(path)
        return fd


def heredoc_fd(text: str) -> int:
    """A readable fd holding `text`: a pipe when it fits, else an anonymous file."""
    data = text.encode("utf-8", "surrogateescape")
    if len(data) < _PIPE_LIMIT:
        r, w = os.pipe()
        try:
            if data:
                os.write(w, data)
        finally:
            os.close(w)
        return r
    fd = anonymous_file()
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


class Redirector:
    """Applies and undoes redirections for one interpreter."""

    def __init__(self, sh):
        self.sh = sh
        self.frames: list[list] = []  # active frames: lists of [fd, saved_copy or -1]
        self.visible_cloexec: set[int] = set()  # close-on-exec fds shell code may use

    # ------------------------------------------------------------------ frames
    def apply(self, redirs, permanent: bool = False) -> list | None:
        """Apply `redirs`; return the frame to pass to restore(). On failure the fds
        already changed are restored and ShellError is raised."""
        # `exec` makes its redirections permanent, but when one fails the ones before
        # it are undone too (bash): they are saved like any command's until all worked.
        frame = []
        if not permanent:
            self.frames.append(frame)
        try:
            for r in redirs:
                if r.fd is not None and r.fd >= 2**31:
                    raise ShellError(f"{r.fd}: Bad file descriptor")
                try:
                    self._one(r, frame)
                except OSError as exc:  # e.g. dup2 onto an fd above the open-file limit
                    fd = r.fd if r.fd is not None else (0 if r.op[0] == "<" else 1)
                    raise ShellError(f"{fd}: {exc.strerror}") from None
        except ShellError as exc:
            # reported while the earlier redirections are still in effect, as bash does
            if not isinstance(exc, (RedirectionFailed, FatalShellError, DiscardCommand)):
                self.sh.error(exc.message)
                exc = RedirectionFailed(exc.message)
            self.restore(frame)
            raise exc from None
        except BaseException:
            self.restore(frame)
            raise
        if permanent:
            for entry in frame:
                if entry[1] >= 0:
                    os.close(entry[1])
            return None
        return frame

    def plumb(self, moves) -> list:
        """Point fds at pipe ends etc.: `moves` is [(src, dst)], src stays open."""
        frame = []
        self.frames.append(frame)
        for src, dst in moves:
            self._make_room(dst)
            self._save(dst, frame)
            if src != dst:
                os.dup2(src, dst)
        return frame

    def restore(self, frame) -> None:
        if frame is None:
            return
        for fd, copy, *rest in reversed(frame):
            if copy >= 0:
                try:
                    # a reserved low fd (see reserve_low_fds) stays close-on-exec
                    os.dup2(copy, fd, inheritable=not (rest and rest[0]))
                except OSError:
                    pass
                os.close(copy)
            else:
                close_user_fd(fd)
        frame.clear()
        if self.frames and self.frames[-1] is frame:
            self.frames.pop()
        elif frame in self.frames:
            self.frames.remove(frame)

    def _save(self, fd: int, frame) -> None:
        if frame is None:
            return
        for entry in frame:
            if entry[0] == fd:
                return
        try:
            cloexec = bool(fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)
            copy = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        except OSError:
            copy, cloexec = -1, False
        frame.append([fd, copy, cloexec])

    def _make_room(self, fd: int) -> None:
        """A saved copy may sit on the fd the user now wants: move the copy away."""
        launcher = sys.modules.get("pyshell.launch")
        if launcher is not None:
            launcher.make_room(fd)      # so do the launcher's own fds (sockets, ...)
        for frame in self.frames:
            for entry in frame:
                if entry[1] == fd:
                    entry[1] = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
                    os.close(fd)

    def _install(self, src: int, fd: int, frame, close_src: bool = True) -> None:
        """Make `fd` a copy of `src` (inheritable), saving fd's old state first."""
        self._make_room(fd)
        self._save(fd, frame)
        if src == fd:
            os.set_inheritable(fd, True)
            return
        os.dup2(src, fd)
        if close_src:
            os.close(src)

    def _close(self, fd: int, frame) -> None:
        if not self.user_visible(fd):
            return  # closed already, or one of the shell's own fds: leave it alone
        self._make_room(fd)
        self._save(fd, frame)
        close_user_fd(fd)

    # -------------------------------------------------------------- one redirection
    def _one(self, r, frame) -> None:
        op = r.op
        exp = self.sh.expander
        if r.fd is not None:
            fd = r.fd
        else:
            fd = 0 if op[0] == "<" else 1
        if not r.varname and frame is not None:
            # remember the old state before opening anything: the new file may be
            # given the very fd number being redirected (`3>f` with 3 closed)
            self._make_room(fd)
            self._save(fd, frame)
            if op in ("&>", "&>>", ">&") and r.fd is None:
                self._make_room(2)
                self._save(2, frame)
        if op in ("<<", "<<-"):
            self._place(heredoc_fd(exp.heredoc(r.heredoc)), fd, r, frame)
            return
        if op == "<<<":
            self._place(heredoc_fd(exp.word(r.target) + "\n"), fd, r, frame)
            return
        if op in ("<&", ">&"):
            target = exp.word(r.target)
            if op == ">&" and r.fd is None and r.varname is None \
                    and not _is_fd_word(target):
                op = "&>"  # `>&file` means `&>file`
            else:
                self._dup(target, fd, op, r, frame)
                return
            path = target
        else:
            path = self._target_path(r.target)
        flags = _OUTPUT_FLAGS[op]
        if op in (">", "&>") and self.sh.state.option("noclobber"):
            flags = self._noclobber_flags(path, flags)
        try:
            newfd = os.open(path, flags, 0o666)
        except OSError as exc:
            if exc.errno == 17 and flags & os.O_EXCL:
                raise ShellError(f"{path}: cannot overwrite existing file") from None
            raise ShellError(f"{path}: {exc.strerror}") from None
        if op in ("&>", "&>>"):
            self._install(newfd, 1, frame)
            self._install(1, 2, frame, close_src=False)
            return
        self._place(newfd, fd, r, frame)

    def _target_path(self, word) -> str:
        exp = self.sh.expander
        fn = getattr(exp, "redirect_target", None)
        return fn(word) if fn is not None else exp.word(word)

    @staticmethod
    def _noclobber_flags(path: str, flags: int) -> int:
        import stat
        try:
            st = os.stat(path)
        except OSError:
            return flags | os.O_EXCL
        if stat.S_ISREG(st.st_mode):
            return flags | os.O_EXCL  # exists: open fails with EEXIST
        return flags

    def _place(self, newfd: int, fd: int, r, frame) -> None:
        """Put the freshly opened `newfd` where the redirection wants it."""
        if r.varname:
            if newfd >= 10:  # already the lowest free fd from 10 on
                os.set_inheritable(newfd, True)
                user_fd = newfd
            else:
                user_fd = fcntl.fcntl(newfd, fcntl.F_DUPFD, 10)
                os.close(newfd)
            self._set_fd_var(r.varname, user_fd)
            return
        self._install(newfd, fd, frame)

    def _set_fd_var(self, name: str, fd: int) -> None:
        from pyshell.interp.state import VarError
        try:
            self.sh.state.set(name, str(fd))
        except VarError as exc:
            os.close(fd)
            raise ShellError(exc.message) from None

    def _dup(self, target: str, fd: int, op: str, r, frame) -> None:
        if r.varname and target == "-":
            value = self._fd_var_value(r.varname)
            if value is None or not value.isdigit():
                raise ShellError(f"{value or ''}: Bad file descriptor" if value else
                                 f"{r.varname}: ambiguous redirect")
            self._close(int(value), None)
            return
        if target == "-":
            self._close(fd, frame)
            return
        move = target.endswith("-")
        digits = target[:-1] if move else target
        if not digits.isdigit():
            raise ShellError(f"{target}: ambiguous redirect")
        src = int(digits)
        if src >= 2**31 or not self.user_visible(src):
            raise ShellError(f"{digits}: Bad file descriptor")
        if r.varname:
            user_fd = fcntl.fcntl(src, fcntl.F_DUPFD, 10)
            self._set_fd_var(r.varname, user_fd)
        elif src != fd:
            self._make_room(fd)
            self._save(fd, frame)
            os.dup2(src, fd)
        else:
            os.set_inheritable(fd, True)
        if move and src != fd:
            self._close(src, frame)

    def _fd_var_value(self, name: str) -> str | None:
        """The fd number held by `name` or `name[index]` (`exec {COPROC[1]}>&-`)."""
        st = self.sh.state
        base, bracket, rest = name.partition("[")
        if not bracket:
            return st.get(name)
        arr = st.get_array(base) or {}
        key = rest.rstrip("]")
        if not st.is_assoc(base):
            try:
                key = int(key)
            except ValueError:
                return None
        return arr.get(key)

    def user_visible(self, fd: int) -> bool:
        """Is `fd` open as far as shell code can tell? The shell's own fds (saved
        copies, the launcher's sockets, ...) are close-on-exec and invisible, like
        bash's; fds the user made are inheritable, and coprocess fds are registered."""
        try:
            flags = fcntl.fcntl(fd, fcntl.F_GETFD)
        except OSError:
            return False
        if flags & fcntl.FD_CLOEXEC and fd not in self.visible_cloexec:
            return False
        return not self._is_private(fd)

    def _is_private(self, fd: int) -> bool:
        for frame in self.frames:
            for entry in frame:
                if entry[1] == fd:
                    return True
        return False


def _is_fd_word(text: str) -> bool:
    return text == "-" or text.isdigit() or (text.endswith("-") and text[:-1].isdigit())
