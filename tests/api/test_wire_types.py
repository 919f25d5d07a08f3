"""The action server reads the catalog API through the TypedDicts of ``common/wire.py``; here they are
held against the API's own OpenAPI document, field by field and type by type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from api.main import create_app
from api.settings import Settings
from common.wire import MIRRORS

JSON_TYPES = {
    "string": "str",
    "number": "float",
    "integer": "int",
    "boolean": "bool",
    "array": "list",
    "object": "dict",
}


def _schemas() -> dict[str, Any]:
    settings = Settings(database_url=f"sqlite:///{Path('/nonexistent') / 'unused.sqlite'}", search_enabled=False)
    return create_app(settings).openapi()["components"]["schemas"]


def _python_type(prop: dict[str, Any]) -> str:
    """The annotation a TypedDict would write for one OpenAPI property (as text, as ``__annotations__`` hold it)."""
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[1]
    variants = prop.get("anyOf") or [prop]
    kinds = [JSON_TYPES.get(v.get("type", ""), "?") for v in variants if v.get("type") != "null"]
    optional = any(v.get("type") == "null" for v in variants)
    return " | ".join(kinds) + (" | None" if optional else "")


@pytest.mark.parametrize("name", sorted(MIRRORS))
def test_wire_type_mirrors_the_api(name: str) -> None:
    schema = _schemas()[name]
    mirror = MIRRORS[name]
    fields = mirror.__annotations__
    assert set(fields) == set(schema["properties"]), f"common/wire.py {mirror.__name__} vs api/schemas.py {name}"
    assert set(schema.get("required", [])) <= set(fields)
    by_schema = {schema_name: typed.__name__ for schema_name, typed in MIRRORS.items()}
    for field, prop in schema["properties"].items():
        expected = _python_type(prop)
        for schema_name, typed_name in by_schema.items():
            expected = expected.replace(schema_name, typed_name)
        annotation = fields[field]
        written = getattr(annotation, "__forward_arg__", str(annotation)).replace(" ", "")
        if expected.startswith(("list", "dict")):  # the element types: list[Choice], dict[str, int]
            assert written.startswith(expected.split(" ")[0]), (field, written, prop)
        else:
            assert written == expected.replace(" ", ""), (field, written, expected)
