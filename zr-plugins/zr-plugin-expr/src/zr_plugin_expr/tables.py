"""The structured names: ``env``, ``tasks`` and ``stages``.

``env.HOME``, ``tasks['build'].success`` and ``stages.test.duration`` are
lookups on these tables. A table or record is not itself a value: it must
be looked into until a string, number or boolean comes out.
"""

from __future__ import annotations

from zr.errors import did_you_mean

NOT_RUN = "not_run"
RECORD_FIELDS = ("success", "status", "duration", "exit_code")


class LookupProblem(Exception):
    """A lookup that failed; the evaluator adds the source position."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class EnvTable:
    """``env.NAME``: the variable's text, or ``""`` when it is not set."""

    noun = "env"
    usage = "env.NAME"

    def __init__(self, env):
        self.env = env

    def lookup(self, key: str):
        return self.env.get(key, "")


class StateTable:
    """``tasks[...]`` or ``stages[...]``: results of this run, by name.

    ``results`` maps names to finished results (:class:`zr.model.TaskResult`
    or anything with ``ok``/``success``, ``status``, ``duration``,
    ``exit_code``, as attributes or keys, or a plain boolean). ``known``,
    when given, is every name that exists: looking up a name outside it is
    an error with a suggestion, and a known name without a result reads as
    not run (``success`` false, ``status`` ``"not_run"``).
    """

    def __init__(self, noun: str, results, known=None):
        self.noun = noun
        self.results = results or {}
        self.known = known
        self.usage = f"{noun}['name'].success"

    def lookup(self, key: str):
        if key in self.results:
            return StateRecord(self.noun, key, self.results[key])
        if self.known is not None and key not in self.known:
            singular = self.noun[:-1]
            raise LookupProblem(f"unknown {singular} {key!r}", did_you_mean(key, self.known))
        return StateRecord(self.noun, key, None)


class StateRecord:
    """One task's or stage's outcome, read field by field."""

    def __init__(self, noun: str, name: str, result):
        self.noun = noun
        self.name = name
        self.result = result
        self.usage = f"{noun}[{name!r}].success"

    def lookup(self, field: str):
        if field not in RECORD_FIELDS:
            raise LookupProblem(f"a {self.noun[:-1]} has no field {field!r}",
                                did_you_mean(field, RECORD_FIELDS)
                                or f"(fields: {', '.join(RECORD_FIELDS)})")
        return read_field(self.result, field)


def read_field(result, field: str):
    """``field`` of a result object, mapping or boolean (see :class:`StateTable`)."""
    if result is None:
        return {"success": False, "status": NOT_RUN, "duration": 0, "exit_code": ""}[field]
    if isinstance(result, bool):
        return {"success": result, "status": "success" if result else "failed",
                "duration": 0, "exit_code": ""}[field]
    get = result.get if hasattr(result, "get") else (lambda key: getattr(result, key, None))
    if field == "success":
        value = get("ok")
        return bool(get("success") if value is None else value)
    value = get(field)
    if value is None:
        return "" if field != "duration" else 0
    return value
