"""Produce one document: context → HTML → PDF → preflight, in one language and paper.

This is the single-document pipeline that ``leaflet build`` (for every record,
language, audience and paper, possibly in worker processes) and ``leaflet
taper`` (one personalised handout) both run. It never writes: it returns the
PDF bytes that passed preflight, or every problem that stopped them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .catalog_loader import LoadedCatalog
from .catalogs import review_of
from .context import DOCUMENTS, Paper, build_context
from .errors import Problem
from .filters import isolate
from .languages import babel_locale
from .model import Audience, DrugRecord
from .pdf import Renderer, RenderError
from .preflight import RequiredText, check_pdf, read_facts
from .schedule_view import plan_context
from .taper import Schedule
from .templating import make_environment, render_html
from .translation import Translator

__all__ = [
    "CARD_FONT_SIZES",
    "DocumentJob",
    "Layout",
    "Produced",
    "produce",
    "required_texts",
]

log = logging.getLogger("leaflet")


def required_texts(
    record: DrugRecord, view: dict[str, Any], audience: Audience, route: str | None = None
) -> list[RequiredText]:
    """Return the texts that ``audience``'s document must contain, as printed.

    A document for one ``route`` (a personalised oral taper) needs only the
    warnings that are not about another route.
    """
    texts = []
    for warning, shown in zip(record.warnings, view["warnings"], strict=True):
        if route is not None and warning.route not in (None, route):
            continue
        if audience in warning.required_in:
            texts.append(RequiredText(warning.id, shown[audience]))
    if audience == "clinician":
        for index, boxed in enumerate(view["boxed_warnings"]):
            texts.append(RequiredText(f"boxed_warnings[{index}].title", boxed["title"]))
            for p_index, paragraph in enumerate(boxed["paragraphs"]):
                texts.append(
                    RequiredText(f"boxed_warnings[{index}].paragraphs[{p_index}]", paragraph)
                )
    return texts


@dataclass(frozen=True)
class DocumentJob:
    """One document to produce: which record, audience, language and paper, and how."""

    record: DrugRecord
    audience: Audience
    lang: str
    paper: Paper
    catalog: LoadedCatalog | None
    shown: str
    draft: bool = False
    schedule: Schedule | None = None
    personal: dict[str, str] | None = None


@dataclass(frozen=True)
class Produced:
    """A rendered document that passed preflight (or a draft), ready to write."""

    data: bytes
    pages: int
    #: The catalog entries (msgctxt) the document looked up: what it depends on.
    used: frozenset[str] = frozenset()
    #: The HTML the PDF was rendered from.
    html: str = ""


#: Clinician card type sizes, largest first: the card uses the largest that keeps it
#: on one page in the reader's language (7.5 pt is the floor).
CARD_FONT_SIZES = (Decimal("8.5"), Decimal("8"), Decimal("7.5"))


@dataclass(frozen=True)
class Layout:
    """One way to lay a document out; :func:`produce` tries them roomiest first."""

    font_pt: Decimal | None = None
    by_step: bool = False


def _layouts(job: DocumentJob) -> list[Layout]:
    if job.audience == "clinician":
        return [Layout(font_pt=size) for size in CARD_FONT_SIZES]
    if job.schedule is not None and job.schedule.daily_rows:
        return [Layout(by_step=False), Layout(by_step=True)]
    return [Layout(by_step=job.schedule is not None)]


def produce(job: DocumentJob, renderer: Renderer) -> Produced | list[Problem]:
    """Run one document through context → HTML → PDF → preflight.

    Returns the PDF, or every problem that stops it from being published: a
    missing or stale translation, a renderer warning, a failed preflight check.
    Where a document has several layouts (:func:`_layouts`), the first that fits
    the page limit in the reader's language is used: the clinician card at the
    largest type that keeps it on one page; a personalised taper one row a day,
    or else one row a step.
    """
    spec = DOCUMENTS[job.audience]
    translator = Translator(job.lang, job.catalog, draft=job.draft)
    env = make_environment(translator.jinja_translations())
    route = "oral" if job.schedule is not None else None
    context = build_context(
        job.record,
        job.audience,
        job.lang,
        job.paper,
        translate=translator,
        ui=translator,
        review=review_of(job.catalog) if job.catalog else None,
        draft=job.draft,
        route=route,
    )
    required = required_texts(job.record, context["record"], job.audience, route)
    max_pages = spec.max_pages
    if job.schedule is not None:
        typed = {key: isolate(value) for key, value in (job.personal or {}).items()}
        context["personal"] = {**context["personal"], **typed}
        if not job.schedule.daily_rows:
            max_pages += 1 + len(job.schedule.steps) // 30
    layouts = _layouts(job)
    for layout in layouts:
        texts = list(required)
        context["doc"]["font_pt"] = layout.font_pt
        if job.schedule is not None:
            plan = plan_context(
                job.schedule,
                context["drug_name"],
                babel_locale(job.lang),
                translator,
                by_step=layout.by_step,
            )
            context.update(plan)
            texts += [RequiredText("schedule: first day", t) for t in plan["plan"]["first_doses"]]
            texts += [RequiredText("schedule: last day", t) for t in plan["plan"]["last_doses"]]
        html = render_html(env, spec.template, context)
        if translator.gaps and not job.draft:
            return [
                *translator.problems(),
                Problem(
                    job.shown, None, "", f"not built: {len(translator.gaps)} translation(s) missing"
                ),
            ]
        try:
            rendered = renderer.render(
                html, unless_over=max_pages if layout is not layouts[-1] else None
            )
        except RenderError as error:
            return [
                Problem(job.shown, None, "", f"renderer: {message}") for message in error.messages
            ]
        if rendered.pages > max_pages and layout is not layouts[-1]:
            continue  # does not fit in this language: try the next, more compact layout
        facts = read_facts(rendered.data)
        failures = check_pdf(
            facts,
            texts,
            lang=context["doc"]["lang"],
            min_pages=spec.min_pages,
            max_pages=max_pages,
            rtl=context["doc"]["dir"] == "rtl",
        )
        if failures and job.draft:
            # A draft is a watermarked proof for translators: show it anyway.
            for message in failures:
                log.warning("%s: preflight (draft, written anyway): %s", job.shown, message)
        elif failures:
            return [
                Problem(job.shown, None, "", f"preflight: {message}; not written")
                for message in failures
            ]
        return Produced(
            data=rendered.data, pages=facts.pages, used=frozenset(translator.used), html=html
        )
    raise AssertionError("unreachable: the last layout always returns")
