"""Build what a template needs to render one document: the render context.

The record becomes a *view*: nested dicts and lists in which every prose field
is already translated (from the next issue on) and has its placeholders filled
with locale-formatted values. Grouping and sorting (side effects by what to
do, withdrawal signs by tier …) happen here, so templates only loop and print.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from babel.lists import format_list
from markupsafe import Markup
from pydantic import BaseModel

from .filters import fill_placeholders, format_date, format_number, format_quantity, format_value
from .languages import babel_locale, bcp47, direction, own_name
from .model import AUDIENCES, Audience, Cited, DrugRecord, QuantityValue, prose_kind

__all__ = [
    "DOCUMENTS",
    "N_",
    "PAPERS",
    "DocumentSpec",
    "RecordTranslator",
    "build_context",
    "iter_prose",
    "record_view",
]

Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = ("a4", "letter")

#: Looks up the translation of a string by its stable id (msgctxt) and English text.
RecordTranslator = Callable[[str, str], str]


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
POPULATION_LABELS = {
    "elderly": N_("population.elderly", "Older people"),
    "renal": N_("population.renal", "Kidney impairment"),
    "hepatic": N_("population.hepatic", "Liver impairment"),
    "pregnancy": N_("population.pregnancy", "Pregnancy"),
    "breastfeeding": N_("population.breastfeeding", "Breast-feeding"),
}
ADVERSE_INTRO = N_("clinician.adverse_intro", "Incidence in US labelling: {items}.")
ADVERSE_ITEM = N_("clinician.adverse_item", "{term} {low}–{high}")


@dataclass(frozen=True)
class DocumentSpec:
    """What one audience's document is: its template and its page limits."""

    audience: Audience
    template: str
    min_pages: int
    max_pages: int


DOCUMENTS: dict[Audience, DocumentSpec] = {
    "patient": DocumentSpec("patient", "patient.html", 1, 4),
    "clinician": DocumentSpec("clinician", "clinician.html", 1, 1),
    "taper": DocumentSpec("taper", "taper.html", 1, 2),
}
assert tuple(DOCUMENTS) == AUDIENCES

BAND_ORDER = ("very_common", "common", "uncommon", "rare", "very_rare", "not_known")
ACTION_ORDER = ("emergency", "call_doctor", "if_bothersome")
TIER_ORDER = ("emergency", "call_today")


def _english(_context: str, text: str) -> str:
    return text


def record_view(
    record: DrugRecord, locale: str, translate: RecordTranslator = _english
) -> dict[str, Any]:
    """Return the record as plain data with every prose string translated and filled.

    Each prose string is looked up by its message context, ``<drug id>:<path>``
    (see :func:`iter_prose`), so a translation keeps its identity when the
    English changes and the same English in two places can differ.
    """
    prefix = f"{record.drug.id}:"

    def lookup(path: str, text: str) -> str:
        return translate(prefix + path, text)

    view = _view(record, "", (), locale, lookup, {})
    assert isinstance(view, dict)
    return view


def iter_prose(record: DrugRecord) -> Iterator[tuple[str, tuple[str | int, ...], str]]:
    """Yield (message context, YAML path, English text) for every prose string."""
    found: list[tuple[str, tuple[str | int, ...], str]] = []

    def collect(path: str, key: tuple[str | int, ...], text: str) -> str:
        found.append((f"{record.drug.id}:{path}", key, text))
        return text

    _walk(record, "", (), collect)
    yield from found


ProseVisitor = Callable[[str, tuple[str | int, ...], str], str]


def _walk(obj: Any, path: str, key: tuple[str | int, ...], visit: ProseVisitor) -> None:
    if isinstance(obj, BaseModel) and not isinstance(obj, QuantityValue):
        for name, info in type(obj).model_fields.items():
            value = getattr(obj, name)
            child, child_key = (f"{path}.{name}" if path else name), (*key, name)
            kind = prose_kind(info)
            if kind == "text" and isinstance(value, str):
                visit(child, child_key, value)
            elif kind == "list" and isinstance(value, list):
                for i, v in enumerate(value):
                    visit(f"{child}.{i}", (*child_key, i), v)
            elif name != "values":
                _walk(value, child, child_key, visit)
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            _walk(item, f"{path}.{getattr(item, 'id', index)}", (*key, index), visit)


def _view(
    obj: Any,
    path: str,
    key: tuple[str | int, ...],
    locale: str,
    translate: Callable[[str, str], str],
    values: dict[str, str],
) -> Any:
    if isinstance(obj, QuantityValue):
        return format_quantity(obj, locale)
    if isinstance(obj, BaseModel):
        if isinstance(obj, Cited):
            values = {k: format_value(v, locale) for k, v in obj.values.items()}
        out: dict[str, Any] = {}
        for name, info in type(obj).model_fields.items():
            value = getattr(obj, name)
            child = f"{path}.{name}" if path else name
            kind = prose_kind(info)
            if kind == "text" and isinstance(value, str):
                out[name] = fill_placeholders(translate(child, value), values)
            elif kind == "list" and isinstance(value, list):
                out[name] = [
                    fill_placeholders(translate(f"{child}.{i}", v), values)
                    for i, v in enumerate(value)
                ]
            elif name != "values":
                out[name] = _view(value, child, (*key, name), locale, translate, values)
        return out
    if isinstance(obj, list):
        return [
            _view(
                item,
                f"{path}.{getattr(item, 'id', index)}",
                (*key, index),
                locale,
                translate,
                values,
            )
            for index, item in enumerate(obj)
        ]
    if isinstance(obj, dict):
        return {
            k: _view(v, f"{path}.{k}", (*key, k), locale, translate, values) for k, v in obj.items()
        }
    return obj


def build_context(
    record: DrugRecord,
    audience: Audience,
    lang: str,
    paper: Paper,
    translate: RecordTranslator = _english,
    ui: RecordTranslator = _english,
    review: dict[str, str] | None = None,
    draft: bool = False,
) -> dict[str, Any]:
    """Return everything the ``audience`` template needs, formatted for ``lang``.

    ``translate`` looks up record prose (msgctxt = the record path); ``ui`` looks
    up the generator's own wording (form names and the like). ``review`` is the
    catalog's review status (None for the source language).
    """
    fmt = babel_locale(lang)
    view = record_view(record, fmt, translate)
    for product, shown in zip(record.products, view["products"], strict=True):
        shown["strength_text"] = _strengths_text(product.strengths, fmt, ui)
    spec = DOCUMENTS[audience]
    context: dict[str, Any] = {
        "record": view,
        "doc": {
            "audience": audience,
            "lang": bcp47(lang),
            "dir": direction(lang),
            "start": "left" if direction(lang) == "ltr" else "right",
            "end": "right" if direction(lang) == "ltr" else "left",
            "paper": paper,
            "page_size": {"a4": "A4", "letter": "letter"}[paper],
            "max_pages": spec.max_pages,
            "language_name": own_name(lang),
            "revision": format_number(record.regulatory.revision, fmt),
            "revision_date": format_date(record.regulatory.revision_date, fmt),
            "review": review,
            "draft": draft,
        },
        "drug_name": view["drug"]["name"],
        "oral_products": [p for p in view["products"] if p["route"] == "oral"],
        "routes": sorted({p.route for p in record.products}),
        "fda_phone": Markup('<span class="nowrap">1-800-FDA-1088</span>'),
    }
    context.update(_dosing_tables(record, view, fmt))
    context.update(_patient_selections(record, view, fmt, ui))
    context.update(_clinician_selections(record, view, fmt, ui))
    context.update(_taper_selections(view))
    context["side_effect_groups"] = _side_effect_groups(view)
    if review and review.get("date"):
        with contextlib.suppress(ValueError):
            review = {**review, "date": format_date(date.fromisoformat(review["date"]), fmt)}
        context["doc"]["review"] = review
    context["bands_used"] = [
        band
        for band in BAND_ORDER
        if any(item["band"] == band for item in view["side_effects"]["items"])
    ]
    context["withdrawal_tiers"] = _withdrawal_tiers(view)
    return context


def _dosing_tables(record: DrugRecord, view: dict[str, Any], lang: str) -> dict[str, Any]:
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
                    "titration": _percent_range(origin.titration_increase, lang),
                    "increase": _percent_range(origin.maintenance_increase, lang),
                    "decrease": _percent_range(origin.maintenance_decrease, lang),
                    "usual": (
                        format_quantity(origin.usual_daily.min, lang),
                        format_quantity(origin.usual_daily.max, lang),
                    ),
                }
            )
    return {"titration_rows": rows, "intrathecal_rows": it_rows}


def _strengths_text(strengths: list[Any], lang: str, ui: RecordTranslator) -> str:
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


def _patient_selections(
    record: DrugRecord, view: dict[str, Any], lang: str, ui: RecordTranslator
) -> dict[str, Any]:
    """Pick what the patient-facing documents show: oral route, patient wording."""
    oral_forms = list(dict.fromkeys(p.form for p in record.products if p.route == "oral"))
    oral_names = " ".join(p.name for p in record.products if p.route == "oral")
    oral_brands = [b for b in record.drug.brands if b in oral_names]
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


def _clinician_selections(
    record: DrugRecord, view: dict[str, Any], lang: str, ui: RecordTranslator
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
        "adverse_summary": ui(*ADVERSE_INTRO).format(items="; ".join(items)) if items else "",
        "adverse_refs": cited,
        "reference_key": "; ".join(f"{r.id} {r.citation}" for r in record.references),
    }


def _taper_selections(view: dict[str, Any]) -> dict[str, Any]:
    """Sort the taper handout's warnings into its sections."""
    taper = [w for w in view["warnings"] if w["taper"]]
    pump = [w for w in taper if w["route"] == "intrathecal"]
    pregnancy = [w for w in taper if w["population"] == "pregnancy" and w not in pump]
    general = [w for w in taper if w not in pump and w not in pregnancy]
    return {
        "taper_warnings": general,
        "pump_warnings": pump,
        "pregnancy_warnings": pregnancy,
        "pump_advice": [p for p in view["taper"]["pump"] if p["patient"]],
        "blank_rows": 12,
        "show_routes": len({s["route"] for s in view["withdrawal"]["signs"]}) > 1,
    }


def _percent_range(span: Any, lang: str) -> tuple[str, str]:
    return (
        format_quantity(QuantityValue(value=Decimal(span.min), unit="%"), lang),
        format_quantity(QuantityValue(value=Decimal(span.max), unit="%"), lang),
    )


def _side_effect_groups(view: dict[str, Any]) -> list[dict[str, Any]]:
    groups = []
    for action in ACTION_ORDER:
        items = [i for i in view["side_effects"]["items"] if i["action"] == action]
        items.sort(key=lambda i: BAND_ORDER.index(i["band"]) if i["band"] else len(BAND_ORDER))
        if items:
            groups.append({"action": action, "effects": items})
    return groups


def _withdrawal_tiers(view: dict[str, Any]) -> list[dict[str, Any]]:
    tiers = []
    for tier in TIER_ORDER:
        signs = [s for s in view["withdrawal"]["signs"] if s["tier"] == tier]
        if signs:
            tiers.append({"tier": tier, "signs": signs})
    return tiers
