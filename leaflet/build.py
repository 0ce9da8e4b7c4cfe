"""Wire the stages together: load → validate → context → HTML → PDF → preflight → write.

This is the only module that knows the order of the stages. Each document is
built independently: one that fails (a missing warning, a page limit, a
renderer warning) is reported and not written, and the others still ship. The
manifest is written last, atomically, and lists only files that passed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import __version__
from .catalogs import extract_messages, load_catalogs, locale_codes, review_of
from .checks import check_records
from .context import DOCUMENTS, Paper, build_context
from .errors import Problem
from .filters import isolate
from .fonts import coverage_problems
from .languages import PSEUDO_LOCALE, SOURCE_LANGUAGE, babel_locale
from .loader import LineMap, LoadedCatalog, display_path, file_digest, load_manifest
from .model import Audience, DrugRecord
from .pdf import Renderer, RenderError
from .preflight import RequiredText, check_pdf, read_facts
from .schedule_view import plan_context
from .taper import Schedule
from .templating import make_environment, render_html
from .translation import Translator, check_catalog
from .writer import OutputWriter

__all__ = [
    "MANIFEST_NAME",
    "BuildOptions",
    "BuildReport",
    "BuiltDocument",
    "DocumentJob",
    "Produced",
    "available_languages",
    "build",
    "build_taper_handout",
    "output_name",
    "produce",
    "required_texts",
]

log = logging.getLogger("leaflet")

MANIFEST_NAME = "manifest.json"


def available_languages() -> list[str]:
    """Return every language with a catalog, and English (the pseudo-locale is extra)."""
    return [SOURCE_LANGUAGE, *locale_codes()]


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    records: tuple[Path, ...]
    out_dir: Path
    langs: tuple[str, ...] = (SOURCE_LANGUAGE,)
    audiences: tuple[Audience, ...] = ("patient", "clinician", "taper")
    papers: tuple[Paper, ...] = ("a4",)
    draft: bool = False


@dataclass(frozen=True)
class BuiltDocument:
    """One published document, as listed in the manifest."""

    drug: str
    audience: Audience
    lang: str
    paper: Paper
    path: str
    pages: int
    sha256: str
    revision: int
    review: str = "source"
    draft: bool = False

    def manifest_entry(self) -> dict[str, Any]:
        """Return this document's manifest entry."""
        return {
            "drug": self.drug,
            "audience": self.audience,
            "lang": self.lang,
            "paper": self.paper,
            "path": self.path,
            "pages": self.pages,
            "sha256": self.sha256,
            "revision": self.revision,
            "review": self.review,
        }


@dataclass
class BuildReport:
    """What a build did: the documents it wrote and every problem it found."""

    documents: list[BuiltDocument] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every requested document was built and written."""
        return not self.problems


def output_name(drug: str, audience: Audience, lang: str, paper: Paper, draft: bool = False) -> str:
    """Return a document's path inside the output folder (drafts never replace finals)."""
    suffix = ("-letter" if paper == "letter" else "") + ("-draft" if draft else "")
    return f"{lang}/{drug}-{audience}{suffix}.pdf"


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


def build(options: BuildOptions) -> BuildReport:
    """Build every requested document; write those that pass, then the manifest.

    A language whose catalog is broken (syntax, placeholders, numbers, glyphs)
    is skipped with its problems listed; a document that needs a missing or
    fuzzy translation is not written. Everything else still builds.
    """
    report = BuildReport()
    langs = _known_languages(options.langs, report)
    records, record_problems = check_records(options.records)
    report.problems.extend(record_problems)
    catalogs, usable = _prepare_languages(langs, records, report)
    writer = OutputWriter(options.out_dir)
    if records and usable:
        renderer = Renderer()
        for lang in usable:
            for record in records:
                for outcome in _build_documents(
                    record, lang, catalogs.get(lang), options, renderer, writer
                ):
                    if isinstance(outcome, BuiltDocument):
                        report.documents.append(outcome)
                    else:
                        report.problems.append(outcome)
    _write_manifest(writer, options.out_dir, [d for d in report.documents if not d.draft])
    return report


def _known_languages(langs: Iterable[str], report: BuildReport) -> list[str]:
    """Return the languages that exist; report each unknown one as a usage problem."""
    known = available_languages()
    found = []
    for lang in langs:
        if lang in known or lang == PSEUDO_LOCALE:
            found.append(lang)
        else:
            report.problems.append(
                Problem(
                    "--lang",
                    None,
                    "",
                    f"unknown language {lang!r} (expected one of: {', '.join(known)}, or all)",
                )
            )
    return found


def _prepare_languages(
    langs: list[str], records: list[DrugRecord], report: BuildReport
) -> tuple[dict[str, LoadedCatalog], list[str]]:
    """Load and check each language's catalog; return the catalogs and usable languages."""
    translated = [lang for lang in langs if lang not in (SOURCE_LANGUAGE, PSEUDO_LOCALE)]
    catalogs, problems = load_catalogs(translated)
    report.problems.extend(problems)
    usable = [lang for lang in langs if lang in catalogs or lang not in translated]
    if not catalogs or not records:
        return catalogs, usable
    messages = extract_messages([(r, r.drug.id, LineMap()) for r in records])
    for lang, catalog in catalogs.items():
        checked = check_catalog(catalog, messages, records)
        for warning in checked.warnings:
            log.warning("%s", warning)
        lang_problems = checked.errors + coverage_problems(catalog)
        if lang_problems:
            report.problems.extend(lang_problems)
            usable.remove(lang)
    return catalogs, usable


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
            rendered = renderer.render(html)
        except RenderError as error:
            return [
                Problem(job.shown, None, "", f"renderer: {message}") for message in error.messages
            ]
        facts = read_facts(rendered.data)
        if facts.pages > max_pages and layout is not layouts[-1]:
            continue  # does not fit in this language: try the next, more compact layout
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
        return Produced(data=rendered.data, pages=facts.pages)
    raise AssertionError("unreachable: the last layout always returns")


def _build_documents(
    record: DrugRecord,
    lang: str,
    catalog: LoadedCatalog | None,
    options: BuildOptions,
    renderer: Renderer,
    writer: OutputWriter,
) -> Iterator[BuiltDocument | Problem]:
    drug = record.drug.id
    review = review_of(catalog) if catalog else None
    for audience in options.audiences:
        for paper in options.papers:
            name = output_name(drug, audience, lang, paper, draft=options.draft)
            shown = display_path(options.out_dir / name)
            job = DocumentJob(record, audience, lang, paper, catalog, shown, draft=options.draft)
            outcome = produce(job, renderer)
            if isinstance(outcome, list):
                yield from outcome
                continue
            writer.write_bytes(name, outcome.data)
            log.info(
                "wrote %s (%d page%s)", shown, outcome.pages, "" if outcome.pages == 1 else "s"
            )
            yield BuiltDocument(
                drug=drug,
                audience=audience,
                lang=lang,
                paper=paper,
                path=name,
                pages=outcome.pages,
                sha256=hashlib.sha256(outcome.data).hexdigest(),
                revision=record.regulatory.revision,
                review=review["status"] if review else "source",
                draft=options.draft,
            )


def build_taper_handout(
    record: DrugRecord,
    schedule: Schedule,
    *,
    lang: str,
    paper: Paper,
    out_file: Path,
    personal: dict[str, str],
) -> list[Problem]:
    """Write one personalised taper handout to ``out_file``; return the problems if not.

    Nothing about the patient is logged or written anywhere but into the PDF.
    """
    report = BuildReport()
    known = _known_languages([lang], report)
    catalogs, usable = _prepare_languages(known, [record], report)
    if lang not in usable:
        return report.problems
    shown = display_path(out_file)
    job = DocumentJob(
        record,
        "taper",
        lang,
        paper,
        catalogs.get(lang),
        shown,
        schedule=schedule,
        personal=personal,
    )
    outcome = produce(job, Renderer())
    if isinstance(outcome, list):
        return outcome
    OutputWriter(out_file.parent).write_bytes(out_file.name, outcome.data)
    _log_written(shown, outcome.pages)
    return []


def _log_written(shown: str, pages: int) -> None:
    log.info("wrote %s (%d page%s)", shown, pages, "" if pages == 1 else "s")


def _write_manifest(writer: OutputWriter, out_dir: Path, built: list[BuiltDocument]) -> None:
    """Write the manifest: this run's documents plus earlier ones still on disk unchanged."""
    entries = {doc.path: doc.manifest_entry() for doc in built}
    previous = load_manifest(out_dir / MANIFEST_NAME) or {}
    for entry in previous.get("documents", []):
        if not isinstance(entry, dict) or entry.get("path") in entries:
            continue
        path = entry.get("path")
        if isinstance(path, str) and _still_matches(writer, path, entry.get("sha256")):
            entries[path] = entry
    if not entries and not built:
        return
    manifest = {
        "generator": {"name": "leaflet", "version": __version__},
        "documents": [entries[key] for key in sorted(entries)],
    }
    writer.write_json(MANIFEST_NAME, manifest)


def _still_matches(writer: OutputWriter, relative: str, sha256: Any) -> bool:
    try:
        path = writer.target(relative)
    except ValueError:  # an entry pointing outside the folder is dropped
        return False
    return bool(file_digest(path) == sha256)
