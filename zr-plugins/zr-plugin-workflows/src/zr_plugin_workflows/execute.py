"""Running a workflow: its stages in order, each through the kernel's scheduler.

One :class:`zr.model.Run` spans the whole workflow, so a task runs at most
once (a dependency shared by two stages runs in the first) and conditions
see every result so far. Each stage gets its own :class:`Scheduler`,
because a stage's failure must not stop the next stage from starting
unless the stage is ``fail_fast``:

- ``parallel = true``: the stage's tasks and their dependencies run as one
  graph; ``false``: one task (with its dependencies) after another.
- ``fail_fast = true``: the first failure starts nothing new in the stage
  (running tasks finish) and stops the workflow; ``false``: the stage's
  other tasks still run (``--keep-going`` inside the stage), it is marked
  failed, and later stages run if their conditions allow.
"""

from __future__ import annotations

import time

from zr.errors import ConfigError, UsageError, did_you_mean
from zr.api import Plan, RunSession, check_cwds, make_plan, print_dry_run, report

from . import summary
from .summary import StageOutcome


def find_workflow(config, name: str) -> dict:
    workflows = config.doc.get("workflows") or {}
    if name not in workflows:
        if not workflows:
            raise UsageError(f"no workflow named '{name}': {config.display_path} defines no "
                             "[workflows]")
        raise UsageError(f"no workflow named '{name}'{did_you_mean(name, workflows)}; "
                         "`zr workflow` lists the workflows")
    return workflows[name]


def plan_stage(config, stage: dict) -> Plan:
    """The stage's task groups, run one after another: one group of
    everything when the stage is parallel, else one per task."""
    return make_plan(config, stage["tasks"], parallel=stage["parallel"])


def run_workflow(config, name: str, printer) -> int:
    """Run the workflow ``name`` and return zr's exit code."""
    stages = find_workflow(config, name)["stages"]
    plans = [plan_stage(config, stage) for stage in stages]
    tasks = dict(config.tasks)
    for plan in plans:
        tasks.update(plan.tasks)
    everything = Plan([plan.names for plan in plans], tasks,
                      [t for plan in plans for t in plan.targets])
    check_cwds(tasks, config, everything.names)
    if config.options.get("dry_run"):
        return print_workflow_dry_run(config, stages, plans, printer)
    return WorkflowRun(config, name, stages, everything, printer).execute(plans)


class WorkflowRun:
    """A workflow's stages on one :class:`zr.runner.RunSession`: one run,
    one scheduler per stage."""

    def __init__(self, config, name: str, stages: list, everything: Plan, printer):
        self.config = config
        self.name = name
        self.stages = stages
        self.stage_names = [stage["name"] for stage in stages]
        self.printer = printer
        self.session = RunSession(config, everything, printer)
        self.run = self.session.run

    def execute(self, plans: list) -> int:
        started = time.monotonic()
        outcomes: dict = {}
        self.session.start()
        try:
            stop = None
            for index, (stage, plan) in enumerate(zip(self.stages, plans)):
                if stop:
                    outcomes[stage["name"]] = StageOutcome(
                        stage["name"], summary.NOT_RUN, self.pending(plan), message=stop)
                    continue
                outcome = self.run_stage(index, stage, plan, outcomes)
                outcomes[stage["name"]] = outcome
                if outcome.status == summary.INTERRUPTED:
                    stop = "the workflow was interrupted"
                elif outcome.status == summary.FAILED and stage["fail_fast"]:
                    stop = f"stage '{stage['name']}' failed"
        finally:
            run_summary = self.session.finish()
        return self.report(list(outcomes.values()), run_summary, time.monotonic() - started)

    def run_stage(self, index: int, stage: dict, plan: Plan, outcomes: dict) -> StageOutcome:
        name = stage["name"]
        condition = stage["condition"]
        pending = self.pending(plan)
        if condition is not None and not self.condition_holds(index, condition, outcomes):
            self.printer.info(f"stage {name} {self.printer.status('skipped', None)} "
                              f"(condition is false: {' '.join(condition.split())})")
            return StageOutcome(name, summary.SKIPPED, pending,
                                message="condition is false")
        self.printer.info(f"stage {name}: {', '.join(plan.targets)}")
        scheduler = self.session.scheduler(
            keep_going=bool(self.config.options.get("keep_going")) or not stage["fail_fast"])
        started = time.monotonic()
        for group in plan.stages:
            scheduler.execute(group)
        return summary.stage_outcome(name, pending, self.run.results,
                                     time.monotonic() - started)

    def pending(self, plan: Plan) -> list:
        """The stage's tasks and dependencies that earlier stages did not run:
        what the stage is judged and counted by."""
        return [name for name in plan.names if name not in self.run.results]

    def condition_holds(self, index: int, condition: str, outcomes: dict) -> bool:
        from .checks import StageLines
        from .conditions import ConditionError, condition_holds

        try:
            return condition_holds(self.config, self.run, condition, outcomes,
                                   self.stage_names)
        except ConditionError as error:
            line = StageLines(self.config).find(self.name, index, "condition")
            raise ConfigError(f"stage '{self.stage_names[index]}': {error}",
                              file=self.config.display_path, line=line,
                              key=f"workflows.{self.name}.stages.condition") from None

    def report(self, outcomes: list, run_summary, duration: float) -> int:
        code = summary.exit_code(outcomes)
        results = self.run.results
        if self.config.options.get("format") == "json":
            summary.print_json(self.name, outcomes, results, duration, code)
            return code
        report(run_summary, self.run.plan, self.printer, False)
        summary.print_stage_table(self.name, outcomes, results, duration, self.printer)
        return code


def print_workflow_dry_run(config, stages: list, plans: list, printer) -> int:
    """Each stage's plan, as ``zr run --dry-run`` prints it (without what an
    earlier stage already runs); nothing runs and no condition is evaluated."""
    import sys

    planned: set = set()
    for index, (stage, plan) in enumerate(zip(stages, plans), 1):
        remaining = [name for name in plan.names if name not in planned]
        planned.update(remaining)
        how = [("in parallel" if stage["parallel"] else "one after another"),
               ("fail fast" if stage["fail_fast"] else "keep going")]
        sys.stdout.write(f"stage {index}/{len(stages)}: {stage['name']} ({', '.join(how)})\n")
        if stage["condition"] is not None:
            sys.stdout.write(f"  runs if: {' '.join(stage['condition'].split())}\n")
        sys.stdout.flush()
        print_dry_run(config, Plan([remaining], plan.tasks, plan.targets), printer,
                      summary=False)
    count = len(planned)
    printer.info(f"dry run: {count} task{'s' if count != 1 else ''}, nothing was run")
    return 0
