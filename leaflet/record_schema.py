"""The record's JSON Schema, with a description and a real example for every field.

Descriptions come from the models themselves (:mod:`leaflet.model`,
:mod:`leaflet.model_dosing`, :mod:`leaflet.fields`). Examples come from real
records: each field's example is the first value found for it in the example
records (the real ones in data/ and the fictional ones that exercise every
shape), written as a record writes them (``'300 mg'``, ``19``), so the schema
never shows an example that would fail validation. The limits on numbers
(plausible amounts per unit, decimal places, dates) are in the descriptions of
the number types (:mod:`leaflet.number_types`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from .fields import QuantityValue
from .model import DrugRecord
from .number_types import QUANTITY_LIMITS_NOTE, QUANTITY_PATTERN

__all__ = ["record_schema"]


def _collect(obj: Any, found: dict[str, dict[str, Any]]) -> None:
    """Record, per model class and field, the first value seen (as JSON data)."""
    if isinstance(obj, BaseModel):
        name = type(obj).__name__
        fields = found.setdefault(name, {})
        for field in type(obj).model_fields:
            value = getattr(obj, field)
            if field not in fields and value not in (None, [], {}):
                fields[field] = _trim(_as_written(value))
            _collect(value, found)
    elif isinstance(obj, list):
        for item in obj:
            _collect(item, found)
    elif isinstance(obj, dict):
        for item in obj.values():
            _collect(item, found)


def _holds_quantity(schema: Any) -> bool:
    if isinstance(schema, dict):
        return schema.get("pattern") == QUANTITY_PATTERN or any(
            _holds_quantity(part) for part in schema.values()
        )
    return isinstance(schema, list) and any(_holds_quantity(part) for part in schema)


def _note_quantity_limits(schema: dict[str, Any]) -> None:
    """A field's own description hides its type's: state the limits of a quantity on it too."""
    description = str(schema.get("description", ""))
    if _holds_quantity(schema) and QUANTITY_LIMITS_NOTE not in description:
        schema["description"] = f"{description} {QUANTITY_LIMITS_NOTE}".strip()


def _as_written(value: Any) -> Any:
    """A value as a record writes it: '300 mg', 19, 0.5, '2026-01-15', {min: …, max: …}."""
    if isinstance(value, QuantityValue):
        return str(value)
    if isinstance(value, BaseModel):
        return {name: _as_written(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, list):
        return [_as_written(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_written(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


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
            if field != "values":  # each kind of value describes its own limits
                _note_quantity_limits(schema)
            if "examples" in schema:
                continue
            if field in found.get(name, {}):
                schema["examples"] = [found[name][field]]
            elif field == "values":
                # Every statement's values look alike; one example serves them all.
                schema["examples"] = [_VALUES_EXAMPLE]
    return document
