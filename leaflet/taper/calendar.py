"""Compute a personalised oral taper: a dated, unit-exact schedule that never goes up.

A pharmacist gives today's daily dose and how it is split over the day, what the
patient measures it with (a :class:`~leaflet.taper_supply.Supply`: tablets,
capsules or packets of one or two strengths, or an oral liquid in mL), and the
prescriber's plan (a total length, a fixed step every so many days, or the
label's own plan). :func:`leaflet.taper.taper_request.parse_request` turns those typed
values into a :class:`TaperRequest`, collecting every mistake as a problem;
:func:`compute_schedule` turns a request into a :class:`Schedule`.

The rules, each checked by property-based tests:

* Day 1 (the start date) is the first day at the first lower dose; the day after
  the last dose is a day of zero, the "stop" day.
* Every dose is a whole number of the supply's smallest step (its *quantum*): a
  unit, a half or quarter of a tablet the record marks scored, or the smallest
  measurable volume of a liquid. No dose and no day ever increases; no day
  exceeds the current dose.
* With ``days``, the daily total falls in as many steps as the quanta allow (at
  most one step a day); the steps differ by at most one quantum and their
  lengths by at most one day, the longer ones last, where each step is the larger
  share of what is left.
* Within a day, each reduction comes off the largest dose of the day; between
  equal doses, in the record's reduction order (by default
  :data:`leaflet.record.model.DEFAULT_REDUCTION_ORDER`: midday first, then morning, then
  evening, and the bedtime dose last, so that the doses stay even and the night
  dose goes last).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..record.model import DEFAULT_REDUCTION_ORDER
from .taper_supply import Supply, show_mg

__all__ = [
    "DAILY_ROWS_MAX_DAYS",
    "MAX_TAPER_DAYS",
    "SCHEDULE_SCHEMA",
    "TIMES_BY_COUNT",
    "Day",
    "Schedule",
    "Step",
    "TaperRequest",
    "compute_schedule",
    "planned_length",
    "schedule_json",
    "show_mg",
    "units_of",
]

#: The times of day doses are taken at by default, by how many doses a day are taken.
TIMES_BY_COUNT: dict[int, tuple[str, ...]] = {
    1: ("morning",),
    2: ("morning", "evening"),
    3: ("morning", "midday", "evening"),
    4: ("morning", "midday", "evening", "bedtime"),
}
#: Tapers up to this long are printed one row a day; longer ones one row a step.
DAILY_ROWS_MAX_DAYS = 28
#: The longest taper leaflet prints (a typing slip such as --days 1400 is refused).
MAX_TAPER_DAYS = 366
#: Identifies the JSON layout of :func:`schedule_json` (see docs/taper.md).
SCHEDULE_SCHEMA = "leaflet-taper-schedule/2"


@dataclass(frozen=True)
class TaperRequest:
    """A checked taper request: what the patient takes now, with what, and the plan."""

    current_mg: Decimal
    split_mg: tuple[Decimal, ...]
    supply: Supply
    start: date
    times: tuple[str, ...]
    days: int | None = None
    step_mg: Decimal | None = None
    every_days: int | None = None
    prescriber_override: bool = False
    #: "days", "step" or "label": how the plan was given.
    plan: str = "days"
    reduction_order: tuple[str, ...] = DEFAULT_REDUCTION_ORDER

    @property
    def unit_mg(self) -> Decimal:
        """The smallest amount a dose can change by (the supply's quantum)."""
        return self.supply.quantum_mg


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
        """True when a prescriber's plan is shorter than the record's minimum (override given).

        The label's own plan is never prescriber-directed, whatever its length.
        """
        return self.request.plan != "label" and self.length_days < self.minimum_days

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


def units_of(amount: Decimal, unit: Decimal) -> Decimal:
    """How many quanta of ``unit`` mg make ``amount``.

    A quantum is the smallest step of the supply: a unit, a part of a scored
    tablet, or a step of mL.
    """
    return amount / unit


def _levels(request: TaperRequest) -> list[tuple[Decimal, int]]:
    """Return (daily total in units, number of days) for each step, in order."""
    total = int(units_of(request.current_mg, request.unit_mg))
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
    step = int(units_of(request.step_mg, request.unit_mg))
    out = []
    remaining = total - step
    while remaining > 0:
        out.append((Decimal(remaining), request.every_days))
        remaining -= step
    return out


def planned_length(request: TaperRequest) -> int:
    """How many days the plan lasts before the stop day."""
    if request.days is not None:
        return request.days
    assert request.step_mg is not None and request.every_days is not None
    total = int(units_of(request.current_mg, request.unit_mg))
    step = int(units_of(request.step_mg, request.unit_mg))
    return (-(-total // step) - 1) * request.every_days


def _lower(doses: list[int], times: tuple[str, ...], by: int, order: tuple[str, ...]) -> list[int]:
    """Take ``by`` quanta off the day's doses, one at a time, largest dose first."""
    doses = list(doses)
    for _ in range(by):
        index = max(
            range(len(doses)),
            key=lambda i: (doses[i], -order.index(times[i])),
        )
        doses[index] -= 1
    return doses


def compute_schedule(request: TaperRequest, minimum_days: int) -> Schedule:
    """Turn a checked request into dated steps; see the module docstring for the rules."""
    unit = request.unit_mg
    times = request.times
    doses = [int(units_of(d, unit)) for d in request.split_mg]
    steps: list[Step] = []
    day = 1
    for units, length in _levels(request):
        doses = _lower(doses, times, sum(doses) - int(units), request.reduction_order)
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


def _dose_json(time: str, mg: Decimal, supply: Supply) -> dict[str, Any]:
    dose: dict[str, Any] = {"time": time, "mg": _number(mg)}
    if supply.is_liquid:
        dose["ml"] = _number(supply.ml(mg))
        return dose
    units = supply.compose(mg)
    dose["count"] = _number(sum((count for _, count in units), Decimal(0)))
    dose["unit"] = supply.unit_name
    if len(supply.pieces) > 1:
        dose["units"] = [
            {"strength": piece.label, "count": _number(count)} for piece, count in units
        ]
    return dose


def schedule_json(schedule: Schedule, drug: str, revision: int) -> dict[str, Any]:
    """Return the schedule as the documented JSON structure (docs/taper.md).

    Patient details are never part of it: it holds only the plan and the doses.
    """
    request = schedule.request
    supply = request.supply
    times = request.times
    product: dict[str, Any] = {
        "id": supply.product.id,
        "form": supply.product.form,
        "unit": supply.unit_name,
    }
    if supply.is_liquid:
        product["concentration"] = supply.concentration
        product["mg_per_ml"] = _number(supply.per_ml or Decimal(0))
        product["smallest_ml"] = _number(supply.step_ml)
    else:
        product["strengths"] = [
            {"strength": piece.label, "divisible_into": piece.pieces} for piece in supply.pieces
        ]
    return {
        "schema": SCHEDULE_SCHEMA,
        "drug": drug,
        "record_revision": revision,
        "route": "oral",
        "product": product,
        "plan": request.plan,
        "current_daily_mg": _number(request.current_mg),
        "start": request.start.isoformat(),
        "stop": schedule.stop_date.isoformat(),
        "length_days": schedule.length_days,
        "prescriber_directed": schedule.prescriber_directed,
        "reduction_order": [t for t in request.reduction_order if t in times],
        "days": [
            {
                "day": d.number,
                "date": d.date.isoformat(),
                "doses": [
                    _dose_json(time, mg, supply)
                    for time, mg in zip(times, d.doses_mg, strict=True)
                    if mg > 0
                ],
                "total_mg": _number(d.total_mg),
                "stop": d.is_stop,
            }
            for d in schedule.days
        ],
    }
