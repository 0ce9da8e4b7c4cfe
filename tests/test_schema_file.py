"""The JSON Schema shipped in ``schema/``: current, published under its ``$id``, documented."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.conftest import ROOT
from tests.helpers import run_leaflet

SHIPPED = ROOT / "schema" / "record-2.json"
SCHEMA_ID = "https://leaflet.example.org/schema/record-2.json"
#: Fields a record writer types in nearly every item: each needs an example to copy.
COMMON = {
    # quantities and doses
    ("Strength", "amount"),
    ("Dose", "each"),
    ("Dose", "daily"),
    ("Dose", "times_per_day"),
    ("Regimen", "maximum"),
    ("TitrationStep", "each"),
    ("Warning", "values"),
    # ids
    ("Identity", "id"),
    ("Product", "id"),
    ("Regimen", "id"),
    ("Warning", "id"),
    ("Reference", "id"),
    ("Warning", "refs"),
    # prose
    ("Warning", "patient"),
    ("Warning", "clinician"),
    ("Warning", "title"),
    ("SideEffect", "patient"),
    ("Indication", "patient"),
}


def _shipped() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return loaded


def _properties(schema: Any, where: str = "") -> Iterator[tuple[str, str, Any]]:
    """Every property anywhere in the schema: (where its object is, its name, its schema)."""
    if isinstance(schema, dict):
        for name, part in schema.get("properties", {}).items():
            yield where, name, part
        for key, value in schema.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _properties(value, f"{where}/{index}")


def test_the_shipped_schema_is_what_leaflet_schema_writes_now(tmp_path: Path) -> None:
    written = tmp_path / "record.json"
    outcome = run_leaflet("schema", "--out", str(written))
    assert outcome.code == 0, outcome.stderr
    assert SHIPPED.read_bytes() == written.read_bytes(), (
        "schema/record-2.json is stale: run `leaflet schema --out schema/record-2.json`"
    )
    printed = run_leaflet("schema")
    assert printed.code == 0
    assert json.loads(printed.stdout) == _shipped()


def test_the_schema_is_published_under_its_format_version() -> None:
    schema = _shipped()
    assert schema["$id"] == SCHEMA_ID
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema_version"]["const"] == 2
    assert SHIPPED.name == SCHEMA_ID.rsplit("/", 1)[1]


def test_every_property_has_a_description_and_the_common_ones_an_example() -> None:
    schema = _shipped()
    found = list(_properties(schema))
    assert len(found) > 200
    undescribed = [f"{where}/{name}" for where, name, part in found if not part.get("description")]
    assert undescribed == []
    definitions = {**schema["$defs"], "DrugRecord": schema}
    missing = [
        f"{model}.{field}"
        for model, field in sorted(COMMON)
        if not definitions[model]["properties"][field].get("examples")
    ]
    assert missing == []
    # Every field of every model has one too: an example comes from a real record.
    without = [
        f"{model}.{field}"
        for model, definition in definitions.items()
        for field, part in definition.get("properties", {}).items()
        if not part.get("examples")
    ]
    assert without == []
    # Examples are written as a record writes them: a quantity as '300 mg', not a mapping.
    for model, field in (("Strength", "amount"), ("Dose", "each"), ("Dose", "daily")):
        example = definitions[model]["properties"][field]["examples"][0]
        assert isinstance(example, str), (model, field, example)
        assert example.split(" ")[1] in {"mg", "mcg", "g", "mL", "mg/kg", "mcg/kg"}


def test_no_union_demands_exactly_one_match() -> None:
    """An editor reads ``oneOf`` as "exactly one": '40 mL' also matches the date branch.

    With ``oneOf`` every real record was marked wrong in the editor; the union
    means any of its branches.
    """
    assert '"oneOf"' not in SHIPPED.read_text(encoding="utf-8")


def test_a_record_pointing_its_editor_at_the_schema_is_still_valid(tmp_path: Path) -> None:
    record = tmp_path / "fictolam.yaml"
    source = (ROOT / "tests" / "fixtures" / "fictolam.yaml").read_text(encoding="utf-8")
    record.write_text(
        f"# yaml-language-server: $schema={SCHEMA_ID}\n{source}",
        encoding="utf-8",
    )
    outcome = run_leaflet("check", "--record", str(record))
    assert outcome.code == 0, outcome.stderr
    assert outcome.lines[-1].startswith("1 record and ")
