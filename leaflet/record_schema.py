"""The record's JSON Schema, with a description and a real example for every field.

Descriptions come from the models themselves (:mod:`leaflet.model`,
:mod:`leaflet.model_dosing`, :mod:`leaflet.fields`). Examples come from real
records: each field's example is the first value found for it in the example
records (the real ones in data/ and the fictional ones that exercise every
shape), so the schema never shows an example that would fail validation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from .model import DrugRecord

__all__ = ["record_schema"]


def _collect(obj: Any, found: dict[str, dict[str, Any]]) -> None:
    """Record, per model class and field, the first value seen (as JSON data)."""
    if isinstance(obj, BaseModel):
        name = type(obj).__name__
        fields = found.setdefault(name, {})
        for field in type(obj).model_fields:
            value = getattr(obj, field)
            if field not in fields and value not in (None, [], {}):
                dumped = obj.model_dump(mode="json", include={field})[field]
                fields[field] = _trim(dumped)
            _collect(value, found)
    elif isinstance(obj, list):
        for item in obj:
            _collect(item, found)
    elif isinstance(obj, dict):
        for item in obj.values():
            _collect(item, found)


def _trim(value: Any) -> Any:
    """Keep an example short: one item of a list, the fields of a mapping trimmed too."""
    if isinstance(value, list):
        return [_trim(value[0])] if value else []
    if isinstance(value, dict):
        return {k: _trim(v) for k, v in value.items() if v not in (None, [], {})}
    return value


_VALUES_EXAMPLE = {"dose": "300 mg", "days": 3, "pct": "4 %"}


def record_schema(examples: Iterable[DrugRecord]) -> dict[str, Any]:
    """The JSON Schema of a record, each property with an example from ``examples``."""
    document = DrugRecord.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "leaflet drug record"
    found: dict[str, dict[str, Any]] = {}
    for record in examples:
        _collect(record, found)
    definitions = {**document.get("$defs", {}), "DrugRecord": document}
    for name, definition in definitions.items():
        for field, schema in definition.get("properties", {}).items():
            if "examples" in schema:
                continue
            if field in found.get(name, {}):
                schema["examples"] = [found[name][field]]
            elif field == "values":
                # Every statement's values look alike; one example serves them all.
                schema["examples"] = [_VALUES_EXAMPLE]
    return document
