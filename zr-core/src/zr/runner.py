"""``zr run``: plan the requested tasks, run them, report the outcome."""

from __future__ import annotations

import os
import sys
import time

from . import model
from .errors import ConfigError, UsageError, ZrError
from .graph import resolve_task_name
from .scheduler import Scheduler, summarize
from .units import format_duration


def parse_env_assignments(pairs) -> dict:
    env = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--env expects KEY=VALUE, got '{pair}'")
        env[key] = value
    return env


class PlanBuilder:
    """Makes the environment and the default :class:`ProcessPlan` of each
    task attempt, then lets ``zr_task_plan`` transform it (see :meth:`plan`).

    Environment precedence (DESIGN): process env < ``[env]`` < task ``env``
    < ``--env``; then ``zr_task_env`` hooks adjust it (``.env`` files fill in
    only what is unset; toolchains prepend to PATH). ``zr_task_env`` runs
    once per attempt: the first attempt's environment is composed when
    something asks for it first (a condition, a guard, ``run.env_for``) and
    reused by its plan.
    """

    def __init__(self, config, run, plugins, cli_env: dict, *, env_hooks: bool = True):
        self.config = config
        self.env_hooks = env_hooks  # False: a dry run, which reads no .env file
        self.run = run
        self.plugins = plugins
        self.inherited = os.environ.copy()
        self.base_env = {**self.inherited, **config.env}
        self.cli_env = cli_env
        self.declared = frozenset(config.env) | frozenset(cli_env)
        self.grace = config.setting("kill_grace", 5.0)
        self.invocation_dir = os.getcwd()
        self.args = list(config.options.get("args") or ())
        self.targets = set(config.options.get("targets") or ())
        self._envs: dict = {}  # task name -> (attempt number, env) not yet used by a plan

    def _compose(self, task) -> dict:
        env = self.base_env.copy()
        env.update(task.env)
        env.update(self.cli_env)
        env["ZR_TASK"] = task.name
        env["ZR_PROJECT_ROOT"] = self.config.root
        env["ZR_INVOCATION_DIR"] = self.invocation_dir
        if self.env_hooks:
            self.plugins.call("zr_task_env", task=task, env=env, run=self.run)
        return env

    def env_for(self, task) -> dict:
        """The environment of ``task``'s next attempt (a copy)."""
        held = self._envs.get(task.name)
        if held is None:
            held = self._envs[task.name] = self._compose(task)
        return held.copy()

    def argvs_for(self, task) -> list:
        from .commands_text import task_argvs

        return task_argvs(task, self.config, self.args if task.name in self.targets else ())

    def default_plan(self, task, number: int = 1) -> model.ProcessPlan:
        """The kernel's plan of an attempt, before any transform. The
        environment composed for it is used up: the next attempt composes
        its own."""
        env = self._envs.pop(task.name, None)
        if env is None:
            env = self._compose(task)
        declared = self.declared | task.env.keys() if task.env else self.declared
        return model.ProcessPlan(self.argvs_for(task), env, task.cwd, task.timeout, self.grace,
                                 declared_env=declared, inherited_env=self.inherited)

    def plan(self, task, number: int = 1) -> model.ProcessPlan:
        """The plan of attempt ``number`` as the scheduler runs it (the
        scheduler applies ``zr_task_plan`` itself)."""
        return self.default_plan(task, number)

    def final_plan(self, task) -> model.ProcessPlan:
        """``run.plan_for``: the final plan of ``task``'s next attempt, with
        every ``zr_task_plan`` applied, without running anything."""
        env = self._envs.get(task.name)
        plan = self.default_plan(task)
        if env is not None:  # describing a task does not use up its environment
            self._envs[task.name] = env
        self.plugins.call("zr_task_plan", task=task, plan=plan, run=self.run)
        return plan


class Plan:
    """What one invocation runs: stages of task names (run one after another),
    the task table including parameter instances, and the targets' names."""

    def __init__(self, stages: list, tasks: dict, targets: list):
        self.stages = stages
        self.tasks = tasks
        self.targets = targets
        seen: set = set()
        self.names = [n for stage in stages for n in stage
                      if not (n in seen or seen.add(n))]


def make_plan(config, words: list, *, parallel: bool | None = None) -> Plan:
    """Resolve the command line's task words (with ``NAME=VALUE`` parameters)
    into stages: each target with its dependencies, in the order given, or
    all as one graph with ``parallel`` (default: the ``--parallel`` option);
    only the targets with ``--no-deps``."""
    from . import params

    graph = config.graph
    tasks = dict(config.tasks)
    targets = []
    for word, given in params.split_targets(words):
        if word not in tasks and word not in config.aliases:
            instead = config.plugins.call("zr_unknown_task", name=word, config=config)
            if instead:
                raise UsageError(instead)
        name = resolve_task_name(word, tasks, config.aliases)
        task = config.tasks[name]  # the declared task, placeholders intact
        if task.field("params") or given:
            values = params.resolve(task, given)
            instance = params.instance_name(task, given, values)
            tasks[instance] = params.instantiate(task, values, instance)
            graph.deps.setdefault(instance, graph.deps[name])
            name = instance
        targets.append(name)
    options = config.options
    if parallel is None:
        parallel = bool(options.get("parallel"))
    if options.get("no_deps"):
        stages = [targets]
    elif parallel:
        stages = [graph.closure(targets)]
    else:
        stages = [graph.closure([name]) for name in targets]
    plan = Plan(stages, tasks, targets)
    for name in plan.names:  # dependencies with parameters take their defaults
        task = config.tasks.get(name)
        if task is not None and task.field("params") and name not in targets:
            via = targets[0] if targets else None
            tasks[name] = params.instantiate(task, params.resolve(task, {}, via=via), name)
    return plan


def check_cwds(tasks, config, names) -> None:
    """A ``cwd`` that does not exist is a config error naming it (DESIGN)."""
    from .project import locate

    present = set()  # most tasks share a few directories: one stat each
    for name in names:
        task = tasks[name]
        if task.cwd in present:
            continue
        if os.path.isdir(task.cwd):
            present.add(task.cwd)
        else:
            raise locate(config, ConfigError(
                f"cwd '{os.path.relpath(task.cwd, config.root)}' does not exist ({task.cwd})",
                file=task.source, key=f"tasks.{name.split('[', 1)[0]}.cwd"))


def default_jobs(config, printer) -> int:
    """How many tasks run at once: ``-j``/``ZR_JOBS``, then ``[settings]
    jobs``, then a plugin's ``zr_default_jobs`` (an executor knows its
    capacity better than this machine's CPU count), then the CPU count.
    ``-v`` says which one decided."""
    given = config.options.get("jobs") or config.setting("jobs")
    if given:
        return given
    offered = config.plugins.call("zr_default_jobs", config=config)
    if isinstance(offered, int) and not isinstance(offered, bool) and offered >= 1:
        printer.debug(f"at most {offered} tasks at once (a plugin's default for this run)")
        return offered
    return os.cpu_count() or 1


class RunSession:
    """One invocation's run: the shared :class:`Run`, the environment
    builder, the lifecycle hooks around it and its schedulers.

    ``zr run`` uses one scheduler for all its stages; the workflows plugin
    makes one per stage (each with its own ``keep_going``). Use::

        session = RunSession(config, planned, printer)
        session.start()
        try:
            session.scheduler().execute(names)
        finally:
            summary = session.finish()
    """

    def __init__(self, config, planned: Plan, printer):
        options = config.options
        self.config = config
        self.printer = printer
        self.run = model.Run(config, planned.tasks, planned.names, options,
                             force=planned.targets if options.get("force") else ())
        self.jobs = default_jobs(config, printer)
        self.builder = PlanBuilder(config, self.run, config.plugins,
                                   parse_env_assignments(options.get("env")))
        self.run.env_for = self.builder.env_for
        self.run.plan_for = self.builder.final_plan
        self.run.printer = printer
        from .executors import RunControl

        self.run.control = RunControl()
        config.plugins.verbose = printer.verbose
        self._schedulers: list = []
        self._started = None
        printer.set_names(planned.names)

    def start(self) -> None:
        from .process import become_subreaper

        become_subreaper()
        self._started = time.monotonic()
        self.config.plugins.call("zr_run_start", run=self.run)

    def scheduler(self, *, keep_going: bool | None = None) -> Scheduler:
        """A scheduler on this run (``keep_going`` default: ``--keep-going``)."""
        if keep_going is None:
            keep_going = bool(self.config.options.get("keep_going"))
        scheduler = Scheduler(self.run, self.config.plugins, self.printer, jobs=self.jobs,
                              keep_going=keep_going,
                              kill_grace=self.builder.grace,
                              env_builder=self.builder)
        self._schedulers.append(scheduler)
        return scheduler

    @property
    def interrupted(self) -> bool:
        return any(s.interrupted for s in self._schedulers)

    def finish(self) -> model.RunSummary:
        """Summarise, call ``zr_run_finish``, release the schedulers."""
        stop_signal = next((s.stop_signal for s in self._schedulers if s.stop_signal), None)
        summary = summarize(self.run, time.monotonic() - (self._started or time.monotonic()),
                            stop_signal)
        try:
            self.config.plugins.call("zr_run_finish", run=self.run, summary=summary)
        finally:
            for scheduler in self._schedulers:
                scheduler.close()
        return summary


def run_tasks(config, targets: list, printer) -> int:
    """Run ``targets`` (each with its dependencies, one after another, or all
    as one graph with ``--parallel``) and return zr's exit code."""
    options = config.options
    planned = make_plan(config, targets)
    options["targets"] = planned.targets
    check_cwds(planned.tasks, config, planned.names)
    if options.get("dry_run"):
        return print_dry_run(config, planned, printer)
    session = RunSession(config, planned, printer)
    session.start()
    try:
        scheduler = session.scheduler()
        for stage in planned.stages:
            scheduler.execute(stage)
    finally:
        summary = session.finish()
    report(summary, planned.names, printer, options.get("format") == "json")
    return summary.exit_code


def _shell_words(argv: list) -> str:
    import shlex

    return " ".join(shlex.quote(word) for word in argv)


def _dry_run_planner(config, planned, printer):
    """``run.plan_for`` of a run that never starts, or None when no plugin
    transforms plans (the dry run then prints the tasks' own commands).
    Its environment is zr.toml's and ``--env``'s, without ``zr_task_env``:
    the commands are what a dry run shows, and it reads no ``.env`` file."""
    if not config.plugins.has_implementations("zr_task_plan"):
        return None
    run = model.Run(config, planned.tasks, planned.names, config.options)
    builder = PlanBuilder(config, run, config.plugins,
                          parse_env_assignments(config.options.get("env")), env_hooks=False)
    run.env_for = builder.env_for
    run.plan_for = builder.final_plan
    run.printer = printer
    return builder.final_plan


def report(summary, plan, printer, as_json: bool) -> None:
    results = summary.results
    if as_json:
        import json

        payload = {"exit_code": summary.exit_code, "duration": round(summary.duration, 6),
                   "tasks": [results[n].to_json() for n in plan if n in results]}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        sys.stdout.flush()
        return
    for name in plan:
        result = results.get(name)
        if result is None:
            continue
        if result.status in (model.FAILED, model.TIMED_OUT):
            word = "failed" if result.status == model.FAILED else "timed out"
            line = f"{name} {printer.status(word, False)} ({result.message})"
            if result.allowed_failure:
                printer.info(line + " [allowed to fail]")
            else:
                printer.error(line)
        elif result.status == model.SKIPPED:
            printer.info(f"{name} {printer.status('skipped', None)} ({result.message})")
        elif result.status == model.CACHED:
            printer.info(f"{name} {printer.status('cached', True)}"
                         + (f" ({result.message})" if result.message else ""))
        elif result.status == model.INTERRUPTED and result.attempts:
            printer.error(f"{name} interrupted")
    counts = {}
    for result in results.values():
        counts[result.status] = counts.get(result.status, 0) + 1
    words = [(model.SUCCESS, "succeeded"), (model.CACHED, "cached"), (model.FAILED, "failed"),
             (model.TIMED_OUT, "timed out"), (model.SKIPPED, "skipped"),
             (model.BLOCKED, "not run"), (model.INTERRUPTED, "interrupted")]
    parts = [f"{counts[s]} {w}" for s, w in words if counts.get(s)]
    total = len(results)
    line = (f"{total} task{'s' if total != 1 else ''} in {format_duration(summary.duration)}: "
            + ", ".join(parts))
    if summary.interrupted:
        printer.error("interrupted; " + line)
    else:
        printer.info(line)


def print_dry_run(config, planned, printer, *, summary: bool = True) -> int:
    """Every command of the plan, in order, as it would run: after the
    plugins' ``zr_task_plan`` transforms (a ``docker run`` around it, a
    launcher). Touches nothing: no ``zr_run_start``, so no cache, history
    or toolchain install; without transforms no plan is built at all."""
    from .commands_text import display_command, task_argvs

    out = sys.stdout
    args = list(config.options.get("args") or ())
    targets = set(planned.targets)
    plan = planned.names
    final = _dry_run_planner(config, planned, printer)
    for index, name in enumerate(plan, 1):
        task = planned.tasks[name]
        out.write(f"[{index}/{len(plan)}] {name}\n")
        argvs, problem, show = None, None, display_command
        if final is not None:
            try:
                transformed = final(task)
                argvs = transformed.commands()
            except ZrError as exc:  # e.g. an image digest a real run would know
                problem = str(exc)
            else:
                if transformed.wrappers:  # the wrapper's words, then the command's
                    show = _shell_words
        if argvs is None:
            argvs = task_argvs(task, config, args if name in targets else ())
        for argv in argvs:
            for line in show(argv).splitlines() or [""]:
                out.write(f"  $ {line}\n")
        if problem:
            out.write(f"    (as written: the plugins' plan failed: {problem})\n")
        rel = os.path.relpath(task.cwd, config.root)
        if rel != ".":
            out.write(f"    (in {rel})\n")
    out.flush()
    if summary:
        printer.info(f"dry run: {len(plan)} task{'s' if len(plan) != 1 else ''}, "
                     "nothing was run")
    return 0
