"""Refuse an output folder inside another build's output folder, or around one.

Two builds lock their own folders only, so a build into ``out/`` and one into
``out/en/`` would run at once, and each would take the other's manifest,
temporary files and documents for its own. A build therefore refuses a folder
that lies inside another build's output folder or holds one.

A folder is another build's output folder when it holds a lock file
(``.leaflet.lock``: a build is running there, or was killed there) or a
``manifest.json`` that leaflet wrote (other programs' manifests, a web app's
say, do not count). The check is bounded, so that ``--out`` on a large folder
stays fast:

* every folder above the output folder, up to the root: a few ``stat`` calls each;
* below it, folders down to :data:`DEPTH` levels — the build's own language
  folders, and nested folders a person would create — not following symbolic
  links, and at most :data:`MAX_FOLDERS` folders. A build deeper down, or past
  the budget, is not found; the build's own layout (its folder and language
  folders) is always searched first.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ..record.errors import Problem
from ..record.reading import load_manifest
from .folder_lock import LOCK_NAME

__all__ = ["DEPTH", "MAX_FOLDERS", "nesting_problem"]

#: How many levels below the output folder are searched for another build's folder.
DEPTH = 3
#: The most folders searched below the output folder.
MAX_FOLDERS = 2000

_MANIFEST = "manifest.json"


def nesting_problem(out_dir: Path, layout: Iterable[str] = ()) -> Problem | None:
    """Say why ``out_dir`` must not be a build's output folder, or None.

    ``layout`` names the subfolders the build writes into (its languages).
    """
    out_dir = out_dir.resolve()
    for folder in out_dir.parents:
        marker = _marker(folder)
        if marker:
            return Problem(
                str(out_dir),
                None,
                "",
                f"output folder lies inside another leaflet build's output folder (expected a "
                f"folder of its own, got one inside {folder}, which holds that build's "
                f"{marker}; choose an --out outside {folder})",
            )
    inner = _inner_output_folder(out_dir, layout)
    if inner is not None:
        folder, marker = inner
        return Problem(
            str(out_dir),
            None,
            "",
            f"output folder holds another leaflet build's output folder (expected a folder of "
            f"its own, got one around {folder}, which holds that build's {marker}; choose "
            f"another --out, or move {folder} out of it)",
        )
    return None


def _marker(folder: Path) -> str | None:
    """What shows that ``folder`` is a build's output folder, or None."""
    if os.path.lexists(folder / LOCK_NAME):
        return f"lock file {LOCK_NAME}"
    if _is_leaflet_manifest(folder / _MANIFEST):
        return _MANIFEST
    return None


def _is_leaflet_manifest(path: Path) -> bool:
    if not os.path.lexists(path):
        return False
    data, _ = load_manifest(path)
    if not isinstance(data, dict):
        return False
    generator = data.get("generator")
    return isinstance(generator, dict) and generator.get("name") == "leaflet"


def _inner_output_folder(out_dir: Path, layout: Iterable[str]) -> tuple[Path, str] | None:
    """The first build's output folder found below ``out_dir``, with its marker."""
    if not _is_folder(out_dir):
        return None
    first = [out_dir / name for name in sorted(set(layout)) if _is_folder(out_dir / name)]
    level = first + [p for p in _subfolders(out_dir) if p not in first]
    visited = 0
    for _ in range(DEPTH):
        deeper: list[Path] = []
        for folder in level:
            visited += 1
            if visited > MAX_FOLDERS:
                return None
            marker = _marker(folder)
            if marker:
                return folder, marker
            deeper += _subfolders(folder)
        level = deeper
    return None


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _subfolders(folder: Path) -> list[Path]:
    """The folders directly in ``folder``, not through symbolic links, in name order."""
    try:
        with os.scandir(folder) as entries:
            return sorted(
                Path(entry.path) for entry in entries if entry.is_dir(follow_symlinks=False)
            )
    except OSError:
        return []
