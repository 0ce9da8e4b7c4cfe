"""Word a record's dosing for print: products, doses, populations and regimens.

Templates never compose a dose: this module turns :class:`~leaflet.model.Regimen`
and friends into finished, translated phrases ("300 mg 3 times a day",
"900 mg to 1,800 mg a day in 3 doses") and table rows whose empty columns are
already dropped. Every word goes through the catalog (``ui``); every number
through Babel, for the reader's language. The tables built from these phrases
(liquids in mL, kidney and liver bands) are in :mod:`leaflet.render.dose_tables`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

from babel.lists import format_list

from ..record.fields import QuantityValue
from ..record.model import DrugRecord
from ..record.model_dosing import (
    AmountRange,
    Dose,
    PercentChange,
    PercentRange,
    Regimen,
    TimesRange,
)
from ..record.model_products import Product
from .filters import format_number, format_quantity

__all__ = [
    "NP_",
    "N_",
    "UiTranslate",
    "amount_text",
    "dose_phrase",
    "population_label",
    "product_label",
    "product_short",
    "regimen_rows",
    "times_phrase",
    "titration_rows",
]


class UiTranslate(Protocol):
    """Looks up leaflet's own wording by msgctxt, with plural forms."""

    def __call__(self, context: str, msgid: str) -> str: ...

    def plural(self, context: str, singular: str, plural: str, count: int) -> str: ...


def N_(context: str, message: str) -> tuple[str, str]:
    """Mark a (context, message) pair for extraction; it is translated where it is used."""
    return (context, message)


def NP_(context: str, singular: str, plural: str) -> tuple[str, str, str]:
    """Mark a plural message for extraction; it is translated where it is used."""
    return (context, singular, plural)


#: Wording for dose forms, looked up through the catalog like template text.
FORM_LABELS = {
    "tablet": N_("form.tablet", "tablets"),
    "film_coated_tablet": N_("form.film_coated_tablet", "film-coated tablets"),
    "er_tablet": N_("form.er_tablet", "extended-release tablets"),
    "er_capsule": N_("form.er_capsule", "extended-release capsules"),
    "capsule": N_("form.capsule", "capsules"),
    "odt": N_("form.odt", "orally disintegrating tablets"),
    "oral_solution": N_("form.oral_solution", "oral solution"),
    "oral_suspension": N_("form.oral_suspension", "oral suspension"),
    "oral_granules": N_("form.oral_granules", "oral granules"),
    "injection": N_("form.injection", "injection"),
    "intrathecal_injection": N_("form.intrathecal_injection", "intrathecal injection"),
}
#: Short route names, as the clinician card prints them before a text ("Oral:").
# Translators: a product's name: {name} is the drug's name, {form} a dose form from the
# form.* entries ("tablets", "oral solution"), e.g. "Baclofen oral solution".
PRODUCT_LABEL = N_("product.label", "{name} {form}")
# Translators: a range of amounts, e.g. "300 mg to 600 mg".
RANGE = N_("range.plain", "%(low)s to %(high)s")
# Translators: how often a dose is taken; {count} is 2 or more in the plural form.
TIMES = NP_("dose.times", "once a day", "{count} times a day")
# Translators: e.g. "3 or 4 times a day".
TIMES_OR = N_("dose.times_or", "{low} or {high} times a day")
TIMES_TO = N_("dose.times_to", "{low} to {high} times a day")
AT = {
    "morning": N_("dose.at.morning", "in the morning"),
    "midday": N_("dose.at.midday", "at midday"),
    "evening": N_("dose.at.evening", "in the evening"),
    "bedtime": N_("dose.at.bedtime", "at bedtime"),
}
# Translators: {times} is e.g. "once a day", {at} e.g. "at bedtime".
TIMES_AT = N_("dose.times_at", "{times} {at}")
# Translators: {each} is one dose ("300 mg"), {times} how often ("3 times a day").
EACH_TIMES = N_("dose.each_times", "{each} {times}")
# Translators: {amount} is a daily total, e.g. "900 mg to 1,800 mg".
DAILY = N_("dose.daily", "{amount} a day")
# Translators: {amount} is a daily total; {count} the number of doses it is split into.
DAILY_IN = NP_("dose.daily_in", "{amount} a day in {count} dose", "{amount} a day in {count} doses")
DAILY_DIVIDED = N_("dose.daily_divided", "{amount} a day, split into several doses")
# Translators: {amount} is a daily total, split into {low} or {high} doses, e.g. "2 or 3".
DAILY_IN_RANGE = N_("dose.daily_in_range", "{amount} a day in {low} or {high} doses")
DAILY_IN_SPAN = N_("dose.daily_in_span", "{amount} a day in {low} to {high} doses")
# Translators: {dose} is e.g. "600 mg 3 times a day", {daily} e.g. "1,800 mg".
WITH_DAILY = N_("dose.with_daily", "{dose} ({daily} a day)")
# Translators: a dose range seen in studies, not a recommendation.
OBSERVED = N_("dose.observed", "observed range: {dose}")
# Translators: a titration step lasting one day, e.g. "Day 1".
DAY = N_("table.day", "Day {day}")
# Translators: a titration step lasting several days, e.g. "Days 1 to 3".
DAYS = N_("table.days", "Days {first} to {last}")
POPULATIONS = {
    "adults": N_("population.adults", "adults"),
    "children": N_("population.children", "children"),
    "adults_and_children": N_("population.adults_and_children", "adults and children"),
    "older_adults": N_("population.older_adults", "older adults"),
}
# Translators: {who} is e.g. "children"; the ages are in years.
AGES_FROM_TO = N_("population.ages_from_to", "{who} aged {min} to {max} years")
AGES_FROM = N_("population.ages_from", "{who} aged {min} years and older")
AGES_TO = N_("population.ages_to", "{who} up to {max} years old")
# Translators: {who} is e.g. "children up to 10 years old"; {kg} a number of kilograms.
WEIGHT_TO = N_("population.weight_to", "{who} or up to {kg} kg")
# Translators: a percentage change of a daily dose, e.g. "+10%–30%" (an increase) and
# "−10%–20%" (a decrease, with the minus sign U+2212); keep them short: table cells.
UP = N_("change.up", "+{low}–{high}")
DOWN = N_("change.down", "−{low}–{high}")
# Translators: {change} is e.g. "+10%–30%", {hours} a number of hours: "+10%–30% per 24 h".
EVERY_HOURS = N_("change.every_hours", "{change} per {hours} h")
EITHER = N_("change.either", "{up} or {down}")
# Translators: a liquid's strength, e.g. "5 mg in 5 mL".
STRENGTH_PER = N_("strength.per", "{amount} in {volume}")
#: Between items of a run-in list ("drowsiness 10–63%; dizziness 5–15%").
# Translators: the separator between items of a run-in list, with its spacing
# (Arabic: "؛ ").
SEPARATOR = N_("punct.separator", "; ")
# Translators: brackets around a short remark after a text, e.g. "(adults)";
# Chinese: "（%(text)s）".
ASIDE = N_("punct.parenthesis", "(%(text)s)")


def product_label(product: Product, drug_name: str, ui: UiTranslate) -> str:
    """Name a product: the drug and the form, then its brands: "Baclofen oral solution (Ozobax)".

    The medicine's own name comes first, as on a pharmacy label; the brand helps
    the patient recognise the pack.
    """
    label = ui(*PRODUCT_LABEL).format(name=drug_name, form=ui(*FORM_LABELS[product.form]))
    if product.brands:
        label += " " + ui(*ASIDE) % {"text": ", ".join(product.brands)}
    return label


def product_short(product: Product, ui: UiTranslate) -> str:
    """A product in few words, for a table cell: its brands, or else its form ("tablets")."""
    return ", ".join(product.brands) if product.brands else ui(*FORM_LABELS[product.form])


def amount_text(amount: QuantityValue | AmountRange, lang: str, ui: UiTranslate) -> str:
    """Write an amount or a range: "300 mg", "300 mg to 600 mg"."""
    if isinstance(amount, AmountRange):
        return ui(*RANGE) % {
            "low": format_quantity(amount.min, lang),
            "high": format_quantity(amount.max, lang),
        }
    return format_quantity(amount, lang)


def times_phrase(times: int | TimesRange | None, at: list[str], lang: str, ui: UiTranslate) -> str:
    """Say how often: "once a day", "3 or 4 times a day", "once a day at bedtime"."""
    if isinstance(times, TimesRange):
        message = TIMES_OR if times.max == times.min + 1 else TIMES_TO
        text = ui(*message).format(
            low=format_number(times.min, lang), high=format_number(times.max, lang)
        )
    elif times is not None:
        text = ui.plural(*TIMES, times).format(count=format_number(times, lang))
    else:
        text = ""
    if at:
        when = format_list([ui(*AT[t]) for t in at], locale=lang)
        text = ui(*TIMES_AT).format(times=text, at=when).strip() if text else when
    return text


def dose_phrase(dose: Dose, lang: str, ui: UiTranslate) -> str:
    """Write a dose as a label would: "300 mg 3 times a day (900 mg a day)"."""
    times = times_phrase(dose.times_per_day, list(dose.at), lang, ui)
    if dose.each is not None:
        each = amount_text(dose.each, lang, ui)
        text = ui(*EACH_TIMES).format(each=each, times=times) if times else each
        if dose.daily is not None:
            text = ui(*WITH_DAILY).format(dose=text, daily=amount_text(dose.daily, lang, ui))
    else:
        assert dose.daily is not None
        daily = amount_text(dose.daily, lang, ui)
        if isinstance(dose.times_per_day, int) and dose.times_per_day > 1:
            text = ui.plural(*DAILY_IN, dose.times_per_day).format(
                amount=daily, count=format_number(dose.times_per_day, lang)
            )
        elif dose.times_per_day is None and not dose.at:
            text = ui(*DAILY).format(amount=daily)
        elif isinstance(dose.times_per_day, TimesRange):
            span = dose.times_per_day
            message = DAILY_IN_RANGE if span.max == span.min + 1 else DAILY_IN_SPAN
            text = ui(*message).format(
                amount=daily, low=format_number(span.min, lang), high=format_number(span.max, lang)
            )
        elif dose.times_per_day == 1 or dose.at:
            text = ui(*EACH_TIMES).format(each=daily, times=times)
        else:
            text = ui(*DAILY_DIVIDED).format(amount=daily)
    return ui(*OBSERVED).format(dose=text) if dose.observed else text


def maximum_phrase(dose: Dose, lang: str, ui: UiTranslate) -> str:
    """Write a maximum: "80 mg a day (20 mg 4 times a day)", or just "80 mg a day"."""
    if dose.daily is None:
        return dose_phrase(dose, lang, ui)
    daily = ui(*DAILY).format(amount=amount_text(dose.daily, lang, ui))
    if dose.each is None:
        return daily
    each = amount_text(dose.each, lang, ui)
    times = times_phrase(dose.times_per_day, list(dose.at), lang, ui)
    inner = ui(*EACH_TIMES).format(each=each, times=times) if times else each
    return f"{daily} {ui(*ASIDE) % {'text': inner}}"


def population_label(population: Any, lang: str, ui: UiTranslate) -> str:
    """Say who a regimen is for: "adults", "children aged 3 to 11 years"; "" for all."""
    if population.group == "all":
        return ""
    who = ui(*POPULATIONS[population.group])
    low, high = population.min_age, population.max_age
    if low is not None and high is not None:
        who = ui(*AGES_FROM_TO).format(
            who=who, min=format_number(low, lang), max=format_number(high, lang)
        )
    elif low is not None:
        who = ui(*AGES_FROM).format(who=who, min=format_number(low, lang))
    elif high is not None:
        who = ui(*AGES_TO).format(who=who, max=format_number(high, lang))
    if population.max_weight_kg is not None:
        who = ui(*WEIGHT_TO).format(who=who, kg=format_number(population.max_weight_kg, lang))
    return who


def _percent(value: Decimal, lang: str) -> str:
    return format_quantity(QuantityValue(value=value, unit="%"), lang)


def change_phrase(change: PercentChange | None, lang: str, ui: UiTranslate) -> str:
    """Write a percentage change: "+10%–30% per 24 h", "+10%–40% or −10%–20%"."""
    if change is None:
        return ""

    def span(message: tuple[str, str], pct: PercentRange) -> str:
        return ui(*message).format(low=_percent(pct.min, lang), high=_percent(pct.max, lang))

    up = span(UP, change.increase) if change.increase else ""
    down = span(DOWN, change.decrease) if change.decrease else ""
    text = ui(*EITHER).format(up=up, down=down) if up and down else up or down
    if change.every_hours:
        text = ui(*EVERY_HOURS).format(change=text, hours=format_number(change.every_hours, lang))
    return text


def regimen_rows(
    record: DrugRecord, view: dict[str, Any], regimens: Iterable[Regimen], lang: str,
    ui: UiTranslate, audience: str,
) -> dict[str, Any]:  # fmt: skip
    """A dosing table: its rows, the columns some row fills, and the population all share.

    Each row: ``use`` (the indication's short title for ``audience``), ``who``
    (population, subgroup and products), and the columns start, titration,
    usual, change, maximum. A regimen with nothing for any column (screening
    doses only) gets no row. ``population`` is set when every regimen is for the
    same people (then no row repeats it).
    """
    titles = {
        i["id"]: i["title"][audience] or i["title"]["patient"] or i["title"]["clinician"]
        for i in view["indications"]["approved"]
    }
    shown = {r["id"]: r for r in view["regimens"]}
    products = {p.id: p for p in record.products}
    regimens = list(regimens)
    # A population every row shares is said once, by the caller, not in every row.
    populations = {population_label(r.population, lang, ui) for r in regimens}
    shared = len(regimens) > 1 and len(populations) == 1
    rows = []
    for regimen in regimens:
        details = [] if shared else [population_label(regimen.population, lang, ui)]
        if regimen.subgroup:
            details.append(shown[regimen.id]["subgroup"])
        details += [product_short(products[p], ui) for p in regimen.products]
        start = regimen.start
        if start is None and regimen.titration:
            first = regimen.titration[0]
            start = Dose(
                each=first.each, daily=None, times_per_day=first.times_per_day, observed=False
            )
        row = {
            "id": regimen.id,
            "use": titles[regimen.indication],
            "who": ui(*SEPARATOR).join(d for d in details if d),
            "start": dose_phrase(start, lang, ui) if start else "",
            "titration": change_phrase(regimen.titration_change, lang, ui),
            "usual": dose_phrase(regimen.usual, lang, ui) if regimen.usual else "",
            "change": change_phrase(regimen.maintenance_change, lang, ui),
            "maximum": maximum_phrase(regimen.maximum, lang, ui) if regimen.maximum else "",
            "max_daily": amount_text(regimen.maximum.daily, lang, ui)
            if regimen.maximum and regimen.maximum.daily
            else "",
        }
        if any(row[c] for c in COLUMNS):
            rows.append(row)
    columns = [c for c in COLUMNS if any(row[c] for row in rows)]
    return {"columns": columns, "rows": rows, "population": populations.pop() if shared else ""}


#: The columns a dosing table may have, in order.
COLUMNS = ("start", "titration", "usual", "change", "maximum")


def titration_rows(regimen: Regimen, lang: str, ui: UiTranslate) -> list[dict[str, str]]:
    """The rows of a titration table: when, each dose, times a day, total a day."""
    rows = []
    for step in regimen.titration:
        if step.last_day is None or step.last_day == step.first_day:
            when = ui(*DAY).format(day=format_number(step.first_day, lang))
        else:
            when = ui(*DAYS).format(
                first=format_number(step.first_day, lang), last=format_number(step.end, lang)
            )
        rows.append(
            {
                "when": when,
                "dose": format_quantity(step.each, lang),
                "times": format_number(step.times_per_day, lang),
                "total": format_quantity(
                    QuantityValue(value=step.daily_total, unit=step.each.unit), lang
                ),
            }
        )
    return rows
