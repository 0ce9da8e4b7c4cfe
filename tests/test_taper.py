"""The taper schedule: its invariants over many plans, worked examples, and bad input."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from leaflet.checks import check_records
from leaflet.cli import cli
from leaflet.model import DrugRecord
from leaflet.taper import REDUCTION_ORDER, Schedule, compute_schedule, schedule_json
from leaflet.taper_request import parse_request

from .conftest import BACLOFEN, FICTIONAL


def _record(path: Path) -> DrugRecord:
    records, problems = check_records([path])
    assert not problems
    return records[0]


RECORDS = {"baclofen": _record(BACLOFEN), "examplofen": _record(FICTIONAL)}


def schedule_for(drug: str = "baclofen", **options: str) -> Schedule:
    record = RECORDS[drug]
    request = parse_request(record, **options)  # type: ignore[arg-type]
    return compute_schedule(request, record.taper.minimum_days)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["taper", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


# --- invariants over many plans ---------------------------------------------------------


@st.composite
def plans(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    """A valid plan for one of the two records: dose, split, tablet and a plan."""
    drug = draw(st.sampled_from(["baclofen", "examplofen"]))
    record = RECORDS[drug]
    tablets = [
        (s.amount.value, s.scored)
        for p in record.products
        if p.form == "tablet"
        for s in p.strengths
    ]
    tablet, scored = draw(st.sampled_from(tablets))
    unit = tablet / 2 if scored else tablet
    oral = record.dosing.oral
    assert oral is not None
    times = draw(st.integers(1, oral.max_regimen_times_per_day))
    max_units = int(oral.max_daily.value // unit)
    doses = draw(st.lists(st.integers(1, 8), min_size=times, max_size=times))
    if sum(doses) > max_units:
        doses = [1] * times
    if sum(doses) == 1:  # one tablet a day cannot be lowered (refused, tested below)
        doses[0] = 2
    split = ",".join(f"{(d * unit).normalize():f}" for d in doses)
    current = f"{(sum(doses) * unit).normalize():f}"
    options = {
        "current_dose": current,
        "split": split,
        "tablet_mg": f"{tablet.normalize():f}",
        "start": (date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 800)))).isoformat(),
        "prescriber_override": draw(st.booleans()),
    }
    minimum = 1 if options["prescriber_override"] else record.taper.minimum_days
    if draw(st.booleans()):
        options["days"] = str(draw(st.integers(minimum, 120)))
    else:
        step_units = draw(st.integers(1, sum(doses) - 1))
        options["step_mg"] = f"{(step_units * unit).normalize():f}"
        steps = -(-sum(doses) // step_units) - 1
        low = -(-minimum // steps)
        options["every_days"] = str(draw(st.integers(low, max(low, 21))))
    return drug, options


@settings(max_examples=300, deadline=None)
@given(plans())
def test_every_schedule_keeps_every_rule(plan: tuple[str, dict[str, str]]) -> None:
    drug, options = plan
    record = RECORDS[drug]
    schedule = schedule_for(drug, **options)  # type: ignore[arg-type]
    request = schedule.request
    unit = request.unit_mg
    days = schedule.days
    oral = record.dosing.oral
    assert oral is not None

    # Consecutive dates from the start date; one stop day of zero, at the end.
    assert days[0].date == request.start
    for before, after in pairwise(days):
        assert after.date - before.date == timedelta(days=1)
        assert after.number == before.number + 1
    assert days[-1].is_stop and days[-1].total_mg == 0
    assert all(d.total_mg > 0 for d in days[:-1])
    assert schedule.length_days == len(days) - 1

    # Whole (or half, if scored) tablets; never above today's dose or the maximum.
    for day in days:
        for mg in day.doses_mg:
            assert mg % unit == 0
            assert (mg / request.tablet_mg) * request.tablet_mg == mg
        assert day.total_mg <= request.current_mg <= oral.max_daily.value
        assert len(day.doses_mg) == len(request.split_mg)

    # No dose and no day ever goes up; each step lowers the day's total.
    previous = request.split_mg
    for day in days:
        assert all(a <= b for a, b in zip(day.doses_mg, previous, strict=True))
        previous = day.doses_mg
    totals = [s.total_mg for s in schedule.steps]
    assert all(a > b for a, b in zip([request.current_mg, *totals], totals, strict=False))

    # Each reduction comes off the day's largest dose, ties in the documented order.
    doses = [int(mg / unit) for mg in request.split_mg]
    for step in schedule.steps:
        target = [int(mg / unit) for mg in step.doses_mg]
        while doses != target:
            biggest = max(doses)
            candidates = [i for i, d in enumerate(doses) if d == biggest]
            first = min(candidates, key=lambda i: REDUCTION_ORDER.index(request.times[i]))
            assert target[first] < doses[first], (doses, target)
            doses[first] -= 1

    drops = [a - b for a, b in zip([request.current_mg, *totals], [*totals, 0], strict=True)]
    lengths = [s.length for s in schedule.steps]
    if request.days is not None:
        assert schedule.length_days == request.days
        assert max(drops) - min(drops) <= unit or len(schedule.steps) == 1
        assert max(lengths) - min(lengths) <= 1
        assert lengths == sorted(lengths)
    else:
        assert request.step_mg is not None
        assert set(lengths) == {request.every_days}
        assert all(d == request.step_mg for d in drops[:-1])
        assert drops[-1] <= request.step_mg

    # The JSON agrees with the schedule: tablets x strength = mg; doses add up.
    document = schedule_json(schedule, drug, 1)
    for entry in document["days"]:
        total = sum(Decimal(str(d["mg"])) for d in entry["doses"])
        assert total == Decimal(str(entry["total_mg"]))
        for dose in entry["doses"]:
            tablets = Decimal(str(dose["tablets"]))
            assert tablets * request.tablet_mg == Decimal(str(dose["mg"]))
            assert tablets % (Decimal("0.5") if request.scored else 1) == 0
    assert document["days"][-1]["stop"] is True
    assert schedule.prescriber_directed == (schedule.length_days < record.taper.minimum_days)


# --- worked examples (docs/taper.md) -----------------------------------------------------


def _steps(schedule: Schedule) -> list[tuple[int, int, list[str]]]:
    return [
        (s.first_day, s.last_day, [f"{mg.normalize():f}" for mg in s.doses_mg])
        for s in schedule.steps
    ]


def test_worked_example_60_mg_over_14_days() -> None:
    schedule = schedule_for(
        current_dose="60", split="20,20,20", tablet_mg="10", days="14", start="2026-12-07"
    )
    assert _steps(schedule) == [
        (1, 2, ["20", "10", "20"]),
        (3, 5, ["10", "10", "20"]),
        (6, 8, ["10", "10", "10"]),
        (9, 11, ["10", "0", "10"]),
        (12, 14, ["0", "0", "10"]),
    ]
    assert schedule.stop_date == date(2026, 12, 21)


def test_worked_example_30_mg_by_10_mg_every_week() -> None:
    schedule = schedule_for(
        current_dose="30", tablet_mg="10", step_mg="10", every_days="7", start="2026-12-07"
    )
    assert _steps(schedule) == [(1, 7, ["10", "0", "10"]), (8, 14, ["0", "0", "10"])]
    assert schedule.stop_date == date(2026, 12, 21)


def test_worked_example_scored_tablets_use_halves() -> None:
    schedule = schedule_for(
        "examplofen",
        current_dose="75",
        split="37.5,37.5",
        tablet_mg="25",
        days="14",
        start="2026-12-07",
    )
    assert _steps(schedule) == [
        (1, 2, ["25", "37.5"]),
        (3, 5, ["25", "25"]),
        (6, 8, ["12.5", "25"]),
        (9, 11, ["12.5", "12.5"]),
        (12, 14, ["0", "12.5"]),
    ]


# --- bad input: one clear message, exit 1 ------------------------------------------------

BASE = ["--tablet-mg", "10", "--start", "2026-12-07", "--format", "json"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--current-dose", "0", "--days", "14"],
            "--current-dose: must be more than zero (expected the daily total in mg, got '0')",
        ),
        (
            ["--current-dose", "-20", "--days", "14"],
            "--current-dose: must be more than zero (expected the daily total in mg, got '-20')",
        ),
        (
            ["--current-dose", "sixty", "--days", "14"],
            "--current-dose: not a number of mg (expected the daily total in mg, such as 10 or "
            "7.5, got 'sixty')",
        ),
        (
            ["--current-dose", "60", "--split", "20,20", "--days", "14"],
            "--split: the doses add up to 40 mg, not the current dose of 60 mg (expected doses "
            "that add up to the daily total)",
        ),
        (
            ["--current-dose", "25", "--split", "15,10", "--days", "14"],
            "--split: 15 mg is not a whole number of 10 mg tablets (expected multiples of 10 mg; "
            "this tablet is not scored, so it cannot be halved)",
        ),
        (
            ["--current-dose", "50", "--days", "14"],
            "--times-per-day: 50 mg cannot be split into 3 equal doses of whole 10 mg tablets "
            "(expected the real split with --split, e.g. --split 20,10,20)",
        ),
        (
            ["--current-dose", "100", "--split", "30,40,30", "--days", "14"],
            "--current-dose: 100 mg is above the maximum daily dose of 80 mg (expected at most "
            "80 mg; check the prescription)",
        ),
        (
            ["--current-dose", "60", "--days", "14", "--start", "2026-02-30"],
            "--start: not a date (expected YYYY-MM-DD, such as 2026-12-03, got '2026-02-30')",
        ),
        (
            ["--current-dose", "60", "--days", "5"],
            "--days: a 5-day taper is shorter than the 7 days the record allows (expected 7 days "
            "or more; if the prescriber ordered this plan, add --prescriber-override and it is "
            "printed as prescriber-directed)",
        ),
        (
            ["--current-dose", "60"],
            "--days: no plan given (expected --days N, or --step-mg X with --every-days D)",
        ),
        (
            ["--current-dose", "60", "--days", "14", "--step-mg", "10"],
            "--days: two plans given (expected either --days N, or --step-mg X with "
            "--every-days D)",
        ),
        (
            ["--current-dose", "60", "--step-mg", "5", "--every-days", "3"],
            "--step-mg: 5 mg is not a whole number of 10 mg tablets (expected a multiple of 10 mg)",
        ),
        (
            ["--current-dose", "60", "--days", "1400"],
            "--days: the plan lasts 1400 days (expected at most 366; check for a typing slip)",
        ),
        (
            ["--current-dose", "60", "--times-per-day", "6", "--days", "14"],
            "--times-per-day: 6 doses a day is more than the 4 the record allows (expected 1 to 4)",
        ),
        (
            ["--current-dose", "300mcg", "--days", "14"],
            "--current-dose: '300mcg' is in micrograms, an intrathecal (pump) dose (expected mg "
            "taken by mouth; pump doses are changed by the pump team, never with a calendar)",
        ),
        (
            ["--current-dose", "300", "--days", "14", "--route", "intrathecal"],
            "--route: intrathecal doses are not tapered with a calendar (expected oral; "
            "intrathecal (pump) doses are lowered by the pump team, who reprogram the pump)",
        ),
    ],
)
def test_bad_input_gets_one_clear_message(args: list[str], message: str) -> None:
    code, output = run(*BASE, *args)
    assert code == 1
    assert output.splitlines()[0] == message
    assert "Traceback" not in output


def test_an_unknown_strength_lists_the_real_ones() -> None:
    code, output = run(
        "--current-dose", "60", "--tablet-mg", "12", "--days", "14", "--start", "2026-12-07",
        "--format", "json",
    )  # fmt: skip
    assert code == 1
    assert output.splitlines()[0] == (
        "--tablet-mg: no 12 mg tablet in the record (expected one of: 5 mg, 10 mg, 15 mg, 20 mg)"
    )


def test_every_mistake_is_reported_at_once() -> None:
    code, output = run(
        "--current-dose", "0", "--tablet-mg", "12", "--days", "x", "--start", "tomorrow",
        "--format", "json",
    )  # fmt: skip
    assert code == 1
    assert output.splitlines()[-1] == "4 problems found."


def test_pdf_needs_an_output_file() -> None:
    code, output = run(
        "--current-dose", "60", "--tablet-mg", "10", "--days", "14", "--start", "2026-12-07"
    )
    assert code == 2
    assert "--out FILE.pdf is required for the pdf format" in output


# --- JSON -------------------------------------------------------------------------------


def test_json_schedule_is_the_documented_structure() -> None:
    code, output = run(
        "--current-dose", "60", "--split", "20,20,20", "--tablet-mg", "10", "--days", "14",
        "--start", "2026-12-07", "--format", "json", "--patient-name", "Jane Example",
    )  # fmt: skip
    assert code == 0
    document = json.loads(output)
    assert "Jane" not in output
    assert document["schema"] == "leaflet-taper-schedule/1"
    assert document["reduction_order"] == ["midday", "morning", "evening"]
    assert document["days"][0] == {
        "day": 1,
        "date": "2026-12-07",
        "doses": [
            {"time": "morning", "mg": 20, "tablets": 2},
            {"time": "midday", "mg": 10, "tablets": 1},
            {"time": "evening", "mg": 20, "tablets": 2},
        ],
        "total_mg": 50,
        "stop": False,
    }
    assert document["days"][-1] == {
        "day": 15,
        "date": "2026-12-21",
        "doses": [],
        "total_mg": 0,
        "stop": True,
    }
    documented = (Path(__file__).resolve().parent.parent / "docs" / "taper.md").read_text(
        encoding="utf-8"
    )
    keys = set(document) | set(document["tablet"]) | set(document["days"][0])
    keys |= set(document["days"][0]["doses"][0])
    for key in keys:
        assert f"`{key}`" in documented, key
