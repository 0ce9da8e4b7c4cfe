"""Processes: workers that die with the build, and a build that stops cleanly on a signal.

A build killed the way ``kill``, a timeout or the out-of-memory killer kill it
must leave nothing running. Three pieces:

* :func:`die_with_parent`, run first in every worker process: the kernel kills
  the worker the moment the build's process ends, however it ends (Linux's
  ``PR_SET_PDEATHSIG``; elsewhere a watchdog thread notices the new parent).
* :func:`stop_on_signals`, around the part of a build that holds the output
  folder's lock: SIGTERM and SIGHUP unwind the build like an exception, so its
  workers are stopped, the half-written temporary file is removed and the lock
  released; then the process dies by the same signal, as its caller expects.
* :func:`stop_workers`: what unwinding does to a process pool.

:func:`process_gone` tells whether the process a lock file names still runs.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import FrameType
from typing import Any

__all__ = ["Stopped", "die_with_parent", "process_gone", "stop_on_signals", "stop_workers"]

#: From <linux/prctl.h>: deliver a signal to this process when its parent ends.
_PR_SET_PDEATHSIG = 1
#: The signals that ask a build to stop; SIGINT (Ctrl-C) already raises KeyboardInterrupt.
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
#: The handlers :func:`stop_on_signals` replaced, so that a forked worker can restore them.
_REPLACED: dict[int, Any] = {}


class Stopped(BaseException):
    """The build was asked to stop by a signal; unwinds so that every cleanup runs.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` that
    reports a document's failure swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


class _Stopping:
    """Whether a stop signal may still unwind the build, or is only remembered."""

    def __init__(self) -> None:
        self.active = True
        self.pending: int | None = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if not self.active:  # the build is over: only its handlers are being put back
            self.pending = signum
            return
        # A second signal while the build unwinds must not interrupt its cleanup.
        self.active = False
        self.pending = signum
        raise Stopped(signum)


@contextlib.contextmanager
def stop_on_signals(on_stop: Callable[[str], None] | None = None) -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`Stopped` while the block runs; then die by it.

    Once the block has unwound (workers stopped, lock released), ``on_stop`` is
    told the signal's name, the original handler is put back and the signal is
    raised again, so the process ends "killed by SIGTERM" as a supervisor or a
    timeout expects. Only the main thread can handle signals, and a signal the
    caller ignores (``nohup`` ignores SIGHUP) stays ignored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    state = _Stopping()
    replaced: dict[int, Any] = {}
    for signum in _STOP_SIGNALS:
        if signal.getsignal(signum) == signal.SIG_DFL:
            replaced[signum] = signal.signal(signum, state)
    _REPLACED.update(replaced)
    try:
        yield
    except Stopped:
        pass  # unwound: every cleanup inside the block has run
    finally:
        state.active = False
        _restore(replaced)
        if state.pending is not None:
            if on_stop is not None:
                on_stop(signal.Signals(state.pending).name)
            os.kill(os.getpid(), state.pending)  # its handler is the default again
            raise SystemExit(128 + state.pending)  # only if the signal is blocked


def _restore(replaced: dict[int, Any]) -> None:
    for signum, handler in replaced.items():
        signal.signal(signum, handler)
        _REPLACED.pop(signum, None)


def die_with_parent(parent: int) -> None:
    """In a worker process: end when ``parent`` (the build) ends, whatever ends it.

    A forked worker inherits the build's signal handlers: the stop handler would
    turn SIGTERM into an exception the pool's worker loop catches and survives,
    so the handlers the build replaced are put back; Ctrl-C reaches every
    process of the terminal's group, and only the build should handle it.
    """
    for signum, handler in _REPLACED.items():
        signal.signal(signum, handler)
    _REPLACED.clear()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        # The kernel sends the signal when the thread that forked this process
        # ends: the pool forks its workers from the build's main thread, whose end
        # is the process's end.
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    else:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        # The build ended before the request above was made: nobody would kill us.
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once: cancel what is queued and kill the workers, then reap them.

    Used when a build unwinds (a signal, a failed write, Ctrl-C): waiting for
    the documents being rendered would only delay the end, and their bytes
    would not be written anyway.
    """
    pool.shutdown(wait=False, cancel_futures=True)
    kill = getattr(pool, "kill_workers", None)  # Python 3.14
    if kill is not None:
        kill()
    else:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                process.kill()
        for process in processes:
            with contextlib.suppress(OSError, ValueError, AttributeError, AssertionError):
                process.join(timeout=5)
    with contextlib.suppress(Exception):
        pool.shutdown(wait=True)


def process_gone(pid: int) -> bool:
    """True when no process ``pid`` runs any more (a zombie, dead but not yet reaped, counts).

    A process of another user, or a pid this system cannot see, counts as running.
    """
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # EPERM: it exists, it is someone else's
        return False
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    fields = stat_line.rpartition(")")[2].split()
    return bool(fields) and fields[0] in ("Z", "X")
