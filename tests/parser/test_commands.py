"""Command structure: simple commands, lists, pipelines, compound commands, functions."""
from pyshell.syntax import ParseContext
from pyshell.syntax import ast as A
from pyshell.syntax.parser import CommandReader, parse
from tests.parser.helpers import dump, first


def words(cmd):
    return [w.text for w in cmd.words]


def test_simple_assignments_redirections_anywhere():
    cmd = first("a=1 b[i+1]=x c+=y >out cmd arg 2>&1 <in d=notassign")
    assert [(a.name, a.append) for a in cmd.assigns] == [("a", False), ("b", False), ("c", True)]
    assert cmd.assigns[1].subscript.text == "i+1"
    assert words(cmd) == ["cmd", "arg", "d=notassign"]
    assert [(r.op, r.fd, r.target.text) for r in cmd.redirs] == [
        (">", None, "out"), (">&", 2, "1"), ("<", None, "in")]


def test_array_assignments():
    cmd = first('a=(1 "x y" [k]=v [j]+=w $(echo z)\n  # comment\n  last) b+=(x)')
    a = cmd.assigns[0]
    assert a.value is None
    assert [i.value.text for i in a.array] == ["1", '"x y"', "v", "w", "$(echo z)", "last"]
    assert [(i.key.text if i.key else None, i.append) for i in a.array][2:4] == [
        ("k", False), ("j", True)]
    assert cmd.assigns[1].append and cmd.assigns[1].array[0].value.text == "x"
    assert first("a=()").assigns[0].array == []


def test_declaration_builtins_keep_words_and_assignments():
    cmd = first("local -a x=(1 2) y=~/z plain")
    assert words(cmd)[:2] == ["local", "-a"]
    assert sorted(cmd.decl_assigns) == [2, 3]
    assert [i.value.text for i in cmd.decl_assigns[2].array] == ["1", "2"]
    assert type(cmd.decl_assigns[3].value.parts[0]) is A.Tilde
    assert first("echo x=1").decl_assigns == {}


def test_redirection_forms():
    cmd = first("cmd >a >>b >|c <>d <&3 >&- &>e &>>f 10>g {fd}>h <<<'s'")
    got = [(r.op, r.fd, r.varname, r.target.text) for r in cmd.redirs]
    assert got == [(">", None, None, "a"), (">>", None, None, "b"), (">|", None, None, "c"),
                   ("<>", None, None, "d"), ("<&", None, None, "3"), (">&", None, None, "-"),
                   ("&>", None, None, "e"), ("&>>", None, None, "f"), (">", 10, None, "g"),
                   (">", None, "fd", "h"), ("<<<", None, None, "'s'")]


def test_heredocs():
    src = ("cat <<EOF; cat <<-'E2' <<\\E3\nhello $x `y`\\$\nEOF\n\tquoted $x\n\tE2\nq\nE3\n"
           "echo after\n")
    seq = parse(src)
    h1 = seq.items[0].command.redirs[0].heredoc
    assert (h1.delimiter, h1.quoted, h1.strip_tabs) == ("EOF", False, False)
    assert [type(p).__name__ for p in h1.body.parts] == ["Lit", "Param", "Lit", "CmdSub", "Lit"]
    assert h1.body.parts[-1].text == "$\n"
    h2, h3 = [r.heredoc for r in seq.items[1].command.redirs]
    assert (h2.delimiter, h2.quoted, h2.strip_tabs, h2.body.text) == ("E2", True, True,
                                                                     "quoted $x\n")
    assert (h3.delimiter, h3.quoted, h3.body.text) == ("E3", True, "q\n")
    assert words(seq.items[2].command) == ["echo", "after"]


def test_heredoc_in_compound_and_cmdsub():
    seq = parse("if true; then\n  cat <<X\nbody\nX\nfi\nv=$(cat <<Y\ninner\nY\n)\n")
    body = seq.items[0].command.clauses[0].body
    assert body.items[0].command.redirs[0].heredoc.body.text == "body\n"
    sub = seq.items[1].command.assigns[0].value.parts[0]
    assert sub.body.items[0].command.redirs[0].heredoc.body.text == "inner\n"


def test_heredoc_at_eof_warns():
    reader = CommandReader("cat <<EOF\nabc\n")
    cmd = reader.next_command()
    assert cmd.items[0].command.redirs[0].heredoc.body.text == "abc\n"
    assert reader.warnings == [(2, "warning: here-document at line 1 delimited by "
                                   "end-of-file (wanted `EOF')")]
    seen = []
    ctx = ParseContext(warn=lambda line, msg: seen.append(line))
    CommandReader("cat <<EOF", ctx).next_command()
    assert seen == [1]


def test_lists_and_pipelines():
    cmd = first("! a | b |& c && d || e &")
    assert type(cmd) is A.AndOr and cmd.ops == ["&&", "||"]
    pipe = cmd.commands[0]
    assert type(pipe) is A.Pipeline and pipe.negate and pipe.stderr_pipes == [False, True]
    assert [words(c) for c in pipe.commands] == [["a"], ["b"], ["c"]]
    seq = parse("a & b; c\nd")
    assert [i.background for i in seq.items] == [True, False, False, False]
    t = first("time -p a | b")
    assert t.time and t.time_posix and len(t.commands) == 2
    assert first("a &&\n\n b").ops == ["&&"]
    assert first("a |\n b").commands[1].words[0].text == "b"


def test_compound_commands():
    c = first("{ a; b; } >f")
    assert type(c) is A.BraceGroup and len(c.body.items) == 2 and c.redirs[0].op == ">"
    c = first("(a; b) 2>/dev/null")
    assert type(c) is A.Subshell and c.redirs[0].fd == 2
    c = first("if a; then b; elif c; then d; elif e; then f; else g; fi")
    assert len(c.clauses) == 3 and c.else_body is not None
    c = first("while a; do b; done")
    assert type(c) is A.While and not c.until
    assert first("until a; do b; done").until
    c = first("for x in a 'b c'; do echo; done")
    assert (c.var, [w.text for w in c.words]) == ("x", ["a", "'b c'"])
    assert first("for x; do :; done").words is None
    assert first("for x\ndo :; done").words is None
    assert first("for x in; do :; done").words == []
    assert type(first("for x in a; { b; }").body.items[0].command) is A.Simple
    c = first("select x in a b; do break; done")
    assert type(c) is A.Select and len(c.words) == 2


def test_arith_commands():
    c = first("(( x = 1 + (2) ))")
    assert type(c) is A.ArithCmd and c.expr.text == " x = 1 + (2) "
    c = first("for ((i = 0; i < 3; i++)); do :; done")
    assert (c.init.text, c.cond.text, c.step.text) == ("i = 0", " i < 3", " i++")
    c = first("for ((;;)) { :; }")
    assert (c.init, c.cond, c.step) == (None, None, None)
    # `( (` is a nested subshell when the parentheses do not close as `))`
    c = first("((a); (b))")
    assert type(c) is A.Subshell


def test_case():
    c = first("case $x in\n (a|b) echo 1;;\n c) ;&\n fi|done) echo 2 ;;&\n *) echo 3\nesac")
    assert [[p.text for p in i.patterns] for i in c.items] == [["a", "b"], ["c"],
                                                              ["fi", "done"], ["*"]]
    assert [i.terminator for i in c.items] == [";;", ";&", ";;&", ";;"]
    assert c.items[1].body is None
    assert first("case x in esac").items == []
    assert first("case x in x) a;; esac >f").redirs[0].op == ">"


def test_functions():
    c = first("f() { echo; } >log")
    assert type(c) is A.FuncDef and c.name == "f" and c.redirs[0].op == ">"
    assert c.body.redirs == [] and c.source == "f() { echo; } >log"
    c = first("function g { :; }")
    assert c.name == "g" and type(c.body) is A.BraceGroup
    c = first("function h() (echo)")
    assert c.name == "h" and type(c.body) is A.Subshell
    c = first("k ()\n{\n :\n}")
    assert c.name == "k" and c.source == "k ()\n{\n :\n}"
    assert first("f() if a; then b; fi").body.clauses


def test_coproc():
    c = first("coproc cat")
    assert c.name == "COPROC" and words(c.body) == ["cat"]
    c = first("coproc NAME { cat; }")
    assert c.name == "NAME" and type(c.body) is A.BraceGroup
    c = first("coproc cat file")
    assert c.name == "COPROC" and words(c.body) == ["cat", "file"]


def test_cond_command():
    c = first("[[ -f a && ( $x == b* || ! y =~ ^(a|b c)$ ) && a < b ]]").expr
    assert dump(c) == (
        "CondAnd(left=CondAnd(left=CondUnary(op='-f', operand=Word(parts=[Lit(text='a')])), "
        "right=CondOr(left=CondBinary(op='==', left=Word(parts=[Param(name='x')]), "
        "right=Word(parts=[Lit(text='b*')])), right=CondNot(operand=CondBinary(op='=~', "
        "left=Word(parts=[Lit(text='y')]), right=Word(parts=[Lit(text='^(a|b c)$')]))))), "
        "right=CondBinary(op='<', left=Word(parts=[Lit(text='a')]), "
        "right=Word(parts=[Lit(text='b')])))")
    assert dump(first("[[ $a ]]").expr) == "CondWord(word=Word(parts=[Param(name='a')]))"
    # extglob patterns on the right of == are lexed even without extglob
    r = first("[[ x == @(a|b) ]]").expr.right
    assert type(r.parts[0]) is A.ExtGlob
    assert first("[[ a -nt b ]]").expr.op == "-nt"
    assert first("[[ a\n&& b ]]") if False else True
    c = first("[[ a &&\n b ]]")
    assert type(c.expr) is A.CondAnd


def test_reserved_words_only_in_command_position():
    assert words(first("echo if then fi done }")) == ["echo", "if", "then", "fi", "done", "}"]
    assert type(first("'if' x")) is A.Simple
    assert type(first("{a,b}")) is A.Simple


def test_comments_and_continuations():
    seq = parse("#!/bin/sh\n# only a comment\necho a # trailing\necho b\\\nc  \\\n d # x\n")
    assert [words(i.command) for i in seq.items] == [["echo", "a"], ["echo", "b\\\nc", "d"]]
    assert seq.items[1].command.words[1].parts[0].text == "bc"
    assert words(first("echo a#b")) == ["echo", "a#b"]
    assert parse("# nothing\n\n").items == []
    assert parse("").items == []


def test_aliases():
    ctx = ParseContext(aliases={"ll": "ls -l ", "x": "echo", "r": "r r", "loop": "loop2",
                                "loop2": "loop"})
    assert words(first("ll x", context=ctx)) == ["ls", "-l", "echo"]
    assert words(first("x ll", context=ctx)) == ["echo", "ll"]
    assert words(first("r", context=ctx)) == ["r", "r"]
    assert words(first("loop", context=ctx)) == ["loop"]
    assert words(first("a=1 x y", context=ctx)) == ["echo", "y"]
    assert words(first("'x' y", context=ctx)) == ["'x'", "y"]
    seq = parse("x a; x b\n", context=ctx)
    assert [words(i.command) for i in seq.items] == [["echo", "a"], ["echo", "b"]]
    ctx2 = ParseContext(aliases={"begin": "{ ", "end": "}"})
    c = first("begin echo; end", context=ctx2)
    assert type(c) is A.BraceGroup


def test_command_reader_one_line_at_a_time():
    reader = CommandReader("a; b &\nc\n\nif x\nthen y\nfi\n")
    got = []
    while (seq := reader.next_command()) is not None:
        got.append(len(seq.items))
    assert got == [2, 1, 1]


def test_locations():
    seq = parse("a\n  if b; then\n\tc x\n  fi\n")
    assert (seq.items[0].command.line, seq.items[0].command.col) == (1, 0)
    node = seq.items[1].command
    assert (node.line, node.col) == (2, 2)
    inner = node.clauses[0].body.items[0].command
    assert (inner.line, inner.col) == (3, 1)
    assert (inner.words[1].line, inner.words[1].col) == (3, 3)
    seq = parse("x", first_line=10)
    assert seq.items[0].command.line == 10


def test_parsed_file_cache(tmp_path):
    import os
    import time
    from pyshell.syntax import cache
    path = tmp_path / "lib.sh"
    path.write_text("a=1\nf() { echo; }\nfi\necho never\n")
    first_parse = cache.parse_file(str(path))
    assert len(first_parse.commands) == 2 and first_parse.error.line == 3
    assert cache.parse_file(str(path)) is first_parse
    assert cache.parse_file(str(path), ParseContext(extglob=True)) is not first_parse
    path.write_text("echo changed; echo more\n")
    later = time.time() + 5
    os.utime(path, (later, later))
    again = cache.parse_file(str(path))
    assert again is not first_parse and again.error is None
    assert len(again.commands[0][0].items) == 2


def test_reader_seek():
    text = "a\nb\nc\n"
    reader = CommandReader(text)
    reader.next_command()
    mark = reader.offset
    reader.next_command()
    reader.seek(mark)
    assert reader.next_command().items[0].command.words[0].text == "b"


def test_subscript_with_blanks_in_assignment_position():
    cmd = first("a[i + 1]=x b")
    assert cmd.assigns[0].subscript.text == "i + 1" and words(cmd) == ["b"]
    assert words(first("echo a[1 + 2]=x")) == ["echo", "a[1", "+", "2]=x"]
    a = first("a[1]=(x)").assigns[0]
    assert a.subscript.text == "1" and a.array[0].value.text == "x"


def test_reader_offsets_ignore_alias_expansion():
    text = "x a\necho b\n"
    reader = CommandReader(text, ParseContext(aliases={"x": "echo long replacement"}))
    reader.next_command()
    assert text[reader.offset:] == "echo b\n"
    reader.next_command()
    assert reader.offset == len(text)


def test_simple_command_line_is_bashs_lineno():
    # bash numbers a multi-line simple command by where the token after its first word
    # ends, or by where a leading assignment/redirection ends (checked with bash's
    # "line N: x: command not found")
    def line(text):
        return parse(text).items[0].command.line
    assert line("nosuch $(echo\n)\n") == 2
    assert line("nosuch2 a \\\nb\n") == 1
    assert line("nosuch3 \\\n a\n") == 2
    assert line("x=1 \\\n nosuch4\n") == 1
    assert line(">/dev/null \\\n nosuch5\n") == 1
    assert line("\n\nnosuch6\n") == 3
    assert parse("a=$(echo\n)\n").items[0].command.line == 2
