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
from .context import DOCUMENTS, Paper, build_context
from .errors import InputError, Problem
from .loader import display_path, file_digest, load_manifest, load_record
from .model import Audience, DrugRecord
from .pdf import Renderer, RenderError
from .preflight import RequiredText, check_pdf, read_facts
from .templating import make_environment, render_html
from .validate import validate_record
from .writer import OutputWriter

__all__ = [
    "MANIFEST_NAME",
    "BuildOptions",
    "BuildReport",
    "BuiltDocument",
    "available_languages",
    "build",
    "check_records",
    "output_name",
    "required_texts",
]

log = logging.getLogger("leaflet")

MANIFEST_NAME = "manifest.json"
SOURCE_LANGUAGE = "en"


def available_languages() -> list[str]:
    """Return every language a document can be built in."""
    return [SOURCE_LANGUAGE]


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    records: tuple[Path, ...]
    out_dir: Path
    langs: tuple[str, ...] = (SOURCE_LANGUAGE,)
    audiences: tuple[Audience, ...] = ("patient", "clinician", "taper")
    papers: tuple[Paper, ...] = ("a4",)


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


def output_name(drug: str, audience: Audience, lang: str, paper: Paper) -> str:
    """Return a document's path inside the output folder."""
    suffix = "-letter" if paper == "letter" else ""
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


def build(options: BuildOptions) -> BuildReport:
    """Build every requested document; write those that pass, then the manifest."""
    report = BuildReport()
    known = available_languages()
    for lang in options.langs:
        if lang not in known:
            report.problems.append(
                Problem(
                    "--lang",
                    None,
                    "",
                    f"unknown language {lang!r} (expected one of: {', '.join(known)}, or all)",
                )
            )
    langs = [lang for lang in options.langs if lang in known]
    records, record_problems = check_records(options.records)
    report.problems.extend(record_problems)
    writer = OutputWriter(options.out_dir)
    if records and langs:
        renderer = Renderer()
        for record in records:
            for lang in langs:
                env = make_environment()
                for built_or_problem in _build_documents(
                    record, lang, options, env, renderer, writer
                ):
                    if isinstance(built_or_problem, BuiltDocument):
                        report.documents.append(built_or_problem)
                    else:
                        report.problems.append(built_or_problem)
    _write_manifest(writer, options.out_dir, report.documents)
    return report


def _build_documents(
    record: DrugRecord,
    lang: str,
    options: BuildOptions,
    env: Any,
    renderer: Renderer,
    writer: OutputWriter,
) -> Iterator[BuiltDocument | Problem]:
    drug = record.drug.id
    for audience in options.audiences:
        spec = DOCUMENTS[audience]
        for paper in options.papers:
            name = output_name(drug, audience, lang, paper)
            shown = display_path(options.out_dir / name)
            context = build_context(record, audience, lang, paper)
            html = render_html(env, spec.template, context)
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
            )
            if failures:
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
