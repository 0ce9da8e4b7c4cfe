"""The record's JSON Schema, with a description and a real example for every field.

Descriptions come from the models themselves (:mod:`leaflet.record.model`,
:mod:`leaflet.record.model_dosing`, :mod:`leaflet.record.fields`). Examples come from real
records: each field's example is the first value found for it in the example
records (the real ones in data/ and the fictional ones that exercise every
shape), written as a record writes them (``'300 mg'``, ``19``), so the schema
never shows an example that would fail validation. The limits on numbers
(plausible amounts per unit, decimal places, dates) are in the descriptions of
the number types (:mod:`leaflet.record.number_types`).

The schema is published under :data:`SCHEMA_ID`, one address per record format,
and shipped in the repository as :data:`SCHEMA_FILE` (``leaflet schema --out
schema/record-2.json`` writes it; a test keeps the committed copy current).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from .fields import QuantityValue
from .model import SCHEMA_VERSION, DrugRecord
from .number_types import QUANTITY_LIMITS_NOTE, QUANTITY_PATTERN, UNITS

__all__ = ["SCHEMA_FILE", "SCHEMA_ID", "record_schema"]

#: Where the schema of this record format is published. A new format gets a new
#: address, so an editor pointed at one never checks a record against another's rules.
#: example.org is reserved (RFC 2606): the address names the format, it is not fetched.
SCHEMA_ID = f"https://leaflet.example.org/schema/record-{SCHEMA_VERSION}.json"
#: The shipped copy, relative to the project folder.
SCHEMA_FILE = f"schema/record-{SCHEMA_VERSION}.json"


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


def _any_of(schema: Any) -> Any:
    """The schema with every ``oneOf`` written as ``anyOf``.

    pydantic writes a union as ``oneOf``, which an editor reads as "exactly one":
    a quantity ('40 mL') is also a string of the date branch (``format`` only
    annotates), so every real record would be marked wrong. The record's union
    means "any of these"; leaflet's own validation tells them apart.
    """
    if isinstance(schema, dict):
        return {
            ("anyOf" if key == "oneOf" else key): _any_of(value) for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_any_of(part) for part in schema]
    return schema


#: The parts of a quantity written as a mapping (``{value: 5, unit: mg}``), which the
#: number types describe as a whole: an editor shows each part's own description.
_QUANTITY_PARTS: dict[str, dict[str, Any]] = {
    "value": {
        "description": "The amount: a positive number, such as 5 in {value: 5, unit: mg}.",
        "examples": [5],
    },
    "unit": {
        "description": f"The amount's unit: one of {', '.join(UNITS)}.",
        "examples": ["mg"],
    },
}


def _describe_quantity_parts(schema: Any) -> None:
    """Give the parts of every quantity mapping in ``schema`` a description and an example."""
    if isinstance(schema, dict):
        parts = schema.get("properties")
        if isinstance(parts, dict) and set(parts) == set(_QUANTITY_PARTS):
            for name, extra in _QUANTITY_PARTS.items():
                parts[name] = {**extra, **parts[name]}
        for value in schema.values():
            _describe_quantity_parts(value)
    elif isinstance(schema, list):
        for part in schema:
            _describe_quantity_parts(part)


_VALUES_EXAMPLE = {"dose": "300 mg", "days": 3, "pct": "4 %"}


def record_schema(examples: Iterable[DrugRecord]) -> dict[str, Any]:
    """The JSON Schema of a record, each property with an example from ``examples``."""
    document: dict[str, Any] = _any_of(DrugRecord.model_json_schema())
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["$id"] = SCHEMA_ID
    document["$comment"] = (
        f"Written by `leaflet schema --out {SCHEMA_FILE}` from leaflet's models and example "
        "records: run it again after changing them; never edit this file by hand."
    )
    document["title"] = "leaflet drug record"
    found: dict[str, dict[str, Any]] = {}
    for record in examples:
        _collect(record, found)
    _describe_quantity_parts(document)
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
