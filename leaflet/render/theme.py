"""Where templates and stylesheets come from: the project's ``templates/``, then leaflet's own.

A project replaces one of leaflet's templates or stylesheets by placing a file of
the same name in its ``templates/`` folder; every other file still comes from
leaflet. Whatever a template prints, preflight checks the PDF the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..project import current_project
from ..resources import bundled

__all__ = ["OWN_TEMPLATES_DIR", "Theme", "current_theme"]

#: leaflet's own templates and stylesheets.
OWN_TEMPLATES_DIR = bundled("templates")


@dataclass(frozen=True)
class Theme:
    """The folders templates are looked up in, first match wins."""

    folders: tuple[Path, ...]

    def find(self, name: str) -> Path:
        """The file that is used for ``name``: the first folder that has it."""
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        return self.folders[-1] / name

    def files(self) -> dict[str, Path]:
        """Every template file by name, as it is used (a project's file hides leaflet's)."""
        found: dict[str, Path] = {}
        for folder in self.folders:
            for path in sorted(folder.iterdir()):
                if path.is_file() and not path.name.startswith("."):
                    found.setdefault(path.name, path)
        return dict(sorted(found.items()))

    def overridden(self) -> list[str]:
        """The names of leaflet's own files that the project replaces."""
        if len(self.folders) == 1:
            return []
        return [
            name
            for name, path in self.files().items()
            if path.parent == self.folders[0] and (self.folders[-1] / name).is_file()
        ]

    def added(self) -> list[str]:
        """Files of the project's folder that leaflet has none of (partials it includes)."""
        if len(self.folders) == 1:
            return []
        return [
            name
            for name, path in self.files().items()
            if path.parent == self.folders[0] and not (self.folders[-1] / name).is_file()
        ]


def current_theme() -> Theme:
    """The theme of the current project: its ``templates/`` (if any) over leaflet's own."""
    own = OWN_TEMPLATES_DIR
    project = current_project().templates_dir
    if project.is_dir() and not _same_folder(project, own):
        return Theme((project, own))
    return Theme((own,))


def _same_folder(one: Path, other: Path) -> bool:
    """True when both name one folder (this repository's project is leaflet's own)."""
    try:
        return one.samefile(other)
    except OSError:
        return False
