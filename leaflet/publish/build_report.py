"""What a build produces and reports: output names, published documents, events.

Kept apart from :mod:`leaflet.publish.build` (which re-exports all of it) so that the
orchestration module holds only the order of the stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..record.errors import Problem
from ..record.model import Audience
from ..render.context import Paper
from ..render.presentation import Presentation
from ..translation.completeness import PairGaps

__all__ = [
    "BuildEvent",
    "BuildReport",
    "BuiltDocument",
    "booklet_name",
    "output_name",
]


@dataclass(frozen=True)
class BuildEvent:
    """Something a progress display may show: a plan, a document started, written …"""

    kind: Literal["planned", "started", "written", "unchanged", "failed"]
    name: str = ""
    total: int = 0
    pages: int = 0


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
    fingerprint: str = ""
    edition: str = "standard"
    format: str = "pdf"

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
            "edition": self.edition,
            "format": self.format,
            "fingerprint": self.fingerprint,
        }


@dataclass
class BuildReport:
    """What a build did: documents written, documents left as they were, every problem."""

    documents: list[BuiltDocument] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    booklets: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Peak resident memory of each process that rendered, in KiB, by process id.
    peak_kib: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    #: Drug and language pairs not built because their translation is incomplete.
    untranslated: list[PairGaps] = field(default_factory=list)
    #: Documents a record says do not apply to its drug: (drug, audience).
    not_applicable: list[tuple[str, str]] = field(default_factory=list)
    #: Requested documents not planned, by why: "untranslated" (their pair is
    #: incomplete) or "not applicable" (their record says so); one per file.
    skipped: dict[str, int] = field(default_factory=dict)
    #: Incomplete translations count as failures (a language named, or --strict).
    strict: bool = False

    @property
    def ok(self) -> bool:
        """True when every requested document was built, up to date, or rightly skipped."""
        return not self.problems and not (self.strict and self.untranslated)

    def untranslated_lines(self) -> list[str]:
        """One line per incomplete pair, with its count and how to see the entries."""
        return [
            f"{gaps.lang}: {gaps.drug}: {_documents(gaps.audiences)} not built: {gaps.count} "
            f"entr{'y' if gaps.count == 1 else 'ies'} not translated (to list them: leaflet "
            f"build --lang {gaps.lang} --drug {gaps.drug}; progress: leaflet i18n status "
            f"--drug {gaps.drug})"
            for gaps in self.untranslated
        ]


def _documents(audiences: tuple[str, ...]) -> str:
    """Name the documents held back: "patient document", "patient, taper documents"."""
    return ", ".join(audiences) + (" documents" if len(audiences) > 1 else " document")


def output_name(
    drug: str,
    audience: Audience,
    lang: str,
    paper: Paper,
    presentation: Presentation | None = None,
) -> str:
    """Return a document's path inside the output folder (drafts never replace finals).

    ``en/baclofen-patient.pdf``; ``…-large`` for large print, ``…-letter`` for US
    Letter, ``…-draft`` for a draft, ``.html`` for the HTML edition.
    """
    shown = presentation or Presentation()
    paper_part = "-letter" if paper == "letter" and not shown.html else ""
    large = "-large" if shown.large_print else ""
    draft = "-draft" if shown.draft else ""
    extension = "html" if shown.html else "pdf"
    return f"{lang}/{drug}-{audience}{large}{paper_part}{draft}.{extension}"


def booklet_name(lang: str, paper: Paper) -> str:
    """Return a language's booklet path inside the output folder."""
    return f"{lang}/booklet{'-letter' if paper == 'letter' else ''}.pdf"
