"""What the patient leaflet and the taper handout show: selections of the record view.

:func:`leaflet.render.context.build_context` merges these into the render context, so
templates only loop and print. A section whose selection is empty is left out
by the template, heading and all: no document prints an empty heading. Dosing is
worded by :mod:`leaflet.render.dosing_view`, a product's advice by
:mod:`leaflet.render.product_advice`, the clinician card by :mod:`leaflet.render.card_view`.
"""

from __future__ import annotations

from typing import Any

from babel.lists import format_list

from ..record.model import DrugRecord
from .dose_tables import liquid_doses
from .dosing_view import (
    FORM_LABELS,
    N_,
    UiTranslate,
    regimen_rows,
    titration_rows,
)
from .product_advice import FOOD_ADVICE, product_advice

__all__ = [
    "ACTION_ORDER",
    "BAND_ORDER",
    "N_",
    "balanced_columns",
    "patient_selections",
    "side_effect_groups",
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
BAND_ORDER = ("very_common", "common", "uncommon", "rare", "very_rare", "not_known")
ACTION_ORDER = ("emergency", "call_doctor", "if_bothersome")
TIER_ORDER = ("emergency", "call_now", "call_today")


def _for_routes(items: list[dict[str, Any]], routes: list[str], field: str) -> list[dict[str, Any]]:
    """Items with text in ``field`` that apply to one of ``routes`` (or to every route)."""
    return [i for i in items if i.get(field) and i.get("route") in (None, *routes)]


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
        if (lines := product_advice(p, shown, lang, ui, food=shared_food is None))
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
            # With several uses, each row shows its own maximum: one sentence points at them.
            "has_maxima": any(r.maximum for r in regimens),
        },
        "overdose_signs": _for_routes(view["overdose"]["signs"], routes, "patient"),
        "taper_guidance": _for_routes(view["taper"]["guidance"], routes, "patient")
        if view["taper"]
        else [],
        "patient_products": [shown for _, shown in pairs],
        "storage_missing": any(not shown["storage"] for _, shown in pairs),
    }


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
