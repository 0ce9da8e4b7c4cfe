"""Translation integrity: no required warning loses, gains or cuts its substance unseen.

For every record in ``data/`` and ``tests/fixtures/`` and every catalog in
``locales/``, each translated required warning is taken apart three ways, and
the catalog check must refuse each: a number of the English removed, a number
added, the text cut below its script's length band. Every translated entry
must also refuse an added number. The untouched catalogs pass. The bulk calls
:func:`leaflet.translation.catalog_checks.check_catalog` directly (thousands of variants in
about a second); a few real ``leaflet check`` runs prove the same end to end.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import polib
import pytest

from leaflet.publish.checks import check_records
from leaflet.record.model import DrugRecord
from leaflet.record.placeholders import placeholder_syntax_problems, without_placeholders
from leaflet.record.reading import LineMap
from leaflet.translation.catalog_checks import NUMBERS_MARK, check_catalog
from leaflet.translation.catalog_loader import CatalogEntry, LoadedCatalog, domain_of
from leaflet.translation.catalogs import Message, extract_messages, load_catalogs, locale_codes
from leaflet.translation.catalogs import required_contexts as required_of
from leaflet.translation.domains import po_relative_path
from leaflet.translation.languages import LENGTH_BANDS, length_band, number_differences, script_of

from .conftest import ALL_RECORDS, LOCALES
from .helpers import run_leaflet

BARE_PLACEHOLDER = re.compile(r"%\([a-z_][a-z0-9_]*\)s|\{[a-z_][a-z0-9_]*\}")


@cache
def _inputs() -> tuple[list[DrugRecord], list[Message], dict[str, LoadedCatalog]]:
    records, problems = check_records(ALL_RECORDS)
    assert problems == []
    messages = extract_messages([(r, r.drug.id, LineMap()) for r in records])
    catalogs, problems = load_catalogs(locale_codes())
    assert problems == []
    return records, messages, catalogs


def _current(catalog: LoadedCatalog, message: Message) -> CatalogEntry | None:
    """The entry the build would print for ``message``, or None."""
    entry = catalog.entries.get(message.context)
    if entry is None or not entry.translated or entry.fuzzy:
        return None
    if (entry.msgid, entry.msgid_plural) != (message.msgid, message.msgid_plural):
        return None
    return entry


def _entries(required_only: bool) -> Iterator[tuple[LoadedCatalog, Message, CatalogEntry]]:
    records, messages, catalogs = _inputs()
    required = required_of(records)
    for catalog in catalogs.values():
        for message in messages:
            entry = _current(catalog, message)
            if entry is not None and (message.context in required or not required_only):
                yield catalog, message, entry


def _errors(catalog: LoadedCatalog, message: Message, entry: CatalogEntry, text: str) -> list[str]:
    """The messages ``check_catalog`` gives for ``entry`` with its msgstr replaced by ``text``."""
    records, _, _ = _inputs()
    changed = dataclasses.replace(entry, msgstr=text)
    trial = dataclasses.replace(catalog, entries={**catalog.entries, message.context: changed})
    return [p.message for p in check_catalog(trial, [message], records).errors]


def _number_spans(text: str) -> list[tuple[int, int]]:
    """Where each run of digits is in ``text``, outside placeholders (names may hold digits)."""
    masked = BARE_PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)
    return [m.span() for m in re.finditer(r"\d+", masked)]


REQUIRED = list(_entries(required_only=True))
EVERY = list(_entries(required_only=False))


def test_every_catalog_translates_required_warnings() -> None:
    """The properties below run over real translations, not over nothing."""
    langs = {catalog.lang for catalog, _, _ in REQUIRED}
    assert langs == set(LOCALES)
    assert len(REQUIRED) >= 8 * 22
    assert {script_of(lang) for lang in langs} >= set(LENGTH_BANDS)


def test_every_english_text_has_only_bare_placeholders() -> None:
    """The English of templates, code and records holds the placeholders translators copy."""
    _, messages, _ = _inputs()
    for message in messages:
        formatted = any(path.endswith(".html") for path, _ in message.locations)
        for english in message.english:
            assert placeholder_syntax_problems(english, formatted) == [], message.context


def test_the_untouched_catalogs_pass() -> None:
    records, messages, catalogs = _inputs()
    for catalog in catalogs.values():
        assert check_catalog(catalog, messages, records).errors == [], catalog.lang


def test_removing_a_number_from_a_required_warning_is_refused() -> None:
    removed = 0
    for catalog, message, entry in REQUIRED:
        text = entry.msgstr
        for start, end in _number_spans(text):
            errors = _errors(catalog, message, entry, text[:start] + text[end:])
            assert any(" from the English are missing " in e for e in errors), (
                catalog.lang,
                message.context,
            )
            removed += 1
    assert removed >= 8  # the boxed warning's T-6 in every language, at least


@pytest.mark.parametrize("digit", ["7", "٧"], ids=["ascii", "arabic-indic"])
def test_adding_a_number_to_a_required_warning_is_refused(digit: str) -> None:
    for catalog, message, entry in REQUIRED:
        for text in (f"{entry.msgstr} {digit}", f"{digit}0 {entry.msgstr}"):
            errors = _errors(catalog, message, entry, text)
            assert any(
                "are not in the English (expected exactly the numbers of the English in a "
                "required warning" in e
                for e in errors
            ), (catalog.lang, message.context, errors)


def test_adding_a_number_to_any_entry_is_refused_unless_the_translator_explains_it() -> None:
    checked = 0
    for catalog, message, entry in EVERY:
        if any(line.startswith(NUMBERS_MARK) for line in entry.comment.splitlines()):
            continue
        if entry.msgid_plural is not None:
            continue  # plural forms: covered by the same code, one text at a time
        errors = _errors(catalog, message, entry, f"{entry.msgstr} 80")
        assert any("number(s) 80 are not in the English" in e for e in errors), (
            catalog.lang,
            message.context,
        )
        checked += 1
    assert checked > 1000


def _printed(text: str) -> int:
    return sum(1 for c in without_placeholders(text) if unicodedata.category(c)[0] in "LMN")


def test_cutting_a_required_warning_below_its_band_is_refused() -> None:
    for catalog, message, entry in REQUIRED:
        band, _ = length_band(catalog.lang)
        least = math.ceil(band * _printed(message.msgid))
        # The longest start of the translation that is one letter short of the band.
        cut = entry.msgstr
        while _printed(cut) >= least:
            cut = cut[:-1]
        assert _printed(cut) >= 1
        errors = _errors(catalog, message, entry, cut)
        assert any("a required warning translated implausibly short" in e for e in errors), (
            catalog.lang,
            message.context,
            cut,
        )
        # Just inside the band, the length is no longer the complaint.
        longer = entry.msgstr[: len(cut) + 1]
        while _printed(longer) < least:
            longer = entry.msgstr[: len(longer) + 1]
        errors = _errors(catalog, message, entry, longer)
        assert not any("implausibly short" in e for e in errors), (catalog.lang, longer)


def _entry_line(po: Path, context: str) -> tuple[polib.POFile, polib.POEntry]:
    catalog = polib.pofile(str(po), wrapwidth=0)
    return catalog, next(e for e in catalog if e.msgctxt == context)


@pytest.mark.parametrize(
    ("lang", "context", "change", "expected"),
    [
        (
            "zh_Hans",
            "baclofen:warnings.abrupt-withdrawal.taper",
            lambda text: text[:8],
            "a required warning translated implausibly short (expected at least 34 letters and "
            "digits in Simplified Han script, 15% of the English's 225, got 8; translate the "
            "whole warning, cut nothing)",
        ),
        (
            "ar",
            "baclofen:warnings.neonatal-withdrawal.patient",
            lambda text: text + " ٣",
            "number(s) ٣ (3) are not in the English (expected exactly the numbers of the English "
            "in a required warning: remove them, or write the word as the English does)",
        ),
        (
            "ru",
            "baclofen:boxed_warnings.intrathecal-abrupt-discontinuation.paragraphs.at-risk.text",
            lambda text: text.replace("T6", "T"),
            "number(s) 6 from the English are missing (expected every number of the English in "
            "the translation)",
        ),
    ],
    ids=["zh-cut", "ar-digit-added", "ru-number-removed"],
)
def test_leaflet_check_refuses_each_change_with_its_line(
    locales_copy: Path, lang: str, context: str, change: Callable[[str], str], expected: str
) -> None:
    po = locales_copy / po_relative_path(lang, domain_of(context))
    catalog, entry = _entry_line(po, context)
    new = change(entry.msgstr)
    assert new != entry.msgstr
    entry.msgstr = new
    catalog.save(str(po))
    line = _entry_line(po, context)[1].linenum
    outcome = run_leaflet("check")
    assert outcome.code == 1
    assert f"{po}:{line}: {context}: {expected}" in outcome.lines, outcome.stderr
    assert "Traceback" not in outcome.stderr


@pytest.mark.parametrize(
    ("english", "translation", "missing", "added"),
    [
        ("0.5 of 1,000 people", "0,5 von 1.000 Personen", [], []),
        ("0.5 of 1,000 people", "1\u00a0000 personnes, 0,5", [], []),
        ("0.5 of 10,000 people", "٠٫٥ من ١٠٬٠٠٠", [], []),
        ("up to 911", "bis ٩١١", [], []),
        ("0.5 of 1,000 people", "5 von 1.000 Personen", ["0.5"], ["5"]),
        ("1 in 10", "1 von 100", ["10"], ["100"]),
        ("1 in 10", "1 von 10 (80 mg)", [], ["80"]),
        ("1 in 10", "1 von 10 (٨٠)", [], ["٨٠ (80)"]),
        ("at level T-6", "auf Höhe T", ["6"], []),
    ],
    ids=[
        "decimal-comma",
        "french-grouping",
        "arabic-separators",
        "arabic-digits",
        "decimal-lost",
        "changed",
        "added",
        "added-arabic-indic",
        "dropped",
    ],
)
def test_numbers_are_compared_whatever_their_digits_and_signs(
    english: str, translation: str, missing: list[str], added: list[str]
) -> None:
    assert number_differences(english, translation) == (missing, added)


def test_an_overlong_translation_is_a_warning_except_for_a_fixed_heading() -> None:
    """A translation over twice the English warns; a (QRD) heading never does."""
    records, messages, catalogs = _inputs()
    french = catalogs["fr"]
    by_context = {m.context: m for m in messages}

    def warnings(context: str, text: str) -> list[str]:
        message = by_context[context]
        entry = french.entries[context]
        changed = dataclasses.replace(entry, msgstr=text)
        trial = dataclasses.replace(french, entries={**french.entries, context: changed})
        return [p.message for p in check_catalog(trial, [message], records).warnings]

    heading = "patient.s4.heading"
    assert by_context[heading].msgid == "4. Possible side effects"
    assert (
        french.entries[heading].msgstr == "4. Quels sont les effets indésirables éventuels\u00a0?"
    )
    assert warnings(heading, french.entries[heading].msgstr) == []
    disposal = "patient.s5.expiry"
    english = by_context[disposal].msgid
    long_text = french.entries[disposal].msgstr + " " + "Vraiment très longue phrase. " * 4
    assert len(long_text) > 2 * len(english)
    assert warnings(disposal, long_text) == [
        f"translation is more than twice as long as the English ({len(long_text)} vs "
        f"{len(english)} characters); check it still fits the page"
    ]


def test_a_plural_form_only_for_one_may_say_it_in_words() -> None:
    """German "einmal täglich" (form 0 is for n = 1 only) passes; a form for more refuses."""
    records, messages, catalogs = _inputs()
    message = next(m for m in messages if m.context == "dose.times")
    assert (message.msgid, message.msgid_plural) == ("once a day", "{count} times a day")

    def errors(lang: str, first_form: str) -> list[str]:
        catalog = catalogs[lang]
        entry = catalog.entries["dose.times"]
        changed = dataclasses.replace(entry, forms=(first_form, *entry.forms[1:]))
        trial = dataclasses.replace(catalog, entries={**catalog.entries, "dose.times": changed})
        return [p.message for p in check_catalog(trial, [message], records).errors]

    assert catalogs["de"].entries["dose.times"].forms[0] == "einmal täglich"
    assert errors("de", "einmal täglich") == []
    assert errors("de", "{count}-mal täglich") == []
    # French form 0 is for 0 and 1, Russian form 0 for 1, 21, 31 …: the count must stay.
    expected = (
        "placeholders differ (expected {count}, got none; copy each placeholder exactly as "
        "in the English)"
    )
    assert errors("fr", "une fois par jour") == [expected]
    assert errors("ru", "один раз в день") == [expected]
