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

import os
import time

from zr import model
from zr.errors import ConfigError, UsageError, did_you_mean
from zr.runner import (Plan, PlanBuilder, check_cwds, make_plan, parse_env_assignments,
                       print_dry_run, report)
from zr.scheduler import Scheduler, summarize

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
    planned = make_plan(config, stage["tasks"])
    targets = planned.targets
    if stage["parallel"]:
        groups = [planned.names]
    elif config.options.get("no_deps"):
        groups = [[name] for name in targets]
    else:
        groups = [config.graph.closure([name]) for name in targets]
    return Plan(groups, planned.tasks, targets)


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
    """The kernel's run machinery (Run, PlanBuilder, Scheduler, lifecycle
    hooks, summary) composed around stages instead of command-line targets."""

    def __init__(self, config, name: str, stages: list, everything: Plan, printer):
        options = config.options
        self.config = config
        self.name = name
        self.stages = stages
        self.stage_names = [stage["name"] for stage in stages]
        self.printer = printer
        self.run = model.Run(config, everything.tasks, everything.names, options,
                             force=everything.targets if options.get("force") else ())
        self.builder = PlanBuilder(config, self.run, config.plugins,
                                   parse_env_assignments(options.get("env")))
        self.run.env_for = self.builder.env_for
        self.jobs = options.get("jobs") or config.setting("jobs") or os.cpu_count() or 1
        self.schedulers: list = []
        printer.set_names(everything.names)

    def execute(self, plans: list) -> int:
        from zr.process import become_subreaper

        plugins = self.config.plugins
        started = time.monotonic()
        outcomes: dict = {}
        become_subreaper()
        plugins.call("zr_run_start", run=self.run)
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
            duration = time.monotonic() - started
            run_summary = summarize(self.run, duration)
            try:
                plugins.call("zr_run_finish", run=self.run, summary=run_summary)
            finally:
                for scheduler in self.schedulers:
                    scheduler.close()
        return self.report(list(outcomes.values()), run_summary, duration)

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
        options = self.config.options
        scheduler = Scheduler(self.run, self.config.plugins, self.printer, jobs=self.jobs,
                              keep_going=options.get("keep_going") or not stage["fail_fast"],
                              kill_grace=self.config.setting("kill_grace", 5.0),
                              env_builder=self.builder)
        self.schedulers.append(scheduler)
        started = time.monotonic()
        for group in plan.stages:
            block_after_earlier_failures(self.run, group)
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


def block_after_earlier_failures(run, names: list) -> None:
    """Mark as not run every task of ``names`` whose dependency already failed.

    The scheduler only blocks dependents of failures within one
    ``execute`` call; a stage after a failed (not fail-fast) stage must not
    run a task whose dependency failed there. ``names`` is in start order,
    so a blocked task blocks its own dependents in turn.
    """
    results = run.results
    for name in names:
        if name in results:
            continue
        for dep in run.tasks[name].all_deps:
            result = results.get(dep)
            if result is not None and not (result.ok or result.allowed_failure):
                results[name] = model.TaskResult(
                    name, model.BLOCKED,
                    message=f"dependency '{dep}' {result.status.replace('_', ' ')}")
                break


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
        print_dry_run(config, Plan([remaining], plan.tasks, plan.targets), printer)
    return 0
