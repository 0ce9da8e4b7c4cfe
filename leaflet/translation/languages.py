"""Language codes: the source language, the pseudo-locale, and how each is written.

Catalogs are named with gettext/CLDR codes (``pt_BR``, ``zh_Hans``); PDFs and
HTML carry BCP 47 tags (``pt-BR``, ``zh-Hans``); Babel formats numbers and dates.
Babel's CLDR data also says which script a language is written in and which
plural forms its whole numbers take. Numbers are read back from text in any
script and with either decimal sign, to compare a translation with its English.
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale
from babel.messages.plurals import get_plural
from babel.plural import _GettextCompiler, _plural_tags

__all__ = [
    "LENGTH_BANDS",
    "PLURAL_RANGE",
    "PSEUDO_LOCALE",
    "SOURCE_LANGUAGE",
    "UNMEASURED_BAND",
    "babel_locale",
    "bcp47",
    "direction",
    "is_source_language",
    "language_name",
    "length_band",
    "number_differences",
    "own_name",
    "plural_forms_header",
    "plural_forms_problem",
    "script_of",
    "shown_number",
]

SOURCE_LANGUAGE = "en"
#: A pseudo-locale: accented, bracketed, about 30 % longer (the +30 % target for body
#: text in docs/translators.md), to prove layouts have room.
PSEUDO_LOCALE = "en_XA"

#: The whole numbers a catalog's plural rule is compared with CLDR on. Leaflets count
#: tablets, doses, days, weeks and mL, all far below 1000; above it French, Spanish,
#: Italian and Portuguese gain CLDR's "many" form for exact millions, which no gettext
#: catalog of those languages has.
PLURAL_RANGE = range(1000)


def babel_locale(lang: str) -> str:
    """Return the locale Babel formats ``lang``'s numbers and dates with."""
    return SOURCE_LANGUAGE if lang == PSEUDO_LOCALE else lang


def bcp47(lang: str) -> str:
    """Return the BCP 47 language tag for a catalog code: ``zh_Hans`` -> ``zh-Hans``."""
    return lang.replace("_", "-")


def direction(lang: str) -> str:
    """Return ``rtl`` for right-to-left scripts, else ``ltr``."""
    order = Locale.parse(babel_locale(lang)).character_order
    return "rtl" if order == "right-to-left" else "ltr"


def own_name(lang: str) -> str:
    """Return the language's name in itself, e.g. ``Deutsch`` (pseudo: a fixed label)."""
    if lang == PSEUDO_LOCALE:
        return "Pseudo-locale"
    locale = Locale.parse(lang)
    name = locale.get_display_name(locale) or lang
    return name[:1].upper() + name[1:]


def language_name(lang: str) -> str:
    """The language's name in English ("Spanish (United States)"), for reviewers and headers."""
    try:
        return Locale.parse(lang).get_display_name(SOURCE_LANGUAGE) or lang
    except (UnknownLocaleError, ValueError):
        return lang


def is_source_language(code: str) -> bool:
    """True when ``code`` is some spelling of the source language or the pseudo-locale.

    ``en``, ``EN``, ``en-US``, ``en_Latn_US`` and ``und`` (which CLDR resolves to
    US English) all name the English the records are written in: a catalog for
    them would put a second English beside the source. Other English variants
    (``en_GB``, ``en_AU``) are real translations of US English and stay allowed.
    """
    if code.replace("-", "_").lower() == PSEUDO_LOCALE.lower():
        return True
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return locale.language == SOURCE_LANGUAGE and locale.territory in (None, "US")


def script_of(lang: str) -> str:
    """Return the ISO 15924 code of the script ``lang`` is written in: Latn, Cyrl, Arab, Hans …

    From the locale code when it names one (``zh_Hans``, ``sr_Latn``), else from
    CLDR's likely subtags (``ru`` -> ``ru_Cyrl_RU``); ``Zyyy`` (undetermined) when
    CLDR does not know.
    """
    locale = Locale.parse(babel_locale(lang))
    if locale.script:
        return str(locale.script)
    likely = get_global("likely_subtags")
    for key in (str(locale), locale.language):
        if key in likely:
            # parse_locale keeps the script that Locale.parse drops for "ru_Cyrl_RU".
            return parse_locale(likely[key])[2] or "Zyyy"
    return "Zyyy"


def _cldr_classes(lang: str) -> dict[str, frozenset[int]]:
    """CLDR's plural categories of the whole numbers in :data:`PLURAL_RANGE`, in CLDR order."""
    rule = Locale.parse(lang).plural_form
    found: dict[str, set[int]] = {}
    for n in PLURAL_RANGE:
        found.setdefault(rule(n), set()).add(n)
    return {tag: frozenset(found[tag]) for tag in _plural_tags if tag in found}


def _partition(choose: Callable[[int], int]) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for n in PLURAL_RANGE:
        groups.setdefault(choose(n), set()).add(n)
    return {frozenset(group) for group in groups.values()}


class _WholeNumberCompiler(_GettextCompiler):
    """Babel's gettext compiler, for whole numbers: no exponent (e) and no compact form (c).

    Babel's public ``to_gettext`` leaves ``e`` in the expression, which gettext
    cannot evaluate; the compiler it uses is private, so Babel stays pinned and
    tests/test_catalog_rules.py checks the result for every language Babel knows.
    """

    compile_e = _GettextCompiler.compile_v
    compile_c = _GettextCompiler.compile_v


@functools.cache
def plural_forms_header(lang: str) -> str:
    """Return the Plural-Forms header for ``lang`` that agrees with CLDR.

    E.g. ``nplurals=2; plural=(n != 1);`` for German. It is Babel's gettext
    table when that groups whole numbers as CLDR does (it keeps the order of
    forms translators know); otherwise one form per CLDR category the whole
    numbers use, in CLDR's order (zero, one, two, few, many, other).
    """
    classes = _cldr_classes(lang)
    known = get_plural(lang)
    groups = _partition(gettext.c2py(known.plural_expr))
    if known.num_plurals == len(classes) and groups == set(classes.values()):
        return f"nplurals={known.num_plurals}; plural={known.plural_expr};"
    tags = list(classes)
    rule = Locale.parse(lang).plural_form
    compile_: Callable[[Any], str] = _WholeNumberCompiler().compile
    conditions = [
        f"{compile_(ast)} ? {tags.index(tag)} : "
        for tag, ast in rule.abstract
        if tag in tags and tag != tags[-1]
    ]
    return f"nplurals={len(tags)}; plural=({''.join(conditions)}{len(tags) - 1});"


def plural_forms_problem(
    lang: str, header: str, nplurals: int, choose: Callable[[int], int]
) -> str | None:
    """Say how a catalog's plural rule disagrees with CLDR for ``lang``, or return None.

    The rule must give whole numbers exactly as many forms as CLDR has categories
    for them, and group them the same way: German "nplurals=1" would print
    "1 Tabletten"; "nplurals=3" would ask translators for a form never printed.
    """
    classes = _cldr_classes(lang)
    if nplurals == len(classes) and _partition(choose) == set(classes.values()):
        return None
    name = Locale.parse(lang).get_display_name(SOURCE_LANGUAGE)
    return (
        f"Plural-Forms does not match {name} plural rules in CLDR (expected "
        f"'{plural_forms_header(lang)}', {len(classes)} form(s) for whole numbers: "
        f"{', '.join(classes)}; got {header.strip()!r}; copy the expected header)"
    )


#: Lowest plausible length of a required warning's translation, as a share of the
#: English, counted in letters, marks and digits (placeholders, spaces and punctuation
#: left out), by the script the language is written in (:func:`script_of`). Measured
#: on the catalogs of December 2026 (22 required warnings each), smallest and median
#: ratio: Latin fr 0.60 ("Mal toléré." for "Poorly tolerated.") and 1.21, vi 0.67 and
#: 0.98, de 0.85, pt_BR 0.87, es 0.93; Cyrillic ru 0.85 and 1.23; Arabic ar 0.50 and
#: 0.84; Han zh_Hans 0.25 and 0.33. Each band sits about a third below the smallest
#: ratio of its script; a stub ("Baclofen." for a 250-letter warning, 0.03) is far
#: below every band. docs/translators.md lists the same figures.
LENGTH_BANDS = {"Latn": 0.40, "Cyrl": 0.40, "Arab": 0.33, "Hans": 0.15}
#: A script no catalog has measured yet gets the lowest band, until one does.
UNMEASURED_BAND = 0.15


def length_band(lang: str) -> tuple[float, str]:
    """Return the length band of ``lang``'s script and the script's English name."""
    script = script_of(lang)
    name = str(Locale.parse(SOURCE_LANGUAGE).scripts.get(script, script))
    if script in ("Hans", "Hant"):  # CLDR calls them just "Simplified" and "Traditional"
        name = f"{name} Han"
    return LENGTH_BANDS.get(script, UNMEASURED_BAND), name


#: A number as any language writes it: digits of any script (Arabic-Indic too), groups of
#: three after a space, no-break space, apostrophe, comma, point or Arabic thousands
#: separator, and a decimal part after a comma, point or Arabic decimal separator.
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f',.\u066c]\d{3}(?!\d))*(?:[.,\u066b]\d+)?")
_GROUP = re.compile(r"[ \u00a0\u202f',.\u066c](\d{3})")


def _readings(token: str) -> frozenset[Decimal]:
    """Every value ``token`` may stand for: ``1.000`` is 1000 in German, 1 in English."""
    ascii_ = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in token)
    whole = re.match(r"\d+", ascii_)
    assert whole is not None
    head, tail = whole.group(0), ascii_[whole.end() :]
    groups = _GROUP.findall(tail)
    fraction = tail[len(groups) * 4 :]
    value = head + "".join(groups) + ("." + fraction[1:] if fraction else "")
    readings = {Decimal(value)}
    if len(groups) == 1 and not fraction and tail[0] in ".,":
        readings.add(Decimal(f"{head}.{groups[0]}"))
    return frozenset(readings)


def _number_tokens(text: str) -> list[tuple[str, frozenset[Decimal]]]:
    return [(t, _readings(t)) for t in _NUMBER.findall(text)]


def number_differences(source: str, target: str) -> tuple[list[str], list[str]]:
    """The English's numbers missing from ``target``, and ``target``'s not in the English.

    Both texts come without their placeholders (a placeholder's name may hold digits).
    Each number of one text is paired with an equal one of the other (a maximum
    matching: "10 … 1,000" against "1.000 … 10" pairs both), whatever the digits'
    script and the decimal and grouping signs.
    """
    want, have = _number_tokens(source), _number_tokens(target)
    owner: dict[int, int] = {}  # index in have -> index in want
    # Numbers read the same way pair at once; the search below is for the rest, a few
    # ambiguous ones ("1.000"), and stays shallow however many numbers a text holds.
    free: dict[frozenset[Decimal], list[int]] = {}
    for i, (_, values) in enumerate(want):
        free.setdefault(values, []).append(i)
    for j, (_, values) in enumerate(have):
        if free.get(values):
            owner[j] = free[values].pop()
    open_have = [j for j in range(len(have)) if j not in owner]

    def pair(i: int, seen: set[int]) -> bool:
        for j in open_have:
            if j not in seen and have[j][1] & want[i][1]:
                seen.add(j)
                if j not in owner or pair(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in sorted({i for indices in free.values() for i in indices}):
        pair(i, set())
    paired = set(owner.values())
    missing = [shown_number(token) for i, (token, _) in enumerate(want) if i not in paired]
    added = [shown_number(token) for j, (token, _) in enumerate(have) if j not in owner]
    return missing, added


def shown_number(token: str) -> str:
    """A number as typed, with its ASCII digits when it has others: ``٨٠ (80)``; cut at 20."""
    clipped = token if len(token) <= 20 else token[:20] + "…"
    if token.isascii():
        return clipped
    ascii_ = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in clipped)
    return f"{clipped} ({ascii_})"
