"""The drug record's typed schema (version 2): every field, its type and what it means.

A record is language-neutral where a fact is data (numbers, units, routes,
dose forms, frequency bands) and holds English source text where it is prose.
Prose may contain ``{placeholders}`` whose values (doses, numbers, dates) sit
beside it under ``values``, so that numbers are formatted per locale and never
typed by a translator. Every clinical statement cites reference ids defined in
``references``. Every list item that holds prose has a stable ``id``: the
translation of its text is found by that id, so inserting, removing or
reordering items never moves a translation to another item.

This module holds :class:`DrugRecord` and the sections not kept elsewhere. The
building blocks live in :mod:`leaflet.record.fields`; products in
:mod:`leaflet.record.model_products`, dosing in :mod:`leaflet.record.model_dosing`,
kidney and liver tables in :mod:`leaflet.record.model_kidney_liver`, and
warnings, side effects, overdose and withdrawal in :mod:`leaflet.record.model_safety`.
Rules that relate several fields live in :mod:`leaflet.record.record_rules`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictInt, field_validator, model_validator

from .fields import (
    AUDIENCES,
    ROUTES,
    Advice,
    Audience,
    Cited,
    Name,
    Prose,
    Quantity,
    QuantityValue,
    RecordDate,
    RefId,
    Route,
    Slug,
    Statement,
    Strict,
    check_not_a_path,
    check_refs,
    prose_kind,
)
from .model_dosing import PercentRange, Regimen, TitrationStep
from .model_kidney_liver import Adjustment
from .model_products import TIMES_OF_DAY, Note, Product, TimeOfDay
from .model_safety import (
    POPULATION_CODES,
    BoxedWarning,
    Contraindication,
    Interaction,
    Overdose,
    RouteNote,
    SideEffects,
    Warning,
    Withdrawal,
)

__all__ = [
    "AUDIENCES",
    "POPULATION_CODES",
    "ROUTES",
    "SCHEMA_VERSION",
    "Advice",
    "Audience",
    "Cited",
    "DrugRecord",
    "Item",
    "Note",
    "PercentRange",
    "Product",
    "Prose",
    "Quantity",
    "QuantityValue",
    "Regimen",
    "Route",
    "TitrationStep",
    "Warning",
    "prose_kind",
]

#: The record format this version of leaflet reads.
SCHEMA_VERSION = 2


# --- identity and sources ---------------------------------------------------------------


class Reference(Strict):
    """A source the record cites."""

    id: RefId
    citation: Name = Field(description="Author/publisher, title and date.")
    url: str | None = Field(
        None, pattern=r"^https?://\S+$", description="Where the source can be read."
    )


class LabelVersion(Strict):
    """A label the record follows, with its version and date."""

    id: Slug = Field(examples=["neurontin"])
    title: Name = Field(
        description="The label's title as published, e.g. 'NEURONTIN (gabapentin) capsules, "
        "tablets, oral solution'."
    )
    version: Name | None = Field(
        None, description="Its version as the publisher numbers it, e.g. 'DailyMed v48'."
    )
    date: RecordDate | None = Field(
        None,
        description="Its effective or revision date (YYYY-MM-DD), from 1950 to one year "
        "after today.",
    )
    refs: list[RefId] = Field(min_length=1)
    _check_ref_ids = field_validator("refs")(check_refs)


class Regulatory(Strict):
    """What the content is based on, and which revision this is."""

    basis: Literal["us-pi"] = Field(description="'us-pi': US prescribing information (FDA).")
    labels: list[LabelVersion] = Field(
        min_length=1, description="The labels this record follows, with version and date."
    )
    revision: StrictInt = Field(
        ge=1, le=1000, description="Revision number; raise it with every content change."
    )
    revision_date: RecordDate = Field(
        description="Date of this revision (YYYY-MM-DD), from 1950 to one year after today "
        "(an earlier or later year is a typing slip)."
    )
    refs: list[RefId] = Field(min_length=1)
    _check_ref_ids = field_validator("refs")(check_refs)


class ControlledSubstance(Cited):
    """A medicine controlled under the US Controlled Substances Act."""

    schedule: Literal["II", "III", "IV", "V"] = Field(description="DEA schedule, e.g. 'IV'.")


class Identity(Strict):
    """What the medicine is."""

    id: Slug = Field(description="Lower-case id used in file names, e.g. 'baclofen'.")
    inn: Name = Field(description="International non-proprietary name.")
    name: Prose = Field(
        description="Name printed on the documents, e.g. 'Baclofen' (translated: Баклофен)."
    )
    drug_class: Advice = Field(description="The drug class, for patients and clinicians.")
    atc_code: str | None = Field(
        None,
        pattern=r"^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$",
        description="WHO ATC code; omit when no source confirms it.",
    )
    controlled: ControlledSubstance | None = Field(
        None, description="The US controlled-substance schedule, if any."
    )
    _check_name = field_validator("name")(check_not_a_path)


# --- uses -------------------------------------------------------------------------------


class Title(Strict):
    """A short name for something, in plain words and for clinicians."""

    patient: Prose | None = Field(None, examples=["Nerve pain after shingles"])
    clinician: Prose | None = Field(None, examples=["Postherpetic neuralgia"])

    @model_validator(mode="after")
    def _has_text(self) -> Title:
        if self.patient is None and self.clinician is None:
            raise ValueError("no text (expected patient:, clinician: or both)")
        return self


class Indication(Cited):
    """An approved use, for one route."""

    id: Slug = Field(examples=["phn"])
    route: Route = Field(description="The route the use is approved for.")
    title: Title = Field(description="Short names, used as headings in dosing tables.")
    patient: Prose
    clinician: Prose


class Item(Statement):
    """A sourced statement with a stable id."""

    id: Slug


class Indications(Strict):
    """Approved and off-label uses, kept apart."""

    approved: list[Indication] = Field(min_length=1, description="Approved uses.")
    not_recommended: list[Item] = Field(
        default_factory=list, description="Uses the labels advise against."
    )
    off_label: list[Item] = Field(
        default_factory=list, description="Uses outside the labels; clinician card only."
    )


# --- special populations ----------------------------------------------------------------


class ChildrenNote(Advice):
    """Children: what the label says for one route."""

    id: Slug
    route: Route | None = None
    status: Literal["approved", "not_established", "not_recommended"] = Field(
        description="approved, not_established or not_recommended."
    )
    min_age: StrictInt | None = Field(None, ge=0, le=18, description="Youngest age, in years.")


class OrganFunction(Advice):
    """Kidney or liver impairment: advice, and a structured dose table where labelled."""

    adjustment: Adjustment | None = Field(
        None, description="Dose table by creatinine clearance (kidney) or Child-Pugh (liver)."
    )


class Populations(Strict):
    """Special groups."""

    children: list[ChildrenNote] = Field(min_length=1, description="Children, per route.")
    older_adults: Advice = Field(description="Older adults.")
    kidney: OrganFunction = Field(description="Kidney impairment, with a dose table if any.")
    liver: OrganFunction = Field(description="Liver impairment, with a dose table if any.")
    pregnancy: Advice = Field(description="Pregnancy.")
    breastfeeding: Advice = Field(description="Breast-feeding.")


class LabelPlan(Cited):
    """A taper the label itself describes: lower the daily total by a step every few days."""

    indication: Slug | None = Field(None, description="The indication the label gives it for.")
    daily_step: Quantity = Field(
        description="How much the daily total drops at each step, e.g. '0.25 mg'."
    )
    every_days: StrictInt = Field(ge=1, le=90, description="Days between steps.")
    patient: Prose | None = Field(
        None, description="Printed on a calendar made with this plan: what it is."
    )
    clinician: Prose | None = Field(None, description="The plan as the card states it.")


#: The order equal doses are reduced in when a record does not say: midday first, bedtime
#: last, so the doses stay even and the night dose is the last to go.
DEFAULT_REDUCTION_ORDER: tuple[TimeOfDay, ...] = ("midday", "morning", "evening", "bedtime")


class Taper(Strict):
    """How to stop the medicine."""

    minimum_days: StrictInt = Field(
        ge=1, le=365, description="Shortest taper printed without --prescriber-override."
    )
    reduction_order: list[TimeOfDay] = Field(
        default_factory=lambda: list(DEFAULT_REDUCTION_ORDER),
        description="Between equal doses, the time of day reduced first comes first.",
    )
    label_plan: LabelPlan | None = Field(
        None, description="The label's own taper, for `leaflet taper --plan label`."
    )
    guidance: list[RouteNote] = Field(min_length=1, description="How stopping works.")

    @field_validator("reduction_order")
    @classmethod
    def _every_time_once(cls, order: list[TimeOfDay]) -> list[TimeOfDay]:
        if sorted(order) != sorted(TIMES_OF_DAY):
            raise ValueError(
                f"expected each of {', '.join(TIMES_OF_DAY)} once (got {', '.join(order)})"
            )
        return order


class PkParameter(Cited):
    """A pharmacokinetic fact."""

    id: Slug
    parameter: Prose
    value: Prose


class DrugRecord(Strict):
    """One medicine: everything the three documents say, with sources."""

    schema_version: Literal[2] = Field(description="Version of this record format: 2.")
    documents: list[Audience] = Field(
        default_factory=lambda: list(AUDIENCES),
        description="The documents that apply to this medicine (patient, clinician, taper); "
        "a taper handout only makes sense for a medicine that must not be stopped suddenly.",
    )
    drug: Identity = Field(description="What the medicine is: its id, names and class.")
    regulatory: Regulatory = Field(description="The labels followed and this revision.")
    references: list[Reference] = Field(min_length=1, description="Every source cited.")
    mechanism: Statement | None = Field(None, description="How it works (clinicians).")
    products: list[Product] = Field(min_length=1, description="Every dose form on the market.")
    indications: Indications = Field(description="What it is used for.")
    regimens: list[Regimen] = Field(
        min_length=1, description="How each use is dosed in each population."
    )
    administration: list[Note] = Field(
        default_factory=list, description="How to take it, for every product (timing, food …)."
    )
    missed_dose: Advice | None = Field(
        None,
        description="What to do about a missed dose, where the label says.",
        examples=[
            {
                "patient": "If you miss a dose, take it when you remember, unless it is almost "
                "time for the next one. Never take two doses at once.",
                "refs": ["L1"],
            }
        ],
    )
    populations: Populations = Field(description="Children, older adults, kidney, liver …")
    contraindications: list[Contraindication] = Field(
        default_factory=list, description="When not to use it."
    )
    warnings: list[Warning] = Field(min_length=1, description="Warnings and precautions.")
    boxed_warnings: list[BoxedWarning] = Field(
        default_factory=list, description="Boxed warnings, verbatim."
    )
    side_effects: SideEffects = Field(description="Side effects.")
    interactions: list[Interaction] = Field(
        default_factory=list, description="Other medicines and substances."
    )
    overdose: Overdose = Field(description="Overdose.")
    withdrawal: Withdrawal | None = Field(None, description="Required for a taper handout.")
    taper: Taper | None = Field(None, description="Required for a taper handout.")
    pharmacokinetics: list[PkParameter] = Field(
        default_factory=list, description="Pharmacokinetic facts (clinicians)."
    )

    def routes(self) -> list[str]:
        """Every route of the record's products, in the order of ROUTES."""
        used = {p.route for p in self.products}
        return [r for r in ROUTES if r in used]

    def patient_routes(self) -> list[str]:
        """Routes of the products patients take themselves."""
        used = {p.route for p in self.products if p.self_administered}
        return [r for r in ROUTES if r in used]
