"""pushd, popd and dirs, as in bash 5.2 (the stack itself: computed_arrays.py).

Entry 0 of the stack `dirs` shows is the current directory; entries 1..N are
`state.dirstack`, top first. Changing directory goes through `cd` (CDPATH, `-`, logical
paths), whose diagnostics then name the builtin that asked for it, as bash's do.
"""
from __future__ import annotations

from pyshell.builtins import builtin
from pyshell.builtins.computed_arrays import logical_cwd
from pyshell.builtins.options import legal_number

_USAGE = {"pushd": "pushd [-n] [+N | -N | dir]", "popd": "popd [-n] [+N | -N]",
          "dirs": "dirs [-clpv] [+N] [-N]"}


def _usage(sh, name: str, message: str) -> int:
    sh.error(f"{name}: {message}")
    sh.write(2, f"{name}: usage: {_USAGE[name]}\n")
    return 2


def _stack_error(sh, name: str, stack, arg: str) -> int:
    if not stack:
        sh.error(f"{name}: directory stack empty")
    else:
        sh.error(f"{name}: {arg}: directory stack index out of range")
    return 1


def _cd(sh, name: str, args) -> int:
    """Run `cd -- ARGS`, its messages saying `name:` instead of `cd:`."""
    from pyshell.builtins.dirs import cd
    plain_error = sh.error

    def renamed(msg: str) -> None:
        plain_error(name + msg[2:] if msg.startswith("cd: ") else msg)
    sh.error = renamed
    try:
        return cd(sh, ["cd", "--", *args])
    finally:
        del sh.error  # the instance attribute goes; the method shows through again


def _abbreviate(sh, path: str) -> str:
    """bash's polite_directory_format: $HOME at the start becomes `~`."""
    home = sh.state.get("HOME") or ""
    if len(home) > 1 and path.startswith(home) and path[len(home):len(home) + 1] in ("", "/"):
        return "~" + path[len(home):]
    return path


def _print_stack(sh, name: str) -> None:
    """pushd's and popd's listing: a write error is reported, the status stays 0."""
    import os
    entries = [logical_cwd(sh.state), *sh.state.dirstack]
    try:
        sh.write(1, " ".join(_abbreviate(sh, e) for e in entries) + "\n")
    except OSError as exc:
        sh.error(f"{name}: write error: {os.strerror(exc.errno or 5)}")


def _change_and_show(sh, name: str, target: str) -> int:
    status = _cd(sh, name, [target])
    if status == 0:
        _print_stack(sh, name)
    return status


@builtin("pushd")
def pushd(sh, argv) -> int:
    stack = sh.state.dirstack
    args = argv[1:]
    no_cd = False
    rotate = None
    i = 0
    while i < len(args):
        word = args[i]
        if word == "-n":
            no_cd = True
        elif word == "--":
            i += 1
            break
        elif word == "-":
            break  # `pushd -` goes to $OLDPWD, like `cd -`
        elif word[:1] in ("+", "-"):
            number = legal_number(word[1:])
            if number is None:
                return _usage(sh, "pushd", f"{word}: invalid number")
            if word[0] == "-":
                number = len(stack) - number
            if number > len(stack) or number < 0:
                return _stack_error(sh, "pushd", stack, word)
            rotate = number
        else:
            break
        i += 1
    rest = args[i:]
    if rotate is not None:
        return _rotate(sh, rotate, no_cd)
    if not rest:
        return 0 if no_cd else _swap(sh)
    if no_cd:
        stack.insert(0, rest[0])
        _print_stack(sh, "pushd")
        return 0
    old = logical_cwd(sh.state)
    status = _cd(sh, "pushd", rest)
    if status:
        return status
    stack.insert(0, old)
    _print_stack(sh, "pushd")
    return 0


def _swap(sh) -> int:
    """pushd without a directory: exchange the current directory and entry 1."""
    stack = sh.state.dirstack
    if not stack:
        sh.error("pushd: no other directory")
        return 1
    target = stack[0]
    stack[0] = logical_cwd(sh.state)
    return _change_and_show(sh, "pushd", target)


def _rotate(sh, count: int, no_cd: bool) -> int:
    """Bring entry `count` to the top, the entries before it going to the bottom."""
    stack = sh.state.dirstack
    entries = [logical_cwd(sh.state), *stack]
    if count == 0:
        return 0 if no_cd else _change_and_show(sh, "pushd", entries[0])
    rotated = entries[count:] + entries[:count]
    stack[:] = rotated[1:]
    return 0 if no_cd else _change_and_show(sh, "pushd", rotated[0])


@builtin("popd")
def popd(sh, argv) -> int:
    stack = sh.state.dirstack
    no_cd = False
    which = 0
    direction = "+"
    which_word = ""
    for word in argv[1:]:
        if word == "-n":
            no_cd = True
        elif word == "--":
            break
        elif word[:1] in ("+", "-"):
            number = legal_number(word[1:])
            if number is None:
                return _usage(sh, "popd", f"{word}: invalid number")
            direction, which, which_word = word[0], number, word
        elif not word:
            break
        else:
            return _usage(sh, "popd", f"{word}: invalid argument")
    if which > len(stack) or which < 0 or (not stack and which == 0):
        return _stack_error(sh, "popd", stack, which_word)
    if (direction == "+" and which == 0) or (direction == "-" and which == len(stack)):
        if not no_cd:
            status = _cd(sh, "popd", [stack[0]])
            if status:
                return status
        del stack[0]
    else:
        # entry `which` from the left (+) or from the right (-) of the dirs listing
        del stack[(which if direction == "+" else len(stack) - which) - 1]
    _print_stack(sh, "popd")
    return 0


@builtin("dirs")
def dirs(sh, argv) -> int:
    stack = sh.state.dirstack
    long_form = clear = False
    per_line = numbered = False
    index = None
    shown_word = ""
    for word in argv[1:]:
        if word == "-l":
            long_form = True
        elif word == "-c":
            clear = True
        elif word == "-v":
            numbered = True
        elif word == "-p":
            per_line = True
        elif word == "--":
            break
        elif word[:1] in ("+", "-"):
            number = legal_number(word[1:])
            if number is None:
                return _usage(sh, "dirs", f"{word}: invalid number")
            shown_word = word[1:]
            index = number if word[0] == "+" else len(stack) - number
        else:
            return _usage(sh, "dirs", f"{word}: invalid option")
    if clear:
        stack.clear()
        return 0
    entries = [logical_cwd(sh.state), *stack]
    show = (lambda p: p) if long_form else (lambda p: _abbreviate(sh, p))
    if index is not None:
        if index < 0 or index > len(stack):
            return _stack_error(sh, "dirs", stack, shown_word)
        text = show(entries[index])
        sh.write(1, (f"{index:2d}  {text}" if numbered else text) + "\n")
        return 0
    if numbered:
        lines = [f"{n:2d}  {show(e)}" for n, e in enumerate(entries)]
    else:
        lines = [show(e) for e in entries]
    sh.write(1, ("\n" if numbered or per_line else " ").join(lines) + "\n")
    return 0


def stack_entry(state, text: str) -> str | None:
    """The directory `~N`, `~+N` or `~-N` names (text is what follows the `~`), as
    in bash: entry 0 is $PWD; None when it is not such a name or out of range."""
    sign = text[:1] if text[:1] in ("+", "-") else ""
    digits = text[len(sign):]
    if not digits.isdigit() or not digits.isascii():
        return None
    number = int(digits)
    stack = state.dirstack
    index = len(stack) - number if sign == "-" else number
    if not 0 <= index <= len(stack):
        return None
    return state.get("PWD") if index == 0 else stack[index - 1]
