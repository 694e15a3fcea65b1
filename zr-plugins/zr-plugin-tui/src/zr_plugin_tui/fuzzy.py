"""Fuzzy matching for the picker: the letters of the query in order, with
bonuses for a whole substring, a prefix, consecutive letters and letters
that start a word (as fzf and editors' file pickers rank)."""

from __future__ import annotations


def score(query: str, text: str):
    """How well ``text`` matches ``query`` (higher is better), None when
    the query's letters do not all appear in order. Case-insensitive."""
    query = query.lower()
    text = text.lower()
    if not query:
        return 0
    at = text.find(query)
    if at >= 0:
        starts_word = at == 0 or not text[at - 1].isalnum()
        return 1000 + (100 if at == 0 else 50 if starts_word else 0) - len(text) + len(query)
    total = 0
    position = -1
    previous = -2
    for char in query:
        position = text.find(char, position + 1)
        if position < 0:
            return None
        if position == previous + 1:
            total += 10
        elif position == 0 or not text[position - 1].isalnum():
            total += 8
        else:
            total += 1
        previous = position
    return total * 10 - len(text)


def rank(query: str, items: list, fields) -> list:
    """``items`` that match, best first. ``fields(item)`` gives
    ``[(text, weight)]``; an item's score is its best field's score times
    that field's weight. Ties keep the items' order."""
    scored = []
    for index, item in enumerate(items):
        best = None
        for text, weight in fields(item):
            value = score(query, text)
            if value is None:
                continue
            value = max(1, value) * weight
            if best is None or value > best:
                best = value
        if best is not None:
            scored.append((-best, index, item))
    scored.sort(key=lambda entry: entry[:2])
    return [item for _, _, item in scored]
