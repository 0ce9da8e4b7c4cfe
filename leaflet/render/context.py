"""Build what a template needs to render one document: the render context.

The record becomes a *view*: nested dicts and lists in which every prose field
is already translated (from the next issue on) and has its placeholders filled
with locale-formatted values. Grouping and sorting (side effects by what to
do, withdrawal signs by tier …) happen here, so templates only loop and print.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from markupsafe import Markup
from pydantic import BaseModel

from ..record.durations import DurationValue, is_age
from ..record.model import AUDIENCES, Audience, Cited, DrugRecord, QuantityValue, prose_kind
from ..translation.languages import PSEUDO_LOCALE, babel_locale, bcp47, direction, own_name
from .card_view import clinician_selections
from .dosing_view import N_, UiTranslate, product_label
from .durations import format_duration
from .filters import (
    fill_placeholders,
    format_date,
    format_number,
    format_quantity,
    format_value,
    isolate,
)
from .presentation import Presentation, qr_data_uri
from .product_advice import strengths_text
from .selections import (
    BAND_ORDER,
    patient_selections,
    side_effect_groups,
    taper_selections,
)

#: Rows of the blank schedule in the large-print taper handout (14 in standard print).
LARGE_PRINT_BLANK_ROWS = 9

__all__ = [
    "DOCUMENTS",
    "PAPERS",
    "DocumentSpec",
    "EnglishUi",
    "RecordTranslator",
    "build_context",
    "record_view",
]

Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = ("a4", "letter")

#: Looks up the translation of a string by its stable id (msgctxt) and English text.
RecordTranslator = Callable[[str, str], str]

# Translators: the alternative text a screen reader says for the QR code.
QR_ALT = N_("online.qr_alt", "QR code: the online version of this document, {url}")


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


def _english(_context: str, text: str) -> str:
    return text


def record_view(
    record: DrugRecord,
    locale: str,
    translate: RecordTranslator = _english,
    ui: UiTranslate | None = None,
) -> dict[str, Any]:
    """Return the record as plain data with every prose string translated and filled.

    Each prose string is looked up by its message context, ``<drug id>:<path>``
    (see :func:`iter_prose`), so a translation keeps its identity when the
    English changes and the same English in two places can differ.
    """
    prefix = f"{record.drug.id}:"
    own = ui or EnglishUi()

    def lookup(path: str, text: str) -> str:
        return translate(prefix + path, text)

    def placeholder(name: str, value: Any) -> str:
        if isinstance(value, DurationValue):
            return format_duration(value, locale, own, age=is_age(name))
        return format_value(value, locale)

    view = _view(record, "", (), locale, lookup, placeholder, {})
    assert isinstance(view, dict)
    return view


def _view(
    obj: Any,
    path: str,
    key: tuple[str | int, ...],
    locale: str,
    translate: Callable[[str, str], str],
    placeholder: Callable[[str, Any], str],
    values: dict[str, str],
) -> Any:
    if isinstance(obj, QuantityValue):
        return format_quantity(obj, locale)
    if isinstance(obj, BaseModel):
        if isinstance(obj, Cited):
            values = {k: placeholder(k, v) for k, v in obj.values.items()}
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
                out[name] = _view(
                    value, child, (*key, name), locale, translate, placeholder, values
                )
        return out
    if isinstance(obj, list):
        return [
            _view(
                item,
                f"{path}.{getattr(item, 'id', index)}",
                (*key, index),
                locale,
                translate,
                placeholder,
                values,
            )
            for index, item in enumerate(obj)
        ]
    if isinstance(obj, dict):
        return {
            k: _view(v, f"{path}.{k}", (*key, k), locale, translate, placeholder, values)
            for k, v in obj.items()
        }
    return obj


def _branding_view(presentation: Presentation) -> dict[str, str] | None:
    branding = presentation.branding
    if branding is None:
        return None
    return {
        "name": isolate(branding.name),
        "address": isolate(branding.address),
        "phone": isolate(branding.phone),
        "logo": branding.logo_uri,
        "logo_alt": branding.name,
    }


def _online_view(
    presentation: Presentation, drug: str, lang: str, audience: str, ui: UiTranslate
) -> dict[str, str] | None:
    if presentation.online is None:
        return None
    url = presentation.online.url(drug, lang, audience)
    return {
        "url": isolate(url),
        "qr": qr_data_uri(url),
        "alt": ui(*QR_ALT).format(url=url),
    }


def build_context(
    record: DrugRecord,
    audience: Audience,
    lang: str,
    paper: Paper,
    translate: RecordTranslator = _english,
    ui: UiTranslate | None = None,
    review: dict[str, str] | None = None,
    presentation: Presentation | None = None,
    route: str | None = None,
) -> dict[str, Any]:
    """Return everything the ``audience`` template needs, formatted for ``lang``.

    ``translate`` looks up record prose (msgctxt = the record path); ``ui`` looks
    up the generator's own wording (form names and the like). ``review`` is the
    catalog's review status (None for the source language). ``route`` narrows a
    personalised handout to one route.
    """
    ui = ui or EnglishUi()
    presentation = presentation or Presentation()
    fmt = babel_locale(lang)
    # The pseudo-locale lengthens texts, not values: a duration inside a sentence would be
    # lengthened twice, as quantities and dates (formatted, never translated) are not.
    view = record_view(record, fmt, translate, None if lang == PSEUDO_LOCALE else ui)
    for product, shown in zip(record.products, view["products"], strict=True):
        shown["strength_text"] = strengths_text(product.strengths, fmt, ui)
        shown["label"] = product_label(product, view["drug"]["name"], ui)
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
            "draft": presentation.draft,
            "font_pt": None,
            "tight": False,
            "wrap_anywhere": False,
            "large_print": presentation.large_print,
            "html": presentation.html,
            # Running header and footer: 8 pt, or 14 pt in large print.
            "chrome_pt": 14 if presentation.large_print else 8,
            # A one-page card's margins are too narrow for a running header: its
            # footer names the document and the language instead.
            "running_header": audience != "clinician" or presentation.large_print,
        },
        "branding": _branding_view(presentation),
        "online": _online_view(presentation, record.drug.id, lang, audience, ui),
        "drug_name": view["drug"]["name"],
        "documents": list(record.documents),
        "routes": record.routes(),
        # A phone number reads left to right in every script: isolated (LRI … PDI) so that
        # Arabic text around it cannot reorder its parts.
        "fda_phone": _phone("1-800-FDA-1088"),
        "poison_phone": _phone("1-800-222-1222"),
    }
    if audience == "patient":
        context.update(patient_selections(record, view, fmt, ui))
        context["side_effect_groups"] = side_effect_groups(view, record.patient_routes())
        used = [g for group in context["side_effect_groups"] for g in group["effects"]]
        context["bands_used"] = [b for b in BAND_ORDER if any(i["band"] == b for i in used)]
    elif audience == "clinician":
        context.update(clinician_selections(record, view, fmt, ui))
    else:
        context.update(taper_selections(record, view, route))
        if presentation.large_print:
            # Rows twice as tall: fewer of them keep the contact lines on the table's page.
            context["blank_rows"] = LARGE_PRINT_BLANK_ROWS
        context["plan"] = None
        context["personal"] = {
            "patient_name": "",
            "prescriber": "",
            "pharmacy_phone": "",
            "pump_team_phone": "",
        }
    if review and review.get("date"):
        with contextlib.suppress(ValueError):
            review = {**review, "date": format_date(date.fromisoformat(review["date"]), fmt)}
        context["doc"]["review"] = review
    return context


def _phone(number: str) -> Markup:
    return Markup(f'<span class="nowrap">\u2066{number}\u2069</span>')


class EnglishUi:
    """The generator's wording in English, for a context built without a catalog."""

    def __call__(self, context: str, msgid: str) -> str:
        return msgid

    def plural(self, context: str, singular: str, plural: str, count: int) -> str:
        return singular if count == 1 else plural
