"""The table of functions an expression may call, filled by plugins.

Every function, the built-in ``file.exists`` as much as a third party's
``git.branch``, arrives through the ``zr_expr_functions(register)`` hook;
:func:`zr_plugin_expr.integration.collect_functions` calls that hook with
:meth:`FunctionRegistry.register`.
A function is called as ``func(ctx, *args)`` with the
:class:`~zr_plugin_expr.context.EvalContext` and the evaluated arguments.
"""

from __future__ import annotations

from zr.errors import PluginError

# Names the language itself defines; no function may take them over.
RESERVED_ROOTS = frozenset({"platform", "arch", "env", "tasks", "stages", "true", "false"})


class Function:
    """``arity`` is ``(least, most)`` arguments (``most`` None: no limit),
    checked by ``zr validate`` before anything runs."""

    __slots__ = ("name", "func", "help", "owner", "arity")

    def __init__(self, name: str, func, help: str, owner: str, arity=(0, None)):
        self.name = name
        self.func = func
        self.help = help
        self.owner = owner
        self.arity = arity

    def arity_problem(self, count: int) -> str | None:
        """Why ``count`` arguments are wrong for this function, or None."""
        least, most = self.arity
        if least <= count and (most is None or count <= most):
            return None
        if least == most:
            wanted = f"{least} argument{'s' if least != 1 else ''}"
        elif most is None:
            wanted = f"at least {least} argument{'s' if least != 1 else ''}"
        else:
            wanted = f"{least} to {most} arguments"
        return f"{self.name}() takes {wanted}, got {count}"


def _arity(func, declared):
    """``(least, most)`` from ``declared`` (an int or a pair) or, failing
    that, from ``func``'s signature after the context argument."""
    if isinstance(declared, int):
        return declared, declared
    if declared is not None:
        return tuple(declared)
    import inspect

    try:
        params = list(inspect.signature(func).parameters.values())[1:]
    except (TypeError, ValueError):
        return 0, None
    least = most = 0
    for param in params:
        if param.kind is param.VAR_POSITIONAL:
            return least, None
        if param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            most += 1
            if param.default is param.empty:
                least += 1
    return least, most


class FunctionRegistry:
    """Functions by dotted name (``file.exists``), with their help text.

    ``owner`` names the plugin currently registering (zr's plugin host sets
    it around each plugin's call), so that a clash can name both plugins.
    """

    def __init__(self):
        self._functions: dict = {}
        self.owner = "?"

    def register(self, name: str, func, help: str = "", arity=None) -> None:
        """Add ``func`` as ``name``; a bad or duplicate name is a plugin error.

        ``arity`` (an int, or ``(least, most)`` with ``most`` None for no
        limit) lets ``zr validate`` refuse a call with the wrong number of
        arguments; without it, it is read from ``func``'s signature (a
        ``*args`` function takes any number)."""
        parts = name.split(".") if isinstance(name, str) else [""]
        if not all(part.isidentifier() and part.isascii() for part in parts):
            raise PluginError(f"plugin '{self.owner}': expression function name {name!r}"
                              " is not a dotted name like 'git.branch'")
        if parts[0] in RESERVED_ROOTS:
            raise PluginError(f"plugin '{self.owner}': expression function {name!r} would"
                              f" hide the built-in name '{parts[0]}'; choose another prefix")
        if not callable(func):
            raise PluginError(f"plugin '{self.owner}': expression function {name!r} is not"
                              " callable")
        existing = self._functions.get(name)
        if existing is not None:
            raise PluginError(f"plugins '{existing.owner}' and '{self.owner}' both define the"
                              f" expression function {name!r}; uninstall one of them")
        self._functions[name] = Function(name, func, help, self.owner, _arity(func, arity))

    def get(self, name: str):
        """The :class:`Function` called ``name``, or None."""
        return self._functions.get(name)

    def names(self) -> list:
        return sorted(self._functions)

    def __contains__(self, name: str) -> bool:
        return name in self._functions

    def __iter__(self):
        return iter(self._functions[name] for name in self.names())


_builtin_registry = None


def builtin_functions() -> FunctionRegistry:
    """This plugin's own functions, for use without a plugin manager."""
    global _builtin_registry
    if _builtin_registry is None:
        from .builtins import register_builtins

        registry = FunctionRegistry()
        registry.owner = "expr"
        register_builtins(registry.register)
        _builtin_registry = registry
    return _builtin_registry
