"""zr's matrix tasks: ``matrix = { py = ["3.11", "3.12"], os = ["linux", "mac"] }``
turns one task into one task per combination of values (a *cell*), named
``test[py=3.11,os=linux]``, plus a task ``test`` that depends on every cell.

:mod:`.field` checks the ``matrix`` value when ``zr.toml`` is validated;
:mod:`.cells` computes the combinations; :mod:`.expand` builds the tasks.
See ``docs/matrix.md``.
"""
