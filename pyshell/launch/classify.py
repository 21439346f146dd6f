"""Which binaries the userspace loader may load and warm.

Everything that is not certainly an ordinary dynamically linked x86-64 ELF program that
keeps no privileges goes to posix_spawn, where the kernel gives it exactly its usual
treatment (and its usual errors). The answer depends only on the file and the mount, so
callers cache it by file identity.
"""
from __future__ import annotations

import mmap
import os

_PT_INTERP = 3
_PT_GNU_STACK = 0x6474E551
_PF_X = 1


def not_warmable_reason(path: str, st: os.stat_result) -> str | None:
    """None when `path` may be warmed, else a short reason (a statistics key)."""
    import stat as _stat
    if not _stat.S_ISREG(st.st_mode):
        return "not-regular-file"
    if st.st_mode & (_stat.S_ISUID | _stat.S_ISGID):
        return "setuid-setgid"
    if not os.access(path, os.X_OK):
        return "no-exec-permission"
    try:
        if os.statvfs(path).f_flag & os.ST_NOEXEC:
            return "noexec-mount"
    except OSError:
        return "statvfs-failed"
    try:
        os.getxattr(path, "security.capability")
        return "file-capabilities"
    except OSError:
        pass
    if _lsm_may_transition(path):
        return "lsm-exec-transition"
    try:
        with open(path, "rb") as f:
            if st.st_size < 64:
                return "script" if f.read(2) == b"#!" else "not-elf"
            data = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)
    except (OSError, ValueError):
        return "unreadable"
    with data:
        return _elf_reason(data)


_lsm_rules = None


def _lsm_may_transition(path: str) -> bool:
    """True when a security module could attach a new context when `path` is exec'd
    (a warm child never execs, so it would keep the shell's)."""
    global _lsm_rules
    if _lsm_rules is None:
        _lsm_rules = _load_lsm_rules()
    if _lsm_rules is True:
        return True
    import fnmatch
    real = os.path.realpath(path)
    return any(fnmatch.fnmatchcase(path, rule) or fnmatch.fnmatchcase(real, rule)
               for rule in _lsm_rules)


def _load_lsm_rules():
    """True: everything may transition (SELinux enforcing, or AppArmor with profiles we
    cannot read); else the AppArmor profile attachments (path globs)."""
    try:
        with open("/sys/fs/selinux/enforce") as f:
            if f.read().strip() == "1":
                return True
    except OSError:
        pass
    try:
        with open("/sys/module/apparmor/parameters/enabled") as f:
            if f.read().strip() != "Y":
                return []
    except OSError:
        return []
    try:
        with open("/sys/kernel/security/apparmor/profiles") as f:
            names = [line.rsplit(" (", 1)[0] for line in f]
    except OSError:
        try:      # unprivileged: profiles are conventionally named after their path
            names = ["/" + n.replace(".", "/") for n in os.listdir("/etc/apparmor.d")]
        except OSError:
            return True
    return [n.replace("{,*}", "*").replace("**", "*") for n in names if n.startswith("/")]


def _u(data, offset: int, size: int) -> int:
    """A little-endian unsigned field (no `struct` import: start-up time)."""
    return int.from_bytes(data[offset:offset + size], "little")


def _elf_reason(data) -> str | None:
    if data[:2] == b"#!":
        return "script"
    if data[:4] != b"\x7fELF":
        return "not-elf"
    if data[4] != 2 or data[5] != 1 or _u(data, 18, 2) != 62:
        return "foreign-or-32-bit"
    e_type = _u(data, 16, 2)
    if e_type not in (2, 3):
        return "not-executable"
    phoff = _u(data, 32, 8)
    phentsize, phnum = _u(data, 54, 2), _u(data, 56, 2)
    if phentsize != 56 or phnum == 0 or phoff + phnum * 56 > len(data):
        return "bad-program-headers"
    interp = False
    exec_stack = True          # no PT_GNU_STACK means an executable stack
    for i in range(phnum):
        p_type, p_flags = _u(data, phoff + i * 56, 4), _u(data, phoff + i * 56 + 4, 4)
        if p_type == _PT_INTERP:
            interp = True
        elif p_type == _PT_GNU_STACK:
            exec_stack = bool(p_flags & _PF_X)
    if not interp:
        return "static"
    if exec_stack:
        return "executable-stack"
    # $ORIGIN in the program's rpath resolves through /proc/self/exe, which stays the
    # stub's; programs that read /proc/self/exe themselves would see the stub too.
    # A plain byte search over-approximates both: a false hit only costs speed.
    if data.find(b"$ORIGIN") >= 0 or data.find(b"${ORIGIN}") >= 0:
        return "origin-rpath"
    if data.find(b"/proc/self/exe") >= 0:
        return "reads-proc-self-exe"
    return None
