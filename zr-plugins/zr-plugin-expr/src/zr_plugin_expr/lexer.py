"""Turns expression text into tokens, by hand, one character class at a time.

Written without regular expressions so that every rejection can say exactly
what was wrong and where: an unterminated string points at its opening
quote, a lone ``=`` suggests ``==``.
"""

from __future__ import annotations

from .errors import ExprSyntaxError

#: A number literal longer than this is refused: nothing needs it, and
#: Python will not even convert one of thousands of digits.
MAX_NUMBER_DIGITS = 64

# Token kinds.
NAME = "name"
NUMBER = "number"
STRING = "string"
OP = "op"
END = "end"

_TWO_CHAR_OPS = ("&&", "||", "==", "!=", "<=", ">=")
_ONE_CHAR_OPS = "()[].,!<>"
_LONE_CHAR_HINTS = {"=": "==", "&": "&&", "|": "||"}
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "t": "\t", "r": "\r", "0": "\0"}
_WHITESPACE = " \t\r\n"


class Token:
    __slots__ = ("kind", "value", "offset")

    def __init__(self, kind: str, value, offset: int):
        self.kind = kind
        self.value = value
        self.offset = offset

    def describe(self) -> str:
        """How the token is named in an error: ``')'``, ``name 'foo'``..."""
        if self.kind == END:
            return "end of expression"
        if self.kind == OP:
            return f"'{self.value}'"
        if self.kind == STRING:
            return f"string {self.value!r}"
        return f"{self.kind} '{self.value}'"

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.value!r}, {self.offset})"


def _is_name_start(char: str) -> bool:
    return char == "_" or ("a" <= char <= "z") or ("A" <= char <= "Z")


def _is_name_char(char: str) -> bool:
    return _is_name_start(char) or ("0" <= char <= "9")


def _is_digit(char: str) -> bool:
    return "0" <= char <= "9"


def tokenize(source: str) -> list:
    """All tokens of ``source``, ending with an ``END`` token."""
    tokens = []
    pos = 0
    length = len(source)
    while pos < length:
        char = source[pos]
        if char in _WHITESPACE:
            pos += 1
        elif _is_name_start(char):
            start = pos
            while pos < length and _is_name_char(source[pos]):
                pos += 1
            tokens.append(Token(NAME, source[start:pos], start))
        elif _is_digit(char):
            pos = _read_number(source, pos, tokens)
        elif char in "'\"":
            pos = _read_string(source, pos, tokens)
        elif source.startswith(_TWO_CHAR_OPS, pos):
            tokens.append(Token(OP, source[pos:pos + 2], pos))
            pos += 2
        elif char in _ONE_CHAR_OPS:
            tokens.append(Token(OP, char, pos))
            pos += 1
        elif char in _LONE_CHAR_HINTS:
            raise ExprSyntaxError(f"unexpected '{char}'", source, pos,
                                  hint=f"(did you mean '{_LONE_CHAR_HINTS[char]}'?)")
        else:
            raise ExprSyntaxError(f"unexpected character {char!r}", source, pos)
    tokens.append(Token(END, None, length))
    return tokens


def _read_number(source: str, pos: int, tokens: list) -> int:
    """``42`` or ``1.5``; a version like ``1.2.3`` must be quoted."""
    start = pos
    length = len(source)
    while pos < length and _is_digit(source[pos]):
        pos += 1
    is_float = False
    if pos + 1 < length and source[pos] == "." and _is_digit(source[pos + 1]):
        is_float = True
        pos += 1
        while pos < length and _is_digit(source[pos]):
            pos += 1
    if pos < length and (_is_name_char(source[pos]) or source[pos] == "."):
        word = _word_at(source, start)
        raise ExprSyntaxError(f"malformed number '{word}'", source, start,
                              hint=f"(write versions and other text in quotes: '{word}')")
    text = source[start:pos]
    if len(text) > MAX_NUMBER_DIGITS:
        raise ExprSyntaxError(f"number too long ({len(text)} digits; at most "
                              f"{MAX_NUMBER_DIGITS})", source, start,
                              hint="(compare long numbers as quoted text)")
    tokens.append(Token(NUMBER, float(text) if is_float else int(text), start))
    return pos


def _word_at(source: str, start: int) -> str:
    end = start
    while end < len(source) and (_is_name_char(source[end]) or source[end] in ".-+"):
        end += 1
    return source[start:end]


def _read_string(source: str, pos: int, tokens: list) -> int:
    """A quoted string with backslash escapes; the quote it opens with ends it."""
    quote = source[pos]
    start = pos
    pos += 1
    parts = []
    length = len(source)
    while True:
        if pos >= length:
            raise ExprSyntaxError("unterminated string", source, start)
        char = source[pos]
        if char == quote:
            tokens.append(Token(STRING, "".join(parts), start))
            return pos + 1
        if char == "\\":
            if pos + 1 >= length:
                raise ExprSyntaxError("unterminated string", source, start)
            escaped = source[pos + 1]
            if escaped not in _ESCAPES:
                raise ExprSyntaxError(
                    f"unknown escape '\\{escaped}' in string", source, pos,
                    hint="(known escapes: \\\\ \\' \\\" \\n \\t \\r \\0)")
            parts.append(_ESCAPES[escaped])
            pos += 2
        else:
            parts.append(char)
            pos += 1
