"""The termbase: approved and forbidden terms for the clinical concepts of the warnings.

Each language of a project may have ``locales/<lang>/termbase.tbx``, a TBX
(TermBase eXchange, the ``martif`` form Weblate and the Translate Toolkit
import) file with one ``termEntry`` per concept. A concept's English
``langSet`` lists the English words that name it (the same in every language's
file as in the template ``locales/termbase.tbx``); the language's ``langSet``
lists its terms, each with an ``administrativeStatus``:

* ``preferredTerm-admn-sts`` — the approved term (exactly one per concept);
* ``admittedTerm-admn-sts`` — also approved (another register or stem);
* ``forbidden`` — wrong: it may appear in no translation of the language.

Matching is deliberately simple, so that a translator can predict it: an
English term names its concept at the start of a word, any ending ("seizure"
in "Seizures"); a translated term is found anywhere in the text, ignoring case,
so inflected languages give the stem all forms share ("судорог").

Three rules hold for every translated entry of both domains:

1. an entry whose English names a concept contains one of its approved terms;
2. all entries of one drug (and leaflet's own text) that name a concept share
   one approved term: the concept is named the same way in every document;
3. no forbidden term occurs anywhere.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..record.errors import InputError, Problem
from .catalog_loader import LoadedCatalog
from .catalogs import Message
from .domains import RECORDS_DOMAIN, locales_dir
from .termbase_file import (
    Term,
    Termbase,
    read_termbase,
    template_problems,
    termbase_path,
)

__all__ = ["language_termbase_problems", "termbase_problems"]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _found(terms: Iterable[Term], folded: str) -> list[Term]:
    """The terms found in a translation already folded by :func:`_fold`."""
    return [t for t in terms if t.folded in folded]


def _quote(terms: Iterable[Term]) -> str:
    return ", ".join(repr(t.text) for t in terms)


def _named(termbase: Termbase, english: str) -> dict[str, str]:
    """The concepts ``english`` names, each with the English term found.

    The longest term wins where two overlap: "abrupt withdrawal" names
    stopping a medicine (discontinuation), not the withdrawal reaction.
    """
    concepts = tuple((c.id, tuple(c.english)) for c in termbase.concepts)
    return dict(_named_by_english(concepts, english))


@functools.lru_cache(maxsize=8192)
def _named_by_english(
    concepts: tuple[tuple[str, tuple[str, ...]], ...], english: str
) -> tuple[tuple[str, str], ...]:
    """:func:`_named` for one English text; every language shares the answer."""
    spans = []
    lowered = english.casefold()
    for concept_id, words in concepts:
        for word in words:
            if word.casefold() not in lowered:
                continue  # the common case, without a regular expression
            for match in _word_pattern(word).finditer(english):
                spans.append((match.start(), match.end(), word, concept_id))
    found: dict[str, str] = {}
    for start, end, word, concept_id in spans:
        longer = any(
            s <= start and end <= e and (e - s) > (end - start) and other != concept_id
            for s, e, _, other in spans
        )
        if not longer:
            found.setdefault(concept_id, word)
    return tuple(found.items())


@functools.lru_cache(maxsize=1024)
def _word_pattern(word: str) -> re.Pattern[str]:
    """An English term at the start of a word, with any ending."""
    return re.compile(rf"(?<!\w){re.escape(word)}\w*", re.IGNORECASE)


def termbase_problems(
    termbase: Termbase, catalog: LoadedCatalog, messages: Iterable[Message]
) -> list[Problem]:
    """Check every translated entry of ``catalog`` against the termbase's three rules."""
    problems: set[Problem] = set()
    where_terms = f"{termbase.name}"
    # (drug or None, concept id) -> [(entry context, approved terms found)]
    uses: dict[tuple[str | None, str], list[tuple[str, frozenset[str]]]] = {}
    current = [m for m in messages if m.context in catalog.entries]
    by_id = {concept.id: concept for concept in termbase.concepts}
    forbidden = [(concept, term) for concept in termbase.concepts for term in concept.forbidden]
    for message in current:
        entry = catalog.entries[message.context]
        if not entry.translated or entry.fuzzy or entry.msgid != message.msgid:
            continue
        where = catalog.file_of(message.context)
        text = _fold(" ".join(entry.texts))
        english = " ".join(message.english)
        drug = message.context.split(":", 1)[0] if ":" in message.context else None
        for concept, term in forbidden:
            if term.folded in text:
                problems.add(
                    Problem(
                        where,
                        entry.line,
                        message.context,
                        f"forbidden term {term.text!r} for {concept.id!r} ({where_terms}:"
                        f"{term.line}; expected: {_quote(concept.approved)})",
                    )
                )
        for concept_id, named in _named(termbase, english).items():
            concept = by_id[concept_id]
            approved = _found(concept.approved, text)
            if not approved:
                problems.add(
                    Problem(
                        where,
                        entry.line,
                        message.context,
                        f"the English names {concept.id!r} ({named!r}) but the translation has "
                        f"no approved term for it (expected one of: {_quote(concept.approved)}; "
                        f"{where_terms}:{concept.line})",
                    )
                )
                continue
            uses.setdefault((drug, concept.id), []).append(
                (message.context, frozenset(t.text for t in approved))
            )
    problems.update(_naming_problems(termbase, catalog, uses))
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.path, p.message))


def _naming_problems(
    termbase: Termbase,
    catalog: LoadedCatalog,
    uses: dict[tuple[str | None, str], list[tuple[str, frozenset[str]]]],
) -> list[Problem]:
    """One problem per drug and concept named without one shared approved term."""
    problems = []
    drugs = {drug for drug, _ in uses if drug is not None}
    for drug in sorted(drugs):
        for concept in termbase.concepts:
            found = uses.get((drug, concept.id), []) + uses.get((None, concept.id), [])
            if len(found) < 2 or frozenset.intersection(*(terms for _, terms in found)):
                continue
            # Name the entries by the term they use, the most common term first.
            by_term: dict[str, list[str]] = {}
            for context, terms in found:
                by_term.setdefault(" / ".join(sorted(terms)), []).append(context)
            ranked = sorted(by_term.items(), key=lambda item: -len(item[1]))
            odd_context = ranked[-1][1][0]
            entry = catalog.entries[odd_context]
            listed = "; ".join(
                f"{term!r} in {', '.join(contexts[:3])}{' …' if len(contexts) > 3 else ''}"
                for term, contexts in ranked
            )
            problems.append(
                Problem(
                    catalog.file_of(odd_context),
                    entry.line,
                    odd_context,
                    f"{concept.id!r} is named in more than one way in {drug}'s documents "
                    f"({listed}; expected one approved term shared by all of them)",
                )
            )
    return problems


def language_termbase_problems(
    catalog: LoadedCatalog, messages: Iterable[Message], locales: Path | None = None
) -> list[Problem]:
    """Check ``catalog`` against its language's termbase in the project, if it has one.

    A language without ``locales/<lang>/termbase.tbx`` is not checked; one whose
    file is unsound, or whose concepts differ from the template, reports that.
    """
    locales = locales or locales_dir(RECORDS_DOMAIN)
    path = termbase_path(locales, catalog.lang)
    if not path.exists():
        return []
    try:
        termbase = read_termbase(path, catalog.lang)
        template_file = termbase_path(locales, None)
        template = read_termbase(template_file, None) if template_file.exists() else None
    except InputError as error:
        return error.problems
    problems = template_problems(termbase, template) if template else []
    return problems + termbase_problems(termbase, catalog, messages)
