"""Where compgen's actions find their words: shell state (aliases, variables,
functions, builtins, options), the file system, and the system databases (users,
groups, services, hosts), each in the order bash lists them."""
from __future__ import annotations

import os

from pyshell.builtins.completion import _KEYWORDS


def _signal_names() -> list:
    import signal
    names = ["EXIT"]
    for num in range(1, 65):
        if num < 32:
            try:
                names.append(signal.Signals(num).name)
            except ValueError:
                names.append(f"SIGJUNK({num})")
        elif num < 34:
            names.append(f"SIGJUNK({num})")
        elif num == 34:
            names.append("SIGRTMIN")
        elif num < 50:
            names.append(f"SIGRTMIN+{num - 34}")
        elif num < 64:
            names.append(f"SIGRTMAX-{64 - num}")
        else:
            names.append("SIGRTMAX")
    return names + ["DEBUG", "ERR", "RETURN"]


def _database(path: str, field: int = 0, comment: bool = False) -> list:
    """Names from a colon- or blank-separated system file, in file order."""
    out = []
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            for line in f:
                if comment:
                    line = line.split("#", 1)[0]
                    parts = line.split()
                    if len(parts) > field:
                        out.append(parts[field])
                elif line.strip() and not line.startswith("#"):
                    out.append(line.split(":")[field])
    except OSError:
        pass
    return out


def _hostnames() -> list:
    out = []
    path = os.environ.get("HOSTFILE") or "/etc/hosts"
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            for line in f:
                parts = line.split("#", 1)[0].split()
                out += parts[1:]
    except OSError:
        pass
    return out


def _variables(sh) -> list:
    from pyshell.builtins.vars import visible_variables
    return sorted(name for name, var in visible_variables(sh.state).items()
                  if var.value is not None)


def _builtin_names(enabled: bool | None) -> list:
    from pyshell import builtins
    names = builtins.names()
    if enabled is None:
        return names
    from pyshell.builtins.misc import DISABLED as disabled
    return sorted(disabled) if enabled is False else names


def _commands(sh, word: str) -> list:
    st = sh.state
    out = sorted(a for a in st.aliases if a.startswith(word))
    out += [k for k in _KEYWORDS if k.startswith(word)]
    out += sorted(f for f in st.functions if f.startswith(word))
    out += [b for b in _builtin_names(True) if b.startswith(word)]
    if "/" in word:
        return out + [f for f in files(word) if os.path.isdir(f) or os.access(f, os.X_OK)]
    for entry in (st.get("PATH") or "").split(":"):
        base = entry or "."
        try:
            names = os.listdir(base)
        except OSError:
            continue
        for name in names:
            if name.startswith(word):
                path = os.path.join(base, name)
                if os.access(path, os.X_OK) and not os.path.isdir(path):
                    out.append(name)
    return out


def files(word: str, only_dirs: bool = False) -> list:
    """readline's file name completion of `word`, in directory order."""
    head, _, prefix = word.rpartition("/")
    if "/" in word:
        head += "/"
        base = os.path.expanduser(head)
    else:
        base = "."
    try:
        names = os.listdir(base)
    except OSError:
        return []
    if prefix.startswith("."):
        names += [".", ".."]
    out = []
    for name in names:
        if not name.startswith(prefix):
            continue
        if only_dirs and not os.path.isdir(os.path.join(base, name)):
            continue
        out.append(head + name)
    return out


def directories(word: str) -> list:
    return files(word, only_dirs=True)


def _job_names(sh, action: str) -> list:
    """The first word of each job's command, newest job first (bash's order)."""
    jobs = sh.jobs
    jobs.reap()
    out = []
    for pid, _ in sorted(jobs.numbers.items(), key=lambda item: -item[1]):
        if pid in jobs.inherited:
            continue
        stopped = pid in jobs.stopped
        if action == "running" and (stopped or jobs.children.get(pid) is not None):
            continue
        if action == "stopped" and not stopped:
            continue
        words = jobs.texts.get(pid, "").split()
        out.append(words[0] if words else "")
    return out


def action_words(sh, action: str, word: str) -> list:
    st = sh.state
    if action == "command":
        return _commands(sh, word)
    if action == "file":
        return files(word)
    if action == "directory":
        return directories(word)
    if action == "alias":
        names = sorted(st.aliases)
    elif action == "arrayvar":
        from pyshell.builtins.vars import visible_variables
        names = sorted(n for n, v in visible_variables(st).items() if isinstance(v.value, dict))
    elif action in ("builtin", "helptopic"):
        names = _builtin_names(None)
    elif action == "enabled":
        names = _builtin_names(True)
    elif action == "disabled":
        names = _builtin_names(False)
    elif action == "export":
        names = sorted(st.environ())
    elif action == "function":
        names = sorted(st.functions)
    elif action == "keyword":
        names = list(_KEYWORDS)
    elif action == "setopt":
        from pyshell.builtins.vars import SET_O_NAMES
        names = list(SET_O_NAMES)
    elif action == "shopt":
        from pyshell.builtins.vars import SHOPT_NAMES
        names = list(SHOPT_NAMES)
    elif action == "signal":
        names = _signal_names()
    elif action == "variable":
        names = _variables(sh)
    elif action == "user":
        names = _database("/etc/passwd")
    elif action == "group":
        names = _database("/etc/group")
    elif action == "service":
        names = _database("/etc/services", comment=True)
    elif action == "hostname":
        names = _hostnames()
    elif action in ("job", "running", "stopped"):
        names = _job_names(sh, action)
    else:  # binding: no readline functions without an interactive session
        names = []
    return [n for n in names if n.startswith(word)]
