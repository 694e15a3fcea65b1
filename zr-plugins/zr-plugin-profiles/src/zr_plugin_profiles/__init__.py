"""zr's profiles: ``[profiles.ci]`` tables that override ``[env]``,
``[settings]`` and task fields when ``--profile ci`` (or ``ZR_PROFILE=ci``)
is given. Several profiles stack in the order given; the later one wins.

:mod:`.section` checks ``[profiles]`` with the kernel's own validation;
:mod:`.apply` applies the chosen profiles. See ``docs/profiles.md``.
"""
