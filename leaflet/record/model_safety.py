"""The record's safety sections: contraindications, warnings, side effects, overdose, withdrawal."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool

from .fields import Advice, Audience, Band, Cited, Prose, Route, Slug, Statement, Strict
from .model_dosing import Percent

__all__ = [
    "POPULATION_CODES",
    "Action",
    "BoxedParagraph",
    "BoxedWarning",
    "Contraindication",
    "Incidence",
    "Interaction",
    "Overdose",
    "PopulationCode",
    "RouteNote",
    "SideEffect",
    "SideEffects",
    "Warning",
    "Withdrawal",
    "WithdrawalSigns",
]

#: Groups of people a warning or an incidence can be about.
PopulationCode = Literal[
    "pregnancy", "breastfeeding", "children", "older_adults", "kidney", "liver"
]
POPULATION_CODES: tuple[str, ...] = PopulationCode.__args__  # type: ignore[attr-defined]


class Contraindication(Advice):
    """When not to use the medicine, optionally for one route only."""

    id: Slug
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
    population: PopulationCode | None = Field(
        None, description="Set when the warning is about one group of people."
    )
    topic: Literal["driving", "alcohol"] | None = Field(
        None,
        description="Also printed under the patient leaflet's sub-heading for this topic "
        "('Driving and using machines', '<drug> with alcohol').",
    )

    def text_for(self, audience: Audience) -> str | None:
        """Return the wording used in ``audience``'s document."""
        return {"patient": self.patient, "clinician": self.clinician, "taper": self.taper}[audience]


class BoxedParagraph(Strict):
    """One paragraph of a boxed warning."""

    id: Slug
    text: Prose


class BoxedWarning(Cited):
    """A boxed warning, reproduced as the label gives it."""

    id: Slug
    route: Route | None = Field(None, description="Set when the box is about one route only.")
    title: Prose
    paragraphs: list[BoxedParagraph] = Field(
        min_length=1, description="The box's paragraphs, verbatim, each with an id."
    )
    source_note: Prose | None = Field(None, description="How the wording was obtained.")


Action = Literal["emergency", "call_doctor", "if_bothersome"]


class Incidence(Strict):
    """How often a side effect occurred in US label data: one percentage or a range."""

    percent: Percent = Field(
        description="A single percentage (19) or a range {min: 10, max: 63}, each from 0 to "
        "100 with at most 4 decimal places."
    )
    placebo: Percent | None = Field(
        None, description="The placebo group's percentage, where the label gives it."
    )
    indication: Slug | None = Field(None, description="The indication's id, when it differs.")
    population: Literal["adults", "children"] | None = Field(
        None,
        description="adults or children, when the figure is for one group.",
        examples=["adults"],
    )
    approximate: StrictBool = Field(
        False, description="True when the label gives the figure as approximate ('about 50%')."
    )


class SideEffect(Advice):
    """A side effect, what the patient should do about it, and how often it happens."""

    id: Slug
    route: Route | None = Field(None, description="Set when it is about one route only.")
    action: Action = Field(description="emergency, call_doctor or if_bothersome.")
    band: Band | None = Field(None, description="EU frequency band, when known.")
    incidence: list[Incidence] = Field(
        default_factory=list, description="Incidence in US labelling; omit when none is given."
    )


class SideEffects(Strict):
    """Side effects and where their frequency bands come from."""

    band_source: Statement | None = Field(
        None, description="Where the frequency bands come from; required when any band is set."
    )
    items: list[SideEffect] = Field(min_length=1, description="Every side effect listed.")


class Interaction(Advice):
    """Another medicine or substance that interacts."""

    id: Slug
    agent: Prose = Field(description="The other medicine or substance.")


class RouteNote(Advice):
    """A statement with a stable id, optionally about one route."""

    id: Slug
    route: Route | None = None


class WithdrawalSigns(RouteNote):
    """Withdrawal signs, in a tier that tells the patient how soon to act."""

    tier: Literal["emergency", "call_now", "call_today"] = Field(
        description="emergency (call 911), call_now (call right away) or call_today."
    )
    action: Prose | None = Field(
        None,
        description="What to do about these signs, when it differs from the tier's heading "
        "(e.g. 'Call your pump team right away.').",
    )


class Withdrawal(Strict):
    """Withdrawal: signs by tier and management."""

    signs: list[WithdrawalSigns] = Field(min_length=1, description="Signs, by tier.")
    management: list[RouteNote] = Field(
        default_factory=list, description="What to do about withdrawal (clinicians)."
    )


class Overdose(Strict):
    """Overdose: what patients should do; signs and management.

    The patient leaflet always prints the US emergency advice (Poison Help,
    911); ``patient_action`` adds what is particular to this medicine.
    """

    patient_action: Statement | None = Field(
        None, description="What patients should do, besides Poison Help and 911."
    )
    signs: list[RouteNote] = Field(min_length=1, description="Signs of an overdose.")
    management: list[RouteNote] = Field(
        default_factory=list, description="Treatment of an overdose (clinicians)."
    )
