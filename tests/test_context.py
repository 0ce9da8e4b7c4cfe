"""The render context: prose with placeholders filled per locale, and grouping."""

from __future__ import annotations

from leaflet.context import build_context, record_view
from leaflet.loader import load_record
from leaflet.validate import validate_record

from .conftest import BACLOFEN, FICTIONAL

NBSP = "\u00a0"


def test_placeholders_are_filled_for_the_locale() -> None:
    record = validate_record(load_record(BACLOFEN))
    english = record_view(record, "en")
    german = record_view(record, "de")
    pk = {p["parameter"]: p["value"] for p in english["pharmacokinetics"]}
    assert any("3 to 4" in value for value in pk.values()), pk
    ozobax_en = next(p for p in english["products"] if p["id"] == "ozobax")["storage"]
    ozobax_de = next(p for p in german["products"] if p["id"] == "ozobax")["storage"]
    assert "2 and 8" in ozobax_en and ozobax_de == ozobax_en  # English text, German numbers
    assert not [text for text in _strings(english) if "{" in text or "}" in text]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def test_translations_are_looked_up_by_record_path() -> None:
    record = validate_record(load_record(FICTIONAL))
    seen: list[str] = []

    def translate(context: str, text: str) -> str:
        seen.append(context)
        return text.upper()

    view = record_view(record, "en", translate)
    assert "examplofen:warnings.abrupt-withdrawal.patient" in seen
    assert not [c for c in seen if "revision" in c or c.endswith(".id")]  # data is never sent
    assert view["warnings"][0]["patient"] == record.warnings[0].patient.upper()  # type: ignore[union-attr]


def test_side_effects_are_grouped_by_action_and_sorted_by_frequency() -> None:
    record = validate_record(load_record(BACLOFEN))
    context = build_context(record, "patient", "en", "a4")
    actions = [g["action"] for g in context["side_effect_groups"]]
    assert actions == ["emergency", "call_doctor", "if_bothersome"]
    order = ["very_common", "common", "uncommon", "rare", "very_rare", "not_known", None]
    for group in context["side_effect_groups"]:
        bands = [order.index(e["band"]) for e in group["effects"]]
        assert bands == sorted(bands)


def test_titration_rows_are_formatted() -> None:
    record = validate_record(load_record(BACLOFEN))
    rows = build_context(record, "clinician", "de", "a4")["titration_rows"]
    assert rows[0] == {
        "first_day": "1",
        "last_day": "3",
        "dose": f"5{NBSP}mg",
        "times_per_day": "3",
        "daily_total": f"15{NBSP}mg",
    }
