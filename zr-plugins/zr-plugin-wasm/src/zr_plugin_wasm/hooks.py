"""zr's hooks, answered by the project's WASM plugins with JSON in and out.

A plugin implements a hook by exporting an Extism function of the hook's
name; expression functions are exports named ``expr_<fn>``, called in
conditions as ``<plugin>.<fn>(...)``.

- ``zr_run_start``: ``{"tasks": [names in start order]}``; answer ignored.
- ``zr_task_start``: ``{"task": TASK}``; answer ignored.
- ``zr_task_finish``: ``{"task": TASK, "result": RESULT}``; ``{"fail": "why"}``
  fails a task that succeeded.
- ``zr_run_finish``: ``{"exit_code", "duration", "interrupted", "results":
  {name: RESULT}}``; answer ignored.
- ``zr_validate``: ``{"config": {its settings}, "tasks": {name: TASK}}``, the
  settings being the project's ``[NAME]`` table if it has one (as TOML
  data) or else ``[plugins.wasm.NAME] config`` (as text);
  ``{"problems": [{"message", "key", "severity"}]}``.
- ``zr_task_plan``: ``{"task": TASK, "plan": {"argvs", "env", "cwd",
  "timeout"}}``; any of ``{"argvs", "env" (null unsets), "cwd", "key"}``.
- ``expr_<fn>``: ``[arguments]``; a string, number or boolean.

``TASK`` is ``{"name", "commands", "cwd", "env", "deps", "description"}``
(the env the task declares, never zr's own environment); ``RESULT`` is
``{"name", "status", "exit_code", "duration", "message"}``.

A failing plugin never crashes zr: for the lifecycle hooks its error is a
warning, for ``zr_validate`` a warning problem; an expression function's
error is the condition's error, and a plan transform's error fails that
task, because running the task without the transform would be wrong.
"""

from __future__ import annotations

import json
import os
import sys

from zr.errors import ZrError

from .errors import WasmPluginError
from .settings import specs_for

HOOKS = ("zr_run_start", "zr_run_finish", "zr_task_start", "zr_task_finish", "zr_validate",
         "zr_task_plan")
EXPR_PREFIX = "expr_"

_loaded: dict = {}  # id(config) -> (config, [WasmPlugin])


def write_log(plugin: str, level: str, message: str) -> None:
    """Where a plugin's log lines go: zr's stderr (info and above)."""
    if level in ("info", "warn", "error"):
        label = {"info": "", "warn": "warning: ", "error": "error: "}[level]
        sys.stderr.write(f"zr: {label}wasm plugin '{plugin}': {message}\n")
        sys.stderr.flush()


class ProjectPlugin:
    """One of the project's WASM plugins, as the hooks see it: its settings,
    its exports (recorded from an earlier load when zr has seen the module,
    so listing them needs no wasmtime) and, on the first call, its runtime."""

    def __init__(self, spec):
        self.spec = spec
        self.name = spec.name
        self.load_error = None  # a WasmPluginError when the module cannot be used
        self.reported = False
        self._runtime = None
        self._names = None

    def runtime(self):
        if self._runtime is None:
            from .runtime import WasmPlugin

            self._runtime = WasmPlugin(self.spec, log=write_log)
        return self._runtime

    def exports(self) -> list:
        """Its exported functions; none when the module cannot be loaded
        (then :attr:`load_error` says why)."""
        if self._names is None:
            from .compile_cache import known_exports
            from .source import module_bytes

            try:
                _, digest = module_bytes(self.spec)
                self._names = known_exports(digest)
                if self._names is None:
                    self._names = self.runtime().exports()
            except WasmPluginError as error:
                self.load_error = error
                self._names = []
        return self._names

    def call(self, function: str, payload: bytes, hook: str) -> bytes:
        return self.runtime().call(function, payload, hook)


def plugins_for(config) -> list:
    """The project's :class:`ProjectPlugin` objects (nothing is loaded yet)."""
    cached = _loaded.get(id(config))
    if cached is not None and cached[0] is config:
        return cached[1]
    plugins = [ProjectPlugin(spec) for spec in specs_for(config)]
    _loaded[id(config)] = (config, plugins)
    return plugins


def implementing(config, hook: str, run=None) -> list:
    """The project's plugins exporting ``hook``. A plugin whose module cannot
    be loaded implements nothing; that is said once, as a warning."""
    found = []
    for plugin in plugins_for(config):
        if hook in plugin.exports():
            found.append(plugin)
        elif plugin.load_error is not None and not plugin.reported:
            plugin.reported = True
            _warn(run, plugin.load_error)
    return found


def call_json(plugin, function: str, hook: str, payload):
    """Call ``function`` with ``payload`` as JSON; its answer parsed (None when empty)."""
    output = plugin.call(function, json.dumps(payload).encode(), hook)
    if not output.strip():
        return None
    try:
        return json.loads(output)
    except ValueError:
        shown = output[:80].decode("utf-8", "replace")
        raise WasmPluginError(plugin.name, hook, f"answered with invalid JSON: {shown!r}") \
            from None


# --- JSON views of zr's objects ---------------------------------------------


def task_json(task) -> dict:
    return {"name": task.name, "commands": list(task.cmds), "cwd": task.cwd,
            "env": dict(task.env), "deps": list(task.deps), "description": task.description}


def result_json(result) -> dict:
    return {"name": result.name, "status": result.status, "exit_code": result.exit_code,
            "duration": result.duration, "message": result.message}


# --- the hooks ----------------------------------------------------------------


def _warn(run, error: WasmPluginError) -> None:
    printer = getattr(run, "printer", None) if run is not None else None
    if printer is not None:
        printer.warn(str(error))
    else:
        sys.stderr.write(f"zr: warning: {error}\n")


def observe(run, hook: str, payload) -> list:
    """Call ``hook`` on every plugin exporting it; errors become warnings.
    The answers of the plugins that answered."""
    answers = []
    for plugin in implementing(run.config, hook, run):
        try:
            answers.append((plugin, call_json(plugin, hook, hook, payload)))
        except WasmPluginError as error:
            _warn(run, error)
    return answers


def run_start(run) -> None:
    observe(run, "zr_run_start", {"tasks": list(run.plan)})


def task_start(task, run) -> None:
    observe(run, "zr_task_start", {"task": task_json(task)})


def task_finish(task, result, run) -> None:
    answers = observe(run, "zr_task_finish", {"task": task_json(task),
                                              "result": result_json(result)})
    for plugin, answer in answers:
        reason = answer.get("fail") if isinstance(answer, dict) else None
        if reason and result.ok:
            result.status = "failed"
            result.message = f"wasm plugin '{plugin.name}': {reason}"


def run_finish(run, summary) -> None:
    observe(run, "zr_run_finish", {
        "exit_code": summary.exit_code, "duration": summary.duration,
        "interrupted": summary.interrupted,
        "results": {name: result_json(r) for name, r in summary.results.items()}})


def validate(config) -> list:
    """Each plugin's own check of its ``config`` table, as ConfigProblems."""
    from zr.errors import ConfigProblem

    problems = []
    tasks = {name: task_json(task) for name, task in config.tasks.items()}
    for plugin in plugins_for(config):
        plugin.exports()
        if plugin.load_error is not None:
            plugin.reported = True
            problems.append(ConfigProblem(str(plugin.load_error),
                                          key=f"plugins.wasm.{plugin.name}.{_source_key(plugin)}",
                                          severity="warning"))
    for plugin in implementing(config, "zr_validate"):
        own = plugin.spec.section is not None  # a top-level [NAME] table
        base = plugin.name if own else f"plugins.wasm.{plugin.name}.config"
        try:
            answer = call_json(plugin, "zr_validate", "zr_validate", {
                "config": plugin.spec.section if own else plugin.spec.config, "tasks": tasks})
            items = answer.get("problems", []) if isinstance(answer, dict) else answer or []
            for item in items:
                if not isinstance(item, dict) or not isinstance(item.get("message"), str):
                    raise WasmPluginError(plugin.name, "zr_validate", "answered a problem "
                                          f"without a message: {item!r}")
                key = item.get("key")
                severity = "warning" if item.get("severity") == "warning" else "error"
                problems.append(ConfigProblem(
                    f"wasm plugin '{plugin.name}': {item['message']}",
                    key=f"{base}.{key}" if isinstance(key, str) and key else base,
                    severity=severity))
        except WasmPluginError as error:
            problems.append(ConfigProblem(str(error), key=f"plugins.wasm.{plugin.name}",
                                          severity="warning"))
    return problems


def _source_key(plugin) -> str:
    return "path" if plugin.spec.path else "url"


def register_functions(config, register) -> None:
    """``<plugin>.<fn>`` for every ``expr_<fn>`` export of the project's plugins."""
    for plugin in plugins_for(config):
        for export in plugin.exports():
            if export.startswith(EXPR_PREFIX) and len(export) > len(EXPR_PREFIX):
                name = export[len(EXPR_PREFIX):]
                try:
                    register(f"{plugin.name}.{name}", _expression_function(plugin, export),
                             help=f"from the WASM plugin "
                                  f"{os.path.basename(plugin.spec.source)}")
                except ZrError as error:  # a name the expression language keeps for itself
                    _warn(None, WasmPluginError(plugin.name, export, str(error)))


def _expression_function(plugin, export: str):
    def function(ctx, *args):
        value = call_json(plugin, export, f"{plugin.name}.{export[len(EXPR_PREFIX):]}()",
                          list(args))
        if not isinstance(value, (str, int, float, bool)):
            raise WasmPluginError(plugin.name, export, "an expression function must answer "
                                  f"a JSON string, number or boolean, got {value!r}")
        return value
    return function


def task_plan(task, plan, run) -> None:
    """Let each plugin exporting ``zr_task_plan`` rewrite the attempt's plan."""
    for plugin in implementing(run.config, "zr_task_plan", run):
        visible = set(task.env) | set(plugin.spec.allowed_env)
        answer = call_json(plugin, "zr_task_plan", "zr_task_plan", {
            "task": task_json(task),
            "plan": {"argvs": plan.argvs, "cwd": plan.cwd, "timeout": plan.timeout,
                     "env": {k: v for k, v in plan.env.items() if k in visible}}})
        if answer is not None:
            apply_plan(plugin, plan, answer)


def apply_plan(plugin, plan, answer) -> None:
    def bad(what):
        return WasmPluginError(plugin.name, "zr_task_plan", f"answered {what}")

    if not isinstance(answer, dict):
        raise bad(f"{answer!r}, expected an object")
    if "argvs" in answer:
        argvs = answer["argvs"]
        if not isinstance(argvs, list) or not argvs or not all(
                isinstance(a, list) and a and all(isinstance(x, str) for x in a) for a in argvs):
            raise bad("argvs that are not a non-empty list of commands (lists of strings)")
        plan.argvs = argvs
    env = answer.get("env", {})
    if not isinstance(env, dict) or not all(isinstance(v, (str, type(None)))
                                            for v in env.values()):
        raise bad("env that is not an object of strings (or null to unset)")
    for key, value in env.items():
        if value is None:
            plan.env.pop(key, None)
        else:
            plan.env[key] = value
    if "cwd" in answer:
        if not isinstance(answer["cwd"], str):
            raise bad("a cwd that is not a string")
        plan.cwd = answer["cwd"]
    key = answer.get("key", {})
    if not isinstance(key, dict):
        raise bad("a key that is not an object of labels to strings")
    for label, value in key.items():
        plan.add_key(f"wasm:{plugin.name}:{label}", str(value))
