"""The one error a WASM plugin can cause: it names the plugin and the hook."""

from __future__ import annotations

from zr.errors import ZrError


class WasmPluginError(ZrError):
    """A WASM plugin failed: could not load, trapped, ran out of time, fuel or
    memory, made a host call it may not, or answered with something that is
    not the JSON its hook expects."""

    def __init__(self, plugin: str, hook: str | None, reason: str):
        where = f"wasm plugin '{plugin}'" + (f" ({hook})" if hook else "")
        super().__init__(f"{where}: {reason}")
        self.plugin = plugin
        self.hook = hook
        self.reason = reason
