"""What the web app and the API can ask for, with no HTTP in it.

:class:`LeafletService` lists the project's drugs, languages and products,
hands out a document from the verified build (building it first when it is
missing or stale, with the same fingerprints and preflight as ``leaflet build``),
and plans and renders a personalised taper handout through
:func:`leaflet.taper.taper_plan.plan_taper`, exactly as ``leaflet taper`` does.
A document is found only through the build's manifest: nothing a request says
becomes a path.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..project import Project
from ..publish.build import BuildOptions, build
from ..publish.checks import check_records, language_codes
from ..record.errors import InputError, Problem
from ..record.model import AUDIENCES, Audience, DrugRecord
from ..render.context import Paper
from ..render.presentation import Presentation
from ..taper.calendar import Schedule, schedule_json
from ..taper.taper_choice import written_strength
from ..taper.taper_plan import TaperFields, no_taper_problem, plan_taper
from ..taper.taper_supply import CLI_FORMS, oral_products
from ..translation.languages import direction, own_name
from .pool import RenderPool
from .rendering import render_taper

__all__ = ["DocumentRequest", "LeafletService", "NotFound", "Unprintable"]

PAPERS: tuple[Paper, ...] = ("a4", "letter")


class NotFound(Exception):
    """No such drug, language, document or product in this project."""


class Unprintable(Exception):
    """The document cannot be printed now (an incomplete translation, a failed check)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class DocumentRequest:
    """One standard document: drug, language, audience, paper and edition."""

    drug: str
    lang: str
    audience: Audience
    paper: Paper = "a4"
    large_print: bool = False


class _Records:
    """The project's records, loaded again when a file in data/ changes."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._lock = threading.Lock()
        self._seen: tuple[tuple[str, int, int], ...] | None = None
        self._records: dict[str, tuple[Path, DrugRecord]] = {}

    def current(self) -> dict[str, tuple[Path, DrugRecord]]:
        paths = sorted(self.project.data_dir.glob("*.yaml"))
        seen = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths)
        with self._lock:
            if seen != self._seen:
                records: dict[str, tuple[Path, DrugRecord]] = {}
                for path in paths:
                    # One file at a time: a broken record is left out, the rest still serve.
                    valid, _problems = check_records([path])
                    if valid:
                        records[valid[0].drug.id] = (path, valid[0])
                self._records, self._seen = records, seen
            return self._records


class LeafletService:
    """The project's documents and taper handouts, for the web app and the API."""

    def __init__(
        self,
        project: Project,
        pool: RenderPool,
        presentation: Presentation | None = None,
        online_url: str | None = None,
    ) -> None:
        self.project = project
        self.pool = pool
        self.presentation = presentation or Presentation()
        self.online_url = online_url
        self._records = _Records(project)
        self._build_lock = threading.Lock()

    # --- what there is ---------------------------------------------------------------------

    def record(self, drug: str) -> DrugRecord:
        """The drug's validated record; NotFound when the project has none by that id."""
        found = self._records.current().get(drug)
        if found is None:
            raise NotFound(f"unknown drug {drug!r} (expected one of: {', '.join(self.drug_ids())})")
        return found[1]

    def drug_ids(self) -> list[str]:
        """Every drug the project can print, in id order."""
        return sorted(self._records.current())

    def drugs(self) -> list[dict[str, Any]]:
        """Each drug with its name and the documents its record applies to."""
        return [
            {
                "id": record.drug.id,
                "name": record.drug.name,
                "documents": list(record.documents),
                "taper": no_taper_problem(record) is None,
            }
            for _, record in (self._records.current()[d] for d in self.drug_ids())
        ]

    def languages(self) -> list[dict[str, str]]:
        """Every language leaflet can print, each named in its own language."""
        return [
            {"code": code, "name": own_name(code), "dir": direction(code)}
            for code in language_codes()
        ]

    def products(self, drug: str) -> list[dict[str, Any]]:
        """The drug's oral products a taper can use, with strengths and concentrations."""
        record = self.record(drug)
        forms = {form: cli for cli, forms in CLI_FORMS.items() for form in forms}
        out = []
        # The products leaflet taper accepts: oral, taken by the patient.
        for product in oral_products(record):
            if product.form not in forms:
                continue
            out.append(
                {
                    "id": product.id,
                    "form": forms[product.form],
                    "brands": list(product.brands),
                    "strengths": [written_strength(s) for s in product.strengths],
                }
            )
        return out

    # --- standard documents ----------------------------------------------------------------

    def check_document(self, wanted: DocumentRequest) -> None:
        """Raise NotFound for a drug, language, audience or paper the project does not have."""
        record = self.record(wanted.drug)
        if wanted.lang not in language_codes():
            raise NotFound(
                f"unknown language {wanted.lang!r} (expected one of: {', '.join(language_codes())})"
            )
        if wanted.audience not in AUDIENCES or wanted.audience not in record.documents:
            raise NotFound(
                f"{record.drug.name} has no {wanted.audience} document (expected one of: "
                f"{', '.join(record.documents)})"
            )
        if wanted.paper not in PAPERS:
            raise NotFound(f"unknown paper {wanted.paper!r} (expected a4 or letter)")

    def document(self, wanted: DocumentRequest) -> tuple[bytes, str]:
        """The verified PDF and its file name, built first when missing or stale.

        Blocking: the web app calls it in a thread. One build at a time, as the
        build's folder lock requires.
        """
        self.check_document(wanted)
        path, _record = self._records.current()[wanted.drug]
        presentation = Presentation(
            large_print=wanted.large_print, branding=self.presentation.branding
        )
        with self._build_lock:
            report = build(
                BuildOptions(
                    records=(path,),
                    out_dir=self.project.out_dir,
                    langs=(wanted.lang,),
                    audiences=(wanted.audience,),
                    papers=(wanted.paper,),
                    large_print=wanted.large_print,
                    branding=self.presentation.branding,
                    online_url=self.online_url,
                    strict=True,
                )
            )
            if report.problems:
                raise Unprintable(report.problems)
            return self._from_manifest(wanted, presentation)

    def _from_manifest(
        self, wanted: DocumentRequest, presentation: Presentation
    ) -> tuple[bytes, str]:
        """Read the document the manifest lists, only if its bytes are the ones it lists."""
        out = self.project.out_dir
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        edition = "large-print" if presentation.large_print else "standard"
        for entry in manifest.get("documents", []):
            if (
                entry.get("drug"),
                entry.get("lang"),
                entry.get("audience"),
                entry.get("paper"),
                entry.get("edition"),
                entry.get("format"),
            ) == (wanted.drug, wanted.lang, wanted.audience, wanted.paper, edition, "pdf"):
                data = (out / entry["path"]).read_bytes()
                if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                    break
                return data, Path(entry["path"]).name
        raise Unprintable(
            [Problem("manifest.json", None, "", "the built document is not in the manifest")]
        )

    # --- taper handouts --------------------------------------------------------------------

    def plan(self, drug: str, fields: TaperFields) -> tuple[DrugRecord, Schedule, dict[str, str]]:
        """Check a taper request as ``leaflet taper`` does; raise InputError with every problem."""
        record = self.record(drug)
        refused = no_taper_problem(record)
        if refused is not None:
            raise InputError([refused])
        schedule, personal = plan_taper(record, fields)
        return record, schedule, personal

    @staticmethod
    def schedule_json(record: DrugRecord, schedule: Schedule) -> dict[str, Any]:
        """The schedule as ``leaflet taper --format json`` prints it."""
        return schedule_json(schedule, record.drug.id, record.regulatory.revision)

    async def taper_pdf(
        self,
        record: DrugRecord,
        schedule: Schedule,
        *,
        lang: str,
        paper: Paper,
        personal: dict[str, str],
        large_print: bool = False,
    ) -> bytes:
        """Render the personalised handout in a warm worker; raise Unprintable if it cannot."""
        if lang not in language_codes():
            raise NotFound(
                f"unknown language {lang!r} (expected one of: {', '.join(language_codes())})"
            )
        presentation = Presentation(large_print=large_print, branding=self.presentation.branding)
        rendered = await self.pool.run(
            render_taper, record, schedule, lang, paper, personal, presentation
        )
        if isinstance(rendered, list):
            raise Unprintable(rendered)
        return rendered[0]
