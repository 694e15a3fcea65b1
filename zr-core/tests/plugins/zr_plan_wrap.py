"""A plan transform run last: wraps every command in a launcher (as Docker
or a resource limiter does), so it sees what earlier transforms made."""

from zr.api import hookimpl


@hookimpl(trylast=True)
def zr_task_plan(task, plan, run):
    if plan.env.get("TEST_WRAP"):
        plan.argvs = [["sh", "-c", 'echo "wrapped: $(command -v mytool)"; exec "$@"', "wrap"]
                      + argv for argv in plan.argvs]
