"""Merge the current English into one domain's catalogs, losing no translation.

Entries are matched by ``msgctxt``: when the English of an entry changed, its
translation is kept, marked fuzzy, and the old English is kept as ``#| msgid``
so the translator sees what changed. An update of one domain reads and writes
only that domain's catalogs.
"""

from __future__ import annotations

import polib

from ..record.errors import InputError, Problem
from .catalog_headers import merged_header
from .catalog_loader import domain_of, load_po_for_update, read_template
from .catalog_writing import catalog_defaults, nplurals_of, pot_file
from .catalogs import RETIRED_REVIEW_FIELDS, CatalogWriter, Message
from .domains import locale_codes, locales_dir, po_relative_path, pot_name
from .po_format import po_text

__all__ = ["update_catalogs"]


def update_catalogs(
    messages: list[Message], writer: CatalogWriter, domain: str
) -> tuple[dict[str, dict[str, int]], list[Problem]]:
    """Merge ``domain``'s current messages into each of its sound catalogs; return counts, problems.

    Entries are matched by msgctxt. Changed English: translation kept, marked
    fuzzy, old English kept as the previous msgid. New ids: empty entries, or a
    fuzzy suggestion where the same English is already translated (translation
    memory). Ids no longer used: kept as obsolete entries, out of the translator's
    way, for good; an id that comes back revives its translation. A catalog with
    a problem is reported and left untouched; the others update. ``messages``
    must hold every record's messages: a record left out would retire its
    translations (the CLI refuses a narrower selection). ``writer`` writes into
    the domain's locales folder.
    """
    messages = [m for m in messages if domain_of(m.context) == domain]
    # The catalogs carry the template's creation date, as msgmerge does.
    created = read_template(locales_dir(domain) / pot_name(domain))[0] or ""
    summary: dict[str, dict[str, int]] = {}
    problems: list[Problem] = []
    for lang in locale_codes(domain):
        path = locales_dir(domain) / po_relative_path(lang, domain)
        try:
            old = load_po_for_update(path, lang)
        except InputError as error:
            problems.extend(error.problems)
            continue
        template = pot_file(messages, nplurals_of(lang), domain, created)
        new, counts = _merged(old, template)
        kept = {k: v for k, v in old.metadata.items() if k not in RETIRED_REVIEW_FIELDS}
        new.metadata = merged_header(kept, template.metadata, catalog_defaults(lang))
        new.header = old.header
        writer.write_bytes(po_relative_path(lang, domain), po_text(new).encode("utf-8"))
        summary[lang] = counts
    return summary, problems


def _merged(old: polib.POFile, new: polib.POFile) -> tuple[polib.POFile, dict[str, int]]:
    """Carry ``old``'s header and translations into ``new``, the current messages."""
    by_context = {e.msgctxt: e for e in old if e.msgctxt and not e.obsolete}
    retired = {e.msgctxt: e for e in old if e.msgctxt and e.obsolete}
    memory = _translation_memory(old)
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
    return new, counts


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
