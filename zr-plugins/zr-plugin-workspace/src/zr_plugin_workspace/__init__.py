"""zr's monorepo workspaces: members with their own ``zr.toml``, ``member:task``
names, fan-out of a task word from the root, ``deps = ["^build"]``, task
templates members inherit, ``--filter`` and ``--affected``, the project
graph in several formats and ``[[constraints]]`` checked by ``zr lint``.

Module map: :mod:`.schema` (what ``zr.toml`` may say), :mod:`.members`
(finding members: the one place a member list comes from),
:mod:`.workspace` (loading members and their dependency graph),
:mod:`.expand` (member tasks and fan-outs), :mod:`.selection`
(``--filter``), :mod:`.affected`, :mod:`.base` (which ref) and
:mod:`.changes` (git), :mod:`.constraints` (``zr lint``), :mod:`.views`
(graph formats), :mod:`.listing` (the short ``zr list`` at the root),
:mod:`.commands` (``zr workspace``, ``zr affected``, ``zr lint``).
See ``docs/workspace.md``.
"""
