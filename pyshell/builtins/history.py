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


_FC_USAGE = "fc: usage: fc [-e ename] [-lnr] [first] [last] or fc -s [pat=rep] [command]\n"


@builtin("fc")
def fc_builtin(sh, argv) -> int:
    """fc -l (list), fc -s (run again, with pat=rep), fc [-e EDITOR] (edit, then run)."""
    args = argv[1:]
    flags, editor = set(), None
    while args and args[0].startswith("-") and len(args[0]) > 1 and \
            not args[0][1:].isdigit():
        arg = args.pop(0)
        if arg == "--":
            break
        for k, letter in enumerate(arg[1:]):
            if letter == "e":
                editor = arg[k + 2:] or (args.pop(0) if args else None)
                if editor is None:
                    sh.error("fc: -e: option requires an argument")
                    sh.write(2, _FC_USAGE)
                    return 2
                break
            if letter not in "lnrs":
                sh.error(f"fc: -{letter}: invalid option")
                sh.write(2, _FC_USAGE)
                return 2
            flags.add(letter)
    history = getattr(sh, "history", None)
    entries = history.entries if history is not None else []
    # the fc command itself is not part of what it lists or runs
    current = entries.pop() if history is not None and entries else None
    try:
        if "s" in flags:
            return _fc_again(sh, history, args, current)
        first, last = (args + [None, None])[:2]
        if "l" in flags:
            return _fc_list(sh, history, first, last, flags)
        return _fc_edit(sh, history, editor, first, last, current)
    finally:
        if current is not None and getattr(history, "_fc_replaced", None) is None:
            entries.append(current)
        if history is not None:
            history._fc_replaced = None


def _fc_index(history, spec: str | None, default: int, first: bool = False) -> int | None:
    """An fc history specification -> index into history.entries (None: not found).
    Out of range, a `first` counts from the oldest entry, a `last` stops at the newest."""
    entries = history.entries
    if spec is None:
        return default
    if spec.lstrip("-").isdigit():
        number = int(spec)
        index = len(entries) + number if number < 0 else number - history.base
        if first and index >= len(entries):
            return 0
        return min(max(index, 0), len(entries) - 1)
    for index in range(len(entries) - 1, -1, -1):
        if entries[index].startswith(spec):
            return index
    return None


def _fc_list(sh, history, first, last, flags) -> int:
    if history is None or not history.entries:
        return 0
    count = len(history.entries)
    if first is None:
        start = _fc_index(history, "-16", 0)
        end = count - 1
    else:
        start = _fc_index(history, first, 0, first=True)
        end = _fc_index(history, last, count - 1) if last is not None else count - 1
    if start is None or end is None:
        sh.error("fc: history specification out of range")
        return 1
    indexes = list(range(start, end + 1)) if start <= end else list(range(start, end - 1, -1))
    if "r" in flags:
        indexes.reverse()
    out = []
    for index in indexes:
        number = "" if "n" in flags else str(history.base + index)
        out.append(f"{number}\t {history.entries[index]}\n")
    sh.write(1, "".join(out))
    return 0


def _fc_run(sh, history, text: str) -> int:
    """Show and run `text` as the command that replaces the fc line in the history."""
    from pyshell.errors import write_stderr
    write_stderr(text + ("" if text.endswith("\n") else "\n"))
    if history is not None:
        history._fc_replaced = True
        for line in text.rstrip("\n").split("\n"):
            if line.strip():
                history.entries.append(line)
    return sh.eval_string(text, name="fc")


def _fc_again(sh, history, args, current) -> int:
    substitution = None
    if args and "=" in args[0]:
        substitution = args.pop(0).split("=", 1)
    if history is None or not history.entries:
        sh.error("fc: no command found")
        return 1
    index = _fc_index(history, args[0] if args else None, len(history.entries) - 1)
    if index is None:
        sh.error("fc: no command found")
        return 1
    text = history.entries[index]
    if substitution is not None and substitution[0]:
        text = text.replace(substitution[0], substitution[1])
    return _fc_run(sh, history, text)


def _fc_edit(sh, history, editor, first, last, current) -> int:
    import os
    import tempfile
    from pyshell.interp.quoting import single_quote
    if history is None or not history.entries:
        sh.error("fc: history specification out of range")
        return 1
    count = len(history.entries)
    start = _fc_index(history, first, count - 1)
    end = _fc_index(history, last, start) if last is not None else start
    if start is None or end is None:
        sh.error("fc: history specification out of range")
        return 1
    lines = [history.entries[i] for i in (range(start, end + 1) if start <= end
                                          else range(start, end - 1, -1))]
    editor = editor or sh.state.get("FCEDIT") or sh.state.get("EDITOR") or "vi"
    fd, path = tempfile.mkstemp(prefix="pywarmsh-fc.", suffix=".sh")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write("".join(line + "\n" for line in lines))
        status = sh.eval_string(f"{editor} {single_quote(path)}", name="fc")
        if status != 0:
            return status
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            text = f.read()
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
    if not text.strip():
        return 0
    return _fc_run(sh, history, text)
