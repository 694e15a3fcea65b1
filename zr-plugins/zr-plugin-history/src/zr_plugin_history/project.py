"""Which project this invocation is about (the zr.toml path), set by
``zr_configure``: expression functions receive no configuration, only an
evaluation context, so they read it from here."""

current: str | None = None
