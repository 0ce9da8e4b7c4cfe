"""Turn a computed taper schedule into the phrases, dates and rows the handout prints.

Every dose is written the way USP <17> asks: the number of tablets and the
amount, separated from the time of day, with no abbreviations ("Take 1½ tablets
(15 mg) in the morning"). Counts of tablets use the language's plural forms
(a gettext plural message); halves of scored tablets are written with "½".
Dates are formatted by Babel for the language.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from babel.dates import format_date, format_interval, format_skeleton
from babel.lists import format_list

from .filters import format_number, format_quantity
from .model import QuantityValue
from .selections import N_
from .taper import REDUCTION_ORDER, Schedule

__all__ = [
    "NP_",
    "PluralTranslate",
    "dose_cell",
    "dose_sentence",
    "plan_context",
    "tablets_phrase",
]


def NP_(context: str, singular: str, plural: str) -> tuple[str, str, str]:
    """Mark a plural message for extraction; it is translated where it is used."""
    return (context, singular, plural)


class PluralTranslate(Protocol):
    """Looks up translations by msgctxt, including messages with plural forms."""

    def __call__(self, context: str, msgid: str) -> str: ...

    def plural(self, context: str, singular: str, plural: str, count: int) -> str: ...


# Translators: {count} is a whole number of tablets, already formatted.
TABLETS = NP_("dose.tablets", "{count} tablet", "{count} tablets")
# Translators: half of one scored tablet.
HALF_TABLET = N_("dose.tablets.half", "½ tablet")
# Translators: {count} is a number with a half, such as "1½"; use the form your
# language uses after such a number.
TABLETS_AND_HALF = N_("dose.tablets.with_half", "{count} tablets")
# Translators: one dose in a table column headed by the time of day; {tablets} is
# e.g. "2 tablets", {amount} e.g. "20 mg".
DOSE_CELL = N_("dose.cell", "{tablets} ({amount})")
TAKE_AT = {
    "morning": N_("dose.take.morning", "Take {tablets} ({amount}) in the morning"),
    "midday": N_("dose.take.midday", "Take {tablets} ({amount}) at midday"),
    "evening": N_("dose.take.evening", "Take {tablets} ({amount}) in the evening"),
    "bedtime": N_("dose.take.bedtime", "Take {tablets} ({amount}) at bedtime"),
}
TIME_NAMES = {
    "morning": N_("time.morning", "the morning dose"),
    "midday": N_("time.midday", "the midday dose"),
    "evening": N_("time.evening", "the evening dose"),
    "bedtime": N_("time.bedtime", "the bedtime dose"),
}
TIME_HEADINGS = {
    "morning": N_("taper.col.morning", "Morning"),
    "midday": N_("taper.col.midday", "Midday"),
    "evening": N_("taper.col.evening", "Evening"),
    "bedtime": N_("taper.col.bedtime", "Bedtime"),
}
# Translators: the tablets a taper uses, e.g. "Baclofen 10 mg tablets".
TABLETS_USED = N_("taper.tablets_used", "{drug} {strength} tablets")
# Translators: {order} is a list such as "the midday dose, the morning dose and the
# evening dose".
REDUCTION_TEXT = N_(
    "taper.order",
    "When your dose goes down, the largest dose of the day gets smaller first. "
    "Between equal doses, the order is: {order}.",
)
NO_DOSE = "—"


def _mg(value: Decimal, lang: str) -> str:
    return format_quantity(QuantityValue(value=value, unit="mg"), lang)


def tablets_phrase(mg: Decimal, tablet_mg: Decimal, lang: str, ui: PluralTranslate) -> str:
    """Say how many tablets make ``mg``: "1 tablet", "2 tablets", "½ tablet", "1½ tablets"."""
    count = mg / tablet_mg
    whole = int(count)
    half = count - whole
    if half not in (0, Decimal("0.5")):
        raise ValueError(f"{mg} mg is not a whole number of half {tablet_mg} mg tablets")
    if half and not whole:
        return ui(*HALF_TABLET)
    if half:
        return ui(*TABLETS_AND_HALF).format(count=f"{format_number(whole, lang)}½")
    return ui.plural(*TABLETS, whole).format(count=format_number(whole, lang))


def dose_sentence(
    time: str, mg: Decimal, tablet_mg: Decimal, lang: str, ui: PluralTranslate
) -> str:
    """Write one dose as USP <17> asks: "Take 2 tablets (20 mg) in the morning"."""
    return ui(*TAKE_AT[time]).format(
        tablets=tablets_phrase(mg, tablet_mg, lang, ui), amount=_mg(mg, lang)
    )


def dose_cell(mg: Decimal, tablet_mg: Decimal, lang: str, ui: PluralTranslate) -> str:
    """Write one dose for a table cell under its time of day: "2 tablets (20 mg)"."""
    if mg == 0:
        return NO_DOSE
    return ui(*DOSE_CELL).format(
        tablets=tablets_phrase(mg, tablet_mg, lang, ui), amount=_mg(mg, lang)
    )


def _day_sentences(
    doses: tuple[Decimal, ...], times: tuple[str, ...], tablet: Decimal, lang: str, ui: Any
) -> list[str]:
    return [
        dose_sentence(time, mg, tablet, lang, ui)
        for time, mg in zip(times, doses, strict=True)
        if mg > 0
    ]


def plan_context(
    schedule: Schedule,
    drug_name: str,
    lang: str,
    ui: PluralTranslate,
    by_step: bool | None = None,
) -> dict[str, Any]:
    """Return what the personalised taper handout prints about the schedule.

    One row a day, with a tick box per dose; or, with ``by_step`` (the default
    for tapers over four weeks), one row a step with its date range and, for
    tapers up to four weeks, a tick box per day of the step.
    """
    if by_step is None:
        by_step = not schedule.daily_rows
    request = schedule.request
    times = request.times
    tablet = request.tablet_mg
    days = schedule.days
    dosing_days = [d for d in days if not d.is_stop]
    first, last = dosing_days[0], dosing_days[-1]

    def full(value: date) -> str:
        return str(format_date(value, format="full", locale=lang))

    def cells(doses: tuple[Decimal, ...]) -> list[str]:
        return [dose_cell(mg, tablet, lang, ui) for mg in doses]

    rows: list[dict[str, Any]] = []
    if not by_step:
        previous: tuple[Decimal, ...] | None = None
        for day in dosing_days:
            rows.append(
                {
                    "when": str(format_skeleton("MMMEd", day.date, locale=lang)),
                    "cells": cells(day.doses_mg),
                    "total": _mg(day.total_mg, lang),
                    "new_step": previous is not None and day.doses_mg != previous,
                    "ticks": [mg > 0 for mg in day.doses_mg],
                    "day_boxes": 0,
                }
            )
            previous = day.doses_mg
    else:
        for step in schedule.steps:
            rows.append(
                {
                    "when": str(
                        format_interval(step.first_date, step.last_date, "MMMEd", locale=lang)
                    )
                    if step.length > 1
                    else str(format_skeleton("MMMEd", step.first_date, locale=lang)),
                    "cells": cells(step.doses_mg),
                    "total": _mg(step.total_mg, lang),
                    "new_step": bool(rows),
                    "ticks": [False for _ in step.doses_mg],
                    "day_boxes": step.length if schedule.daily_rows else 0,
                }
            )
    order = [t for t in REDUCTION_ORDER if t in times]
    return {
        "plan": {
            "times": list(times),
            "headings": [ui(*TIME_HEADINGS[t]) for t in times],
            "rows": rows,
            "daily_rows": not by_step,
            "day_boxes": by_step and schedule.daily_rows,
            "tablets_used": ui(*TABLETS_USED).format(drug=drug_name, strength=_mg(tablet, lang)),
            "first_date": full(first.date),
            "first_doses": _day_sentences(first.doses_mg, times, tablet, lang, ui),
            "last_date": full(last.date),
            "last_doses": _day_sentences(last.doses_mg, times, tablet, lang, ui),
            "stop_date": full(schedule.stop_date),
            "stop_when": str(format_skeleton("MMMEd", schedule.stop_date, locale=lang)),
            "order_text": ui(*REDUCTION_TEXT).format(
                order=format_list([ui(*TIME_NAMES[t]) for t in order], locale=lang)
            )
            if len(order) > 1
            else "",
            "prescriber_directed": schedule.prescriber_directed,
            "drug_name": drug_name,
        }
    }
