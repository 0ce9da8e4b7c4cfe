"""What each document shows: selections, groupings and pre-formatted tables.

:func:`leaflet.context.build_context` merges these into the render context, so
templates only loop and print. Wording for codes (dose forms, populations …) is
marked with :func:`N_` for extraction and translated where it is used.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from babel.lists import format_list

from .filters import format_number, format_quantity, keep_ranges_together
from .model import DrugRecord, QuantityValue

__all__ = [
    "ACTION_ORDER",
    "BAND_ORDER",
    "N_",
    "balanced_columns",
    "clinician_selections",
    "dosing_tables",
    "patient_selections",
    "product_label",
    "side_effect_groups",
    "strengths_text",
    "taper_selections",
    "withdrawal_tiers",
]

#: Looks up the translation of a string by its stable id (msgctxt) and English text.
Translate = Callable[[str, str], str]


def N_(context: str, message: str) -> tuple[str, str]:
    """Mark a (context, message) pair for extraction; it is translated where it is used."""
    return (context, message)


#: Wording for codes, looked up through the catalog like template text.
FORM_LABELS = {
    "tablet": N_("form.tablet", "tablets"),
    "oral_solution": N_("form.oral_solution", "oral solution"),
    "oral_suspension": N_("form.oral_suspension", "oral suspension"),
    "oral_granules": N_("form.oral_granules", "oral granules"),
    "injection": N_("form.injection", "injection"),
    "intrathecal_injection": N_("form.intrathecal_injection", "intrathecal injection"),
}
STRENGTH_PER = N_("strength.per", "{amount} in {volume}")
#: A product as printed: its brand (or, for a generic, the drug's name) and its form.
# Translators: a product's name: {name} is a brand (Ozobax) or the drug's name for a
# generic, {form} a dose form from the form.* entries ("tablets", "oral solution").
PRODUCT_LABEL = N_("product.label", "{name} {form}")
POPULATION_LABELS = {
    "elderly": N_("population.elderly", "Older people"),
    "renal": N_("population.renal", "Kidney impairment"),
    "hepatic": N_("population.hepatic", "Liver impairment"),
    "pregnancy": N_("population.pregnancy", "Pregnancy"),
    "breastfeeding": N_("population.breastfeeding", "Breast-feeding"),
}
ADVERSE_INTRO = N_("clinician.adverse_intro", "Incidence in US labelling: {items}.")
ADVERSE_ITEM = N_("clinician.adverse_item", "{term} {low}–{high}")
#: Between items of a run-in list ("drowsiness 10–63%; dizziness 5–15%").
# Translators: the separator between items of a run-in list, with its spacing
# (Arabic: "؛ ").
SEPARATOR = N_("punct.separator", "; ")


BAND_ORDER = ("very_common", "common", "uncommon", "rare", "very_rare", "not_known")
ACTION_ORDER = ("emergency", "call_doctor", "if_bothersome")
TIER_ORDER = ("emergency", "call_today")


def dosing_tables(record: DrugRecord, view: dict[str, Any], lang: str) -> dict[str, Any]:
    oral = record.dosing.oral
    rows = []
    if oral is not None:
        for step in oral.titration:
            rows.append(
                {
                    "first_day": format_number(step.first_day, lang),
                    "last_day": format_number(step.last_day, lang),
                    "dose": format_quantity(step.dose, lang),
                    "times_per_day": format_number(step.times_per_day, lang),
                    "daily_total": format_quantity(
                        QuantityValue(value=step.daily_total, unit=step.dose.unit), lang
                    ),
                }
            )
    it_rows = []
    it = record.dosing.intrathecal
    if it is not None:
        shown = view["dosing"]["intrathecal"]["by_origin"]
        for origin, origin_view in zip(it.by_origin, shown, strict=True):
            it_rows.append(
                {
                    "origin": origin_view["origin"],
                    "titration": percent_range(origin.titration_increase, lang),
                    "increase": percent_range(origin.maintenance_increase, lang),
                    "decrease": percent_range(origin.maintenance_decrease, lang),
                    "usual": (
                        format_quantity(origin.usual_daily.min, lang),
                        format_quantity(origin.usual_daily.max, lang),
                    ),
                }
            )
    return {"titration_rows": rows, "intrathecal_rows": it_rows}


def strengths_text(strengths: list[Any], lang: str, ui: Translate) -> str:
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


def product_label(brand: str | None, form: str, drug_name: str, ui: Translate) -> str:
    """Name a product in the reader's language: "Ozobax oral solution", "Baclofen tablets"."""
    return ui(*PRODUCT_LABEL).format(name=brand or drug_name, form=ui(*FORM_LABELS[form]))


def patient_selections(
    record: DrugRecord, view: dict[str, Any], lang: str, ui: Translate
) -> dict[str, Any]:
    """Pick what the patient-facing documents show: oral route, patient wording."""
    oral_forms = list(dict.fromkeys(p.form for p in record.products if p.route == "oral"))
    oral_brands = list(
        dict.fromkeys(p.brand for p in record.products if p.route == "oral" and p.brand)
    )
    populations = view["populations"]
    oral = record.dosing.oral
    return {
        "oral_form_names": format_list([ui(*FORM_LABELS[f]) for f in oral_forms], locale=lang),
        # Only brands of products taken by mouth: a pump brand on an oral leaflet misleads.
        "brand_list": format_list(oral_brands, locale=lang) if oral_brands else "",
        "key_warnings": [w for w in view["warnings"] if w["key"] and w["patient"]],
        "other_warnings": [w for w in view["warnings"] if not w["key"] and w["patient"]],
        "oral_indications": [i for i in view["indications"]["approved"] if i["route"] == "oral"],
        "patient_contraindications": [
            c for c in view["contraindications"] if c["patient"] and c["route"] in (None, "oral")
        ],
        "population_notes": [
            populations[key]["patient"]
            for key in ("elderly", "renal", "hepatic")
            if populations[key]["patient"]
        ],
        "oral_paediatric": [
            p for p in populations["paediatric"] if p["route"] == "oral" and p["patient"]
        ],
        "patient_interactions": [i for i in view["interactions"] if i["patient"]],
        "max_daily": format_quantity(oral.max_daily, lang) if oral else "",
        "oral_overdose_signs": [
            s for s in view["overdose"]["signs"] if s["route"] == "oral" and s["patient"]
        ],
        "taper_guidance": [g for g in view["taper"]["guidance"] if g["patient"]],
    }


def clinician_selections(
    record: DrugRecord, view: dict[str, Any], lang: str, ui: Translate
) -> dict[str, Any]:
    """Pick and pre-format what the clinician card shows."""
    oral = record.dosing.oral
    it = record.dosing.intrathecal
    screening = ""
    if it is not None:
        screening = format_list(
            [
                ui(*STRENGTH_PER).format(
                    amount=format_quantity(s.dose, lang), volume=format_quantity(s.volume, lang)
                )
                for s in it.screening
            ],
            style="or",
            locale=lang,
        )
    with_percent = [
        (item, shown)
        for item, shown in zip(
            record.side_effects.items, view["side_effects"]["items"], strict=True
        )
        if item.us_percent is not None and shown["clinician"]
    ]
    with_percent.sort(key=lambda pair: -pair[0].us_percent.max)  # type: ignore[union-attr]
    items = [
        ui(*ADVERSE_ITEM).format(
            term=shown["clinician"],
            low=format_number(item.us_percent.min, lang),  # type: ignore[union-attr]
            high=format_quantity(QuantityValue(value=item.us_percent.max, unit="%"), lang),  # type: ignore[union-attr]
        )
        for item, shown in with_percent
    ]
    cited = sorted(
        {ref for item, _ in with_percent for ref in item.refs},
    )
    return {
        "max_regimen_dose": format_quantity(oral.max_regimen_dose, lang) if oral else "",
        "max_regimen_times": format_number(oral.max_regimen_times_per_day, lang) if oral else "",
        "screening_text": screening,
        "population_labels": [(key, ui(*label)) for key, label in POPULATION_LABELS.items()],
        "clinician_warnings": [w for w in view["warnings"] if w["clinician"]],
        "adverse_summary": keep_ranges_together(
            ui(*ADVERSE_INTRO).format(items=ui(*SEPARATOR).join(items))
        )
        if items
        else "",
        "adverse_refs": cited,
        "reference_key": "; ".join(f"{r.id} {r.citation}" for r in record.references),
    }


def taper_selections(view: dict[str, Any], route: str | None = None) -> dict[str, Any]:
    """Sort the taper handout's warnings into its sections.

    With ``route`` (a personalised handout is for one route), warnings, advice and
    withdrawal signs about other routes are left out.
    """
    taper = [
        w for w in view["warnings"] if w["taper"] and w["route"] in (None, route or w["route"])
    ]
    pump = [w for w in taper if w["route"] == "intrathecal"]
    pregnancy = [w for w in taper if w["population"] == "pregnancy" and w not in pump]
    general = [w for w in taper if w not in pump and w not in pregnancy]
    return {
        "taper_warnings": general,
        "pump_warnings": pump,
        "pregnancy_warnings": pregnancy,
        "pump_advice": [
            p for p in view["taper"]["pump"] if p["patient"] and route in (None, "intrathecal")
        ],
        "blank_rows": 14,
        "show_routes": route is None and len({s["route"] for s in view["withdrawal"]["signs"]}) > 1,
        "withdrawal_tiers": withdrawal_tiers(view, route),
    }


def percent_range(span: Any, lang: str) -> tuple[str, str]:
    return (
        format_quantity(QuantityValue(value=Decimal(span.min), unit="%"), lang),
        format_quantity(QuantityValue(value=Decimal(span.max), unit="%"), lang),
    )


#: A side-effect list longer than this is printed in two columns.
TWO_COLUMNS_FROM = 7


def side_effect_groups(view: dict[str, Any]) -> list[dict[str, Any]]:
    """Group side effects by what to do, most frequent first, split into columns."""
    groups = []
    for action in ACTION_ORDER:
        items = [i for i in view["side_effects"]["items"] if i["action"] == action]
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


def withdrawal_tiers(view: dict[str, Any], route: str | None = None) -> list[dict[str, Any]]:
    """Group withdrawal signs into tiers (emergency first), for one route or all."""
    tiers = []
    for tier in TIER_ORDER:
        signs = [
            s
            for s in view["withdrawal"]["signs"]
            if s["tier"] == tier and route in (None, s["route"])
        ]
        if signs:
            tiers.append({"tier": tier, "signs": signs})
    return tiers
