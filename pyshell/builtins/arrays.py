"""mapfile / readarray: read lines into an indexed array, as bash 5.2 does.

What is left unread matters to the next reader of the same input: like bash, lines are
read a byte at a time from pipes and terminals when reading may stop before the end
(-n, or a -C callback that could read the same input itself); a regular file is read in
blocks and the file offset put back just after the last line taken.
"""
from __future__ import annotations

import os
import stat

from pyshell.builtins import builtin
from pyshell.builtins.options import legal_number, parse

_USAGE = ("{} [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] "
          "[-c quantum] [array]")
_DEFAULT_QUANTUM = 5000


class _LineSource:
    """Lines (bytes, delimiter included unless at end of input) from one fd."""

    def __init__(self, fd: int, delim: bytes, exact: bool):
        self.fd = fd
        self.delim = delim
        try:
            self.seekable = stat.S_ISREG(os.fstat(fd).st_mode)
        except OSError:
            self.seekable = False
        # a block read that may go past the last line taken is fine only where the
        # offset can be put back, or where everything is read anyway
        self.blocksize = 65536 if self.seekable or not exact else 1
        self.buf = b""
        self.pos = 0  # buf[pos:] is not taken yet
        self.eof = False

    def _fill(self) -> bool:
        while True:
            try:
                data = os.read(self.fd, self.blocksize)
            except InterruptedError:
                continue
            except OSError:  # bash stops at a read error as at the end of input
                data = b""
            if not data:
                self.eof = True
                return False
            self.buf = self.buf[self.pos:] + data if self.pos else self.buf + data
            self.pos = 0
            return True

    def next_line(self) -> bytes | None:
        start = self.pos
        while True:
            idx = self.buf.find(self.delim, start)
            if idx >= 0:
                line = self.buf[self.pos:idx + 1]
                self.pos = idx + 1
                return line
            start = len(self.buf) - self.pos
            if self.eof or not self._fill():
                line = self.buf[self.pos:]
                self.buf, self.pos = b"", 0
                return line or None

    def rest(self) -> bytes:
        """Everything up to the end of the input."""
        chunks = [self.buf[self.pos:]]
        while not self.eof:
            try:
                data = os.read(self.fd, 65536)
            except InterruptedError:
                continue
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        self.buf, self.pos, self.eof = b"", 0, True
        return b"".join(chunks)

    def sync(self) -> None:
        """Give back what was read past the last line taken (regular files only)."""
        left = len(self.buf) - self.pos
        if left and self.seekable:
            try:
                os.lseek(self.fd, -left, os.SEEK_CUR)
            except OSError:
                pass
            self.buf, self.pos = b"", 0


def _target_array(sh, name: str, array: str):
    """Check that `array` can take the lines (bash's find_or_make_array_variable).
    Returns an error status or None."""
    var = sh.state.lookup(array)
    if var is None:
        return None
    if "r" in var.attrs:
        sh.error(f"{array}: readonly variable")
        return 1
    if "A" in var.attrs:
        sh.error(f"{name}: {array}: not an indexed array")
        return 1
    return None


def _element(raw: bytes, delim: bytes, chop: bool) -> str:
    # bash keeps lines as C strings: a NUL byte ends the element, and -t then finds no
    # delimiter at the end to remove
    nul = raw.find(b"\0")
    if nul >= 0:
        raw = raw[:nul]
    elif chop and raw.endswith(delim):
        raw = raw[:-1]
    return raw.decode("utf-8", "surrogateescape")


@builtin("mapfile", "readarray")
def mapfile(sh, argv) -> int:
    name = argv[0]
    parsed = parse(argv, "d:u:n:O:tC:c:s:")
    opts, operands = parsed.opts, parsed.operands
    delim = b"\n"
    fd = 0
    count = origin = skip = 0
    clear = True
    chop = False
    callback = None
    quantum = _DEFAULT_QUANTUM
    for letter, value in opts:
        if letter == "d":
            delim = value.encode("utf-8", "surrogateescape")[:1] or b"\0"
        elif letter == "u":
            number = legal_number(value)
            if number is None or number < 0 or number >= 1 << 31:
                sh.error(f"{name}: {value}: invalid file descriptor specification")
                return 1
            # the shell's own fds (placeholders, saved copies) count as closed
            if not sh.redirector.user_visible(number):
                sh.error(f"{name}: {number}: invalid file descriptor: "
                         f"{os.strerror(9)}")
                return 1
            fd = number
        elif letter in "nOsc":
            number = legal_number(value)
            low = 1 if letter == "c" else 0
            if number is None or number < low or number >= 1 << 32:
                what = {"O": "array origin", "c": "callback quantum"}.get(letter,
                                                                         "line count")
                sh.error(f"{name}: {value}: invalid {what}")
                return 1
            if letter == "n":
                count = number
            elif letter == "O":
                origin = number
                clear = False
            elif letter == "s":
                skip = number
            else:
                quantum = number
        elif letter == "t":
            chop = True
        else:
            callback = value
    if parsed.error is not None:
        return parsed.report_error(sh, name, _USAGE.format(name))
    array = "MAPFILE"
    if operands:
        array = operands[0]
        if array == "":
            sh.error(f"{name}: empty array variable name")
            return 2
        from pyshell.builtins.vars import is_name
        if not is_name(array):
            sh.error(f"{name}: `{array}': not a valid identifier")
            return 1
    status = _target_array(sh, name, array)
    if status is not None:
        return status
    return _read_lines(sh, array, fd, delim, count, origin, skip, clear, chop, callback,
                       quantum)


def _read_lines(sh, array, fd, delim, count, origin, skip, clear, chop, callback,
                quantum) -> int:
    state = sh.state
    if clear:
        state.set_array(array, {})
    else:
        state.set_array(array, {}, append=True)
    source = _LineSource(fd, delim, exact=bool(count) or callback is not None)
    try:
        for _ in range(skip):
            if source.next_line() is None:
                break
        if not count and callback is None:
            _store(state, array, origin, _all_elements(source.rest(), delim, chop))
            return 0
        index = origin
        taken = 0
        while True:
            raw = source.next_line()
            if raw is None:
                break
            line = _element(raw, delim, chop)
            taken += 1
            if callback is not None and taken % quantum == 0:
                source.sync()
                from pyshell.interp.quoting import single_quote
                sh.eval_string(f"{callback} {index} {single_quote(line)}")
            state.set_element(array, index, line)
            index += 1
            if count and taken >= count:
                break
    finally:
        source.sync()
    return 0


def _all_elements(data: bytes, delim: bytes, chop: bool) -> list:
    """Every line of `data` as array elements (what _element gives, for all at once)."""
    if not data:
        return []
    if delim[0] >= 0x80:  # not a character of its own once decoded: line by line
        pieces = data.split(delim)
        last = pieces.pop()
        out = [_element(p + delim, delim, chop) for p in pieces]
        return out + [_element(last, delim, chop)] if last else out
    text = data.decode("utf-8", "surrogateescape")
    d = delim.decode()
    pieces = text.split(d)
    last = pieces.pop()
    if not chop:
        pieces = [p + d for p in pieces]
    if last:
        pieces.append(last)
    if "\0" in text:
        pieces = [p.split("\0", 1)[0] if "\0" in p else p for p in pieces]
    return pieces


def _store(state, array: str, origin: int, elements: list) -> None:
    from pyshell.interp.state import Var
    var = state.lookup(array)
    if type(var) is Var and var.attrs in ("a", "") and isinstance(var.value, dict):
        # a plain indexed array: no conversion to apply to the values
        var.value.update(dict(zip(range(origin, origin + len(elements)), elements)))
        return
    for index, line in enumerate(elements, origin):
        state.set_element(array, index, line)
