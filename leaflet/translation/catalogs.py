"""Maintain the translators' gettext catalogs: extract, init, update and status.

Messages come from three places, each with a stable ``msgctxt``:

* templates — ``pgettext("patient.s1.heading", "…")`` calls (Babel's Jinja2 extractor);
* the generator's Python code — ``N_("form.tablet", "tablets")`` markers;
* drug records — every prose field, with context ``<drug id>:<record path>``.

Catalogs are PO files (``locales/<lang>/LC_MESSAGES/leaflet.po``) written with
polib, which keeps every header field and flag that Poedit and Weblate use;
Babel supplies extraction and each language's plural rule. Updating matches
entries by ``msgctxt``: when the English of an entry changed, its translation
is kept, marked fuzzy, and the old English is kept as ``#| msgid`` so the
translator sees what changed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polib
from babel import Locale, UnknownLocaleError
from babel.messages.extract import extract_from_file

from . import __version__
from .catalog_loader import (
    LoadedCatalog,
    list_locales,
    load_catalog,
    load_po_for_update,
    source_language_problem,
)
from .context import iter_prose
from .errors import InputError, Problem
from .languages import is_source_language, plural_forms_header
from .loader import display_path, read_text
from .model import DrugRecord
from .templating import PROJECT_DIR, TEMPLATES_DIR
from .writer import OutputWriter

__all__ = [
    "DOMAIN",
    "LOCALES_DIR",
    "POT_NAME",
    "Message",
    "catalog_status",
    "extract_messages",
    "init_catalog",
    "load_catalogs",
    "locale_codes",
    "po_relative_path",
    "required_contexts",
    "review_of",
    "update_catalogs",
    "write_pot",
]

DOMAIN = "leaflet"
LOCALES_DIR = PROJECT_DIR / "locales"
POT_NAME = f"{DOMAIN}.pot"
PACKAGE_DIR = PROJECT_DIR / "leaflet"

REVIEW_STATUS = "X-Leaflet-Review-Status"
REVIEWER = "X-Leaflet-Reviewer"
REVIEW_DATE = "X-Leaflet-Review-Date"

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


def po_relative_path(lang: str) -> str:
    """Return a locale's catalog path relative to the locales folder."""
    return f"{lang}/LC_MESSAGES/{DOMAIN}.po"


def locale_codes() -> list[str]:
    """Return every locale that has a catalog.

    A folder for the source language (``locales/en``) is no locale to build:
    :func:`load_catalogs` reports it instead.
    """
    return [code for code in list_locales(LOCALES_DIR, DOMAIN) if not is_source_language(code)]


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
        shown = path.relative_to(PROJECT_DIR).as_posix()
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


def _pot_file(messages: list[Message], nplurals: int = 2) -> polib.POFile:
    pot = polib.POFile(wrapwidth=0)
    pot.metadata = {
        "Project-Id-Version": f"leaflet {__version__}",
        "Report-Msgid-Bugs-To": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for message in messages:
        entry = polib.POEntry(
            msgctxt=message.context,
            msgid=message.msgid,
            msgstr="",
            occurrences=[(f, str(n)) for f, n in message.locations],
            comment="\n".join(message.comments),
            flags=["python-brace-format"]
            if "{" in message.msgid
            else (["python-format"] if "%(" in message.msgid else []),
        )
        if message.msgid_plural is not None:
            entry.msgid_plural = message.msgid_plural
            entry.msgstr_plural = {index: "" for index in range(nplurals)}
        pot.append(entry)
    return pot


def write_pot(messages: list[Message], writer: OutputWriter | None = None) -> Path:
    """Write ``locales/leaflet.pot``; return its path."""
    writer = writer or OutputWriter(LOCALES_DIR)
    text = _pot_file(messages).__unicode__()
    return writer.write_bytes(POT_NAME, text.encode("utf-8"))


def _nplurals(lang: str) -> int:
    """How many plural forms ``lang`` has (CLDR, as the catalog checks require)."""
    return int(plural_forms_header(lang).split(";")[0].split("=")[1])


def init_catalog(lang: str, messages: list[Message], today: date) -> Path:
    """Create a new, empty catalog for ``lang`` from the current messages."""
    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        raise InputError(
            [
                Problem(
                    "LANG",
                    None,
                    "",
                    f"unknown locale code {lang!r} (expected e.g. de, pt_BR, zh_Hans)",
                )
            ]
        ) from None
    relative = po_relative_path(lang)
    if (LOCALES_DIR / relative).exists():
        raise InputError(
            [
                Problem(
                    display_path(LOCALES_DIR / relative),
                    None,
                    "",
                    "catalog already exists (expected a new locale; use leaflet i18n update)",
                )
            ]
        )
    po = _pot_file(messages, _nplurals(lang))
    po.metadata.update(
        {
            "Language": lang,
            "Plural-Forms": plural_forms_header(lang),
            "PO-Revision-Date": today.isoformat(),
            "Last-Translator": "",
            "Language-Team": "",
            REVIEW_STATUS: "unreviewed",
            REVIEWER: "",
            REVIEW_DATE: "",
        }
    )
    return OutputWriter(LOCALES_DIR).write_bytes(relative, po.__unicode__().encode("utf-8"))


def update_catalogs(messages: list[Message]) -> tuple[dict[str, dict[str, int]], list[Problem]]:
    """Merge the current messages into every sound catalog; return counts and problems.

    Entries are matched by msgctxt. Changed English: translation kept, marked
    fuzzy, old English kept as the previous msgid. New ids: empty entries, or a
    fuzzy suggestion where the same English is already translated (translation
    memory). Ids no longer used: kept as obsolete entries, out of the translator's
    way, for good; an id that comes back revives its translation. A catalog with
    a problem is reported and left untouched; the others update. ``messages``
    must hold every record's messages: a record left out would retire its
    translations (the CLI refuses a narrower selection).
    """
    writer = OutputWriter(LOCALES_DIR)
    summary: dict[str, dict[str, int]] = {}
    problems: list[Problem] = []
    for lang in locale_codes():
        path = LOCALES_DIR / po_relative_path(lang)
        try:
            old = load_po_for_update(path, lang)
        except InputError as error:
            problems.extend(error.problems)
            continue
        by_context = {e.msgctxt: e for e in old if e.msgctxt and not e.obsolete}
        retired = {e.msgctxt: e for e in old if e.msgctxt and e.obsolete}
        memory = _translation_memory(old)
        new = _pot_file(messages, _nplurals(lang))
        new.metadata = dict(old.metadata)
        counts = {"changed": 0, "added": 0, "obsolete": 0, "revived": 0, "suggested": 0}
        for entry in new:
            previous = by_context.pop(entry.msgctxt, None)
            if previous is None and entry.msgctxt in retired:
                # An id that comes back brings its translation back (fuzzy if the English moved).
                previous = retired.pop(entry.msgctxt)
                previous.obsolete = False
                counts["revived"] += 1
            if previous is None:
                counts["added"] += 1
                suggestion = memory.get((entry.msgid, entry.msgid_plural or ""))
                if suggestion is not None:
                    # The same English is translated elsewhere: offered, never used unreviewed.
                    entry.msgstr = suggestion.msgstr
                    if entry.msgid_plural and suggestion.msgid_plural:
                        entry.msgstr_plural = {**entry.msgstr_plural, **suggestion.msgstr_plural}
                    entry.flags.append("fuzzy")
                    counts["suggested"] += 1
                continue
            entry.msgstr = previous.msgstr
            if entry.msgid_plural and previous.msgid_plural:
                entry.msgstr_plural = {**entry.msgstr_plural, **previous.msgstr_plural}
            entry.tcomment = previous.tcomment
            if previous.fuzzy and "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
                entry.previous_msgid = previous.previous_msgid
            translated = previous.msgstr or any(previous.msgstr_plural.values())
            changed = (previous.msgid, previous.msgid_plural or "") != (
                entry.msgid,
                entry.msgid_plural or "",
            )
            if changed and translated:
                counts["changed"] += 1
                if "fuzzy" not in entry.flags:
                    entry.flags.append("fuzzy")
                entry.previous_msgid = previous.msgid
        for gone in by_context.values():
            gone.obsolete = True
            new.append(gone)
            counts["obsolete"] += 1
        # Entries retired by an earlier update stay, so that they can come back.
        new.extend(retired.values())
        writer.write_bytes(po_relative_path(lang), new.__unicode__().encode("utf-8"))
        summary[lang] = counts
    return summary, problems


def _translation_memory(po: polib.POFile) -> dict[tuple[str, str], polib.POEntry]:
    """Reviewed translations by their English, for suggesting to a new entry.

    Only entries translated and not fuzzy, current or retired, count: a
    suggestion built on a guess would pass one guess on.
    """
    memory: dict[tuple[str, str], polib.POEntry] = {}
    for entry in po:
        translated = entry.msgstr or (entry.msgstr_plural and all(entry.msgstr_plural.values()))
        if translated and "fuzzy" not in entry.flags and entry.msgid:
            memory.setdefault((entry.msgid, entry.msgid_plural or ""), entry)
    return memory


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
        "review": review_of(catalog),
    }


def review_of(catalog: LoadedCatalog) -> dict[str, str]:
    """Return the catalog's review status, reviewer and date from its header."""
    status = catalog.metadata.get(REVIEW_STATUS, "unreviewed").strip() or "unreviewed"
    return {
        "status": "reviewed" if status == "reviewed" else "unreviewed",
        "reviewer": catalog.metadata.get(REVIEWER, "").strip(),
        "date": catalog.metadata.get(REVIEW_DATE, "").strip(),
    }


def load_catalogs(langs: Iterable[str]) -> tuple[dict[str, LoadedCatalog], list[Problem]]:
    """Load each locale's catalog; return those that loaded and every problem.

    A catalog folder for the source language is always a problem, whichever
    languages are asked for: ``leaflet i18n init`` refuses to create one.
    """
    loaded: dict[str, LoadedCatalog] = {}
    problems = [
        source_language_problem(LOCALES_DIR / code)
        for code in list_locales(LOCALES_DIR, DOMAIN)
        if is_source_language(code)
    ]
    for lang in langs:
        try:
            loaded[lang] = load_catalog(LOCALES_DIR / po_relative_path(lang), lang)
        except InputError as error:
            problems.extend(error.problems)
    return loaded, problems
