"""What the hooks in :mod:`.plugin` do for one attempt (see its docstring for the order)."""

from __future__ import annotations

from zr.api import CACHED, FAILED, INTERRUPTED, SUCCESS, TIMED_OUT, TaskResult, ZrError

from . import digests, images


def resolve_references(session, task, plan) -> None:
    """Replace ``${docker.X.digest}`` in commands and env; key the plan on every
    image this task depends on."""
    where = f"tasks.{task.name}"
    plan.argvs = [[digests.substitute(word, session.digest, where) for word in argv]
                  for argv in plan.argvs]
    for name, value in plan.env.items():
        if "${docker." in value:
            plan.env[name] = digests.substitute(value, session.digest, f"{where}.env.{name}")
    for name, digest in session.dependency_digests(task).items():
        plan.add_key(f"docker image {name}", digest)


def plan_image_task(session, task, plan) -> None:
    prepared = images.prepare(task, plan.cwd, session.records, plan.env, session.digest,
                              session.dependency_digests(task),
                              force=task.name in session.run.force)
    session.pending[task.name] = prepared
    if prepared.record is not None:
        session.digests[task.name] = prepared.record["image_id"]
        plan.argvs = []
        return
    argvs, extra_env = images.commands(prepared, session.cli, session.project_root,
                                       session.work_dir)
    plan.argvs = argvs + plan.argvs  # the task's own cmd, if any, runs after the build
    plan.env.update(extra_env)


def wrap_in_container(session, task, plan) -> None:
    from . import container as containers

    spec = task.field("container")
    image = digests.substitute(spec["image"], session.digest, f"tasks.{task.name}.container")
    plan.env.update(spec["env"])
    env_names = containers.passed_env(plan)
    # A retry: the attempt before may have been killed (a timeout) and left
    # its container; it is removed before the next one starts.
    session.remove_containers(task.name)
    names = containers.attempt_names(session.project_root, task.name, len(plan.argvs))
    prefix = containers.wrapper(
        session.cli, container=spec, image=image, cwd=plan.cwd,
        project_root=session.project_root, task_name=task.name, env_names=env_names,
        names=names)
    # The docker run words hold this checkout's path, uid and CLI: how the
    # commands run here. The key gets the container as zr.toml describes it.
    plan.wrap(prefix, key=containers.key_label(spec, image))
    session.expect_containers(task.name, names, plan.env)
    built = _image_task_tagged(session, image)
    if built:
        plan.add_key(f"docker image {built}", session.digest(built))


def _image_task_tagged(session, image: str) -> str | None:
    """The image task whose build is ``image`` (one of its tags), if any."""
    for name, task in session.run.tasks.items():
        spec = task.field("docker")
        if spec is not None and image in spec["build"]["tags"] and session.digest(name):
            return name
    return None


def decide(session, task, plan):
    """A cached result for an unchanged image, a failure when the daemon is
    away, or None to let the plan run."""
    prepared = session.pending.get(task.name)
    if prepared is not None and prepared.record is not None:
        image_id = prepared.record["image_id"]
        return TaskResult(task.name, CACHED, exit_code=0,
                          message=f"image unchanged: {image_id}")
    uses_daemon = task.field("docker") is not None or task.field("container") is not None
    if uses_daemon and plan.argvs:
        problem = session.check_daemon(plan.env)
        if problem:
            return TaskResult(task.name, FAILED, exit_code=1, message=problem)
    return None


def finish(session, task, result) -> None:
    prepared = session.pending.pop(task.name, None)
    if prepared is not None and prepared.record is None and result.status == SUCCESS:
        try:
            entry = images.record(prepared, session.cli, session.records, session.work_dir)
        except ZrError as exc:
            result.status = FAILED
            result.exit_code = 1
            result.message = str(exc)
            return
        session.digests[task.name] = entry["image_id"]
    if task.name in session.containers:
        killed = result.status in (TIMED_OUT, INTERRUPTED) or (result.exit_code or 0) < 0
        if killed:
            session.remove_containers(task.name)
        else:
            session.containers.pop(task.name, None)
