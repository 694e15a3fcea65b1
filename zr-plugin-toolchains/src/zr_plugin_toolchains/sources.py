"""Which toolchains a task runs with, and which version of each.

The tools a task gets: every tool in ``[tools]`` and in the project's
``.tool-versions`` (the project's tools, for all tasks), the task's own
``toolchain`` list, and ``--tool`` for this invocation.

The version of each, highest first: ``--tool node@20``, ``ZR_TOOL_NODE``,
the task's ``toolchain = ["node@20"]``, ``[tools] node = "20"``,
``.tool-versions`` (asdf's names such as ``nodejs`` and ``golang`` too),
then, only for a tool named without a version, the tool's idiomatic files
(``.nvmrc``, ``.python-version``, ``go.mod``, ...) from the task's cwd up to
the project root; with none of these, ``latest``.
"""

from __future__ import annotations

import os

from zr.api import ConfigError

from .versions import SpecError, parse_spec


class Requirement:
    """One tool a task needs: canonical name, spec text, where it came from,
    and how its download is checked (``[tools]`` settings of the tool:
    ``verify`` the SHA-256, ``verify_signatures`` and the trusted
    ``minisign_key``, None for the toolchain's own)."""

    __slots__ = ("tool", "spec", "source", "verify", "verify_signatures", "minisign_key")

    def __init__(self, tool: str, spec: str, source: str, verify: bool = True,
                 verify_signatures: bool = True, minisign_key: str | None = None):
        self.tool = tool
        self.spec = spec
        self.source = source
        self.verify = verify
        self.verify_signatures = verify_signatures
        self.minisign_key = minisign_key

    def derive(self, spec: str, source: str) -> "Requirement":
        """The same tool with the same checks, asked for elsewhere."""
        return Requirement(self.tool, spec, source, self.verify, self.verify_signatures,
                           self.minisign_key)

    def __repr__(self) -> str:
        return f"{self.tool}@{self.spec} ({self.source})"


def split_item(item: str) -> tuple:
    """``"node@20"`` -> ``("node", "20")``; ``"node"`` -> ``("node", None)``."""
    name, _, spec = item.partition("@")
    return name.strip(), (spec.strip() or None)


def check_spec(text: str, where: str) -> None:
    try:
        parse_spec(text)
    except SpecError as exc:
        raise ConfigError(str(exc), key=where) from None


def tools_table(config) -> dict:
    """``[tools]`` as ``{tool: (spec, settings)}`` (mirrors left out);
    settings are the table form's other keys (``verify``, ...)."""
    table = config.doc.get("tools") or {}
    out = {}
    for name, value in table.items():
        if name == "mirrors":
            continue
        if isinstance(value, dict):
            settings = {k: v for k, v in value.items() if k != "version"}
            out[name] = (value.get("version", "latest"), settings)
        else:
            out[name] = (value, {})
    return out


def project_requirements(config, registry) -> dict:
    """The project's tools: ``.tool-versions`` then ``[tools]`` over it."""
    from .toolversions import read_tool_versions

    found: dict = {}
    for name, spec, line in read_tool_versions(config.root):
        provider = registry.find(name)
        if provider is not None:  # asdf users list tools zr does not manage
            found[provider.name] = Requirement(provider.name, spec, f".tool-versions:{line}")
    for name, (spec, settings) in tools_table(config).items():
        provider = registry.get(name, where=f"{config.display_path}: [tools]: ")
        found[provider.name] = Requirement(provider.name, spec, f"[tools] {name}", **settings)
    return found


def task_requirements(task, config, registry, project: dict, consulted=None) -> list:
    """The :class:`Requirement` list of one task, after every source;
    ``consulted`` (a list) gets every idiomatic file path looked for."""
    wanted = dict(project)
    for item in task.field("toolchain") or ():
        name, spec = split_item(item)
        provider = registry.get(name, where=f"{config.display_path}: tasks.{task.name}.toolchain: ")
        known = project.get(provider.name)
        if spec is None:
            spec = known.spec if known else _idiomatic(provider, task.cwd, config.root,
                                                         consulted)
        wanted[provider.name] = (known or Requirement(provider.name, "latest", "")).derive(
            spec or "latest", f"tasks.{task.name}.toolchain")
    for provider_name, requirement in list(wanted.items()):
        value = os.environ.get(f"ZR_TOOL_{provider_name.upper()}")
        if value:
            wanted[provider_name] = requirement.derive(value, f"ZR_TOOL_{provider_name.upper()}")
    for item in config.options.get("tool") or ():
        name, spec = split_item(item)
        provider = registry.get(name, where="--tool: ")
        known = wanted.get(provider.name) or Requirement(provider.name, "latest", "")
        wanted[provider.name] = known.derive(spec or known.spec, "--tool")
    return [wanted[name] for name in sorted(wanted)]


def _idiomatic(provider, cwd: str, root: str, consulted=None) -> str | None:
    """The version an idiomatic file near ``cwd`` names, or None."""
    directory = os.path.abspath(cwd)
    root = os.path.abspath(root)
    while True:
        for filename in provider.idiomatic_files:
            path = os.path.join(directory, filename)
            if consulted is not None:
                consulted.append(path)
            if os.path.isfile(path):
                try:
                    with open(path, encoding="utf-8") as fh:
                        spec = provider.read_idiomatic(path, fh.read())
                except OSError:
                    continue
                if spec:
                    return spec
        if directory == root or os.path.dirname(directory) == directory:
            return None
        directory = os.path.dirname(directory)
