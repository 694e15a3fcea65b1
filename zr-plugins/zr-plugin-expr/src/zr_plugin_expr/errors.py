"""Errors of the expression language, each pointing at a place in the source.

All of them are :class:`zr.errors.ZrError`, so a caller that does not catch
them still gives the user one clean paragraph (exit 2), never a traceback.
The message names the column (1-based) and, for an expression written over
several lines, the line inside the expression too.
"""

from __future__ import annotations

from zr.errors import ZrError


class ExprError(ZrError):
    """A problem with an expression, located at ``offset`` in ``source``.

    ``column`` and ``line`` are 1-based and computed from the offset, so
    that callers can place the error in a larger file if they want to.
    """

    def __init__(self, message: str, source: str = "", offset: int | None = None, *,
                 hint: str = ""):
        self.message = message
        self.source = source
        self.offset = offset
        self.hint = hint
        super().__init__(self.describe())

    @property
    def line(self) -> int | None:
        if self.offset is None:
            return None
        return self.source.count("\n", 0, self.offset) + 1

    @property
    def column(self) -> int | None:
        if self.offset is None:
            return None
        return self.offset - (self.source.rfind("\n", 0, self.offset) + 1) + 1

    def describe(self) -> str:
        """``unexpected ')' at column 23`` (``line 2, column 5`` when multi-line),
        followed by the hint: ``(did you mean '=='?)``."""
        where = ""
        if self.offset is not None:
            if "\n" in self.source.rstrip():
                where = f" at line {self.line}, column {self.column}"
            else:
                where = f" at column {self.column}"
        hint = f" {self.hint}" if self.hint else ""
        return f"{self.message}{where}{hint}"


class ExprSyntaxError(ExprError):
    """The text is not a well-formed expression."""


class ExprNameError(ExprError):
    """A name, function, task or attribute the expression uses does not exist."""


class ExprEvalError(ExprError):
    """Evaluation failed: a bad argument type, a function that reported an error."""
