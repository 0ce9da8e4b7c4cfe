"""The drug record's typed schema: every field, its type and what it means.

A record is language-neutral where a fact is data (numbers, units, routes,
frequency bands) and holds English source text where it is prose. Prose may
contain ``{placeholders}`` whose values (doses, numbers, dates) sit beside it
under ``values``, so that numbers are formatted per locale and never typed by a
translator. Every clinical statement cites reference ids defined in
``references``. The building blocks live in :mod:`leaflet.fields`.

Field-level rules live here; rules that relate several fields (titration above
the maximum, units that do not fit the route, …) live in :mod:`leaflet.validate`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import Field, StrictBool, StrictInt, field_validator

from .fields import (
    AUDIENCES,
    ROUTES,
    Advice,
    Audience,
    Band,
    Cited,
    Name,
    Prose,
    Quantity,
    QuantityValue,
    RefId,
    Route,
    Slug,
    Statement,
    Strict,
    check_not_a_path,
    check_refs,
    prose_kind,
)

__all__ = [
    "AUDIENCES",
    "ROUTES",
    "Advice",
    "Audience",
    "Cited",
    "DrugRecord",
    "Prose",
    "Quantity",
    "QuantityValue",
    "Route",
    "TitrationStep",
    "Warning",
    "prose_kind",
]


# --- sections ---------------------------------------------------------------------------


class Reference(Strict):
    """A source the record cites."""

    id: RefId
    citation: Name = Field(description="Author/publisher, title and date.")
    url: str | None = Field(None, pattern=r"^https?://\S+$")


class Identity(Strict):
    """What the medicine is."""

    id: Slug = Field(description="Lower-case id used in file names, e.g. 'baclofen'.")
    inn: Name = Field(description="International non-proprietary name.")
    name: Prose = Field(
        description="Name printed on the documents, e.g. 'Baclofen' (translated: Баклофен)."
    )
    brands: list[Name] = Field(default_factory=list, description="Brand names (not translated).")
    drug_class: Advice = Field(description="The drug class, for patients and clinicians.")
    atc_code: str = Field(pattern=r"^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$", description="WHO ATC code.")
    _check_name = field_validator("name")(check_not_a_path)


class Regulatory(Strict):
    """What the content is based on, and which revision this is."""

    basis: Literal["us-pi"] = Field(description="'us-pi': US prescribing information (FDA).")
    revision: StrictInt = Field(
        ge=1, description="Revision number; raise it with every content change."
    )
    revision_date: date = Field(description="Date of this revision (YYYY-MM-DD).")
    refs: list[RefId] = Field(min_length=1)
    _check_ref_ids = field_validator("refs")(check_refs)


class Strength(Strict):
    """One strength of a product."""

    amount: Quantity = Field(description="Active substance per unit, e.g. '10 mg'.")
    per: Quantity | None = Field(None, description="For liquids: the volume, e.g. '5 mL'.")
    scored: StrictBool = Field(
        False,
        description="True only when the cited labelling says the tablet is scored for halving.",
    )


Form = Literal[
    "tablet",
    "oral_solution",
    "oral_suspension",
    "oral_granules",
    "injection",
    "intrathecal_injection",
]


class Product(Cited):
    """A dose form on the market, with its strengths and storage."""

    id: Slug
    brand: Name | None = Field(
        None,
        description="Brand name, printed as is (e.g. 'Ozobax'); omit for a generic product, "
        "which is named after the drug. The form is added in each language.",
    )
    route: Route
    form: Form
    strengths: list[Strength] = Field(min_length=1)
    storage: Prose | None = Field(None, description="How to store it; omit if no source says.")


class Indication(Cited):
    """An approved use, for one route."""

    route: Route
    patient: Prose
    clinician: Prose


class Indications(Strict):
    """Approved and off-label uses, kept apart."""

    approved: list[Indication] = Field(min_length=1)
    not_recommended: list[Statement] = Field(default_factory=list)
    off_label: list[Statement] = Field(
        default_factory=list, description="Uses outside the labels; clinician card only."
    )


class TitrationStep(Strict):
    """One step of an oral titration: the same dose several times a day for some days."""

    first_day: StrictInt = Field(ge=1)
    last_day: StrictInt = Field(ge=1)
    dose: Quantity = Field(description="Each single dose, e.g. '5 mg'.")
    times_per_day: StrictInt = Field(ge=1, le=12)

    @property
    def daily_total(self) -> Decimal:
        """The day's total amount, in the dose's unit."""
        return self.dose.value * self.times_per_day


class OralDosing(Cited):
    """Adult oral dosing: titration steps and the maximum daily dose."""

    titration: list[TitrationStep] = Field(min_length=1)
    max_daily: Quantity = Field(description="Maximum total per day, e.g. '80 mg'.")
    max_regimen_dose: Quantity = Field(description="The maximum split: each dose, e.g. '20 mg'.")
    max_regimen_times_per_day: StrictInt = Field(ge=1, le=12)
    patient: Prose
    clinician: Prose


class ScreeningDose(Strict):
    """One intrathecal screening bolus."""

    dose: Quantity
    volume: Quantity


class PercentRange(Strict):
    """A range of percentages, e.g. 10 to 30."""

    min: Decimal = Field(ge=0, le=100)
    max: Decimal = Field(ge=0, le=100)


class DoseRange(Strict):
    """A range of daily amounts."""

    min: Quantity
    max: Quantity


class OriginTitration(Strict):
    """Intrathecal dose changes and usual maintenance for one origin of spasticity."""

    origin: Prose = Field(description="Origin of spasticity, e.g. 'Spinal' or 'Cerebral'.")
    titration_increase: PercentRange = Field(description="Daily increase during titration (%).")
    maintenance_increase: PercentRange
    maintenance_decrease: PercentRange
    usual_daily: DoseRange


class IntrathecalDosing(Cited):
    """Intrathecal screening, titration and maintenance, all in mcg."""

    screening: list[ScreeningDose] = Field(min_length=1)
    screening_note: Prose
    post_implant: Prose
    by_origin: list[OriginTitration] = Field(min_length=1)
    paediatric_usual_daily: DoseRange | None = None
    experience_limit_daily: Quantity | None = Field(
        None, description="Daily dose above which experience is limited."
    )
    limits_note: Prose | None = None


class Dosing(Strict):
    """All dosing, by route."""

    oral: OralDosing | None = None
    intrathecal: IntrathecalDosing | None = None


class Paediatric(Advice):
    """Children: the age limit for one route."""

    route: Route
    min_age_years: StrictInt | None = Field(None, ge=0, le=18)
    status: Literal["approved", "not_established"]


class Populations(Strict):
    """Special groups."""

    paediatric: list[Paediatric] = Field(min_length=1)
    elderly: Advice
    renal: Advice
    hepatic: Advice
    pregnancy: Advice
    breastfeeding: Advice


class Contraindication(Advice):
    """When not to use the medicine, optionally for one route only."""

    route: Route | None = None


class Warning(Advice):
    """A warning or precaution, with the audiences whose documents must print it."""

    id: Slug
    title: Prose = Field(description="A short heading for the clinician card.")
    taper: Prose | None = Field(None, description="Wording for the taper handout.")
    required_in: list[Audience] = Field(
        default_factory=list,
        description="Documents that must print this warning; preflight checks the PDF text.",
    )
    key: StrictBool = Field(False, description="Shown in the patient's 'most important' box.")
    route: Route | None = Field(None, description="Set when the warning is about one route only.")
    population: Literal["pregnancy"] | None = Field(
        None, description="Set when the warning is about one group of people."
    )

    def text_for(self, audience: Audience) -> str | None:
        """Return the wording used in ``audience``'s document."""
        return {"patient": self.patient, "clinician": self.clinician, "taper": self.taper}[audience]


class BoxedWarning(Cited):
    """A boxed warning, reproduced as the label gives it."""

    route: Route
    title: Prose
    paragraphs: list[Prose] = Field(min_length=1)
    source_note: Prose | None = Field(None, description="How the wording was obtained.")


Action = Literal["emergency", "call_doctor", "if_bothersome"]


class PercentSpan(Strict):
    """An incidence range from a US label, in percent."""

    min: Decimal = Field(ge=0, le=100)
    max: Decimal = Field(ge=0, le=100)


class SideEffect(Advice):
    """A side effect, what the patient should do about it, and how often it happens."""

    route: Route
    action: Action = Field(description="emergency, call_doctor or if_bothersome.")
    band: Band | None = Field(None, description="EU frequency band, when known.")
    us_percent: PercentSpan | None = Field(None, description="Incidence in the US label (%).")


class SideEffects(Strict):
    """Side effects and where their frequencies come from."""

    band_source: Statement = Field(description="Where the frequency bands come from.")
    items: list[SideEffect] = Field(min_length=1)


class Interaction(Advice):
    """Another medicine or substance that interacts."""

    agent: Prose = Field(description="The other medicine or substance.")


class RouteStatement(Advice):
    """A statement that applies to one route."""

    route: Route


class WithdrawalSigns(Advice):
    """Withdrawal signs for one route, in a tier that tells the patient what to do."""

    route: Route
    tier: Literal["call_today", "emergency"]


class Withdrawal(Strict):
    """Withdrawal: signs by route and tier, and management."""

    signs: list[WithdrawalSigns] = Field(min_length=1)
    management: list[RouteStatement] = Field(min_length=1)


class Overdose(Strict):
    """Overdose: what patients should do; signs and management by route."""

    patient_action: Statement
    signs: list[RouteStatement] = Field(min_length=1)
    management: list[RouteStatement] = Field(min_length=1)


class Taper(Strict):
    """How to stop the medicine."""

    minimum_days: StrictInt = Field(
        ge=1, description="Shortest oral taper printed without override."
    )
    guidance: list[Advice] = Field(min_length=1)
    pump: list[Advice] = Field(default_factory=list, description="For people with a pump.")


class PkParameter(Cited):
    """A pharmacokinetic fact."""

    parameter: Prose
    value: Prose


class DrugRecord(Strict):
    """One medicine: everything the three documents say, with sources."""

    schema_version: Literal[1] = Field(description="Version of this record format.")
    drug: Identity
    regulatory: Regulatory
    references: list[Reference] = Field(min_length=1)
    mechanism: Statement
    products: list[Product] = Field(min_length=1)
    indications: Indications
    dosing: Dosing
    populations: Populations
    contraindications: list[Contraindication] = Field(min_length=1)
    warnings: list[Warning] = Field(min_length=1)
    boxed_warnings: list[BoxedWarning] = Field(default_factory=list)
    side_effects: SideEffects
    interactions: list[Interaction] = Field(default_factory=list)
    overdose: Overdose
    withdrawal: Withdrawal
    taper: Taper
    pharmacokinetics: list[PkParameter] = Field(default_factory=list)
