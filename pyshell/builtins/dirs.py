"""cd and pwd, with bash's logical (-L, default) and physical (-P) directory handling."""
from __future__ import annotations

import os

from pyshell.builtins import builtin

_CD_USAGE = "cd: usage: cd [-L|[-P [-e]] [-@]] [dir]\n"
_PWD_USAGE = "pwd: usage: pwd [-LP]\n"


def canonical(path: str) -> str:
    """Textual clean-up of an absolute path: drop `.` and empty components, let `..`
    remove the previous one. A leading `//` is kept, as bash does."""
    head = "//" if path.startswith("//") and not path.startswith("///") else "/"
    parts = []
    for comp in path.split("/"):
        if comp in ("", "."):
            continue
        if comp == "..":
            if parts:
                parts.pop()
            continue
        parts.append(comp)
    return head + "/".join(parts)


def current_dir(sh) -> str:
    """The logical current directory: $PWD when it names the cwd, else getcwd()."""
    pwd = sh.state.get("PWD")
    if pwd and pwd.startswith("/"):
        try:
            a, b = os.stat(pwd), os.stat(".")
            if (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino):
                return pwd
        except OSError:
            pass
    return os.getcwd()


def _options(sh, name: str, argv: list, usage: str, letters: str):
    physical = "physical" in sh.state.options
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if not arg.startswith("-") or arg == "-":
            break
        for c in arg[1:]:
            if c not in letters:
                sh.error(f"{name}: -{c}: invalid option")
                sh.write(2, usage)
                return None
            if c == "P":
                physical = True
            elif c == "L":
                physical = False
        i += 1
    return physical, argv[i:]


@builtin("cd")
def cd(sh, argv) -> int:
    parsed = _options(sh, "cd", argv, _CD_USAGE, "LPe@")
    if parsed is None:
        return 2
    physical, args = parsed
    state = sh.state
    if len(args) > 1:
        sh.error("cd: too many arguments")
        return 1
    print_dir = False
    if not args:
        target = state.get("HOME")
        if target is None:
            sh.error("cd: HOME not set")
            return 1
    else:
        target = args[0]
        if target == "-":
            target = state.get("OLDPWD")
            if target is None:
                sh.error("cd: OLDPWD not set")
                return 1
            print_dir = True
    if target == "":
        return 0
    candidates = [target]
    cdpath = state.get("CDPATH")
    if cdpath and not target.startswith("/") and \
            target.split("/", 1)[0] not in (".", ".."):
        candidates = []
        for entry in cdpath.split(":"):
            candidates.append(((entry.rstrip("/") + "/") if entry else "") + target)
        if "" not in cdpath.split(":"):
            candidates.append(target)
    old = current_dir(sh)
    error = None
    for index, cand in enumerate(candidates):
        via_cdpath = cand != target
        if physical:
            path = cand
        else:
            path = canonical(cand if cand.startswith("/") else old.rstrip("/") + "/" + cand)
        try:
            os.chdir(path)
        except OSError as exc:
            try:
                if physical or path == cand:
                    raise
                os.chdir(cand)
            except OSError:
                if error is None or index == 0:
                    error = exc
                continue
        new = os.getcwd() if physical else path
        try:
            state.set("OLDPWD", old)
            state.set("PWD", new)
        except Exception as exc:  # readonly PWD/OLDPWD
            sh.error(f"cd: {getattr(exc, 'message', exc)}")
            return 1
        if print_dir or via_cdpath:
            sh.write(1, new + "\n")
        return 0
    sh.error(f"cd: {target}: {os.strerror(error.errno or 2)}")
    return 1


@builtin("pwd")
def pwd(sh, argv) -> int:
    parsed = _options(sh, "pwd", argv, _PWD_USAGE, "LP")
    if parsed is None:
        return 2
    physical, _ = parsed
    try:
        text = os.getcwd() if physical else current_dir(sh)
    except OSError as exc:
        remembered = sh.state.get("PWD")
        if not physical and remembered and remembered.startswith("/"):
            # like bash, trust the directory cd recorded even if it was removed since
            sh.write(1, remembered + "\n")
            return 0
        sh.error("pwd: error retrieving current directory: getcwd: cannot access parent "
                 f"directories: {os.strerror(exc.errno or 2)}")
        return 1
    sh.write(1, text + "\n")
    return 0
