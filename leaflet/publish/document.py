"""Produce one document: context → HTML → PDF → preflight, in one language and paper.

This is the single-document pipeline that ``leaflet build`` (for every record,
language, audience and paper, possibly in worker processes) and ``leaflet
taper`` (one personalised handout) both run. It never writes: it returns the
PDF bytes that passed preflight, or every problem that stopped them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..record.errors import Problem
from ..record.model import Audience, DrugRecord
from ..render.context import DOCUMENTS, Paper, build_context
from ..render.filters import isolate, tighten_full_width
from ..render.pdf import Renderer, RenderError
from ..render.presentation import Presentation
from ..render.schedule_view import plan_context
from ..render.templating import make_environment, render_html
from ..taper.calendar import Schedule
from ..translation.catalog_checks import Translator
from ..translation.catalog_loader import DOMAIN, LoadedCatalog, domain_of
from ..translation.languages import SOURCE_LANGUAGE, babel_locale, script_of
from ..translation.signoff import review_of
from ..verify.preflight import RequiredText, check_html, check_pdf, read_facts
from .marking import marked_contexts, render_marked

__all__ = [
    "CARD_FONT_SIZES",
    "DOCUMENT_TITLES",
    "DocumentJob",
    "Layout",
    "Produced",
    "printed_contexts",
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
        for boxed in view["boxed_warnings"]:
            texts.append(RequiredText(f"boxed_warnings.{boxed['id']}.title", boxed["title"]))
            for paragraph in boxed["paragraphs"]:
                name = f"boxed_warnings.{boxed['id']}.paragraphs.{paragraph['id']}"
                texts.append(RequiredText(name, paragraph["text"]))
    return texts


def generated_warnings(context: dict[str, Any]) -> list[RequiredText]:
    """Warnings leaflet itself words from the record's data, required like the record's own.

    On the clinician card: units that differ by route (oral mg, intrathecal
    mcg) and oral liquids of different strengths.
    """
    return [
        RequiredText(name, context[name])
        for name in ("units_warning", "liquids_warning")
        if context.get(name)
    ]


@dataclass(frozen=True)
class DocumentJob:
    """One document to produce: which record, audience, language and paper, and how."""

    record: DrugRecord
    audience: Audience
    lang: str
    paper: Paper
    catalog: LoadedCatalog | None
    shown: str
    presentation: Presentation = field(default_factory=Presentation)
    schedule: Schedule | None = None
    personal: dict[str, str] | None = None

    @property
    def draft(self) -> bool:
        """True for a translator's proof."""
        return self.presentation.draft


@dataclass(frozen=True)
class Produced:
    """A rendered document that passed preflight (or a draft), ready to write."""

    data: bytes
    pages: int
    #: The catalog entries (msgctxt) the document looked up: what it depends on.
    used: frozenset[str] = frozenset()
    #: The HTML the PDF was rendered from.
    html: str = ""


#: Large print has no page limit; this only stops a runaway layout.
LARGE_PRINT_MAX_PAGES = 40

#: Clinician card type sizes, largest first: the card uses the largest that keeps it
#: on one page in the reader's language (7.5 pt is the floor).
CARD_FONT_SIZES = (Decimal("8.5"), Decimal("8"), Decimal("7.5"))


@dataclass(frozen=True)
class Layout:
    """One way to lay a document out; :func:`produce` tries them roomiest first."""

    font_pt: Decimal | None = None
    by_step: bool = False
    #: Closer lines and paragraphs: the last resort before the card would not fit.
    tight: bool = False


def _layouts(job: DocumentJob) -> list[Layout]:
    if job.presentation.html or job.presentation.large_print:
        return [Layout(by_step=job.schedule is not None and not job.schedule.daily_rows)]
    if job.audience == "clinician":
        sizes = [Layout(font_pt=size) for size in CARD_FONT_SIZES]
        return [*sizes, Layout(font_pt=CARD_FONT_SIZES[-1], tight=True)]
    if job.schedule is not None and job.schedule.daily_rows:
        return [Layout(by_step=False), Layout(by_step=True)]
    if job.audience == "patient":
        # Closer paragraphs, never smaller type, when a long language needs the room.
        return [Layout(), Layout(tight=True)]
    return [Layout(by_step=job.schedule is not None)]


def printed_contexts(record: DrugRecord, audience: Audience) -> frozenset[str]:
    """The msgctxt of every text ``audience``'s document of ``record`` prints.

    The record's prose is translated whole before any template runs, so a
    lookup alone does not say a text is printed: the document is rendered once
    in English with every text marked (:mod:`leaflet.publish.marking`), and a
    text counts as printed when either of its marks reaches the HTML. leaflet's
    own text is looked up only where printed, so each of its lookups counts.
    Which entries a document prints does not depend on the language, the paper
    or the type size.
    """
    html, order = render_marked(record, audience, SOURCE_LANGUAGE)
    own = {context for context in order if domain_of(context) == DOMAIN}
    return frozenset(own | marked_contexts(html, order))


def _gap_problems(job: DocumentJob, translator: Translator) -> list[Problem]:
    """Every missing translation this document would print; none means it can be built.

    A record text the document does not print (a patient-only warning, for the
    clinician card) holds back only the documents that print it. leaflet's own
    text is looked up only where printed, so each of its gaps counts.
    """
    if not translator.gaps or job.draft:
        return []
    printed = printed_contexts(job.record, job.audience)
    problems = [
        p for p in translator.problems() if domain_of(p.path) == DOMAIN or p.path in printed
    ]
    if not problems:
        return []
    return [
        *problems,
        Problem(job.shown, None, "", f"not built: {len(problems)} translation(s) missing"),
    ]


def produce(job: DocumentJob, renderer: Renderer) -> Produced | list[Problem]:
    """Run one document through context → HTML → PDF → preflight.

    Returns the PDF, or every problem that stops it from being published: a
    missing or stale translation, a renderer warning, a failed preflight check.
    Where a document has several layouts (:func:`_layouts`), the first that fits
    the page limit in the reader's language is used: the clinician card at the
    largest type that keeps it on one page; a personalised taper one row a day,
    or else one row a step. A layout in which some text is inked outside the
    printable area (a word too wide for its table column) is tried once more with
    every word free to break anywhere (``doc.wrap_anywhere``); only documents
    that need it pay for the second rendering.
    """
    spec = DOCUMENTS[job.audience]
    translator = Translator(job.lang, job.catalog, draft=job.draft)
    env = make_environment(translator.jinja_translations())
    # A personalised calendar is for the oral route; a patient who also has a pump
    # (a pump team phone was given) gets the pump's advice and warnings too.
    has_pump = bool((job.personal or {}).get("pump_team_phone"))
    route = "oral" if job.schedule is not None and not has_pump else None
    context = build_context(
        job.record,
        job.audience,
        job.lang,
        job.paper,
        translate=translator,
        ui=translator,
        review=review_of(job.catalog, job.record.drug.id) if job.catalog else None,
        presentation=job.presentation,
        route=route,
    )
    required = required_texts(job.record, context["record"], job.audience, route)
    required += generated_warnings(context)
    # Large print is reflowed, not squeezed: page limits do not apply to it.
    max_pages = LARGE_PRINT_MAX_PAGES if job.presentation.large_print else spec.max_pages
    if job.schedule is not None:
        typed = {key: isolate(value) for key, value in (job.personal or {}).items()}
        context["personal"] = {**context["personal"], **typed}
        if not job.schedule.daily_rows:
            max_pages += 1 + len(job.schedule.steps) // 30
    layouts = _layouts(job)
    wrap_anywhere = False
    index = 0
    while index < len(layouts):
        layout, last = layouts[index], index == len(layouts) - 1
        index += 1
        log.debug(
            "%s: layout %d of %d: %s%s",
            job.shown,
            index,
            len(layouts),
            layout,
            ", words free to break anywhere" if wrap_anywhere else "",
        )
        texts = list(required)
        context["doc"]["font_pt"] = layout.font_pt
        context["doc"]["tight"] = layout.tight
        context["doc"]["wrap_anywhere"] = wrap_anywhere
        if job.schedule is not None:
            label_plan = (context["record"]["taper"] or {}).get("label_plan")
            plan = plan_context(
                job.schedule,
                context["drug_name"],
                babel_locale(job.lang),
                translator,
                by_step=layout.by_step,
                note=label_plan["patient"] or ""
                if label_plan and job.schedule.request.plan == "label"
                else "",
            )
            context.update(plan)
            texts += [RequiredText("schedule: first day", t) for t in plan["plan"]["first_doses"]]
            texts += [RequiredText("schedule: last day", t) for t in plan["plan"]["last_doses"]]
        html = render_html(env, spec.template, context)
        if script_of(job.lang) in ("Hans", "Hant", "Jpan"):
            html = tighten_full_width(html)
        if job.presentation.html:
            return _html_outcome(job, translator, html, texts, context)
        gaps = _gap_problems(job, translator)
        if gaps:
            return gaps
        try:
            rendered = renderer.render(
                html,
                unless_over=max_pages if not last else None,
                large_print=job.presentation.large_print,
            )
        except RenderError as error:
            return [
                Problem(job.shown, None, "", f"renderer: {message}") for message in error.messages
            ]
        if rendered.pages > max_pages and not last:
            log.debug("%s: over %d page(s) in this layout", job.shown, max_pages)
            continue  # does not fit in this language: try the next, more compact layout
        rtl = context["doc"]["dir"] == "rtl"
        facts = read_facts(rendered.data, rtl=rtl)
        if facts.strays and not wrap_anywhere:
            # A word too wide for its table column or flex item ran outside the page:
            # lay this out again, and every layout after it, with columns free to shrink
            # below their longest word (wrap-anywhere.css). Preflight judges the result.
            log.debug("%s: text inked outside the printable area", job.shown)
            wrap_anywhere = True
            index -= 1
            continue
        failures = check_pdf(
            facts,
            texts,
            lang=context["doc"]["lang"],
            min_pages=spec.min_pages,
            max_pages=max_pages,
            rtl=rtl,
            chrome=_chrome(job, context, translator, facts.pages),
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


#: The documents' titles, as the templates name them (the same catalog entries).
DOCUMENT_TITLES = {
    "patient": ("doc.patient", "Patient leaflet"),
    "clinician": ("doc.clinician", "Clinician quick card"),
    "taper": ("doc.taper", "Taper and withdrawal handout"),
}


def _chrome(job: DocumentJob, context: dict[str, Any], ui: Translator, pages: int) -> list[str]:
    """The running header and footer text base.html prints on every page.

    The footer's first line is listed whole, as printed, as well as in its parts:
    taken out part by part it would leave its " · " between the text that ends one
    page and the text that continues on the next.
    """
    doc = context["doc"]
    title = ui(*DOCUMENT_TITLES[job.audience])
    revision = ui("footer.revision", "Revision %(revision)s, %(date)s") % {
        "revision": doc["revision"],
        "date": doc["revision_date"],
    }
    basis = ui("footer.basis", "Based on US prescribing information")
    first_line = (
        [revision, basis]
        if doc["running_header"]
        else [f"{title} · {doc['language_name']}", revision, basis]
    )
    lines = [
        f"{context['drug_name']} · {title}",
        doc["language_name"],
        " · ".join(first_line),
        revision,
        basis,
        ui("draft.watermark", "DRAFT — not for patients") if doc["draft"] else "",
    ]
    review = doc["review"]
    if review and review["status"] == "reviewed":
        lines.append(
            ui("footer.reviewed", "Translation reviewed by %(reviewer)s on %(date)s")
            % {"reviewer": review["reviewer"], "date": review["date"]}
        )
    counter = ui("footer.pages", "Page {page} of {pages}")
    lines += [counter.format(page=page, pages=pages) for page in range(1, pages + 1)]
    return lines


def _html_outcome(
    job: DocumentJob,
    translator: Translator,
    html: str,
    required: list[RequiredText],
    context: dict[str, Any],
) -> Produced | list[Problem]:
    """Check an HTML edition the way a PDF is checked: every required text is in it."""
    gaps = _gap_problems(job, translator)
    if gaps:
        return gaps
    failures = check_html(
        html, required, lang=context["doc"]["lang"], rtl=context["doc"]["dir"] == "rtl"
    )
    if failures and not job.draft:
        return [
            Problem(job.shown, None, "", f"preflight: {message}; not written")
            for message in failures
        ]
    return Produced(data=html.encode("utf-8"), pages=0, used=frozenset(translator.used), html=html)
