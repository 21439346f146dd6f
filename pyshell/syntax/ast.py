"""pywarmsh's own syntax tree: the only thing the parser hands to the interpreter.

Every node carries its source location (`line`, `col`: 1-based line, 0-based column),
as keyword-only fields. Words keep their quoting structure as a list of parts, so the
expander knows which characters were quoted (no splitting, no globbing) and which not.

Command nodes:  Simple, Pipeline, AndOr, Seq, BraceGroup, Subshell, If, While, For,
                ArithFor, Select, Case, ArithCmd, CondCmd, FuncDef, Coproc
Word parts:     Lit, Escaped, SQ, ANSI, DQ, Param, CmdSub, ArithSub, ProcSub, Tilde,
                Brace, BraceRange, ExtGlob
Arithmetic:     parsed from text after expansion by pyshell.syntax.arith (ANum, AVar, ...)
[[ ]]:          CondBinary, CondUnary, CondAnd, CondOr, CondNot, CondWord
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: importing typing would cost start-up time
    from typing import Optional

# The node classes are declared like dataclasses (annotated fields with defaults) but built
# by `dataclass` below: a small slotted-class builder. The standard dataclasses module
# costs ~20 ms of start-up for these ~45 classes; this one costs ~2 ms. Constructors,
# attributes, repr and equality behave as with @dataclass(slots=True, kw_only locations).

_MISSING = object()


class _Default:
    __slots__ = ("value", "factory", "kw_only")

    def __init__(self, value=_MISSING, factory=None, kw_only=False):
        self.value = value
        self.factory = factory
        self.kw_only = kw_only


def field(default=_MISSING, default_factory=None, kw_only=False):
    return _Default(default, default_factory, kw_only)


def _loc():
    return field(default=0, kw_only=True)


def _node_repr(self):
    args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
    return f"{type(self).__name__}({args})"


def _node_eq(self, other):
    if type(other) is not type(self):
        return NotImplemented
    return all(getattr(self, n) == getattr(other, n) for n in self._fields)


_PENDING: list = []  # (class, __init__ source) compiled together by _build_inits()
_ENV: dict = {"_MISSING": _MISSING}


def dataclass(cls=None, *, slots=True):
    """Build a slotted node class from the annotated class body."""
    if cls is None:
        return lambda c: dataclass(c, slots=slots)
    names = list(cls.__dict__.get("__annotations__", {}))
    positional, keyword, body = [], [], []
    tag = cls.__name__
    for name in names:
        default = cls.__dict__.get(name, _MISSING)
        kw_only = False
        if isinstance(default, _Default):
            kw_only = default.kw_only
            if default.factory is not None:
                _ENV[f"_f_{tag}_{name}"] = default.factory
                body.append(f"self.{name} = _f_{tag}_{name}() if {name} is _MISSING else {name}")
                (keyword if kw_only else positional).append(f"{name}=_MISSING")
                continue
            default = default.value
        if default is _MISSING:
            param = name
        elif default is None or default is False or default is True or default == 0 and \
                type(default) is int:
            param = f"{name}={default!r}"
        else:
            _ENV[f"_d_{tag}_{name}"] = default
            param = f"{name}=_d_{tag}_{name}"
        body.append(f"self.{name} = {name}")
        (keyword if kw_only else positional).append(param)
    params = ", ".join(["self"] + positional + (["*"] + keyword if keyword else []))
    src = f"def _init_{tag}({params}):\n    " + "\n    ".join(body or ["pass"]) + "\n"
    namespace = {k: v for k, v in cls.__dict__.items()
                 if k not in names and k not in ("__dict__", "__weakref__")}
    namespace.update(__slots__=tuple(names), _fields=tuple(names),
                     __match_args__=tuple(n for n in names if n not in ("line", "col")),
                     __repr__=_node_repr, __eq__=_node_eq, __hash__=None)
    new_cls = type(cls.__name__, cls.__bases__, namespace)
    _PENDING.append((new_cls, src))
    return new_cls


def _init_source() -> str:
    return "".join(src for _, src in _PENDING)


_INIT_SOURCE = ""  # the constructors' source, as built by _build_inits()


def _build_inits():
    """One compilation for every constructor (much cheaper than one per class).
    pyshell/syntax/_ast_inits.py holds the same source precompiled (regenerate it with
    `python3 -m pyshell.syntax._ast_inits_gen`); it is used only if its SOURCE is
    exactly the source built here, otherwise the source is compiled now."""
    global _INIT_SOURCE
    src = _INIT_SOURCE = _init_source()
    try:
        from pyshell.syntax import _ast_inits as gen
    except ImportError:
        gen = None
    if gen is not None and getattr(gen, "SOURCE", None) == src and \
            set(getattr(gen, "ENV_NAMES", ())) == set(_ENV):
        ns = gen.make(**_ENV)
    else:
        exec(src, _ENV)
        ns = _ENV
    for cls, _ in _PENDING:
        init = ns[f"_init_{cls.__name__}"]
        init.__name__ = "__init__"
        init.__qualname__ = cls.__qualname__ + ".__init__"
        cls.__init__ = init
    _PENDING.clear()


# --------------------------------------------------------------------------- words

@dataclass(slots=True)
class Lit:
    """Unquoted literal text. Unquoted glob characters (* ? [) in it are active."""
    text: str
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class Escaped:
    """A backslash-escaped character outside quotes (`\\*`): literal and quoted."""
    text: str
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class SQ:
    """'single-quoted' text (quotes removed)."""
    text: str
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class ANSI:
    """$'ANSI-C quoted' text, escapes already decoded."""
    text: str
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class DQ:
    """"double-quoted" text. Parts: Lit (quoted literal text, backslash escapes already
    resolved), Param, CmdSub, ArithSub."""
    parts: list
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class Param:
    """$name, ${name}, ${name[sub]} and every ${...} operator.

    name:      variable name, digit string, or one of @ * # ? - $ ! 0
    subscript: Word for name[...] (text `@` / `*` for whole-array), else None
    length:    ${#name}
    indirect:  ${!name} (also ${!name[@]} keys and ${!prefix*} / ${!prefix@} with op '!*' / '!@')
    op:        None or one of  :- - := = :? ? :+ +  # ## % %%  / // /# /%  ^ ^^ , ,,
               : (substring)  @Q @E @P @A @a @U @u @L @K @k  !* !@
    arg:       Word operand (the default, pattern, offset, ...) or None
    arg2:      second operand: replacement for / forms, length for :off:len, else None
    braced:    written with braces
    """
    name: str
    subscript: Optional["Word"] = None
    length: bool = False
    indirect: bool = False
    op: Optional[str] = None
    arg: Optional["Word"] = None
    arg2: Optional["Word"] = None
    braced: bool = False
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class CmdSub:
    """$(...) or `...`: `body` is the parsed command list. bash parses a backquoted
    body only when it runs: if that parse failed, `error` holds the ParseError to report
    then (and `body` is empty)."""
    body: "Seq"
    backquote: bool = False
    error: object = None
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class ArithSub:
    """$(( expr )) or $[ expr ]. `expr` is a Word in arithmetic context: expanded first,
    then parsed by pyshell.syntax.arith (as bash does)."""
    expr: "Word"
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class ProcSub:
    """<(...) or >(...)."""
    direction: str  # '<' or '>'
    body: "Seq"
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class Tilde:
    """Leading ~, ~user, ~+, ~- (also after : and = in assignments)."""
    user: str
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class Brace:
    """Brace expansion {a,b,c}: each alternative is a list of word parts."""
    alternatives: list
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class BraceRange:
    """Brace sequence {start..end[..step]} of integers or single letters (texts kept
    as written so zero padding like {01..10} can be honoured)."""
    start: str
    end: str
    step: Optional[str] = None
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class ExtGlob:
    """Extended glob ?(..) *(..) +(..) @(..) !(..) (when extglob is on at parse time)."""
    op: str  # one of ? * + @ !
    patterns: list  # list[Word]
    line: int = _loc()
    col: int = _loc()


WordPart = (Lit, Escaped, SQ, ANSI, DQ, Param, CmdSub, ArithSub, ProcSub, Tilde,
                 Brace, BraceRange, ExtGlob)  # for isinstance()


@dataclass(slots=True)
class Word:
    parts: list  # list[WordPart]
    text: str = ""  # the source text, as written
    line: int = _loc()
    col: int = _loc()


# --------------------------------------------------------------------- redirections

@dataclass(slots=True)
class HereDoc:
    """Body of << / <<-. Quoted delimiter: `body` is one Lit (no expansion). Unquoted:
    `body` parts are Lit (with \\$ \\` \\\\ \\newline resolved), Param, CmdSub, ArithSub."""
    delimiter: str
    body: "Word"
    quoted: bool = False
    strip_tabs: bool = False
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class Redir:
    """One redirection.

    op:      < > >> >| <> <& >& &> &>> << <<- <<<
    fd:      explicit source fd number (`2>`), else None (default by op)
    varname: {name}> form: the shell allocates an fd >= 10 and stores it in name
    target:  the word (file name, fd number, or `-` to close); None for here-documents
    heredoc: HereDoc for << and <<-
    """
    op: str
    target: Optional[Word] = None
    fd: Optional[int] = None
    varname: Optional[str] = None
    heredoc: Optional[HereDoc] = None
    line: int = _loc()
    col: int = _loc()


# ---------------------------------------------------------------------- assignments

@dataclass(slots=True)
class ArrayItem:
    """One element of a compound assignment: `[key]=value` or a plain `value`."""
    value: Word
    key: Optional[Word] = None
    append: bool = False  # [key]+=value
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class Assign:
    """name=value, name+=value, name[sub]=value, name=(items...)."""
    name: str
    value: Optional[Word] = None        # None with array set: compound assignment
    subscript: Optional[Word] = None
    append: bool = False
    array: Optional[list] = None        # list[ArrayItem] for name=(...)
    line: int = _loc()
    col: int = _loc()


# ------------------------------------------------------------------------- commands

@dataclass(slots=True)
class Simple:
    """A simple command. `words` may be empty (assignments / redirections only).
    `line` is the line bash reports for it (errors, $LINENO): for a command written over
    several lines, where the token after its first word ends (or, when it starts with an
    assignment or redirection, where that ends); `col` is where it starts.
    For declaration builtins (declare typeset local export readonly), an argument
    written as an assignment (`local a=(1 2)`, `declare -A m=([k]=v)`, `export x=~/y`)
    stays in `words` and is also parsed as an Assign in `decl_assigns[word_index]`."""
    assigns: list  # list[Assign]
    words: list  # list[Word]
    redirs: list  # list[Redir]
    decl_assigns: dict = field(default_factory=dict)  # word index -> Assign
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class Pipeline:
    """cmd1 | cmd2 |& cmd3. `stderr_pipes[i]` is True when the pipe after commands[i]
    is `|&`. `time`/`time_posix` for the `time [-p]` keyword."""
    commands: list
    negate: bool = False
    stderr_pipes: list = field(default_factory=list)
    time: bool = False
    time_posix: bool = False
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class AndOr:
    """p1 && p2 || p3: `ops[i]` joins commands[i] and commands[i+1]."""
    commands: list
    ops: list
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class SeqItem:
    command: object
    background: bool = False  # terminated by &
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class Seq:
    """A command list: items run in order (background ones asynchronously)."""
    items: list  # list[SeqItem]
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class BraceGroup:
    body: Seq
    redirs: list = field(default_factory=list)
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class Subshell:
    body: Seq
    redirs: list = field(default_factory=list)
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class IfClause:
    condition: Seq
    body: Seq
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class If:
    clauses: list  # list[IfClause]: the if and every elif
    else_body: Optional[Seq] = None
    redirs: list = field(default_factory=list)
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class While:
    condition: Seq
    body: Seq
    until: bool = False
    redirs: list = field(default_factory=list)
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class For:
    """for var [in words]; do body; done. `words` None means "$@"."""
    var: str
    words: Optional[list]
    body: Seq
    redirs: list = field(default_factory=list)
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class ArithFor:
    """for ((init; cond; step)). Each is a Word in arithmetic context or None if empty."""
    init: Optional[Word]
    cond: Optional[Word]
    step: Optional[Word]
    body: Seq
    redirs: list = field(default_factory=list)
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class Select:
    var: str
    words: Optional[list]
    body: Seq
    redirs: list = field(default_factory=list)
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class CaseItem:
    patterns: list  # list[Word]
    body: Optional[Seq]
    terminator: str = ";;"  # ;; ;& ;;&
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class Case:
    word: Word
    items: list  # list[CaseItem]
    redirs: list = field(default_factory=list)
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class ArithCmd:
    """(( expr )): status 0 when the value is non-zero."""
    expr: Word
    redirs: list = field(default_factory=list)
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class CondCmd:
    """[[ expr ]]."""
    expr: object  # a Cond* node
    redirs: list = field(default_factory=list)
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class FuncDef:
    """name() body / function name body / function name() body. Redirections written
    after the body belong to the function (applied at each call): in `redirs`."""
    name: str
    body: object
    redirs: list = field(default_factory=list)
    source: str = ""  # source text of the definition, for `declare -f` / `type`
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class Coproc:
    name: str  # COPROC when not given
    body: object
    line: int = _loc()
    col: int = _loc()


# ------------------------------------------------------------------------ [[ ... ]]

@dataclass(slots=True)
class CondWord:
    """A lone word: true when non-empty."""
    word: Word
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class CondUnary:
    """-f file, -z str, -v name, ... (op includes the dash)."""
    op: str
    operand: Word
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class CondBinary:
    """== = != (right side is a pattern), =~ (right side a regex), < >, -eq -ne -lt -le
    -gt -ge (arithmetic), -nt -ot -ef."""
    op: str
    left: Word
    right: Word
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class CondNot:
    operand: object
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class CondAnd:
    left: object
    right: object
    line: int = _loc()
    col: int = _loc()


@dataclass(slots=True)
class CondOr:
    left: object
    right: object
    line: int = _loc()
    col: int = _loc()


Command = (Simple, Pipeline, AndOr, Seq, BraceGroup, Subshell, If, While, For,
           ArithFor, Select, Case, ArithCmd, CondCmd, FuncDef, Coproc)  # for isinstance()

_build_inits()
