"""``hookimpl``: the decorator plugins mark their hook implementations with.

It does exactly what ``pluggy.HookimplMarker("zr")`` does (set a
``zr_impl`` dict of options on the function, which pluggy reads), without
importing pluggy: every plugin module imports this marker, and importing
pluggy would cost more than a whole trivial ``zr run``.
"""

from __future__ import annotations


def hookimpl(function=None, *, hookwrapper: bool = False, optionalhook: bool = False,
             tryfirst: bool = False, trylast: bool = False, specname: str | None = None,
             wrapper: bool = False):
    """Mark ``function`` as an implementation of the zr hook of its name.

    ``tryfirst``/``trylast`` order it among implementations; ``wrapper``
    makes it a pluggy new-style wrapper; ``specname`` implements a hook
    under another function name. Use bare (``@hookimpl``) or with options.
    """

    def mark(func):
        func.zr_impl = {
            "wrapper": wrapper, "hookwrapper": hookwrapper, "optionalhook": optionalhook,
            "tryfirst": tryfirst, "trylast": trylast, "specname": specname,
        }
        return func

    return mark(function) if function is not None else mark
