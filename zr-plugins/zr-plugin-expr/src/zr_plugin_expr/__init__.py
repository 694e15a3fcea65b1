"""zr's condition expression language, and the plugin that wires it into zr.

Public API for other plugins (imported lazily, so that loading the plugin
module costs nothing until a condition is really evaluated)::

    from zr_plugin_expr import EvalContext, compile, evaluate, is_true

    expression = compile("stages['test'].success && env.DEPLOY == 'yes'")
    if expression.is_true(EvalContext(stages=outcomes, functions=functions)):
        ...

``collect_functions(pluginmanager)`` gives every function the installed
plugins register (``zr_expr_functions``); ``functions_for(config)`` caches
that per configuration. Errors: ``ExprError`` and its subclasses
``ExprSyntaxError``, ``ExprNameError``, ``ExprEvalError`` (all ``ZrError``).
See ``docs/expressions.md`` for the language.
"""

_EXPORTS = {
    "Expression": "expression", "compile": "expression", "evaluate": "expression",
    "is_true": "expression",
    "EvalContext": "context",
    "FunctionRegistry": "functions", "builtin_functions": "functions",
    "collect_functions": "integration", "functions_for": "integration",
    "context_for_task": "integration",
    "ExprError": "errors", "ExprSyntaxError": "errors", "ExprNameError": "errors",
    "ExprEvalError": "errors",
    "truthy": "values", "compare": "values",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'zr_plugin_expr' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, name)
