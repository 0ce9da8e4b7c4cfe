"""The record's dosing: amounts, doses, titration, percentage changes and regimens.

Modelled on how labels describe a medicine: the US PLR label's section 2
(dosage per indication and population), the EU SmPC's 4.2, and HL7 FHIR
``Dosage`` (times of day, dose quantity, maximum per period). Products live in
:mod:`leaflet.record.model_products`, kidney and liver tables in
:mod:`leaflet.record.model_kidney_liver`. Rules that relate these to the rest
of the record (an indication id that must exist, a titration above the maximum
…) live in :mod:`leaflet.record.record_rules`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Discriminator, Field, StrictBool, StrictInt, Tag, model_validator

from .fields import Cited, Prose, Quantity, QuantityValue, Route, Slug, Strict
from .model_products import Note, TimeOfDay
from .number_types import PercentNumber, range_or_single

__all__ = [
    "Amount",
    "AmountRange",
    "Dose",
    "Percent",
    "PercentChange",
    "PercentRange",
    "PopulationSpec",
    "Regimen",
    "TestDose",
    "TimesPerDay",
    "TimesRange",
    "TitrationStep",
    "amount_ends",
    "amount_top",
]

# --- amounts and doses ------------------------------------------------------------------


class AmountRange(Strict):
    """A range of amounts in one unit, e.g. 300 mg to 600 mg."""

    min: Quantity
    max: Quantity

    @model_validator(mode="after")
    def _ordered(self) -> AmountRange:
        if self.min.unit != self.max.unit:
            raise ValueError(
                f"a range needs one unit (expected min and max in the same unit, got "
                f"{self.min.unit} and {self.max.unit})"
            )
        if self.min.value > self.max.value:
            raise ValueError(
                f"the range is upside down (expected min <= max, got {self.min} to {self.max})"
            )
        return self

    @property
    def unit(self) -> str:
        """The range's unit."""
        return self.min.unit


Amount = Annotated[
    Annotated[Quantity, Tag("Single")] | Annotated[AmountRange, Tag("Range")],
    Discriminator(range_or_single),
]


def amount_ends(amount: Amount | None) -> list[QuantityValue]:
    """The quantities an amount names: itself, or both ends of a range."""
    if amount is None:
        return []
    return [amount.min, amount.max] if isinstance(amount, AmountRange) else [amount]


def amount_top(amount: Amount | None) -> QuantityValue | None:
    """The largest quantity an amount allows: itself, or the top of a range."""
    return amount.max if isinstance(amount, AmountRange) else amount


class TimesRange(Strict):
    """A number of doses a day given as a range, e.g. 3 or 4 times a day."""

    min: StrictInt = Field(ge=1, le=6, description="The fewer doses a day.")
    max: StrictInt = Field(ge=1, le=6, description="The more doses a day.")

    @model_validator(mode="after")
    def _ordered(self) -> TimesRange:
        if self.min >= self.max:
            what = "the range is upside down" if self.min > self.max else "not a range"
            raise ValueError(
                f"{what} (expected min < max, or one number, got {self.min} and {self.max})"
            )
        return self


TimesPerDay = Annotated[
    Annotated[StrictInt, Tag("Single")] | Annotated[TimesRange, Tag("Range")],
    Discriminator(range_or_single),
]


class Dose(Strict):
    """A dose as labels give it: each dose, the daily total, how often, and when."""

    each: Amount | None = Field(None, description="Each single dose, e.g. '300 mg'.")
    daily: Amount | None = Field(
        None, description="Total per day, e.g. {min: 900 mg, max: 1800 mg}."
    )
    times_per_day: TimesPerDay | None = Field(
        None, description="Doses a day (1 to 6), or a range {min: 3, max: 4}."
    )
    at: list[TimeOfDay] = Field(
        default_factory=list, description="Times of day, e.g. [bedtime] (FHIR MORN/NOON/EVE/HS)."
    )
    observed: StrictBool = Field(
        False, description="True when the range was observed in studies, not recommended."
    )

    @model_validator(mode="after")
    def _has_amount(self) -> Dose:
        if self.each is None and self.daily is None:
            raise ValueError("no amount (expected each:, daily: or both)")
        if isinstance(self.times_per_day, int) and not 1 <= self.times_per_day <= 6:
            raise ValueError(f"expected 1 to 6 doses a day (got {self.times_per_day})")
        if self.at and isinstance(self.times_per_day, int) and len(self.at) != self.times_per_day:
            raise ValueError(
                f"times of day do not match the doses a day (expected {self.times_per_day} "
                f"time(s) under at:, got {len(self.at)})"
            )
        return self

    def amounts(self) -> list[QuantityValue]:
        """Every quantity this dose names."""
        return [*amount_ends(self.each), *amount_ends(self.daily)]

    def highest_daily(self) -> QuantityValue | None:
        """The largest daily total this dose allows, where it can be known."""
        if self.daily is not None:
            return amount_top(self.daily)
        each = amount_top(self.each)
        times = self.times_per_day
        count = times.max if isinstance(times, TimesRange) else times
        if each is None or count is None:
            return None
        return QuantityValue(value=each.value * count, unit=each.unit)


class TitrationStep(Strict):
    """One step of a titration: the same dose some times a day, on one day or several."""

    first_day: StrictInt = Field(
        ge=1, le=365, description="The step's first day (day 1 = start; within the first year)."
    )
    last_day: StrictInt | None = Field(
        None, ge=1, le=365, description="Omit for a one-day step (printed 'Day 1')."
    )
    each: Quantity = Field(description="Each single dose, e.g. '300 mg'.")
    times_per_day: StrictInt = Field(ge=1, le=6, description="Doses a day on this step.")

    @property
    def end(self) -> int:
        """The step's last day."""
        return self.first_day if self.last_day is None else self.last_day

    @property
    def daily_total(self) -> Decimal:
        """The day's total amount, in the dose's unit."""
        return self.each.value * self.times_per_day


class PercentRange(Strict):
    """A range of percentages, e.g. 10 to 30."""

    min: PercentNumber = Field(description="The lowest percentage.")
    max: PercentNumber = Field(description="The highest percentage.")

    @model_validator(mode="after")
    def _ordered(self) -> PercentRange:
        if self.min > self.max:
            raise ValueError(f"the range is upside down (expected min <= max, got {self.min} "
                             f"to {self.max})")  # fmt: skip
        return self


#: An incidence: one percentage (19) or a range ({min: 10, max: 63}).
Percent = Annotated[
    Annotated[PercentNumber, Tag("Single")] | Annotated[PercentRange, Tag("Range")],
    Discriminator(range_or_single),
]


class PercentChange(Strict):
    """Dose changes given as percentages of the daily dose (e.g. intrathecal titration)."""

    increase: PercentRange | None = Field(None, description="Increase by this much (%).")
    decrease: PercentRange | None = Field(None, description="Decrease by this much (%).")
    every_hours: StrictInt | None = Field(
        None, ge=1, le=720, description="How often the change may be made, e.g. 24 (hours)."
    )

    @model_validator(mode="after")
    def _has_change(self) -> PercentChange:
        if self.increase is None and self.decrease is None:
            raise ValueError("no change (expected increase:, decrease: or both)")
        return self


class TestDose(Strict):
    """A test (screening) dose given before treatment starts."""

    dose: Quantity = Field(description="The test dose, e.g. '50 mcg'.")
    volume: Quantity | None = Field(None, description="Its volume, e.g. '1 mL'.")


class PopulationSpec(Strict):
    """Who a regimen is for: a group, and optionally ages and weights."""

    group: Literal["adults", "children", "adults_and_children", "older_adults", "all"] = Field(
        description="adults, children, adults_and_children, older_adults or all."
    )
    min_age: StrictInt | None = Field(None, ge=0, le=120, description="Youngest age, in years.")
    max_age: StrictInt | None = Field(None, ge=0, le=120, description="Oldest age, in years.")
    max_weight_kg: StrictInt | None = Field(
        None, ge=1, le=300, description="Or weighing up to this, in kg (children)."
    )

    @model_validator(mode="after")
    def _ordered(self) -> PopulationSpec:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError(f"ages upside down (expected min_age <= max_age, got "
                             f"{self.min_age} and {self.max_age})")  # fmt: skip
        return self


class Regimen(Cited):
    """How one indication is dosed in one population: start, titration, usual, maximum."""

    id: Slug = Field(examples=["phn-adults"])
    indication: Slug = Field(description="The id of an approved indication.")
    population: PopulationSpec = Field(description="Who the regimen is for.")
    subgroup: Prose | None = Field(
        None, description="A narrower group, e.g. 'Spinal origin'.", examples=["Spinal origin"]
    )
    route: Route
    products: list[Slug] = Field(
        default_factory=list,
        description="Products this regimen is for (ids); empty: every product of the route.",
    )
    test_doses: list[TestDose] = Field(
        default_factory=list, description="Screening doses, in order (e.g. intrathecal bolus)."
    )
    start: Dose | None = Field(None, description="The starting dose.")
    titration: list[TitrationStep] = Field(
        default_factory=list, description="Titration steps, day by day; optional."
    )
    titration_change: PercentChange | None = Field(
        None, description="Titration as a percentage change of the daily dose."
    )
    usual: Dose | None = Field(None, description="The usual maintenance dose.")
    maintenance_change: PercentChange | None = Field(
        None, description="Maintenance adjustments as a percentage of the daily dose."
    )
    maximum: Dose | None = Field(
        None, description="The labelled maximum: daily, and each dose where given."
    )
    patient: Prose | None = Field(None, description="Plain words about this regimen.")
    clinician: Prose | None = Field(None, description="Notes for prescribers.")
    notes: list[Note] = Field(
        default_factory=list, description="Further sourced notes (screening, limits …)."
    )

    @model_validator(mode="after")
    def _has_dosing(self) -> Regimen:
        if not (self.test_doses or self.start or self.titration or self.usual or self.maximum):
            raise ValueError(
                "no dosing (expected at least one of test_doses, start, titration, usual, maximum)"
            )
        return self
