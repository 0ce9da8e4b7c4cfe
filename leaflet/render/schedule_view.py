"""Turn a computed taper schedule into the phrases, dates and rows the handout prints.

Every dose is written the way USP <17> asks: what to take and the amount,
separated from the time of day, with no abbreviations ("Take 1½ tablets (15 mg)
in the morning", "Take 1 capsule of 300 mg and 1 capsule of 100 mg (400 mg) at
bedtime", "Take 6 mL (300 mg) in the evening"). Counts use the language's plural
forms (gettext plural messages); parts of scored tablets are written with "½",
"¼" and "¾". Dates are formatted by Babel for the language.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date, format_interval, format_skeleton
from babel.lists import format_list

from ..record.fields import QuantityValue
from ..taper.calendar import Schedule
from ..taper.taper_supply import Supply
from .dosing_view import N_, NP_, STRENGTH_PER, UiTranslate, product_label
from .filters import format_number, format_quantity

__all__ = [
    "dose_cell",
    "dose_sentence",
    "plan_context",
    "product_used",
    "units_phrase",
]


# Translators: {count} is a whole number of tablets, already formatted.
TABLETS = NP_("dose.tablets", "{count} tablet", "{count} tablets")
# Translators: {count} is a whole number of capsules, already formatted.
CAPSULES = NP_("dose.capsules", "{count} capsule", "{count} capsules")
# Translators: {count} is a whole number of packets of granules, already formatted.
PACKETS = NP_("dose.packets", "{count} packet", "{count} packets")
# Translators: {count} tablets of one strength when two strengths are combined, e.g.
# "1 tablet of 600 mg".
TABLETS_OF = NP_("dose.tablets_of", "{count} tablet of {strength}", "{count} tablets of {strength}")
CAPSULES_OF = NP_(
    "dose.capsules_of", "{count} capsule of {strength}", "{count} capsules of {strength}"
)
PACKETS_OF = NP_("dose.packets_of", "{count} packet of {strength}", "{count} packets of {strength}")
# Translators: half of one scored tablet.
HALF_TABLET = N_("dose.tablets.half", "½ tablet")
# Translators: a quarter or three quarters of one scored tablet; {count} is "¼" or "¾".
FRACTION_TABLET = N_("dose.tablets.fraction", "{count} tablet")
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
# Translators: the medicine a taper uses: {product} e.g. "Gabapentin capsules",
# {strengths} e.g. "300 mg and 100 mg" or "250 mg in 5 mL".
PRODUCT_USED = N_("taper.product_used", "{product}, {strengths}")
UNITS_USED = {
    "tablet": N_("taper.units.tablet", "Count each dose in tablets."),
    "capsule": N_("taper.units.capsule", "Count each dose in whole capsules."),
    "packet": N_("taper.units.packet", "Count each dose in packets."),
    "mL": N_(
        "taper.units.ml",
        "Measure each dose in mL with the oral syringe or measuring cup that comes with your "
        "medicine. Never use a kitchen spoon.",
    ),
}
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


_GLYPHS = {Decimal("0.25"): "¼", Decimal("0.5"): "½", Decimal("0.75"): "¾"}
_COUNTED = {"tablet": TABLETS, "capsule": CAPSULES, "packet": PACKETS}
_COUNTED_OF = {"tablet": TABLETS_OF, "capsule": CAPSULES_OF, "packet": PACKETS_OF}


def _plural_count(count: Decimal) -> int:
    """The count that picks the plural form: a part of one unit is singular, 1½ is plural."""
    if count == int(count):
        return int(count)
    return 1 if count < 1 else 2


def _count_text(count: Decimal, lang: str) -> str:
    whole = int(count)
    part = count - whole
    glyph = _GLYPHS.get(part, "") if part else ""
    return (format_number(whole, lang) if whole else "") + glyph


def units_phrase(mg: Decimal, supply: Supply, lang: str, ui: UiTranslate) -> str:
    """Say what makes ``mg``: "2 tablets", "1½ tablets", "6 mL", "1 capsule of 300 mg and …"."""
    if supply.is_liquid:
        return format_quantity(QuantityValue(value=supply.ml(mg), unit="mL"), lang)
    units = supply.compose(mg)
    name = supply.unit_name
    if len(supply.pieces) > 1:
        return format_list(
            [
                ui.plural(*_COUNTED_OF[name], _plural_count(count)).format(
                    count=_count_text(count, lang), strength=_mg(piece.strength_mg, lang)
                )
                for piece, count in units
            ],
            locale=lang,
        )
    ((_, count),) = units
    whole = int(count)
    if count == whole:
        return ui.plural(*_COUNTED[name], whole).format(count=format_number(whole, lang))
    if count == Decimal("0.5"):
        return ui(*HALF_TABLET)
    if whole == 0:
        return ui(*FRACTION_TABLET).format(count=_count_text(count, lang))
    return ui(*TABLETS_AND_HALF).format(count=_count_text(count, lang))


def dose_sentence(time: str, mg: Decimal, supply: Supply, lang: str, ui: UiTranslate) -> str:
    """Write one dose as USP <17> asks: "Take 2 tablets (20 mg) in the morning"."""
    return ui(*TAKE_AT[time]).format(
        tablets=units_phrase(mg, supply, lang, ui), amount=_mg(mg, lang)
    )


def dose_cell(mg: Decimal, supply: Supply, lang: str, ui: UiTranslate) -> str:
    """Write one dose for a table cell under its time of day: "2 tablets (20 mg)"."""
    if mg == 0:
        return NO_DOSE
    return ui(*DOSE_CELL).format(tablets=units_phrase(mg, supply, lang, ui), amount=_mg(mg, lang))


def _day_sentences(
    doses: tuple[Decimal, ...], times: tuple[str, ...], supply: Supply, lang: str, ui: Any
) -> list[str]:
    return [
        dose_sentence(time, mg, supply, lang, ui)
        for time, mg in zip(times, doses, strict=True)
        if mg > 0
    ]


def product_used(supply: Supply, drug_name: str, lang: str, ui: UiTranslate) -> str:
    """Name the medicine and strengths a taper uses: "Gabapentin capsules, 300 mg and 100 mg"."""
    if supply.is_liquid:
        strength = next(s for s in supply.product.strengths if s.per_ml == supply.per_ml)
        assert strength.per is not None  # a liquid's strengths are per volume
        strengths = ui(*STRENGTH_PER).format(
            amount=format_quantity(strength.amount, lang),
            volume=format_quantity(strength.per, lang),
        )
    else:
        strengths = format_list([_mg(p.strength_mg, lang) for p in supply.pieces], locale=lang)
    return ui(*PRODUCT_USED).format(
        product=product_label(supply.product, drug_name, ui), strengths=strengths
    )


def plan_context(
    schedule: Schedule,
    drug_name: str,
    lang: str,
    ui: UiTranslate,
    by_step: bool | None = None,
    note: str = "",
) -> dict[str, Any]:
    """Return what the personalised taper handout prints about the schedule.

    ``note`` is printed with the plan: the record's words about the label's own
    plan, when the plan is the label's.

    One row a day, with a tick box per dose; or, with ``by_step`` (the default
    for tapers over four weeks), one row a step with its date range and, for
    tapers up to four weeks, a tick box per day of the step.
    """
    if by_step is None:
        by_step = not schedule.daily_rows
    request = schedule.request
    times = request.times
    supply = request.supply
    days = schedule.days
    dosing_days = [d for d in days if not d.is_stop]
    first, last = dosing_days[0], dosing_days[-1]

    def full(value: date) -> str:
        return str(format_date(value, format="full", locale=lang))

    def cells(doses: tuple[Decimal, ...]) -> list[str]:
        return [dose_cell(mg, supply, lang, ui) for mg in doses]

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
    order = [t for t in request.reduction_order if t in times]
    return {
        "plan": {
            "times": list(times),
            "headings": [ui(*TIME_HEADINGS[t]) for t in times],
            "rows": rows,
            "daily_rows": not by_step,
            "day_boxes": by_step and schedule.daily_rows,
            "product": product_used(supply, drug_name, lang, ui),
            "units_text": ui(*UNITS_USED[supply.unit_name]),
            "first_date": full(first.date),
            "first_doses": _day_sentences(first.doses_mg, times, supply, lang, ui),
            "last_date": full(last.date),
            "last_doses": _day_sentences(last.doses_mg, times, supply, lang, ui),
            "stop_date": full(schedule.stop_date),
            "stop_when": str(format_skeleton("MMMEd", schedule.stop_date, locale=lang)),
            "order_text": ui(*REDUCTION_TEXT).format(
                order=format_list([ui(*TIME_NAMES[t]) for t in order], locale=lang)
            )
            if len(order) > 1
            else "",
            "prescriber_directed": schedule.prescriber_directed,
            "drug_name": drug_name,
            "note": note,
        }
    }
