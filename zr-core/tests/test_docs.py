"""The documentation keeps up with the code.

Every hook has a section in docs/hooks.md and is named by at least one test;
every key of ``zr.toml`` the kernel claims and every core command-line option
has an entry in docs/zr-toml.md; every relative link in docs/ and the README
points at a file (and heading) that exists. Adding a hook, a field, a setting
or an option without documenting it fails here, naming what is missing.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from zr import builtin, hookspecs
from zr.config.registry import ConfigRegistry
from zr.options import CORE_OPTIONS, OptionSpec

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
HOOKS_MD = DOCS / "hooks.md"
ZR_TOML_MD = DOCS / "zr-toml.md"
# Directories never searched for tests: environments, builds, vendored code.
SKIPPED_DIRS = {"node_modules", "build", "dist", "site-packages", "__pycache__"}


# -- reading markdown ------------------------------------------------------


def strip_code_blocks(text: str) -> str:
    """The text without fenced code blocks (their ``#`` lines are not headings
    and their ``[x](y)`` are not links)."""
    out, fence = [], None
    for line in text.splitlines():
        marker = re.match(r"\s*(```+|~~~+)", line)
        if marker and (fence is None or marker.group(1)[0] == fence[0]
                       and len(marker.group(1)) >= len(fence)):
            fence = marker.group(1) if fence is None else None
            out.append("")
            continue
        out.append("" if fence else line)
    return "\n".join(out)


def headings(text: str) -> list:
    """``(level, text)`` of every ATX heading outside code blocks."""
    return [(len(m.group(1)), m.group(2).strip())
            for m in re.finditer(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", strip_code_blocks(text),
                                 re.MULTILINE)]


def section(text: str, title: str) -> str:
    """The body of the level-2 section ``## title``, up to the next one."""
    body, inside, seen = [], False, False
    for line in strip_code_blocks(text).splitlines():
        if line.startswith("## "):
            inside = line[3:].strip() == title
            seen = seen or inside
            continue
        if inside:
            body.append(line)
    assert seen, f"the section '## {title}' is missing"
    return "\n".join(body)


def code_spans_in_headings(text: str, level: int) -> set:
    """The first code span of each heading of ``level``: ``### `cmd` `` -> ``cmd``."""
    found = set()
    for depth, title in headings(text):
        span = re.match(r"`([^`]+)`", title)
        if depth == level and span:
            found.add(span.group(1))
    return found


def slug(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped,
    spaces to hyphens (``Task fields`` -> ``task-fields``)."""
    title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)  # a link shows its text
    kept = "".join(ch for ch in title.lower() if ch in " -" or ch == "_"
                   or unicodedata.category(ch)[0] in "LMN")
    return kept.replace(" ", "-")


def anchors(text: str) -> set:
    """Every heading anchor of a page, with GitHub's -1, -2 for repeats."""
    found, counts = set(), {}
    for _, title in headings(text):
        base = slug(title)
        repeat = counts.get(base, 0)
        counts[base] = repeat + 1
        found.add(base if repeat == 0 else f"{base}-{repeat}")
    return found


def links(text: str) -> list:
    """Targets of inline links ``[x](target)`` and reference definitions
    ``[x]: target``, outside code blocks and code spans."""
    text = re.sub(r"`[^`\n]*`", "", strip_code_blocks(text))
    inline = re.findall(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", text)
    defined = re.findall(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", text, re.MULTILINE)
    return inline + defined


def broken_links(page: Path) -> list:
    """``"target (why)"`` for each relative link of ``page`` that leads nowhere."""
    problems = []
    for target in links(page.read_text()):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # http:, mailto:
            continue
        path_part, _, fragment = target.partition("#")
        dest = (page.parent / path_part).resolve() if path_part else page
        if not dest.exists():
            problems.append(f"{target} (no such file)")
        elif fragment and dest.suffix == ".md" and fragment not in anchors(dest.read_text()):
            problems.append(f"{target} (no heading with anchor #{fragment})")
    return problems


# -- what the code declares ------------------------------------------------


def hook_names(module=hookspecs) -> list:
    return sorted(name for name, obj in vars(module).items()
                  if name.startswith("zr_") and hasattr(obj, "zr_spec"))


def core_registry() -> ConfigRegistry:
    registry = ConfigRegistry()
    registry.owner = "core"
    builtin.zr_config_sections(registry=registry)
    return registry


def files_under_tests() -> list:
    """Every ``tests/**/*.py`` of the repository except this file."""
    found = []
    for root, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS]
        if "tests" not in Path(root).relative_to(REPO).parts:
            continue
        found += [Path(root) / f for f in files if f.endswith(".py")]
    return [f for f in found if f.resolve() != Path(__file__).resolve()]


# -- the checks, as functions that name what is missing --------------------


def undocumented_hooks(names, hooks_text: str) -> list:
    documented = code_spans_in_headings(hooks_text, 3)
    return [name for name in names if name not in documented]


def hook_section(hooks_text: str, name: str) -> str:
    """The body of the ``### `name` `` section, up to the next heading."""
    match = re.search(rf"^### `{name}`\n(.*?)(?=^##)", hooks_text + "\n##", re.S | re.M)
    return match.group(1) if match else ""


def signature_mismatches(specs: dict, hooks_text: str) -> list:
    """``"name: why"`` for each hook whose section does not show its call as
    the spec declares it (``zr_x(a, b)  # firstresult``) or does not say
    what it returns."""
    problems = []
    for name, spec in sorted(specs.items()):
        body = hook_section(hooks_text, name)
        call = re.search(rf"^{name}\(([^)]*)\)[^#\n]*(#\s*([a-z, ]+))?", body, re.M)
        if call is None:
            problems.append(f"{name}: no `{name}(...)` line")
            continue
        args = [a.strip() for a in call.group(1).split(",") if a.strip()]
        if args != spec["args"]:
            problems.append(f"{name}: documented ({', '.join(args)}), "
                            f"declared ({', '.join(spec['args'])})")
        kinds = {k.strip() for k in (call.group(3) or "").split(",") if k.strip()}
        wanted = {k for k in ("firstresult", "historic", "observer") if spec[k]}
        if kinds != wanted:
            problems.append(f"{name}: documented as {sorted(kinds)}, declared {sorted(wanted)}")
        if "**Returns**" not in body:
            problems.append(f"{name}: no **Returns**")
    return problems


def untested_hooks(names, sources) -> list:
    return [name for name in names
            if not any(re.search(rf"\b{name}\b", source) for source in sources)]


def undocumented_config(registry, reference: str) -> list:
    """``section [x]``, ``task field x`` or ``setting x`` for each claim that
    has no ``### `...` `` heading in its part of docs/zr-toml.md."""
    wanted = (
        ("Top-level tables", registry.sections, "section", lambda n: {n, f"[{n}]", f"[{n}.NAME]"}),
        ("Task fields", registry.task_fields, "task field", lambda n: {n}),
        ("Settings", registry.settings, "setting", lambda n: {n}),
    )
    missing = []
    for title, claims, what, spellings in wanted:
        documented = code_spans_in_headings(section(reference, title), 3)
        missing += [f"{what} {name}" for name in sorted(claims)
                    if not spellings(name) & documented]
    return missing


def undocumented_options(specs, reference: str) -> list:
    """Each flag of ``specs`` that is not written in code in the
    "Command-line options" section (``-j N``, ``--jobs N``, ``--no-deps``)."""
    body = section(reference, "Command-line options")
    spans = re.findall(r"`([^`]+)`", body)
    written = {span.split()[0].split("=")[0] for span in spans if span.startswith("-")}
    return [flag for spec in specs for flag in spec.flags if flag not in written]


# -- the tests -------------------------------------------------------------


def test_every_hook_has_a_section_in_hooks_md():
    assert hook_names(), "no hookspecs found: the test would check nothing"
    assert undocumented_hooks(hook_names(), HOOKS_MD.read_text()) == []


def test_every_hook_section_shows_its_parameters_kind_and_return():
    from zr.plugins import kernel_specs

    assert signature_mismatches(kernel_specs(), HOOKS_MD.read_text()) == []


def test_every_hook_is_named_by_a_test():
    sources = [path.read_text(errors="replace") for path in files_under_tests()]
    assert untested_hooks(hook_names(), sources) == []


def test_every_core_section_field_and_setting_is_in_the_reference():
    registry = core_registry()
    assert registry.sections and registry.task_fields and registry.settings
    assert undocumented_config(registry, ZR_TOML_MD.read_text()) == []


def test_every_core_option_is_in_the_reference():
    assert undocumented_options(CORE_OPTIONS, ZR_TOML_MD.read_text()) == []


def test_every_relative_link_resolves():
    pages = sorted(DOCS.glob("*.md")) + [REPO / "README.md"]
    problems = [f"{page.relative_to(REPO)}: {problem}"
                for page in pages for problem in broken_links(page)]
    assert problems == []


# -- the checks catch what they are for -------------------------------------


def test_checks_name_an_undocumented_hook_field_setting_and_option():
    """A new hook, field, setting or option is reported until documented."""
    assert undocumented_hooks(["zr_new_hook"], HOOKS_MD.read_text()) == ["zr_new_hook"]
    assert untested_hooks(["zr_new_hook"], ["zr_new_hooks = 1"]) == ["zr_new_hook"]
    spec = {"zr_new_hook": {"args": ["task", "run"], "firstresult": True, "historic": False,
                            "observer": False}}
    text = "### `zr_new_hook`\n```python\nzr_new_hook(task)\n```\n"
    assert signature_mismatches(spec, text) == [
        "zr_new_hook: documented (task), declared (task, run)",
        "zr_new_hook: documented as [], declared ['firstresult']",
        "zr_new_hook: no **Returns**"]
    registry = core_registry()
    registry.task_field("new_field", str)
    registry.setting("new_setting", str)
    registry.section("new_section", str)
    assert undocumented_config(registry, ZR_TOML_MD.read_text()) == [
        "section new_section", "task field new_field", "setting new_setting"]
    new_option = OptionSpec("new", ["-N", "--new-option"])
    assert undocumented_options([new_option], ZR_TOML_MD.read_text()) == [
        "-N", "--new-option"]


def test_link_check_reports_missing_files_and_anchors(tmp_path):
    (tmp_path / "other.md").write_text("# Other page\n\n## Task fields\n")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n[ok](other.md) [ok](other.md#task-fields) [ok](#page)\n"
        "[web](https://example.com/x.md) [gone](missing.md) [bad](other.md#nope)\n"
        "```\n[in code](not-checked.md)\n```\n[ref]: also-missing.md\n")
    assert broken_links(page) == ["missing.md (no such file)",
                                  "other.md#nope (no heading with anchor #nope)",
                                  "also-missing.md (no such file)"]


def test_anchor_slugs_follow_github():
    text = ("# `[tasks.NAME]`\n## Task fields\n## Task fields\n"
            "### `retry` (count or table)\n## See [hooks](hooks.md)\n")
    assert anchors(text) == {"tasksname", "task-fields", "task-fields-1",
                             "retry-count-or-table", "see-hooks"}
