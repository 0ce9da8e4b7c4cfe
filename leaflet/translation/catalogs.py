"""Maintain the translators' gettext catalogs: extract, init and status.

Messages come from three places, each with a stable ``msgctxt``:

* templates — ``pgettext("patient.s1.heading", "…")`` calls (Babel's Jinja2 extractor);
* the generator's Python code — ``N_("form.tablet", "tablets")`` markers;
* drug records — every prose field, with context ``<drug id>:<record path>``.

The first two are leaflet's own domain, ``leaflet``; the records' are the
project's domain, ``records`` (:mod:`leaflet.translation.domains`). Catalogs are
PO files (``locales/<lang>/LC_MESSAGES/<domain>.po``) written with polib, which
keeps every header field and flag that Poedit and Weblate use; Babel supplies
extraction and each language's plural rule. :mod:`.catalog_update` merges new
English into them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from babel.messages.extract import extract_from_file

from ..record.errors import InputError, Problem
from ..record.model import DrugRecord
from ..record.prose import iter_prose
from ..record.reading import read_text
from ..resources import bundled, package_folder
from .catalog_loader import LoadedCatalog, domain_of
from .domains import (
    DOMAIN,
    load_catalogs,
    locale_codes,
)
from .signoff import OWN_TEXT, valid_signoff

__all__ = [
    "RETIRED_REVIEW_FIELDS",
    "CatalogWriter",
    "Message",
    "catalog_status",
    "extract_messages",
    "in_domain",
    "load_catalogs",
    "locale_codes",
    "required_contexts",
]

PACKAGE_DIR = package_folder()
#: leaflet's own templates: its messages are its own, whatever a project overrides.
TEMPLATES_DIR = bundled("templates")


class CatalogWriter(Protocol):
    """Writes one file under a domain's locales folder atomically (``publish.writer.OutputWriter``).

    Passed in by the caller: translation sits below publishing and never
    chooses where or how files are written.
    """

    def write_bytes(self, relative: str, data: bytes) -> Path:
        """Write ``data`` to ``relative`` inside the folder; return the path written."""
        ...


#: Header fields of an earlier review scheme: a catalog's own claim to be reviewed.
#: Reviews are now recorded by ``leaflet i18n review`` (:mod:`leaflet.translation.signoff`);
#: ``leaflet i18n update`` drops these fields.
RETIRED_REVIEW_FIELDS = ("X-Leaflet-Review-Status", "X-Leaflet-Reviewer", "X-Leaflet-Review-Date")

#: A comment starting with this, just before a message in a template or the code,
#: is shown to translators: ``{# Translators: … #}`` or ``# Translators: …``.
COMMENT_TAG = "Translators:"

_KEYWORDS = {
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": ((1, "c"), 2),
    "NP_": ((1, "c"), 2, 3),
}
_MARKER_NAMES = re.compile(r"\b(?:" + "|".join(_KEYWORDS) + r")\b")


@dataclass
class Message:
    """One message to translate: its stable id, English text and where it is used."""

    context: str
    msgid: str
    locations: list[tuple[str, int]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    msgid_plural: str | None = None

    @property
    def english(self) -> tuple[str, ...]:
        """The English texts: the msgid, and the plural msgid for a plural message."""
        return (self.msgid,) if self.msgid_plural is None else (self.msgid, self.msgid_plural)


def in_domain(messages: list[Message], domain: str) -> list[Message]:
    """Return the messages of one domain, in their order."""
    return [message for message in messages if domain_of(message.context) == domain]


def required_contexts(records: Iterable[DrugRecord]) -> dict[str, list[str]]:
    """Map the msgctxt of each required warning's text to the audiences needing it."""
    out: dict[str, list[str]] = {}
    for record in records:
        for warning in record.warnings:
            for audience in warning.required_in:
                out.setdefault(f"{record.drug.id}:warnings.{warning.id}.{audience}", []).append(
                    audience
                )
        for boxed in record.boxed_warnings:
            box = f"{record.drug.id}:boxed_warnings.{boxed.id}"
            out[f"{box}.title"] = ["clinician"]
            for paragraph in boxed.paragraphs:
                out[f"{box}.paragraphs.{paragraph.id}.text"] = ["clinician"]
    return out


def extract_messages(records: list[tuple[DrugRecord, str, Any]]) -> list[Message]:
    """Collect every translatable message from templates, code and records.

    ``records`` holds (record, display name, line map) for each drug record.
    Raises InputError when one msgctxt carries two different English texts.
    """
    messages: dict[str, Message] = {}
    problems: list[Problem] = []

    def add(
        context: str,
        msgid: str,
        where: tuple[str, int],
        comment: str | None,
        plural: str | None = None,
    ) -> None:
        known = messages.get(context)
        if known is None:
            known = messages[context] = Message(context, msgid, msgid_plural=plural)
        elif (known.msgid, known.msgid_plural) != (msgid, plural):
            problems.append(
                Problem(
                    where[0],
                    where[1],
                    context,
                    f"msgctxt used for two different texts (expected one English text per "
                    f"id, got {known.msgid!r} and {msgid!r})",
                )
            )
            return
        if where not in known.locations:
            known.locations.append(where)
        if comment and comment not in known.comments:
            known.comments.append(comment)

    for context, message, where, note in _source_messages(_source_signature()):
        if domain_of(context) != DOMAIN:
            # A colon marks record prose: this id would be looked up in the project's catalog.
            problems.append(
                Problem(
                    where[0],
                    where[1],
                    context,
                    "msgctxt holds a ':', which marks a record's text (expected an id of "
                    "leaflet's own text such as patient.s1.heading: use '.' instead)",
                )
            )
            continue
        if isinstance(message, str):
            add(context, message, where, note)
        else:
            add(context, message[0], where, note, plural=message[1])
    required = required_contexts(r for r, _, _ in records)
    for record, name, lines in records:
        for context, key, text in iter_prose(record):
            audiences = required.get(context)
            note = f"REQUIRED WARNING ({', '.join(audiences)})" if audiences else None
            add(context, text, (name, lines.line_for(key)), note)
    if problems:
        raise InputError(problems)
    return list(messages.values())


_SourceMessage = tuple[str, str | tuple[str, str], tuple[str, int], str | None]


def _source_files() -> list[Path]:
    """Every template, then every module, that may hold a translatable message.

    Templates first: the catalog lists each message where it is first found.
    """
    return [*sorted(TEMPLATES_DIR.rglob("*.html")), *sorted(PACKAGE_DIR.rglob("*.py"))]


def _source_signature() -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every template and module: the cache key."""
    return tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in _source_files())


@functools.lru_cache(maxsize=4)
def _source_messages(signature: tuple[tuple[str, int, int], ...]) -> tuple[_SourceMessage, ...]:
    """Messages of the templates and the code, extracted once per version of those files.

    Extraction tokenises every template and every module that names a marker
    (a twentieth of a second); a process that checks many records (the fuzz
    tests, a clinic's batch) reuses it.
    """
    found: list[_SourceMessage] = []
    for path in _source_files():
        if path.suffix == ".html":
            method, options = "jinja2", {"extensions": "jinja2.ext.i18n"}
        elif _MARKER_NAMES.search(read_text(path)):
            method, options = "python", {}
        else:  # a module that names no marker cannot call one: spare Babel tokenising it
            continue
        # Where a translator finds it in leaflet's source, however leaflet is installed.
        shown = (
            f"templates/{path.relative_to(TEMPLATES_DIR).as_posix()}"
            if path.suffix == ".html"
            else path.relative_to(PACKAGE_DIR.parent).as_posix()
        )
        for lineno, message, comments, context in extract_from_file(
            method,
            str(path),
            keywords=_KEYWORDS,
            comment_tags=(COMMENT_TAG,),
            options=options,
            strip_comment_tags=True,
        ):
            if not context:
                continue
            where, note = (shown, lineno), " ".join(comments) or None
            if isinstance(message, str):
                found.append((context, message, where, note))
            elif len(message) == 2 and all(isinstance(m, str) for m in message):
                found.append((context, (message[0], message[1]), where, note))
    return tuple(found)


def catalog_status(
    catalog: LoadedCatalog, messages: list[Message], required: dict[str, list[str]]
) -> dict[str, Any]:
    """Count translated, fuzzy and missing entries, and how many are required warnings."""
    counts = {"total": len(messages), "translated": 0, "fuzzy": 0, "missing": 0}
    required_open = {"fuzzy": 0, "missing": 0}
    for message in messages:
        entry = catalog.entries.get(message.context)
        if entry is None or not entry.translated:
            state = "missing"
        elif entry.fuzzy or (entry.msgid, entry.msgid_plural) != (
            message.msgid,
            message.msgid_plural,
        ):
            state = "fuzzy"
        else:
            state = "translated"
        counts[state] += 1
        if state != "translated" and message.context in required:
            required_open[state] += 1
    return {
        "lang": catalog.lang,
        "path": catalog.name,
        **counts,
        "required_warnings_fuzzy": required_open["fuzzy"],
        "required_warnings_missing": required_open["missing"],
        "complete": counts["translated"] == counts["total"],
        "review": _review_status(catalog, messages),
    }


def _review_status(catalog: LoadedCatalog, messages: list[Message]) -> dict[str, Any]:
    """Which of the catalog's scopes (drugs, or leaflet's own text) a pharmacist signed off."""
    scopes = sorted(
        {m.context.split(":", 1)[0] if ":" in m.context else OWN_TEXT for m in messages}
    )
    reviewed = [scope for scope in scopes if valid_signoff(catalog, scope)]
    return {
        "status": "reviewed" if scopes and reviewed == scopes else "unreviewed",
        "reviewed": reviewed,
        "unreviewed": [scope for scope in scopes if scope not in reviewed],
    }
