"""``[plugins] required``: plugins a project needs, at the versions it needs.

Checked on every load of a project that has the table, so it must cost
next to nothing. The expensive part (parsing requirements with
``packaging``, reading installed versions with ``importlib.metadata``) runs
when zr.toml is validated, and its verdict is stored in the validated
document with the version it saw. zr caches that document until zr.toml or
the set of installed plugins changes, and the kernel's plugin index already
knows every plugin's version, so on a normal load the check is a dictionary
lookup per entry; only when a version differs from the one seen at
validation is the requirement evaluated again.
"""

from __future__ import annotations


class RequiredPlugin:
    """One entry of ``required``: the distribution and its version range."""

    def __init__(self, text: str, distribution: str, specifier):
        self.text = text
        self.distribution = distribution
        self.specifier = specifier

    @property
    def install_spec(self) -> str:
        from .installed import specifier_text

        return f"{self.distribution}{specifier_text(self.specifier)}"

    def installed_version(self) -> str | None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version(self.distribution)
        except PackageNotFoundError:
            return None

    def unmet(self, installed: str | None = None) -> str | None:
        """Why it is not satisfied (``not installed``, ``1.0 installed``), or None."""
        installed = installed or self.installed_version()
        if installed is None:
            return "not installed"
        if self.specifier and not self.specifier.contains(installed, prereleases=True):
            return f"{installed} installed"
        return None

    def to_entry(self) -> dict:
        """The validated form kept in zr.toml's cached document."""
        installed = self.installed_version()
        return {"text": self.text, "distribution": self.distribution,
                "install_spec": self.install_spec, "seen_version": installed,
                "unmet": self.unmet(installed)}


def parse_required(items: list) -> list:
    """Requirements from the table; a FieldError (a ValueError) locates
    the bad entry."""
    from packaging.requirements import InvalidRequirement, Requirement
    from zr.api import FieldError

    from .names import distribution_name

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
    """``missing`` holds ``(install spec, reason)`` pairs."""
    import shlex

    listed = ", ".join(f"{spec} ({reason})" for spec, reason in missing)
    command = " ".join(shlex.quote(spec) for spec, _ in missing)
    return (f"this project needs plugins that are missing or at the wrong version: {listed}. "
            f"Install them with `zr plugin install --required` (the same as "
            f"`zr plugin install {command}`)")


def check_project(config) -> None:
    """Raise a located ConfigError when ``[plugins] required`` is not met."""
    entries = (config.doc.get("plugins") or {}).get("required") or ()
    # Distribution names as the plugin index has them, normalized (PEP 503)
    # without importing re on this path.
    versions = {r["dist"].lower().replace("_", "-").replace(".", "-"): r["version"]
                for r in config.plugins.records if r.get("dist")}
    missing = []
    for entry in entries:
        if versions.get(entry["distribution"]) == entry["seen_version"]:
            reason = entry["unmet"]
        else:  # installed or changed since zr.toml was validated: evaluate again
            reason = parse_required([entry["text"]])[0].unmet()
        if reason:
            missing.append((entry["install_spec"], reason))
    if missing:
        from zr.errors import ConfigError
        from zr.api import locate

        raise locate(config, ConfigError(unmet_message(missing), file=config.display_path,
                                         key="plugins.required"))
