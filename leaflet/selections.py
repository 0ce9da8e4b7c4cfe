"""What each document shows: selections and groupings of the record view, per audience.

:func:`leaflet.context.build_context` merges these into the render context, so
templates only loop and print. A section whose selection is empty is left out
by the template, heading and all: no document prints an empty heading.
Dosing is worded by :mod:`leaflet.dosing_view`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.lists import format_list

from .dosing_view import (
    AT,
    ASIDE,
    FORM_LABELS,
    SEPARATOR,
    STRENGTH_PER,
    N_,
    UiTranslate,
    adjustment_table,
    dose_phrase,
    liquid_doses,
    product_label,
    regimen_rows,
    titration_rows,
)
from .filters import capfirst, format_number, format_quantity, keep_ranges_together, unit_symbol
from .model import DrugRecord
from .model_dosing import EXTENDED_RELEASE_FORMS, LIQUID_FORMS, PercentRange, Product
from .record_rules import ROUTE_UNITS
from .fields import QuantityValue

__all__ = [
    "ACTION_ORDER",
    "BAND_ORDER",
    "N_",
    "balanced_columns",
    "clinician_selections",
    "patient_selections",
    "side_effect_groups",
    "strengths_text",
    "taper_selections",
    "withdrawal_tiers",
]

POPULATION_LABELS = {
    "older_adults": N_("population.elderly", "Older people"),
    "kidney": N_("population.renal", "Kidney impairment"),
    "liver": N_("population.hepatic", "Liver impairment"),
    "pregnancy": N_("population.pregnancy", "Pregnancy"),
    "breastfeeding": N_("population.breastfeeding", "Breast-feeding"),
}
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
#: Standard advice by dose form, printed for each product of that form.
FORM_ADVICE = {
    "er_tablet": N_(
        "advice.er_tablet", "Swallow the tablets whole. Do not split, crush or chew them."
    ),
    "er_capsule": N_(
        "advice.er_capsule", "Swallow the capsules whole. Do not open, crush or chew them."
    ),
    "capsule": N_("advice.capsule", "Swallow the capsules whole."),
    "odt": N_("advice.odt", "The tablet melts in your mouth."),
    "liquid": N_(
        "advice.liquid",
        "Measure each dose in mL with the oral syringe or measuring cup that comes with your "
        "medicine. Never use a kitchen spoon.",
    ),
}
SCORED_ADVICE = {
    "halves": N_(
        "advice.scored.halves", "The {strength} tablet may be broken in half on its score line."
    ),
    "quarters": N_(
        "advice.scored.quarters",
        "The {strength} tablet may be broken into quarters on its score lines.",
    ),
}
MAY_OPEN = N_("advice.may_open", "You may open the capsules as the pack leaflet explains.")
# Translators: {at} is a time of day from the dose.at.* entries, e.g. "at bedtime".
TAKE_AT_TIME = N_("advice.time_of_day", "Take it once a day {at}.")
FOOD_ADVICE = {
    "with_or_without": N_("advice.food.with_or_without", "You can take it with or without food."),
    "with_food": N_("advice.food.with_food", "Take it with food."),
    "without_food": N_("advice.food.without_food", "Take it on an empty stomach."),
    "same_way_each_time": N_(
        "advice.food.same_way",
        "Take it the same way every time: always with food, or always without.",
    ),
}

BAND_ORDER = ("very_common", "common", "uncommon", "rare", "very_rare", "not_known")
ACTION_ORDER = ("emergency", "call_doctor", "if_bothersome")
TIER_ORDER = ("emergency", "call_now", "call_today")


def strengths_text(strengths: list[Any], lang: str, ui: UiTranslate) -> str:
    """Say a product's strengths: "5 mg, 10 mg and 20 mg", "50 or 500 mcg in 1 mL"."""
    amounts = format_list([format_quantity(s.amount, lang) for s in strengths], locale=lang)
    volumes = {s.per for s in strengths}
    if volumes == {None}:
        return amounts
    if len(volumes) == 1:
        (volume,) = volumes
        return ui(*STRENGTH_PER).format(amount=amounts, volume=format_quantity(volume, lang))
    return format_list(
        [
            ui(*STRENGTH_PER).format(
                amount=format_quantity(s.amount, lang), volume=format_quantity(s.per, lang)
            )
            if s.per is not None
            else format_quantity(s.amount, lang)
            for s in strengths
        ],
        locale=lang,
    )


def _for_routes(items: list[dict[str, Any]], routes: list[str], field: str) -> list[dict[str, Any]]:
    """Items with text in ``field`` that apply to one of ``routes`` (or to every route)."""
    return [i for i in items if i.get(field) and i.get("route") in (None, *routes)]


def _product_advice(
    product: Product, shown: dict[str, Any], lang: str, ui: UiTranslate, food: bool = True
) -> list[str]:
    """The standard advice for a product's form and food, then its own notes.

    ``food`` is False when every product has the same food advice, printed once.
    """
    lines = []
    if product.form in EXTENDED_RELEASE_FORMS or product.form in ("capsule", "odt"):
        lines.append(ui(*FORM_ADVICE[product.form]))
    for strength in product.strengths:
        if strength.scored != "none":
            lines.append(
                ui(*SCORED_ADVICE[strength.scored]).format(
                    strength=format_quantity(strength.amount, lang)
                )
            )
    take = product.take
    if take is not None:
        if take.time_of_day:
            lines.append(ui(*TAKE_AT_TIME).format(at=ui(*AT[take.time_of_day])))
        if take.may_open:
            lines.append(ui(*MAY_OPEN))
        if take.food and food:
            lines.append(ui(*FOOD_ADVICE[take.food]))
        lines += [note["patient"] for note in shown["take"]["notes"] if note["patient"]]
    return lines


def patient_selections(
    record: DrugRecord, view: dict[str, Any], lang: str, ui: UiTranslate
) -> dict[str, Any]:
    """Pick what the patient leaflet shows: the patient's own routes, in plain words."""
    routes = record.patient_routes()
    pairs = [
        (p, shown)
        for p, shown in zip(record.products, view["products"], strict=True)
        if p.self_administered
    ]
    forms = list(dict.fromkeys(p.form for p, _ in pairs))
    brands = list(dict.fromkeys(b for p, _ in pairs for b in p.brands))
    warnings = _for_routes(view["warnings"], routes, "patient")
    populations = view["populations"]
    regimens = [r for r in record.regimens if r.route in routes]
    table = regimen_rows(record, view, regimens, lang, ui, "patient")
    rows = table["rows"]
    texts = {r["id"]: r["patient"] for r in view["regimens"]}
    foods = {p.take.food if p.take else None for p, _ in pairs}
    shared_food = foods.pop() if len(foods) == 1 and len(pairs) > 1 else None
    advice = [
        {"label": shown["label"], "lines": lines}
        for p, shown in pairs
        if (lines := _product_advice(p, shown, lang, ui, food=shared_food is None))
    ]
    return {
        "patient_routes": routes,
        "patient_forms": format_list([ui(*FORM_LABELS[f]) for f in forms], locale=lang),
        "brand_list": format_list(brands, locale=lang) if brands else "",
        "key_warnings": [w for w in warnings if w["key"]],
        "other_warnings": [
            w
            for w in warnings
            if not w["key"]
            and not w["topic"]
            and w["population"] not in ("pregnancy", "breastfeeding")
        ],
        "topic_warnings": {
            topic: [w for w in warnings if w["topic"] == topic] for topic in ("driving", "alcohol")
        },
        "pregnancy_warnings": [
            w for w in warnings if w["population"] in ("pregnancy", "breastfeeding")
        ],
        "patient_indications": [i for i in view["indications"]["approved"] if i["route"] in routes],
        "patient_contraindications": _for_routes(view["contraindications"], routes, "patient"),
        "population_notes": [
            populations[key]["patient"]
            for key in ("older_adults", "kidney", "liver")
            if populations[key]["patient"]
        ],
        "children_notes": _for_routes(populations["children"], routes, "patient"),
        "patient_interactions": [i for i in view["interactions"] if i["patient"]],
        "administration": [
            *([ui(*FOOD_ADVICE[shared_food])] if shared_food else []),
            *(n["patient"] for n in view["administration"] if n["patient"]),
        ],
        "product_advice": advice,
        "liquids": liquid_doses(record, view, lang, ui),
        "dosing": {
            "columns": table["columns"],
            "rows": rows,
            "population": table["population"],
            "texts": [(row, texts[row["id"]]) for row in rows if texts[row["id"]]],
            "titrations": [
                {"id": r.id, "rows": titration_rows(r, lang, ui)} for r in regimens if r.titration
            ],
            "maxima": [
                (row, r.maximum) for row, r in zip(rows, regimens, strict=False) if r.maximum
            ],
        },
        "overdose_signs": _for_routes(view["overdose"]["signs"], routes, "patient"),
        "taper_guidance": _for_routes(view["taper"]["guidance"], routes, "patient")
        if view["taper"]
        else [],
        "patient_products": [shown for _, shown in pairs],
        "storage_missing": any(not shown["storage"] for _, shown in pairs),
    }


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
        common = uses.pop() if len(uses) == 1 and all(r["who"] for r in rows) else ""
        titrations = [
            {"id": r.id, "rows": titration_rows(r, lang, ui)} for r in regimens if r.titration
        ]
        sections.append(
            {
                "route": route,
                "unit": unit_symbol(ROUTE_UNITS[route], lang) if route in ROUTE_UNITS else "",
                "columns": table["columns"],
                "rows": rows,
                "population": table["population"],
                # One use for every row: named once, above the table.
                "common_use": common,
                "titrations": [
                    {"id": r.id, "rows": titration_rows(r, lang, ui)}
                    for r in regimens
                    if r.titration
                ],
                "test_doses": format_list(tests, "or", locale=lang) if tests else "",
                "notes": [n for r in regimens for n in shown[r.id]["notes"] if n["clinician"]],
                "texts": [
                    {**shown[r.id], "label": _regimen_label(r.id, rows, uses, lang, ui)}
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


def _regimen_label(
    regimen_id: str, rows: list[dict[str, Any]], uses: set[str], lang: str, ui: UiTranslate
) -> str:
    """What a regimen's note is about, when the table has several rows: "Hypertension (adults)"."""
    row = next((r for r in rows if r["id"] == regimen_id), None)
    if row is None or len(rows) < 2:
        return ""
    if len({r["use"] for r in rows}) == 1 and row["who"]:
        return capfirst(row["who"])
    return row["use"] + (" " + ui(*ASIDE) % {"text": row["who"]} if row["who"] else "")


def _labels(record: DrugRecord, lang: str, ui: UiTranslate) -> list[str]:
    from .filters import format_date

    out = []
    for label in record.regulatory.labels:
        details = [
            d for d in (label.version, format_date(label.date, lang) if label.date else "") if d
        ]
        out.append(
            ui(*LABEL_FOLLOWED).format(title=label.title, details=", ".join(details))
            if details
            else label.title
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


def taper_selections(
    record: DrugRecord, view: dict[str, Any], route: str | None = None
) -> dict[str, Any]:
    """Sort the taper handout's warnings and advice into its sections.

    With ``route`` (a personalised handout is for one route), warnings, advice and
    withdrawal signs about other routes are left out.
    """
    routes = [route] if route else record.routes()
    taper = [w for w in view["warnings"] if w["taper"] and w["route"] in (None, *routes)]
    device = [w for w in taper if w["route"] == "intrathecal"]
    pregnancy = [w for w in taper if w["population"] == "pregnancy" and w not in device]
    general = [w for w in taper if w not in device and w not in pregnancy]
    guidance = view["taper"]["guidance"] if view["taper"] else []
    signs = view["withdrawal"]["signs"] if view["withdrawal"] else []
    return {
        "taper_warnings": general,
        "pump_warnings": device,
        "pregnancy_warnings": pregnancy,
        "taper_guidance": [
            g
            for g in guidance
            if g["patient"] and g["route"] in (None, *[r for r in routes if r != "intrathecal"])
        ],
        "pump_advice": [
            g
            for g in guidance
            if g["patient"] and g["route"] == "intrathecal" and "intrathecal" in routes
        ],
        "blank_rows": 14,
        "show_routes": len({s["route"] for s in signs if s["route"] in (None, *routes)}) > 1,
        "withdrawal_tiers": withdrawal_tiers(signs, routes),
    }


#: A side-effect list longer than this is printed in two columns.
TWO_COLUMNS_FROM = 7


def side_effect_groups(view: dict[str, Any], routes: list[str]) -> list[dict[str, Any]]:
    """Group side effects by what to do, most frequent first, split into columns."""
    groups = []
    for action in ACTION_ORDER:
        items = [
            i
            for i in _for_routes(view["side_effects"]["items"], routes, "patient")
            if i["action"] == action
        ]
        items.sort(key=lambda i: BAND_ORDER.index(i["band"]) if i["band"] else len(BAND_ORDER))
        if items:
            groups.append({"action": action, "effects": items, "columns": balanced_columns(items)})
    return groups


def balanced_columns(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split a long list into two columns of about equal length, reading down then across.

    Two flex columns lay out much faster in WeasyPrint than CSS columns, and the
    split is chosen here by the length of the text, so the columns end level.
    """
    if len(items) < TWO_COLUMNS_FROM:
        return [items]
    sizes = [len(str(item.get("patient") or "")) + 12 for item in items]
    total = sum(sizes)
    best, best_cut, running = total, 1, 0
    for cut in range(1, len(items)):
        running += sizes[cut - 1]
        longer = max(running, total - running)
        if longer < best:
            best, best_cut = longer, cut
    return [items[:best_cut], items[best_cut:]]


def withdrawal_tiers(signs: list[dict[str, Any]], routes: list[str]) -> list[dict[str, Any]]:
    """Group withdrawal signs into tiers (emergency first), for the given routes."""
    tiers = []
    for tier in TIER_ORDER:
        chosen = [
            s for s in signs if s["tier"] == tier and s["patient"] and s["route"] in (None, *routes)
        ]
        if chosen:
            tiers.append({"tier": tier, "signs": chosen})
    return tiers


__all__ += ["LIQUID_FORMS", "liquids_warning", "units_warning", "dose_phrase", "product_label"]
