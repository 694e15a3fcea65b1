"""The hook the expr plugin adds (through ``zr_addhooks``): functions for
the condition language. Declared here, not in the kernel, because only
this plugin calls it; plugins that offer functions without depending on
this one (git, history) mark their implementation
``@hookimpl(optionalhook=True)``.
"""

from __future__ import annotations

from typing import Callable

from zr.api import hookspec


@hookspec
def zr_expr_functions(register: Callable) -> None:
    """Add names and functions to the condition expression language.

    ``register(name, func, help=...)``: ``name`` is dotted (``git.branch``);
    ``func(ctx, *args)`` receives an evaluation context and literal
    arguments and returns a str, number or bool. A function may raise
    ``zr.api.ZrError`` with a message for the user. Return value ignored.
    """
