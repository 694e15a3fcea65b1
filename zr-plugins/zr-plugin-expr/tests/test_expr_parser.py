"""The parser: trees for valid text, located syntax errors for invalid text."""

import pytest

from zr_plugin_expr import ExprSyntaxError, compile
from zr_plugin_expr.nodes import And, Attribute, Call, Compare, Index, Literal, Name, Not, Or


def tree(source):
    return compile(source).tree


def syntax_error(source) -> ExprSyntaxError:
    with pytest.raises(ExprSyntaxError) as caught:
        compile(source)
    return caught.value


def test_and_binds_tighter_than_or():
    assert tree("a || b && c") == Or([Name("a"), And([Name("b"), Name("c")])])


def test_not_binds_tighter_than_comparison():
    assert tree("!a == b") == Compare("==", Not(Name("a")), Name("b"))


def test_parentheses_override_precedence():
    assert tree("(a || b) && c") == And([Or([Name("a"), Name("b")]), Name("c")])


def test_chains_of_and_stay_flat():
    assert tree("a && b && c && d") == And([Name("a"), Name("b"), Name("c"), Name("d")])


def test_literals():
    assert tree("'it\\'s'") == Literal("it's")
    assert tree('"tab\\there"') == Literal("tab\there")
    assert tree("42") == Literal(42)
    assert tree("1.5") == Literal(1.5)
    assert tree("true") == Literal(True)
    assert tree("false") == Literal(False)


def test_dotted_names_indexes_and_calls():
    assert tree("env.HOME") == Name("env.HOME")
    assert tree("tasks['build'].success") == Attribute(
        Index(Name("tasks"), Literal("build")), "success")
    assert tree('file.newer("dist", "src")') == Call(
        "file.newer", [Literal("dist"), Literal("src")])
    assert tree("git.branch") == Name("git.branch")


def test_whitespace_and_newlines_are_insignificant():
    assert tree(" platform\n==\t'linux' ") == Compare("==", Name("platform"), Literal("linux"))


@pytest.mark.parametrize("source, message", [
    ("platform == 'linux' && )", "unexpected ')' at column 24"),
    ("(a || b", "expected ')' to close '(' from column 1, got end of expression at column 8"),
    ("a = b", "unexpected '=' at column 3 (did you mean '=='?)"),
    ("a & b", "unexpected '&' at column 3 (did you mean '&&'?)"),
    ("a b", "unexpected name 'b' at column 3 (missing '&&' or '||' before it?)"),
    ("'abc", "unterminated string at column 1"),
    ("'a\\qb'", "unknown escape '\\q' in string at column 3"),
    ("a < b < c", "comparisons cannot be chained; combine them with '&&' at column 7"),
    ("semver.gte(v, 1.2.3)", "malformed number '1.2.3' at column 15"),
    ("", "empty expression at column 1"),
    ("   ", "empty expression at column 1"),
    ("a #", "unexpected character '#' at column 3"),
    ("f(a,)", "unexpected ')' at column 5"),
    ("tasks[]", "unexpected ']' at column 7"),
    ("tasks['a'].", "expected a name after '.', got end of expression at column 12"),
    ("true()", "only a named function can be called at column 5"),
])
def test_syntax_errors_say_what_and_where(source, message):
    assert str(syntax_error(source)).startswith(message)


def test_column_is_one_based_and_exposed():
    error = syntax_error("a && && b")
    assert (error.line, error.column) == (1, 6)


def test_multi_line_expressions_report_line_and_column():
    error = syntax_error("a &&\n  (b ||\n   )")
    assert str(error) == "unexpected ')' at line 3, column 4"


def test_deep_nesting_is_a_syntax_error_not_a_crash():
    assert "nested more than" in str(syntax_error("(" * 500 + "a" + ")" * 500))
    assert "nested more than" in str(syntax_error("!" * 5000 + "a"))
    assert "lookups in a row" in str(syntax_error("tasks" + "['a']" * 5000))


def test_non_string_source_is_a_clean_error():
    assert "must be a string" in str(syntax_error(42))
