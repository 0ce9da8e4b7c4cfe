"""The user-facing error of a write that failed: a full disk, a read-only or locked folder.

Kept apart from :mod:`leaflet.publish.writer` so that the folder lock
(:mod:`leaflet.publish.folder_lock`), which the writer uses, can raise it too.
"""

from __future__ import annotations

import errno
from pathlib import Path

from ..record.errors import InputError, Problem

__all__ = ["WriteError", "write_problem"]


class WriteError(InputError):
    """An output could not be written: the folder is full, read-only or locked."""


def write_problem(where: Path, error: OSError) -> WriteError:
    """The WriteError for a system error met writing ``where``, with how to fix it."""
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
