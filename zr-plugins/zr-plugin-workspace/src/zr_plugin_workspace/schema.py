"""The parts of ``zr.toml`` this plugin owns, as kernel value kinds.

At the root: ``[workspace]`` and ``[[constraints]]``; in a member:
``[metadata]``; on a root task: ``inherit = true`` (the task is a template
every member gets).
"""

from __future__ import annotations

from zr.api import BOOL, STRING, STRING_ARRAY, STRING_LIST, array_of, one_of, table

WORKSPACE = table("workspace", {
    "members": STRING_ARRAY,
    "exclude": STRING_ARRAY,
    "ignore": STRING_ARRAY,
    "default_branch": STRING,
    "infer_dependencies": BOOL,
}, describe="table { members = [globs], exclude, ignore, default_branch, "
             "infer_dependencies }")

METADATA = table("metadata", {
    "name": STRING,
    "tags": STRING_ARRAY,
    "dependencies": STRING_ARRAY,
    "description": STRING,
}, describe="table { name, tags = [...], dependencies = [...], description }")

RULES = ("tag-based", "banned-dependency", "no-circular")

CONSTRAINT = table("constraint", {
    "rule": one_of(*RULES),
    "from": STRING,
    "to": STRING_LIST,
    "allow": BOOL,
    "description": STRING,
}, required=("rule",), describe="table { rule, from, to, allow, description }")

CONSTRAINTS = array_of("constraints", CONSTRAINT,
                       describe="array of tables [[constraints]] { rule, from, to, allow }")

WORKSPACE_HELP = ("A monorepo: members = [\"packages/*\"] (globs of directories, each with "
                  "its own zr.toml), exclude = [...], ignore = [globs of files outside every "
                  "member whose change affects nothing], default_branch for --affected auto, "
                  "infer_dependencies = true to read package.json/pyproject.toml. See "
                  "docs/workspace.md.")
METADATA_HELP = ("This workspace member: name (default: its directory's name), tags, "
                 "dependencies on other members.")
CONSTRAINTS_HELP = ("Rules `zr lint` checks between members: rule = \"tag-based\" | "
                    "\"banned-dependency\" | \"no-circular\", from and to (a member name or "
                    "tag:NAME), allow = false (forbidden) or true (only these allowed).")
INHERIT_HELP = ("In a workspace root: this task is a template every member gets (running in "
                "the member's directory) unless the member defines a task of that name; at "
                "the root its name runs it in every member.")
