"""Hooks that raise, to show how failures are reported: an observer
(zr_task_finish, zr_run_finish) and a transform (zr_task_plan)."""


from zr.api import hookimpl


@hookimpl
def zr_task_finish(task, result, run):
    raise RuntimeError(f"observer broke on {task.name}")


@hookimpl
def zr_run_finish(run, summary):
    raise ValueError("run observer broke")


@hookimpl
def zr_task_plan(task, plan, run):
    if task.name == "transform-breaks":
        raise KeyError("NO_SUCH_KEY")
