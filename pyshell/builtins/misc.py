"""caller and enable."""
from __future__ import annotations

from pyshell.builtins import builtin
from pyshell.builtins.options import legal_number, usage_error

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
        sh.write(1, f"{lines[0]} {source}\n")
        return 0
    frame = legal_number(args[0])
    if frame is None:
        return usage_error(sh, "caller", f"{args[0]}: invalid number", _CALLER_USAGE)
    names = frame_names(state)
    if not 0 <= frame < len(lines) or frame + 1 >= len(names) or frame + 1 >= len(sources):
        return 1
    sh.write(1, f"{lines[frame]} {names[frame + 1]} {sources[frame + 1]}\n")
    return 0
