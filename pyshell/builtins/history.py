"""The `history` builtin (the list itself lives in pyshell/repl/history.py; a
non-interactive shell keeps none, as bash with `set +o history`)."""
from __future__ import annotations

from pyshell.builtins import builtin

_USAGE = ("history: usage: history [-c] [-d offset] [n] or history -anrw [filename] or "
          "history -ps arg [arg...]\n")


def _list(sh, history, count: int | None) -> int:
    entries = history.entries
    start = 0 if count is None else max(0, len(entries) - count)
    out = []
    for index in range(start, len(entries)):
        out.append("%5d  %s\n" % (history.base + index, entries[index]))
    sh.write(1, "".join(out))
    return 0


@builtin("history")
def history_builtin(sh, argv) -> int:
    args = argv[1:]
    flags = ""
    delete = None
    while args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--":
        arg = args.pop(0)
        if arg.lstrip("-").isdigit() and not flags:
            args.insert(0, arg)   # a negative count is an error below, as in bash
            break
        for k, letter in enumerate(arg[1:]):
            if letter == "d":
                rest = arg[k + 2:]
                if not rest:
                    if not args:
                        sh.error("history: -d: option requires an argument")
                        sh.write(2, _USAGE)
                        return 2
                    rest = args.pop(0)
                delete = rest
                break
            if letter not in "canrwps":
                sh.error(f"history: -{letter}: invalid option")
                sh.write(2, _USAGE)
                return 2
            flags += letter
    if args and args[0] == "--":
        args.pop(0)
    history = getattr(sh, "history", None)
    if history is None:
        if "p" in flags:
            sh.write(1, "".join(a + "\n" for a in args))
        return 0
    history.sync_size()
    if "c" in flags:
        history.clear()
    if delete is not None:
        return _delete(sh, history, delete)
    if "p" in flags or "s" in flags:
        return _print_or_store(sh, history, flags, args)
    for letter in "anrw":
        if letter in flags:
            path = args[0] if args else None
            return _file_op(sh, history, letter, path)
    if "c" in flags:
        return 0
    if len(args) > 1:
        sh.error("history: too many arguments")
        return 2
    count = None
    if args:
        if not args[0].lstrip("-").isdigit() or args[0].startswith("-"):
            sh.error(f"history: {args[0]}: numeric argument required")
            return 1
        count = int(args[0])
    return _list(sh, history, count)


def _delete(sh, history, text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        sh.error(f"history: {text}: numeric argument required")
        return 1
    if number < 0:
        number = history.next_number + number
    if not history.delete(number):
        sh.error(f"history: {text}: history position out of range")
        return 1
    return 0


def _print_or_store(sh, history, flags: str, args) -> int:
    from pyshell.repl.history import HistoryError
    if "s" in flags:
        if args:
            if history.entries:
                history.entries.pop()   # bash replaces the `history -s` line itself
            history.add(" ".join(args))
        return 0
    out = []
    status = 0
    current = history.entries.pop() if history.entries else None   # this very line
    for arg in args:
        try:
            out.append(history.expand(arg)[0] + "\n")
        except HistoryError as exc:
            sh.error(f"history: {exc.message}")
            status = 1
    if current is not None:
        history.entries.append(current)
    sh.write(1, "".join(out))
    return status


def _file_op(sh, history, letter: str, path: str | None) -> int:
    if letter == "w":
        ok = history.write(path)
    elif letter == "a":
        ok = history.write(path, append_new=True)
    else:   # -r: read the file; -n: only its lines not read yet
        history.read(path, new_only=letter == "n")
        ok = True
    if not ok:
        sh.error(f"history: {path or history.file()}: cannot create: Permission denied")
        return 1
    return 0
