"""``zr plugin create NAME``: a ready-to-publish plugin distribution.

The result installs, loads and passes its own tests as generated: a
pyproject with the entry point, a plugin module with one sample hook
(``zr_task_env``) and one sample command, tests with ``zr.testing``, a
README. ``--hook`` adds a stub per named hook, with the signature and
documentation copied from :mod:`zr.hookspecs`, the contract itself.
"""

from __future__ import annotations

import os
import re

from zr.errors import UsageError

from .names import PREFIX

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "template")
SAMPLE_HOOKS = ("zr_task_env", "zr_cli_commands")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

# (template, path inside the new distribution)
_FILES = (
    ("pyproject.toml.tmpl", "pyproject.toml"),
    ("README.md.tmpl", "README.md"),
    ("__init__.py.tmpl", "src/{module}/__init__.py"),
    ("plugin.py.tmpl", "src/{module}/plugin.py"),
    ("commands.py.tmpl", "src/{module}/commands.py"),
    ("test_plugin.py.tmpl", "tests/test_{func}.py"),
    ("ci.yml.tmpl", ".github/workflows/tests.yml"),
    ("publish.yml.tmpl", ".github/workflows/publish.yml"),
)


def plugin_name(given: str) -> str:
    name = given.strip().lower()
    if name.startswith(PREFIX):
        name = name[len(PREFIX):]
    if not _NAME.match(name):
        raise UsageError(f"'{given}' is not a usable plugin name: use lowercase letters, "
                         "digits and single dashes, starting with a letter (e.g. 'deploy' "
                         "or 'my-cloud')")
    return name


def zr_core_range(version: str) -> str:
    """The range of zr-core releases compatible with ``version`` (semver:
    0.x minor releases may break, later majors do)."""
    parts = [int(p) for p in re.findall(r"\d+", version)[:2]] + [0, 0]
    major, minor = parts[0], parts[1]
    if major == 0:
        return f">=0.{minor},<0.{minor + 1}"
    return f">={major}.{minor},<{major + 1}"


def create(given: str, parent: str, hooks: list) -> str:
    """Write ``zr-plugin-NAME/`` under ``parent``; its path."""
    from zr import __version__

    name = plugin_name(given)
    stubs = hook_stubs([h for h in dict.fromkeys(hooks) if h not in SAMPLE_HOOKS])
    root = os.path.join(parent, PREFIX + name)
    if os.path.exists(root):
        raise UsageError(f"{root} already exists; choose another name or remove it first "
                         "(zr plugin create never overwrites)")
    func = name.replace("-", "_")
    tokens = {"__DIST__": PREFIX + name, "__NAME__": name, "__MODULE__": f"zr_plugin_{func}",
              "__FUNC__": func, "__VAR__": f"{func.upper()}_GREETING",
              "__ZR_RANGE__": zr_core_range(__version__)}
    for template, target in _FILES:
        with open(os.path.join(TEMPLATE_DIR, template), encoding="utf-8") as fh:
            text = fh.read()
        for token, value in tokens.items():
            text = text.replace(token, value)
        if template == "plugin.py.tmpl" and stubs:
            text += "\n\n" + stubs
        path = os.path.join(root, target.format(module=tokens["__MODULE__"], func=func))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    return root


def hook_stubs(names: list) -> str:
    """Documented do-nothing implementations of the named hooks."""
    from zr.api import hookspecs

    known = sorted(n for n in dir(hookspecs) if n.startswith("zr_"))
    blocks = []
    for name in names:
        if name not in known:
            from zr.errors import did_you_mean

            raise UsageError(f"--hook {name}: no such hook{did_you_mean(name, known)}; the "
                             f"hooks are {', '.join(known)}")
        blocks.append(_stub(name, getattr(hookspecs, name)))
    return "\n\n".join(blocks)


def _stub(name: str, spec) -> str:
    import inspect

    doc = (inspect.getdoc(spec) or "").replace("\\", "\\\\").replace('"""', r'\"\"\"')
    body = "\n".join(("    " + line) if line else "" for line in doc.splitlines())
    opts = getattr(spec, "zr_spec", {}) or {}
    returns = ("return None  # None: let the next plugin (or zr) decide"
               if opts.get("firstresult") else "return None")
    signature = inspect.signature(spec)  # without the spec's type annotations
    plain = signature.replace(
        parameters=[p.replace(annotation=p.empty) for p in signature.parameters.values()],
        return_annotation=signature.empty)
    return (f"@hookimpl\ndef {name}{plain}:\n"
            f'    """Stub of ``{name}`` (documentation copied from zr.hookspecs):\n\n'
            f'{body}\n    """\n    {returns}\n')
