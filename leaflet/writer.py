"""Write outputs atomically into the output folder, and nowhere else.

Every file is written to a temporary file in the same folder, flushed to disk,
then renamed over the target, so a reader sees either the previous complete
file or the new complete file, never a partial one. A path that would escape
the output folder, or a second write to the same path in one run, is a bug in
the caller and raises ValueError.

A build holds the folder's lock (:meth:`OutputWriter.lock`) while it writes: a
second build into the same folder is refused with a clear message instead of
interleaving files. Temporary files a killed build left behind are removed by
the next one. A failed write (disk full, read-only folder) raises
:class:`WriteError`, a user-facing problem; the previous file stays as it was.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from .errors import InputError, Problem

__all__ = ["LOCK_NAME", "TEMP_PREFIX", "OutputWriter", "WriteError"]

#: Temporary files start with this, so a later run can recognise leftovers.
TEMP_PREFIX = ".leaflet-tmp-"
#: The lock file a build holds in its output folder.
LOCK_NAME = ".leaflet.lock"


class WriteError(InputError):
    """An output could not be written: the folder is full, read-only or locked."""


def _write_problem(where: Path, error: OSError) -> WriteError:
    reason = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        hint = "free some disk space, or choose another --out folder"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "choose a folder you may write to with --out"
    else:
        hint = "check the --out folder"
    return WriteError(
        [
            Problem(
                str(where),
                None,
                "",
                f"cannot write ({reason}; the previous file, if any, is unchanged). To fix: {hint}",
            )
        ]
    )


class OutputWriter:
    """Writes files under one output folder, each at most once per run."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.resolve()
        self._written: set[Path] = set()

    def target(self, relative: str) -> Path:
        """Return the absolute path for ``relative``, refusing paths outside the folder."""
        path = (self.out_dir / relative).resolve()
        if not path.is_relative_to(self.out_dir) or path == self.out_dir:
            raise ValueError(f"output path {relative!r} escapes the output folder")
        return path

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder's lock; refuse (WriteError) if another build holds it.

        Leftover temporary files from a build that was killed are removed once the
        lock is ours (no other build can be writing them). The lock file is removed
        on release, so a build that wrote nothing leaves nothing behind.
        """
        created = not self.out_dir.exists()
        handle = self._acquire()
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            self._remove_leftovers()
            yield
        finally:
            # Unlink while still holding the lock: a build that opened the old file
            # meanwhile sees it is gone (inode check in _acquire) and starts over.
            with contextlib.suppress(OSError):
                (self.out_dir / LOCK_NAME).unlink()
            handle.close()  # closing releases the lock
            if created:
                with contextlib.suppress(OSError):
                    self.out_dir.rmdir()  # only succeeds when nothing was written

    def _acquire(self) -> TextIO:
        lock_path = self.out_dir / LOCK_NAME
        while True:
            try:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                # O_NOFOLLOW: a symbolic link planted as the lock file must never lead
                # leaflet to truncate and write a file elsewhere.
                fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
                handle = os.fdopen(fd, "r+")
            except OSError as error:
                if error.errno == errno.ELOOP:
                    raise WriteError(
                        [
                            Problem(
                                str(lock_path),
                                None,
                                "",
                                "the lock file is a symbolic link (expected a plain file that "
                                "leaflet creates). To fix: remove the link",
                            )
                        ]
                    ) from None
                raise _write_problem(self.out_dir, error) from None
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                handle.close()
                raise WriteError(
                    [
                        Problem(
                            str(self.out_dir),
                            None,
                            "",
                            f"another leaflet build is writing to this folder (process "
                            f"{holder}). To fix: wait for it to finish, or use another --out",
                        )
                    ]
                ) from None
            try:
                same = os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return handle
            handle.close()  # the previous holder removed this file as we opened it

    def _remove_leftovers(self) -> None:
        for leftover in self.out_dir.rglob(f"{TEMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                leftover.unlink()

    def write_bytes(self, relative: str, data: bytes, *, replace: bool = False) -> Path:
        """Atomically write ``data`` to ``relative`` inside the output folder.

        ``replace`` allows a second write of the same file in one run (the manifest,
        which is kept up to date as documents are written).
        """
        try:
            path = self.target(relative)
        except ValueError:
            raise WriteError(
                [
                    Problem(
                        str(self.out_dir / relative),
                        None,
                        "",
                        "leads out of the output folder through a symbolic link (expected a "
                        "file inside the folder). To fix: remove the link, or use another --out",
                    )
                ]
            ) from None
        if path in self._written and not replace:
            raise ValueError(f"output {relative!r} was already written in this run")
        temp_name = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp_name, 0o644)
            os.replace(temp_name, path)
        except OSError as error:
            self._discard(temp_name)
            raise _write_problem(path, error) from None
        except BaseException:
            self._discard(temp_name)
            raise
        self._written.add(path)
        return path

    @staticmethod
    def _discard(temp_name: str | None) -> None:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)

    def write_json(self, relative: str, data: Any, *, replace: bool = False) -> Path:
        """Atomically write ``data`` as stable, indented JSON."""
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return self.write_bytes(relative, text.encode("utf-8"), replace=replace)
