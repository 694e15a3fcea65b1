"""``[plugins] required``: plugins a project needs, at the versions it needs.

Checked on every load of a project that has the table, so it is cheap: one
``importlib.metadata.version`` lookup per requirement, nothing when the
table is absent.
"""

from __future__ import annotations

import shlex

from .names import distribution_name


class RequiredPlugin:
    """One entry of ``required``: the distribution and its version range."""

    def __init__(self, text: str, distribution: str, specifier):
        self.text = text
        self.distribution = distribution
        self.specifier = specifier

    @property
    def install_spec(self) -> str:
        return f"{self.distribution}{self.specifier}"

    def unmet(self) -> str | None:
        """Why it is not satisfied now (``not installed``, ``1.0 installed``), or None."""
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version(self.distribution)
        except PackageNotFoundError:
            return "not installed"
        if self.specifier and not self.specifier.contains(installed, prereleases=True):
            return f"{installed} installed"
        return None


def parse_required(items: list) -> list:
    """Requirements from the table; a FieldError (a ValueError) locates
    the bad entry."""
    from packaging.requirements import InvalidRequirement, Requirement
    from zr.config.kinds import FieldError

    parsed = []
    for position, text in enumerate(items):
        try:
            requirement = Requirement(text)
        except InvalidRequirement as exc:
            reason = str(exc).splitlines()[0]
            raise FieldError([position], f"{text!r} is not a requirement like "
                                         f"\"zr-plugin-docker>=1.2\" ({reason})") from None
        if requirement.url:
            raise FieldError([position], f"{text!r} is a URL; name the distribution and its "
                                         "versions here, and install it from the URL with "
                                         "`zr plugin install URL`")
        parsed.append(RequiredPlugin(text, distribution_name(requirement.name),
                                     requirement.specifier))
    return parsed


def unmet(required: list) -> list:
    """``(RequiredPlugin, reason)`` for every requirement not satisfied now."""
    found = []
    for plugin in required:
        reason = plugin.unmet()
        if reason:
            found.append((plugin, reason))
    return found


def unmet_message(missing: list) -> str:
    listed = ", ".join(f"{plugin.install_spec} ({reason})" for plugin, reason in missing)
    command = " ".join(shlex.quote(plugin.install_spec) for plugin, _ in missing)
    return (f"this project needs plugins that are missing or at the wrong version: {listed}. "
            f"Install them with `zr plugin install --required` (the same as "
            f"`zr plugin install {command}`)")


def check_project(config) -> None:
    """Raise a located ConfigError when ``[plugins] required`` is not met."""
    items = (config.doc.get("plugins") or {}).get("required")
    if not items:
        return
    from zr.errors import ConfigError
    from zr.project import locate

    def error(message):
        return locate(config, ConfigError(message, file=config.display_path,
                                          key="plugins.required"))

    try:
        required = parse_required(items)
    except ValueError as exc:
        raise error(str(exc)) from None
    missing = unmet(required)
    if missing:
        raise error(unmet_message(missing))
