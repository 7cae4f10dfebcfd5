"""Checking a model's JSON against the schema its request asked for (the subset the app uses).

The server is asked for structured output, but a server that ignores ``response_format`` (or
a model cut short) can return anything: the reply is hostile until checked. Supports type
(object, array, string, integer, number, boolean), properties, required,
additionalProperties: false, enum, maxLength, minItems, maxItems, minimum, maximum.
The ``jsonschema`` package is a test dependency only, so this is a few lines here.
"""

from __future__ import annotations

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "number": (int, float), "integer": int}


class SchemaError(ValueError):
    pass


def check(value, schema: dict, where: str = "the reply") -> None:
    """Raise SchemaError (naming the place) if ``value`` does not conform to ``schema``."""
    kind = schema.get("type")
    if kind:
        ok = isinstance(value, _TYPES[kind]) and not (kind in ("integer", "number") and isinstance(value, bool))
        if not ok:
            raise SchemaError(f"{where} should be {'an' if kind[0] in 'aeiou' else 'a'} {kind}")
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaError(f"{where} should be one of {', '.join(map(str, schema['enum']))}")
    if isinstance(value, str) and len(value) > schema.get("maxLength", len(value)):
        raise SchemaError(f"{where} is longer than {schema['maxLength']} characters")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < schema.get("minimum", value) or value > schema.get("maximum", value):
            raise SchemaError(f"{where} is out of range")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            raise SchemaError(f"{where} has {len(value)} items")
        for i, item in enumerate(value):
            check(item, schema.get("items", {}), f"{where}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                raise SchemaError(f"{where} lacks {key!r}")
        if schema.get("additionalProperties") is False:
            extra = sorted(set(value) - set(props))
            if extra:
                raise SchemaError(f"{where} has an unexpected {extra[0]!r}")
        for key, sub in props.items():
            if key in value:
                check(value[key], sub, f"{where}.{key}")
