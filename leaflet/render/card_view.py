"""What the clinician card shows: dosing sections, tables, adverse reactions, labels.

Everything is pre-formatted here, per language, so that ``clinician.html`` only
lays it out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.lists import format_list

from ..record.fields import QuantityValue
from ..record.model import DrugRecord
from ..record.model_dosing import PercentRange
from ..record.record_rules import ROUTE_UNITS
from .dose_tables import adjustment_table, liquid_doses
from .dosing_view import (
    ASIDE,
    N_,
    SEPARATOR,
    STRENGTH_PER,
    UiTranslate,
    regimen_rows,
    titration_rows,
)
from .filters import (
    capfirst,
    format_date,
    format_number,
    format_quantity,
    isolate,
    keep_ranges_together,
    unit_symbol,
)
from .selections import POPULATION_LABELS

__all__ = ["clinician_selections", "liquids_warning", "units_warning"]

# Translators: {term} is a side effect, {pct} its incidence, e.g. "somnolence 19%".
ADVERSE_ITEM = N_("clinician.adverse_item", "{term} {pct}")
# Translators: an incidence against placebo, e.g. "19% vs 9% placebo".
VERSUS_PLACEBO = N_("clinician.versus_placebo", "{pct} vs {placebo} placebo")
ADVERSE_INTRO = N_("clinician.adverse_intro", "Incidence in US labelling: {items}.")
# Translators: an approximate incidence, e.g. "about 50%".
ABOUT = N_("clinician.about", "about {pct}")
# Translators: side effects the label lists without an incidence.
ADVERSE_OTHERS = N_("clinician.adverse_others", "Also reported: {items}.")
# Translators: a controlled substance's US schedule, e.g. "Schedule IV (C-IV)".
SCHEDULE = N_("clinician.schedule", "US controlled substance, schedule {schedule}")
# Translators: the label a record follows, e.g. "NEURONTIN … (DailyMed v48, 2026-05-12)".
LABEL_FOLLOWED = N_("clinician.label", "{title} ({details})")
UNITS_DIFFER = N_(
    "clinician.units_differ",
    "Units differ by route: {units}. Check the unit before every dose.",
)
# Translators: a route's doses and their unit, e.g. "oral doses in mg".
UNIT_OF_ROUTE = {
    "oral": N_("clinician.units.oral", "oral doses in {unit}"),
    "intrathecal": N_("clinician.units.intrathecal", "intrathecal doses in {unit}"),
}
LIQUIDS_DIFFER = N_(
    "clinician.liquids_differ",
    "Oral liquids differ in strength: {liquids}. Prescribe in mg, name the product, and "
    "give the patient the dose in mL for that product.",
)


def _incidence_text(incidence: Any, lang: str, ui: UiTranslate) -> str:
    def pct(value: Any) -> str:
        if isinstance(value, PercentRange):
            return keep_ranges_together(
                f"{format_number(value.min, lang)}–"
                + format_quantity(QuantityValue(value=value.max, unit="%"), lang)
            )
        return format_quantity(QuantityValue(value=Decimal(value), unit="%"), lang)

    text = pct(incidence.percent)
    if incidence.approximate:
        text = ui(*ABOUT).format(pct=text)
    if incidence.placebo is not None:
        text = ui(*VERSUS_PLACEBO).format(pct=text, placebo=pct(incidence.placebo))
    return text


def _adverse(
    record: DrugRecord, view: dict[str, Any], lang: str, ui: UiTranslate
) -> dict[str, Any]:
    titles = {i["id"]: i["title"]["clinician"] or i["title"]["patient"]
              for i in view["indications"]["approved"]}  # fmt: skip
    with_incidence, others, refs = [], [], set()
    pairs = [
        (item, shown)
        for item, shown in zip(
            record.side_effects.items, view["side_effects"]["items"], strict=True
        )
        if shown["clinician"]
    ]
    pairs.sort(key=lambda pair: -max((_top(i.percent) for i in pair[0].incidence), default=0))
    for item, shown in pairs:
        if not item.incidence:
            others.append(shown["clinician"])
            continue
        parts = []
        for incidence in item.incidence:
            text = _incidence_text(incidence, lang, ui)
            if incidence.indication and len(titles) > 1:
                text += " " + ui(*ASIDE) % {"text": titles[incidence.indication]}
            parts.append(text)
        with_incidence.append(
            ui(*ADVERSE_ITEM).format(term=shown["clinician"], pct=", ".join(parts))
        )
        refs.update(item.refs)
    summary = []
    if with_incidence:
        summary.append(ui(*ADVERSE_INTRO).format(items=ui(*SEPARATOR).join(with_incidence)))
    if others:
        summary.append(ui(*ADVERSE_OTHERS).format(items=format_list(others, locale=lang)))
        refs.update(r for item, shown in pairs if not item.incidence for r in item.refs)
    return {"adverse_summary": summary, "adverse_refs": sorted(refs)}


def _top(percent: Any) -> Decimal:
    return Decimal(percent.max if isinstance(percent, PercentRange) else percent)


def clinician_selections(
    record: DrugRecord, view: dict[str, Any], lang: str, ui: UiTranslate
) -> dict[str, Any]:
    """Pick and pre-format what the clinician card shows."""
    routes = record.routes()
    sections = []
    for route in routes:
        regimens = [r for r in record.regimens if r.route == route]
        if not regimens:
            continue
        table = regimen_rows(record, view, regimens, lang, ui, "clinician")
        rows = table["rows"]
        shown = {r["id"]: r for r in view["regimens"]}
        tests = [
            ui(*STRENGTH_PER).format(
                amount=format_quantity(t.dose, lang), volume=format_quantity(t.volume, lang)
            )
            if t.volume
            else format_quantity(t.dose, lang)
            for r in regimens
            for t in r.test_doses
        ]
        uses = {row["use"] for row in rows}
        common = next(iter(uses)) if len(uses) == 1 and all(r["who"] for r in rows) else ""
        sections.append(
            {
                "route": route,
                "unit": unit_symbol(ROUTE_UNITS[route], lang) if route in ROUTE_UNITS else "",
                "columns": table["columns"],
                "rows": rows,
                # One use for every row: named once, above the table.
                "common_use": common,
                "caption": _table_caption(common, table["population"], ui),
                "titrations": [
                    {"id": r.id, "rows": titration_rows(r, lang, ui)}
                    for r in regimens
                    if r.titration
                ],
                "test_doses": format_list(tests, "or", locale=lang) if tests else "",
                "notes": [n for r in regimens for n in shown[r.id]["notes"] if n["clinician"]],
                "texts": [
                    {**shown[r.id], "label": _regimen_label(r.id, rows, lang, ui)}
                    for r in regimens
                    if shown[r.id]["clinician"]
                ],
                "refs": sorted({ref for r in regimens for ref in r.refs}),
            }
        )
    units = {ROUTE_UNITS[s["route"]] for s in sections if s["route"] in ROUTE_UNITS}
    adjustments = []
    for organ in ("kidney", "liver"):
        model = getattr(record.populations, organ).adjustment
        if model is not None:
            table = adjustment_table(model, view["populations"][organ]["adjustment"], lang, ui)
            adjustments.append({"organ": organ, **table})
    liquids = liquid_doses(record, view, lang, ui)
    controlled = record.drug.controlled
    withdrawal = [m for m in (view["withdrawal"] or {}).get("management", []) if m["clinician"]]
    withdrawal += [g for g in (view["taper"] or {}).get("guidance", []) if g["clinician"]]
    plan = (view["taper"] or {}).get("label_plan")
    if plan and plan["clinician"]:
        withdrawal.append({**plan, "route": None})
    # Each route's texts together, so its label is printed once (stable: record order kept).
    withdrawal.sort(key=lambda m: routes.index(m["route"]) if m["route"] in routes else -1)
    differ = (
        [f"{c['short']} {c['strength']}" for c in liquids["columns"]]
        if liquids and liquids["differ"]
        else []
    )
    return {
        "show_routes": len(routes) > 1,
        "dosing_sections": sections,
        "route_units": sorted(units) if len(units) > 1 else [],
        "adjustments": adjustments,
        "units_warning": units_warning(sections, lang, ui),
        "liquids_warning": liquids_warning(differ, lang, ui),
        "withdrawal_texts": withdrawal,
        "schedule": ui(*SCHEDULE).format(schedule=controlled.schedule) if controlled else "",
        "population_labels": [(key, ui(*label)) for key, label in POPULATION_LABELS.items()],
        "clinician_warnings": [w for w in view["warnings"] if w["clinician"]],
        "labels_followed": _labels(record, lang, ui),
        **_adverse(record, view, lang, ui),
    }


def _table_caption(use: str, population: str, ui: UiTranslate) -> str:
    """What every row of a dosing table shares: "Spasticity (adults)", "Adults", or ""."""
    if use and population:
        return f"{use} {ui(*ASIDE) % {'text': population}}"
    return use or capfirst(population)


def _regimen_label(regimen_id: str, rows: list[dict[str, Any]], lang: str, ui: UiTranslate) -> str:
    """What a regimen's note is about, when the table has several rows: "Hypertension (adults)"."""
    row = next((r for r in rows if r["id"] == regimen_id), None)
    if row is None or len(rows) < 2:
        return ""
    if len({r["use"] for r in rows}) == 1 and row["who"]:
        return capfirst(row["who"])
    return str(row["use"]) + (" " + ui(*ASIDE) % {"text": row["who"]} if row["who"] else "")


def _labels(record: DrugRecord, lang: str, ui: UiTranslate) -> list[str]:
    """The labels the record follows: "TITLE (version, date)".

    Titles and versions are the labels' own English; each is isolated (FSI … PDI)
    so that its parentheses and full stops keep their place in Arabic text.
    """
    out = []
    for label in record.regulatory.labels:
        details = [
            d
            for d in (
                isolate(label.version or ""),
                format_date(label.date, lang) if label.date else "",
            )
            if d
        ]
        title = isolate(label.title)
        out.append(
            ui(*LABEL_FOLLOWED).format(title=title, details=", ".join(details))
            if details
            else title
        )
    return out


def units_warning(sections: list[dict[str, Any]], lang: str, ui: UiTranslate) -> str:
    """The card's warning when routes dose in different units (oral mg, intrathecal mcg)."""
    pairs = [(s["route"], s["unit"]) for s in sections if s["route"] in UNIT_OF_ROUTE]
    if len({unit for _, unit in pairs}) < 2:
        return ""
    units = format_list(
        [ui(*UNIT_OF_ROUTE[route]).format(unit=unit) for route, unit in pairs], locale=lang
    )
    return ui(*UNITS_DIFFER).format(units=units)


def liquids_warning(liquids: list[str], lang: str, ui: UiTranslate) -> str:
    """The card's warning when oral liquids of one drug differ in concentration."""
    if not liquids:
        return ""
    return ui(*LIQUIDS_DIFFER).format(liquids=format_list(liquids, locale=lang))
