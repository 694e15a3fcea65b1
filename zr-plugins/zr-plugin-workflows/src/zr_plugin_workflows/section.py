"""The ``[workflows]`` table: its shape, checked and normalised once when
``zr.toml`` is validated (the result is cached with the document).

A :class:`Kind` rather than attrs classes, because cattrs would read
``tasks = "build"`` as the list of its letters; here a single task name is
accepted as a one-task list, as ``deps``-like fields of the kernel do.
The normalised form is plain dicts with every default filled in::

    {"release": {"description": "", "stages": [
        {"name": "test", "tasks": ["unit"], "parallel": True, "fail_fast": True,
         "condition": None}]}}
"""

from __future__ import annotations

from zr.api import STRING_LIST, FieldError, show
from zr.api import Kind
from zr.errors import did_you_mean

WORKFLOW_KEYS = ("description", "stages")
STAGE_DEFAULTS = {"parallel": True, "fail_fast": True, "condition": None}
STAGE_KEYS = ("name", "tasks", "parallel", "fail_fast", "condition")


def check_workflows(raw) -> dict:
    if not isinstance(raw, dict):
        raise ValueError(f"expected tables such as [workflows.release], got {show(raw)}")
    return {name: _workflow(name, value) for name, value in raw.items()}


def _workflow(name: str, raw) -> dict:
    if not isinstance(raw, dict):
        raise FieldError([name], f"expected a table with a description and "
                                 f"[[workflows.{name}.stages]], got {show(raw)}")
    _no_unknown_keys([name], raw, WORKFLOW_KEYS, "a workflow")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise FieldError([name, "description"], f"expected a string, got {show(description)}")
    stages = raw.get("stages")
    if stages is None:
        raise FieldError([name], f"a workflow needs stages: add [[workflows.{name}.stages]] "
                                 "tables with a name and tasks")
    if not isinstance(stages, list) or not all(isinstance(s, dict) for s in stages):
        raise FieldError([name, "stages"], f"expected an array of tables "
                                           f"[[workflows.{name}.stages]], got {show(stages)}")
    if not stages:
        raise FieldError([name, "stages"], "a workflow needs at least one stage")
    checked = [_stage([name, "stages", index], index, stage)
               for index, stage in enumerate(stages)]
    seen: dict = {}
    for index, stage in enumerate(checked):
        first = seen.setdefault(stage["name"], index)
        if first != index:
            raise FieldError([name, "stages", index, "name"],
                             f"stage {index + 1}: the name '{stage['name']}' is already used "
                             f"by stage {first + 1}")
    return {"description": description, "stages": checked}


def _stage(path: list, index: int, raw: dict) -> dict:
    where = f"stage {index + 1}"
    _no_unknown_keys(path, raw, STAGE_KEYS, where)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise FieldError(path + ["name"], f"{where}: expected a name (a string), got "
                                          f"{show(name) if name is not None else 'nothing'}")
    where = f"stage {index + 1} ('{name}')"
    if "tasks" not in raw:
        raise FieldError(path, f"{where}: missing tasks (an array of task names)")
    try:
        tasks = STRING_LIST.check(raw["tasks"])
    except ValueError as exc:
        raise FieldError(path + ["tasks"], f"{where}: {exc}") from None
    if not tasks:
        raise FieldError(path + ["tasks"], f"{where}: a stage needs at least one task")
    stage = {"name": name, "tasks": tasks, **STAGE_DEFAULTS}
    for key in ("parallel", "fail_fast"):
        if key in raw:
            if not isinstance(raw[key], bool):
                raise FieldError(path + [key], f"{where}: expected true or false, "
                                               f"got {show(raw[key])}")
            stage[key] = raw[key]
    if "condition" in raw:
        if not isinstance(raw["condition"], str):
            raise FieldError(path + ["condition"], f"{where}: expected an expression (a "
                                                   f"string), got {show(raw['condition'])}")
        stage["condition"] = raw["condition"]
    return stage


def _no_unknown_keys(path: list, raw: dict, allowed: tuple, what: str) -> None:
    for key in raw:
        if key not in allowed:
            raise FieldError(path + [key], f"unknown key '{key}'{did_you_mean(key, allowed)};"
                                           f" {what} has {', '.join(allowed)}")


_STAGE_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["name", "tasks"],
    "properties": {
        "name": {"type": "string"},
        "tasks": {"anyOf": [{"type": "string"},
                            {"type": "array", "items": {"type": "string"}, "minItems": 1}]},
        "parallel": {"type": "boolean", "default": True},
        "fail_fast": {"type": "boolean", "default": True},
        "condition": {"type": "string"},
    },
}

WORKFLOWS = Kind(
    "workflows", check_workflows,
    {"type": "object", "additionalProperties": {
        "type": "object", "additionalProperties": False, "required": ["stages"],
        "properties": {"description": {"type": "string"},
                       "stages": {"type": "array", "minItems": 1, "items": _STAGE_SCHEMA}}}},
    "[workflows.NAME] with description and [[workflows.NAME.stages]]")
