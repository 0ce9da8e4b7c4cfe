"""Find the files that ship inside leaflet: templates, fonts, catalogs, the example record.

Every bundled file is found through :mod:`importlib.resources`, never from a
module's own ``__file__``, so an installed wheel and a source checkout behave the
same. In the repository, ``leaflet/_bundled/`` holds links to the top-level
``templates/``, ``fonts/``, ``locales/`` and ``data/`` folders; building the
wheel copies the files those links point at into the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["BundledFileMissing", "bundled", "package_folder"]


class BundledFileMissing(RuntimeError):
    """A file leaflet ships with is absent: the installation is incomplete."""


def package_folder() -> Path:
    """Return the folder holding leaflet's own Python code."""
    return Path(str(files("leaflet")))


def bundled(name: str) -> Path:
    """Return the path of the bundled folder or file ``name`` (e.g. ``"templates"``).

    Raises :class:`BundledFileMissing` naming the file when the installation
    lacks it, instead of failing later with a bare ``FileNotFoundError``.
    """
    # Resolved: in a source checkout the links lead to the repository's folders,
    # and messages should name the folder a user knows.
    path = Path(str(files("leaflet").joinpath("_bundled", name))).resolve()
    if not path.exists():
        raise BundledFileMissing(
            f"leaflet's own file {name!r} is missing from {path.parent}: "
            "the installation is incomplete; reinstall leaflet"
        )
    return path
