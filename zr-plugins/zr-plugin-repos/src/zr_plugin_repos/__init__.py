"""zr-plugin-repos: many git repositories driven by one ``zr-repos.toml``.

``zr repo sync|status|graph|run``; see docs/repos.md. The entry point is
:mod:`.plugin`, which stays thin so that loading the plugin costs nothing.
"""
