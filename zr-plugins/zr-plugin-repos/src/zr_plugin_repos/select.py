"""Choosing repos: ``--repos a,b`` and ``--tags x,y``, and ``--affected [REF]``."""

from __future__ import annotations

from zr.api import UsageError, did_you_mean

from .git import git, is_checkout, resolves
from .graph import dependents_closure


def split_words(values) -> list:
    """``("a,b", "c")`` -> ``["a", "b", "c"]``: options take commas or repeats."""
    return [word.strip() for value in values or () for word in value.split(",") if word.strip()]


def select(manifest, repos=(), tags=()) -> list:
    """Names of the repos to act on, in the manifest's order. With both
    options a repo must be named and carry one of the tags."""
    names = split_words(repos)
    for name in names:
        if name not in manifest.repos:
            raise UsageError(f"--repos: no repo '{name}' in {manifest.display_path}"
                             f"{did_you_mean(name, manifest.repos)}")
    wanted_tags = set(split_words(tags))
    chosen = []
    for name, repo in manifest.repos.items():
        if names and name not in names:
            continue
        if wanted_tags and not wanted_tags.intersection(repo.tags):
            continue
        chosen.append(name)
    if not chosen:
        given = " and ".join(option for option, value in
                             (("--repos", names), ("--tags", wanted_tags)) if value)
        raise UsageError(f"no repo in {manifest.display_path} matches {given or 'the selection'}")
    return chosen


def changed_since(directory: str, ref: str) -> bool:
    """True when the checkout changed since it forked from ``ref`` (their
    merge-base, as the workspace plugin's --affected): commits, edits and
    new files count; commits only ``ref`` has do not."""
    base = git(["merge-base", ref, "HEAD"], cwd=directory, check=False).strip() or ref
    if git(["diff", "--name-only", base, "--"], cwd=directory).strip():
        return True
    return bool(git(["ls-files", "--others", "--exclude-standard"], cwd=directory).strip())


def affected(manifest, names: list, given: str) -> tuple:
    """Repos among ``names`` changed since their base in their own history,
    plus every repo depending on one of those, and what the base was.

    ``given`` is ``--affected``'s value. Which ref it means is the workspace
    plugin's answer (:mod:`zr_plugin_workspace.base`), asked once per repo
    as ``zr run --affected`` asks once per repository: REF, else
    ``ZR_AFFECTED_BASE``, else in CI each repo's own default branch, else a
    usage error naming both ways. Returns ``(affected names, {name: ref})``.
    A checkout without its ref is a usage error saying what to fetch."""
    from zr.api import ZrError
    from zr_plugin_workspace.base import requested_ref, resolve_ref, shown

    requested = requested_ref(given)  # the usage error comes before any git
    changed, refs = set(), {}
    for name in names:
        repo = manifest.repos[name]
        if not is_checkout(repo.directory):
            continue  # reported as "not cloned" by the run
        try:
            ref = resolve_ref(requested, repo.directory)
        except ZrError as exc:
            raise UsageError(f"repo '{name}': {exc}") from None
        if not resolves(repo.directory, ref):
            raise UsageError(f"{shown(given)}: repo '{name}' has no commit '{ref}'; fetch it "
                             f"(git -C {repo.path} fetch origin {ref}) or use a REF every repo "
                             "has")
        refs[name] = ref
        if changed_since(repo.directory, ref):
            changed.add(name)
    graph = {n: list(r.deps) for n, r in manifest.repos.items()}
    return dependents_closure(graph, changed) & set(names), refs
