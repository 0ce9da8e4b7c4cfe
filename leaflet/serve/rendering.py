"""What a worker process does: render one personalised handout in memory.

Runs inside the pool's workers (:mod:`leaflet.serve.pool`). The renderer and
each language's checked catalogs are kept between requests; a catalog is
loaded and checked again when one of its files changes. Nothing about the
patient is logged or written: the PDF bytes go back to the server, which
streams them.
"""

from __future__ import annotations

import os

from ..publish.build_report import BuildReport
from ..publish.checks import known_languages, usable_languages
from ..publish.document import DocumentJob, produce
from ..record.errors import Problem
from ..record.model import DrugRecord
from ..render.context import Paper
from ..render.pdf import Renderer
from ..render.presentation import Presentation
from ..taper.calendar import Schedule
from ..translation.catalog_loader import LoadedCatalog
from ..translation.domains import CatalogFolders, po_relative_path
from ..translation.languages import SOURCE_LANGUAGE

__all__ = ["Rendered", "render_taper", "warm"]

_renderer: Renderer | None = None
#: lang -> (the files' sizes and times when loaded, the checked catalog or its problems)
_catalogs: dict[str, tuple[tuple[tuple[str, int, int], ...], LoadedCatalog | list[Problem]]] = {}

#: The PDF and its page count, or the problems that stopped it.
Rendered = tuple[bytes, int] | list[Problem]


def _renderer_in_use() -> Renderer:
    global _renderer
    if _renderer is None:
        _renderer = Renderer()
    return _renderer


#: A page in every script leaflet prints, so that each font is loaded before a patient waits.
_WARM_UP = (
    "<!doctype html><html lang='en'><body><p>Aa Ää Яя Ǎ ạ 中文 العربية 0123456789</p></body></html>"
)


def warm() -> None:
    """Load WeasyPrint's fonts and leaflet's stylesheets before the first patient."""
    _renderer_in_use().render(_WARM_UP)


def _signature(lang: str) -> tuple[tuple[str, int, int], ...]:
    folders = CatalogFolders.current()
    out = []
    for base in (folders.own, folders.records):
        for path in sorted((base / po_relative_path(lang, "x")).parent.glob("*")):
            stat = path.stat()
            out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


def _catalog(lang: str, record: DrugRecord) -> LoadedCatalog | list[Problem] | None:
    """``lang``'s checked catalog, None for English, or why it cannot print."""
    if lang == SOURCE_LANGUAGE:
        return None
    signature = _signature(lang)
    cached = _catalogs.get(lang)
    if cached is not None and cached[0] == signature:
        return cached[1]
    report = BuildReport()
    known = known_languages([lang], report)
    catalogs, usable = usable_languages(known, [record], report)
    found: LoadedCatalog | list[Problem] = (
        catalogs[lang] if lang in usable else (report.problems or [_unusable(lang)])
    )
    _catalogs[lang] = (signature, found)
    return found


def _unusable(lang: str) -> Problem:
    return Problem.with_option("--lang", f"{lang} cannot be printed (its catalogs are unusable)")


def render_taper(
    record: DrugRecord,
    schedule: Schedule,
    lang: str,
    paper: Paper,
    personal: dict[str, str],
    presentation: Presentation,
) -> Rendered:
    """Render one personalised taper handout, checked by preflight, in memory."""
    catalog = _catalog(lang, record)
    if isinstance(catalog, list):
        return catalog
    job = DocumentJob(
        record,
        "taper",
        lang,
        paper,
        catalog,
        f"{record.drug.id}-taper.pdf",
        presentation=presentation,
        schedule=schedule,
        personal=personal,
    )
    outcome = produce(job, _renderer_in_use())
    if isinstance(outcome, list):
        return outcome
    return outcome.data, outcome.pages


def worker_pid() -> int:
    """This worker's process id."""
    return os.getpid()
