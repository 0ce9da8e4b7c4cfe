"""A bilingual proof a pharmacist can review and sign: English and translation side by side.

One drug's text in one language (or leaflet's own text in it), in the order the
documents print it: the patient leaflet, then the clinician card, then the
taper handout. Each row holds the English and the translation as printed —
placeholders filled with the record's values, numbers formatted for the
language — the section it prints in, and the catalog entry (``po file:line``)
to change. Required warnings are highlighted. The proof is deterministic: the
same catalogs and records give the same bytes, so ``leaflet i18n review`` can
tell whether the proof a pharmacist signed is the one the catalogs make now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from ..record.errors import Problem
from ..record.model import DrugRecord
from ..render.pdf import Renderer
from ..render.templating import make_environment
from ..translation.catalog_checks import Translator, check_catalog
from ..translation.catalog_loader import LoadedCatalog
from ..translation.catalogs import Message, required_contexts
from ..translation.completeness import entry_gap
from ..translation.languages import SOURCE_LANGUAGE, bcp47, direction, language_name
from ..translation.signoff import OWN_TEXT
from ..translation.termbase import language_termbase_problems
from .checks import coverage_problems
from .marking import marked_texts, render_marked
from .translator_notes import DOCUMENT_NAMES

__all__ = [
    "PROOF_STYLESHEET",
    "Proof",
    "ProofRow",
    "proof_of",
    "proof_pdf",
    "scope_problems",
]

PROOF_TEMPLATE = "proof.html"
PROOF_STYLESHEET = "proof.css"


@dataclass(frozen=True)
class ProofRow:
    """One entry of the proof."""

    number: int
    document: str
    section: str
    english: str
    translation: str
    where: str
    context: str
    required: bool


@dataclass(frozen=True)
class Proof:
    """A proof's rows and its HTML."""

    lang: str
    scope: str
    title: str
    rows: tuple[ProofRow, ...]
    html: str


def _in_scope(context: str, scope: str) -> bool:
    return ":" not in context if scope == OWN_TEXT else context.startswith(f"{scope}:")


def _printed(
    records: Iterable[DrugRecord], lang: str, catalog: LoadedCatalog | None
) -> dict[str, tuple[str, str, str]]:
    """Each entry's first printing: (document, section, text as printed), in print order."""
    found: dict[str, tuple[str, str, str]] = {}
    for record in records:
        for audience in record.documents:
            html_text, order = render_marked(record, audience, lang, catalog)
            for text in marked_texts(html_text, order):
                found.setdefault(text.context, (audience, text.section, text.printed))
    return found


def proof_of(
    records: list[DrugRecord],
    scope: str,
    lang: str,
    catalog: LoadedCatalog,
    messages: list[Message],
) -> Proof:
    """The proof of ``scope`` (a drug id, or ``leaflet``) in ``lang``.

    ``records`` are the records whose documents print the scope's text: the
    drug's own, or every record for leaflet's own text.
    """
    english = _printed(records, SOURCE_LANGUAGE, None)
    translated = _printed(records, lang, catalog)
    required = required_contexts(records)
    wanted = [m for m in messages if _in_scope(m.context, scope)]
    printed = [c for c in english if _in_scope(c, scope)]
    unprinted = [m.context for m in wanted if m.context not in english]
    by_context = {m.context: m for m in wanted}
    rows = []
    for number, context in enumerate([*printed, *unprinted], start=1):
        entry = catalog.entries.get(context)
        message = by_context.get(context)
        if context in english:
            audience, section, shown = english[context]
            document = DOCUMENT_NAMES[audience]
            mine = translated.get(context, ("", "", entry.msgstr if entry else ""))[2]
        else:
            document, section = "not in a standard document", ""
            shown = message.msgid if message else ""
            mine = " / ".join(entry.texts) if entry else ""
        where = f"{PurePath(entry.name).name}:{entry.line}" if entry else "(no entry)"
        rows.append(
            ProofRow(number, document, section, shown, mine, where, context, context in required)
        )
    name = "leaflet's own text" if scope == OWN_TEXT else _drug_name(records, scope)
    title = f"Translation proof: {name}, {language_name(lang)} ({lang})"
    html = _proof_html(title, lang, scope, rows, catalog)
    return Proof(lang, scope, title, tuple(rows), html)


def _drug_name(records: list[DrugRecord], drug: str) -> str:
    return next((r.drug.name for r in records if r.drug.id == drug), drug)


def _proof_html(
    title: str, lang: str, scope: str, rows: list[ProofRow], catalog: LoadedCatalog
) -> str:
    env = make_environment(Translator(SOURCE_LANGUAGE).jinja_translations())
    context: dict[str, Any] = {
        "title": title,
        "lang": lang,
        "lang_tag": bcp47(lang),
        "rtl": direction(lang) == "rtl",
        "scope": scope,
        "rows": rows,
        "files": sorted({p.name for p in catalog.parts if p.metadata is not None}),
        "required": sum(1 for row in rows if row.required),
    }
    return env.get_template(PROOF_TEMPLATE).render(context)


def proof_pdf(proof: Proof, renderer: Renderer | None = None) -> bytes:
    """The proof as a PDF (A4, landscape)."""
    return (renderer or Renderer()).render(proof.html, stylesheet=PROOF_STYLESHEET).data


def scope_problems(
    catalog: LoadedCatalog, scope: str, messages: list[Message], records: list[DrugRecord]
) -> list[Problem]:
    """Everything that keeps ``scope``'s translation from being signed off.

    An entry missing, fuzzy or made from older English; any catalog check that
    fails on one of its entries (placeholders, numbers, length, termbase,
    fonts). A sign-off covers finished work only.
    """
    wanted = [m for m in messages if _in_scope(m.context, scope)]
    problems = []
    for message in wanted:
        entry = catalog.entries.get(message.context)
        reason = entry_gap(entry, message.msgid, message.msgid_plural)
        if reason is not None:
            where = catalog.file_of(message.context)
            problems.append(Problem(where, entry.line if entry else None, message.context, reason))
    contexts = {m.context for m in wanted}
    checked = check_catalog(catalog, messages, records).errors
    checked += language_termbase_problems(catalog, messages)
    checked += coverage_problems(catalog)
    problems += [p for p in checked if p.path in contexts]
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.path, p.message))
