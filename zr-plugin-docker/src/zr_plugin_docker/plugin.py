"""The ``docker`` plugin's hooks. Thin on purpose: a run without image or
container tasks costs one loop over its tasks (:func:`_session`) and
imports nothing else; in a project with them, a task that neither is one
nor uses an image's digest imports nothing more either. A cached image task
stats its build context and reads one hit file (:mod:`.records`), and
nothing else: no daemon, no Docker CLI. The CLI is started only for work
that needs it.

Order in an attempt of an image task: ``zr_task_plan`` fingerprints the build
and, when it changed, replaces the plan's commands with ``docker build``
(and ``docker push``); ``zr_task_executor`` answers an unchanged build as
cached without a process, and a daemon that does not answer as a failure;
``zr_task_finish`` records the new image's digest. For a container task,
``zr_task_plan`` wraps each command in ``docker run`` (``trylast``, so the
commands it wraps are final) and ``zr_task_finish`` removes containers whose
CLI was killed.
"""

from __future__ import annotations

from zr.api import hookimpl

_STATE = "docker"
_UNSET = object()

IMAGE_HELP = ("Build a Docker image: { build = { context, dockerfile, tags, args, target, "
              "platforms, cache_from, cache_to, secrets, network, labels }, push = true }. "
              "Dependents get its digest as ${docker.TASK.digest} and ZR_DOCKER_DIGEST_TASK. "
              "See docs/docker.md.")
CONTAINER_HELP = ('Run the task\'s commands in a container: "image:tag" or { image, volumes, '
                  'workdir, user, network, env }; the project is mounted at the same path and '
                  'the commands run as the caller\'s uid:gid. See docs/docker.md.')


@hookimpl
def zr_config_sections(registry):
    from zr.api import STRING

    from .fields import CONTAINER, IMAGE_TASK

    registry.task_field("docker", IMAGE_TASK, help=IMAGE_HELP)
    registry.task_field("container", CONTAINER, help=CONTAINER_HELP)
    registry.setting("docker_cli", STRING, help=(
        "The docker command zr runs (default: docker on PATH; ZR_DOCKER_CLI overrides)."))


def _session(run):
    """The run's :class:`~.session.DockerSession`, or None (and nothing
    imported) when no task of the run is an image or container task."""
    session = run.state.get(_STATE, _UNSET)
    if session is _UNSET:
        session = None
        if run.config is not None and any(
                task.field("docker") is not None or task.field("container") is not None
                for task in run.tasks.values()):
            from .session import DockerSession

            session = DockerSession(run)
        run.state[_STATE] = session
    return session


@hookimpl
def zr_cli_commands(cli):
    from .commands import docker_group

    cli.add_command(docker_group)


@hookimpl
def zr_task_env(task, env, run):
    session = _session(run)
    if session is None:
        return
    from .digests import env_name

    for name, digest in session.dependency_digests(task).items():
        env[env_name(name)] = digest


def _is_docker_task(task) -> bool:
    return task.field("docker") is not None or task.field("container") is not None


@hookimpl(trylast=True)
def zr_task_plan(task, plan, run):
    session = _session(run)
    if session is None or not (_is_docker_task(task) or session.refers_to_images(task, plan)):
        return
    from .planning import plan_image_task, wrap_in_container, resolve_references

    resolve_references(session, task, plan)
    if task.field("docker") is not None:
        plan_image_task(session, task, plan)
    if task.field("container") is not None:
        wrap_in_container(session, task, plan)


@hookimpl
def zr_task_executor(task, plan, run):
    session = _session(run)
    if session is None or not _is_docker_task(task):
        return None
    from .planning import decide

    return decide(session, task, plan)


@hookimpl
def zr_task_finish(task, result, run):
    session = _session(run)
    if session is None or not _is_docker_task(task):
        return
    from .planning import finish

    finish(session, task, result)
