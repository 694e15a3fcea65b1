"""zr: a universal, language-agnostic task runner (the kernel).

Public names for plugin authors: :data:`hookimpl` (decorate hook
implementations), the model types in :mod:`zr.model`, the errors in
:mod:`zr.errors`. Importing ``zr`` is cheap: it does not import pluggy.
"""

__version__ = "0.1.0"


from .markers import hookimpl  # noqa: E402,F401  (cheap: does not import pluggy)


def __getattr__(name):
    # Lazy so that `import zr` (every CLI start) does not import pluggy.
    if name == "hookspec":
        from . import hookspecs

        return hookspecs.hookspec
    raise AttributeError(f"module 'zr' has no attribute {name!r}")
