"""Compute a personalised oral taper: a dated, tablet-exact schedule that never goes up.

A pharmacist gives today's daily dose and how it is split over the day, the
tablet strength the patient has, and the prescriber's plan (a total length, or a
fixed step every so many days). :func:`parse_request` turns those typed values
into a :class:`TaperRequest`, collecting every mistake as a problem;
:func:`compute_schedule` turns a request into a :class:`Schedule`.

The rules, each checked by property-based tests:

* Day 1 (the start date) is the first day at the first lower dose; the day after
  the last dose is a day of zero, the "stop" day.
* Every dose is a whole number of tablets, or of half tablets for a tablet the
  record marks scored. No dose and no day ever increases; no day exceeds the
  current dose or the record's maximum daily dose.
* With ``days``, the daily total falls in as many steps as the tablets allow (at
  most one step a day); the steps differ by at most one tablet (or half tablet)
  and their lengths by at most one day, the longer ones last, where each step is
  the larger share of what is left.
* Within a day, each reduction comes off the largest dose of the day; between
  equal doses, in :data:`REDUCTION_ORDER`: midday first, then morning, then
  evening, and the bedtime dose last, so that the doses stay even and the night
  dose, which keeps night-time spasms away, goes last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .errors import InputError, Problem
from .model import DrugRecord

__all__ = [
    "DAILY_ROWS_MAX_DAYS",
    "MAX_TAPER_DAYS",
    "REDUCTION_ORDER",
    "SCHEDULE_SCHEMA",
    "TIMES_BY_COUNT",
    "Day",
    "Schedule",
    "Step",
    "TaperRequest",
    "compute_schedule",
    "parse_request",
    "schedule_json",
]

#: Names of the times of day, by how many doses a day are taken.
TIMES_BY_COUNT: dict[int, tuple[str, ...]] = {
    1: ("morning",),
    2: ("morning", "evening"),
    3: ("morning", "midday", "evening"),
    4: ("morning", "midday", "evening", "bedtime"),
}
#: Between equal doses, the one reduced first comes first here.
REDUCTION_ORDER = ("midday", "morning", "evening", "bedtime")
#: Tapers up to this long are printed one row a day; longer ones one row a step.
DAILY_ROWS_MAX_DAYS = 28
#: The longest taper leaflet prints (a typing slip such as --days 1400 is refused).
MAX_TAPER_DAYS = 366
#: Identifies the JSON layout of :func:`schedule_json` (see docs/taper.md).
SCHEDULE_SCHEMA = "leaflet-taper-schedule/1"

NOT_SCORED = "; this tablet is not scored, so it cannot be halved"
_NUMBER = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(mg|mcg|µg|ug)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class TaperRequest:
    """A checked taper request: what the patient takes now and the prescriber's plan."""

    current_mg: Decimal
    split_mg: tuple[Decimal, ...]
    tablet_mg: Decimal
    scored: bool
    start: date
    days: int | None = None
    step_mg: Decimal | None = None
    every_days: int | None = None
    prescriber_override: bool = False

    @property
    def unit_mg(self) -> Decimal:
        """The smallest amount a dose can change by: a tablet, or half of a scored one."""
        return self.tablet_mg / 2 if self.scored else self.tablet_mg

    @property
    def times(self) -> tuple[str, ...]:
        """The times of day the doses are taken, in the order of the day."""
        return TIMES_BY_COUNT[len(self.split_mg)]


@dataclass(frozen=True)
class Step:
    """Some consecutive days on the same doses."""

    first_day: int
    last_day: int
    first_date: date
    last_date: date
    doses_mg: tuple[Decimal, ...]

    @property
    def total_mg(self) -> Decimal:
        """The daily total on this step."""
        return sum(self.doses_mg, Decimal(0))

    @property
    def length(self) -> int:
        """How many days the step lasts."""
        return self.last_day - self.first_day + 1


@dataclass(frozen=True)
class Day:
    """One calendar day of the schedule."""

    number: int
    date: date
    doses_mg: tuple[Decimal, ...]

    @property
    def total_mg(self) -> Decimal:
        """The day's total."""
        return sum(self.doses_mg, Decimal(0))

    @property
    def is_stop(self) -> bool:
        """True for the day of zero that ends the taper."""
        return self.total_mg == 0


@dataclass(frozen=True)
class Schedule:
    """A computed taper: its steps, its days (the stop day last) and how it was made."""

    request: TaperRequest
    steps: tuple[Step, ...]
    minimum_days: int

    @property
    def length_days(self) -> int:
        """Days on which a dose is taken (the stop day not counted)."""
        return self.steps[-1].last_day if self.steps else 0

    @property
    def stop_date(self) -> date:
        """The first day without any dose."""
        return self.request.start + timedelta(days=self.length_days)

    @property
    def prescriber_directed(self) -> bool:
        """True when the plan is shorter than the record's minimum (override given)."""
        return self.length_days < self.minimum_days

    @property
    def days(self) -> tuple[Day, ...]:
        """Every day from the start date to the stop day, inclusive."""
        out = [
            Day(number, step.first_date + timedelta(days=number - step.first_day), step.doses_mg)
            for step in self.steps
            for number in range(step.first_day, step.last_day + 1)
        ]
        zero = tuple(Decimal(0) for _ in self.request.split_mg)
        out.append(Day(self.length_days + 1, self.stop_date, zero))
        return tuple(out)

    @property
    def daily_rows(self) -> bool:
        """True when the handout prints one row a day (else one row a step)."""
        return self.length_days <= DAILY_ROWS_MAX_DAYS


def _problem(option: str, message: str) -> Problem:
    return Problem(option, None, "", message)


def _parse_mg(option: str, raw: str, what: str, problems: list[Problem]) -> Decimal | None:
    match = _NUMBER.match(raw)
    if not match:
        problems.append(
            _problem(
                option, f"not a number of mg (expected {what}, such as 10 or 7.5, got {raw!r})"
            )
        )
        return None
    unit = (match.group(2) or "mg").lower()
    if unit != "mg":
        problems.append(
            _problem(
                option,
                f"{raw!r} is in micrograms, an intrathecal (pump) dose (expected mg taken by "
                "mouth; pump doses are changed by the pump team, never with a calendar)",
            )
        )
        return None
    value = Decimal(match.group(1))
    if value <= 0:
        problems.append(_problem(option, f"must be more than zero (expected {what}, got {raw!r})"))
        return None
    return value


def _parse_int(option: str, raw: str, what: str, problems: list[Problem]) -> int | None:
    try:
        value = int(raw.strip())
    except ValueError:
        problems.append(_problem(option, f"not a whole number (expected {what}, got {raw!r})"))
        return None
    if value <= 0:
        problems.append(_problem(option, f"must be more than zero (expected {what}, got {raw!r})"))
        return None
    return value


def _show(value: Decimal) -> str:
    return f"{value.normalize():f} mg"


def _units(amount: Decimal, unit: Decimal) -> Decimal:
    return amount / unit


def _tablet_strengths(record: DrugRecord) -> dict[Decimal, bool]:
    """Map each oral tablet strength (mg) to whether some product marks it scored."""
    found: dict[Decimal, bool] = {}
    for product in record.products:
        if product.route != "oral" or product.form != "tablet":
            continue
        for strength in product.strengths:
            if strength.amount.unit == "mg":
                value = strength.amount.value.normalize()
                found[value] = found.get(value, False) or strength.scored
    return found


def parse_request(
    record: DrugRecord,
    *,
    current_dose: str,
    tablet_mg: str,
    start: str,
    split: str | None = None,
    times_per_day: str | None = None,
    days: str | None = None,
    step_mg: str | None = None,
    every_days: str | None = None,
    route: str = "oral",
    prescriber_override: bool = False,
) -> TaperRequest:
    """Check the typed options against each other and the record; raise InputError if wrong.

    Every problem is collected and reported at once, each naming its option.
    """
    if route != "oral":
        raise InputError(
            [
                _problem(
                    "--route",
                    f"{route} doses are not tapered with a calendar (expected oral; "
                    "intrathecal (pump) doses are lowered by the pump team, who reprogram "
                    "the pump)",
                )
            ]
        )
    problems: list[Problem] = []
    current = _parse_mg("--current-dose", current_dose, "the daily total in mg", problems)
    tablet = _parse_mg("--tablet-mg", tablet_mg, "a tablet strength in mg", problems)
    oral = record.dosing.oral
    maximum = oral.max_daily.value if oral is not None else None
    if current is not None and maximum is not None and current > maximum:
        problems.append(
            _problem(
                "--current-dose",
                f"{_show(current)} is above the maximum daily dose of {_show(maximum)} "
                f"(expected at most {_show(maximum)}; check the prescription)",
            )
        )
    scored = False
    strengths = _tablet_strengths(record)
    if tablet is not None:
        if not strengths:
            problems.append(
                _problem("--tablet-mg", f"{record.drug.name} has no tablets in the record")
            )
        elif tablet.normalize() not in strengths:
            listed = ", ".join(_show(s) for s in sorted(strengths))
            problems.append(
                _problem(
                    "--tablet-mg",
                    f"no {_show(tablet)} tablet in the record (expected one of: {listed})",
                )
            )
            tablet = None
        else:
            scored = strengths[tablet.normalize()]
    max_times = max(TIMES_BY_COUNT)
    if oral is not None:
        max_times = min(max_times, oral.max_regimen_times_per_day)
    split_mg = _parse_split(split, times_per_day, current, tablet, scored, max_times, problems)
    if current is not None and tablet is not None and split_mg is not None:
        unit = tablet / 2 if scored else tablet
        if current <= unit:
            problems.append(
                _problem(
                    "--current-dose",
                    f"{_show(current)} a day is the smallest dose {_tablet_words(tablet, scored)} "
                    "can give, so it cannot be lowered in steps (expected a larger dose; to go "
                    "lower, the prescriber may choose a smaller tablet or a liquid)",
                )
            )
    start_date = _parse_date(start, problems)
    plan = _parse_plan(days, step_mg, every_days, tablet, scored, current, problems)
    if problems:
        raise InputError(problems)
    assert current is not None and tablet is not None and split_mg is not None
    assert start_date is not None and plan is not None
    request = TaperRequest(
        current_mg=current,
        split_mg=split_mg,
        tablet_mg=tablet,
        scored=scored,
        start=start_date,
        days=plan[0],
        step_mg=plan[1],
        every_days=plan[2],
        prescriber_override=prescriber_override,
    )
    length = _planned_length(request)
    if length > MAX_TAPER_DAYS:
        raise InputError(
            [
                _problem(
                    "--days" if request.days else "--every-days",
                    f"the plan lasts {length} days (expected at most {MAX_TAPER_DAYS}; "
                    "check for a typing slip)",
                )
            ]
        )
    minimum = record.taper.minimum_days
    if length < minimum and not prescriber_override:
        raise InputError(
            [
                _problem(
                    "--days" if request.days else "--every-days",
                    f"a {length}-day taper is shorter than the {minimum} days the record "
                    f"allows (expected {minimum} days or more; if the prescriber ordered "
                    "this plan, add --prescriber-override and it is printed as "
                    "prescriber-directed)",
                )
            ]
        )
    return request


def _parse_split(
    split: str | None,
    times_per_day: str | None,
    current: Decimal | None,
    tablet: Decimal | None,
    scored: bool,
    max_times: int,
    problems: list[Problem],
) -> tuple[Decimal, ...] | None:
    count: int | None = None
    if times_per_day is not None:
        count = _parse_int("--times-per-day", times_per_day, "doses a day, 1 to 4", problems)
        if count is not None and count > max_times:
            problems.append(
                _problem(
                    "--times-per-day",
                    f"{count} doses a day is more than the {max_times} the record allows "
                    f"(expected 1 to {max_times})",
                )
            )
            return None
        if count is None:
            return None
    doses: list[Decimal] = []
    if split is not None:
        for part in split.split(","):
            value = _parse_mg("--split", part, "each dose in mg, e.g. 20,20,20", problems)
            if value is None:
                return None
            doses.append(value)
        if len(doses) > max_times:
            problems.append(
                _problem(
                    "--split",
                    f"{len(doses)} doses a day is more than the {max_times} the record allows "
                    f"(expected 1 to {max_times} doses, e.g. 20,20,20)",
                )
            )
            return None
        if count is not None and count != len(doses):
            problems.append(
                _problem(
                    "--split",
                    f"{len(doses)} doses do not match --times-per-day {count} (expected "
                    f"{count} doses, or leave out --times-per-day)",
                )
            )
            return None
        if current is not None and sum(doses) != current:
            problems.append(
                _problem(
                    "--split",
                    f"the doses add up to {_show(sum(doses, Decimal(0)))}, not the current "
                    f"dose of {_show(current)} (expected doses that add up to the daily "
                    "total)",
                )
            )
            return None
    elif current is not None:
        count = count or 3
        each = current / count
        if tablet is not None and each % (tablet / 2 if scored else tablet) != 0:
            problems.append(
                _problem(
                    "--times-per-day",
                    f"{_show(current)} cannot be split into {count} equal doses of whole "
                    f"{_tablet_words(tablet, scored)} (expected the real split with "
                    "--split, e.g. --split 20,10,20)",
                )
            )
            return None
        doses = [each] * count
    else:
        return None
    if tablet is not None:
        unit = tablet / 2 if scored else tablet
        for value in doses:
            if value % unit != 0:
                problems.append(
                    _problem(
                        "--split" if split is not None else "--current-dose",
                        f"{_show(value)} is not a whole number of "
                        f"{_tablet_words(tablet, scored)} (expected multiples of "
                        f"{_show(unit)}{'' if scored else NOT_SCORED})",
                    )
                )
                return None
    return tuple(doses)


def _tablet_words(tablet: Decimal, scored: bool) -> str:
    return f"{_show(tablet)} tablets or halves" if scored else f"{_show(tablet)} tablets"


#: Years a start date may fall in: wide, yet far from the calendar's limits.
FIRST_YEAR, LAST_YEAR = 2000, 2999


def _parse_date(raw: str, problems: list[Problem]) -> date | None:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
            raise ValueError
        parsed = date.fromisoformat(raw.strip())
    except ValueError:
        problems.append(
            _problem(
                "--start",
                f"not a date (expected YYYY-MM-DD, such as 2026-12-03, got {raw!r})",
            )
        )
        return None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        problems.append(
            _problem(
                "--start",
                f"the year {parsed.year} is out of range (expected a start date from "
                f"{FIRST_YEAR} to {LAST_YEAR}; check for a typing slip)",
            )
        )
        return None
    return parsed


def _parse_plan(
    days: str | None,
    step_mg: str | None,
    every_days: str | None,
    tablet: Decimal | None,
    scored: bool,
    current: Decimal | None,
    problems: list[Problem],
) -> tuple[int | None, Decimal | None, int | None] | None:
    stepped = step_mg is not None or every_days is not None
    if days is not None and stepped:
        problems.append(
            _problem(
                "--days",
                "two plans given (expected either --days N, or --step-mg X with --every-days D)",
            )
        )
        return None
    if days is not None:
        length = _parse_int("--days", days, "the taper's length in days", problems)
        return None if length is None else (length, None, None)
    if not stepped:
        problems.append(
            _problem(
                "--days",
                "no plan given (expected --days N, or --step-mg X with --every-days D)",
            )
        )
        return None
    if step_mg is None or every_days is None:
        missing = "--step-mg" if step_mg is None else "--every-days"
        problems.append(
            _problem(missing, f"missing (expected {missing} with the other step option)")
        )
        return None
    step = _parse_mg("--step-mg", step_mg, "the amount the daily total drops by", problems)
    every = _parse_int("--every-days", every_days, "days between steps", problems)
    if step is None or every is None:
        return None
    if tablet is not None:
        unit = tablet / 2 if scored else tablet
        if step % unit != 0:
            problems.append(
                _problem(
                    "--step-mg",
                    f"{_show(step)} is not a whole number of {_tablet_words(tablet, scored)} "
                    f"(expected a multiple of {_show(unit)})",
                )
            )
            return None
    if current is not None and step >= current:
        problems.append(
            _problem(
                "--step-mg",
                f"{_show(step)} is not less than the current dose of {_show(current)} "
                "(expected a smaller step, so that the dose goes down before it stops)",
            )
        )
        return None
    return (None, step, every)


def _levels(request: TaperRequest) -> list[tuple[Decimal, int]]:
    """Return (daily total in units, number of days) for each step, in order."""
    total = int(_units(request.current_mg, request.unit_mg))
    if request.days is not None:
        steps = min(total - 1, request.days)
        base, extra = divmod(request.days, steps)
        levels = []
        for index in range(1, steps + 1):
            exact = Decimal(total * (steps + 1 - index)) / Decimal(steps + 1)
            units = exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)
            length = base + (1 if index > steps - extra else 0)
            levels.append((units, length))
        return levels
    assert request.step_mg is not None and request.every_days is not None
    step = int(_units(request.step_mg, request.unit_mg))
    out = []
    remaining = total - step
    while remaining > 0:
        out.append((Decimal(remaining), request.every_days))
        remaining -= step
    return out


def _planned_length(request: TaperRequest) -> int:
    if request.days is not None:
        return request.days
    assert request.step_mg is not None and request.every_days is not None
    total = int(_units(request.current_mg, request.unit_mg))
    step = int(_units(request.step_mg, request.unit_mg))
    return (-(-total // step) - 1) * request.every_days


def _lower(doses: list[int], times: tuple[str, ...], by: int) -> list[int]:
    """Take ``by`` units off the day's doses, one at a time, largest dose first."""
    doses = list(doses)
    for _ in range(by):
        index = max(
            range(len(doses)),
            key=lambda i: (doses[i], -REDUCTION_ORDER.index(times[i])),
        )
        doses[index] -= 1
    return doses


def compute_schedule(request: TaperRequest, minimum_days: int) -> Schedule:
    """Turn a checked request into dated steps; see the module docstring for the rules."""
    unit = request.unit_mg
    times = request.times
    doses = [int(_units(d, unit)) for d in request.split_mg]
    steps: list[Step] = []
    day = 1
    for units, length in _levels(request):
        doses = _lower(doses, times, sum(doses) - int(units))
        first = request.start + timedelta(days=day - 1)
        steps.append(
            Step(
                first_day=day,
                last_day=day + length - 1,
                first_date=first,
                last_date=first + timedelta(days=length - 1),
                doses_mg=tuple(d * unit for d in doses),
            )
        )
        day += length
    return Schedule(request=request, steps=tuple(steps), minimum_days=minimum_days)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def schedule_json(schedule: Schedule, drug: str, revision: int) -> dict[str, Any]:
    """Return the schedule as the documented JSON structure (docs/taper.md).

    Patient details are never part of it: it holds only the plan and the doses.
    """
    request = schedule.request
    times = request.times
    return {
        "schema": SCHEDULE_SCHEMA,
        "drug": drug,
        "record_revision": revision,
        "route": "oral",
        "tablet": {"strength_mg": _number(request.tablet_mg), "scored": request.scored},
        "current_daily_mg": _number(request.current_mg),
        "start": request.start.isoformat(),
        "stop": schedule.stop_date.isoformat(),
        "length_days": schedule.length_days,
        "prescriber_directed": schedule.prescriber_directed,
        "reduction_order": [t for t in REDUCTION_ORDER if t in times],
        "days": [
            {
                "day": d.number,
                "date": d.date.isoformat(),
                "doses": [
                    {
                        "time": time,
                        "mg": _number(mg),
                        "tablets": _number(mg / request.tablet_mg),
                    }
                    for time, mg in zip(times, d.doses_mg, strict=True)
                    if mg > 0
                ],
                "total_mg": _number(d.total_mg),
                "stop": d.is_stop,
            }
            for d in schedule.days
        ],
    }
