"""zr-plugin-toolchains: the tools tasks need, installed, verified and pinned.

A task (or the whole project) names the toolchains it runs with
(``toolchain = ["node@20"]``, ``[tools] go = "1.22"``); zr resolves each
version against the toolchain's official index, downloads and verifies the
archive, unpacks it under zr's data dir and puts its bin dirs and env vars
straight into the task's environment: no shims. Providers (one per
toolchain) are registered through the ``zr_toolchains`` hook this plugin
declares (:mod:`.hookspecs`), so other plugins add toolchains the same way.
"""
