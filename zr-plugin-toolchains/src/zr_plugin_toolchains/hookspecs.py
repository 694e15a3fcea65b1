"""The hook this plugin adds for others: ``zr_toolchains``.

Added to zr's plugin manager through ``zr_addhooks`` (as pytest-xdist adds
its hooks), so a third-party plugin implements it exactly as it implements
a kernel hook.
"""

from __future__ import annotations

from zr.api import hookspec


class ToolchainSpecs:
    @hookspec
    def zr_toolchains(register):
        """Register toolchain providers.

        Called when a project names toolchains (``[tools]``, a task's
        ``toolchain``, ``--tool``, ``.tool-versions``) and by ``zr tools``.
        ``register(provider)`` takes an instance of a subclass of
        :class:`zr_plugin_toolchains.provider.Toolchain`: its ``name`` is what
        users write (``node@20``), its data and methods say where the index
        and archives are, how they are verified and laid out. Registering a
        name (or alias) another plugin registered is an error naming both.
        Return value ignored.
        """
