"""The taper schedule: its invariants over every product kind, worked examples, bad input."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from itertools import combinations, pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from leaflet.cli.main import cli
from leaflet.publish.checks import check_records
from leaflet.record.errors import Problem
from leaflet.record.model import DrugRecord
from leaflet.record.model_products import LIQUID_FORMS, TABLET_FORMS
from leaflet.taper.calendar import MAX_TAPER_DAYS, Schedule, compute_schedule, schedule_json
from leaflet.taper.taper_choice import ProductChoice, choose_supply, daily_ceiling
from leaflet.taper.taper_request import parse_request
from leaflet.taper.taper_supply import CLI_FORMS, oral_products

from .conftest import ALL_RECORDS

ROOT = Path(__file__).resolve().parent.parent


def _record(path: Path) -> DrugRecord:
    records, problems = check_records([path])
    assert not problems, problems
    return records[0]


RECORDS = {path.stem: _record(path) for path in ALL_RECORDS}
TAPERED = {k: r for k, r in RECORDS.items() if "taper" in r.documents and r.taper}
_FORM_OPTION = {forms[0]: option for option, forms in reversed(CLI_FORMS.items())}
_FORM_OPTION["film_coated_tablet"] = "film-coated-tablet"


def _written(strength: object) -> str:
    amount = strength.amount.value.normalize()  # type: ignore[attr-defined]
    per = strength.per  # type: ignore[attr-defined]
    return f"{amount:f} mg" + (f"/{per.value.normalize():f} mL" if per else "")


def _choices() -> list[tuple[str, ProductChoice]]:
    """Every product the records let a taper use: each strength, and each usable pair."""
    found = []
    for drug, record in TAPERED.items():
        for product in oral_products(record):
            form = _FORM_OPTION[product.form]
            written = [_written(s) for s in product.strengths]
            for text in written:
                found.append(
                    (drug, ProductChoice(form=form, strengths=(text,), product=product.id))
                )
            if product.form in LIQUID_FORMS:
                continue
            for pair in combinations(product.strengths, 2):
                pieces = sorted(s.amount.value / s.pieces for s in pair)
                if pieces[1] % pieces[0] == 0:
                    texts = tuple(_written(s) for s in pair)
                    found.append(
                        (drug, ProductChoice(form=form, strengths=texts, product=product.id))
                    )
    return found


CHOICES = _choices()


def test_every_product_kind_is_covered() -> None:
    forms = {RECORDS[d].products[0].form for d, _ in CHOICES} | {
        p.form for d, c in CHOICES for p in RECORDS[d].products if p.id == c.product
    }
    for form in ("tablet", "capsule", "er_capsule", "er_tablet", "odt", "oral_solution",
                 "oral_suspension", "oral_granules"):  # fmt: skip
        assert form in forms, f"no record has a {form} to taper with"
    assert any(len(c.strengths) == 2 for _, c in CHOICES), "no combined strengths"


def schedule_for(drug: str, choice: ProductChoice, **options: str | bool) -> Schedule:
    record = RECORDS[drug]
    request = parse_request(record, choice=choice, **options)  # type: ignore[arg-type]
    assert record.taper is not None
    return compute_schedule(request, record.taper.minimum_days)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["taper", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


# --- invariants over many plans, every product kind ---------------------------------------


@st.composite
def plans(draw: st.DrawFn) -> tuple[str, ProductChoice, dict[str, str | bool]]:
    """A valid plan: a product the record has, a dose split into quanta, and a plan."""
    drug, choice = draw(st.sampled_from(CHOICES))
    record = RECORDS[drug]
    problems: list[Problem] = []
    supply = choose_supply(record, choice, problems)
    assert supply is not None, problems
    quantum = supply.quantum_mg
    ceiling = daily_ceiling(record)
    most = 32 if ceiling is None else int(ceiling / quantum)  # quanta in the largest day
    times = draw(st.integers(1, min(4, max(2, most // 2))))
    per_dose = max(1, min(8, most // times))
    doses = draw(st.lists(st.integers(1, per_dose), min_size=times, max_size=times))
    if sum(doses) == 1:  # one quantum a day cannot be lowered in steps (refused, tested below)
        doses = [2] if times == 1 else [1, 1]
    split = ",".join(f"{(d * quantum).normalize():f}" for d in doses)
    options: dict[str, str | bool] = {
        "current_dose": f"{(sum(doses) * quantum).normalize():f}",
        "split": split,
        "start": (date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 800)))).isoformat(),
        "prescriber_override": draw(st.booleans()),
    }
    assert record.taper is not None
    minimum = 1 if options["prescriber_override"] else record.taper.minimum_days
    step_quanta = draw(st.integers(1, sum(doses) - 1))
    steps = -(-sum(doses) // step_quanta) - 1
    low, high = -(-minimum // steps), min(21, MAX_TAPER_DAYS // steps)
    if draw(st.booleans()) or low > high:
        options["days"] = str(draw(st.integers(minimum, 120)))
    else:
        options["step_mg"] = f"{(step_quanta * quantum).normalize():f}"
        options["every_days"] = str(draw(st.integers(low, high)))
    return drug, choice, options


@settings(max_examples=400, deadline=None)
@given(plans())
def test_every_schedule_keeps_every_rule(
    plan: tuple[str, ProductChoice, dict[str, str | bool]],
) -> None:
    drug, choice, options = plan
    record = RECORDS[drug]
    schedule = schedule_for(drug, choice, **options)
    request = schedule.request
    supply = request.supply
    quantum = supply.quantum_mg
    days = schedule.days

    # Consecutive dates from the start date; one stop day of zero, at the end.
    assert days[0].date == request.start
    for before, after in pairwise(days):
        assert after.date - before.date == timedelta(days=1)
        assert after.number == before.number + 1
    assert days[-1].is_stop and days[-1].total_mg == 0
    assert all(d.total_mg > 0 for d in days[:-1])
    assert schedule.length_days == len(days) - 1

    # Whole units, or parts of a tablet only where the record marks it scored; exact arithmetic.
    for day in days:
        for mg in day.doses_mg:
            assert mg % quantum == 0
            if mg == 0:
                continue
            if supply.is_liquid:
                ml = supply.ml(mg)
                assert ml * supply.per_ml == mg  # type: ignore[operator]
                assert ml % supply.step_ml == 0
                continue
            units = supply.compose(mg)
            assert sum(count * piece.strength_mg for piece, count in units) == mg
            for piece, count in units:
                assert (count * piece.pieces) % 1 == 0  # halves or quarters only where allowed
                if supply.product.form not in TABLET_FORMS:
                    assert count % 1 == 0, f"a {supply.product.form} was split"
        assert day.total_mg <= request.current_mg
        assert len(day.doses_mg) == len(request.split_mg)

    # No dose and no day ever goes up; each step lowers the day's total.
    previous = request.split_mg
    for day in days:
        assert all(a <= b for a, b in zip(day.doses_mg, previous, strict=True))
        previous = day.doses_mg
    totals = [s.total_mg for s in schedule.steps]
    assert all(a > b for a, b in zip([request.current_mg, *totals], totals, strict=False))

    # Each reduction comes off the day's largest dose, ties in the record's order.
    doses = [int(mg / quantum) for mg in request.split_mg]
    for step in schedule.steps:
        target = [int(mg / quantum) for mg in step.doses_mg]
        while doses != target:
            biggest = max(doses)
            candidates = [i for i, d in enumerate(doses) if d == biggest]
            order = request.reduction_order
            first = min(candidates, key=lambda i: order.index(request.times[i]))
            assert target[first] < doses[first], (doses, target)
            doses[first] -= 1

    drops = [a - b for a, b in zip([request.current_mg, *totals], [*totals, 0], strict=True)]
    lengths = [s.length for s in schedule.steps]
    if request.days is not None:
        assert schedule.length_days == request.days
        assert max(drops) - min(drops) <= quantum or len(schedule.steps) == 1
        assert max(lengths) - min(lengths) <= 1
        assert lengths == sorted(lengths)
    else:
        assert request.step_mg is not None
        assert set(lengths) == {request.every_days}
        assert all(d == request.step_mg for d in drops[:-1])  # never more than planned
        assert drops[-1] <= request.step_mg

    # The JSON agrees with the schedule.
    document = schedule_json(schedule, drug, 1)
    for entry in document["days"]:
        total = sum(Decimal(str(d["mg"])) for d in entry["doses"])
        assert total == Decimal(str(entry["total_mg"]))
        for dose in entry["doses"]:
            mg = Decimal(str(dose["mg"]))
            if supply.is_liquid:
                assert Decimal(str(dose["ml"])) * supply.per_ml == mg  # type: ignore[operator]
                assert "count" not in dose
            else:
                assert dose["unit"] == supply.unit_name
                listed = dose.get("units") or [
                    {"strength": supply.pieces[0].label, "count": dose["count"]}
                ]
                amount = sum(
                    Decimal(str(u["count"])) * Decimal(u["strength"].split()[0]) for u in listed
                )
                assert amount == mg
                assert Decimal(str(dose["count"])) == sum(Decimal(str(u["count"])) for u in listed)
    assert document["days"][-1]["stop"] is True and document["days"][-1]["doses"] == []
    assert record.taper is not None
    assert schedule.prescriber_directed == (schedule.length_days < record.taper.minimum_days)


# --- worked examples (docs/taper.md) -----------------------------------------------------


def _steps(schedule: Schedule) -> list[tuple[int, int, list[str]]]:
    return [
        (s.first_day, s.last_day, [f"{mg.normalize():f}" if mg else "0" for mg in s.doses_mg])
        for s in schedule.steps
    ]


TABLET_10 = ProductChoice(tablet_mg="10")


def test_worked_example_60_mg_over_14_days() -> None:
    schedule = schedule_for(
        "baclofen", TABLET_10, current_dose="60", split="20,20,20", days="14", start="2026-12-07"
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
        "baclofen", TABLET_10, current_dose="30", step_mg="10", every_days="7", start="2026-12-07"
    )
    assert _steps(schedule) == [(1, 7, ["10", "0", "10"]), (8, 14, ["0", "0", "10"])]
    assert schedule.stop_date == date(2026, 12, 21)


def test_worked_example_scored_tablets_use_halves() -> None:
    schedule = schedule_for(
        "examplofen", ProductChoice(tablet_mg="25"), current_dose="75", split="37.5,37.5",
        days="14", start="2026-12-07",
    )  # fmt: skip
    assert _steps(schedule) == [
        (1, 2, ["25", "37.5"]),
        (3, 5, ["25", "25"]),
        (6, 8, ["12.5", "25"]),
        (9, 11, ["12.5", "12.5"]),
        (12, 14, ["0", "12.5"]),
    ]


def test_worked_example_two_capsule_strengths_combined() -> None:
    """Gabapentin 1,200 mg a day as 400 mg three times a day, with 300 mg and 100 mg capsules."""
    choice = ProductChoice(form="capsule", strengths=("300 mg", "100 mg"))
    schedule = schedule_for(
        "gabapentin", choice, current_dose="1200", split="400,400,400", step_mg="200",
        every_days="7", start="2026-12-07",
    )  # fmt: skip
    assert _steps(schedule) == [
        (1, 7, ["300", "300", "400"]),
        (8, 14, ["300", "200", "300"]),
        (15, 21, ["200", "200", "200"]),
        (22, 28, ["100", "100", "200"]),
        (29, 35, ["100", "0", "100"]),
    ]
    units = schedule.request.supply.compose(Decimal(400))
    assert [(p.label, c) for p, c in units] == [("300 mg", 1), ("100 mg", 1)]
    document = schedule_json(schedule, "gabapentin", 1)
    assert document["days"][0]["doses"][2] == {
        "time": "evening", "mg": 400, "count": 2, "unit": "capsule",
        "units": [{"strength": "300 mg", "count": 1}, {"strength": "100 mg", "count": 1}],
    }  # fmt: skip


def test_worked_example_a_liquid_in_ml() -> None:
    """Gabapentin oral solution 250 mg/5 mL: 900 mg a day over 14 days, in 0.5 mL steps."""
    choice = ProductChoice(form="oral-solution", strengths=("250 mg/5 mL",))
    schedule = schedule_for(
        "gabapentin", choice, current_dose="900", split="300,300,300", step_mg="150",
        every_days="3", start="2026-12-07",
    )  # fmt: skip
    assert _steps(schedule) == [
        (1, 3, ["250", "250", "250"]),
        (4, 6, ["200", "200", "200"]),
        (7, 9, ["150", "150", "150"]),
        (10, 12, ["100", "100", "100"]),
        (13, 15, ["50", "50", "50"]),
    ]
    assert [schedule.request.supply.ml(mg) for mg in schedule.steps[0].doses_mg] == [5, 5, 5]
    document = schedule_json(schedule, "gabapentin", 1)
    assert document["product"]["concentration"] == "250 mg/5 mL"
    assert document["days"][-2]["doses"][1] == {"time": "midday", "mg": 50, "ml": 1}


def test_worked_example_the_label_plan() -> None:
    """Clonazepam 1 mg a day (0.5 mg twice a day), the label's panic-disorder plan, 0.125 mg ODT."""
    choice = ProductChoice(form="odt", strengths=("0.125 mg",))
    schedule = schedule_for(
        "clonazepam", choice, current_dose="1", split="0.5,0.5", plan="label", start="2026-12-07"
    )
    assert _steps(schedule) == [
        (1, 3, ["0.375", "0.375"]),
        (4, 6, ["0.25", "0.25"]),
        (7, 9, ["0.125", "0.125"]),
    ]
    assert schedule.request.plan == "label" and not schedule.prescriber_directed


def test_worked_example_quarters_and_a_custom_order() -> None:
    """Fictolam (fictional) 2 mg tablets scored in quarters; its record lowers the morning first."""
    choice = ProductChoice(form="tablet", strengths=("2 mg",), product="imaginox-tablets")
    schedule = schedule_for(
        "fictolam", choice, current_dose="3", split="1.5,1.5", days="14", start="2026-12-07"
    )
    assert _steps(schedule)[:2] == [(1, 2, ["1", "1.5"]), (3, 5, ["1", "1"])]
    assert [(p.label, c) for p, c in schedule.request.supply.compose(Decimal("1.5"))] == [
        ("2 mg", Decimal("0.75"))
    ]


# --- bad options: one clear message each, exit 2 (a usage error) ------------------------

BASE = ["--drug", "baclofen", "--tablet-mg", "10", "--start", "2026-12-07", "--format", "json"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--current-dose", "0", "--days", "14"],
            "--current-dose: must be more than zero (expected the daily total in mg, got '0')",
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
            "--times-per-day: 50 mg cannot be split into 3 equal doses of 10 mg tablets "
            "(expected the real split with --split, e.g. --split 20,20,10)",
        ),
        (
            ["--current-dose", "100", "--split", "30,40,30", "--days", "14"],
            "--current-dose: 100 mg is above the highest daily dose in the record, 80 mg "
            "(expected at most 80 mg; check the prescription)",
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
            "--days: no plan given (expected --days N, --step-mg X with --every-days D, or "
            "--plan label)",
        ),
        (
            ["--current-dose", "60", "--days", "14", "--step-mg", "10"],
            "--step-mg: two plans given (--days and --step-mg; expected one of --days N, "
            "--step-mg X with --every-days D, or --plan label)",
        ),
        (
            ["--current-dose", "60", "--step-mg", "5", "--every-days", "3"],
            "--step-mg: 5 mg is not a whole number of 10 mg tablets (expected multiples of 10 mg; "
            "this tablet is not scored, so it cannot be halved)",
        ),
        (
            ["--current-dose", "60", "--days", "1400"],
            "--days: the plan lasts 1400 days (expected at most 366; check for a typing slip)",
        ),
        (
            ["--current-dose", "60", "--times-per-day", "6", "--days", "14"],
            "--times-per-day: 6 doses a day is more than a calendar shows (expected 1 to 4: "
            "morning, midday, evening and bedtime)",
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
        (
            ["--current-dose", "60", "--days", "14", "--plan", "label"],
            "--plan: two plans given (--days and --plan; expected one of --days N, --step-mg X "
            "with --every-days D, or --plan label)",
        ),
        (
            ["--current-dose", "60", "--plan", "label"],
            "--plan: the Baclofen label gives no taper steps, so there is no label plan (expected "
            "--days N, or --step-mg X with --every-days D, as the prescriber ordered)",
        ),
        (
            [
                "--current-dose",
                "20",
                "--split",
                "10,10",
                "--dose-times",
                "evening,morning",
                "--days",
                "14",
            ],
            "--dose-times: times must follow the day, each once (expected an order such as "
            "morning,evening; got evening,morning)",
        ),
    ],
)
def test_bad_input_gets_one_clear_message(args: list[str], message: str) -> None:
    code, output = run(*BASE, *args)
    assert code == 2
    assert output.splitlines()[0] == message
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "--drug",
                "gabapentin",
                "--form",
                "capsule",
                "--strength",
                "300 mg",
                "--current-dose",
                "900",
                "--split",
                "450,450",
                "--days",
                "14",
            ],
            "--split: 450 mg is not a whole number of 300 mg capsules (expected multiples of "
            "300 mg; capsules are never split)",
        ),
        (
            [
                "--drug",
                "gabapentin",
                "--form",
                "oral-solution",
                "--strength",
                "250 mg/5 mL",
                "--current-dose",
                "310",
                "--split",
                "310",
                "--days",
                "14",
            ],
            "--split: 310 mg is not a measurable volume of 250 mg/5 mL (expected multiples of "
            "0.5 mL = 25 mg; --min-ml sets the smallest volume)",
        ),
        (
            [
                "--drug",
                "gabapentin",
                "--form",
                "capsule",
                "--strength",
                "500 mg",
                "--current-dose",
                "900",
                "--days",
                "14",
            ],
            "--strength: no capsule of 500 mg in the record (expected one of: 100 mg, 300 mg, "
            "400 mg)",
        ),
        (
            [
                "--drug",
                "gabapentin",
                "--form",
                "oral-solution",
                "--strength",
                "250 mg/5 mL",
                "--min-ml",
                "0.05",
                "--current-dose",
                "900",
                "--days",
                "14",
            ],
            "--min-ml: not a measurable volume (expected 0.1 to 5 mL in steps of 0.1, e.g. 0.5, "
            "got '0.05')",
        ),
        (
            [
                "--drug",
                "clonazepam",
                "--form",
                "tablet",
                "--strength",
                "1 mg",
                "--product",
                "klonopin-tablets",
                "--current-dose",
                "2",
                "--split",
                "1,1",
                "--plan",
                "label",
            ],
            "--plan: the label's plan lowers the daily dose by 0.25 mg every 3 days, which 1 mg "
            "tablets cannot do (expected a strength whose smallest step divides 0.25 mg)",
        ),
        (
            [
                "--drug",
                "baclofen",
                "--form",
                "er-capsule",
                "--strength",
                "10 mg",
                "--current-dose",
                "30",
                "--days",
                "14",
            ],
            "--form: Baclofen has no er-capsule product in the record (expected one of: "
            "tablet, oral-solution, oral-suspension, granules)",
        ),
        (
            [
                *("--drug", "clonazepam", "--form", "odt", "--strength", "0.5 mg"),
                *("--current-dose", "1.5", "--days", "21"),
            ],
            "--split: the record's regimens for this product give different numbers of doses a "
            "day (expected --split with the patient's doses, e.g. --split 1,0.5, or "
            "--times-per-day)",
        ),
    ],
)
def test_new_refusals_get_one_clear_message(args: list[str], message: str) -> None:
    code, output = run(*args, "--start", "2026-12-07", "--format", "json")
    assert code == 2, output
    assert output.splitlines()[0] == message
    assert "Traceback" not in output


def test_a_record_without_a_taper_handout_is_refused() -> None:
    code, output = run(
        "--record", str(ROOT / "tests" / "fixtures" / "examplomycin.yaml"), "--form", "capsule",
        "--strength", "250 mg", "--current-dose", "1000", "--days", "14", "--start",
        "2026-12-07", "--format", "json",
    )  # fmt: skip
    assert code == 1
    assert output.splitlines()[0] == (
        "examplomycin: documents: Examplomycin has no taper handout (its record leaves taper out "
        "of documents: it can be stopped without tapering)"
    )


def test_several_records_need_drug() -> None:
    code, output = run(
        "--tablet-mg", "10", "--current-dose", "60", "--days", "14", "--start", "2026-12-07",
        "--format", "json",
    )  # fmt: skip
    assert code == 2
    assert "records in data/ (expected --drug ID or --record FILE" in output


def test_an_unknown_strength_lists_the_real_ones() -> None:
    code, output = run(*BASE[:2], "--current-dose", "60", "--tablet-mg", "12", "--days", "14",
                       "--start", "2026-12-07", "--format", "json")  # fmt: skip
    assert code == 2
    assert output.splitlines()[0] == (
        "--tablet-mg: no tablet of 12 mg in the record (expected one of: 10 mg, 15 mg, 20 mg, 5 mg)"
    )


def test_every_mistake_is_reported_at_once() -> None:
    code, output = run(
        "--drug", "baclofen", "--current-dose", "0", "--tablet-mg", "12", "--days", "x",
        "--start", "tomorrow", "--format", "json",
    )  # fmt: skip
    assert code == 2
    assert output.splitlines()[-1] == "4 problems found."


def test_pdf_needs_an_output_file() -> None:
    code, output = run(*BASE[:4], "--current-dose", "60", "--days", "14", "--start", "2026-12-07")
    assert code == 2
    assert "--out FILE.pdf is required for the pdf format" in output


# --- JSON -------------------------------------------------------------------------------


def test_json_schedule_is_the_documented_structure() -> None:
    code, output = run(
        *BASE, "--current-dose", "60", "--split", "20,20,20", "--days", "14",
        "--patient-name", "Jane Example",
    )  # fmt: skip
    assert code == 0
    document = json.loads(output)
    assert "Jane" not in output
    assert document["schema"] == "leaflet-taper-schedule/2"
    assert document["reduction_order"] == ["midday", "morning", "evening"]
    assert document["product"] == {
        "id": "baclofen-tablets", "form": "tablet", "unit": "tablet",
        "strengths": [{"strength": "10 mg", "divisible_into": 1}],
    }  # fmt: skip
    assert document["days"][0] == {
        "day": 1,
        "date": "2026-12-07",
        "doses": [
            {"time": "morning", "mg": 20, "count": 2, "unit": "tablet"},
            {"time": "midday", "mg": 10, "count": 1, "unit": "tablet"},
            {"time": "evening", "mg": 20, "count": 2, "unit": "tablet"},
        ],
        "total_mg": 50,
        "stop": False,
    }
    assert document["days"][-1] == {
        "day": 15, "date": "2026-12-21", "doses": [], "total_mg": 0, "stop": True,
    }  # fmt: skip
    documented = (ROOT / "docs" / "taper.md").read_text(encoding="utf-8")
    keys = set(document) | set(document["product"]) | set(document["days"][0])
    keys |= set(document["days"][0]["doses"][0]) | {"ml", "units", "concentration"}
    for key in keys:
        assert f"`{key}`" in documented, key
