"""Refuse an output that would land on an input: a record, the settings, a catalog, a template.

Every output is written whole (:mod:`leaflet.publish.writer`), yet a mistyped ``--out``
could still replace a record or a settings file with a PDF, or mix documents
into the folders leaflet reads its templates, catalogs and fonts from. Each
command that writes where the user says checks, before it writes anything,
that no output is one of its inputs; the command line reports a clash as a
usage error (exit 2), the mistake being in the command.

Paths are compared as the file system sees them: after symbolic links and
``..`` are resolved and, for what exists, by device and inode, so a hard link
or a second name for a folder is caught as well.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..record.reading import display_path
from ..resources import package_folder

__all__ = [
    "Input",
    "file_output_problem",
    "folder_output_problem",
    "leaflet_folders",
    "same_file",
]


@dataclass(frozen=True)
class Input:
    """A file or folder a command reads, and how a message names it."""

    path: Path
    what: str


def leaflet_folders() -> list[Input]:
    """The folders of leaflet's and the project's inputs: no output ever goes inside one.

    Read when called: the project is chosen by the command line.
    """
    from ..project import current_project
    from ..render.pdf import FONTS_DIR
    from ..render.theme import OWN_TEMPLATES_DIR
    from ..resources import bundled

    project = current_project()
    # leaflet's own first: in this repository the project's folders are the same ones.
    return [
        Input(bundled("locales"), "the translation catalogs leaflet reads"),
        Input(OWN_TEMPLATES_DIR, "the templates leaflet renders"),
        Input(FONTS_DIR, "the fonts leaflet embeds"),
        Input(package_folder(), "leaflet's own code"),
        Input(project.locales_dir, "the project's translation catalogs"),
        Input(project.templates_dir, "the project's templates"),
    ]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_dev, status.st_ino


def _real(path: Path) -> Path:
    """``path`` with links and ``..`` resolved; never raises (a link loop stays as it is)."""
    return Path(os.path.realpath(path))


def _loop_problem(out: Path) -> str | None:
    try:
        out.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a loop
        return (
            f"{str(out)!r} leads through a symbolic link that points back to itself (expected "
            "a path that can be written: remove the link, or choose another name)"
        )
    return None


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file or folder (also through links and ``..``)."""
    first, second = _identity(a), _identity(b)
    if first is not None and second is not None:
        return first == second
    return _real(a) == _real(b)


def _within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies anywhere below it."""
    target = _identity(folder)
    resolved = _real(path)
    if target is None:
        return resolved.is_relative_to(_real(folder))
    return any(_identity(p) == target for p in (resolved, *resolved.parents))


def _named(given: Path, actual: Path) -> str:
    """How a message shows the path typed and, when it differs, the one it leads to."""
    if os.path.abspath(given) == os.path.abspath(actual):
        return repr(str(given))
    return f"{str(given)!r}, another name for {display_path(actual)},"


def _folder(folder: Input) -> str:
    return f"{display_path(folder.path)}/, {folder.what}"


def file_output_problem(
    out: Path, inputs: Iterable[Input], record_folders: Iterable[Path] = ()
) -> str | None:
    """Say why the file ``out`` must not be written, or None.

    Refused: one of ``inputs`` (compared by identity), a place inside one of
    :func:`leaflet_folders`, or a new ``*.yaml`` file in one of
    ``record_folders``, which every later command would read as a record.
    """
    loop = _loop_problem(out)
    if loop:
        return loop
    for source in inputs:
        if same_file(out, source.path):
            return (
                f"{_named(out, source.path)} is {source.what} (expected a new file to write: "
                "choose another name)"
            )
    for folder in leaflet_folders():
        if _within(out, folder.path):
            return (
                f"{str(out)!r} is inside {_folder(folder)} (expected a file outside leaflet's "
                "own folders: choose another place)"
            )
    for place in record_folders:
        if out.suffix == ".yaml" and same_file(_real(out).parent, place):
            shown = display_path(place)
            return (
                f"{str(out)!r} would be read as a drug record: leaflet reads every "
                f"{shown}/*.yaml (expected a file outside {shown}/, or another extension)"
            )
    return None


def folder_output_problem(
    out: Path,
    subfolders: Iterable[str],
    files: Iterable[str],
    inputs: Iterable[Input],
    folders: Iterable[Input],
) -> str | None:
    """Say why the output folder ``out`` must not be written into, or None.

    The folder writes ``files`` directly and whole ``subfolders`` (one per
    language). Refused: ``out`` or a subfolder that is, or lies inside, one of
    ``folders`` or :func:`leaflet_folders`; an input among the files written or
    inside a subfolder written.
    """
    protected = [*leaflet_folders(), *folders]
    places = [out, *(out / name for name in subfolders)]
    loop = next(filter(None, map(_loop_problem, places)), None)
    if loop:
        return loop
    for place in places:
        for folder in protected:
            if _within(place, folder.path):
                where = "is" if same_file(place, folder.path) else "is inside"
                shown = repr(str(out)) if place == out else f"{str(out)!r} (for {place.name})"
                return (
                    f"{shown} {where} {_folder(folder)} (expected a folder of its own for the "
                    "documents: choose another one)"
                )
    written = [out / name for name in files]
    for source in inputs:
        clash = next((p for p in written if same_file(p, source.path)), None) or next(
            (p for p in places[1:] if _within(source.path, p)), None
        )
        if clash is not None:
            return (
                f"{str(out)!r} would receive documents at {display_path(clash)}, where "
                f"{source.what} is ({display_path(source.path)}) (expected a folder of its own "
                "for the documents: choose another one)"
            )
    return None
