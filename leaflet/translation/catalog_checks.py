"""Translate while rendering, and check catalogs before they reach paper.

:class:`Translator` answers every lookup for one document in one language. It
uses an entry only when it is translated, not fuzzy, and made from the current
English; anything else is a *gap*, remembered with its ``po file:line`` and
msgctxt. A document with gaps is not published (``--draft`` renders it with each
gap marked ``[[…]]`` and a watermark instead). There is never a silent fallback
to English or a stale translation.

:func:`check_catalog` runs the checks translators' tools do not: placeholders
(bare ones only, scanned and never formatted), numbers (none lost, none added,
none glued to a placeholder), text without a word to read, required warnings cut
below their script's length band, untranslated copies, the drug's name, msgids
that differ from the English only in white space, and overlong text.
"""

from __future__ import annotations

import gettext
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import escape

from ..record.characters import invisible_characters_problem, letterless_problem
from ..record.errors import Problem
from ..record.model import DrugRecord
from ..record.placeholders import (
    glued_placeholders,
    placeholder_names,
    placeholder_syntax_problems,
    unglue_placeholders,
    without_placeholders,
)
from .catalog_loader import LoadedCatalog, domain_of
from .catalogs import Message, required_contexts
from .completeness import entry_gap
from .domains import RECORDS_DOMAIN, locales_dir
from .duration_words import doubled_units, duration_placeholders
from .identical import AllowList, read_allow_list
from .languages import (
    PLURAL_RANGE,
    PSEUDO_LOCALE,
    SOURCE_LANGUAGE,
    length_band,
    number_differences,
)

__all__ = [
    "CONNECTING_WORDS",
    "IDENTICAL_MARK",
    "NUMBERS_MARK",
    "PSEUDO_LOCALE",
    "SOURCE_LANGUAGE",
    "CatalogCheck",
    "Gap",
    "TextRules",
    "Translator",
    "check_catalog",
    "pseudo_translate",
]

PSEUDO_EXPANSION = 0.30

_PERCENT = re.compile(r"%\(([a-z_][a-z0-9_]*)\)s")
_BRACE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_ANY_PLACEHOLDER = re.compile(r"%\([a-z_][a-z0-9_]*\)s|\{[a-z_][a-z0-9_]*\}|%%")
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
        catalog = self.catalog
        return [
            Problem(
                catalog.file_of(gap.context) if catalog else self.lang,
                gap.line,
                gap.context,
                gap.reason,
            )
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
    catalog: LoadedCatalog,
    messages: Iterable[Message],
    records: Iterable[DrugRecord],
    allow_list: AllowList | None = None,
) -> CatalogCheck:
    """Check every translated entry of ``catalog`` against its current English.

    ``allow_list`` names entries and words meant to stay identical to the
    English; by default the project's allow-list files are read.
    """
    result = CatalogCheck()
    names = {r.drug.id: r for r in records}
    required = required_contexts(names.values())
    if allow_list is None:
        allow_list = read_allow_list(locales_dir(RECORDS_DOMAIN), catalog.lang)
    allowed = set(ALLOWED_IDENTICAL) | allow_list.words
    durations = duration_placeholders(names.values())
    for record in names.values():
        allowed.update([record.drug.name, record.drug.inn])
        allowed.update(brand for p in record.products for brand in p.brands)
        allowed.update(r.id for r in record.references)
    for message in messages:
        entry = catalog.entries.get(message.context)
        if entry is None or not entry.translated or entry.fuzzy:
            continue
        where = catalog.file_of(message.context)
        if (entry.msgid, entry.msgid_plural) != (message.msgid, message.msgid_plural):
            spaces = _spaces_only_problem(entry.msgid, entry.msgid_plural, message)
            if spaces:
                result.errors.append(Problem(where, entry.line, message.context, spaces))
            continue
        english = message.english[-1]
        rules = TextRules(
            lang=catalog.lang,
            allowed=allowed,
            comment=entry.comment,
            # Jinja2's new-style gettext %-formats every template message, even one
            # without placeholders: there a lone % would stop the build.
            formatted=any(path.endswith(".html") for path, _ in message.locations),
            required=message.context in required,
            identical=allow_list.allows_entry(message.context),
        )
        for index, target in enumerate(entry.texts):
            found = _text_problems(english, target, rules)
            # A plural form used for one number only may say it in words, as the English
            # singular does ("einmal täglich" for "once a day", Arabic "أسبوعين", two weeks).
            single = _only_number(catalog, index) if message.msgid_plural is not None else None
            if found and single is not None:
                words = _in_words(message, single)
                found = found if _text_problems(words, target, rules) else []
            found.extend(
                doubled_units(catalog, message.context, target, durations.get(message.context, {}))
            )
            for text in found:
                result.errors.append(Problem(where, entry.line, message.context, text))
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
                        where,
                        entry.line,
                        message.context,
                        f"the drug's name is missing (expected {local_name!r} where the English "
                        f"says {owner.drug.name!r})",
                    )
                )
        # Headings are exempt: the EU QRD headings are fixed wording, often far longer
        # than the English (French section 4: 49 vs 24 characters); preflight still
        # judges on paper whatever a heading's length does to the page.
        long_text = len(target) > 2 * len(english) and len(english) >= 20
        if long_text and not message.context.endswith(".heading"):
            result.warnings.append(
                Problem(
                    where,
                    entry.line,
                    message.context,
                    f"translation is more than twice as long as the English ({len(target)} vs "
                    f"{len(english)} characters); check it still fits the page",
                )
            )
    return result


def _spaces_only_problem(msgid: str, plural: str | None, message: Message) -> str | None:
    """Say so when an entry's msgid differs from the English only in white space.

    Such an entry is never printed (the build matches the English exactly), yet
    no tool shows the difference: a line break typed after the text, a space before it.
    """

    def squeeze(text: str | None) -> str:
        return " ".join((text or "").split())

    if (squeeze(msgid), squeeze(plural)) != (squeeze(message.msgid), squeeze(message.msgid_plural)):
        return None
    return (
        "msgid differs from the English only in spaces or line breaks (expected exactly "
        f"{_clip(message.msgid)}, got {_clip(msgid)}; copy the msgid from "
        f"locales/{domain_of(message.context)}.pot)"
    )


#: A translator comment starting with this marks a translation that is rightly the
#: same as the English (a word both languages share), e.g. "# identical: same word".
IDENTICAL_MARK = "identical:"

#: A translator comment starting with this marks a translation that rightly writes a
#: number the English spells as a word ("once a day": Chinese 每日1次). Never honoured
#: in a required warning, whose numbers must be exactly the English's.
NUMBERS_MARK = "numbers:"


@dataclass(frozen=True)
class TextRules:
    """What the checks of one translated text depend on besides the two texts."""

    lang: str
    allowed: set[str] = field(default_factory=set)
    comment: str = ""
    #: The text is %-formatted when printed (a template message).
    formatted: bool = False
    #: The text is a required warning.
    required: bool = False
    #: The allow-list lets this entry equal its English.
    identical: bool = False


def _only_number(catalog: LoadedCatalog, index: int) -> int | None:
    """The one number the language uses plural form ``index`` for, or None."""
    numbers = [n for n in PLURAL_RANGE if catalog.plural_index(n) == index]
    return numbers[0] if len(numbers) == 1 else None


def _in_words(message: Message, number: int) -> str:
    """The English of a plural message with the placeholders ``number`` settles left out.

    The count is ``number`` itself: {count}, or a range's upper end {high}. A range's
    lower end {low} is settled only when {high} is 2: it is then 1 (a duration range
    runs from 1 upwards, lower end first), as in Arabic "أسبوع إلى أسبوعين".
    """
    english = message.msgid if number == 1 else (message.msgid_plural or message.msgid)
    settled = ["count", "high", *(["low"] if number == 2 else [])]
    for name in settled:
        english = english.replace("{" + name + "}", "")
    return english


def _text_problems(source: str, target: str, rules: TextRules) -> list[str]:
    """Return what is wrong with one translated text against its English."""
    found: list[str] = []
    invisible = invisible_characters_problem(target)
    if invisible:
        found.append(invisible)
    letterless = letterless_problem(without_placeholders(target))
    if letterless and _needs_letters(source):
        found.append(letterless)
    # A placeholder with a format spec still counts as itself here: it gets its own message.
    wanted, got_names = placeholder_names(source), placeholder_names(target)
    for style, want_names, have_names in zip(
        ("%(name)s", "{name}"), wanted, got_names, strict=True
    ):
        want, got = sorted(want_names), sorted(have_names)
        if want != got:
            found.append(
                f"placeholders differ (expected {_show(want, style)}, got {_show(got, style)}; "
                "copy each placeholder exactly as in the English)"
            )
    formatted = rules.formatted or bool(_PERCENT.search(source)) or "%%" in source
    found += placeholder_syntax_problems(target, formatted)
    found += _number_problems(source, target, rules)
    if rules.required and letterless is None:
        short = _length_problem(source, target, rules.lang)
        if short:
            found.append(short)
    same_word = (
        rules.identical
        or _marked(rules.comment, IDENTICAL_MARK)
        or _only_allowed(source, rules.allowed)
    )
    if target == source and not same_word:
        found.append(
            "translation is identical to the English (expected a translation; if the word "
            f"is the same in your language, add the translator comment '# {IDENTICAL_MARK} …' or "
            "list its msgctxt in locales/<lang>/identical.txt)"
        )
    return found


def _marked(comment: str, mark: str) -> bool:
    return any(line.strip().startswith(mark) for line in comment.splitlines())


def _show(names: list[str], style: str) -> str:
    if not names:
        return "none"
    return ", ".join(style.replace("name", n) for n in names)


def _listed(items: list[str], limit: int = 5) -> str:
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def _clip(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _number_problems(source: str, target: str, rules: TextRules) -> list[str]:
    found: list[str] = []
    glued = glued_placeholders(target) - glued_placeholders(source)
    if glued:
        shown = _listed([_clip(g, 30) for g in sorted(glued)])
        found.append(
            "a digit touches a placeholder (expected the placeholder apart from digits, as in "
            f"the English, got {shown}; the placeholder is filled with a number written for "
            "your language)"
        )
        target = unglue_placeholders(target)
    missing, added = number_differences(
        without_placeholders(source, " "), without_placeholders(target, " ")
    )
    if missing:  # a changed number gets one message: the English number that is gone
        found.append(
            f"number(s) {_listed(missing)} from the English are missing (expected every "
            "number of the English in the translation)"
        )
        return found
    if added and rules.required:
        found.append(
            f"number(s) {_listed(added)} are not in the English (expected exactly the "
            "numbers of the English in a required warning: remove them, or write the word "
            "as the English does)"
        )
    elif added and not _marked(rules.comment, NUMBERS_MARK):
        found.append(
            f"number(s) {_listed(added)} are not in the English (expected only the numbers "
            "of the English; if your language writes a word of the English as a digit, say so "
            f"in a translator comment '# {NUMBERS_MARK} …')"
        )
    return found


def _printed_length(text: str) -> int:
    """Letters, marks and digits of ``text`` outside placeholders: what a reader reads."""
    return sum(1 for c in without_placeholders(text) if unicodedata.category(c)[0] in "LMN")


def _length_problem(source: str, target: str, lang: str) -> str | None:
    """Say so when a required warning's translation is implausibly short for its script."""
    band, script = length_band(lang)
    english, translated = _printed_length(source), _printed_length(target)
    least = math.ceil(band * english)
    if translated >= least:
        return None
    return (
        f"a required warning translated implausibly short (expected at least {least} letters "
        f"and digits in {script} script, {band:.0%} of the English's {english}, got {translated}; "
        "translate the whole warning, cut nothing)"
    )


#: English words a pattern may render as a sign: "%(drug)s is %(class)s." is Russian
#: "%(drug)s — %(class)s.", "{amount} in {volume}" Vietnamese "{amount}/{volume}".
CONNECTING_WORDS = frozenset(
    {"a", "an", "and", "are", "at", "by", "for", "from", "in", "is", "of", "on", "or", "per"}
    | {"the", "to", "vs", "with"}
)


def _needs_letters(source: str) -> bool:
    """True when a translation of ``source`` must hold a word of its own.

    Prose does; so does a pattern with any word besides connecting ones ("Day
    {day}", "{count} tablets"): printed without it, the value stands unexplained.
    """
    words = _LETTERS.findall(without_placeholders(source, " "))
    return any(word.lower() not in CONNECTING_WORDS for word in words)


def _only_allowed(text: str, allowed: set[str]) -> bool:
    rest = _ANY_PLACEHOLDER.sub(" ", text)
    for word in sorted(allowed, key=len, reverse=True):
        rest = rest.replace(word, " ")
    return not _LETTERS.search(rest)
