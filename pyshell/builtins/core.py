"""Core builtins: : true false command type alias unalias hash times umask ulimit
getopts."""
from __future__ import annotations

import os

from pyshell.builtins import builtin, lookup as lookup_builtin

KEYWORDS = frozenset({"if", "then", "else", "elif", "fi", "case", "esac", "for", "select",
                      "while", "until", "do", "done", "in", "function", "time", "{", "}",
                      "!", "[[", "]]", "coproc"})
DEFAULT_PATH = "/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin"


@builtin(":", "true")
def true_builtin(sh, argv) -> int:
    return 0


@builtin("false")
def false_builtin(sh, argv) -> int:
    return 1


# ----------------------------------------------------------------- command type

def _aliases_active(sh) -> bool:
    return "expand_aliases" in sh.state.shopts


def describe(sh, name: str, want_all: bool = False, path_only: bool = False,
             default_path: bool = False) -> list:
    """Every meaning of `name` in bash's lookup order: (kind, detail) pairs with kind
    one of alias keyword function builtin file."""
    found = []
    st = sh.state
    if not path_only:
        if _aliases_active(sh) and name in st.aliases:
            found.append(("alias", st.aliases[name]))
        if name in KEYWORDS:
            found.append(("keyword", name))
        if name in st.functions:
            found.append(("function", st.functions[name]))
        if lookup_builtin(name) is not None:
            found.append(("builtin", name))
        if found and not want_all:
            return found[:1]
    if "/" in name:
        from pyshell.interp.lookup import is_executable_file
        if is_executable_file(name):
            found.append(("file", name))
        return found
    path_value = DEFAULT_PATH if default_path else st.get("PATH")
    if want_all:
        from pyshell.interp.lookup import is_executable_file
        for directory in (path_value or "").split(":"):
            candidate = f"{directory or '.'}/{name}"
            if is_executable_file(candidate):
                found.append(("file", candidate))
    else:
        hashed = sh.hash.table.get(name)
        if hashed and not default_path:
            found.append(("hashed", hashed))
        else:
            path = sh.hash.find(name, path_value, remember=False)
            from pyshell.interp.lookup import is_executable_file
            if path is not None and is_executable_file(path):
                found.append(("file", path))
    return found


def _function_text(fdef) -> str:
    from pyshell.builtins.vars import function_text
    return function_text(fdef)


def _verbose_line(name: str, kind: str, detail) -> str:
    if kind == "alias":
        return f"{name} is aliased to `{detail}'\n"
    if kind == "keyword":
        return f"{name} is a shell keyword\n"
    if kind == "function":
        return f"{name} is a function\n{_function_text(detail)}\n"
    if kind == "builtin":
        return f"{name} is a shell builtin\n"
    if kind == "hashed":
        return f"{name} is hashed ({detail})\n"
    return f"{name} is {detail}\n"


@builtin("type")
def type_builtin(sh, argv) -> int:
    args = argv[1:]
    want_all = terse = path_only = force_path = no_functions = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        arg = args.pop(0)
        if arg == "--":
            break
        for letter in arg[1:]:
            if letter == "a":
                want_all = True
            elif letter == "t":
                terse = True
            elif letter == "p":
                path_only = True
            elif letter == "P":
                force_path = True
            elif letter == "f":
                no_functions = True
            else:
                sh.error(f"type: -{letter}: invalid option")
                sh.write(2, "type: usage: type [-afptP] name [name ...]\n")
                return 2
    status = 0
    out = []
    for name in args:
        found = describe(sh, name, want_all, force_path)
        if no_functions:
            found = [f for f in found if f[0] != "function"]
        if not found:
            status = 1
            if not terse and not path_only and not force_path:
                sh.write(1, "".join(out))
                out = []
                sh.error(f"type: {name}: not found")
            continue
        for kind, detail in found:
            if terse:
                out.append(("file" if kind == "hashed" else kind) + "\n")
            elif path_only or force_path:
                if kind in ("file", "hashed"):
                    out.append(f"{detail}\n")
            else:
                out.append(_verbose_line(name, kind, detail))
    sh.write(1, "".join(out))
    return status


@builtin("command")
def command_builtin(sh, argv) -> int:
    args = argv[1:]
    verbose = terse = default_path = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        arg = args.pop(0)
        if arg == "--":
            break
        for letter in arg[1:]:
            if letter == "v":
                terse = True
            elif letter == "V":
                verbose = True
            elif letter == "p":
                default_path = True
            else:
                sh.error(f"command: -{letter}: invalid option")
                sh.write(2, "command: usage: command [-pVv] command [arg ...]\n")
                return 2
    if not args:
        return 0
    if terse or verbose:
        status = 0
        out = []
        for name in args:
            found = describe(sh, name, default_path=default_path)
            if not found:
                status = 1
                if verbose:
                    sh.write(1, "".join(out))
                    out = []
                    sh.error(f"command: {name}: not found")
                continue
            kind, detail = found[0]
            if verbose:
                out.append(_verbose_line(name, kind, detail))
            elif kind == "alias":
                from pyshell.interp.quoting import single_quote
                out.append(f"alias {name}={single_quote(detail)}\n")
            elif kind in ("file", "hashed"):
                out.append(f"{detail}\n")
            else:
                out.append(f"{name}\n")
        sh.write(1, "".join(out))
        return status
    fn = lookup_builtin(args[0])
    if fn is not None:
        return sh.call_builtin(fn, args)
    if default_path and "/" not in args[0]:
        from pyshell.interp.lookup import search_path
        path = search_path(args[0], DEFAULT_PATH)
        if path is None:
            sh.error(f"{args[0]}: command not found")
            return 127
        args = [path] + args[1:]
        args[0] = path
    return sh.run_program(list(args))


# ------------------------------------------------------------------------ alias

@builtin("alias")
def alias_builtin(sh, argv) -> int:
    from pyshell.interp.quoting import single_quote
    aliases = sh.state.aliases
    args = argv[1:]
    if args and args[0] == "-p":
        args = args[1:]
        if not args:
            args = []
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        sh.write(1, "".join(f"alias {name}={single_quote(value)}\n"
                            for name, value in sorted(aliases.items())))
        return 0
    status = 0
    out = []
    for arg in args:
        name, eq, value = arg.partition("=")
        if eq and not name:
            name, eq = arg, ""
        if eq:
            if not name or any(c in name for c in "/$`=\\ \t\n'\"|&;()<>"):
                sh.error(f"alias: `{name}': invalid alias name")
                status = 1
                continue
            aliases[name] = value
        elif name in aliases:
            out.append(f"alias {name}={single_quote(aliases[name])}\n")
        else:
            sh.write(1, "".join(out))
            out = []
            sh.error(f"alias: {name}: not found")
            status = 1
    sh.write(1, "".join(out))
    return status


@builtin("unalias")
def unalias_builtin(sh, argv) -> int:
    aliases = sh.state.aliases
    args = argv[1:]
    if args and args[0] == "-a":
        aliases.clear()
        return 0
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        sh.write(2, "unalias: usage: unalias [-a] name [name ...]\n")
        return 2
    status = 0
    for name in args:
        if aliases.pop(name, None) is None:
            sh.error(f"unalias: {name}: not found")
            status = 1
    return status


# ------------------------------------------------------------------------- hash

@builtin("hash")
def hash_builtin(sh, argv) -> int:
    table = sh.hash
    args = argv[1:]
    if args and args[0].startswith("-") and args[0] not in ("-r", "--", "-l", "-t", "-d",
                                                            "-p"):
        sh.error(f"hash: {args[0][:2]}: invalid option")
        sh.write(2, "hash: usage: hash [-lr] [-p pathname] [-dt] [name ...]\n")
        return 2
    if args and args[0] == "-r":
        table.forget()
        args = args[1:]
        if not args:
            return 0
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        if not table.table:
            sh.write(1, "hash: hash table empty\n")
            return 0
        from pyshell.builtins.computed_arrays import COMMAND_HASH_BUCKETS
        from pyshell.interp.assoc_order import bash_key_order
        rows = "".join(f"{table.hits.get(name, 0):4d}\t{table.table[name]}\n"
                       for name in bash_key_order(table.table, COMMAND_HASH_BUCKETS))
        sh.write(1, "hits\tcommand\n" + rows)
        return 0
    status = 0
    for name in args:
        if "/" in name:
            continue
        if lookup_builtin(name) is not None:
            continue
        path = table.find(name, sh.state.get("PATH"))
        if path is None:
            sh.error(f"hash: {name}: not found")
            status = 1
        else:
            table.hits[name] = 0
    return status


# ----------------------------------------------------------------- times umask

def _minsec(t: float) -> str:
    minutes = int(t // 60)
    return "%dm%.3fs" % (minutes, t - 60 * minutes)


@builtin("times")
def times_builtin(sh, argv) -> int:
    t = os.times()
    sh.write(1, f"{_minsec(t.user)} {_minsec(t.system)}\n"
                f"{_minsec(t.children_user)} {_minsec(t.children_system)}\n")
    return 0


_PERM_BITS = {"r": 4, "w": 2, "x": 1}


def _symbolic_mask(mask: int) -> str:
    allowed = ~mask & 0o777
    parts = []
    for who, shift in (("u", 6), ("g", 3), ("o", 0)):
        bits = (allowed >> shift) & 7
        parts.append(who + "=" + "".join(ch for ch, b in _PERM_BITS.items() if bits & b))
    return ",".join(parts)


def _apply_symbolic(mask: int, spec: str) -> int | None:
    allowed = ~mask & 0o777
    for clause in spec.split(","):
        i = 0
        who = ""
        while i < len(clause) and clause[i] in "ugoa":
            who += clause[i]
            i += 1
        if i >= len(clause) or clause[i] not in "+-=":
            return None
        op = clause[i]
        perms = clause[i + 1:]
        if any(c not in "rwx" for c in perms):
            return None
        bits = sum(_PERM_BITS[c] for c in set(perms))
        shifts = [s for w, s in (("u", 6), ("g", 3), ("o", 0)) if not who or "a" in who or w in who]
        for s in shifts:
            if op == "+":
                allowed |= bits << s
            elif op == "-":
                allowed &= ~(bits << s)
            else:
                allowed = (allowed & ~(7 << s)) | (bits << s)
    return ~allowed & 0o777


@builtin("umask")
def umask_builtin(sh, argv) -> int:
    args = argv[1:]
    symbolic = printable = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        arg = args.pop(0)
        if arg == "--":
            break
        for letter in arg[1:]:
            if letter == "S":
                symbolic = True
            elif letter == "p":
                printable = True
            else:
                sh.error(f"umask: -{letter}: invalid option")
                sh.write(2, "umask: usage: umask [-p] [-S] [mode]\n")
                return 2
    current = os.umask(0)
    os.umask(current)
    if not args:
        text = _symbolic_mask(current) if symbolic else "%04o" % current
        sh.write(1, ("umask " + ("-S " if symbolic else "") if printable else "") + text + "\n")
        return 0
    spec = args[0]
    if spec.isdigit():
        if any(c not in "01234567" for c in spec):
            sh.error(f"umask: {spec}: octal number out of range")
            return 1
        os.umask(int(spec, 8) & 0o777)
        return 0
    new = _apply_symbolic(current, spec)
    if new is None:
        sh.error(f"umask: `{spec[-1]}': invalid symbolic mode operator")
        return 1
    os.umask(new)
    return 0


# ----------------------------------------------------------------------- ulimit

_LIMITS = {
    # letter: (resource name, unit divisor, description)
    "c": ("RLIMIT_CORE", 1024, "core file size              (blocks, -c)"),
    "d": ("RLIMIT_DATA", 1024, "data seg size               (kbytes, -d)"),
    "e": ("RLIMIT_NICE", 1, "scheduling priority                 (-e)"),
    "f": ("RLIMIT_FSIZE", 1024, "file size                   (blocks, -f)"),
    "i": ("RLIMIT_SIGPENDING", 1, "pending signals                     (-i)"),
    "l": ("RLIMIT_MEMLOCK", 1024, "max locked memory           (kbytes, -l)"),
    "m": ("RLIMIT_RSS", 1024, "max memory size             (kbytes, -m)"),
    "n": ("RLIMIT_NOFILE", 1, "open files                          (-n)"),
    "q": ("RLIMIT_MSGQUEUE", 1, "POSIX message queues         (bytes, -q)"),
    "r": ("RLIMIT_RTPRIO", 1, "real-time priority                  (-r)"),
    "s": ("RLIMIT_STACK", 1024, "stack size                  (kbytes, -s)"),
    "t": ("RLIMIT_CPU", 1, "cpu time                   (seconds, -t)"),
    "u": ("RLIMIT_NPROC", 1, "max user processes                  (-u)"),
    "v": ("RLIMIT_AS", 1024, "virtual memory              (kbytes, -v)"),
    "x": ("RLIMIT_LOCKS", 1, "file locks                          (-x)"),
}


@builtin("ulimit")
def ulimit_builtin(sh, argv) -> int:
    import resource
    args = argv[1:]
    hard = soft = show_all = False
    letters = []
    while args and args[0].startswith("-") and len(args[0]) > 1:
        arg = args.pop(0)
        if arg == "--":
            break
        for letter in arg[1:]:
            if letter == "H":
                hard = True
            elif letter == "S":
                soft = True
            elif letter == "a":
                show_all = True
            elif letter in _LIMITS:
                letters.append(letter)
            else:
                sh.error(f"ulimit: -{letter}: invalid option")
                sh.write(2, "ulimit: usage: ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]\n")
                return 2
    use_hard = hard and not soft

    def show(value, unit):
        if value == resource.RLIM_INFINITY:
            return "unlimited"
        return str(value // unit)

    if show_all:
        lines = []
        for letter, (rname, unit, label) in sorted(_LIMITS.items()):
            res = getattr(resource, rname, None)
            if res is None:
                continue
            cur, top = resource.getrlimit(res)
            lines.append(f"{label} {show(top if use_hard else cur, unit)}\n")
        sh.write(1, "".join(lines))
        return 0
    letter = letters[0] if letters else "f"
    rname, unit, _ = _LIMITS[letter]
    res = getattr(resource, rname)
    cur, top = resource.getrlimit(res)
    if not args:
        sh.write(1, show(top if use_hard else cur, unit) + "\n")
        return 0
    text = args[0]
    if text == "unlimited":
        value = resource.RLIM_INFINITY
    elif text in ("hard", "soft"):
        value = top if text == "hard" else cur
    elif text.isdigit():
        value = int(text) * unit
    else:
        sh.error(f"ulimit: {text}: invalid number")
        return 1
    new_cur = value if (soft or not hard) else cur
    new_top = value if (hard or not soft) else top
    try:
        resource.setrlimit(res, (new_cur, new_top))
    except (ValueError, OSError) as exc:
        sh.error(f"ulimit: {_LIMITS[letter][2].split('(')[0].strip()}: cannot modify limit: "
                 f"{getattr(exc, 'strerror', None) or 'Operation not permitted'}")
        return 1
    return 0


# ---------------------------------------------------------------------- getopts

@builtin("getopts")
def getopts_builtin(sh, argv) -> int:
    st = sh.state
    if len(argv) < 3:
        sh.write(2, "getopts: usage: getopts optstring name [arg ...]\n")
        return 2
    optstring, name = argv[1], argv[2]
    args = argv[3:] if len(argv) > 3 else list(st.positional)
    silent = optstring.startswith(":")
    if silent:
        optstring = optstring[1:]
    try:
        optind = int(st.get("OPTIND") or "1")
    except ValueError:
        optind = 1
    pos = getattr(sh, "_getopts_pos", 1)
    if optind != getattr(sh, "_getopts_optind", None):
        pos = 1
    if optind < 1:
        optind = 1

    def finish(opt: str, optarg, next_ind: int, next_pos: int, status: int = 0) -> int:
        st.set("OPTIND", str(next_ind))
        sh._getopts_optind = next_ind
        sh._getopts_pos = next_pos
        st.set(name, opt)
        if optarg is None:
            st.unset("OPTARG")
        else:
            st.set("OPTARG", optarg)
        return status

    if optind > len(args):
        return finish("?", None, optind, 1, 1)
    current = args[optind - 1]
    if pos == 1:
        if current == "--":
            return finish("?", None, optind + 1, 1, 1)
        if not current.startswith("-") or current == "-":
            return finish("?", None, optind, 1, 1)
    letter = current[pos]
    last_in_word = pos + 1 >= len(current)
    next_ind, next_pos = (optind + 1, 1) if last_in_word else (optind, pos + 1)
    index = optstring.find(letter) if letter != ":" else -1
    if index < 0:
        if silent:
            return finish("?", letter, next_ind, next_pos)
        sh.write(2, f"{st.arg0}: illegal option -- {letter}\n")
        return finish("?", None, next_ind, next_pos)
    if index + 1 < len(optstring) and optstring[index + 1] == ":":
        if not last_in_word:
            return finish(letter, current[pos + 1:], optind + 1, 1)
        if optind < len(args):
            return finish(letter, args[optind], optind + 2, 1)
        if silent:
            return finish(":", letter, optind + 1, 1)
        sh.write(2, f"{st.arg0}: option requires an argument -- {letter}\n")
        return finish("?", None, optind + 1, 1)
    return finish(letter, None, next_ind, next_pos)


@builtin("builtin")
def builtin_builtin(sh, argv) -> int:
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        return 0
    fn = lookup_builtin(args[0])
    if fn is None:
        sh.error(f"builtin: {args[0]}: not a shell builtin")
        return 1
    return sh.call_builtin(fn, args)


# ------------------------------------------------------------------------ kill

def _signal_number(spec: str):
    from pyshell.builtins.flow import _normalize_signal
    import signal
    name = _normalize_signal(spec)
    if name is None or name in ("EXIT", "ERR", "DEBUG", "RETURN"):
        return 0 if name == "EXIT" else None
    return int(getattr(signal, "SIG" + name))


KILL_USAGE = ("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or "
              "kill -l [sigspec]\n")


@builtin("kill")
def kill_builtin(sh, argv) -> int:
    import signal
    args = argv[1:]
    sig = signal.SIGTERM
    if not args:
        sh.write(2, KILL_USAGE)
        return 2
    first = args[0]
    if first in ("-l", "-L"):
        from pyshell.builtins.flow import _signal_table
        table = _signal_table()
        if len(args) == 1:
            from pyshell.builtins.flow import trap_builtin
            return trap_builtin(sh, ["trap", "-l"])
        out = []
        for spec in args[1:]:
            if spec.isdigit():
                num = int(spec)
                num = num - 128 if num > 128 else num
                name = table.get(num)
                if name is None:
                    sh.error(f"kill: {spec}: invalid signal specification")
                    return 1
                out.append(name + "\n")
            else:
                num = _signal_number(spec)
                if num is None:
                    sh.error(f"kill: {spec}: invalid signal specification")
                    return 1
                out.append(f"{num}\n")
        sh.write(1, "".join(out))
        return 0
    if first in ("-s", "-n"):
        if len(args) < 2:
            sh.error(f"kill: {first}: option requires an argument")
            return 2
        num = _signal_number(args[1])
        if num is None:
            sh.error(f"kill: {args[1]}: invalid signal specification")
            return 1
        sig = num
        args = args[2:]
    elif first.startswith("-") and first != "--" and len(first) > 1 \
            and not first[1:].lstrip("0123456789") == "" or \
            (first.startswith("-") and first[1:].isdigit()):
        num = _signal_number(first[1:])
        if num is None:
            sh.error(f"kill: {first[1:]}: invalid signal specification")
            return 1
        sig = num
        args = args[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        sh.write(2, KILL_USAGE)
        return 2
    status = 0
    for target in args:
        if target.startswith("%"):
            pid = sh.jobs.pid_of(target)
            if pid is None:
                sh.error(f"kill: {target}: no such job")
                status = 1
                continue
        else:
            try:
                pid = int(target)
            except ValueError:
                sh.error(f"kill: {target}: arguments must be process or job IDs")
                status = 1
                continue
        try:
            if target.startswith("%"):
                sh.jobs.signal(pid, sig)   # a job's whole process group
            else:
                os.kill(pid, sig)
        except ProcessLookupError:
            sh.error(f"kill: ({pid}) - No such process")
            status = 1
        except PermissionError:
            sh.error(f"kill: ({pid}) - Operation not permitted")
            status = 1
        except OverflowError:
            sh.error(f"kill: {target}: arguments must be process or job IDs")
            status = 1
    return status


@builtin("disown")
def disown_builtin(sh, argv) -> int:
    jobs = sh.jobs
    args = [a for a in argv[1:] if not a.startswith("-")]
    if not args:
        pids = jobs.job_pids()[-1:] if "-a" not in argv else jobs.job_pids()
    else:
        pids = []
        for spec in args:
            pid = jobs.pid_of(spec) if spec.startswith("%") else \
                (int(spec) if spec.isdigit() else None)
            if pid is None or not jobs.knows(pid):
                sh.error(f"disown: {spec}: no such job")
                return 1
            pids.append(pid)
    for pid in pids:
        jobs.forget(pid)
    return 0
