"""Stage outcomes and the report at the end of a workflow.

A :class:`StageOutcome` is also what ``stages['name']`` reads in a later
stage's condition (``success``, ``status``, ``duration``, ``exit_code``).
"""

from __future__ import annotations

import json
import sys

from zr import model
from zr.api import format_duration

SUCCESS = "success"
FAILED = "failed"
SKIPPED = "skipped"
NOT_RUN = "not_run"
INTERRUPTED = "interrupted"
_SHOWN = {NOT_RUN: "not run"}
_COLOUR = {SUCCESS: True, FAILED: False, INTERRUPTED: False, SKIPPED: None, NOT_RUN: None}


class StageOutcome:
    """How one stage ended. ``names`` are the tasks it covered (its tasks and
    their dependencies, less those an earlier stage ran); ``ok`` is True
    only for a stage that ran and succeeded, so ``stages['test'].success``
    is false for a skipped stage."""

    __slots__ = ("name", "status", "duration", "exit_code", "names", "message")

    def __init__(self, name: str, status: str, names=(), duration: float = 0.0,
                 exit_code=None, message: str = ""):
        self.name = name
        self.status = status
        self.names = list(names)
        self.duration = duration
        self.exit_code = exit_code
        self.message = message

    @property
    def ok(self) -> bool:
        return self.status == SUCCESS

    @property
    def failed(self) -> bool:
        return self.status in (FAILED, INTERRUPTED)


def stage_outcome(name: str, names: list, results: dict, duration: float) -> StageOutcome:
    """The outcome of a stage that ran, from its tasks' results."""
    covered = [results[n] for n in names if n in results]
    bad = [r for r in covered if not r.ok and not r.allowed_failure]
    if any(r.status == model.INTERRUPTED for r in covered):
        status = INTERRUPTED
    elif bad:
        status = FAILED
    else:
        status = SUCCESS
    exit_code = next((r.exit_code for r in bad if r.exit_code is not None), None)
    return StageOutcome(name, status, names, duration, 0 if status == SUCCESS else exit_code)


def exit_code(outcomes: list) -> int:
    if any(o.status == INTERRUPTED for o in outcomes):
        return 130
    return 1 if any(o.failed for o in outcomes) else 0


def print_stage_table(workflow: str, outcomes: list, results: dict, duration: float,
                      printer) -> None:
    """One line per stage (status, tasks that succeeded, duration), then a verdict."""
    rows = [("stage", "status", "tasks", "duration")]
    for outcome in outcomes:
        ok = sum(1 for n in outcome.names if n in results
                 and (results[n].ok or results[n].allowed_failure))
        ran = outcome.status not in (SKIPPED, NOT_RUN)
        rows.append((outcome.name, _SHOWN.get(outcome.status, outcome.status),
                     f"{ok}/{len(outcome.names)}",
                     format_duration(outcome.duration) if ran else "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for index, row in enumerate(rows):
        status = row[1].ljust(widths[1])
        if index:
            status = printer.status(status, _COLOUR[outcomes[index - 1].status])
        printer.info(f"  {row[0].ljust(widths[0])}  {status}  {row[2].ljust(widths[2])}  "
                     f"{row[3]}".rstrip())
    failed = [o.name for o in outcomes if o.failed]
    if failed:
        printer.error(f"workflow {workflow} failed in {format_duration(duration)}: stage"
                      f"{'s' if len(failed) > 1 else ''} {', '.join(failed)} failed")
    else:
        printer.info(f"workflow {workflow} {printer.status('succeeded', True)} in "
                     f"{format_duration(duration)}")


def print_json(workflow: str, outcomes: list, results: dict, duration: float,
               code: int) -> None:
    payload = {
        "workflow": workflow, "exit_code": code, "duration": round(duration, 6),
        "stages": [{"name": o.name, "status": o.status, "duration": round(o.duration, 6),
                    "exit_code": o.exit_code,
                    "tasks": [results[n].to_json() for n in o.names if n in results]}
                   for o in outcomes],
    }
    sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    sys.stdout.flush()
