"""zr's workflows: ``[workflows.release]`` with ``[[workflows.release.stages]]``
run in order by ``zr workflow release``; each stage's tasks run through the
kernel's scheduler, in parallel or one after another, and a stage may be
skipped by a condition on earlier stages (``stages['test'].success``).

:mod:`.section` checks the table; :mod:`.checks` the references in it;
:mod:`.conditions` evaluates stage conditions with zr-plugin-expr;
:mod:`.execute` runs the stages; :mod:`.summary` reports them;
:mod:`.command` is ``zr workflow``. See ``docs/workflows.md``.
"""
