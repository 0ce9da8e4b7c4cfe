"""Validation: every problem in one run, each with its file, line and an exact message."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, get_args

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from leaflet.record.errors import InputError
from leaflet.record.model import DrugRecord
from leaflet.record.number_types import (
    UNITS,
    Clearance,
    PercentNumber,
    PlainNumber,
    Quantity,
    QuantityValue,
)
from leaflet.record.reading import load_record
from leaflet.record.record_schema import record_schema
from leaflet.record.validate import validate_record
from leaflet.render.filters import format_number, format_quantity
from leaflet.translation.catalogs import locale_codes

from .conftest import ALL_RECORDS, FICTIONAL, ROOT
from .helpers import files_under, run_leaflet


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


# --- numbers: one check per kind, however the record writes it ----------------------------

TITRATION_DOSE = "    each: 25 mg\n"


@pytest.mark.parametrize(
    ("string", "mapping", "message"),
    [
        ("0 mg", "{value: 0, unit: mg}", "must be more than zero (expected a positive amount"),
        ("", "{value: -25, unit: mg}", "must be more than zero (expected a positive amount"),
        (
            "0.0000001 mg",
            "{value: 0.0000001, unit: mg}",
            "too small to be real (expected at least 0.001 mg; write a smaller amount in mcg",
        ),
        (
            "250000 mg",
            "{value: 250000, unit: mg}",
            "too large to be real (expected at most 100000 mg; check for extra digits or a "
            "wrong unit",
        ),
        (
            "25.00001 mg",
            "{value: 25.00001, unit: mg}",
            "too many decimal places (expected at most 4, as the label writes the number",
        ),
        (
            "25 grains",
            "{value: 25, unit: grains}",
            "unknown unit (expected one of mg, mcg, g, mL, %, h, mg/kg, mcg/kg, got 'grains')",
        ),
        ("", "{value: '25', unit: mg}", "not a quantity (expected value: to be a number such"),
        ("", "{value: 25, units: mg}", "not a quantity (expected a number and a unit such as"),
    ],
)
def test_a_quantity_gets_the_same_checks_however_it_is_written(
    tmp_path: Path, string: str, mapping: str, message: str
) -> None:
    for written in (string, mapping):
        if not written:
            continue
        new = f"    each: {written}\n" if " " not in written[:1] else TITRATION_DOSE
        problems, text = problems_after(tmp_path, [(TITRATION_DOSE, new)])
        prefix = f"record.yaml:{line_of(text, new.strip())}: regimens[0].titration[0].each: "
        assert len(problems) == 1, problems
        assert problems[0].startswith(prefix + message), problems


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        (
            [("    daily: 200 mg\n", "    daily:\n      min: 300 mg\n      max: 200 mg\n")],
            "regimens[0].maximum.daily: the range is upside down (expected min <= max, got "
            "300 mg to 200 mg)",
        ),
        (
            [
                (
                    "    times_per_day: 2\n  patient:",
                    "    times_per_day: {min: 3, max: 2}\n  patient:",
                )
            ],
            "regimens[0].maximum.times_per_day: the range is upside down (expected min < max, or "
            "one number, got 3 and 2)",
        ),
        (
            [
                (
                    "    - percent:\n        min: 10\n        max: 20\n",
                    "    - percent: {min: 90, max: 2}\n",
                )
            ],
            "side_effects.items[2].incidence[0].percent: the range is upside down (expected "
            "min <= max, got 90 to 2)",
        ),
        (
            [("    - percent:\n        min: 1\n        max: 5\n", "    - percent: 'nan'\n")],
            "side_effects.items[3].incidence[0].percent: not a percentage (expected a number "
            "from 0 to 100, got 'nan')",
        ),
    ],
    ids=["amount-range", "times-range", "percent-range", "percent-as-text"],
)
def test_a_mistake_in_a_range_or_a_single_value_is_one_message(
    tmp_path: Path, edits: list[tuple[str, str]], message: str
) -> None:
    problems, _ = problems_after(tmp_path, edits)
    assert [p.split(": ", 1)[1] for p in problems] == [message]


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        (  # a starting dose above the maximum single dose
            [
                (
                    "  route: oral\n  titration:",
                    "  route: oral\n  start:\n    each: 150 mg\n  titration:",
                )
            ],
            [
                "regimens[0].start.each: a single dose is above the maximum single dose "
                "(expected at most 100 mg, got 150 mg)"
            ],
        ),
        (  # a usual dose above the maximum daily dose, the number of doses a day unknown
            [
                ("    each: 100 mg\n    times_per_day: 2\n  patient", "  patient"),
                (
                    "  route: oral\n  titration:",
                    "  route: oral\n  usual:\n    each: 250 mg\n  titration:",
                ),
            ],
            [
                "regimens[0].usual.each: a single dose is above the maximum daily dose "
                "(expected at most 200 mg, got 250 mg)"
            ],
        ),
        (  # a single dose above its own day's total
            [
                (
                    "  route: oral\n  titration:",
                    "  route: oral\n  usual: {each: 90 mg, daily: 80 mg}\n  titration:",
                )
            ],
            [
                "regimens[0].usual.each: a single dose is above the day's total (expected at "
                "most 80 mg, got 90 mg)"
            ],
        ),
        (  # doses that add up to more than the day's total
            [
                (
                    "  route: oral\n  titration:",
                    "  route: oral\n  usual: {each: 100 mg, times_per_day: 3, daily: 200 mg}\n"
                    "  titration:",
                )
            ],
            [
                "regimens[0].usual.times_per_day: the doses add up to more than the day's total "
                "(expected at most 200 mg, got 3 x 100 mg = 300 mg)"
            ],
        ),
    ],
    ids=["above-maximum-each", "above-maximum-daily", "above-its-day", "adds-up"],
)
def test_a_single_dose_above_a_maximum_is_refused(
    tmp_path: Path, edits: list[tuple[str, str]], expected: list[str]
) -> None:
    problems, _ = problems_after(tmp_path, edits)
    assert [p.split(": ", 1)[1] for p in problems] == expected


STEP_TEXT = "The dose goes up after {step_days}."


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            "    step_days: 4000\n",
            "regimens[0].values.step_days: out of range for a number of days (expected 0 to "
            "3650 days, got 4000)",
        ),
        (
            "    step_days: 4000 days\n",
            "regimens[0].values.step_days: duration out of range (expected from 1 to 3650 days, "
            "a range with the lower number first, got '4000 days')",
        ),
        (
            "    step_days: 2 to 1 weeks\n",
            "regimens[0].values.step_days: duration out of range (expected from 1 to 520 weeks, "
            "a range with the lower number first, got '2 to 1 weeks')",
        ),
        (
            "    step_days: 1.5 weeks\n",
            "regimens[0].values.step_days: a duration in part of a week (expected whole weeks, "
            "or the same time in a smaller unit, got '1.5 weeks')",
        ),
        (
            "    step_days: 1 weeks\n",
            "regimens[0].values.step_days: the unit's English form does not match its number "
            "(expected '1 week', got '1 weeks')",
        ),
        (
            "    step_days: 7 fortnights\n",
            "regimens[0].values.step_days: unknown unit (expected one of mg, mcg, g, mL, %, h, "
            "mg/kg, mcg/kg, got 'fortnights')",
        ),
        (
            "    step_days: 7\n    dose_low: 1 g\n    dose_high: 500 mg\n",
            "regimens[0].values.dose_low: the range is upside down (expected dose_low <= "
            "dose_high, got 1 g and 500 mg)",
        ),
        (
            "    step_days: 7\n    min_weeks: 6\n    max_weeks: 2\n",
            "regimens[0].values.min_weeks: the range is upside down (expected min_weeks <= "
            "max_weeks, got 6 and 2)",
        ),
    ],
    ids=[
        "days",
        "duration-too-long",
        "duration-upside-down",
        "duration-fraction",
        "duration-english",
        "unknown-unit",
        "quantities",
        "weeks",
    ],
)
def test_a_placeholder_value_is_held_to_what_its_name_says(
    tmp_path: Path, values: str, expected: str
) -> None:
    used = " ".join("{" + line.split(":")[0].strip() + "}" for line in values.splitlines())
    edits = [("    step_days: 7 days\n", values), (STEP_TEXT, f"{STEP_TEXT} Range {used}.")]
    problems, _ = problems_after(tmp_path, edits)
    assert [p.split(": ", 1)[1] for p in problems] == [expected]


@pytest.mark.parametrize(
    ("days_from_today", "valid"), [(-365 * 80, False), (300, True), (400, False)]
)
def test_a_revision_date_is_refused_before_1950_or_more_than_a_year_ahead(
    tmp_path: Path, days_from_today: int, valid: bool
) -> None:
    when = (date.today() + timedelta(days=days_from_today)).isoformat()
    text = canonical(tmp_path).replace("revision_date: '2026-11-22'", f"revision_date: {when}")
    text = text.replace("revision_date: 2026-11-22", f"revision_date: {when}")
    path = tmp_path / "record.yaml"
    path.write_text(text, encoding="utf-8")
    if valid:
        assert validate_record(load_record(path)).regulatory.revision_date.isoformat() == when
        return
    with pytest.raises(InputError) as info:
        validate_record(load_record(path))
    assert [p.message for p in info.value.problems] == [
        f"date out of range (expected a date from 1950-01-01 to one year after today, got "
        f"{when}; check the year for a typing slip)"
    ]


LANGS = ["en", *locale_codes()]
NUMBERS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),  # any precision and exponent
    st.integers(min_value=-(10**40), max_value=10**40).map(Decimal),
    st.decimals(min_value=Decimal("0.00001"), max_value=Decimal(10**7), places=6),
)


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(number=NUMBERS, unit=st.sampled_from(UNITS), as_mapping=st.booleans())
def test_no_number_that_passes_validation_can_break_its_formatting(
    number: Decimal, unit: str, as_mapping: bool
) -> None:
    """Whatever number a record holds, once it is accepted every language can print it."""
    raw = {"value": number, "unit": unit} if as_mapping else f"{number} {unit}"
    kinds: list[tuple[TypeAdapter[Any], Any]] = [
        (TypeAdapter(Quantity), raw),
        (TypeAdapter(PlainNumber), number),
        (TypeAdapter(PercentNumber), number),
        (TypeAdapter(Clearance), number),
    ]
    for adapter, value in kinds:
        try:
            accepted = adapter.validate_python(value)
        except ValidationError:
            continue
        amount = accepted.value if isinstance(accepted, QuantityValue) else accepted
        assert len(Decimal(amount).as_tuple().digits) <= 10, accepted
        for lang in LANGS:
            if isinstance(accepted, QuantityValue):
                assert format_quantity(accepted, lang)
            assert format_number(amount, lang)
            assert format_quantity(QuantityValue(value=amount, unit="%"), lang)


def _models(annotation: Any, found: dict[str, type[BaseModel]]) -> None:
    is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
    if is_model and annotation.__name__ not in found:
        found[annotation.__name__] = annotation
        for info in annotation.model_fields.values():
            _models(info.annotation, found)
    for arg in get_args(annotation):
        _models(arg, found)


def test_every_example_in_the_schema_is_written_as_a_record_writes_it() -> None:
    schema = record_schema(validate_record(load_record(path)) for path in ALL_RECORDS)
    models: dict[str, type[BaseModel]] = {}
    _models(DrugRecord, models)
    checked = 0
    sections = {**schema["$defs"], "DrugRecord": schema}
    for name, model in models.items():
        if name not in sections:
            continue  # a quantity is a string in the schema, not a section
        properties = sections[name]["properties"]
        for field, info in model.model_fields.items():
            example = properties[field]["examples"][0]
            if isinstance(example, dict | list):
                continue  # trimmed to one item, a section may break a rule across its fields
            typed = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
            adapter: TypeAdapter[Any] = TypeAdapter(typed)
            adapter.validate_python(example)
            checked += 1
    assert checked > 100
    dose = schema["$defs"]["Dose"]["properties"]
    assert (dose["daily"]["examples"], dose["times_per_day"]["examples"]) == (["80 mg"], [4])


def test_a_record_with_a_huge_number_is_named_and_the_others_still_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    bad = "tests/fixtures/invalid/number-26-digits.yaml"
    good = "tests/fixtures/examplomycin.yaml"
    out = tmp_path / "out"
    outcome = run_leaflet(
        "build", "--record", bad, "--record", good, "--audience", "patient", "--jobs", "1",
        "--out", str(out),
    )  # fmt: skip
    assert outcome.code == 1
    assert "Traceback" not in outcome.stderr + outcome.stdout
    assert (
        f"{bad}:74: regimens[0].values.step_days: too large to be real (expected at most "
        "1000000; check for extra digits, got 12345678901234567890123456)"
    ) in outcome.lines
    assert files_under(out) == ["en/examplomycin-patient.pdf", "manifest.json"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    version: test version 1\n",
            "    version: 2.10\n",
            "regulatory.labels[0].version: wrong value (expected text, got 2.10, which YAML "
            "reads as a number: put the text in quotes)",
        ),
        (
            "  inn: examplofen\n",
            "  inn: 2026-01-15\n",
            "drug.inn: wrong value (expected text, got 2026-01-15, which YAML reads as a date: "
            "put the text in quotes)",
        ),
        (
            "  inn: examplofen\n",
            "  inn: yes\n",
            "drug.inn: wrong value (expected text, got true, which YAML reads as yes or no: put "
            "the text in quotes)",
        ),
    ],
    ids=["version-number", "date", "yes"],
)
def test_text_that_yaml_reads_as_something_else_is_named(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    problems, _ = problems_after(tmp_path, [(old, new)])
    assert [p.split(": ", 1)[1] for p in problems] == [message]


@pytest.mark.parametrize(
    ("text", "values", "shown"),
    [
        ("after {step_days} days.", "    step_days: 7\n", "{step_days} days"),
        (
            "over {low} to {high} weeks.",
            "    low: 1\n    high: 2\n",
            "{low} to {high} weeks",
        ),
        ("for {mins} minutes.", "    mins: 5\n", "{mins} minutes"),
    ],
    ids=["days", "week-range", "minutes"],
)
def test_a_time_unit_after_a_placeholder_is_refused_with_how_to_write_it(
    tmp_path: Path, text: str, values: str, shown: str
) -> None:
    """Russian words 3 days and 5 days differently: the unit must live in the value."""
    edits = [
        ("    step_days: 7 days\n", values),
        (STEP_TEXT, f"The dose goes up {text}"),
    ]
    problems, _ = problems_after(tmp_path, edits)
    assert [p.split(": ", 1)[1] for p in problems] == [
        f"regimens[0]: patient: time unit typed after a placeholder in {shown!r} (expected the "
        "unit in the value, e.g. 'over {weeks}' with weeks: 1 to 2 weeks, so that each "
        "language words the duration in its own grammar)"
    ]
