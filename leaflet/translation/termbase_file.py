"""Read a termbase: TBX (``martif``) files of concepts, English words and a language's terms.

The rules a termbase enforces are :mod:`leaflet.translation.termbase`'s; this
module only reads the files, with the line of every concept and term, and
compares a language's concepts with the English template's.
"""

from __future__ import annotations

import functools
import io
import unicodedata
import xml.sax
import xml.sax.handler
import xml.sax.xmlreader
from dataclasses import dataclass, field
from pathlib import Path

from ..record.errors import InputError, Problem
from ..record.reading import decode_text, display_path, read_input
from .languages import bcp47

__all__ = [
    "APPROVED_STATUSES",
    "FORBIDDEN_STATUS",
    "PREFERRED_STATUS",
    "TEMPLATE_NAME",
    "Concept",
    "Term",
    "Termbase",
    "read_termbase",
    "template_problems",
    "termbase_path",
]

#: The template of every language's termbase: the concepts and their English.
TEMPLATE_NAME = "termbase.tbx"
PREFERRED_STATUS = "preferredTerm-admn-sts"
APPROVED_STATUSES = (PREFERRED_STATUS, "admittedTerm-admn-sts")
#: Weblate marks a glossary term with this status "forbidden" on import.
FORBIDDEN_STATUS = "forbidden"
MAX_TERMBASE_BYTES = 2_000_000


@dataclass(frozen=True)
class Term:
    """One term of a language, with its status and the line that gives it."""

    text: str
    status: str
    line: int

    @property
    def approved(self) -> bool:
        """True for the preferred and admitted terms."""
        return self.status in APPROVED_STATUSES

    @functools.cached_property
    def folded(self) -> str:
        """The term as translations are compared with it: NFC, case folded."""
        return unicodedata.normalize("NFC", self.text).casefold()


@dataclass
class Concept:
    """One clinical concept: the English words that name it and a language's terms."""

    id: str
    line: int
    english: list[str] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)

    @property
    def approved(self) -> list[Term]:
        """The terms a translation may use for the concept."""
        return [t for t in self.terms if t.approved]

    @property
    def forbidden(self) -> list[Term]:
        """The terms no translation may use."""
        return [t for t in self.terms if t.status == FORBIDDEN_STATUS]


@dataclass(frozen=True)
class Termbase:
    """A language's termbase file: its concepts in file order."""

    lang: str | None
    name: str
    concepts: tuple[Concept, ...]


def termbase_path(locales: Path, lang: str | None) -> Path:
    """Where a language's termbase lives (``lang`` None: the English template)."""
    return locales / TEMPLATE_NAME if lang is None else locales / lang / TEMPLATE_NAME


def _tag(lang: str) -> str:
    """A language code as a comparable BCP 47 tag: ``pt_BR`` and ``pt-br`` are ``pt-br``."""
    return bcp47(lang).casefold()


class _Reader(xml.sax.handler.ContentHandler):
    """Collect concepts, terms and problems from a TBX file, with line numbers."""

    def __init__(self, name: str, lang: str | None) -> None:
        super().__init__()
        self.name, self.lang = name, lang
        self.concepts: list[Concept] = []
        self.problems: list[Problem] = []
        self._concept: Concept | None = None
        self._lang_set: str | None = None
        self._term: list[str] | None = None
        self._note: list[str] | None = None
        self._term_line = 0
        self._pending: tuple[str, int] | None = None
        self._where: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:
        self._where = locator

    def _line(self) -> int:
        return (self._where.getLineNumber() or 0) if self._where else 0

    def _problem(self, path: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.name, line or self._line(), path, message))

    def startElement(self, name: str, attrs: xml.sax.xmlreader.AttributesImpl) -> None:
        if name == "termEntry":
            concept_id = attrs.get("id", "")
            if not concept_id:
                self._problem("termEntry", 'a termEntry without an id (expected id="concept")')
            self._concept = Concept(concept_id, self._line())
        elif name == "langSet":
            self._lang_set = attrs.get("xml:lang", "")
        elif name == "tig":
            self._pending = None
        elif name == "term":
            self._term, self._term_line = [], self._line()
        elif name == "termNote" and attrs.get("type") == "administrativeStatus":
            self._note = []

    def characters(self, content: str) -> None:
        if self._term is not None:
            self._term.append(content)
        elif self._note is not None:
            self._note.append(content)

    def endElement(self, name: str) -> None:
        concept = self._concept
        if name == "term" and self._term is not None:
            self._pending = (
                unicodedata.normalize("NFC", "".join(self._term).strip()),
                self._term_line,
            )
            self._term = None
            if concept is not None and self._lang_set == "en":
                concept.english.append(self._pending[0])
        elif name == "termNote" and self._note is not None:
            status = "".join(self._note).strip()
            self._note = None
            if self._pending is not None and concept is not None and self._lang_set != "en":
                self._add_term(concept, status)
        elif name == "tig":
            if self._pending is not None and concept is not None and self._lang_set != "en":
                self._add_term(concept, None)
            self._pending = None
        elif name == "langSet":
            self._lang_set = None
        elif name == "termEntry" and concept is not None:
            self.concepts.append(concept)
            self._concept = None

    def _add_term(self, concept: Concept, status: str | None) -> None:
        assert self._pending is not None
        text, line = self._pending
        self._pending = None
        where = f"{concept.id}.{self._lang_set}"
        if self.lang is not None and _tag(self._lang_set or "") != _tag(self.lang):
            self._problem(
                where,
                f"a term for language {self._lang_set!r} in the termbase of {self.lang!r} "
                f'(expected xml:lang="{bcp47(self.lang)}")',
                line,
            )
            return
        allowed = (*APPROVED_STATUSES, FORBIDDEN_STATUS)
        if status not in allowed:
            self._problem(
                where,
                f"term {text!r} has administrativeStatus {status!r} (expected one of: "
                f"{', '.join(allowed)})",
                line,
            )
            return
        if not text:
            self._problem(where, "an empty term (expected the term's text)", line)
            return
        concept.terms.append(Term(text, status, line))


def read_termbase(path: Path, lang: str | None) -> Termbase:
    """Read a termbase (``lang`` None: the English template); raise InputError if unsound."""
    name = display_path(path)
    text = decode_text(
        read_input(path, name, MAX_TERMBASE_BYTES, "a TBX termbase"), name, "a TBX file"
    )
    reader = _Reader(name, lang)
    parser = xml.sax.make_parser()
    # No external entity or DTD is ever fetched: the file stands alone.
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setFeature(xml.sax.handler.feature_external_pes, False)
    parser.setContentHandler(reader)
    try:
        parser.parse(io.BytesIO(text.encode("utf-8")))
    except xml.sax.SAXParseException as error:
        raise InputError(
            [Problem(name, error.getLineNumber(), "", f"not well-formed TBX: {error.getMessage()}")]
        ) from None
    problems = reader.problems
    seen: set[str] = set()
    for concept in reader.concepts:
        if concept.id in seen:
            problems.append(Problem(name, concept.line, concept.id, "concept id used twice"))
        seen.add(concept.id)
        if not concept.english:
            problems.append(
                Problem(
                    name,
                    concept.line,
                    concept.id,
                    'no English term (expected a langSet xml:lang="en")',
                )
            )
        if lang is None:
            continue
        preferred = [t for t in concept.terms if t.status == PREFERRED_STATUS]
        if len(preferred) != 1:
            problems.append(
                Problem(
                    name,
                    concept.line,
                    concept.id,
                    f"{len(preferred)} preferred terms (expected exactly one term with "
                    f"{PREFERRED_STATUS})",
                )
            )
    if problems:
        raise InputError(problems)
    return Termbase(lang, name, tuple(reader.concepts))


def template_problems(termbase: Termbase, template: Termbase) -> list[Problem]:
    """Every concept that differs from the template's (missing, extra, other English)."""
    problems = []
    mine = {c.id: c for c in termbase.concepts}
    for concept in template.concepts:
        found = mine.get(concept.id)
        if found is None:
            problems.append(
                Problem(
                    termbase.name,
                    None,
                    concept.id,
                    f"concept missing (expected every concept of {template.name}: copy its "
                    "termEntry and add your terms)",
                )
            )
        elif found.english != concept.english:
            problems.append(
                Problem(
                    termbase.name,
                    found.line,
                    concept.id,
                    f"English terms {found.english} differ from {template.name}'s "
                    f"{concept.english} (expected the template's English)",
                )
            )
    known = {c.id for c in template.concepts}
    for concept in termbase.concepts:
        if concept.id not in known:
            problems.append(
                Problem(
                    termbase.name,
                    concept.line,
                    concept.id,
                    f"concept not in {template.name} (expected the template's concepts: add it "
                    "there first)",
                )
            )
    return problems
