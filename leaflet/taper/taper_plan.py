"""From what a pharmacist typed to a checked taper schedule: one path for every front end.

``leaflet taper`` and ``leaflet serve`` (its form and its API) both call
:func:`plan_taper`, so a mistake gets the same message, naming the same option,
whichever way the pharmacist asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..record.characters import printed_text_problem
from ..record.errors import InputError, Problem
from ..record.glyphs import missing_font_problem
from ..record.model import DrugRecord
from .calendar import Schedule, compute_schedule
from .taper_choice import ProductChoice
from .taper_request import parse_request

__all__ = [
    "MAX_PERSONAL_LENGTH",
    "PERSONAL_FIELDS",
    "TaperFields",
    "no_taper_problem",
    "plan_taper",
]

#: Longest patient name, prescriber or pharmacy line: one printed line on the handout.
MAX_PERSONAL_LENGTH = 80
#: The details printed on a personalised handout, never logged or stored.
PERSONAL_FIELDS = ("patient_name", "prescriber", "pharmacy_phone", "pump_team_phone")


@dataclass(frozen=True)
class TaperFields:
    """Everything ``leaflet taper`` takes about the plan, as typed, named as its options."""

    current_dose: str
    start: str
    form: str | None = None
    strengths: tuple[str, ...] = ()
    tablet_mg: str | None = None
    product: str | None = None
    min_ml: str | None = None
    split: str | None = None
    times_per_day: str | None = None
    dose_times: str | None = None
    days: str | None = None
    step_mg: str | None = None
    every_days: str | None = None
    plan: str | None = None
    route: str = "oral"
    prescriber_override: bool = False
    personal: dict[str, str] = field(default_factory=dict)


def no_taper_problem(record: DrugRecord) -> Problem | None:
    """The problem of asking for a calendar for a medicine that needs no taper, or None."""
    if record.taper is not None and "taper" in record.documents:
        return None
    return Problem(
        record.drug.id,
        None,
        "documents",
        f"{record.drug.name} has no taper handout (its record leaves taper out of "
        "documents: it can be stopped without tapering)",
    )


def plan_taper(record: DrugRecord, fields: TaperFields) -> tuple[Schedule, dict[str, str]]:
    """Check ``fields`` against ``record``; return the schedule and the printed details.

    Raises InputError with every problem at once, each naming its option
    (``--split``), and never echoing a personal detail (it may be a patient's name).
    """
    problems: list[Problem] = []
    personal = {key: fields.personal.get(key, "").strip() for key in PERSONAL_FIELDS}
    for key, value in personal.items():
        wrong = printed_text_problem(value, MAX_PERSONAL_LENGTH) or missing_font_problem(value)
        if wrong:
            problems.append(Problem.with_option("--" + key.replace("_", "-"), wrong))
    request = None
    try:
        choice = ProductChoice(
            form=fields.form,
            strengths=fields.strengths,
            tablet_mg=fields.tablet_mg,
            product=fields.product,
            min_ml=fields.min_ml,
        )
        request = parse_request(
            record,
            current_dose=fields.current_dose,
            start=fields.start,
            choice=choice,
            split=fields.split,
            times_per_day=fields.times_per_day,
            dose_times=fields.dose_times,
            days=fields.days,
            step_mg=fields.step_mg,
            every_days=fields.every_days,
            plan=fields.plan,
            route=fields.route,
            prescriber_override=fields.prescriber_override,
        )
    except InputError as error:
        problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    assert request is not None and record.taper is not None
    return compute_schedule(request, record.taper.minimum_days), personal
