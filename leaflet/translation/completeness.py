"""Which drug and language pairs a catalog can print, and what is missing from the others.

A pair is complete when every message its documents may print — leaflet's own
text and the drug's record prose — has a translation made from the current
English that is not fuzzy. The same rule decides each lookup while a document
renders (:class:`leaflet.translation.Translator`); checking the pair up front
spares rendering documents that could never be published, and lets the build
list each missing entry once, with its ``po file:line``. A language the project
has no catalog for yet has its record prose untranslated, entry by entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..record.errors import Problem
from .catalog_loader import CatalogEntry, LoadedCatalog
from .catalogs import Message

__all__ = ["PairGaps", "entry_gap", "pair_gaps"]


def entry_gap(entry: CatalogEntry | None, msgid: str, msgid_plural: str | None) -> str | None:
    """Why ``entry`` cannot print the English ``msgid``, or None when it can."""
    if entry is None:
        return "no entry (run: leaflet i18n update)"
    if not entry.translated:
        return "not translated"
    if (entry.msgid, entry.msgid_plural) != (msgid, msgid_plural):
        return "the English changed since it was translated (run: leaflet i18n update)"
    if entry.fuzzy:
        return "fuzzy: needs review (remove the fuzzy flag once checked)"
    return None


@dataclass(frozen=True)
class PairGaps:
    """The entries one drug is missing in one language."""

    lang: str
    drug: str
    problems: tuple[Problem, ...]
    #: The documents the missing entries hold back; the others print none of them.
    audiences: tuple[str, ...] = ()

    def reaching(self, printed: dict[str, frozenset[str]]) -> PairGaps:
        """Only the gaps each document prints, and the documents they hold back.

        ``printed`` maps each requested document (audience) to the msgctxt of
        every text it prints (:func:`leaflet.publish.document.printed_contexts`).
        leaflet's own entries are looked up only where printed: their gaps count.
        """
        kept: dict[Problem, None] = {}
        held = []
        for audience, contexts in printed.items():
            found = [p for p in self.problems if ":" not in p.path or p.path in contexts]
            if found:
                held.append(audience)
                kept.update(dict.fromkeys(found))
        problems = tuple(sorted(kept, key=lambda p: (p.line or 0, p.file)))
        return PairGaps(self.lang, self.drug, problems, tuple(held))

    @property
    def count(self) -> int:
        """How many entries are missing."""
        return len(self.problems)


def pair_gaps(catalog: LoadedCatalog, drug: str, messages: Iterable[Message]) -> PairGaps:
    """Every entry ``drug``'s documents need in ``catalog`` that cannot be printed.

    The messages needed are leaflet's own (no drug prefix) and the drug's record
    prose (``<drug>:…``); other drugs' prose is not this pair's concern.
    """
    problems = []
    for message in messages:
        owner = message.context.split(":", 1)[0] if ":" in message.context else None
        if owner not in (None, drug):
            continue
        entry = catalog.entries.get(message.context)
        reason = entry_gap(entry, message.msgid, message.msgid_plural)
        part = catalog.part_for(message.context)
        if entry is None and part is not None and part.metadata is None:
            reason = (
                f"no entry: no catalog of the project's records in {catalog.lang!r} yet "
                f"(run: leaflet i18n init {catalog.lang})"
            )
        if reason is not None:
            line = entry.line if entry else None
            where = catalog.file_of(message.context)
            problems.append(Problem(where, line, message.context, reason))
    return PairGaps(
        catalog.lang, drug, tuple(sorted(problems, key=lambda p: (p.line or 0, p.path)))
    )
