"""The ``docker`` (image task) and ``container`` (container task) task fields.

Both are checked once, when ``zr.toml`` is validated; the checked values are
plain dicts with every key present, so the rest of the plugin never guesses
defaults:

    docker    = { build = { context, dockerfile, tags, args, target, platforms,
                            cache_from, cache_to, secrets, network, labels },
                  push = false }
    container = "image:tag"
              | { image, volumes, workdir, user, network, env }
"""

from __future__ import annotations

from zr.api import BOOL, STRING, STRING_LIST, FieldError, Kind, kinds, show

ENV_MAP, table = kinds.ENV_MAP, kinds.table

_BUILD = table("docker-build", {
    "context": STRING, "dockerfile": STRING, "tags": STRING_LIST, "args": ENV_MAP,
    "target": STRING, "platforms": STRING_LIST, "cache_from": STRING_LIST,
    "cache_to": STRING_LIST, "secrets": STRING_LIST, "network": STRING, "labels": ENV_MAP,
})
_IMAGE_TASK = table("docker", {"build": _BUILD, "push": BOOL}, required=("build",))

BUILD_DEFAULTS = {
    "context": ".", "dockerfile": None, "tags": [], "args": {}, "target": None,
    "platforms": [], "cache_from": [], "cache_to": [], "secrets": [], "network": None,
    "labels": {},
}


def check_image_task(raw) -> dict:
    """The ``docker`` field with defaults filled in."""
    value = _IMAGE_TASK.check(raw)
    build = {**BUILD_DEFAULTS, **value["build"]}
    if value.get("push") and not build["tags"]:
        raise FieldError(["push"], "push = true needs at least one tag in build.tags "
                         "(the name to push, such as \"registry.example.com/app:1\")")
    return {"build": build, "push": value.get("push", False)}


_CONTAINER_TABLE = table("container", {
    "image": STRING, "volumes": STRING_LIST, "workdir": STRING, "user": STRING,
    "network": STRING, "env": ENV_MAP,
}, required=("image",))

CONTAINER_DEFAULTS = {"volumes": [], "workdir": None, "user": None, "network": None, "env": {}}


def check_container(raw) -> dict:
    """The ``container`` field as a table with defaults filled in."""
    if isinstance(raw, str):
        raw = {"image": raw}
    elif not isinstance(raw, dict):
        raise ValueError(f'expected an image such as "alpine:3.20" or a table {{ image, '
                         f'volumes, workdir, user, network, env }}, got {show(raw)}')
    value = {**CONTAINER_DEFAULTS, **_CONTAINER_TABLE.check(raw)}
    if not value["image"].strip():
        raise FieldError(["image"], "the image cannot be empty")
    for index, volume in enumerate(value["volumes"]):
        if ":" not in volume:
            raise FieldError(["volumes", index], f'expected "SOURCE:TARGET[:ro]", got '
                             f'{show(volume)}')
    return value


IMAGE_TASK = Kind("docker", check_image_task, _IMAGE_TASK.schema,
                  "table { build = { context, dockerfile, tags, args, target, ... }, push }")
CONTAINER = Kind("container", check_container,
                 {"anyOf": [{"type": "string"}, _CONTAINER_TABLE.schema]},
                 '"image:tag" or table { image, volumes, workdir, user, network, env }')
