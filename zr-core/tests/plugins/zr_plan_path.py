"""A plan transform run first: puts a tool directory on PATH (as a
toolchain does) and adds a cache-key part."""

from zr.api import hookimpl


@hookimpl(tryfirst=True)
def zr_task_plan(task, plan, run):
    tools = plan.env.get("TEST_TOOLS_DIR")
    if tools:
        plan.env["PATH"] = tools + ":" + plan.env.get("PATH", "")
        plan.add_key("test tools", tools)
