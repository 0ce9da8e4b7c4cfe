"""The render context: prose with placeholders filled per locale, and grouping."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.record.reading import load_record
from leaflet.record.validate import validate_record
from leaflet.render.context import build_context, record_view

from .conftest import ALL_RECORDS, BACLOFEN, FICTIONAL, ROOT

FICTOLAM = ROOT / "tests" / "fixtures" / "fictolam.yaml"
FICTICAL_ONE_ROUTE = FICTIONAL

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
    (oral, _) = build_context(record, "clinician", "de", "a4")["dosing_sections"]
    assert oral["titrations"][0]["rows"][0] == {
        "when": "Days 1 to 3",  # English wording: no German catalog is used here
        "dose": f"5{NBSP}mg",
        "times": "3",
        "total": f"15{NBSP}mg",
    }


def test_a_one_day_step_is_day_n_never_n_to_n() -> None:
    record = validate_record(load_record(FICTOLAM))
    context = build_context(record, "patient", "en", "a4")
    (titration,) = context["dosing"]["titrations"]
    assert [row["when"] for row in titration["rows"]] == ["Day 1", "Day 2", "Days 3 to 7"]


@pytest.mark.parametrize("path", ALL_RECORDS, ids=lambda p: p.stem)
def test_each_maximum_prints_with_its_own_use(path: Path) -> None:
    """No drug-wide maximum: each regimen's maximum sits in its own row, or in the one line."""
    record = validate_record(load_record(path))
    context = build_context(record, "patient", "en", "a4")
    rows = context["dosing"]["rows"]
    maxima = {r.id: r.maximum for r in record.regimens if r.route in record.patient_routes()}
    for row in rows:
        regimen_max = maxima[row["id"]]
        if regimen_max is None or regimen_max.daily is None:
            assert not row["max_daily"]
        else:
            assert row["max_daily"], row


def test_liquids_get_a_ml_table_for_every_liquid() -> None:
    record = validate_record(load_record(BACLOFEN))
    liquids = build_context(record, "patient", "en", "a4")["liquids"]
    assert [c["label"] for c in liquids["columns"]] == [
        "Baclofen oral solution (Ozobax)",
        "Baclofen oral solution (Ozobax DS)",
        "Baclofen oral suspension (Fleqsuvy)",
        "Baclofen oral suspension",
    ]
    assert liquids["differ"]
    rows = {row["mg"]: row["ml"] for row in liquids["rows"]}
    # 10 mg: 10 mL of 5 mg/5 mL, 5 mL of 10 mg/5 mL, 2 mL of 25 mg/5 mL or of 5 mg/mL.
    assert rows[f"10{NBSP}mg"] == [f"10{NBSP}mL", f"5{NBSP}mL", f"2{NBSP}mL", f"2{NBSP}mL"]
    assert rows[f"15{NBSP}mg"] == [f"15{NBSP}mL", f"7.5{NBSP}mL", f"3{NBSP}mL", f"3{NBSP}mL"]


def test_the_card_flags_units_and_liquid_strengths() -> None:
    record = validate_record(load_record(BACLOFEN))
    context = build_context(record, "clinician", "en", "a4")
    assert context["units_warning"] == (
        "Units differ by route: oral doses in mg and intrathecal doses in mcg. Check the unit "
        "before every dose."
    )
    assert context["liquids_warning"].startswith("Oral liquids differ in strength: ")
    single = build_context(
        validate_record(load_record(FICTICAL_ONE_ROUTE)), "clinician", "en", "a4"
    )
    assert single["units_warning"] == "" and single["liquids_warning"] == ""
