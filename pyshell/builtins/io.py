"""echo, printf and read."""
from __future__ import annotations

import os
import re
from stat import S_ISREG

from pyshell.builtins import builtin
from pyshell.syntax.escapes import as_text, decode, escape_end


def decode_escapes(text: str, mode: str = "echo", ansi: bool = False, warn=None):
    """Backslash escapes for echo -e ("echo"), printf %b ("b"), a printf format
    ("printf") or $'...' rules (ansi=True); see pyshell/syntax/escapes.py. Returns
    (text, stopped_by_backslash_c)."""
    return decode(text, "ansi" if ansi else mode, warn)


def _write(sh, name: str, text: str) -> int:
    try:
        sh.write(1, text)
    except OSError as exc:
        sh.error(f"{name}: write error: {os.strerror(exc.errno or 5)}")
        return 1
    return 0


# ------------------------------------------------------------------- echo

@builtin("echo")
def echo(sh, argv) -> int:
    newline = True
    escapes = "xpg_echo" in sh.state.shopts
    i = 1
    while i < len(argv):
        arg = argv[i]
        if len(arg) < 2 or arg[0] != "-" or any(c not in "neE" for c in arg[1:]):
            break
        for c in arg[1:]:
            if c == "n":
                newline = False
            elif c == "e":
                escapes = True
            else:
                escapes = False
        i += 1
    text = " ".join(argv[i:])
    if escapes:
        text, stopped = decode_escapes(text)
        if stopped:
            return _write(sh, "echo", text)
    return _write(sh, "echo", text + "\n" if newline else text)


# ------------------------------------------------------------------- printf

_BACKSLASH_SPECIAL = frozenset(" \t\n'\"\\|&;()<>!{}*[?]^$`,")


def quote_backslash(s: str) -> str:
    """printf %q: bash's backslash quoting, or $'...' for unprintable characters."""
    if s == "":
        return "''"
    from pyshell.interp.quoting import ansi_quote, needs_ansi
    if needs_ansi(s, True):
        return ansi_quote(s)
    out = []
    for i, c in enumerate(s):
        if c in _BACKSLASH_SPECIAL or (c == "~" and (i == 0 or s[i - 1] in "=:")) \
                or (c == "#" and i == 0):
            out.append("\\")
        out.append(c)
    return "".join(out)


class _PrintfState:
    __slots__ = ("sh", "status", "pending", "to_var")

    def __init__(self, sh, to_var: bool = False):
        self.sh = sh
        self.status = 0
        self.pending = []  # output of finished passes, written in one go
        self.to_var = to_var

    def flush(self) -> int:
        if self.pending and not self.to_var:
            text = "".join(self.pending)
            self.pending = []
            return _write(self.sh, "printf", text)
        return 0

    def report(self, msg: str) -> None:
        """A diagnostic; like bash, earlier output is written out first."""
        self.flush()
        self.sh.error(msg)

    def integer(self, arg: str, unsigned: bool = False) -> int:
        if arg is None or arg == "":
            return 0
        if arg[0] in "'\"":
            return ord(arg[1]) if len(arg) > 1 else 0
        m = _INT_PREFIX.match(arg)
        text = m.group(0).strip()
        value = int(text, 0) if text and text.lstrip("+-")[:1] != "0" or \
            text.lstrip("+-")[:2].lower() == "0x" else int(text or "0", 8)
        if text.lstrip("+-").lower() == "0x" or m.end() < len(arg) and \
                arg[m.end():m.end() + 1] in "xX" and text.lstrip("+-") == "0":
            self.report(f"printf: {arg}: invalid hex number")
            self.status = 1
        elif m.end() < len(arg) or not text:
            self.report(f"printf: {arg}: invalid number")
            self.status = 1
        limit = 1 << 63
        if value >= limit or value < -limit:
            if unsigned and -limit <= value < (1 << 64):
                return value
            self.report(f"printf: warning: {arg}: Numerical result out of range")
            value = limit - 1 if value > 0 else -limit
        return value

    def floating(self, arg: str) -> float:
        if arg is None or arg == "":
            return 0.0
        if arg[0] in "'\"":
            return float(ord(arg[1])) if len(arg) > 1 else 0.0
        s = arg.strip(" \t\n")
        m = _DECIMAL_ARG.fullmatch(arg)
        if m and m.group(2) and abs(int(m.group(2)[1:])) > 4950:
            self.report(f"printf: warning: {arg}: Numerical result out of range")
        try:
            if s[:2].lower() in ("0x",) or s[1:3].lower() == "0x":
                return float.fromhex(s)
            return float(s)
        except ValueError:
            pass
        # longest valid prefix, as strtold does
        for k in range(len(s) - 1, 0, -1):
            try:
                value = float(s[:k])
                break
            except ValueError:
                continue
        else:
            value = 0.0
        self.report(f"printf: {arg}: invalid number")
        self.status = 1
        return value


_FLAGS = "-+ #0'"
_MAX_FIELD = 1 << 31
_INT_PREFIX = re.compile(r"[ \t\n]*[+-]?(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)?")
_LENGTH_MODIFIERS = "hlLjtz"


def _format(fmt: str, args: list, st: _PrintfState):
    """One pass over the format. Returns (text, args_consumed, stop)."""
    out = []
    i, n = 0, len(fmt)
    ai = 0
    nargs = len(args)

    def next_arg():
        nonlocal ai
        if ai < nargs:
            ai += 1
            return args[ai - 1]
        return None

    while i < n:
        c = fmt[i]
        if c == "\\":
            k = escape_end(fmt, i)   # decode just this escape
            out.append(decode_escapes(fmt[i:k], "printf",
                                      warn=lambda m: st.report("printf: " + m))[0])
            i = k
            continue
        if c != "%":
            j = fmt.find("%", i)
            b = fmt.find("\\", i)
            end = min(x for x in (j, b, n) if x >= 0)
            out.append(fmt[i:end])
            i = end
            continue
        # a conversion
        start = i
        i += 1
        if i < n and fmt[i] == "%":
            out.append("%")
            i += 1
            continue
        flags = ""
        while i < n and fmt[i] in _FLAGS:
            flags += fmt[i]
            i += 1
        width = ""
        if i < n and fmt[i] == "*":
            width = str(st.integer(next_arg()))
            i += 1
        else:
            while i < n and fmt[i].isdigit():
                width += fmt[i]
                i += 1
        precision = None
        if i < n and fmt[i] == ".":
            i += 1
            if i < n and fmt[i] == "*":
                precision = str(st.integer(next_arg()))
                i += 1
            else:
                precision = ""
                while i < n and fmt[i].isdigit():
                    precision += fmt[i]
                    i += 1
        while i < n and fmt[i] in _LENGTH_MODIFIERS:
            i += 1
        if i >= n:
            st.report(f"printf: `{fmt[start:]}': missing format character")
            st.status = 1
            return "".join(out), ai, True
        conv = fmt[i]
        i += 1
        flags = flags.replace("'", "")
        if width.startswith("-"):
            flags += "-"
            width = width[1:]
        if precision is not None and precision.startswith("-"):
            precision = None  # a negative precision from `*` counts as none
        if width and int(width) >= _MAX_FIELD or precision and int(precision) >= _MAX_FIELD:
            # bash's printf(3) fails on such a field and prints nothing for it
            if conv != "(":
                next_arg()
                continue
        spec = "%" + flags + width + ("." + precision if precision is not None else "")
        if conv == "s":
            arg = next_arg()
            out.append(_pad_bytes("" if arg is None else arg, flags, width, precision))
        elif conv == "b":
            arg = next_arg()
            text, stopped = decode_escapes("" if arg is None else arg, "b",
                                           warn=lambda m: st.report("printf: " + m))
            out.append(_pad_bytes(text, flags, width, precision))
            if stopped:
                return "".join(out), ai, True
        elif conv in "qQ":
            arg = next_arg()
            arg = "" if arg is None else arg
            if conv == "Q" and precision is not None:
                arg = _pad_bytes(arg, "", "", precision)
                precision = None
            out.append(_pad_bytes(quote_backslash(arg), flags, width, precision))
        elif conv in "di":
            out.append((spec + "d") % st.integer(next_arg()))
        elif conv in "ouxX":
            value = st.integer(next_arg(), unsigned=True)
            if value < 0:
                value += 1 << 64
            if conv == "o" and "#" in flags:
                digits = "%o" % value
                spec = spec.replace("#", "")
                out.append((spec + "s") % (digits if digits.startswith("0") else "0" + digits)
                           if precision is None else (spec + "o") % value)
            else:
                out.append((spec + ("d" if conv == "u" else conv)) % value)
        elif conv == "c":
            arg = next_arg()
            out.append(_pad_bytes(arg if arg else "\0", flags, width, "1"))
        elif conv in "eEfFgGaA":
            arg = next_arg()
            value = st.floating(arg)
            if conv in "aA":
                text = _hex_long_double(arg or "", value, "+" in flags)
                out.append(_pad_bytes(text.upper() if conv == "A" else text, flags,
                                      width, None))
            else:
                text = _long_double_format(arg, conv, flags, precision)
                if text is None:
                    out.append((spec + conv) % value)
                else:
                    out.append(_pad_number(text, flags, width))
        elif conv == "(":
            close = fmt.find(")", i)
            if close < 0 or close + 1 >= n or fmt[close + 1] != "T":
                st.report(f"printf: `{fmt[start:i]}': invalid format character")
                st.status = 1
                return "".join(out), ai, True
            tfmt = fmt[i:close]
            i = close + 2
            import time
            arg = next_arg()
            if arg in (None, "", "-1"):
                value = int(time.time())
            elif arg == "-2":  # the time the shell started
                value = int(time.time() - (time.monotonic() - st.sh.state.start_time))
            else:
                value = st.integer(arg)
            text = _strftime(st.sh, tfmt or "%X", value)
            out.append(_pad_bytes(text, flags, width, precision))
        else:
            st.report(f"printf: `{conv}': invalid format character")
            st.status = 1
            return "".join(out), ai, True
    return "".join(out), ai, False


# A format made only of text, escapes and plain %s / %d / %i conversions (the usual
# printf) is parsed once into a plan: literal strings and conversion tuples.
_plans: dict = {}


def _format_plan(fmt: str):
    """The cached plan of `fmt`, or None when _format must interpret it each time."""
    plan = _plans.get(fmt)
    if plan is None:
        plan = _make_plan(fmt) or False
        if len(_plans) >= 256:
            _plans.clear()
        _plans[fmt] = plan
    return plan or None


def _make_plan(fmt: str):
    """_format's scan for the simple formats; None for anything else (`*` widths, other
    conversions, escapes that warn, malformed specifications)."""
    items = []
    lit = []
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c == "\\":
            k = escape_end(fmt, i)
            warnings = []
            lit.append(decode_escapes(fmt[i:k], "printf", warn=warnings.append)[0])
            if warnings:
                return None
            i = k
            continue
        if c != "%":
            j = fmt.find("%", i)
            b = fmt.find("\\", i)
            end = min(x for x in (j, b, n) if x >= 0)
            lit.append(fmt[i:end])
            i = end
            continue
        i += 1
        if i < n and fmt[i] == "%":
            lit.append("%")
            i += 1
            continue
        flags = ""
        while i < n and fmt[i] in _FLAGS:
            flags += fmt[i]
            i += 1
        width = ""
        while i < n and fmt[i].isdigit():
            width += fmt[i]
            i += 1
        precision = None
        if i < n and fmt[i] == ".":
            i += 1
            precision = ""
            while i < n and fmt[i].isdigit():
                precision += fmt[i]
                i += 1
        while i < n and fmt[i] in _LENGTH_MODIFIERS:
            i += 1
        if i >= n or fmt[i] not in "sdi":
            return None
        conv = fmt[i]
        i += 1
        if width and int(width) >= _MAX_FIELD or precision and int(precision) >= _MAX_FIELD:
            return None
        flags = flags.replace("'", "")
        spec = "%" + flags + width + ("." + precision if precision is not None else "")
        if lit:
            items.append("".join(lit))
            lit = []
        items.append((conv == "s", flags, width, precision, spec + "d"))
    if lit:
        items.append("".join(lit))
    return items


def _run_plan(plan, args: list, st: _PrintfState):
    """_format for a plan: same (text, args_consumed, stop)."""
    out = []
    ai = 0
    nargs = len(args)
    for item in plan:
        if item.__class__ is str:
            out.append(item)
            continue
        is_s, flags, width, precision, dspec = item
        if ai < nargs:
            arg = args[ai]
            ai += 1
        else:
            arg = None
        if is_s:
            if arg is None:
                arg = ""
            if width or precision is not None or not arg.isascii():
                arg = _pad_bytes(arg, flags, width, precision)
            out.append(arg)
        else:
            if arg is not None and arg.isdigit() and arg.isascii() and len(arg) < 19 \
                    and (arg[0] != "0" or len(arg) == 1):
                value = int(arg)
            else:
                value = st.integer(arg)
            out.append(dspec % value)
    return "".join(out), ai, False


_DECIMAL_ARG = re.compile(r"[ \t\n]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _long_double(arg):
    """A decimal argument rounded as bash's printf reads it into an x86 long double
    (64-bit mantissa): (negative, mantissa, k) meaning mantissa / 2**k; None when the
    argument is not a plain decimal (then the double path is used)."""
    m = _DECIMAL_ARG.fullmatch(arg) if arg is not None else None
    if m is None or len(arg) > 400:
        return None
    if m.group(2) and abs(int(m.group(2)[1:])) > 4000:
        return None  # near or beyond the long double range: the double path
    from fractions import Fraction
    exact = Fraction(arg.strip())
    negative = exact < 0 or arg.lstrip(" \t\n").startswith("-")
    num, den = abs(exact.numerator), exact.denominator
    if num == 0:
        return negative, 0, 0
    k = 63 - (num.bit_length() - den.bit_length())
    while True:
        q = _div_half_even(num << k, den) if k >= 0 else _div_half_even(num, den << -k)
        if q >= 1 << 64:
            k -= 1
        elif q < 1 << 63:
            k += 1
        else:
            return negative, q, k


def _div_half_even(a: int, b: int) -> int:
    q, r = divmod(a, b)
    if 2 * r > b or 2 * r == b and q & 1:
        q += 1
    return q


def _scaled_digits(q: int, k: int, p: int) -> int:
    """round_half_even(q / 2**k * 10**p)."""
    a, b = q, 1
    if p >= 0:
        a *= 10 ** p
    else:
        b *= 10 ** -p
    if k >= 0:
        b <<= k
    else:
        a <<= -k
    return _div_half_even(a, b)


def _fixed(q: int, k: int, places: int):
    """(integer digits, fraction digits) of q / 2**k rounded to `places` decimals."""
    text = str(_scaled_digits(q, k, places)).rjust(places + 1, "0")
    if not places:
        return text, ""
    return text[:-places], text[-places:]


def _scientific(q: int, k: int, digits_after: int):
    """(digit string of digits_after + 1 digits, decimal exponent) for %e."""
    if q == 0:
        return "0" * (digits_after + 1), 0
    # a first guess from the bit length, corrected until the digit count is right
    import math
    exp = math.floor((q.bit_length() - k - 1) * 0.30102999566398120)
    low = 10 ** digits_after
    while True:
        n = _scaled_digits(q, k, digits_after - exp)
        if n >= 10 * low:
            exp += 1
        elif n < low:
            exp -= 1
        else:
            return str(n), exp


def _long_double_format(arg, conv: str, flags: str, precision):
    """%f %e %g of a decimal argument with long double precision (None: not handled)."""
    try:
        parsed = _long_double(arg)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    if parsed is None:
        return None
    negative, q, k = parsed
    prec = 6 if precision is None else int(precision or 0)
    alt = "#" in flags
    lower = conv.lower()
    if lower == "f":
        whole, frac = _fixed(q, k, prec)
        body = whole + ("." + frac if prec or alt else "")
    elif lower == "e":
        body = _e_body(q, k, prec, alt)
    else:
        p = prec or 1
        _, exp = _scientific(q, k, p - 1)
        if p > exp >= -4:
            whole, frac = _fixed(q, k, p - 1 - exp)
            body = whole + ("." + frac if frac or alt else "")
        else:
            body = _e_body(q, k, p - 1, alt)
        mant, e, rest = body.partition("e")
        if not alt and "." in mant:
            mant = mant.rstrip("0").rstrip(".")
        body = mant + (e + rest if e else "")
    if conv in "EG":
        body = body.upper()
    sign = "-" if negative else ("+" if "+" in flags else (" " if " " in flags else ""))
    return sign + body


def _e_body(q: int, k: int, digits_after: int, alt: bool) -> str:
    digits, exp = _scientific(q, k, digits_after)
    mant = digits[0] + ("." + digits[1:] if digits_after or alt else "")
    return f"{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _pad_number(text: str, flags: str, width: str) -> str:
    w = int(width) if width else 0
    if len(text) >= w:
        return text
    if "-" in flags:
        return text + " " * (w - len(text))
    if "0" in flags:
        sign = text[0] if text[:1] in "+- " else ""
        return sign + "0" * (w - len(text)) + text[len(sign):]
    return " " * (w - len(text)) + text


def _hex_long_double(arg: str, value: float, plus: bool) -> str:
    """%a of a decimal argument rounded to a 64-bit mantissa, as bash's long double."""
    try:
        parsed = _long_double(arg)
    except (ValueError, ZeroDivisionError, OverflowError):
        parsed = None
    if parsed is None or parsed[1] == 0:
        return _hex_float(value, plus)
    negative, q, k = parsed
    sign = "-" if negative else ("+" if plus else "")
    digits = "%016x" % q
    rest = digits[1:].rstrip("0")
    return f"{sign}0x{digits[0]}{'.' + rest if rest else ''}p{60 - k:+d}"


def _hex_float(value: float, plus: bool) -> str:
    """%a as bash prints it: x86 long double layout, a leading hex digit 8-f."""
    import math
    sign = "-" if math.copysign(1.0, value) < 0 else ("+" if plus else "")
    value = abs(value)
    if math.isinf(value) or math.isnan(value):
        return sign + ("inf" if math.isinf(value) else "nan")
    if value == 0:
        return sign + "0x0p+0"
    m, e = math.frexp(value)
    m *= 16
    lead = int(m)
    frac = m - lead
    digits = []
    while frac:
        frac *= 16
        d = int(frac)
        digits.append("0123456789abcdef"[d])
        frac -= d
    body = "%x" % lead + ("." + "".join(digits) if digits else "")
    return f"{sign}0x{body}p{e - 4:+d}"


def _pad_bytes(text: str, flags: str, width: str, precision) -> str:
    """%s width and precision count bytes, as bash's printf does (it may even cut a
    multibyte character)."""
    if not width and precision is None and text.isascii():
        return text
    data = text.encode("utf-8", "surrogateescape")
    if precision is not None:
        data = data[:int(precision or 0)]
    if width and len(data) < int(width):
        fill = b" " * (int(width) - len(data))
        data = data + fill if "-" in flags else fill + data
    return data.decode("utf-8", "surrogateescape")


def _strftime(sh, fmt: str, when: int) -> str:
    """%(fmt)T in the shell's TZ, which may differ from the process environment's."""
    import time
    tz = sh.state.get("TZ")
    saved = os.environ.get("TZ")
    switch = tz != saved
    if switch:
        if tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = tz
        time.tzset()
    try:
        return time.strftime(fmt, time.localtime(when))
    except (OverflowError, OSError, ValueError):
        return ""
    finally:
        if switch:
            if saved is None:
                os.environ.pop("TZ", None)
            else:
                os.environ["TZ"] = saved
            time.tzset()


@builtin("printf")
def printf(sh, argv) -> int:
    args = argv[1:]
    var = None
    while args and args[0].startswith("-") and args[0] != "-":
        if args[0] == "--":
            args = args[1:]
            break
        if args[0] == "-v":
            if len(args) < 2:
                sh.error("printf: -v: option requires an argument")
                sh.write(2, "printf: usage: printf [-v var] format [arguments]\n")
                return 2
            var = args[1]
            args = args[2:]
            continue
        if args[0].startswith("-v"):
            var = args[0][2:]
            args = args[1:]
            continue
        sh.error(f"printf: {args[0][:2]}: invalid option")
        sh.write(2, "printf: usage: printf [-v var] format [arguments]\n")
        return 2
    if not args:
        sh.write(2, "printf: usage: printf [-v var] format [arguments]\n")
        return 2
    if var is not None and not _valid_varref(var):
        sh.error(f"printf: `{var}': not a valid identifier")
        return 2
    fmt, rest = args[0], args[1:]
    st = _PrintfState(sh, to_var=var is not None)
    plan = _format_plan(fmt)
    while True:
        if plan is not None:
            text, used, stop = _run_plan(plan, rest, st)
        else:
            text, used, stop = _format(fmt, rest, st)
        st.pending.append(text)
        if stop or used == 0 or used >= len(rest):
            break
        rest = rest[used:]
    if var is not None:
        # bytes written by escapes (\303\251) read back as text, as all input is
        _assign_var(sh, var, as_text("".join(st.pending)))
        return st.status
    if st.flush():
        return 1
    return st.status


def _valid_varref(name: str) -> bool:
    base = name.split("[", 1)[0]
    return base.isidentifier() and base.isascii() and (name == base or name.endswith("]"))


def _assign_var(sh, name: str, value: str) -> None:
    from pyshell.errors import ShellError
    from pyshell.interp.state import VarError
    state = sh.state
    try:
        if "[" in name:
            base, _, sub = name[:-1].partition("[")
            if state.is_assoc(base):
                state.set_element(base, sub, value)
            else:
                from pyshell.interp.arith import evaluate
                state.set_element(base, evaluate(sub, state), value)
        else:
            state.set(name, value)
    except VarError as exc:
        raise ShellError(exc.message)


# --------------------------------------------------------------------- read

def _read_options(sh, argv):
    opts = {"r": False, "s": False, "a": None, "d": "\n", "n": None, "N": None,
            "p": None, "t": None, "u": 0, "e": False, "i": None}
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if not arg.startswith("-") or arg == "-":
            break
        j = 1
        while j < len(arg):
            c = arg[j]
            if c in "rse":
                opts[c] = True
                j += 1
                continue
            if c in "adnNptui":
                value = arg[j + 1:]
                if not value:
                    i += 1
                    if i >= len(argv):
                        sh.error(f"read: -{c}: option requires an argument")
                        sh.write(2, _READ_USAGE + "\n")
                        return None
                    value = argv[i]
                opts[c] = value
                break
            sh.error(f"read: -{c}: invalid option")
            sh.write(2, _READ_USAGE + "\n")
            return None
        i += 1
    return opts, argv[i:]


_READ_USAGE = ("read: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] "
               "[-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]")


class _Timeout(Exception):
    pass


def _read_input(fd: int, delim: str, limit: int | None, exact: bool, raw: bool,
                timeout: float | None):
    """Read up to the delimiter. Returns (chars, escaped_flags, hit_eof).
    Reads one byte at a time from pipes and terminals so nothing past the delimiter is
    consumed; from a regular file reads a block and seeks back."""
    import codecs
    import select
    import stat
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    chars = []
    escaped = []
    pending_escape = False
    try:
        seekable = stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        seekable = False
    buf = b""
    pos = 0
    consumed = 0
    eof = False
    deadline = None
    if timeout is not None:
        import time
        deadline = time.monotonic() + timeout
    while True:
        if limit is not None and len(chars) >= limit:
            break
        if pos >= len(buf):
            if deadline is not None:
                import time
                left = deadline - time.monotonic()
                r, _, _ = select.select([fd], [], [], max(left, 0))
                if not r:
                    raise _Timeout()
            try:
                buf = os.read(fd, 4096 if seekable else 1)
            except InterruptedError:
                continue
            pos = 0
            if not buf:
                eof = True
                break
        b = buf[pos:pos + 1]
        pos += 1
        consumed += 1
        text = decoder.decode(b)
        if not text:
            continue
        for c in text:
            if pending_escape:
                pending_escape = False
                if c == "\n":
                    continue
                chars.append(c)
                escaped.append(True)
                continue
            if not exact and c == delim:
                if seekable:
                    _seek_back(fd, len(buf) - pos)
                return chars, escaped, False
            if c == "\\" and not raw:
                pending_escape = True
                continue
            chars.append(c)
            escaped.append(False)
    if seekable and pos < len(buf):
        _seek_back(fd, len(buf) - pos)
    return chars, escaped, eof


def _read_line_fast(fd: int, delim: str, raw: bool, seekable: bool):
    """The common case (no -n/-N/-t, a one-byte delimiter): find the delimiter in raw
    bytes, decode once. Same results as _read_input, except that a line without
    backslash escapes comes back as (text, None, eof)."""
    dbyte = delim.encode()
    data = bytearray()
    eof = False
    while True:
        if seekable:
            try:
                buf = os.read(fd, 4096)
            except InterruptedError:
                continue
            if not buf:
                eof = True
                break
            idx = buf.find(dbyte)
            if idx < 0:
                data += buf
                continue
            data += buf[:idx]
            _seek_back(fd, len(buf) - idx - 1)
        else:
            try:
                b = os.read(fd, 1)
            except InterruptedError:
                continue
            if not b:
                eof = True
                break
            if b != dbyte:
                data += b
                continue
        if not raw and dbyte == b"\n":
            # an odd number of backslashes before the newline: a line continuation
            k = len(data)
            while k and data[k - 1] == 0x5C:
                k -= 1
            if (len(data) - k) & 1:
                data += b"\n"
                continue
        break
    text = data.decode("utf-8", "surrogateescape")
    if raw or "\\" not in text:
        return text, None, eof
    chars = []
    escaped = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            if i + 1 < n:
                if text[i + 1] != "\n":
                    chars.append(text[i + 1])
                    escaped.append(True)
                i += 2
                continue
            i += 1
            continue
        chars.append(c)
        escaped.append(False)
        i += 1
    return chars, escaped, eof


def _seek_back(fd: int, count: int) -> None:
    if count:
        try:
            os.lseek(fd, -count, os.SEEK_CUR)
        except OSError:
            pass


def _split_text(text: str, ifs: str, count: int) -> list:
    """_split_read for a line without escaped characters, on the string itself."""
    ws = "".join(c for c in ifs if c in " \t\n")
    if len(ws) == len(ifs):
        # only blanks in IFS: runs of them separate fields; the last field is the
        # rest of the line minus the blanks around it
        text = text.strip(ws) if ws else text
        if not text:
            return []
        if not ws or count <= 1:
            return [text]
        return _blank_runs(ws).split(text, count - 1)
    return _split_read(text, _NO_ESCAPES, ifs, count)


def _split_text_escaped(text: str, _escaped, ifs: str, count: int) -> list:
    return _split_text(text, ifs, count)


class _NoEscapes:
    """escaped[i] for a line without escapes: always False."""
    __slots__ = ()

    def __getitem__(self, i):
        return False


_NO_ESCAPES = _NoEscapes()
_blank_run_res: dict = {}


def _blank_runs(ws: str):
    regex = _blank_run_res.get(ws)
    if regex is None:
        regex = _blank_run_res[ws] = re.compile("[" + re.escape(ws) + "]+")
    return regex


def _split_read(chars, escaped, ifs: str, count: int) -> list:
    """Split read input into at most `count` fields by IFS (escaped chars never split);
    the last field keeps the rest of the line, minus trailing IFS whitespace."""
    ws = "".join(c for c in ifs if c in " \t\n")
    n = len(chars)
    i = 0
    while i < n and chars[i] in ws and not escaped[i]:
        i += 1
    fields = []
    while i < n and len(fields) < count - 1:
        start = i
        while i < n and (escaped[i] or chars[i] not in ifs):
            i += 1
        fields.append("".join(chars[start:i]))
        if i < n:
            # consume one delimiter: surrounding whitespace plus at most one non-ws char
            while i < n and chars[i] in ws and not escaped[i]:
                i += 1
            if i < n and chars[i] in ifs and chars[i] not in ws and not escaped[i]:
                i += 1
                while i < n and chars[i] in ws and not escaped[i]:
                    i += 1
    if i < n:
        # the last name: if the rest is one field plus one delimiter, just that field;
        # otherwise the whole rest minus trailing IFS whitespace (bash's read.c)
        j = i
        while j < n and (escaped[j] or chars[j] not in ifs):
            j += 1
        k = j
        while k < n and chars[k] in ws and not escaped[k]:
            k += 1
        if k < n and chars[k] in ifs and chars[k] not in ws and not escaped[k]:
            k += 1
            while k < n and chars[k] in ws and not escaped[k]:
                k += 1
        if k >= n:
            fields.append("".join(chars[i:j]))
        else:
            end = n
            while end > i and chars[end - 1] in ws and not escaped[end - 1]:
                end -= 1
            fields.append("".join(chars[i:end]))
    return fields


def _tty_mode(fd: int, silent: bool, raw: bool):
    """On a terminal, -s turns echo off and -n/-N read characters without waiting for
    a newline. Returns the attributes to restore, or None."""
    if not (silent or raw) or not os.isatty(fd):
        return None
    import termios
    try:
        saved = termios.tcgetattr(fd)
        attrs = termios.tcgetattr(fd)
        if silent:
            attrs[3] &= ~termios.ECHO
        if raw:
            attrs[3] &= ~termios.ICANON
            attrs[6][termios.VMIN] = 1
            attrs[6][termios.VTIME] = 0
        termios.tcsetattr(fd, termios.TCSADRAIN, attrs)
        return saved
    except termios.error:
        return None


@builtin("read")
def read(sh, argv) -> int:
    parsed = _read_options(sh, argv)
    if parsed is None:
        return 2
    opts, names = parsed
    for name in names:
        if not _valid_varref(name):
            sh.error(f"read: `{name}': not a valid identifier")
            return 1
    if opts["a"] is not None and not opts["a"].isidentifier():
        sh.error(f"read: `{opts['a']}': not a valid identifier")
        return 1
    spec = str(opts["u"])
    if not spec.isdigit() or not spec.isascii() or int(spec) >= 1 << 31:
        sh.error(f"read: {spec}: invalid file descriptor specification")
        return 1
    fd = int(spec)
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        sh.error(f"read: {fd}: invalid file descriptor: {os.strerror(exc.errno)}")
        return 1
    limit = exact = None
    for key in ("n", "N"):
        if opts[key] is not None:
            try:
                limit = int(opts[key])
                if limit < 0 or limit >= 1 << 31:
                    raise ValueError
            except ValueError:
                sh.error(f"read: {opts[key]}: invalid number")
                return 1
            exact = key == "N"
    timeout = None
    if opts["t"] is None and sh.state.get("TMOUT"):
        opts["t"] = sh.state.get("TMOUT")  # bash's default timeout for read
    if opts["t"] is not None:
        try:
            if not re.fullmatch(r"[0-9]+(\.[0-9]*)?|\.[0-9]+", opts["t"]) or \
                    float(opts["t"]) > 1e9:
                raise ValueError
            timeout = float(opts["t"])
        except ValueError:
            sh.error(f"read: {opts['t']}: invalid timeout specification")
            return 1
    if timeout == 0:
        import select
        r, _, _ = select.select([fd], [], [], 0)
        return 0 if r else 1
    if opts["p"] is not None and os.isatty(fd):
        sh.write(2, opts["p"])
    delim = opts["d"][:1] if opts["d"] else "\0"
    saved_tty = _tty_mode(fd, silent=opts["s"], raw=limit is not None)
    try:
        if limit is None and timeout is None and len(delim.encode()) == 1:
            chars, escaped, eof = _read_line_fast(fd, delim, opts["r"], S_ISREG(mode))
        else:
            chars, escaped, eof = _read_input(fd, delim, limit, bool(exact), opts["r"],
                                              timeout)
    except _Timeout:
        status = 142
        chars, escaped, eof = [], [], False
    else:
        status = 1 if eof else 0
    finally:
        if saved_tty is not None:
            import termios
            termios.tcsetattr(fd, termios.TCSADRAIN, saved_tty)
    state = sh.state
    ifs = state.get("IFS")
    if ifs is None:
        ifs = " \t\n"
    from pyshell.interp.state import VarError
    split = _split_read
    if escaped is None:  # a plain line from _read_line_fast
        split = _split_text_escaped
        line = chars
    else:
        line = "".join(chars)
    try:
        if opts["a"] is not None:
            fields = split(chars, escaped, ifs, 1 << 30) if not exact else [line]
            state.set_array(opts["a"], dict(enumerate(fields)))
        elif not names:
            state.set("REPLY", line)
        elif exact:
            state.set(names[0], line)
            for name in names[1:]:
                state.set(name, "")
        else:
            fields = split(chars, escaped, ifs, len(names))
            for k, name in enumerate(names):
                value = fields[k] if k < len(fields) else ""
                if "[" in name:
                    _assign_var(sh, name, value)
                else:
                    state.set(name, value)
    except VarError as exc:
        sh.error(exc.message)
        return 1
    return status
