"""``zr plugin index add WHEEL... --index FILE``: write a plugin index entry
from a built wheel, so publishing to a self-hosted index is one command.

Everything comes from the wheel itself (no install, no import): the name,
version, summary and homepage from its metadata, the zr-core range from its
``Requires-Dist``, the plugins from its ``zr`` entry points, and the hooks
each implements from the source of the entry point's module (functions named
``zr_*`` decorated with ``hookimpl``, found by parsing, not running, it).
"""

from __future__ import annotations

import json
import os
import zipfile

from zr.errors import UsageError

from .names import normalize


def add_wheels(wheels: list, index_path: str, install_base: str | None = None) -> list:
    """Add or replace one entry per wheel in the index file (created if
    missing, written atomically); the entries written."""
    document = _read_document(index_path)
    written = []
    for wheel in wheels:
        entry = entry_from_wheel(wheel, _install_location(wheel, index_path, install_base))
        plugins = document["plugins"]
        same = [i for i, item in enumerate(plugins)
                if normalize(str(item.get("name", ""))) == normalize(entry["name"])]
        if same:
            plugins[same[0]] = entry
        else:
            plugins.append(entry)
        written.append(entry)
    from zr.api import atomic_write

    atomic_write(os.path.abspath(index_path),
                 (json.dumps(document, indent=2) + "\n").encode("utf-8"))
    return written


def _read_document(index_path: str) -> dict:
    if not os.path.exists(index_path):
        return {"format": 1, "plugins": []}
    from .registry_index import IndexLocation, parse_index

    try:
        with open(index_path, encoding="utf-8") as fh:
            document = json.load(fh)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot update the plugin index {index_path}: {exc}") from None
    parse_index(document, IndexLocation(index_path, "--index"))  # refuse a broken index
    return document


def _install_location(wheel: str, index_path: str, install_base: str | None) -> str:
    """Where ``zr plugin install`` gets the wheel: ``install_base`` + its
    file name, else its path relative to the index (``./wheels/x.whl``),
    which resolves against the index's own URL when it is served."""
    name = os.path.basename(wheel)
    if install_base:
        return install_base.rstrip("/") + "/" + name
    relative = os.path.relpath(os.path.abspath(wheel),
                               os.path.dirname(os.path.abspath(index_path)))
    return relative if relative.startswith("../") else "./" + relative


def entry_from_wheel(wheel: str, install: str) -> dict:
    """The index entry a wheel describes."""
    try:
        archive = zipfile.ZipFile(wheel)
    except (OSError, zipfile.BadZipFile) as exc:
        raise UsageError(f"{wheel} is not a wheel ({exc}); build one with "
                         "`python -m build --wheel`") from None
    with archive:
        names = archive.namelist()
        dist_info = next((n.split("/", 1)[0] for n in names
                          if n.count("/") == 1 and n.endswith(".dist-info/METADATA")), None)
        if dist_info is None:
            raise UsageError(f"{wheel} has no .dist-info/METADATA: it is not a wheel")
        metadata = _parse_metadata(archive.read(f"{dist_info}/METADATA").decode("utf-8"))
        modules = _zr_entry_points(archive, dist_info)
        if not modules:
            raise UsageError(f"{wheel} registers no entry point in the group 'zr', so it is "
                             "not a zr plugin (add [project.entry-points.zr] to its "
                             "pyproject.toml)")
        hooks = sorted({hook for module in modules for hook in _module_hooks(archive, module)})
    entry = {"name": metadata["name"], "version": metadata["version"],
             "summary": metadata["summary"], "install": install, "hooks": hooks}
    if metadata["homepage"]:
        entry["homepage"] = metadata["homepage"]
    if metadata["requires_zr"] is not None:
        entry["requires_zr"] = metadata["requires_zr"]
    return entry


def _parse_metadata(text: str) -> dict:
    from email.parser import HeaderParser

    from packaging.requirements import InvalidRequirement, Requirement

    from .installed import specifier_text

    message = HeaderParser().parsestr(text)
    requires_zr = None
    for line in message.get_all("Requires-Dist") or ():
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if normalize(requirement.name) == "zr-core" and not (
                requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            requires_zr = specifier_text(requirement.specifier)
    homepage = message.get("Home-page") or ""
    for entry in message.get_all("Project-URL") or ():
        label, _, url = entry.partition(",")
        if not homepage and label.strip().lower() in ("homepage", "home", "source"):
            homepage = url.strip()
    return {"name": message["Name"], "version": message["Version"],
            "summary": message.get("Summary") or "", "homepage": homepage,
            "requires_zr": requires_zr}


def _zr_entry_points(archive, dist_info: str) -> list:
    """The modules of the wheel's ``zr`` entry points (``module:attr`` keeps
    the module)."""
    import configparser

    try:
        text = archive.read(f"{dist_info}/entry_points.txt").decode("utf-8")
    except KeyError:
        return []
    parser = configparser.ConfigParser(delimiters=("=",), interpolation=None)
    parser.optionxform = str
    parser.read_string(text)
    if not parser.has_section("zr"):
        return []
    return [value.split(":", 1)[0].strip() for _, value in parser.items("zr")]


def _module_hooks(archive, module: str) -> list:
    """Hook names a module implements, from its source (never imported)."""
    import ast

    base = module.replace(".", "/")
    for candidate in (f"{base}.py", f"{base}/__init__.py"):
        try:
            source = archive.read(candidate).decode("utf-8")
            break
        except KeyError:
            continue
    else:
        return []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    hooks = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("zr_") \
                and any(_is_hookimpl(d) for d in node.decorator_list):
            hooks.append(_specname(node) or node.name)
    return hooks


def _is_hookimpl(decorator) -> bool:
    import ast

    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name == "hookimpl"


def _specname(node) -> str | None:
    """``@hookimpl(specname="zr_x")`` implements ``zr_x`` under another name."""
    import ast

    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call) and _is_hookimpl(decorator):
            for keyword in decorator.keywords:
                if keyword.arg == "specname" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
    return None
