"""Write outputs atomically into the output folder, and nowhere else.

Every file is written to a temporary file in the same folder, flushed to disk,
then renamed over the target, so a reader sees either the previous complete
file or the new complete file, never a partial one. A path that would escape
the output folder, or a second write to the same path in one run, is a bug in
the caller and raises ValueError.

A build holds the folder's lock (:meth:`OutputWriter.lock`, see
:mod:`leaflet.publish.folder_lock`) while it writes: a second build into the same
folder is refused with a clear message instead of interleaving files.
Temporary files a killed build left behind are removed by the next one — only
in the folders a build writes to, and only names this writer makes. A failed
write (disk full, read-only folder) raises :class:`WriteError`, a user-facing
problem; the previous file stays as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..record.errors import Problem
from .folder_lock import LOCK_NAME, hold_lock
from .write_errors import WriteError, write_problem

__all__ = ["LOCK_NAME", "TEMP_PREFIX", "OutputWriter", "WriteError", "is_temporary"]

#: Temporary files start with this, so a later run can recognise leftovers.
TEMP_PREFIX = ".leaflet-tmp-"
#: Exactly the names ``tempfile.mkstemp(prefix=TEMP_PREFIX)`` makes: the prefix and
#: eight letters, digits or underscores. Nothing else is ever swept.
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"[a-z0-9_]{8}")


def is_temporary(name: str) -> bool:
    """True for a file name this writer gives its temporary files."""
    return _TEMP_NAME.fullmatch(name) is not None


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

    def inside(self, relative: str) -> Path:
        """Like :meth:`target`, but a path leading out is the user's problem (WriteError).

        Only a symbolic link planted in the folder can lead out of it: leaflet's
        own names never do.
        """
        try:
            return self.target(relative)
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

    @contextlib.contextmanager
    def lock(self, subfolders: Iterable[str] = ()) -> Iterator[None]:
        """Hold the folder's lock; refuse (WriteError) if another build holds it.

        Once the lock is ours, temporary files a killed build left are removed
        from the folder itself and from ``subfolders`` (the folders the build's
        layout writes into) — never deeper, and never through a symbolic link:
        another program's files, or another build's below this one, are not ours.
        The lock file is removed on release, and a folder this build created is
        removed again if nothing was written in it.
        """
        created = not self.out_dir.exists()
        try:
            with hold_lock(self.out_dir):
                self._remove_leftovers(subfolders)
                yield
        finally:
            if created:
                with contextlib.suppress(OSError):
                    self.out_dir.rmdir()  # only succeeds when nothing was written

    def _remove_leftovers(self, subfolders: Iterable[str]) -> None:
        folders = [self.out_dir]
        for name in sorted(set(subfolders)):
            folder = self.out_dir / name
            if name and "/" not in name and name not in (".", "..") and _is_real_folder(folder):
                folders.append(folder)
        for folder in folders:
            with contextlib.suppress(OSError):
                for entry in os.scandir(folder):
                    if is_temporary(entry.name) and entry.is_file(follow_symlinks=False):
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)

    def write_bytes(self, relative: str, data: bytes, *, replace: bool = False) -> Path:
        """Atomically write ``data`` to ``relative`` inside the output folder.

        ``replace`` allows a second write of the same file in one run (the manifest,
        which is kept up to date as documents are written).
        """
        path = self.inside(relative)
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
            raise write_problem(path, error) from None
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


def _is_real_folder(path: Path) -> bool:
    """True for a folder that is not reached through a symbolic link."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False
