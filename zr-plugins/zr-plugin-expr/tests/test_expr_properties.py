"""Property tests: random expressions against a reference, random text against the parser.

Valid expressions are generated as a small tree of tuples, written out as
text with random spacing and redundant parentheses, and the engine's answer
is compared with :func:`reference`, an evaluator written here directly over
the tuples from the documented rules. Garbage text must always end in a
clean :class:`ExprError`, never another exception.
"""

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from zr.model import FAILED, SUCCESS, TaskResult
from zr_plugin_expr import EvalContext, ExprError, FunctionRegistry, compile

FAST = settings(max_examples=100, deadline=timedelta(seconds=2))

ENV = {"EMPTY": "", "ZERO": "0", "ONE": "1", "WORD": "abc", "FLOAT": "2.5", "TRUE": "true",
       "NO": "No", "SPACED": " 7", "BIG": "1e3", "NEG": "-4"}
TASK_FIELDS = {
    "build": {"success": True, "status": "success", "duration": 1.5, "exit_code": 0},
    "lint": {"success": False, "status": "failed", "duration": 0.25, "exit_code": 2},
    "docs": {"success": False, "status": "not_run", "duration": 0, "exit_code": ""},
}
CONTEXT = EvalContext(
    env=ENV,
    tasks={"build": TaskResult("build", SUCCESS, duration=1.5, exit_code=0),
           "lint": TaskResult("lint", FAILED, duration=0.25, exit_code=2)},
    known_tasks=set(TASK_FIELDS),
    functions=FunctionRegistry(),
)

# --- the reference semantics (docs/expressions.md, "Values") -------------

FALSE_TEXT = {"", "0", "false", "no", "off"}


def ref_truthy(value):
    if isinstance(value, str):
        return value.lower() not in FALSE_TEXT
    return value != 0


def ref_number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if not value or any(char not in "0123456789+-.eE" for char in value):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    digits = value.lstrip("+-")
    return int(value) if digits.isdigit() and len(digits) == len(value) - (value[0] in "+-") \
        else number


def ref_text(value):
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def ref_compare(op, left, right):
    if isinstance(left, bool) or isinstance(right, bool):
        left, right = ref_truthy(left), ref_truthy(right)
    elif ref_number(left) is not None and ref_number(right) is not None:
        left, right = ref_number(left), ref_number(right)
    else:
        left, right = ref_text(left), ref_text(right)
    return {"==": left == right, "!=": left != right, "<": left < right,
            "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def reference(node):
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "env":
        return ENV.get(node[1], "")
    if kind == "task":
        return TASK_FIELDS[node[1]][node[2]]
    if kind == "not":
        return not ref_truthy(reference(node[1]))
    if kind == "and":
        for operand in node[1]:
            if not ref_truthy(reference(operand)):
                return False
        return True
    if kind == "or":
        for operand in node[1]:
            if ref_truthy(reference(operand)):
                return True
        return False
    return ref_compare(node[1], reference(node[2]), reference(node[3]))


# --- generating trees ----------------------------------------------------

decimal_literals = st.builds(
    lambda whole, fraction: float(f"{whole}.{fraction}"),
    st.integers(0, 10_000), st.from_regex(r"[0-9]{1,3}", fullmatch=True))
literals = st.one_of(
    st.booleans(), st.integers(0, 10**6), decimal_literals,
    st.text(max_size=6),
    st.sampled_from(["", "0", "1", "abc", "true", "false", "no", "2.5", "1e3", "-4", "10"]),
).map(lambda value: ("lit", value))
env_refs = st.sampled_from(sorted(ENV) + ["UNSET"]).map(lambda name: ("env", name))
task_refs = st.tuples(st.just("task"), st.sampled_from(sorted(TASK_FIELDS)),
                      st.sampled_from(["success", "status", "duration", "exit_code"]))
comparison_ops = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])


def _extend(children):
    return st.one_of(
        children.map(lambda child: ("not", child)),
        st.lists(children, min_size=2, max_size=4).map(lambda items: ("and", items)),
        st.lists(children, min_size=2, max_size=4).map(lambda items: ("or", items)),
        st.tuples(st.just("cmp"), comparison_ops, children, children),
    )


trees = st.recursive(st.one_of(literals, env_refs, task_refs), _extend, max_leaves=12)

# --- writing trees as text -----------------------------------------------

SPACES = ["", "", " ", "  ", "\n", "\t "]
PRECEDENCE = {"or": 1, "and": 2, "cmp": 3, "not": 4}
ATOM = 5


def render_string(text, data):
    quote = data.draw(st.sampled_from(["'", '"']))
    out = []
    for char in text:
        if char in ("\\", quote):
            out.append("\\" + char)
        elif char in "\n\t\r" and data.draw(st.booleans()):
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[char])
        else:
            out.append(char)
    return quote + "".join(out) + quote


def render_leaf(node, data):
    kind = node[0]
    if kind == "lit":
        value = node[1]
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return render_string(value, data)
        return repr(value) if isinstance(value, float) else str(value)
    if kind == "env":
        return data.draw(st.sampled_from([f"env.{node[1]}", f"env['{node[1]}']"]))
    name, field = node[1], node[2]
    return data.draw(st.sampled_from([f"tasks['{name}'].{field}", f'tasks["{name}"].{field}',
                                      f"tasks.{name}.{field}"]))


def render(node, data, minimum=0):
    """``node`` as text; parenthesised when its precedence is below ``minimum``
    (and sometimes when it is not)."""
    space = lambda: data.draw(st.sampled_from(SPACES))  # noqa: E731
    kind = node[0]
    precedence = PRECEDENCE.get(kind, ATOM)
    if kind in ("and", "or"):
        op = "&&" if kind == "and" else "||"
        text = f"{space()}{op}{space()}".join(
            render(operand, data, precedence + 1) for operand in node[1])
    elif kind == "not":
        text = "!" + space() + render(node[1], data, PRECEDENCE["not"])
    elif kind == "cmp":
        text = (render(node[2], data, PRECEDENCE["not"]) + space() + node[1] + space()
                + render(node[3], data, PRECEDENCE["not"]))
    else:
        text = render_leaf(node, data)
    if precedence < minimum or data.draw(st.integers(0, 9)) == 0:
        text = f"({space()}{text}{space()})"
    return text


# --- the properties ------------------------------------------------------


@FAST
@given(trees, st.data())
def test_random_expressions_match_the_reference(tree, data):
    source = (data.draw(st.sampled_from(SPACES)) + render(tree, data)
              + data.draw(st.sampled_from(SPACES)))
    result = compile(source).evaluate(CONTEXT)
    expected = reference(tree)
    assert (type(result), result) == (type(expected), expected), source


SYNTAX_CHARS = "()[].,!<>=&|'\"\\ \n0123456789abcenvtasksfiletrue_-#é"


def _assert_clean(source):
    try:
        expression = compile(source)
    except ExprError as error:
        assert error.offset is None or 0 <= error.offset <= len(source), error
        assert str(error)
        return
    try:
        expression.evaluate(CONTEXT)
    except ExprError as error:
        assert str(error)


@settings(max_examples=300, deadline=timedelta(seconds=2))
@given(st.one_of(st.text(alphabet=SYNTAX_CHARS, max_size=40), st.text(max_size=40)))
def test_garbage_gives_a_clean_error(source):
    _assert_clean(source)


@FAST
@given(trees, st.data())
def test_damaged_expressions_give_a_clean_error(tree, data):
    source = render(tree, data)
    position = data.draw(st.integers(0, len(source)))
    damage = data.draw(st.sampled_from(["delete", "insert", "truncate"]))
    if damage == "delete":
        source = source[:position] + source[position + 1:]
    elif damage == "insert":
        source = source[:position] + data.draw(st.sampled_from(SYNTAX_CHARS)) + source[position:]
    else:
        source = source[:position]
    _assert_clean(source)
