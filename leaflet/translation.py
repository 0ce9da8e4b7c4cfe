"""Translate while rendering, and check catalogs before they reach paper.

:class:`Translator` answers every lookup for one document in one language. It
uses an entry only when it is translated, not fuzzy, and made from the current
English; anything else is a *gap*, remembered with its ``po file:line`` and
msgctxt. A document with gaps is not published (``--draft`` renders it with each
gap marked ``[[…]]`` and a watermark instead). There is never a silent fallback
to English or a stale translation.

:func:`check_catalog` runs the checks translators' tools do not: placeholders,
numbers, untranslated copies, the drug's name, and length.
"""

from __future__ import annotations

import gettext
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from markupsafe import escape

from .catalog_loader import LoadedCatalog
from .catalogs import Message
from .characters import invisible_characters_problem
from .completeness import entry_gap
from .errors import Problem
from .languages import PSEUDO_LOCALE, SOURCE_LANGUAGE
from .model import DrugRecord

__all__ = [
    "PSEUDO_LOCALE",
    "SOURCE_LANGUAGE",
    "CatalogCheck",
    "Gap",
    "Translator",
    "check_catalog",
    "pseudo_translate",
]

PSEUDO_EXPANSION = 0.30

_PERCENT = re.compile(r"%\(([a-z_][a-z0-9_]*)\)s")
_BRACE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_ANY_PLACEHOLDER = re.compile(r"%\([a-z_][a-z0-9_]*\)s|\{[a-z_][a-z0-9_]*\}|%%")
_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_NUMBER = re.compile(f"[{_DIGIT}]+(?:[.,\u00a0\u202f\u066b\u066c ][{_DIGIT}]+)*")
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_LETTERS = re.compile(r"[^\W\d_]+")

#: Words that are the same in every language (checked case-sensitively).
ALLOWED_IDENTICAL = {"ATC", "mg", "mcg", "mL", "MS", "FDA", "CNS", "NSAIDs", "MAOIs", "T-6", "IV"}


@dataclass(frozen=True)
class Gap:
    """A message a document needed that the catalog could not supply."""

    context: str
    reason: str
    line: int | None


@dataclass
class Translator:
    """Looks up translations for one language, remembering every gap."""

    lang: str
    catalog: LoadedCatalog | None = None
    draft: bool = False
    gaps: dict[str, Gap] = field(default_factory=dict)
    #: Every msgctxt looked up: the catalog entries a document depends on.
    used: set[str] = field(default_factory=set)

    @property
    def is_source(self) -> bool:
        """True for English, which needs no catalog."""
        return self.lang == SOURCE_LANGUAGE

    def __call__(self, context: str, msgid: str) -> str:
        """Return the translation of ``msgid`` (identified by ``context``)."""
        return self._lookup(context, msgid, None, 1)

    def plural(self, context: str, singular: str, plural: str, count: int) -> str:
        """Return the form of a plural message that the language uses for ``count``."""
        return self._lookup(context, singular, plural, count)

    def _lookup(self, context: str, msgid: str, msgid_plural: str | None, count: int) -> str:
        english = msgid if msgid_plural is None or count == 1 else msgid_plural
        self.used.add(context)
        if self.is_source:
            return english
        if self.lang == PSEUDO_LOCALE:
            return pseudo_translate(english)
        entry = self.catalog.entries.get(context) if self.catalog else None
        reason = entry_gap(entry, msgid, msgid_plural)
        if reason is None:
            assert entry is not None and self.catalog is not None
            if msgid_plural is None:
                return entry.msgstr
            return entry.forms[self.catalog.plural_index(count)]
        self.gaps.setdefault(context, Gap(context, reason, entry.line if entry else None))
        return f"[[{english}]]" if self.draft else english

    def problems(self) -> list[Problem]:
        """Return one problem per gap, pointing at the catalog entry."""
        name = self.catalog.name if self.catalog else self.lang
        return [
            Problem(name, gap.line, gap.context, gap.reason)
            for gap in sorted(self.gaps.values(), key=lambda g: (g.line or 0, g.context))
        ]

    def jinja_translations(self) -> gettext.NullTranslations:
        """Return a translations object for Jinja2 whose results are HTML-escaped.

        Jinja2's new-style gettext marks every translation safe; escaping here
        keeps markup typed into a msgstr printed literally.
        """
        translator = self

        class _Escaped(gettext.NullTranslations):
            def gettext(self, message: str) -> str:
                return str(escape(translator("", message)))

            def pgettext(self, context: str, message: str) -> str:
                return str(escape(translator(context, message)))

            def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
                return str(escape(translator.plural(context, singular, plural, n)))

        return _Escaped()


def pseudo_translate(text: str) -> str:
    """Accent, bracket and lengthen ``text``, keeping placeholders and numbers intact.

    A pattern of only placeholders and punctuation ("%(term)s:") has no words to
    lengthen and is kept as it is.
    """
    if not _LETTERS.search(_ANY_PLACEHOLDER.sub("", text)):
        return text
    accents = str.maketrans("aeiouyAEIOUYcnCN", "áéíóúýÁÉÍÓÚÝçñÇÑ")
    parts = _ANY_PLACEHOLDER.split(text)
    keep = _ANY_PLACEHOLDER.findall(text)
    out = "".join(
        part.translate(accents) + (keep[i] if i < len(keep) else "") for i, part in enumerate(parts)
    )
    pad = math.ceil(len(text) * PSEUDO_EXPANSION)
    filler = " ".join(["ẋẋẋẋẋ"] * (pad // 6 + (1 if pad % 6 else 0))) if pad else ""
    return f"[{out} {filler}]" if filler else f"[{out}]"


@dataclass
class CatalogCheck:
    """What checking one catalog found: errors block a build, warnings do not."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def check_catalog(
    catalog: LoadedCatalog, messages: Iterable[Message], records: Iterable[DrugRecord]
) -> CatalogCheck:
    """Check every translated entry of ``catalog`` against its current English."""
    result = CatalogCheck()
    names = {r.drug.id: r for r in records}
    allowed = set(ALLOWED_IDENTICAL)
    for record in names.values():
        allowed.update([record.drug.name, record.drug.inn])
        allowed.update(brand for p in record.products for brand in p.brands)
        allowed.update(r.id for r in record.references)
    for message in messages:
        entry = catalog.entries.get(message.context)
        if (
            entry is None
            or not entry.translated
            or entry.fuzzy
            or (entry.msgid, entry.msgid_plural) != (message.msgid, message.msgid_plural)
        ):
            continue
        english = message.english[-1]
        # Jinja2's new-style gettext %-formats every template message, even one
        # without placeholders: there a lone % would stop the build.
        in_template = any(path.endswith(".html") for path, _ in message.locations)
        for target in entry.texts:
            for text in _text_problems(
                english, target, catalog.lang, allowed, entry.comment, in_template
            ):
                result.errors.append(Problem(catalog.name, entry.line, message.context, text))
        target = entry.texts[0]
        drug_id = message.context.split(":", 1)[0] if ":" in message.context else None
        owner = names.get(drug_id or "")
        if owner is not None:
            english_name = owner.drug.name.lower()
            local = catalog.entries.get(f"{owner.drug.id}:drug.name")
            local_name = (local.msgstr if local and local.msgstr else owner.drug.name).lower()
            if english_name in english.lower() and local_name not in target.lower():
                result.errors.append(
                    Problem(
                        catalog.name,
                        entry.line,
                        message.context,
                        f"the drug's name is missing (expected {local_name!r} where the English "
                        f"says {owner.drug.name!r})",
                    )
                )
        if len(target) > 2 * len(english) and len(english) >= 20:
            result.warnings.append(
                Problem(
                    catalog.name,
                    entry.line,
                    message.context,
                    f"translation is more than twice as long as the English ({len(target)} vs "
                    f"{len(english)} characters); check it still fits the page",
                )
            )
    return result


#: A translator comment starting with this marks a translation that is rightly the
#: same as the English (a word both languages share), e.g. "# identical: same word".
IDENTICAL_MARK = "identical:"


def _text_problems(
    source: str, target: str, lang: str, allowed: set[str], comment: str, in_template: bool
) -> list[str]:
    """Return what is wrong with one translated text against its English."""
    found: list[str] = []
    invisible = invisible_characters_problem(target)
    if invisible:
        found.append(invisible)
    for pattern, style in ((_PERCENT, "%(name)s"), (_BRACE, "{name}")):
        want, got = sorted(set(pattern.findall(source))), sorted(set(pattern.findall(target)))
        if want != got:
            found.append(
                f"placeholders differ (expected {_show(want, style)}, got {_show(got, style)}; "
                "copy each placeholder exactly as in the English)"
            )
    if in_template or _PERCENT.search(source) or "%%" in source:
        try:
            target % {name: "" for name in _PERCENT.findall(target)}
        except (ValueError, TypeError, KeyError):
            found.append("a lone % sign (expected %% for a literal percent sign)")
    if _BRACE.search(source) or "{" in target or "}" in target:
        try:
            target.format(**{name: "" for name in _BRACE.findall(target)})
        except (ValueError, KeyError, IndexError):
            found.append("unbalanced braces (expected {name} placeholders only)")
    missing = _missing_numbers(source, target, lang)
    if missing:
        found.append(
            f"number(s) {', '.join(missing)} from the English are missing (expected every "
            "number of the English in the translation)"
        )
    same_word = any(line.strip().startswith(IDENTICAL_MARK) for line in comment.splitlines())
    if target == source and not same_word and not _only_allowed(source, allowed):
        found.append(
            "translation is identical to the English (expected a translation; if the word is "
            f"the same in your language, add the translator comment '# {IDENTICAL_MARK} …')"
        )
    return found


def _show(names: list[str], style: str) -> str:
    if not names:
        return "none"
    return ", ".join(style.replace("name", n) for n in names)


def _numbers(text: str, lang: str) -> list[Decimal]:
    bare = _ANY_PLACEHOLDER.sub(" ", text)
    found: list[Decimal] = []
    for token in _NUMBER.findall(bare):
        token = token.translate(_ARABIC_DIGITS).strip()
        try:
            found.append(parse_decimal(token, locale=_number_locale(lang), strict=False))
        except (NumberFormatError, InvalidOperation, ValueError):
            found.extend(Decimal(part) for part in re.findall(r"\d+", token))
    return found


def _number_locale(lang: str) -> str:
    return "en" if lang == PSEUDO_LOCALE else lang


def _missing_numbers(source: str, target: str, lang: str) -> list[str]:
    wanted = _numbers(source, "en")
    have = _numbers(target, lang)
    # Also accept the English reading of each token (e.g. "1.000" may be 1000 or 1).
    have += _numbers(target, "en")
    missing = []
    for number in wanted:
        if number in have:
            have.remove(number)
        else:
            missing.append(str(number))
    return missing


def _only_allowed(text: str, allowed: set[str]) -> bool:
    rest = _ANY_PLACEHOLDER.sub(" ", text)
    for word in sorted(allowed, key=len, reverse=True):
        rest = rest.replace(word, " ")
    return not _LETTERS.search(rest)
