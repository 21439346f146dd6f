"""compgen, complete and compopt: the word-generating half of bash's programmable
completion, and the table of completion specifications scripts define.

A spec is stored per command name (the special ones under bash's internal names for -D,
-E and -I) in `state.completions`; `complete -p` lists them in bash's hash-table order.
compgen generates words as bash does, in bash's order: the actions (-A and the letter
options), -G, -W (expanded like shell words, no globbing), -F, -C; then -X filtering,
-P/-S, and the -o dirnames/plusdirs/default fallbacks. Interactive completion itself
(readline) is not here.
"""
from __future__ import annotations

import os

from pyshell.builtins import builtin
from pyshell.builtins.options import parse, usage_error, write_unchecked
from pyshell.interp.quoting import needs_quoting, single_quote

_LETTER_ACTIONS = {"a": "alias", "b": "builtin", "c": "command", "d": "directory",
                   "e": "export", "f": "file", "g": "group", "j": "job", "k": "keyword",
                   "s": "service", "u": "user", "v": "variable"}
# every action name, in the order bash prints them (`complete -p`)
_PRINT_ORDER = ("alias", "builtin", "command", "directory", "export", "file", "group",
                "job", "keyword", "service", "user", "variable", "arrayvar", "binding",
                "disabled", "enabled", "function", "helptopic", "hostname", "running",
                "setopt", "shopt", "signal", "stopped")
# the order in which bash generates matches for them
_GENERATE_ORDER = ("alias", "arrayvar", "binding", "builtin", "disabled", "enabled",
                   "export", "function", "helptopic", "hostname", "job", "keyword",
                   "running", "setopt", "shopt", "signal", "stopped", "variable",
                   "command", "file", "user", "group", "service", "directory")
_OPTION_NAMES = ("bashdefault", "default", "dirnames", "filenames", "noquote", "nosort",
                 "nospace", "plusdirs")
_KEYWORDS = ("if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while",
             "until", "do", "done", "in", "function", "time", "{", "}", "!", "[[", "]]",
             "coproc")
# bash's internal names for `complete -D`, `-E` and `-I`
_SPECIAL_NAMES = {"D": "_DefaultCmD_", "E": "_EmptycmD_", "I": "_InitialWorD_"}
_SPECIAL_FLAGS = {name: flag for flag, name in _SPECIAL_NAMES.items()}
_SPEC_BUCKETS = 512  # bash's table of specs: FNV-1 hash, newest first in a bucket

_COMPGEN_USAGE = ("compgen [-abcdefgjksuv] [-o option] [-A action] [-G globpat] "
                  "[-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] "
                  "[-S suffix] [word]")
_COMPLETE_USAGE = ("complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] "
                   "[-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] "
                   "[-P prefix] [-S suffix] [name ...]")
_COMPOPT_USAGE = "compopt [-o|+o option] [-DEI] [name ...]"


class Spec:
    __slots__ = ("actions", "options", "glob", "words", "prefix", "suffix", "filter",
                 "command", "function")

    def __init__(self):
        self.actions = set()
        self.options = set()
        self.glob = self.words = self.prefix = self.suffix = None
        self.filter = self.command = self.function = None

    def text(self, name: str) -> str:
        """The `complete` command that recreates this spec (complete -p)."""
        out = ["complete"]
        out += [f"-o {opt}" for opt in _OPTION_NAMES if opt in self.options]
        for action in _PRINT_ORDER:
            if action in self.actions:
                letter = next((k for k, v in _LETTER_ACTIONS.items() if v == action), None)
                out.append(f"-{letter}" if letter else f"-A {action}")
        for flag, value in (("-G", self.glob), ("-W", self.words), ("-P", self.prefix),
                            ("-S", self.suffix), ("-X", self.filter),
                            ("-C", self.command)):
            if value is not None:
                out.append(f"{flag} {single_quote(value)}")
        if self.function is not None:
            out.append(f"-F {self.function}")
        flag = _SPECIAL_FLAGS.get(name)
        out.append(f"-{flag}" if flag else
                   single_quote(name) if needs_quoting(name) else name)
        return " ".join(out)


def _table(sh) -> dict:
    table = getattr(sh.state, "completions", None)
    if table is None:
        table = sh.state.completions = {}
    return table


def _listing_order(names) -> list:
    from pyshell.interp.assoc_order import key_hash
    names = list(names)
    order = {name: i for i, name in enumerate(names)}
    return sorted(names, key=lambda n: (key_hash(n) & (_SPEC_BUCKETS - 1), -order[n]))


def _parse_spec(sh, name: str, argv, letters: str, usage: str):
    """Options shared by compgen and complete. Returns (spec, flags, operands, whether
    any option was given), or an exit status after reporting an error."""
    parsed = parse(argv, letters + "abcdefgjksuvo:A:G:W:F:C:X:P:S:")
    opts, operands = parsed.opts, parsed.operands
    spec = Spec()
    flags = set()
    for letter, value in opts:
        if letter in _LETTER_ACTIONS:
            spec.actions.add(_LETTER_ACTIONS[letter])
        elif letter == "A":
            if value not in _PRINT_ORDER:
                sh.error(f"{name}: {value}: invalid action name")
                return 2
            spec.actions.add(value)
        elif letter == "o":
            if value not in _OPTION_NAMES:
                sh.error(f"{name}: {value}: invalid option name")
                return 2
            spec.options.add(value)
        elif letter in "GWPSXCF":
            attr = {"G": "glob", "W": "words", "P": "prefix", "S": "suffix", "X": "filter",
                    "C": "command", "F": "function"}[letter]
            setattr(spec, attr, value)
        else:
            flags.add(letter)
    if parsed.error is not None:
        return parsed.report_error(sh, name, usage)
    return spec, flags, operands, bool(opts)


# ------------------------------------------------------------------ complete

@builtin("complete")
def complete(sh, argv) -> int:
    parsed = _parse_spec(sh, "complete", argv, "prDEI", _COMPLETE_USAGE)
    if isinstance(parsed, int):
        return parsed
    spec, flags, names, _ = parsed
    table = _table(sh)
    names = _special_name(flags) or names
    has_spec = bool(spec.actions or spec.options) or any(
        getattr(spec, attr) is not None for attr in
        ("glob", "words", "prefix", "suffix", "filter", "command", "function"))
    if "p" in flags or not (names or has_spec or "r" in flags):
        if not names:
            write_unchecked(sh, "".join(table[n].text(n) + "\n"
                                        for n in _listing_order(table)))
            return 0
        return _print_specs(sh, table, names)
    if "r" in flags:
        if not names:
            table.clear()
            return 0
        status = 0
        for name in names:
            if table.pop(name, None) is None:
                sh.error(f"complete: {name}: no completion specification")
                status = 1
        return status
    if not names:
        sh.write(2, f"complete: usage: {_COMPLETE_USAGE}\n")
        return 2
    for name in names:
        table[name] = spec  # one spec shared by the names, as bash does (see compopt)
    return 0


def _print_specs(sh, table, names) -> int:
    status = 0
    for name in names:
        spec = table.get(name)
        if spec is None:
            sh.error(f"complete: {name}: no completion specification")
            status = 1
        else:
            write_unchecked(sh, spec.text(name) + "\n")
    return status


@builtin("compopt")
def compopt(sh, argv) -> int:
    on, off, flags = set(), set(), set()
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            i += 1
            break
        if len(arg) < 2 or arg[0] not in "-+":
            break
        j = 1
        while j < len(arg):
            c = arg[j]
            if c == "o":
                value = arg[j + 1:]
                if not value:
                    i += 1
                    if i >= len(argv):
                        return usage_error(sh, "compopt",
                                           f"{arg[0]}o: option requires an argument",
                                           _COMPOPT_USAGE)
                    value = argv[i]
                if value not in _OPTION_NAMES:
                    sh.error(f"compopt: {value}: invalid option name")
                    return 2
                (on if arg[0] == "-" else off).add(value)
                break
            if c in "DEI" and arg[0] == "-":
                flags.add(c)
                j += 1
                continue
            return usage_error(sh, "compopt", f"{arg[0]}{c}: invalid option",
                               _COMPOPT_USAGE)
        i += 1
    names = _special_name(flags) or argv[i:]
    if not names:
        # only a completion function being run by readline has a current spec
        sh.error("compopt: not currently executing completion function")
        return 1
    table = _table(sh)
    status = 0
    for name in names:
        spec = table.get(name)
        if spec is None:
            sh.error(f"compopt: {name}: no completion specification")
            status = 1
            continue
        if not on and not off:
            shown = " ".join(("-o " if opt in spec.options else "+o ") + opt
                             for opt in _OPTION_NAMES)
            flag = _SPECIAL_FLAGS.get(name)
            write_unchecked(sh, f"compopt {shown} {'-' + flag if flag else name}\n")
        spec.options |= on
        spec.options -= off
    return status


def _special_name(flags) -> list:
    """-D, -E or -I (the first of them in that order) name one special spec and make
    the command ignore its name operands, as in bash."""
    for flag in "DEI":
        if flag in flags:
            return [_SPECIAL_NAMES[flag]]
    return []


# ------------------------------------------------------------------- compgen

@builtin("compgen")
def compgen(sh, argv) -> int:
    if len(argv) == 1:
        return 0
    parsed = _parse_spec(sh, "compgen", argv, "", _COMPGEN_USAGE)
    if isinstance(parsed, int):
        return parsed
    spec, _flags, operands, any_option = parsed
    if not any_option:
        return 0  # bash: nothing asked for, nothing to fail
    word = operands[0] if operands else ""
    matches = generate(sh, spec, word, warn=True)
    if not matches:
        return 1
    write_unchecked(sh, "".join(m + "\n" for m in matches))
    return 0


def generate(sh, spec: Spec, word: str, warn: bool = False) -> list:
    """The words `spec` generates for `word`. `warn`: print compgen's warnings about
    -F and -C (bash gives them only for the compgen builtin)."""
    from pyshell.builtins.completion_sources import action_words, directories, files
    out = []
    for action in _GENERATE_ORDER:
        if action in spec.actions:
            out += action_words(sh, action, word)
    if spec.glob is not None:
        out += _glob_words(sh, spec.glob)
    if spec.words is not None:
        out += [w for w in _wordlist(sh, spec.words) if w.startswith(word)]
    if spec.function is not None:
        if warn:
            sh.error("compgen: warning: -F option may not work as you expect")
        out += _function_words(sh, spec.function, word)
    if spec.command is not None:
        if warn:
            sh.error("compgen: warning: -C option may not work as you expect")
        out += _command_words(sh, spec.command, word)
    if spec.filter is not None:
        out = _filtered(sh, out, spec.filter, word)
    if spec.prefix is not None or spec.suffix is not None:
        out = [(spec.prefix or "") + m + (spec.suffix or "") for m in out]
    if not out and "dirnames" in spec.options:
        out = directories(word)
    elif "plusdirs" in spec.options:
        out += directories(word)
    if not out and spec.options & {"default", "bashdefault"}:
        out = files(word)
    return out


def _glob_words(sh, pattern: str) -> list:
    """-G: bash lists the matches of a one-component pattern in reverse directory
    order (its glob builds the list by prepending); deeper patterns come sorted."""
    from pyshell.interp import pattern as pat
    shopts = sh.state.shopts
    dotglob, extglob = "dotglob" in shopts, "extglob" in shopts
    nocase = "nocaseglob" in shopts
    if "/" in pattern:
        return pat.glob(pattern, dotglob=dotglob, nocase=nocase, extglob=extglob,
                        globstar="globstar" in shopts)
    if not pat.has_glob(pattern, extglob):
        name = pat.unescape(pattern)
        return [name] if os.path.lexists(name) else []
    try:
        names = os.listdir(".")
    except OSError:
        return []
    hidden_ok = dotglob or pattern.startswith(".")
    return [n for n in reversed(names) if (hidden_ok or not n.startswith("."))
            and pat.match(pattern, n, extglob, nocase)]


def _split_wordlist(text: str, ifs: str) -> list:
    """Split at IFS characters outside quotes (bash's split_at_delims): each piece keeps
    its quoting for the expansion that follows."""
    words, cur, quote, i = [], [], None, 0
    while i < len(text):
        c = text[i]
        if quote is None and c == "\\" and i + 1 < len(text):
            cur.append(text[i:i + 2])
            i += 2
            continue
        if quote is not None:
            if c == quote:
                quote = None
            elif c == "\\" and quote == '"' and i + 1 < len(text):
                cur.append(text[i:i + 2])
                i += 2
                continue
        elif c in "'\"":
            quote = c
        elif c == "$" and text[i + 1:i + 2] in ("(", "{") or c == "`":
            end = _group_end(text, i)
            cur.append(text[i:end])
            i = end
            continue
        elif c in ifs:
            if cur:
                words.append("".join(cur))
                cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    if cur:
        words.append("".join(cur))
    return words


def _group_end(text: str, i: int) -> int:
    """The end of the $( ), ${ } or ` ` starting at i (the text's end if unclosed)."""
    if text[i] == "`":
        end = text.find("`", i + 1)
        return len(text) if end < 0 else end + 1
    opening = text[i + 1]
    closing = ")" if opening == "(" else "}"
    depth, j, quote = 0, i + 1, None
    while j < len(text):
        c = text[j]
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "\\":
            j += 1
        elif c == opening:
            depth += 1
        elif c == closing:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return len(text)


def _wordlist(sh, text: str) -> list:
    ifs = sh.state.get("IFS")
    pieces = _split_wordlist(text, " \t\n" if ifs is None else ifs)
    out = []
    for piece in pieces:
        out += _expand_piece(sh, piece)
    return out


def _expand_piece(sh, piece: str, fallback: bool = True) -> list:
    """A piece of a -W list expanded like a shell word (no pathname expansion). A piece
    that does not parse (an unclosed quote) just loses its quote characters, or gives
    nothing without `fallback`."""
    from pyshell.errors import ParseError
    from pyshell.syntax import CommandReader
    try:
        cmd = CommandReader(": " + piece, context=sh.parse_context()).next_command()
        simple = cmd.items[0].command if len(cmd.items) == 1 else None
        words = getattr(simple, "words", None)
        if not words or len(words) != 2 or getattr(simple, "redirs", None):
            raise ValueError("not one word")
    except (ParseError, ValueError, AttributeError, IndexError):
        return ["".join(c for c in piece if c not in "'\"")] if fallback else []
    options = sh.state.options
    had_noglob = "noglob" in options
    options.add("noglob")
    try:
        return sh.expander.words(words[1:])
    finally:
        if not had_noglob:
            options.discard("noglob")


def _function_words(sh, name: str, word: str) -> list:
    from pyshell.errors import write_stderr
    fdef = sh.state.functions.get(name)
    if fdef is None:
        write_stderr(f"{sh.error_prefix()}completion: function `{name}' not found\n")
        return []
    sh.call_function(fdef, [name, "compgen", word, ""])
    reply = sh.state.get_array("COMPREPLY")
    try:
        sh.state.unset("COMPREPLY")
    except Exception:  # a readonly COMPREPLY stays, as in bash
        pass
    if not reply:
        return []
    return [reply[k] for k in sorted(reply)]


def _command_words(sh, command: str, word: str) -> list:
    text = f"{command} compgen {single_quote(word)} ''"
    piece = '"$(' + text + '\n)"'
    found = _expand_piece(sh, piece, fallback=False)
    output = found[0] if found else ""
    return [line for line in output.split("\n") if line]


def _filtered(sh, words: list, pattern: str, word: str) -> list:
    from pyshell.interp.pattern import match
    negate = pattern.startswith("!")
    if negate:
        pattern = pattern[1:]
    # `&` stands for the word being completed; `\&` is a literal `&`
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\" and pattern[i + 1:i + 2] == "&":
            out.append("&")
            i += 2
            continue
        out.append(word if pattern[i] == "&" else pattern[i])
        i += 1
    pattern = "".join(out)
    extglob = "extglob" in sh.state.shopts
    nocase = "nocasematch" in sh.state.shopts
    # -X removes the words that match (with `!`, those that do not)
    return [w for w in words if match(pattern, w, extglob, nocase) == negate]
