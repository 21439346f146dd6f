"""Builtins about variables and options: set shift export readonly unset local declare
typeset shopt let."""
from __future__ import annotations

from pyshell.builtins import builtin
from pyshell.errors import ShellError
from pyshell.interp.assoc_order import bash_key_order
from pyshell.interp.quoting import array_body, declare_value
from pyshell.interp.state import (ARRAY, ASSOC, EXPORT, INTEGER, LOWER, NAMEREF, READONLY,
                                  TRACE, UPPER, VarError)
from pyshell.syntax import ast

LETTER_OPTIONS = {
    "a": "allexport", "b": "notify", "e": "errexit", "f": "noglob", "h": "hashall",
    "k": "keyword", "m": "monitor", "n": "noexec", "p": "privileged", "t": "onecmd",
    "u": "nounset", "v": "verbose", "x": "xtrace", "B": "braceexpand", "C": "noclobber",
    "E": "errtrace", "H": "histexpand", "P": "physical", "T": "functrace",
}
SET_O_NAMES = ("allexport", "braceexpand", "emacs", "errexit", "errtrace", "functrace",
               "hashall", "histexpand", "history", "ignoreeof", "interactive-comments",
               "keyword", "monitor", "noclobber", "noexec", "noglob", "nolog", "notify",
               "nounset", "onecmd", "physical", "pipefail", "posix", "privileged",
               "verbose", "vi", "xtrace")
SHOPT_NAMES = ("autocd", "assoc_expand_once", "cdable_vars", "cdspell", "checkhash",
               "checkjobs", "checkwinsize", "cmdhist", "compat31", "compat32", "compat40",
               "compat41", "compat42", "compat43", "compat44", "complete_fullquote",
               "direxpand", "dirspell", "dotglob", "execfail", "expand_aliases", "extdebug",
               "extglob", "extquote", "failglob", "force_fignore", "globasciiranges",
               "globskipdots", "globstar", "gnu_errfmt", "histappend", "histreedit",
               "histverify", "hostcomplete", "huponexit", "inherit_errexit",
               "interactive_comments", "lastpipe", "lithist", "localvar_inherit",
               "localvar_unset", "login_shell", "mailwarn", "no_empty_cmd_completion",
               "nocaseglob", "nocasematch", "noexpand_translation", "nullglob",
               "patsub_replacement", "progcomp", "progcomp_alias", "promptvars",
               "restricted_shell", "shift_verbose", "sourcepath", "varredir_close",
               "xpg_echo")
ATTR_ORDER = "aAilnrtux"


def is_name(text: str) -> bool:
    return bool(text) and (text[0].isalpha() or text[0] == "_") and \
        all(c.isalnum() or c == "_" for c in text) and text.isascii()


# --------------------------------------------------------------------- printing

def _array_text(var) -> str:
    value = var.value
    if ASSOC in var.attrs:
        return array_body(value, bash_key_order(value), True)
    return array_body(value, sorted(value), False)


def declare_line(name: str, var) -> str:
    attrs = "".join(sorted(set(var.attrs), key=ATTR_ORDER.find))
    if isinstance(var.value, dict):
        if ASSOC not in attrs and ARRAY not in attrs:
            attrs = ARRAY + attrs
    flags = "-" + attrs if attrs else "--"
    if var.value is None:
        return f"declare {flags} {name}"
    if isinstance(var.value, dict):
        return f"declare {flags} {name}={_array_text(var)}"
    return f"declare {flags} {name}={declare_value(var.value)}"


def set_listing_line(name: str, var) -> str:
    from pyshell.interp.quoting import quote_assignment_value
    if isinstance(var.value, dict):
        return f"{name}={_array_text(var)}"
    return f"{name}={quote_assignment_value(var.value, listing=True)}"


def visible_variables(state) -> dict:
    """name -> Var as seen from the current scope."""
    seen = dict(state.globals)
    for scope in state.scopes:
        seen.update(scope)
    return seen


# ------------------------------------------------------------------------- set

def _usage_error(sh, name: str, bad: str, usage: str) -> int:
    sh.error(f"{name}: {bad}: invalid option")
    sh.write(2, f"{name}: usage: {usage}\n")
    return 2


SET_USAGE = "set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]"


@builtin("set")
def set_builtin(sh, argv) -> int:
    st = sh.state
    args = argv[1:]
    if not args:
        out = []
        for name, var in sorted(visible_variables(st).items()):
            if var.value is not None:
                out.append(set_listing_line(name, var) + "\n")
        for name, fdef in sorted(st.functions.items()):
            out.append(function_text(fdef) + "\n")
        sh.write(1, "".join(out))
        return 0
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            i += 1
            st.positional = list(args[i:])
            return 0
        if arg == "-":
            st.set_option("xtrace", False)
            st.set_option("verbose", False)
            i += 1
            break
        if len(arg) < 2 or arg[0] not in "-+":
            break
        on = arg[0] == "-"
        for letter in arg[1:]:
            if letter == "o":
                i += 1
                if i >= len(args):
                    _print_options(sh, on)
                    return 0
                name = args[i]
                if name not in SET_O_NAMES:
                    sh.error(f"set: {name}: invalid option name")
                    return 2
                _set_named_option(st, name, on)
            elif letter in LETTER_OPTIONS:
                st.set_option(LETTER_OPTIONS[letter], on)
            else:
                return _usage_error(sh, "set", arg[0] + letter, SET_USAGE)
        i += 1
    else:
        return 0
    st.positional = list(args[i:])
    return 0


def _set_named_option(st, name: str, on: bool) -> None:
    if name in ("emacs", "vi"):
        st.set_option("vi" if name == "emacs" else "emacs", False)
    st.set_option(name, on)


def _print_options(sh, dash: bool) -> None:
    st = sh.state
    if dash:
        lines = [f"{name:<15}\t{'on' if name in st.options else 'off'}\n" for name in SET_O_NAMES]
    else:
        lines = [f"set {'-' if name in st.options else '+'}o {name}\n" for name in SET_O_NAMES]
    sh.write(1, "".join(lines))


@builtin("shift")
def shift_builtin(sh, argv) -> int:
    st = sh.state
    n = 1
    if len(argv) > 1:
        text = argv[1]
        try:
            n = int(text)
            if not -2**63 <= n < 2**63:
                raise ValueError(text)
        except ValueError:
            sh.error(f"shift: {text}: numeric argument required")
            return 1
        if n < 0:
            sh.error(f"shift: {text}: shift count out of range")
            return 1
    if n > len(st.positional):
        if "shift_verbose" in st.shopts:
            sh.error(f"shift: {n}: shift count out of range")
        return 1
    st.positional = st.positional[n:]
    return 0


# ------------------------------------------------------------- declarations

class _Flags:
    def __init__(self):
        self.on = set()
        self.off = set()
        self.print = False
        self.functions = False
        self.func_names = False
        self.global_ = False


DECLARE_USAGE = ("declare [-aAfFgiIlnrtux] [name[=value] ...] or declare -p "
                 "[-aAfFilnrtux] [name ...]")
USAGES = {
    "declare": DECLARE_USAGE,
    "typeset": DECLARE_USAGE.replace("declare", "typeset"),
    "local": "local [option] name[=value] ...",
    "export": "export [-fn] [name[=value] ...] or export -p",
    "readonly": "readonly [-aAf] [name[=value] ...] or readonly -p",
}
_ALLOWED = {"declare": "aAfFgiIlnprtux", "typeset": "aAfFgiIlnprtux",
            "local": "aAiIlnprtux", "export": "fnp", "readonly": "aAfp"}


def _parse_flags(sh, cmd: str, args) -> tuple:
    flags = _Flags()
    allowed = _ALLOWED[cmd]
    i = 0
    while i < len(args):
        arg = args[i]
        if not isinstance(arg, str) or len(arg) < 2 or arg[0] not in "-+":
            break
        if arg == "--":
            i += 1
            break
        on = arg[0] == "-"
        for letter in arg[1:]:
            if letter not in allowed:
                _usage_error(sh, cmd, arg[0] + letter, USAGES[cmd])
                return None, None
            if letter == "p":
                flags.print = True
            elif letter == "f":
                flags.functions = True
            elif letter == "F":
                flags.func_names = True
            elif letter == "g":
                flags.global_ = True
            elif letter == "I":
                pass
            elif cmd == "export" and letter == "n":
                flags.off.add(EXPORT)
            else:
                (flags.on if on else flags.off).add(letter)
        i += 1
    return flags, args[i:]


def _declare(sh, argv, cmd: str, force: str = "") -> int:
    st = sh.state
    flags, operands = _parse_flags(sh, cmd, argv[1:])
    if flags is None:
        return 2
    if force:
        flags.on.add(force)
    in_function = sh.func_depth > 0
    if cmd == "local" and not in_function:
        sh.error("local: can only be used in a function")
        return 1
    local = cmd == "local" or (cmd in ("declare", "typeset") and in_function
                               and not flags.global_)
    if flags.functions or flags.func_names:
        return _declare_functions(sh, operands, flags, cmd)
    if not operands:
        return _list_declarations(sh, flags, cmd, force)
    if flags.print:
        return _print_named(sh, operands)
    status = 0
    for arg in operands:
        try:
            if isinstance(arg, ast.Assign):
                if not _declare_assign(sh, arg, flags, local, cmd):
                    status = 1
                elif cmd in ("export", "readonly"):
                    _trace_assignment(sh, arg.name)
                continue
            name, eq, value = arg.partition("=")
            append = name.endswith("+") and eq
            if append:
                name = name[:-1]
            base = name.split("[", 1)[0] if name.endswith("]") else name
            if not is_name(base):
                sh.error(f"{cmd}: `{arg}': not a valid identifier")
                status = 1
                continue
            var = _prepare(sh, base, flags, local)
            if eq:
                if name != base:
                    key_text = name[len(base) + 1:-1]
                    key = key_text if ASSOC in var.attrs else st.arith_eval(key_text)
                    st.set_element(base, key, value, append=bool(append), local=local)
                else:
                    st.set(base, value, append=bool(append), local=local)
            _finish_attrs(sh, base, flags, local)
            if eq and cmd in ("export", "readonly") and name == base:
                _trace_assignment(sh, base)
        except VarError as exc:
            sh.error(exc.message)
            status = 1
    return status


def _trace_assignment(sh, name: str) -> None:
    """Under set -x, bash shows export/readonly assignments as `+ name=value`."""
    if "xtrace" in sh.state.options:
        from pyshell.interp.quoting import quote_assignment_value
        value = sh.state.get(name)
        if value is not None:
            sh._trace_line(f"{name}={quote_assignment_value(value)}")


def _prepare(sh, name: str, flags, local: bool):
    """The variable `name` in the right scope, with attributes that shape the value
    being assigned (array kind, case, integer) already applied."""
    st = sh.state
    if local:
        var = st.declare_local(name) if st.scopes else st._target(name)
        if not var.attrs and var.value is None and LOWER not in flags.on:
            outer = _outer_var(st, name)
            if outer is not None and "localvar_inherit" in st.shopts:
                var.value = outer.value
    else:
        var = st._target(name)
    if READONLY in var.attrs and READONLY in flags.off:
        raise VarError(f"{name}: readonly variable")
    for letter in flags.on:
        if letter == ASSOC:
            if ARRAY in var.attrs and isinstance(var.value, dict):
                raise VarError(f"{name}: cannot convert indexed to associative array")
            var.add(ASSOC)
            if not isinstance(var.value, dict):
                var.value = {} if var.value is None else {"0": var.value}
        elif letter == ARRAY:
            if ASSOC in var.attrs:
                raise VarError(f"{name}: cannot convert associative to indexed array")
            var.add(ARRAY)
            if var.value is not None and not isinstance(var.value, dict):
                var.value = {0: var.value}
        elif letter in (INTEGER, LOWER, UPPER, NAMEREF, TRACE):
            if letter == LOWER:
                var.drop(UPPER)
            if letter == UPPER:
                var.drop(LOWER)
            var.add(letter)
    for letter in flags.off:
        if letter in (INTEGER, LOWER, UPPER, NAMEREF, TRACE):
            var.drop(letter)
    return var


def _outer_var(st, name):
    for scope in reversed(st.scopes[:-1]):
        if name in scope:
            return scope[name]
    return st.globals.get(name)


def _finish_attrs(sh, name: str, flags, local: bool) -> None:
    """Attributes applied after the value: export and readonly."""
    st = sh.state
    if EXPORT in flags.on:
        st.set_attr(name, EXPORT, True, local=local)
    if EXPORT in flags.off:
        st.set_attr(name, EXPORT, False, local=local)
    if READONLY in flags.on:
        st.set_attr(name, READONLY, True, local=local)


def _declare_assign(sh, a, flags, local: bool, cmd: str) -> bool:
    if not is_name(a.name):
        sh.error(f"{cmd}: `{a.name}': not a valid identifier")
        return False
    _prepare(sh, a.name, flags, local)
    try:
        sh.expander.assign(a, local=local)
    except ShellError as exc:
        sh.error(exc.message)
        return False
    if a.array is not None:
        _integer_elements(sh, a.name)
    _finish_attrs(sh, a.name, flags, local)
    return True


def _integer_elements(sh, name: str) -> None:
    """`declare -ia a=(1+1)`: elements of an integer array are evaluated."""
    var = sh.state.lookup(name)
    if var is not None and INTEGER in var.attrs and isinstance(var.value, dict):
        for key, value in list(var.value.items()):
            var.value[key] = str(sh.state.arith_eval(value))


def _print_named(sh, names) -> int:
    st = sh.state
    status = 0
    out = []
    for name in names:
        if isinstance(name, ast.Assign):
            name = name.name
        var = st.lookup(name)
        if var is None:
            sh.write(1, "".join(out))
            out = []
            sh.error(f"declare: {name}: not found")
            status = 1
            continue
        out.append(declare_line(name, var) + "\n")
    sh.write(1, "".join(out))
    return status


def _list_declarations(sh, flags, cmd: str, force: str) -> int:
    st = sh.state
    want = set(flags.on)
    if cmd == "local":
        scope = st.scopes[-1] if st.scopes else {}
        items = scope.items()
    else:
        items = sorted(visible_variables(st).items())
    out = []
    for name, var in items:
        if want and not want <= set(var.attrs) | ({ARRAY} if isinstance(var.value, dict)
                                                   and ASSOC not in var.attrs else set()):
            continue
        if cmd in ("declare", "typeset", "local") and not flags.print and not want:
            if var.value is None:
                continue
            out.append(set_listing_line(name, var) + "\n")
        else:
            out.append(declare_line(name, var) + "\n")
    if cmd in ("declare", "typeset") and not flags.print and not want:
        for name, fdef in sorted(st.functions.items()):
            out.append(function_text(fdef) + "\n")
    sh.write(1, "".join(out))
    return 0


def function_text(fdef) -> str:
    from pyshell.interp.printer import function_text as layout
    return layout(fdef)


def _declare_functions(sh, names, flags, cmd: str) -> int:
    st = sh.state
    status = 0
    out = []
    if not names:
        for name, fdef in sorted(st.functions.items()):
            out.append(f"declare -f {name}\n" if flags.func_names else
                       function_text(fdef) + "\n")
    for name in names:
        if isinstance(name, ast.Assign):
            name = name.name
        fdef = st.functions.get(name)
        if fdef is None:
            status = 1
            if cmd in ("export", "readonly"):
                sh.error(f"{cmd}: {name}: not a function")
            continue
        if cmd in ("export", "readonly"):
            continue
        out.append(name + "\n" if flags.func_names else function_text(fdef) + "\n")
    sh.write(1, "".join(out))
    return status


@builtin("declare", "typeset")
def declare_builtin(sh, argv) -> int:
    return _declare(sh, argv, argv[0])


@builtin("local")
def local_builtin(sh, argv) -> int:
    return _declare(sh, argv, "local")


@builtin("export")
def export_builtin(sh, argv) -> int:
    flags, operands = _parse_flags(sh, "export", argv[1:])
    if flags is None:
        return 2
    if not operands:
        return _list_attr(sh, EXPORT)
    return _declare(sh, argv, "export", "" if EXPORT in flags.off else EXPORT)


@builtin("readonly")
def readonly_builtin(sh, argv) -> int:
    flags, operands = _parse_flags(sh, "readonly", argv[1:])
    if flags is None:
        return 2
    if not operands and not flags.functions:
        return _list_attr(sh, READONLY)
    return _declare(sh, argv, "readonly", READONLY)


def _list_attr(sh, attr: str) -> int:
    out = []
    for name, var in sorted(visible_variables(sh.state).items()):
        if attr in var.attrs:
            out.append(declare_line(name, var) + "\n")
    sh.write(1, "".join(out))
    return 0


@builtin("unset")
def unset_builtin(sh, argv) -> int:
    st = sh.state
    mode = None
    args = argv[1:]
    while args and args[0].startswith("-") and len(args[0]) > 1:
        arg = args.pop(0)
        if arg == "--":
            break
        for letter in arg[1:]:
            if letter in "fvn":
                mode = letter
            else:
                return _usage_error(sh, "unset", "-" + letter, "unset [-f] [-v] [-n] [name ...]")
    status = 0
    for name in args:
        if mode == "f":
            st.functions.pop(name, None)
            continue
        base, bracket, rest = name.partition("[")
        if bracket and rest.endswith("]") and is_name(base):
            try:
                key_text = rest[:-1]
                if key_text in ("@", "*"):
                    st.unset(base)
                elif st.is_assoc(base):
                    st.unset_element(base, key_text)
                else:
                    key = st.arith_eval(key_text)
                    if key < 0:
                        arr = st.get_array(base) or {}
                        keys = [k for k in arr if isinstance(k, int)]
                        key += (max(keys) + 1) if keys else 0
                    st.unset_element(base, key)
            except VarError as exc:
                sh.error(f"unset: {exc.message}")
                status = 1
            continue
        if not is_name(name):
            sh.error(f"unset: `{name}': not a valid identifier")
            status = 1
            continue
        try:
            if mode is None and st.lookup(name) is None and name in st.functions:
                del st.functions[name]
            else:
                st.unset(name)
        except VarError as exc:
            sh.error(f"unset: {exc.message}")
            status = 1
    return status


# ------------------------------------------------------------------------ shopt

@builtin("shopt")
def shopt_builtin(sh, argv) -> int:
    st = sh.state
    args = argv[1:]
    mode = None
    quiet = use_o = printable = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        arg = args.pop(0)
        if arg == "--":
            break
        for letter in arg[1:]:
            if letter in "su":
                mode = letter
            elif letter == "q":
                quiet = True
            elif letter == "o":
                use_o = True
            elif letter == "p":
                printable = True
            else:
                return _usage_error(sh, "shopt", "-" + letter,
                                    "shopt [-pqsu] [-o] [optname ...]")
    names = SET_O_NAMES if use_o else SHOPT_NAMES
    enabled = st.options if use_o else st.shopts

    def is_on(name):
        return name in enabled

    if mode:
        status = 0
        for name in args:
            if name not in names:
                sh.error(f"shopt: {name}: invalid {'option' if use_o else 'shell option'} name")
                status = 1
                continue
            if use_o:
                _set_named_option(st, name, mode == "s")
            elif mode == "s":
                st.shopts.add(name)
            else:
                st.shopts.discard(name)
        if not args:
            out = [_shopt_line(n, is_on(n), printable, use_o) for n in names
                   if is_on(n) == (mode == "s")]
            sh.write(1, "".join(out))
        return status
    status = 0
    out = []
    for name in args or names:
        if name not in names:
            sh.write(1, "".join(out))
            out = []
            sh.error(f"shopt: {name}: invalid {'option' if use_o else 'shell option'} name")
            status = 1
            continue
        if not is_on(name):
            status = 1
        if not quiet:
            out.append(_shopt_line(name, is_on(name), printable, use_o))
    sh.write(1, "".join(out))
    return status if args else 0


def _shopt_line(name: str, on: bool, printable: bool, use_o: bool) -> str:
    if printable:
        if use_o:
            return f"set {'-' if on else '+'}o {name}\n"
        return f"shopt {'-s' if on else '-u'} {name}\n"
    return f"{name:<15}\t{'on' if on else 'off'}\n"


# -------------------------------------------------------------------------- let

@builtin("let")
def let_builtin(sh, argv) -> int:
    if len(argv) < 2:
        sh.error("let: expression expected")
        return 1
    value = 0
    for expr in argv[1:]:
        try:
            value = sh.state.arith_eval(expr)
        except ShellError as exc:
            sh.error(f"let: {exc.message}")
            return 1
    return 0 if value else 1
