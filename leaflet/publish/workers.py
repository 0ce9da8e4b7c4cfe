"""Render many documents at once: worker processes that each keep one renderer.

Each worker process imports WeasyPrint once, creates one :class:`Renderer` (the
font configuration and the parsed stylesheet are reused for every document it
renders) and caches the records and catalogs it has loaded. Documents are handed
out one at a time, so a slow Chinese card does not hold up a queue. Workers only
render: they return the PDF bytes, and the build alone writes files.

Workers never outlive the build: each dies with the build's process however
that ends (:func:`leaflet.publish.processes.die_with_parent`), never holds the output
folder's lock (:mod:`leaflet.publish.folder_lock`), and is killed at once when the
build unwinds early (a signal, a failed write). A worker killed from outside
(the out-of-memory killer) fails the documents it had, with one problem each,
and the build goes on with the rest.

With one job, documents are rendered in this process, one after another.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from collections.abc import Callable, Generator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..project import Project, current_project, use_project
from ..record.errors import Problem
from ..record.model import Audience, DrugRecord
from ..render.context import Paper
from ..render.pdf import Renderer
from ..render.presentation import Presentation
from ..translation.catalog_loader import LoadedCatalog
from ..translation.domains import CatalogFolders
from ..translation.languages import PSEUDO_LOCALE, SOURCE_LANGUAGE
from .checks import check_records
from .document import DocumentJob, Produced, produce
from .processes import die_with_parent, stop_workers

__all__ = ["DocumentSpec", "Outcome", "default_jobs", "render_all"]


@dataclass(frozen=True)
class DocumentSpec:
    """One document to render, as plain data a worker process can receive."""

    record_path: Path
    drug: str
    audience: Audience
    lang: str
    paper: Paper
    presentation: Presentation
    name: str
    shown: str


@dataclass(frozen=True)
class Outcome:
    """What rendering one document gave, and the worker's peak memory so far (KiB)."""

    spec: DocumentSpec
    result: Produced | list[Problem]
    peak_kib: int
    pid: int


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class _Worker:
    """One process's renderer and the records and catalogs it has loaded."""

    def __init__(self, folders: CatalogFolders) -> None:
        self.folders = folders
        self.renderer = Renderer()
        self.records: dict[Path, DrugRecord] = {}
        self.catalogs: dict[str, LoadedCatalog | None] = {}

    def run(self, spec: DocumentSpec) -> Outcome:
        record = self.records.get(spec.record_path)
        if record is None:
            valid, problems = check_records([spec.record_path])
            if problems:
                return self._outcome(spec, problems)
            record = self.records[spec.record_path] = valid[0]
        catalog = self._catalog(spec.lang)
        job = DocumentJob(
            record,
            spec.audience,
            spec.lang,
            spec.paper,
            catalog,
            spec.shown,
            presentation=spec.presentation,
        )
        return self._outcome(spec, produce(job, self.renderer))

    def _catalog(self, lang: str) -> LoadedCatalog | None:
        if lang in (SOURCE_LANGUAGE, PSEUDO_LOCALE):
            return None
        if lang not in self.catalogs:
            from ..translation.domains import load_language

            self.catalogs[lang] = load_language(lang, self.folders)
        return self.catalogs[lang]

    def preload(self, preloaded: dict[str, Any] | None) -> None:
        """Take records and catalogs the build has already validated and loaded."""
        if preloaded:
            self.records.update(preloaded.get("records", {}))
            self.catalogs.update(preloaded.get("catalogs", {}))

    @staticmethod
    def _outcome(spec: DocumentSpec, result: Produced | list[Problem]) -> Outcome:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return Outcome(spec=spec, result=result, peak_kib=peak, pid=os.getpid())


_WORKER: _Worker | None = None


def _start_worker(
    parent: int, project: Project, folders: CatalogFolders, preloaded: dict[str, Any] | None
) -> None:
    global _WORKER
    die_with_parent(parent)
    use_project(project)  # a spawned worker starts with none: the build's, not its cwd's
    _WORKER = _Worker(folders)
    _WORKER.preload(preloaded)


def _run_in_worker(spec: DocumentSpec) -> Outcome:
    assert _WORKER is not None, "worker process was not initialised"
    return _WORKER.run(spec)


def render_all(
    specs: list[DocumentSpec],
    jobs: int,
    preloaded: dict[str, Any] | None = None,
    on_start: Callable[[DocumentSpec], None] | None = None,
) -> Generator[Outcome, None, None]:
    """Render every document, ``jobs`` at a time; yield each outcome as it is ready.

    ``preloaded`` may hold this process's already validated records (by path)
    and catalogs (by language), so that neither this process nor a forked worker
    loads them twice. A caller that stops early closes the generator, which
    kills the workers at once.
    """
    if not specs:
        return
    # Named here, not found again in the worker: a spawned worker has no current
    # project, and a forked one must read the catalogs this build checked.
    folders = CatalogFolders.current()
    if jobs <= 1 or len(specs) == 1:
        worker = _Worker(folders)
        worker.preload(preloaded)
        for spec in specs:
            if on_start:
                on_start(spec)
            yield worker.run(spec)
        return
    # fork: workers start at once, with this process's modules already imported and
    # the records and catalogs it validated inherited, not validated again (a spawned
    # worker loads its own).
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(specs)),
        mp_context=context,
        initializer=_start_worker,
        initargs=(
            os.getpid(),
            current_project(),
            folders,
            preloaded if method == "fork" else None,
        ),
    )
    finished = False
    try:
        pending: dict[Future[Outcome], DocumentSpec] = {}
        queue = list(reversed(specs))
        # Keep each worker busy with one document and one waiting.
        while queue or pending:
            while queue and len(pending) < 2 * jobs:
                spec = queue.pop()
                if on_start:
                    on_start(spec)
                try:
                    pending[pool.submit(_run_in_worker, spec)] = spec
                except BrokenProcessPool:
                    yield _lost(spec)
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                spec = pending.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    yield _lost(spec)
        finished = True
    finally:
        # Early (a signal, an exception, the caller stopped reading): kill the
        # workers now rather than wait for the documents they are rendering.
        if finished:
            pool.shutdown(wait=True)
        else:
            stop_workers(pool)


def _lost(spec: DocumentSpec) -> Outcome:
    """The outcome of a document whose worker process was killed while rendering."""
    problem = Problem(
        spec.shown,
        None,
        "",
        "not written: the worker process rendering it was killed (by the system, perhaps "
        "for want of memory; expected it to finish). To fix: run the build again, with "
        "fewer --jobs if memory is short",
    )
    return Outcome(spec=spec, result=[problem], peak_kib=0, pid=0)
