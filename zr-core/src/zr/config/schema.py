"""A JSON Schema of ``zr.toml`` built from the registered claims, for
editors (Taplo, VS Code Even Better TOML) and ``zr validate --schema``."""

from __future__ import annotations

from .registry import Kind
from .validate import Fields, TableOf

_PRIMITIVES = {str: {"type": "string"}, int: {"type": "integer"}, float: {"type": "number"},
               bool: {"type": "boolean"}}


def type_schema(type_) -> dict:
    if isinstance(type_, Kind):
        return dict(type_.schema)
    if type_ in _PRIMITIVES:
        return dict(_PRIMITIVES[type_])
    import typing

    origin = typing.get_origin(type_)
    args = typing.get_args(type_)
    if origin in (list, tuple, set, frozenset):
        return {"type": "array", "items": type_schema(args[0]) if args else {}}
    if origin is dict:
        return {"type": "object",
                "additionalProperties": type_schema(args[1]) if len(args) > 1 else {}}
    if origin is typing.Union or str(origin) == "types.UnionType":
        return {"anyOf": [type_schema(a) for a in args if a is not type(None)]}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if hasattr(type_, "__attrs_attrs__"):
        import attrs

        props, required = {}, []
        for field in attrs.fields(type_):
            props[field.name] = type_schema(field.type) if field.type is not None else {}
            if field.default is attrs.NOTHING:
                required.append(field.name)
        schema = {"type": "object", "additionalProperties": False, "properties": props}
        if required:
            schema["required"] = required
        return schema
    return {}


def _fields_schema(specs: dict) -> dict:
    props = {}
    for name, spec in sorted(specs.items()):
        prop = type_schema(spec.type)
        if spec.help:
            prop["description"] = spec.help
        props[name] = prop
    return {"type": "object", "additionalProperties": False, "properties": props}


def json_schema(registry) -> dict:
    props = {}
    for name, spec in sorted(registry.sections.items()):
        if hasattr(spec.type, "json_schema"):  # a composite type describes itself
            prop = spec.type.json_schema(registry)
        elif isinstance(spec.type, Fields):
            prop = _fields_schema(getattr(registry, spec.type.specs_attr))
        elif isinstance(spec.type, TableOf):
            prop = {"type": "object", "additionalProperties":
                    _fields_schema(getattr(registry, spec.type.specs_attr))}
        else:
            prop = type_schema(spec.type)
        if spec.help:
            prop["description"] = spec.help
        props[name] = prop
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "zr.toml",
            "type": "object", "additionalProperties": False, "properties": props}
