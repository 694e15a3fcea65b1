"""zr: a universal, language-agnostic task runner (the kernel).

Public names for plugin authors: :data:`hookimpl` (decorate hook
implementations), the model types in :mod:`zr.model`, the errors in
:mod:`zr.errors`. Importing ``zr`` is cheap: pluggy is imported only when
``hookimpl`` is first used.
"""

__version__ = "0.1.0"


def __getattr__(name):
    # Lazy so that `import zr` (every CLI start) does not import pluggy.
    if name in ("hookimpl", "hookspec"):
        from . import hookspecs

        return getattr(hookspecs, name)
    raise AttributeError(f"module 'zr' has no attribute {name!r}")
