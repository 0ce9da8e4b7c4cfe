"""The output folder's lock: one build at a time, held by the build's own process alone.

A build holds ``.leaflet.lock`` in its output folder while it writes there;
the file names the build's process. The lock is a ``flock``: the kernel drops it
when the holder ends, however it ends, so a killed build leaves a lock file but
no lock, and the next build takes it over with a notice naming the process
that did not finish.

Why ``flock`` and what forked processes do with it: a ``flock`` belongs to the
open file, which a forked worker shares; while any process keeps that file
open the lock stays held, so workers left running by a killed build would hold
it for ever. Every process forked while a lock is held therefore drops its
copy at once (:func:`_drop_in_child`), pointing the descriptor at /dev/null:
the build's own copy keeps the lock, and a worker never holds it. POSIX
``lockf``/``fcntl`` locks are not inherited, but they are released when the
process closes *any* descriptor of the file (reading the lock file to name its
holder would release it), so they are not used.

A lock still held by processes whose build is gone (workers of an older
leaflet, which never write) is taken over too: its file is replaced by a new
one, locked afresh.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from ..record.errors import Problem
from .processes import process_gone
from .write_errors import WriteError, write_problem

__all__ = ["LOCK_NAME", "hold_lock"]

#: The lock file a build holds in its output folder.
LOCK_NAME = ".leaflet.lock"

log = logging.getLogger("leaflet")

#: Descriptors of the locks this process holds (dropped by every forked child).
_HELD: set[int] = set()
#: How long a held lock whose named holder is gone is watched before it is taken
#: over: a build that has just locked the file writes its number within microseconds.
_SETTLE_SECONDS = 0.5


def _drop_in_child() -> None:
    if not _HELD:
        return
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        for fd in _HELD:
            # dup2, not close: code that still holds the number (a file object in a
            # frame copied from the parent) then closes /dev/null, never a
            # descriptor opened later under the same number.
            os.dup2(null, fd, inheritable=False)
    finally:
        os.close(null)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_in_child)


@contextlib.contextmanager
def hold_lock(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s lock while the block runs; raise WriteError if a live build holds it.

    The folder is created if needed. The lock file is removed when the block
    ends, while still locked, so that a build waiting on the old file starts over.
    """
    fd, previous = _acquire(folder)
    owner = os.getpid()
    _HELD.add(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(owner).encode("ascii"), 0)
        if previous is not None:
            log.warning(
                "%s: taking over the lock of leaflet process %d, which is no longer running "
                "(its build stopped before it finished; its temporary files are removed)",
                folder,
                previous,
            )
        yield
    finally:
        # A forked child never gets here with the lock (it dropped it); the check
        # keeps one that unwinds this frame from removing the build's lock file.
        if os.getpid() == owner:
            with contextlib.suppress(OSError):
                if _same_file(folder / LOCK_NAME, fd):
                    (folder / LOCK_NAME).unlink()
            _HELD.discard(fd)
            os.close(fd)  # closing releases the lock


def _acquire(folder: Path) -> tuple[int, int | None]:
    """Lock ``folder``; return the descriptor and the process a killed build left named."""
    lock_path = folder / LOCK_NAME
    taken_over: int | None = None
    while True:
        fd = _open_lock_file(folder, lock_path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder, gone = _holder(fd)
            if holder is not None:
                os.close(fd)
                raise WriteError(
                    [
                        Problem(
                            str(folder),
                            None,
                            "",
                            f"another leaflet build is writing to this folder (process "
                            f"{holder}). To fix: wait for it to finish, or use another --out",
                        )
                    ]
                ) from None
            # Held, but by processes a finished build left (they never write): start
            # a new lock file; their lock on the old one no longer matters.
            taken_over = gone
            try:
                if _same_file(lock_path, fd):
                    lock_path.unlink()
            except OSError as error:
                raise write_problem(lock_path, error) from None
            finally:
                os.close(fd)
            continue
        if _same_file(lock_path, fd):
            named = _named_process(fd)
            return fd, taken_over if taken_over is not None else named
        os.close(fd)  # the previous holder removed this file as we opened it


def _open_lock_file(folder: Path, lock_path: Path) -> int:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # O_NOFOLLOW: a symbolic link planted as the lock file must never lead
        # leaflet to truncate and write a file elsewhere; O_NONBLOCK: a named pipe
        # planted there must not make it wait.
        fd = os.open(
            lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644
        )
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _not_plain(lock_path, "a symbolic link") from None
        if error.errno == errno.EISDIR:
            raise _not_plain(lock_path, "a folder") from None
        raise write_problem(folder, error) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a named pipe" if stat.S_ISFIFO(mode) else "not a plain file"
        raise _not_plain(lock_path, kind)
    return fd


def _not_plain(lock_path: Path, kind: str) -> WriteError:
    what = "the link" if kind == "a symbolic link" else "it"
    return WriteError(
        [
            Problem(
                str(lock_path),
                None,
                "",
                f"the lock file is {kind} (expected a plain file that leaflet creates). "
                f"To fix: remove {what}",
            )
        ]
    )


def _same_file(path: Path, fd: int) -> bool:
    try:
        return os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


def _named_process(fd: int) -> int | None:
    """The process number written in the lock file, if it holds one."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() and int(text) > 0 else None


def _holder(fd: int) -> tuple[str | None, int | None]:
    """Who holds the lock: ``(process, None)`` while that build runs, ``(None, process)`` if not.

    The holder is the process that took the lock (from ``/proc/locks``, which
    names it even when only its workers keep the file open) or, where the kernel
    does not say, the process the file names. A lock file naming nobody yet
    belongs to a build that has just locked it ("unknown").
    """
    for attempt in range(2):
        owner, named = _flock_owner(fd), _named_process(fd)
        candidates = [pid for pid in (owner, named) if pid]
        if not candidates:
            return "unknown", None
        alive = sorted(pid for pid in candidates if not process_gone(pid))
        if alive:
            return str(alive[0]), None
        if attempt == 0:
            time.sleep(_SETTLE_SECONDS)
    return None, named or owner


def _flock_owner(fd: int) -> int | None:
    """The process that took the ``flock`` on ``fd``'s file, from ``/proc/locks`` (Linux).

    0 when the kernel no longer knows it (it ended, in a container's namespace);
    None when there is no such table.
    """
    status = os.fstat(fd)
    device = f"{os.major(status.st_dev):02x}:{os.minor(status.st_dev):02x}:{status.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as table:
            for line in table:
                fields = line.split()
                if "->" in fields or len(fields) < 6 or fields[1] != "FLOCK":
                    continue
                if fields[5] == device and fields[4].lstrip("-").isdigit():
                    return max(int(fields[4]), 0)
    except OSError:
        return None
    return None
