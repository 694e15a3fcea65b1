"""Recursive-descent parser: tokens to a :mod:`.nodes` tree.

Grammar, loosest binding first (``&&`` binds tighter than ``||``, ``!``
tighter than comparisons, as in C, JavaScript and GitHub Actions)::

    expression  := or END
    or          := and ( "||" and )*
    and         := comparison ( "&&" comparison )*
    comparison  := unary ( ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) unary )?
    unary       := "!" unary | postfix
    postfix     := primary ( "[" or "]" | "." NAME )*
    primary     := NUMBER | STRING | "true" | "false"
                 | NAME ( "." NAME )* [ "(" [ or ( "," or )* ] ")" ]
                 | "(" or ")"

Comparisons do not chain (``a < b < c`` is an error that says to use
``&&``). Nesting is limited to :data:`MAX_DEPTH` levels so that hostile
input gives a syntax error instead of exhausting the Python stack.
"""

from __future__ import annotations

from . import nodes
from .errors import ExprSyntaxError
from .lexer import END, NAME, NUMBER, OP, STRING, tokenize

MAX_DEPTH = 64
COMPARISON_OPS = ("==", "!=", "<", "<=", ">", ">=")
_KEYWORDS = {"true": True, "false": False}


def parse(source: str) -> nodes.Node:
    """The tree of ``source``; raises :class:`ExprSyntaxError` on bad input."""
    if not isinstance(source, str):
        raise ExprSyntaxError(f"an expression must be a string, got {type(source).__name__}")
    parser = _Parser(source, tokenize(source))
    if parser.peek().kind == END:
        raise ExprSyntaxError("empty expression", source, 0)
    tree = parser.parse_or()
    parser.expect_end()
    return tree


class _Parser:
    def __init__(self, source: str, tokens: list):
        self.source = source
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    # --- token access -------------------------------------------------

    def peek(self):
        return self.tokens[self.pos]

    def advance(self):
        token = self.tokens[self.pos]
        if token.kind != END:
            self.pos += 1
        return token

    def at_op(self, *ops) -> bool:
        token = self.peek()
        return token.kind == OP and token.value in ops

    def error(self, message: str, token) -> ExprSyntaxError:
        return ExprSyntaxError(message, self.source, token.offset)

    def unexpected(self, token, hint: str = "") -> ExprSyntaxError:
        return ExprSyntaxError(f"unexpected {token.describe()}", self.source, token.offset,
                               hint=hint)

    def expect_op(self, op: str, opener=None):
        token = self.peek()
        if token.kind == OP and token.value == op:
            return self.advance()
        if opener is not None:
            where = self.source_column(opener.offset)
            raise self.error(
                f"expected '{op}' to close '{opener.value}' from column {where},"
                f" got {token.describe()}", token)
        raise self.error(f"expected '{op}', got {token.describe()}", token)

    def expect_end(self):
        token = self.peek()
        if token.kind != END:
            hint = ""
            if token.kind in (NAME, NUMBER, STRING) or self.at_op("(", "!"):
                hint = "(missing '&&' or '||' before it?)"
            raise self.unexpected(token, hint)

    def source_column(self, offset: int) -> int:
        return offset - (self.source.rfind("\n", 0, offset) + 1) + 1

    def nested(self, token):
        """Count one more level of nesting; refuse absurdly deep input."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"expression nested more than {MAX_DEPTH} levels deep", token)

    # --- grammar ------------------------------------------------------

    def parse_or(self) -> nodes.Node:
        start = self.peek()
        operands = [self.parse_and()]
        while self.at_op("||"):
            self.advance()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else nodes.Or(operands, start.offset)

    def parse_and(self) -> nodes.Node:
        start = self.peek()
        operands = [self.parse_comparison()]
        while self.at_op("&&"):
            self.advance()
            operands.append(self.parse_comparison())
        return operands[0] if len(operands) == 1 else nodes.And(operands, start.offset)

    def parse_comparison(self) -> nodes.Node:
        start = self.peek()
        left = self.parse_unary()
        if not self.at_op(*COMPARISON_OPS):
            return left
        op = self.advance().value
        right = self.parse_unary()
        if self.at_op(*COMPARISON_OPS):
            raise self.error("comparisons cannot be chained; combine them with '&&'",
                             self.peek())
        return nodes.Compare(op, left, right, start.offset)

    def parse_unary(self) -> nodes.Node:
        if self.at_op("!"):
            token = self.advance()
            self.nested(token)
            operand = self.parse_unary()
            self.depth -= 1
            return nodes.Not(operand, token.offset)
        return self.parse_postfix()

    def parse_postfix(self) -> nodes.Node:
        node = self.parse_primary()
        steps = 0
        while True:
            steps += 1
            if steps > MAX_DEPTH:
                raise self.error(f"more than {MAX_DEPTH} lookups in a row", self.peek())
            if self.at_op("["):
                opener = self.advance()
                self.nested(opener)
                key = self.parse_or()
                self.depth -= 1
                self.expect_op("]", opener)
                node = nodes.Index(node, key, opener.offset)
            elif self.at_op("."):
                self.advance()
                name = self.peek()
                if name.kind != NAME:
                    raise self.error(f"expected a name after '.', got {name.describe()}", name)
                self.advance()
                node = nodes.Attribute(node, name.value, name.offset)
            elif self.at_op("("):
                raise self.error("only a named function can be called", self.peek())
            else:
                return node

    def parse_primary(self) -> nodes.Node:
        token = self.peek()
        if token.kind in (NUMBER, STRING):
            self.advance()
            return nodes.Literal(token.value, token.offset)
        if token.kind == NAME:
            if token.value in _KEYWORDS:
                self.advance()
                return nodes.Literal(_KEYWORDS[token.value], token.offset)
            return self.parse_name()
        if self.at_op("("):
            opener = self.advance()
            self.nested(opener)
            inner = self.parse_or()
            self.depth -= 1
            self.expect_op(")", opener)
            return inner
        raise self.unexpected(token)

    def parse_name(self) -> nodes.Node:
        """A dotted name, and its call when followed by ``(``."""
        first = self.advance()
        parts = [first.value]
        while self.at_op(".") and self.tokens[self.pos + 1].kind == NAME:
            self.advance()
            parts.append(self.advance().value)
        path = ".".join(parts)
        if not self.at_op("("):
            return nodes.Name(path, first.offset)
        opener = self.advance()
        self.nested(opener)
        args = []
        if not self.at_op(")"):
            args.append(self.parse_or())
            while self.at_op(","):
                self.advance()
                args.append(self.parse_or())
        self.depth -= 1
        self.expect_op(")", opener)
        return nodes.Call(path, args, first.offset)
