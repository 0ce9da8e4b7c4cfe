"""The record's products: dose forms, strengths, how to take a product, and sourced notes.

Dose forms follow EDQM standard terms (see ``docs/record-format.md``); times
of day follow HL7 FHIR ``Timing`` (MORN, NOON, EVE, HS).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, StrictBool, model_validator

from .fields import Cited, Name, Prose, Quantity, Route, Slug, Strict

__all__ = [
    "EXTENDED_RELEASE_FORMS",
    "FORMS",
    "LIQUID_FORMS",
    "PROFESSIONAL_FORMS",
    "TABLET_FORMS",
    "TIMES_OF_DAY",
    "Administration",
    "Form",
    "Note",
    "Product",
    "Strength",
    "TimeOfDay",
]

Form = Literal[
    "tablet",
    "film_coated_tablet",
    "er_tablet",
    "er_capsule",
    "capsule",
    "odt",
    "oral_solution",
    "oral_suspension",
    "oral_granules",
    "injection",
    "intrathecal_injection",
]
FORMS: tuple[str, ...] = Form.__args__  # type: ignore[attr-defined]
#: Forms measured in millilitres: every dose of them is also written in mL.
LIQUID_FORMS = frozenset({"oral_solution", "oral_suspension"})
#: Forms a health professional gives: not part of the patient's own dosing.
PROFESSIONAL_FORMS = frozenset({"injection", "intrathecal_injection"})
#: Tablets that may be scored for halves or quarters.
TABLET_FORMS = frozenset({"tablet", "film_coated_tablet"})
#: Forms that must be swallowed whole: never split, crushed, chewed or opened.
EXTENDED_RELEASE_FORMS = frozenset({"er_tablet", "er_capsule"})

TimeOfDay = Literal["morning", "midday", "evening", "bedtime"]
#: The times of day in the order of the day (FHIR timing: MORN, NOON, EVE, HS).
TIMES_OF_DAY: tuple[TimeOfDay, ...] = ("morning", "midday", "evening", "bedtime")


class Note(Cited):
    """A sourced remark with a stable id, for patients, clinicians or both."""

    id: Slug
    patient: Prose | None = Field(None, description="Plain language, US grade 8 or below.")
    clinician: Prose | None = Field(None, description="Precise wording for prescribers.")

    @model_validator(mode="after")
    def _has_text(self) -> Note:
        if self.patient is None and self.clinician is None:
            raise ValueError("no text (expected patient:, clinician: or both)")
        return self


# --- products ---------------------------------------------------------------------------


class Strength(Strict):
    """One strength of a product: per unit (tablet, capsule, packet) or per volume."""

    amount: Quantity = Field(
        description="Active substance per unit or per volume, e.g. '300 mg' or '250 mg'.",
        examples=["300 mg", "0.5 mg"],
    )
    per: Quantity | None = Field(
        None,
        description="Liquids only: the volume the amount is in, e.g. '5 mL' for 250 mg/5 mL.",
        examples=["5 mL", "1 mL"],
    )
    scored: Literal["none", "halves", "quarters"] = Field(
        "none",
        description="Tablets only: 'halves' (or 'quarters') when the cited labelling says the "
        "tablet is scored to be divided so. The taper calendar never divides anything else.",
    )

    @property
    def per_ml(self) -> Decimal | None:
        """The concentration in amount per mL (liquids), else None."""
        if self.per is None:
            return None
        return self.amount.value / self.per.value

    @property
    def pieces(self) -> int:
        """How many pieces one unit may be divided into: 1, 2 or 4."""
        return {"none": 1, "halves": 2, "quarters": 4}[self.scored]


class Administration(Strict):
    """How to take a product: food, timing, opening capsules, and product-specific advice."""

    food: Literal["with_or_without", "with_food", "without_food", "same_way_each_time"] | None = (
        Field(
            None,
            description="with_or_without, with_food, without_food or same_way_each_time "
            "(always with food or always without); omit when no source says.",
        )
    )
    time_of_day: TimeOfDay | None = Field(
        None, description="The time a once-daily dose is taken, e.g. 'bedtime'."
    )
    may_open: StrictBool = Field(
        False, description="Capsules only: true when the labelling allows opening them."
    )
    notes: list[Note] = Field(
        default_factory=list,
        description="Product-specific advice (how to open the pack, how to measure …).",
    )


class Product(Cited):
    """A dose form on the market, with its strengths, brands and how to take and store it."""

    id: Slug = Field(examples=["gabapentin-capsules"])
    brands: list[Name] = Field(
        default_factory=list,
        description="Brand names of this product, printed as they are; empty for a generic.",
        examples=[["Neurontin"]],
    )
    route: Route
    form: Form = Field(description="Dose form (EDQM standard terms).")
    strengths: list[Strength] = Field(
        min_length=1, description="Every strength on the market, e.g. [{amount: 300 mg}]."
    )
    take: Administration | None = Field(None, description="How to take it.")
    storage: Prose | None = Field(None, description="How to store it; omit if no source says.")

    @property
    def is_liquid(self) -> bool:
        """True for a liquid measured in mL."""
        return self.form in LIQUID_FORMS

    @property
    def self_administered(self) -> bool:
        """True for a product patients take themselves (not an injection or a pump)."""
        return self.form not in PROFESSIONAL_FORMS
