"""Build many documents: plan them, skip the unchanged, render the rest, write, record.

This is the only module that knows the order of the stages for a batch:
records are loaded and validated, catalogs checked, every requested document
planned; a document whose fingerprint (:mod:`leaflet.publish.fingerprint`) matches the
manifest and whose file is intact is not rendered again; the rest go through
:func:`leaflet.publish.document.produce`, in worker processes (:mod:`leaflet.publish.workers`);
each PDF is written atomically; per-language booklets follow; the manifest is
written last, atomically, and lists only files that passed.

One broken record, language or document is reported and the others still ship.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..record.errors import Problem
from ..record.model import Audience, DrugRecord
from ..record.reading import LineMap, display_path
from ..render.context import DOCUMENTS, Paper
from ..render.pdf import Renderer
from ..render.presentation import Branding, Presentation, online_link
from ..taper.calendar import Schedule
from ..translation.catalog_loader import LoadedCatalog
from ..translation.catalogs import extract_messages, locale_codes
from ..translation.completeness import PairGaps, pair_gaps
from ..translation.languages import PSEUDO_LOCALE, SOURCE_LANGUAGE
from ..translation.signoff import review_of
from .booklet_stage import BookletStage
from .build_report import BuildEvent, BuildReport, BuiltDocument, output_name
from .checks import known_languages, load_valid_records, usable_languages
from .document import DocumentJob, Produced, printed_contexts, produce
from .fingerprint import Fingerprinter, digest_of
from .manifest import MANIFEST_NAME, Manifest
from .output_nesting import nesting_problem
from .processes import stop_on_signals
from .workers import DocumentSpec, render_all
from .writer import OutputWriter, WriteError

__all__ = [
    "MANIFEST_NAME",
    "BuildEvent",
    "BuildOptions",
    "BuildReport",
    "BuiltDocument",
    "available_languages",
    "build",
    "build_taper_handout",
    "output_name",
]

log = logging.getLogger("leaflet")


def available_languages() -> list[str]:
    """Return every language with a catalog, and English (the pseudo-locale is extra)."""
    return [SOURCE_LANGUAGE, *locale_codes()]


@dataclass(frozen=True)
class BuildOptions:
    """What to build, where, and how."""

    records: tuple[Path, ...]
    out_dir: Path
    langs: tuple[str, ...] = (SOURCE_LANGUAGE,)
    audiences: tuple[Audience, ...] = ("patient", "clinician", "taper")
    papers: tuple[Paper, ...] = ("a4",)
    draft: bool = False
    #: Worker processes rendering at once (1: render in this process).
    jobs: int = 1
    #: Render every document even when nothing it depends on changed.
    force: bool = False
    #: Also bind each language's documents into one booklet PDF per paper.
    booklet: bool = False
    #: Also build the large-print edition (…-large.pdf).
    large_print: bool = False
    #: "pdf", "html" or both.
    formats: tuple[str, ...] = ("pdf",)
    #: The pharmacy or clinic printed on every document (from --settings).
    branding: Branding | None = None
    #: Address template of the online version, for a QR code (--online-url).
    online_url: str | None = None
    #: An incomplete translation fails the build (the language was named, or --strict);
    #: otherwise the pair is reported and skipped.
    strict: bool = False

    def presentations(self) -> list[Presentation]:
        """Every edition and format to build, standard PDF first."""
        editions = (False, True) if self.large_print else (False,)
        return [
            Presentation(
                draft=self.draft,
                large_print=large,
                html=fmt == "html",
                branding=self.branding,
                online=online_link(self.online_url),
            )
            for large in editions
            for fmt in self.formats
        ]


@dataclass
class _Planned:
    spec: DocumentSpec
    record: DrugRecord


def build(
    options: BuildOptions, on_event: Callable[[BuildEvent], None] | None = None
) -> BuildReport:
    """Build every requested document that changed; write them, booklets, then the manifest.

    A record or a language that is broken is reported and skipped; a document
    that needs a missing or fuzzy translation, or fails preflight, is not
    written. Everything else still builds.
    """
    return _Build(options, on_event or (lambda event: None)).run()


class _Build(BookletStage):
    """One run of :func:`build`: its inputs, what it planned and what it wrote."""

    def __init__(self, options: BuildOptions, emit: Callable[[BuildEvent], None]) -> None:
        self.options = options
        self.emit = emit
        self.report = BuildReport()
        self.writer = OutputWriter(options.out_dir)
        self.manifest = Manifest(self.writer)
        self.loaded: list[tuple[Path, DrugRecord]] = []
        self.catalogs: dict[str, LoadedCatalog] = {}
        self.langs: list[str] = []
        self.produced: dict[str, bytes] = {}
        self.fingerprints = Fingerprinter({})
        self.gaps: dict[tuple[str, str], PairGaps] = {}

    def run(self) -> BuildReport:
        """Plan, render what changed, bind booklets, write the manifest."""
        started = time.perf_counter()
        langs = known_languages(self.options.langs, self.report)
        self.loaded = load_valid_records(self.options.records, self.report)
        self.catalogs, self.langs = usable_languages(
            langs, [record for _, record in self.loaded], self.report
        )
        self.report.strict = self.options.strict
        self.gaps = self._incomplete_pairs()
        self.fingerprints = Fingerprinter({r.drug.id: digest_of(p) for p, r in self.loaded})
        if self.loaded and self.langs:
            # Every language folder leaflet may write, not only this run's: a killed
            # build's leftovers are swept from all of them, and nothing else is.
            layout = {*available_languages(), PSEUDO_LOCALE, *self.langs}
            try:
                nested = nesting_problem(self.options.out_dir, layout)
                if nested is not None:
                    raise WriteError([nested])
                # A signal unwinds the build inside the lock: workers stopped, lock released.
                with stop_on_signals(self._stopped), self.writer.lock(layout):
                    self.manifest = Manifest.read(self.writer)
                    self._write_all()
            except WriteError as error:
                self.report.problems.extend(error.problems)
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _stopped(self, signal_name: str) -> None:
        log.warning(
            "%s: build stopped by %s before it finished (every document it wrote is whole and "
            "listed in its manifest; run the build again to finish)",
            self.writer.out_dir,
            signal_name,
        )

    def _write_all(self) -> None:
        plan = self._plan()
        self.emit(BuildEvent("planned", total=len(plan)))
        self._render(plan)
        if self.options.booklet and not self.options.draft:
            self._booklets()
        self.manifest.save()

    def _incomplete_pairs(self) -> dict[tuple[str, str], PairGaps]:
        """The drug and language pairs whose catalog lacks entries; reported once each.

        A pair holds back only the requested documents that print a missing
        entry: a patient-only warning left untranslated still lets the clinician
        card be built.
        """
        if self.options.draft or not self.loaded:
            return {}
        records = [record for _, record in self.loaded]
        messages = extract_messages([(r, r.drug.id, LineMap()) for r in records])
        found = {}
        printed: dict[tuple[str, str], frozenset[str]] = {}
        # leaflet's own entries are needed by every drug: each is listed once, not per drug.
        listed: set[Problem] = set()
        for lang in self.langs:
            catalog = self.catalogs.get(lang)
            if catalog is None:
                continue
            for record in records:
                gaps = pair_gaps(catalog, record.drug.id, messages)
                if not gaps.count:
                    continue
                wanted = [a for a in self.options.audiences if a in record.documents]
                for audience in wanted:
                    if (record.drug.id, audience) not in printed:
                        printed[(record.drug.id, audience)] = printed_contexts(record, audience)
                gaps = gaps.reaching({a: printed[(record.drug.id, a)] for a in wanted})
                if gaps.count:
                    found[(lang, record.drug.id)] = gaps
                    self.report.untranslated.append(gaps)
                    if self.options.strict:
                        new = [p for p in gaps.problems if p not in listed]
                        listed.update(new)
                        self.report.problems.extend(new)
        return found

    def _plan(self) -> list[_Planned]:
        """Every requested document that must be rendered; report the unchanged ones."""
        plan = []
        options = self.options
        for _, record in self.loaded:
            for audience in options.audiences:
                if audience not in record.documents:
                    self.report.not_applicable.append((record.drug.id, audience))
        variants = self._variants()
        skipped = self.report.skipped
        for lang in self.langs:
            for path, record in self.loaded:
                for audience in options.audiences:
                    if audience not in record.documents:
                        skipped["not applicable"] = skipped.get("not applicable", 0) + len(variants)
                        continue
                    held = self.gaps.get((lang, record.drug.id))
                    if held is not None and audience in held.audiences:
                        skipped["untranslated"] = skipped.get("untranslated", 0) + len(variants)
                        continue
                    for paper, shown in variants:
                        name = output_name(record.drug.id, audience, lang, paper, shown)
                        spec = DocumentSpec(
                            path, record.drug.id, audience, lang, paper, shown, name,
                            display_path(options.out_dir / name),
                        )  # fmt: skip
                        if self._unchanged(spec):
                            self.report.unchanged.append(name)
                            self.emit(BuildEvent("unchanged", spec.shown))
                        else:
                            plan.append(_Planned(spec, record))
        return plan

    def _variants(self) -> list[tuple[Paper, Presentation]]:
        """Every paper × presentation; HTML has no paper, so it is made once (A4's)."""
        variants: list[tuple[Paper, Presentation]] = []
        for shown in self.options.presentations():
            papers = self.options.papers[:1] if shown.html else self.options.papers
            variants += [(paper, shown) for paper in papers]
        return variants

    def _unchanged(self, spec: DocumentSpec) -> bool:
        if self.options.force or self.options.draft:
            return False
        used = self.manifest.uses.get(f"{spec.drug}/{spec.audience}")
        entry = self.manifest.documents.get(spec.name)
        return (
            used is not None
            and entry is not None
            and entry.get("fingerprint") == self._fingerprint(spec, used)
            and self.manifest.intact(spec.name)
        )

    def _fingerprint(self, spec: DocumentSpec, used: Iterable[str]) -> str:
        return self.fingerprints.fingerprint(
            drug=spec.drug,
            template=DOCUMENTS[spec.audience].template,
            audience=spec.audience,
            lang=spec.lang,
            paper=spec.paper,
            presentation=spec.presentation.digest(),
            catalog=self.catalogs.get(spec.lang),
            used=used,
        )

    def _render(self, plan: list[_Planned]) -> None:
        """Render the plan, writing each document as it is ready; collect the problems."""
        order = {item.spec.name: index for index, item in enumerate(plan)}
        records = {item.spec.record_path: item.record for item in plan}
        failures: dict[str, list[Problem]] = {}
        catalogs = {lang: self.catalogs.get(lang) for lang in self.langs}
        # Longest first (patient leaflets, then cards, then handouts), so that no
        # worker is left with a long document while the others are idle.
        queue = sorted((item.spec for item in plan), key=lambda s: _RENDER_COST[s.audience])
        outcomes = render_all(
            queue,
            self.options.jobs,
            {"records": records, "catalogs": catalogs},
            on_start=lambda spec: self.emit(BuildEvent("started", spec.shown)),
        )
        # Closed on the way out, so that a failed write stops the workers at once.
        with contextlib.closing(outcomes):
            for outcome in outcomes:
                peak = self.report.peak_kib.get(outcome.pid, 0)
                self.report.peak_kib[outcome.pid] = max(peak, outcome.peak_kib)
                spec = outcome.spec
                if isinstance(outcome.result, list):
                    failures[spec.name] = outcome.result
                    self.emit(BuildEvent("failed", spec.shown))
                    continue
                self._publish(spec, records[spec.record_path], outcome.result)
        for name in sorted(failures, key=order.__getitem__):
            self.report.problems.extend(failures[name])
        self.report.documents.sort(key=lambda doc: order[doc.path])

    def _publish(self, spec: DocumentSpec, record: DrugRecord, result: Produced) -> None:
        used = sorted(result.used)
        self.produced[spec.name] = result.data
        catalog = self.catalogs.get(spec.lang)
        review = review_of(catalog, spec.drug) if catalog else None
        document = BuiltDocument(
            drug=spec.drug,
            audience=spec.audience,
            lang=spec.lang,
            paper=spec.paper,
            path=spec.name,
            pages=result.pages,
            sha256=hashlib.sha256(result.data).hexdigest(),
            revision=record.regulatory.revision,
            review=review["status"] if review else "source",
            draft=spec.presentation.draft,
            fingerprint=self._fingerprint(spec, used),
            edition="large-print" if spec.presentation.large_print else "standard",
            format="html" if spec.presentation.html else "pdf",
        )
        if spec.presentation.draft:  # drafts are never listed as published
            self.writer.write_bytes(spec.name, result.data)
        else:
            self.manifest.replace(
                spec.name,
                document.manifest_entry(),
                lambda: self.writer.write_bytes(spec.name, result.data),
                uses=(f"{spec.drug}/{spec.audience}", used),
            )
        self.report.documents.append(document)
        self.emit(BuildEvent("written", spec.shown, pages=result.pages))


#: Relative rendering time, longest first: the order documents are handed out.
_RENDER_COST = {"patient": 0, "clinician": 1, "taper": 2}


def build_taper_handout(
    record: DrugRecord,
    schedule: Schedule,
    *,
    lang: str,
    paper: Paper,
    out_file: Path,
    personal: dict[str, str],
    presentation: Presentation | None = None,
) -> list[Problem]:
    """Write one personalised taper handout to ``out_file``; return the problems if not.

    Nothing about the patient is logged or written anywhere but into the PDF.
    """
    report = BuildReport()
    known = known_languages([lang], report)
    catalogs, usable = usable_languages(known, [record], report)
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
        presentation=presentation or Presentation(),
        schedule=schedule,
        personal=personal,
    )
    outcome = produce(job, Renderer())
    if isinstance(outcome, list):
        return outcome
    try:
        OutputWriter(out_file.parent).write_bytes(out_file.name, outcome.data)
    except WriteError as error:
        return error.problems
    log.info("wrote %s (%d page%s)", shown, outcome.pages, "" if outcome.pages == 1 else "s")
    return []
