# cython: language_level=3, boundscheck=False, wraparound=False
"""Native hot path of the warm launcher (see pyshell/launch/warm.py for the pool logic).

Encodes one launch request for a warm-process stub, gathers the shell state a
fork/exec child would inherit (umask, rlimits, ignored signals), passes the fds over the
stub's socket and returns the child's pid - all system calls without the GIL.

Request layout (little endian; must match `struct req` in asm/stub.c):
    u32 magic "PWRQ", u32 total length, u32 argc, u32 envc, u32 strings length,
    u32 nmap, i32 cwd index, i32 pgid, u32 umask, u32 seq, u64 ignored signals,
    u64 blocked signals, 16 x (u64 cur, u64 max) rlimits,
    nmap x (u32 child fd, u32 index of a passed fd),
    strings: argv..., "KEY=VALUE"..., execfn, each NUL-terminated.
The answer is three i64, (pid, error, seq), sent once the child has finished its set-up
(process group, cwd, fds): (pid, 0) success - sent by the child itself, straight to the
shell; (pid, errno) the child could not be set up (the caller reaps it; posix_spawn would
have failed the same way); (0, errno) clone failed; (0, 1000 + reason) the binary cannot
be warmed. seq echoes the request's (0xffffffff: whatever request is pending): a child
killed between answering and telling its server so gets a second, late answer from the
server, which the next request skips.

Per-launch work is kept small: the ignored-signal set is read once and re-read only after
signals_changed() (or in a forked copy of the shell); the encoded environment is reused
while the environment is equal to the last one.
"""
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE

cdef extern from "Python.h":
    bytes PyUnicode_EncodeFSDefault(object)
from libc.string cimport memcpy, memset, memchr, memcmp
from libc.stdlib cimport malloc, free
from libc.errno cimport errno, EINTR, EBADF

cdef extern from "<sys/types.h>":
    ctypedef int pid_t
    ctypedef unsigned int mode_t

cdef extern from "<sys/stat.h>" nogil:
    mode_t umask(mode_t)

cdef extern from "<sys/resource.h>" nogil:
    ctypedef unsigned long rlim_t
    struct rlimit:
        rlim_t rlim_cur
        rlim_t rlim_max
    int getrlimit(int, rlimit *)

cdef extern from "<signal.h>" nogil:
    ctypedef struct sigaction_t "struct sigaction":
        void *sa_handler
    int c_sigaction "sigaction"(int, const sigaction_t *, sigaction_t *)
    void *SIG_IGN

cdef extern from "<fcntl.h>" nogil:
    int fcntl(int, int, ...)
    int open(const char *, int, ...)
    int F_GETFD
    int FD_CLOEXEC
    int O_RDONLY
    int O_DIRECTORY
    int O_CLOEXEC

cdef extern from "<unistd.h>" nogil:
    int close(int)
    pid_t getpid()

cdef extern from "<poll.h>" nogil:
    struct pollfd:
        int fd
        short events
        short revents
    int poll(pollfd *, unsigned long, int)
    short POLLIN

cdef extern from "<sys/uio.h>" nogil:
    struct iovec:
        void *iov_base
        size_t iov_len

cdef extern from "<sys/socket.h>" nogil:
    struct msghdr:
        void *msg_name
        unsigned int msg_namelen
        iovec *msg_iov
        size_t msg_iovlen
        void *msg_control
        size_t msg_controllen
        int msg_flags
    struct cmsghdr:
        size_t cmsg_len
        int cmsg_level
        int cmsg_type
    ssize_t sendmsg(int, const msghdr *, int)
    ssize_t recv(int, void *, size_t, int)
    int SOL_SOCKET
    int SCM_RIGHTS
    int MSG_NOSIGNAL
    unsigned char *CMSG_DATA(cmsghdr *)
    size_t CMSG_SPACE(size_t)
    size_t CMSG_LEN(size_t)

cdef extern from "<dirent.h>" nogil:
    ctypedef struct DIR
    struct dirent:
        char d_name[256]
    DIR *fdopendir(int)
    dirent *readdir(DIR *)
    int closedir(DIR *)
    int dirfd(DIR *)

cdef enum:
    HDR_SIZE = 312
    NRLIM = 16
    MAX_FDS = 253
cdef unsigned int REQ_MAGIC = 0x51525750u
cdef long long ANY_SEQ = 0xffffffff     # an answer to whatever request is pending

# Messages above this go to posix_spawn (a SEQPACKET message must fit the socket buffer).
MAX_REQUEST = 200000
# The kernel's MAX_ARG_STRLEN: execve fails with E2BIG for a longer single string, so such
# requests go to posix_spawn, which reports exactly that.
cdef Py_ssize_t MAX_ARG_STRLEN = 32 * 4096


class WarmError(Exception):
    """The warm path cannot serve this request; the caller falls back to posix_spawn."""

    def __init__(self, reason, code=0):
        Exception.__init__(self, reason)
        self.reason = reason
        self.code = code


cdef bytes _fs(object s):
    if isinstance(s, bytes):
        b = <bytes>s
    else:
        b = PyUnicode_EncodeFSDefault(s)
    if memchr(PyBytes_AS_STRING(b), 0, PyBytes_GET_SIZE(b)) != NULL:
        raise ValueError("embedded null byte")
    return b


cdef extern from "<dirent.h>" nogil:
    ssize_t getdents64(int, void *, size_t)

cdef extern from "<sys/stat.h>" nogil:
    struct fdstat_t "stat":
        unsigned long st_dev
        unsigned long st_ino
    int c_fstat "fstat"(int, fdstat_t *)

cdef extern from "<unistd.h>" nogil:
    long lseek(int, long, int)
    int SEEK_SET

cdef extern from "<fcntl.h>" nogil:
    int F_DUPFD_CLOEXEC

# The launcher's long-lived fds sit at or above this number, out of the way of the fds
# scripts use (`exec 10>f` must not land on one of them); below the soft fd limit they
# stay where they were opened.
cdef int _HIGH_FD_BASE = 230
HIGH_FD_BASE = _HIGH_FD_BASE


cdef int _move_high(int fd) noexcept nogil:
    """fd moved to HIGH_FD_BASE or above (close-on-exec), or fd itself if that fails."""
    cdef int high = fcntl(fd, F_DUPFD_CLOEXEC, _HIGH_FD_BASE)
    if high < 0:
        return fd
    close(fd)
    return high


def move_high(int fd):
    """Python access to _move_high (the pool's sockets and pidfds)."""
    cdef int r
    with nogil:
        r = _move_high(fd)
    return r


# /proc/self/fd of this process, kept open: rewinding it costs far less than the path
# walk of opening it for every launch. Opened again in a forked copy (it would list the
# parent's fds); identified by (dev, ino) so that an fd a script put on its number is
# never read, closed or mistaken for it.
cdef int _fd_dir = -1
cdef pid_t _fd_dir_pid = 0
cdef unsigned long _fd_dir_dev = 0, _fd_dir_ino = 0


cdef int _is_fd_dir(int fd) noexcept nogil:
    cdef fdstat_t st
    return c_fstat(fd, &st) == 0 and st.st_dev == _fd_dir_dev and st.st_ino == _fd_dir_ino


cdef int _open_fd_dir() noexcept nogil:
    """The kept /proc/self/fd directory fd of this process (-1 on failure)."""
    global _fd_dir, _fd_dir_pid, _fd_dir_dev, _fd_dir_ino
    cdef pid_t me = getpid()
    cdef fdstat_t st
    cdef int fd
    if _fd_dir >= 0:
        if _is_fd_dir(_fd_dir):
            if _fd_dir_pid == me:
                return _fd_dir
            close(_fd_dir)        # the parent's listing, inherited through fork
        _fd_dir = -1
    fd = open(b"/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd < 0:
        return -1
    fd = _move_high(fd)
    if c_fstat(fd, &st) != 0:
        close(fd)
        return -1
    _fd_dir = fd
    _fd_dir_pid = me
    _fd_dir_dev = st.st_dev
    _fd_dir_ino = st.st_ino
    return fd


def release_fd(int fd):
    """The shell is about to reuse `fd` for a script's fd: if the kept /proc/self/fd
    listing sits there, close it (it is opened again, elsewhere, when next needed)."""
    global _fd_dir
    if fd == _fd_dir and fd >= 0:
        close(fd)
        _fd_dir = -1


def inheritable_fds():
    """The shell's open fds without FD_CLOEXEC: what a fork/exec child would inherit.
    (Raw getdents64 on a kept /proc/self/fd: no DIR buffer, no extra fstat/fcntl calls.)"""
    cdef int dfd, fd, flags
    cdef char buf[4096]
    cdef ssize_t got, off
    cdef unsigned short reclen
    cdef char *name
    cdef list out = []
    cdef int found[1024]
    cdef int n = 0, i
    with nogil:
        dfd = _open_fd_dir()
        if dfd >= 0 and lseek(dfd, 0, SEEK_SET) != 0:
            dfd = -1
        if dfd >= 0:
            while n < 1024:
                got = getdents64(dfd, buf, sizeof(buf))
                if got <= 0:
                    break
                off = 0
                while off < got and n < 1024:
                    # struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, name
                    memcpy(&reclen, buf + off + 16, 2)
                    name = buf + off + 19
                    off += reclen
                    if name[0] < 48 or name[0] > 57:
                        continue
                    fd = 0
                    while name[0] >= 48 and name[0] <= 57:
                        fd = fd * 10 + (name[0] - 48)
                        name += 1
                    if fd == dfd:
                        continue
                    flags = fcntl(fd, F_GETFD)
                    if flags >= 0 and not (flags & FD_CLOEXEC):
                        found[n] = fd
                        n += 1
                # procfs fills the buffer while entries fit (each under 40 bytes): room
                # left over means the listing is complete, no need to ask again for EOF
                if got + 64 <= <ssize_t>sizeof(buf):
                    break
    if dfd < 0:
        raise OSError(errno, "cannot list /proc/self/fd")
    for i in range(n):
        out.append(found[i])
    return out


def fd_is_open(int fd):
    cdef int r
    with nogil:
        r = fcntl(fd, F_GETFD)
    return r >= 0


cdef unsigned long long _ignored_signals() noexcept nogil:
    cdef unsigned long long mask = 0
    cdef sigaction_t sa
    cdef int s
    for s in range(1, 65):
        if s == 9 or s == 19 or s == 32 or s == 33:
            continue
        if c_sigaction(s, NULL, &sa) == 0 and sa.sa_handler == SIG_IGN:
            mask |= (<unsigned long long>1) << (s - 1)
    return mask


def ignored_signals():
    """Bit s-1 set for every signal the shell currently ignores."""
    cdef unsigned long long m
    with nogil:
        m = _ignored_signals()
    return m


# The ignored-signal set, read with 60 sigaction calls, changes only when the shell
# changes a disposition (trap, or its own start-up): cached per process until then.
cdef unsigned long long _sig_cache = 0
cdef pid_t _sig_cache_pid = 0


def signals_changed():
    """The shell changed a signal disposition: re-read them before the next launch."""
    global _sig_cache_pid
    _sig_cache_pid = 0


cdef unsigned long long _cached_ignored_signals() noexcept nogil:
    global _sig_cache, _sig_cache_pid
    cdef pid_t me = getpid()
    if _sig_cache_pid != me:
        _sig_cache = _ignored_signals()
        _sig_cache_pid = me
    return _sig_cache


# The last environment encoded: a launch with an equal one reuses its bytes.
cdef dict _env_last = None
cdef bytes _env_block = None


cdef bytes _encode_env(dict env):
    global _env_last, _env_block
    if _env_last is not None and env == _env_last:
        return _env_block
    cdef list parts = []
    cdef bytes b
    for k, v in env.items():
        kb = _fs(k)
        if PyBytes_GET_SIZE(kb) == 0 or memchr(PyBytes_AS_STRING(kb), 61, PyBytes_GET_SIZE(kb)) != NULL:
            raise ValueError("illegal environment variable name")
        b = kb + b"=" + _fs(v)
        if PyBytes_GET_SIZE(b) >= MAX_ARG_STRLEN:
            raise WarmError("oversized")
        parts.append(b)
    parts.append(b"")
    block = b"\0".join(parts)
    _env_last = dict(env)
    _env_block = block
    return block


cdef unsigned int _seq = 0
# An answer: pid, error, request seq, flags, count of ended spares to reap, their pids
# (asm/stub.c, reply()).
cdef enum:
    REPLY_WORDS = 9
    MAX_REAP = 4
    FROM_SPARE = 1
last_from_spare = False   # whether the last warm launch found its process made in advance


cdef inline void _put32(char *p, unsigned int v) noexcept nogil:
    memcpy(p, &v, 4)


cdef inline void _put64(char *p, unsigned long long v) noexcept nogil:
    memcpy(p, &v, 8)


def request(int sock, object execfn, list argv, dict env, list fdmap, list srcfds,
            int cwd_index, int pgid, unsigned long long sigdefault,
            unsigned long long sigmask, int timeout_ms, bint answer=True):
    """Send one launch request to a warm stub and return the new child's pid.

    fdmap: [(child_fd, index into srcfds)]; srcfds: the shell's fds to pass (the last one
    may be a cwd directory fd, named by cwd_index). Raises WarmError when the warm path
    failed before a child was created (the caller then uses posix_spawn).
    answer=False: only send; returns the request's seq, for `receive` to collect the
    answer later (answers to one server come in the order of its requests).
    """
    cdef list parts = []
    cdef Py_ssize_t total = 0, nstr = 0, i
    cdef bytes b
    cdef unsigned int argc = len(argv), envc = len(env)
    for a in argv:
        b = _fs(a)
        parts.append(b)
        total += PyBytes_GET_SIZE(b) + 1
        if PyBytes_GET_SIZE(b) >= MAX_ARG_STRLEN:
            raise WarmError("oversized")
    cdef bytes envblock = _encode_env(env)
    total += PyBytes_GET_SIZE(envblock)
    b = _fs(execfn)
    parts.append(b)
    total += PyBytes_GET_SIZE(b) + 1
    nstr = total

    cdef unsigned int nmap = len(fdmap), nfds = len(srcfds)
    if nfds > MAX_FDS:
        raise WarmError("too-many-fds")
    cdef Py_ssize_t size = HDR_SIZE + nmap * 8 + nstr
    if size > MAX_REQUEST:
        raise WarmError("oversized")

    cdef char *buf = <char *>malloc(size)
    if buf == NULL:
        raise MemoryError()
    cdef char *p = buf + HDR_SIZE
    cdef int fdarr[MAX_FDS]
    try:
        for i in range(nmap):
            t, s = fdmap[i]
            _put32(p, <unsigned int>t)
            _put32(p + 4, <unsigned int>s)
            p += 8
        for b in parts[:argc]:
            memcpy(p, PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b) + 1)
            p += PyBytes_GET_SIZE(b) + 1
        memcpy(p, PyBytes_AS_STRING(envblock), PyBytes_GET_SIZE(envblock))
        p += PyBytes_GET_SIZE(envblock)
        b = parts[argc]
        memcpy(p, PyBytes_AS_STRING(b), PyBytes_GET_SIZE(b) + 1)
        for i in range(nfds):
            fdarr[i] = srcfds[i]
        return _send(sock, buf, size, argc, envc, <unsigned int>nstr, nmap, fdarr, nfds,
                     cwd_index, pgid, sigdefault, sigmask, timeout_ms, answer)
    finally:
        free(buf)


cdef long long _send(int sock, char *buf, Py_ssize_t size, unsigned int argc,
                     unsigned int envc, unsigned int nstr, unsigned int nmap, int *fdarr,
                     unsigned int nfds, int cwd_index, int pgid,
                     unsigned long long sigdefault, unsigned long long sigmask,
                     int timeout_ms, bint answer) except? -1:
    cdef mode_t um
    cdef rlimit rl
    cdef int r, err = 0
    global _seq
    _seq = (_seq + 1) & 0x7fffffff
    cdef unsigned int seq = _seq
    cdef ssize_t got
    cdef msghdr mh
    cdef iovec iov
    cdef char cbuf[16 + MAX_FDS * 4]
    cdef cmsghdr *cm
    with nogil:
        _put32(buf, REQ_MAGIC)
        _put32(buf + 4, <unsigned int>size)
        _put32(buf + 8, argc)
        _put32(buf + 12, envc)
        _put32(buf + 16, nstr)
        _put32(buf + 20, nmap)
        _put32(buf + 24, <unsigned int>cwd_index)
        _put32(buf + 28, <unsigned int>pgid)
        um = umask(0)
        umask(um)
        _put32(buf + 32, um)
        _put32(buf + 36, seq)
        _put64(buf + 40, _cached_ignored_signals() & ~sigdefault)
        _put64(buf + 48, sigmask)
        for r in range(NRLIM):
            if getrlimit(r, &rl) != 0:
                rl.rlim_cur = <rlim_t>-1
                rl.rlim_max = <rlim_t>-1
            _put64(buf + 56 + r * 16, rl.rlim_cur)
            _put64(buf + 64 + r * 16, rl.rlim_max)

        iov.iov_base = buf
        iov.iov_len = size
        memset(&mh, 0, sizeof(mh))
        mh.msg_iov = &iov
        mh.msg_iovlen = 1
        if nfds:
            memset(cbuf, 0, sizeof(cbuf))
            mh.msg_control = cbuf
            mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int))
            cm = <cmsghdr *>cbuf
            cm.cmsg_len = CMSG_LEN(nfds * sizeof(int))
            cm.cmsg_level = SOL_SOCKET
            cm.cmsg_type = SCM_RIGHTS
            memcpy(CMSG_DATA(cm), fdarr, nfds * sizeof(int))
        while True:
            got = sendmsg(sock, &mh, MSG_NOSIGNAL)
            if got >= 0 or errno != EINTR:
                break
        if got < 0:
            err = errno
    if err:
        raise WarmError("socket-error", err)
    if not answer:
        return seq
    return _receive(sock, seq, timeout_ms)


def receive(int sock, unsigned int seq, int timeout_ms):
    """The answer to the request `seq` sent with answer=False: the child's pid, or
    WarmError as `request` raises it."""
    return _receive(sock, seq, timeout_ms)


cdef long long _receive(int sock, unsigned int seq, int timeout_ms) except? -1:
    cdef int r, err = 0
    cdef long long reply[REPLY_WORDS]
    cdef long long k
    cdef ssize_t got
    cdef pollfd pfd
    with nogil:
        if True:
            if timeout_ms >= 0:
                pfd.fd = sock
                pfd.events = POLLIN
                pfd.revents = 0
                while True:
                    r = poll(&pfd, 1, timeout_ms)
                    if r >= 0 or errno != EINTR:
                        break
                if r == 0:
                    err = -1
            while err == 0:
                got = recv(sock, reply, sizeof(reply), 0)
                if got < 0 and errno == EINTR:
                    continue
                if got != sizeof(reply):
                    err = -2 if got >= 0 else errno
                elif reply[2] == <long long>seq or reply[2] == ANY_SEQ:
                    break
                # else: a late answer to an earlier request (see the module doc)
    global last_from_spare
    if err == 0:
        # Spares of this server that ended unused (zombies of the shell): reap them now.
        k = 0
        while k < reply[4] and k < MAX_REAP:
            if reply[5 + k] > 0:
                _reap(<pid_t>reply[5 + k])
            k += 1
        last_from_spare = (reply[3] & FROM_SPARE) != 0
    if err == -1:
        raise WarmError("timeout")
    if err == -2:
        raise WarmError("server-died")
    if err:
        raise WarmError("socket-error", err)
    if reply[0] <= 0:
        if reply[1] >= 1000:
            raise WarmError("not-warmable", <int>(reply[1] - 1000))
        raise WarmError("clone-failed", <int>reply[1])
    if reply[1] != 0:
        _reap(<pid_t>reply[0])
        raise WarmError("child-setup-failed", <int>reply[1])
    return reply[0]


cdef extern from "<sys/wait.h>" nogil:
    pid_t waitpid(pid_t, int *, int)


cdef void _reap(pid_t pid) noexcept:
    cdef int st
    with nogil:
        while waitpid(pid, &st, 0) < 0 and errno == EINTR:
            pass


# ---- helpers for the pool's per-launch checks (pyshell/launch/warm.py) -------------------
cdef extern from "<sys/stat.h>" nogil:
    struct timespec_t "timespec":
        long tv_sec
        long tv_nsec
    struct stat_t "stat":
        unsigned long st_dev
        unsigned long st_ino
        long st_size
        timespec_t st_mtim
        timespec_t st_ctim
    int c_stat "stat"(const char *, stat_t *)


def identity(object path):
    """(dev, ino, size, mtime_ns, ctime_ns) of the file `path` names, or None."""
    cdef bytes b = _fs(path)
    cdef const char *p = PyBytes_AS_STRING(b)
    cdef stat_t st
    cdef int r
    with nogil:
        r = c_stat(p, &st)
    if r != 0:
        return None
    return (st.st_dev, st.st_ino, st.st_size,
            st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec,
            st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec)


cdef struct packed_identity:
    unsigned long dev, ino
    long size, mtime_ns, ctime_ns


# The identity of a file that must stay absent (no file has inode 0).
ABSENT = (0, 0, 0, 0, 0)


def packed_identities(list entries):
    """[(path, identity or ABSENT)] as opaque values for identities_current()."""
    cdef list out = []
    cdef packed_identity pi
    for path, ident in entries:
        pi.dev, pi.ino, pi.size, pi.mtime_ns, pi.ctime_ns = ident
        out.append(_fs(path) + b"\0" + (<char *>&pi)[:sizeof(pi)])
    return out


def identities_current(list packed):
    """True when every file of packed_identities() still has its identity (one stat
    each, no Python objects built)."""
    cdef bytes item
    cdef const char *p
    cdef Py_ssize_t n
    cdef stat_t st
    cdef packed_identity now
    cdef packed_identity *was
    cdef int r
    for item in packed:
        p = PyBytes_AS_STRING(item)
        n = PyBytes_GET_SIZE(item)
        was = <packed_identity *>(p + n - sizeof(packed_identity))
        with nogil:
            r = c_stat(p, &st)
        if r != 0:
            if was.dev == 0 and was.ino == 0:
                continue                  # ABSENT, and still absent
            return False
        memset(&now, 0, sizeof(now))
        now.dev = st.st_dev
        now.ino = st.st_ino
        now.size = st.st_size
        now.mtime_ns = st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec
        now.ctime_ns = st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec
        if memcmp(&now, was, sizeof(now)) != 0:
            return False
    return True


# The last environment loader_env() looked at (a copy) and its answer.
cdef dict _le_last = None
cdef tuple _le_result = ()


def loader_env(dict env):
    """The variables ld.so and malloc read once at start-up (and GCONV_PATH), as a sorted
    tuple."""
    global _le_last, _le_result
    if _le_last is not None and env == _le_last:
        return _le_result
    cdef tuple result = _scan_loader_env(env)
    _le_last = dict(env)
    _le_result = result
    return result


cdef tuple _scan_loader_env(dict env):
    cdef list found = None
    cdef str k
    for key, value in env.items():
        if type(key) is not str:
            continue
        k = <str>key
        # GCONV_PATH: read once, when a process first needs character set conversion,
        # which a warm process that loaded locale data already did (see launch/locale_data)
        if k.startswith("LD_") or k.startswith("MALLOC_") or k == "GLIBC_TUNABLES" \
                or k == "GCONV_PATH":
            if found is None:
                found = []
            found.append((k, value))
    if found is None:
        return ()
    found.sort()
    return tuple(found)


def fd_plan(list actions):
    """The child's fd table as posix_spawn would leave it: the shell's inheritable fds,
    then `actions` ((child_fd, parent_fd) dup2s; parent_fd < 0 closes child_fd) in order.
    Returns (fdmap, srcs): [(child_fd, index into srcs)], the distinct shell fds to pass.
    """
    cdef list inherited = inheritable_fds()
    cdef Py_ssize_t n
    if not actions:             # a plain command: every inheritable fd as it is
        return [(inherited[n], n) for n in range(len(inherited))], inherited
    cdef dict table = {}
    cdef set closed = None
    for fd in inherited:
        table[fd] = fd
    for child_fd, parent_fd in actions:
        if parent_fd < 0:
            table.pop(child_fd, None)
            if closed is None:
                closed = set()
            closed.add(child_fd)
            continue
        src = table.get(parent_fd)
        if src is None:
            if (closed is not None and parent_fd in closed) or not fd_is_open(parent_fd):
                raise WarmError("bad-fd")        # posix_spawn reports EBADF
            src = parent_fd
        table[child_fd] = src
        if closed is not None:
            closed.discard(child_fd)
    cdef list srcs = []
    cdef dict index = {}
    cdef list fdmap = []
    for child_fd, src in table.items():
        i = index.get(src)
        if i is None:
            i = index[src] = len(srcs)
            srcs.append(src)
        fdmap.append((child_fd, i))
    return fdmap, srcs


cdef extern from "<sys/resource.h>" nogil:
    int getpriority(int, unsigned int)
    int PRIO_PROCESS

cdef extern from "<sched.h>" nogil:
    ctypedef struct cpu_set_t:
        pass
    int sched_getaffinity(pid_t, size_t, cpu_set_t *)


def process_attributes():
    """(nice value, CPU affinity mask): inherited from the warm process, not the shell, so
    a server is only used while the shell's are still the ones it started with."""
    cdef int nice
    cdef unsigned char mask[128]
    cdef int r
    with nogil:
        nice = getpriority(PRIO_PROCESS, 0)
        r = sched_getaffinity(0, sizeof(mask), <cpu_set_t *>mask)
    if r < 0:
        return (nice, b"")
    return (nice, (<char *>mask)[:sizeof(mask)])
