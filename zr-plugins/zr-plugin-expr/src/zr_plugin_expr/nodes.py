"""The syntax tree the parser builds and the evaluator walks.

Every node remembers ``offset``, where it starts in the source, so that an
error found while checking or evaluating it can point at the right column.
``&&`` and ``||`` are n-ary (a flat list of operands) so that a long chain
of conditions does not become a deep tree.
"""

from __future__ import annotations


class Node:
    __slots__ = ("offset",)

    def __eq__(self, other) -> bool:
        # Structural equality (offsets ignored): lets tests compare trees.
        return type(self) is type(other) and all(
            getattr(self, slot) == getattr(other, slot)
            for slot in self.__slots__ if slot != "offset")

    def __hash__(self):
        return hash(type(self))

    def __repr__(self) -> str:
        fields = ", ".join(f"{slot}={getattr(self, slot)!r}" for slot in self.__slots__
                           if slot != "offset")
        return f"{type(self).__name__}({fields})"


class Literal(Node):
    """A string, number, ``true`` or ``false`` written in the expression."""

    __slots__ = ("value",)

    def __init__(self, value, offset: int = 0):
        self.value = value
        self.offset = offset

    def __eq__(self, other) -> bool:
        # 1 == True in Python; a literal ``1`` is not the literal ``true``.
        return (type(other) is Literal and type(self.value) is type(other.value)
                and self.value == other.value)

    __hash__ = Node.__hash__


class Name(Node):
    """A dotted name: ``platform``, ``env.HOME``, ``tasks.build.success``,
    or a function used without parentheses (``git.branch``)."""

    __slots__ = ("path",)

    def __init__(self, path: str, offset: int = 0):
        self.path = path
        self.offset = offset


class Index(Node):
    """``target[key]``, as in ``tasks['build']``."""

    __slots__ = ("target", "key")

    def __init__(self, target: Node, key: Node, offset: int = 0):
        self.target = target
        self.key = key
        self.offset = offset


class Attribute(Node):
    """``target.name`` after an index, as in ``tasks['build'].success``."""

    __slots__ = ("target", "name")

    def __init__(self, target: Node, name: str, offset: int = 0):
        self.target = target
        self.name = name
        self.offset = offset


class Call(Node):
    """``file.exists("x")``: a registered function called with arguments."""

    __slots__ = ("path", "args")

    def __init__(self, path: str, args: list, offset: int = 0):
        self.path = path
        self.args = list(args)
        self.offset = offset


class Not(Node):
    __slots__ = ("operand",)

    def __init__(self, operand: Node, offset: int = 0):
        self.operand = operand
        self.offset = offset


class And(Node):
    __slots__ = ("operands",)

    def __init__(self, operands: list, offset: int = 0):
        self.operands = list(operands)
        self.offset = offset


class Or(Node):
    __slots__ = ("operands",)

    def __init__(self, operands: list, offset: int = 0):
        self.operands = list(operands)
        self.offset = offset


class Compare(Node):
    """``left op right`` with op one of ``== != < <= > >=``."""

    __slots__ = ("op", "left", "right")

    def __init__(self, op: str, left: Node, right: Node, offset: int = 0):
        self.op = op
        self.left = left
        self.right = right
        self.offset = offset


def walk(node: Node):
    """Every node of the tree, parents before children."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, (And, Or)):
            stack.extend(reversed(current.operands))
        elif isinstance(current, Call):
            stack.extend(reversed(current.args))
        elif isinstance(current, Compare):
            stack.extend((current.right, current.left))
        elif isinstance(current, Not):
            stack.append(current.operand)
        elif isinstance(current, Index):
            stack.extend((current.key, current.target))
        elif isinstance(current, Attribute):
            stack.append(current.target)
