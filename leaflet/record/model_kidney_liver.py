"""The record's kidney and liver dose tables: bands by creatinine clearance or Child-Pugh class.

Modelled on the US PLR label's section 8.6 (renal impairment) and 8.7
(hepatic impairment) tables, with a supplement after haemodialysis.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictInt, model_validator

from .fields import Cited, Prose, Quantity, Slug, Strict
from .model_dosing import Amount
from .number_types import Clearance

__all__ = ["Adjustment", "AdjustmentBand", "Bounds", "Dialysis"]


class Bounds(Strict):
    """A band of a measurement: a lower bound (min ≥ or above >), an upper (max ≤ or below <)."""

    min: Clearance | None = Field(None, description="At least this (≥), 0 to 250 mL/min.")
    above: Clearance | None = Field(None, description="More than this (>), 0 to 250 mL/min.")
    max: Clearance | None = Field(None, description="At most this (≤), 0 to 250 mL/min.")
    below: Clearance | None = Field(None, description="Less than this (<), 0 to 250 mL/min.")

    @model_validator(mode="after")
    def _sensible(self) -> Bounds:
        if self.min is not None and self.above is not None:
            raise ValueError("two lower bounds (expected min: or above:, not both)")
        if self.max is not None and self.below is not None:
            raise ValueError("two upper bounds (expected max: or below:, not both)")
        if all(v is None for v in (self.min, self.above, self.max, self.below)):
            raise ValueError("no bound (expected min:, above:, max: or below:)")
        lower = ("min", self.min) if self.min is not None else ("above", self.above)
        upper = ("max", self.max) if self.max is not None else ("below", self.below)
        if lower[1] is not None and upper[1] is not None:
            closed = lower[0] == "min" and upper[0] == "max"
            if lower[1] > upper[1] or (not closed and lower[1] == upper[1]):
                raise ValueError(
                    f"the band is upside down (expected its lower bound below its upper one, "
                    f"got {lower[0]}: {lower[1]} and {upper[0]}: {upper[1]})"
                )
        return self


class AdjustmentBand(Strict):
    """One row of a kidney or liver table: the band, the daily range and the regimen."""

    id: Slug
    crcl: Bounds | None = Field(None, description="Creatinine clearance band, in mL/min.")
    child_pugh: Literal["A", "B", "C"] | None = Field(
        None, description="Child-Pugh class.", examples=["B"]
    )
    daily: Amount | None = Field(None, description="Total daily dose range in this band.")
    each: list[Quantity] = Field(
        default_factory=list, description="The dose choices in this band, e.g. 200 mg, 300 mg."
    )
    times_per_day: StrictInt | None = Field(
        None, ge=1, le=6, description="Doses a day in this band."
    )
    note: Prose | None = Field(
        None,
        description="A short note for this band (clinicians).",
        examples=["Give the daily total in divided doses."],
    )


class Dialysis(Strict):
    """A supplemental dose after haemodialysis."""

    supplement: list[Quantity] = Field(
        min_length=1, description="Supplemental doses, matching the table's dose choices."
    )
    after_hours: StrictInt = Field(
        ge=1, le=24, description="Given after each this many hours of haemodialysis."
    )


class Adjustment(Cited):
    """A structured dose table for kidney (creatinine clearance) or liver (Child-Pugh) function."""

    measure: Literal["creatinine_clearance", "child_pugh"] = Field(
        description="creatinine_clearance (bands by crcl, mL/min) or child_pugh (bands by class)."
    )
    bands: list[AdjustmentBand] = Field(min_length=1, description="The table's rows, in order.")
    dialysis: Dialysis | None = Field(None, description="A supplement after haemodialysis.")
    clinician: Prose | None = Field(None, description="A note printed under the table.")
