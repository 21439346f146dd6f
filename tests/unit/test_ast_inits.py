"""pyshell/syntax/_ast_inits.py (precompiled node constructors) matches the source
pyshell.syntax.ast builds; regenerate with `python3 -m pyshell.syntax._ast_inits_gen`."""
from pyshell.syntax import _ast_inits, _ast_inits_gen
from pyshell.syntax import ast as A


def test_generated_constructors_are_current():
    assert _ast_inits.SOURCE == A._INIT_SOURCE
    with open(_ast_inits.__file__) as f:
        assert f.read() == _ast_inits_gen.generated_text()


def test_constructors_come_from_the_generated_module():
    assert A.Lit.__init__.__code__.co_filename == _ast_inits.make.__code__.co_filename
    assert A.Lit.__init__.__qualname__ == "Lit.__init__"
    assert A.Lit("x") == A.Lit("x", line=0, col=0)
    assert A.Word([]).text == ""
