"""Every installed toolchain provider, by name and alias."""

from __future__ import annotations

from zr.api import ConfigError, did_you_mean


class ToolchainRegistry:
    """Collects providers from ``zr_toolchains``; ``owner`` is set by zr to
    the plugin being called, so a clash names both plugins."""

    def __init__(self):
        self.owner = None
        self.providers: dict = {}
        self._names: dict = {}  # name or alias -> canonical name
        self._owners: dict = {}

    def register(self, provider) -> None:
        for name in (provider.name, *provider.aliases):
            if name in self._names:
                first = self._owners[self._names[name]]
                raise ConfigError(f"toolchain '{name}' is registered by two plugins: "
                                  f"{first} and {self.owner}; remove one of them")
            self._names[name] = provider.name
        self.providers[provider.name] = provider
        self._owners[provider.name] = self.owner

    def find(self, name: str):
        """The provider called ``name`` (or an alias), or None."""
        canonical = self._names.get(name.lower())
        return self.providers.get(canonical) if canonical else None

    def get(self, name: str, *, where: str = ""):
        """The provider called ``name``; an error with a suggestion otherwise."""
        provider = self.find(name)
        if provider is None:
            raise ConfigError(f"{where}unknown toolchain '{name}'{did_you_mean(name, self._names)}; "
                              f"known toolchains: {', '.join(sorted(self.providers))}")
        return provider

    @property
    def names(self) -> list:
        """Every name and alias users may write."""
        return sorted(self._names)

    def owner_of(self, name: str) -> str:
        return self._owners.get(name) or "?"


_cache: dict = {}


def toolchains(plugins) -> ToolchainRegistry:
    """The registry for zr's plugin host ``plugins``, built once per process."""
    cached = _cache.get(id(plugins))
    if cached is None or cached[0] is not plugins:
        registry = ToolchainRegistry()
        plugins.call_each("zr_toolchains", registry, register=registry.register)
        cached = (plugins, registry)
        _cache[id(plugins)] = cached
    return cached[1]
