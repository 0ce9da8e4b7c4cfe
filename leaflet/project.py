"""The project folder a user owns: records, their translations, settings, templates, output.

A project is a folder with a ``leaflet.toml`` (``leaflet new DIR`` makes one)::

    leaflet.toml            settings: branding, default languages, papers, editions
    data/*.yaml             the drug records
    locales/records.pot     the records' prose to translate (the ``records`` domain)
    locales/<lang>/LC_MESSAGES/records.po
    templates/              optional: a file here replaces leaflet's own of that name
    out/                    what ``leaflet build`` writes

leaflet's own text (headings, labels, standard statements) is not the project's:
it is translated in the ``leaflet`` domain, whose catalogs ship inside leaflet
(:mod:`leaflet.resources`).

The command line finds the project once — the folder ``--project`` names, or the
nearest folder at or above the current one holding a ``leaflet.toml``, or else
the current folder — and makes it current with :func:`use_project`; the library
reads :func:`current_project` instead of guessing from the working folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "RECORDS_DOMAIN",
    "SETTINGS_NAME",
    "Project",
    "current_project",
    "find_project",
    "use_project",
]

#: The settings file that marks a project folder.
SETTINGS_NAME = "leaflet.toml"
#: The gettext domain of a project's record prose.
RECORDS_DOMAIN = "records"


@dataclass(frozen=True)
class Project:
    """A project folder and the places leaflet reads and writes inside it."""

    root: Path

    @property
    def data_dir(self) -> Path:
        """The drug records (``*.yaml``)."""
        return self.root / "data"

    @property
    def locales_dir(self) -> Path:
        """The project's catalogs: ``<lang>/LC_MESSAGES/records.po`` and ``records.pot``."""
        return self.root / "locales"

    @property
    def templates_dir(self) -> Path:
        """Templates and stylesheets that replace leaflet's own of the same name."""
        return self.root / "templates"

    @property
    def settings_file(self) -> Path:
        """The project's ``leaflet.toml``."""
        return self.root / SETTINGS_NAME

    @property
    def out_dir(self) -> Path:
        """Where ``leaflet build`` writes unless ``--out`` says otherwise."""
        return self.root / "out"

    def shown(self, path: Path) -> str:
        """``path`` as a user reads it: relative to the project when inside it."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def find_project(start: Path) -> Project:
    """Return the project at or above ``start``: the nearest folder with a ``leaflet.toml``.

    Without one anywhere above, ``start`` itself is the project, so a folder
    holding only ``data/`` still builds.
    """
    start = start.absolute()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_NAME).is_file():
            return Project(folder)
    return Project(start)


_current: Project | None = None


def use_project(project: Project | None) -> None:
    """Make ``project`` the one every stage reads (``None``: find it again from the cwd)."""
    global _current
    _current = project


def current_project() -> Project:
    """Return the project in use: the one set by :func:`use_project`, else found from the cwd."""
    return _current if _current is not None else find_project(Path.cwd())
