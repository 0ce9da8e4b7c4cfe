"""Warm worker processes that render handouts while a patient waits.

Each worker imports WeasyPrint, loads the fonts and parses the stylesheets once
(:func:`_warm_up`), then renders one handout at a time in memory. The pool is
bounded twice: by its workers (the cores) and by a short queue; a request
beyond both is refused at once as busy instead of waiting without end. A worker
that dies (killed, out of memory) fails only the requests it held, with an
error; the pool is replaced and the next request is served.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from ..project import Project, use_project
from ..publish.processes import die_with_parent, stop_workers

__all__ = ["Busy", "RenderPool", "WorkerLost"]

T = TypeVar("T")


class Busy(Exception):
    """Every worker is busy and the queue is full: try again in a moment."""


class WorkerLost(Exception):
    """The worker rendering a request died before it finished."""


def _warm_up(parent: int, project: Project) -> None:
    """Run first in every worker: die with the server, then load what every render needs."""
    die_with_parent(parent)
    use_project(project)
    from ..render import pdf  # noqa: F401  (imports WeasyPrint and its fonts)
    from . import rendering

    rendering.warm()


class RenderPool:
    """A bounded pool of warm worker processes, replaced when one dies."""

    def __init__(self, project: Project, workers: int, queue: int) -> None:
        self.project = project
        self.workers = max(1, workers)
        #: Requests that may wait for a worker; more are refused as busy.
        self.queue = max(0, queue)
        self._slots = threading.BoundedSemaphore(self.workers + self.queue)
        self._lock = threading.Lock()
        # Workers are started from one thread that lives as long as the pool: a worker
        # dies with the thread that started it (die_with_parent), and the threads that
        # serve requests come and go.
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="leaflet-pool")
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return self._starter.submit(self._start_here).result()

    def _start_here(self) -> ProcessPoolExecutor:
        # spawn, not fork: the server runs threads (the event loop, its thread pool),
        # and a forked child of a threaded process may inherit a held lock.
        context = multiprocessing.get_context("spawn")
        executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_warm_up,
            initargs=(os.getpid(), self.project),
        )
        # Start every worker now, so the first patient does not wait for a cold one.
        futures = [executor.submit(_ping) for _ in range(self.workers)]
        for future in futures:
            future.result()
        return executor

    def worker_pids(self) -> list[int]:
        """The process ids of the current workers (tests kill one to prove recovery)."""
        processes = getattr(self._executor, "_processes", None) or {}
        return sorted(processes)

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` in a worker; raise Busy or WorkerLost instead of hanging."""
        if not self._slots.acquire(blocking=False):
            raise Busy()
        try:
            with self._lock:
                executor = self._executor
            try:
                future: Future[T] = executor.submit(function, *args)
            except BrokenProcessPool:
                # A worker died while the pool was idle: this request never started, so
                # it goes to the new pool.
                await asyncio.to_thread(self._replace, executor)
                with self._lock:
                    executor = self._executor
                future = executor.submit(function, *args)
            try:
                return await asyncio.wrap_future(future)
            except BrokenProcessPool as error:
                # Starting new workers takes a second or two: not on the event loop.
                await asyncio.to_thread(self._replace, executor)
                raise WorkerLost() from error
        finally:
            self._slots.release()

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Start a new pool in place of ``broken`` (once, however many requests saw it die)."""
        with self._lock:
            if self._executor is broken:
                stop_workers(broken)
                self._executor = self._start()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            stop_workers(self._executor)
        self._starter.shutdown(wait=True)


def _ping() -> int:
    return os.getpid()
