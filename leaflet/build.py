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
from pathlib import Path
from typing import Any

from . import __version__
from .catalogs import (
    Message,
    catalog_status,
    extract_messages,
    load_catalogs,
    locale_codes,
    required_contexts,
    review_of,
)
from .context import DOCUMENTS, Paper, build_context
from .errors import InputError, Problem
from .fonts import coverage_problems
from .languages import PSEUDO_LOCALE, SOURCE_LANGUAGE
from .loader import LineMap, LoadedCatalog, display_path, file_digest, load_manifest, load_record
from .model import Audience, DrugRecord
from .pdf import Renderer, RenderError
from .preflight import RequiredText, check_pdf, read_facts
from .templating import make_environment, render_html
from .translation import Translator, check_catalog
from .validate import validate_record
from .writer import OutputWriter

__all__ = [
    "MANIFEST_NAME",
    "BuildOptions",
    "BuildReport",
    "BuiltDocument",
    "available_languages",
    "build",
    "catalog_statuses",
    "check_everything",
    "check_records",
    "collect_messages",
    "output_name",
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
    record: DrugRecord, view: dict[str, Any], audience: Audience
) -> list[RequiredText]:
    """Return the texts that ``audience``'s document must contain, as printed."""
    texts = []
    for warning, shown in zip(record.warnings, view["warnings"], strict=True):
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


def check_records(paths: Iterable[Path]) -> tuple[list[DrugRecord], list[Problem]]:
    """Load and validate every record; return the valid ones and all problems."""
    records: list[DrugRecord] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            records.append(validate_record(load_record(path)))
        except InputError as error:
            problems.extend(error.problems)
    return records, problems


def collect_messages(paths: Iterable[Path]) -> tuple[list[Message], list[Problem]]:
    """Load the records and extract every translatable message, with record lines."""
    loaded: list[tuple[DrugRecord, str, Any]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            source = load_record(path)
            loaded.append((validate_record(source), source.name, source.lines))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        return [], problems
    try:
        return extract_messages(loaded), []
    except InputError as error:
        return [], error.problems


def catalog_statuses(paths: Iterable[Path]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Return each locale's translation status, and problems loading anything."""
    paths = list(paths)
    records, problems = check_records(paths)
    messages, extract_problems = collect_messages(paths) if records else ([], [])
    problems += extract_problems
    catalogs, load_problems = load_catalogs(locale_codes())
    problems += load_problems
    required = required_contexts(records)
    rows = [catalog_status(c, messages, required) for c in catalogs.values()]
    return rows, problems


def check_everything(paths: Iterable[Path]) -> tuple[list[DrugRecord], int, list[Problem]]:
    """Validate records and all catalogs; return valid records, catalog count, problems."""
    records, problems = check_records(paths)
    catalogs, load_problems = load_catalogs(locale_codes())
    problems += load_problems
    if records:
        messages = extract_messages([(r, r.drug.id, LineMap()) for r in records])
        for catalog in catalogs.values():
            checked = check_catalog(catalog, messages, records)
            for warning in checked.warnings:
                log.warning("warning: %s", warning)
            problems += checked.errors + coverage_problems(catalog)
    return records, len(catalogs), problems


def build(options: BuildOptions) -> BuildReport:
    """Build every requested document; write those that pass, then the manifest.

    A language whose catalog is broken (syntax, placeholders, numbers, glyphs)
    is skipped with its problems listed; a document that needs a missing or
    fuzzy translation is not written. Everything else still builds.
    """
    report = BuildReport()
    known = available_languages()
    for lang in options.langs:
        if lang not in known and lang != PSEUDO_LOCALE:
            report.problems.append(
                Problem(
                    "--lang",
                    None,
                    "",
                    f"unknown language {lang!r} (expected one of: {', '.join(known)}, or all)",
                )
            )
    langs = [lang for lang in options.langs if lang in known or lang == PSEUDO_LOCALE]
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
        spec = DOCUMENTS[audience]
        for paper in options.papers:
            name = output_name(drug, audience, lang, paper, draft=options.draft)
            shown = display_path(options.out_dir / name)
            translator = Translator(lang, catalog, draft=options.draft)
            env = make_environment(translator.jinja_translations())
            context = build_context(
                record,
                audience,
                lang,
                paper,
                translate=translator,
                ui=translator,
                review=review,
                draft=options.draft,
            )
            html = render_html(env, spec.template, context)
            if translator.gaps and not options.draft:
                yield from translator.problems()
                yield Problem(
                    shown, None, "", f"not built: {len(translator.gaps)} translation(s) missing"
                )
                continue
            try:
                rendered = renderer.render(html)
            except RenderError as error:
                for message in error.messages:
                    yield Problem(shown, None, "", f"renderer: {message}")
                continue
            facts = read_facts(rendered.data)
            failures = check_pdf(
                facts,
                required_texts(record, context["record"], audience),
                lang=context["doc"]["lang"],
                min_pages=spec.min_pages,
                max_pages=spec.max_pages,
                rtl=context["doc"]["dir"] == "rtl",
            )
            if failures and options.draft:
                # A draft is a watermarked proof for translators: show it anyway.
                for message in failures:
                    log.warning("%s: preflight (draft, written anyway): %s", shown, message)
            elif failures:
                for message in failures:
                    yield Problem(shown, None, "", f"preflight: {message}; not written")
                continue
            writer.write_bytes(name, rendered.data)
            log.info("wrote %s (%d page%s)", shown, facts.pages, "" if facts.pages == 1 else "s")
            yield BuiltDocument(
                drug=drug,
                audience=audience,
                lang=lang,
                paper=paper,
                path=name,
                pages=facts.pages,
                sha256=hashlib.sha256(rendered.data).hexdigest(),
                revision=record.regulatory.revision,
                review=review["status"] if review else "source",
                draft=options.draft,
            )


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
