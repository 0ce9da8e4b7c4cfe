"""The two gettext domains: where each one's catalogs live, and a language read as one view.

Each domain is a normal catalog set, ``<lang>/LC_MESSAGES/<domain>.po`` beside
``<domain>.pot``:

* ``leaflet`` — leaflet's own text: the templates' headings, labels and standard
  statements and the code's ``N_`` markers. Its catalogs ship with leaflet
  (:func:`leaflet.resources.bundled`); the languages leaflet can print are the
  ones it has a catalog for.
* ``records`` — the project's record prose, ids ``<drug id>:<record path>``, in
  the project's own ``locales/`` folder (:mod:`leaflet.project`).

In leaflet's repository, itself a project, both live side by side in
``locales/``. Rendering a language reads both catalogs as one
:class:`LoadedCatalog`; each entry keeps its own file, so every problem names
the file and line a translator must open.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from babel import Locale, UnknownLocaleError

from ..project import RECORDS_DOMAIN, current_project
from ..record.errors import InputError, Problem
from ..record.reading import display_path
from ..resources import bundled
from .catalog_loader import (
    DOMAIN,
    CatalogPart,
    LoadedCatalog,
    domain_of,
    list_locales,
    load_catalog,
    source_language_problem,
)
from .languages import is_source_language
from .signoff import OWN_TEXT

__all__ = [
    "DOMAIN",
    "DOMAINS",
    "OWN_LOCALES_DIR",
    "RECORDS_DOMAIN",
    "CatalogFolders",
    "domain_of",
    "load_catalogs",
    "load_domain_catalogs",
    "load_language",
    "locale_codes",
    "locales_dir",
    "po_relative_path",
    "pot_name",
    "unbuildable_catalog_problems",
]

#: leaflet's own domain first: a language exists when leaflet has a catalog for it.
DOMAINS = (DOMAIN, RECORDS_DOMAIN)
#: leaflet's own catalogs, shipped with it. Resolved, so that in the repository
#: problems name ``locales/…``, the file a translator edits, not the link to it.
OWN_LOCALES_DIR = bundled("locales").resolve()


def locales_dir(domain: str) -> Path:
    """Return the folder of ``domain``'s catalogs.

    The project's is read at each call: the command line chooses the project
    after this module is imported.
    """
    if domain == DOMAIN:
        return OWN_LOCALES_DIR
    if domain == RECORDS_DOMAIN:
        return current_project().locales_dir
    raise ValueError(f"unknown gettext domain {domain!r} (expected one of {DOMAINS})")


def po_relative_path(lang: str, domain: str) -> str:
    """Return a locale's catalog of ``domain``, relative to the domain's locales folder."""
    return f"{lang}/LC_MESSAGES/{domain}.po"


def pot_name(domain: str) -> str:
    """Return the name of ``domain``'s template (``leaflet.pot``, ``records.pot``)."""
    return f"{domain}.pot"


@dataclass(frozen=True)
class CatalogFolders:
    """Where each domain's catalogs are read from: plain paths a worker process can receive."""

    own: Path
    records: Path

    @classmethod
    def current(cls) -> CatalogFolders:
        """leaflet's own catalogs and the current project's."""
        return cls(locales_dir(DOMAIN), locales_dir(RECORDS_DOMAIN))

    def of(self, domain: str) -> Path:
        """The folder of ``domain``'s catalogs."""
        return self.own if domain == DOMAIN else self.records


def locale_codes(domain: str = DOMAIN) -> list[str]:
    """Return every locale with a catalog in ``domain``: by default, the languages to build.

    A folder for the source language (``locales/en``) is no locale to build:
    :func:`load_catalogs` reports it instead.
    """
    found = list_locales(locales_dir(domain), domain)
    return [code for code in found if not is_source_language(code)]


def load_language(lang: str, folders: CatalogFolders | None = None) -> LoadedCatalog:
    """Read ``lang``'s catalogs of both domains as one view; raise InputError if unsound.

    Without a project catalog for the language, the view holds only leaflet's
    own entries: the record prose is untranslated, never an error here. An id
    in both files is refused: which one a document printed would be chance.
    """
    folders = folders or CatalogFolders.current()
    own = load_catalog(folders.own / po_relative_path(lang, DOMAIN), lang)
    records_path = folders.records / po_relative_path(lang, RECORDS_DOMAIN)
    records = load_catalog(records_path, lang) if os.path.lexists(records_path) else None
    entries = dict(own.entries)
    clashes = []
    for context, entry in (records.entries if records else {}).items():
        first = entries.get(context)
        if first is None:
            entries[context] = entry
            continue
        clashes.append(
            Problem(
                entry.name,
                entry.line,
                context,
                f"the same msgctxt is in {first.name} on line {first.line} (expected each id "
                f"in one catalog: leaflet's own ids in {DOMAIN}.po, the records' "
                f"'<drug id>:…' ids in {RECORDS_DOMAIN}.po; delete the one in the wrong file)",
            )
        )
    if clashes:
        raise InputError(clashes)
    parts = (
        CatalogPart(DOMAIN, own.path, own.name, own.metadata),
        CatalogPart(
            RECORDS_DOMAIN,
            records_path,
            records.name if records else display_path(records_path),
            records.metadata if records else None,
        ),
    )
    # Each file's sign-offs cover its own domain only: leaflet's own text, or drugs.
    signoffs = {k: v for k, v in own.signoffs.items() if k == OWN_TEXT}
    signoffs.update(
        {k: v for k, v in (records.signoffs if records else {}).items() if k != OWN_TEXT}
    )
    return replace(own, entries=entries, parts=parts, signoffs=signoffs)


def _source_language_problems(folders: CatalogFolders) -> list[Problem]:
    """One problem per catalog folder named for the source language, in either domain."""
    seen: dict[Path, Problem] = {}
    for domain in DOMAINS:
        for code in list_locales(folders.of(domain), domain):
            folder = folders.of(domain) / code
            # In leaflet's repository both domains share one folder: report it once.
            if is_source_language(code) and folder.resolve() not in seen:
                seen[folder.resolve()] = source_language_problem(folder)
    return list(seen.values())


def load_catalogs(
    langs: Iterable[str], folders: CatalogFolders | None = None
) -> tuple[dict[str, LoadedCatalog], list[Problem]]:
    """Read each language for rendering (both domains); return those that loaded and every problem.

    A catalog folder for the source language is always a problem, whichever
    languages are asked for: ``leaflet i18n init`` refuses to create one.
    """
    folders = folders or CatalogFolders.current()
    loaded: dict[str, LoadedCatalog] = {}
    problems = _source_language_problems(folders)
    for lang in langs:
        try:
            loaded[lang] = load_language(lang, folders)
        except InputError as error:
            problems.extend(error.problems)
    return loaded, problems


def load_domain_catalogs(
    langs: Iterable[str], domain: str
) -> tuple[dict[str, LoadedCatalog], list[Problem]]:
    """Read each language's catalog of one domain alone; return those that loaded and problems."""
    folders = CatalogFolders.current()
    loaded: dict[str, LoadedCatalog] = {}
    problems = [
        source_language_problem(folders.of(domain) / code)
        for code in list_locales(folders.of(domain), domain)
        if is_source_language(code)
    ]
    for lang in langs:
        try:
            loaded[lang] = load_catalog(folders.of(domain) / po_relative_path(lang, domain), lang)
        except InputError as error:
            problems.extend(error.problems)
    return loaded, problems


def unbuildable_catalog_problems(folders: CatalogFolders | None = None) -> list[Problem]:
    """One problem per project catalog in a language leaflet has no catalog of its own for.

    Nothing is ever built in such a language, so the translator's work there
    would be silently unused. A folder named for the source language is
    reported by :func:`load_catalogs`; one with an unknown code, as the loader
    reports it.
    """
    folders = folders or CatalogFolders.current()
    own = set(list_locales(folders.own, DOMAIN))
    languages = ", ".join(code for code in sorted(own) if not is_source_language(code))
    problems = []
    for lang in list_locales(folders.records, RECORDS_DOMAIN):
        if lang in own or is_source_language(lang):
            continue
        path = folders.records / po_relative_path(lang, RECORDS_DOMAIN)
        if not _known_code(lang):
            try:
                load_catalog(path, lang)
            except InputError as error:  # the folder's name is the problem: the loader says so
                problems.extend(error.problems)
            continue
        problems.append(
            Problem(
                display_path(path),
                None,
                "",
                f"translates the records into {lang!r}, but leaflet has no catalog of its own "
                f"text in {lang!r}, so nothing is built in it (expected one of leaflet's "
                f"languages: {languages}; to fix: rename or delete this catalog, or add "
                f"{lang!r} to leaflet itself with leaflet i18n init {lang} --domain leaflet "
                "in a clone of leaflet's repository)",
            )
        )
    return problems


def _known_code(lang: str) -> bool:
    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return False
    return True
