"""Option parsing shared by the newer builtins, as bash's internal_getopt does it:
letters may be grouped (`-tn 2`, `-n2`), `--` ends the options, a lone `-` or a word
not starting with `-` is the first operand. Errors print bash's two lines (the
message, then the builtin's usage line) and the caller returns status 2."""
from __future__ import annotations

import re

_NUMBER = re.compile(r"[ \t\n\r\f\v]*[+-]?[0-9]+[ \t\n\r\f\v]*")


def legal_number(text: str) -> int | None:
    """bash's legal_number: a decimal integer, blanks around it allowed; else None."""
    if not _NUMBER.fullmatch(text):
        return None
    value = int(text.strip())
    return value if -(1 << 63) <= value < (1 << 63) else None


def write_unchecked(sh, text: str) -> None:
    """Output of a builtin that bash writes without checking for errors (compgen,
    complete -p, caller): a closed or broken stdout changes nothing."""
    try:
        sh.write(1, text)
    except OSError:
        pass


def usage_error(sh, name: str, message: str, usage: str) -> int:
    sh.error(f"{name}: {message}")
    sh.write(2, f"{name}: usage: {usage}\n")
    return 2


class Parsed:
    """getopt's result: the options read (letter, argument or None) and the operands.
    `error` is set when parsing stopped at a bad option; bash checks the values of the
    options before it in order first, so the builtin calls report_error() only after
    validating `opts`."""
    __slots__ = ("opts", "operands", "error")

    def __init__(self, opts, operands, error):
        self.opts = opts
        self.operands = operands
        self.error = error

    def report_error(self, sh, name: str, usage: str) -> int:
        return usage_error(sh, name, self.error, usage)


def getopt(sh, name: str, argv: list, spec: str, usage: str, start: int = 1):
    """Parse argv[start:] by `spec` (getopt letters, `:` after a letter that takes an
    argument). Returns (options, operands), or None after reporting an error.
    Builtins whose option values are checked as they come use parse() instead."""
    parsed = parse(argv, spec, start)
    if parsed.error is not None:
        parsed.report_error(sh, name, usage)
        return None
    return parsed.opts, parsed.operands


def parse(argv: list, spec: str, start: int = 1) -> Parsed:
    opts = []
    i = start
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if len(arg) < 2 or arg[0] != "-":
            break
        j = 1
        while j < len(arg):
            c = arg[j]
            pos = spec.find(c)
            if pos < 0 or c == ":":
                return Parsed(opts, [], f"-{c}: invalid option")
            if pos + 1 < len(spec) and spec[pos + 1] == ":":
                value = arg[j + 1:]
                if not value:
                    i += 1
                    if i >= len(argv):
                        return Parsed(opts, [], f"-{c}: option requires an argument")
                    value = argv[i]
                opts.append((c, value))
                break
            opts.append((c, None))
            j += 1
        i += 1
    return Parsed(opts, argv[i:], None)
