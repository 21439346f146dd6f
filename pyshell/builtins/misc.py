"""caller, enable and help."""
from __future__ import annotations

from pyshell.builtins import builtin
from pyshell.builtins.options import legal_number, usage_error, write_unchecked

_CALLER_USAGE = "caller [expr]"


@builtin("caller")
def caller(sh, argv) -> int:
    from pyshell.builtins.computed_arrays import call_lines, frame_names
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    elif args and args[0].startswith("-") and len(args[0]) > 1:
        return usage_error(sh, "caller", f"{args[0][:2]}: invalid option", _CALLER_USAGE)
    state = sh.state
    lines = call_lines(state)
    sources = state.source_stack
    if not args:
        if not lines:
            return 1
        source = sources[1] if len(sources) > 1 else "NULL"
        write_unchecked(sh, f"{lines[0]} {source}\n")
        return 0
    frame = legal_number(args[0])
    if frame is None:
        return usage_error(sh, "caller", f"{args[0]}: invalid number", _CALLER_USAGE)
    names = frame_names(state)
    if not 0 <= frame < len(lines) or frame + 1 >= len(names) or frame + 1 >= len(sources):
        return 1
    write_unchecked(sh, f"{lines[frame]} {names[frame + 1]} {sources[frame + 1]}\n")
    return 0


# --------------------------------------------------------------------- enable

_ENABLE_USAGE = "enable [-a] [-dnps] [-f filename] [name ...]"
# builtins turned off by `enable -n`: name -> function (out of the registry meanwhile,
# so the name finds a function or a program instead)
DISABLED: dict = {}


def _known(name: str):
    from pyshell.builtins import lookup
    return lookup(name) or DISABLED.get(name)


@builtin("enable")
def enable(sh, argv) -> int:
    from pyshell.builtins import BUILTINS, SPECIAL
    from pyshell.builtins import names as builtin_names
    from pyshell.builtins.options import getopt
    parsed = getopt(sh, "enable", argv, "adnpsf:", _ENABLE_USAGE)
    if parsed is None:
        return 2
    opts, names = parsed
    letters = {letter for letter, _ in opts}
    if "f" in letters and names:
        path = next(value for letter, value in opts if letter == "f")
        sh.error(f"enable: cannot open shared object {path}: {path}: cannot open shared "
                 "object file: No such file or directory")
        return 1
    if "d" in letters:
        for name in names:
            sh.error(f"enable: {name}: not dynamically loaded")
        return 1 if names else 0
    if not names or "p" in letters:
        rows = []
        for name in sorted(set(builtin_names()) | set(DISABLED)):
            if "s" in letters and name not in SPECIAL:
                continue
            off = name in DISABLED
            if "a" in letters or off == ("n" in letters):
                rows.append(f"enable -n {name}\n" if off else f"enable {name}\n")
        sh.write(1, "".join(rows))
        return 0
    status = 0
    for name in names:
        fn = _known(name)
        if fn is None:
            sh.error(f"enable: {name}: not a shell builtin")
            status = 1
        elif "n" in letters:
            if BUILTINS.get(name) is fn:
                del BUILTINS[name]
            DISABLED[name] = fn
        else:
            DISABLED.pop(name, None)
            BUILTINS[name] = fn
    return status


# ----------------------------------------------------------------------- help

_HELP_USAGE = "help [-dms] [pattern ...]"


def _help_matches(pattern: str, topics) -> list:
    """bash's choice: a topic named exactly `pattern`, else every topic it starts or
    (as a glob) matches."""
    from pyshell.interp.pattern import match
    exact = [entry for entry in topics if entry[0] == pattern]
    if exact:
        return exact
    return [entry for entry in topics
            if entry[0].startswith(pattern) or match(pattern, entry[0], extglob=True)]


@builtin("help")
def help_builtin(sh, argv) -> int:
    from pyshell.builtins.help_topics import TOPICS
    from pyshell.builtins.options import getopt
    from pyshell.interp.pattern import has_glob
    parsed = getopt(sh, "help", argv, "dms", _HELP_USAGE)
    if parsed is None:
        return 2
    opts, patterns = parsed
    letters = {letter for letter, _ in opts}
    if not patterns or letters != {"s"}:
        # only the synopses are available: no full texts, descriptions or man pages
        sh.error("help: only `help -s pattern' is supported")
        return 1
    out = []
    if has_glob(patterns[0], True):
        plural = "s" if len(patterns) > 1 else ""
        out.append(f"Shell commands matching keyword{plural} `{', '.join(patterns)}'\n\n")
    found = False
    for pattern in patterns:
        for name, synopsis in _help_matches(pattern, TOPICS):
            found = True
            out.append(f"{name}: {synopsis}\n")
    if not found:
        last = patterns[-1]
        sh.error(f"help: no help topics match `{last}'.  Try `help help' or `man -k {last}' "
                 f"or `info {last}'.")
        return 1
    sh.write(1, "".join(out))
    return 0
