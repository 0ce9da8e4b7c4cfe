"""Validation: every problem in one run, each with its file, line and an exact message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from leaflet.errors import InputError
from leaflet.loader import load_record
from leaflet.validate import validate_record

from .conftest import ALL_RECORDS, FICTIONAL


def canonical(tmp_path: Path) -> str:
    """The fictional record re-dumped in a fixed layout that the edits below rely on."""
    data = yaml.safe_load(FICTIONAL.read_text(encoding="utf-8"))
    return yaml.safe_dump(data, sort_keys=False, width=1000, allow_unicode=True)


def problems_after(tmp_path: Path, edits: list[tuple[str, str]]) -> tuple[list[str], str]:
    text = canonical(tmp_path)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "record.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        validate_record(load_record(path))
    return [str(p).replace(str(path), "record.yaml") for p in info.value.problems], text


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


@pytest.mark.parametrize("path", ALL_RECORDS, ids=lambda p: p.stem)
def test_every_real_and_fictional_record_is_valid(path: Path) -> None:
    assert validate_record(load_record(path)).drug.id == path.stem


def test_missing_field(tmp_path: Path) -> None:
    problems, text = problems_after(tmp_path, [("  inn: examplofen\n", "")])
    assert problems == [
        f"record.yaml:{line_of(text, 'drug:')}: drug.inn: required field is missing "
        "(expected a value here, got nothing)"
    ]


def test_wrong_type(tmp_path: Path) -> None:
    problems, text = problems_after(tmp_path, [("  revision: 1\n", "  revision: first\n")])
    assert problems == [
        f"record.yaml:{line_of(text, 'revision: first')}: regulatory.revision: wrong value "
        "(expected a whole number, got 'first')"
    ]


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    problems, text = problems_after(tmp_path, [("  atc_code: Z99ZZ99\n", "  atc_cod: Z99ZZ99\n")])
    assert (
        f"record.yaml:{line_of(text, 'atc_cod:')}: drug.atc_cod: unknown field 'atc_cod' "
        "(expected one of: atc_code, controlled, drug_class, id, inn, name; did you mean "
        "'atc_code'?)" in problems
    )


def test_titration_step_above_the_maximum(tmp_path: Path) -> None:
    problems, text = problems_after(
        tmp_path,
        [("    daily: 200 mg\n    each: 100 mg\n", "    daily: 90 mg\n    each: 45 mg\n")],
    )
    step = text.index("- first_day: 8")
    line = text[:step].count("\n") + 1
    assert problems == [
        f"record.yaml:{line}: regimens[0].titration[1]: daily total is above the maximum daily "
        "dose (expected at most 90 mg, got 2 x 50 mg = 100 mg)",
        f"record.yaml:{line + 2}: regimens[0].titration[1].each: a single dose is above the "
        "maximum single dose (expected at most 45 mg, got 50 mg)",
    ]


def test_unknown_reference_id(tmp_path: Path) -> None:
    problems, _ = problems_after(tmp_path, [("  refs:\n  - F1\n", "  refs:\n  - F99\n")])
    assert len(problems) == 1
    assert problems[0].endswith(
        "refs: unknown reference id 'F99' (expected one of the ids under references: F1, F2)"
    )


def test_unit_must_fit_the_route(tmp_path: Path) -> None:
    problems, text = problems_after(tmp_path, [("  - amount: 25 mg\n", "  - amount: 25 mcg\n")])
    assert problems == [
        f"record.yaml:{line_of(text, 'amount: 25 mcg')}: products[0].strengths[0].amount: "
        "strength unit does not fit the oral route (expected mg, got mcg)"
    ]


def test_a_schema_1_record_names_the_migration(tmp_path: Path) -> None:
    from .conftest import ROOT

    old = ROOT / "tests" / "fixtures" / "schema1" / "baclofen.yaml"
    with pytest.raises(InputError) as info:
        validate_record(load_record(old))
    assert [str(p) for p in info.value.problems] == [
        f"{load_record(old).name}:5: schema_version: this record is written in record format 1 "
        f"(expected 2); convert it, keeping its translations, with: leaflet migrate "
        f"{load_record(old).name}"
    ]


def test_a_regimen_must_name_an_approved_indication(tmp_path: Path) -> None:
    problems, text = problems_after(
        tmp_path, [("  indication: tightness\n", "  indication: pain\n")]
    )
    assert problems == [
        f"record.yaml:{line_of(text, 'indication: pain')}: regimens[0].indication: unknown "
        "indication 'pain' (expected the id of an approved indication: tightness)"
    ]


def test_ids_are_unique_in_each_list(tmp_path: Path) -> None:
    problems, text = problems_after(tmp_path, [("- id: confusion\n", "- id: drowsiness\n")])
    assert problems == [
        f"record.yaml:{text[: text.rindex('- id: drowsiness')].count(chr(10)) + 1}: "
        "side_effects.items[2].id: "
        "duplicate id 'drowsiness' (already used by side_effects.items[1]; expected each id "
        "once: ids keep translations apart)"
    ]


def test_a_strength_is_never_per_kg(tmp_path: Path) -> None:
    problems, _text = problems_after(tmp_path, [("  - amount: 25 mg\n", "  - amount: 25 mg/kg\n")])
    assert [p.split(": ", 2)[2] for p in problems] == [
        "a strength cannot be per kg (expected an amount per unit or per volume, such as "
        "'10 mg', got 25 mg/kg)"
    ]


def test_scoring_is_for_tablets_only(tmp_path: Path) -> None:
    problems, _text = problems_after(tmp_path, [("  form: tablet\n", "  form: capsule\n")])
    assert [p.split(": ", 2)[2] for p in problems] == [
        "only tablets can be scored (expected scored: none for a capsule)",
        "only tablets can be scored (expected scored: none for a capsule)",
    ]


def test_a_liquid_needs_its_volume(tmp_path: Path) -> None:
    problems, _ = problems_after(tmp_path, [("  form: tablet\n", "  form: oral_solution\n")])
    assert "a oral_solution strength needs its volume (expected per: '5 mL' for 25 mg in 5 mL)" in [
        p.split(": ", 2)[2] for p in problems
    ]


def test_a_route_no_product_has_is_refused(tmp_path: Path) -> None:
    problems, text = problems_after(
        tmp_path, [("  title: Drowsiness\n", "  title: Drowsiness\n  route: intrathecal\n")]
    )
    assert problems == [
        f"record.yaml:{line_of(text, 'route: intrathecal')}: warnings[1].route: no product is "
        "given by the intrathecal route (expected one of the products' routes: oral)"
    ]


def test_a_warning_required_in_a_document_that_does_not_apply(tmp_path: Path) -> None:
    problems, text = problems_after(
        tmp_path, [("schema_version: 2\n", "schema_version: 2\ndocuments: [patient, clinician]\n")]
    )
    assert (
        f"record.yaml:{line_of(text, '  required_in:')}: warnings[0].required_in: warning "
        "'abrupt-withdrawal' is required in the taper document, which this record says does not "
        "apply (expected taper under documents:, or remove it here)"
    ) in problems


def test_a_band_needs_its_source(tmp_path: Path) -> None:
    text = canonical(tmp_path)
    start = text.index("  band_source:")
    end = text.index("  items:", start)
    path = tmp_path / "record.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(InputError) as info:
        validate_record(load_record(path))
    assert [str(p).split(": ", 1)[1] for p in info.value.problems] == [
        "side_effects.band_source: frequency bands are used but not sourced (expected "
        "band_source: with the text and refs saying where the bands come from)"
    ]


def test_required_warning_needs_text(tmp_path: Path) -> None:
    text = canonical(tmp_path)
    start = text.index("- id: abrupt-withdrawal")
    taper = text.index("  taper: ", start)
    end = text.index("\n", taper) + 1
    path = tmp_path / "record.yaml"
    path.write_text(text[:taper] + text[end:], encoding="utf-8")
    with pytest.raises(InputError) as info:
        validate_record(load_record(path))
    assert [str(p).split(": ", 1)[1] for p in info.value.problems] == [
        "warnings[0].taper: warning 'abrupt-withdrawal' is required in the taper document but "
        "has no taper text (expected taper: with the wording to print)"
    ]


def test_a_dose_typed_into_prose_is_refused(tmp_path: Path) -> None:
    problems, _ = problems_after(tmp_path, [("  patient: ", "  patient: Take 5 mg now. ")])
    assert any(
        "measurement '5 mg' is typed into the text (expected a placeholder such as {dose}" in p
        for p in problems
    ), problems


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    problems, _ = problems_after(
        tmp_path,
        [
            ("  atc_code: Z99ZZ99\n", "  atc_cod: Z99ZZ99\n"),
            ("  revision: 1\n", "  revision: x\n"),
            ("  refs:\n  - F1\n", "  refs:\n  - F99\n"),
        ],
    )
    assert len(problems) >= 3
