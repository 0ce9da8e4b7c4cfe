"""Catalog rules beyond the basics: plural forms (as CLDR has them), review sign-off, markers."""

from __future__ import annotations

import gettext
import re
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from babel import Locale, localedata
from click.testing import CliRunner

from leaflet.cli.main import cli
from leaflet.project import RECORDS_DOMAIN
from leaflet.record.errors import InputError
from leaflet.record.model_products import Product
from leaflet.render.schedule_view import TABLETS, units_phrase
from leaflet.taper.taper_supply import Piece, Supply
from leaflet.translation.catalog_checks import Translator
from leaflet.translation.catalog_loader import load_catalog
from leaflet.translation.domains import (
    DOMAIN,
    DOMAINS,
    load_language,
    locale_codes,
    locales_dir,
    po_relative_path,
)
from leaflet.translation.languages import plural_forms_header, plural_forms_problem
from leaflet.translation.signoff import (
    SignOff,
    entries_digest,
    scope_entries,
    signoff_path,
    signoffs_json,
)
from leaflet.verify.preflight import read_facts_pypdf


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def _catalog(lang: str) -> Translator:
    return Translator(lang, load_language(lang))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", {1: "1 tablet", 2: "2 tablets", 5: "5 tablets"}),
        ("ru", {1: "1 таблетка", 2: "2 таблетки", 5: "5 таблеток", 21: "21 таблетка"}),
        ("ar", {1: "1 قرص", 2: "2 قرصين", 3: "3 أقراص", 11: "11 قرصًا"}),
        ("zh_Hans", {1: "1片", 4: "4片"}),
    ],
)
def test_tablet_counts_use_the_languages_plural_forms(lang: str, expected: dict[int, str]) -> None:
    translator = Translator("en") if lang == "en" else _catalog(lang)
    for count, text in expected.items():
        assert translator.plural(*TABLETS, count).format(count=count) == text


def _tablets(pieces: int) -> Supply:
    product = Product.model_validate(
        {"id": "t", "route": "oral", "form": "tablet", "strengths": [{"amount": "25 mg"}],
         "refs": ["X"]}
    )  # fmt: skip
    return Supply(product=product, pieces=(Piece(Decimal(25), pieces),))


def test_parts_of_a_tablet_are_written_with_fraction_signs() -> None:
    english = Translator("en")
    halves, quarters = _tablets(2), _tablets(4)
    assert units_phrase(Decimal("12.5"), halves, "en", english) == "½ tablet"
    assert units_phrase(Decimal("37.5"), halves, "en", english) == "1½ tablets"
    assert units_phrase(Decimal("50"), halves, "en", english) == "2 tablets"
    assert units_phrase(Decimal("6.25"), quarters, "en", english) == "¼ tablet"
    assert units_phrase(Decimal("18.75"), quarters, "en", english) == "¾ tablet"
    assert units_phrase(Decimal("31.25"), quarters, "en", english) == "1¼ tablets"


def test_a_missing_plural_form_is_a_gap() -> None:
    translator = _catalog("ru")
    entry = translator.catalog.entries["dose.tablets"]  # type: ignore[union-attr]
    assert len(entry.forms) == 3
    broken = type(entry)(**{**entry.__dict__, "forms": (entry.forms[0], "", entry.forms[2])})
    translator.catalog.entries["dose.tablets"] = broken  # type: ignore[union-attr]
    translator.plural(*TABLETS, 2)
    assert [p.message for p in translator.problems()] == ["not translated"]


def test_a_broken_plural_forms_header_is_refused_with_its_line(locales_copy: Path) -> None:
    path = locales_copy / "ru/LC_MESSAGES/leaflet.po"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith('"Plural-Forms:'))
    path.write_text(
        text.replace(lines[number - 1], '"Plural-Forms: nplurals=2; plural=(n %% 3);\\n"'),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_catalog(path, "ru")
    (problem,) = caught.value.problems
    assert problem.line == number
    assert problem.message.startswith("bad or missing Plural-Forms header")
    code, output = run("check")
    assert code == 1
    assert f"{path}:{number}: bad or missing Plural-Forms header" in output


def test_a_word_both_languages_share_passes_when_the_translator_marks_it(
    locales_copy: Path,
) -> None:
    path = locales_copy / "es_US/LC_MESSAGES/records.po"
    po = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in po if e.msgctxt == "baclofen:side_effects.items.ataxia.clinician")
    assert entry.msgid == "ataxia"
    entry.msgstr = "ataxia"
    entry.tcomment = ""
    po.save(str(path))
    code, output = run("check")
    assert code == 1
    assert "translation is identical to the English" in output
    entry.tcomment = "identical: the same medical term in Spanish"
    po.save(str(path))
    code, output = run("check")
    assert code == 0, output


def test_a_signed_off_translation_names_the_reviewer_in_every_footer(
    tmp_path: Path, locales_copy: Path
) -> None:
    # Both texts of the language: a document prints leaflet's own text and the drug's.
    catalog = load_language("de")
    for domain, scope in ((DOMAIN, "leaflet"), (RECORDS_DOMAIN, "baclofen")):
        po_path = locales_copy / po_relative_path("de", domain)
        entries = scope_entries(catalog, scope)
        signoff = SignOff(
            "Apothekerin M. Muster", "2026-11-30", "0" * 64, entries_digest(entries), 1
        )
        signoff_path(po_path).write_bytes(signoffs_json({scope: signoff}))
    code, output = run(
        "build", "--drug", "baclofen", "--lang", "de", "--audience", "taper", "--out", str(tmp_path)
    )
    assert code == 0, output
    facts = read_facts_pypdf((tmp_path / "de/baclofen-taper.pdf").read_bytes())
    for page in facts.page_texts:
        assert "Übersetzung geprüft von Apothekerin M. Muster am 30. November 2026" in page
    assert "nicht von einem Apotheker geprüft" not in facts.text
    manifest = (tmp_path / "manifest.json").read_text(encoding="utf-8")
    assert '"review": "reviewed"' in manifest


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_catalog_plural_rule_agrees_with_cldr(domain: str) -> None:
    for lang in locale_codes(domain):
        catalog = load_catalog(locales_dir(domain) / po_relative_path(lang, domain), lang)
        choose = gettext.c2py(catalog.plural_rule)
        header = catalog.metadata["Plural-Forms"]
        assert plural_forms_problem(lang, header, catalog.nplurals, choose) is None, lang


def test_the_header_init_writes_agrees_with_cldr_for_every_language_babel_knows() -> None:
    """Babel's gettext table disagrees with CLDR for some (Hebrew has a dual): init follows CLDR."""
    languages = sorted({code.split("_")[0] for code in localedata.locale_identifiers()})
    assert len(languages) > 300
    for lang in languages:
        header = plural_forms_header(lang)
        match = re.fullmatch(r"nplurals=(\d+); plural=(.+);", header)
        assert match, header
        assert (
            plural_forms_problem(lang, header, int(match.group(1)), gettext.c2py(match.group(2)))
            is None
        ), (lang, header)
    assert plural_forms_header("he").startswith("nplurals=3;")  # one, two, other
    assert plural_forms_header("de") == "nplurals=2; plural=(n != 1);"


@pytest.mark.parametrize(("lang", "nplurals"), [("he", 3), ("pl", 3), ("am", 2), ("ja", 1)])
def test_a_new_catalog_passes_the_plural_check_it_will_meet(
    locales_copy: Path, lang: str, nplurals: int
) -> None:
    # Plural messages are leaflet's own: a new language starts in its own domain.
    code, output = run("i18n", "init", lang, "--domain", "leaflet")
    assert code == 0, output
    path = locales_copy / po_relative_path(lang, DOMAIN)
    catalog = load_catalog(path, lang)
    assert catalog.nplurals == nplurals
    assert len(catalog.entries["dose.tablets"].forms) == nplurals


@pytest.mark.parametrize(
    ("lang", "header", "got"),
    [
        ("de", "nplurals=1; plural=0;", "nplurals=1; plural=0;"),
        ("ru", "nplurals=2; plural=(n != 1);", "nplurals=2; plural=(n != 1);"),
        ("fr", "nplurals=2; plural=(n != 1);", "nplurals=2; plural=(n != 1);"),
    ],
    ids=["german-one-form", "russian-two-forms", "french-zero-as-plural"],
)
def test_a_plural_rule_cldr_disagrees_with_is_refused_with_its_line(
    locales_copy: Path, lang: str, header: str, got: str
) -> None:
    path = locales_copy / po_relative_path(lang, DOMAIN)
    text = path.read_text(encoding="utf-8")
    # The header field, with the lines msgmerge wraps it onto (Russian's is long).
    old = re.search(r'^"Plural-Forms: (?:[^\n]*\n)*?[^\n]*\\n"$', text, re.M)
    assert old
    path.write_text(text.replace(old.group(0), f'"Plural-Forms: {header}\\n"'), encoding="utf-8")
    line = text[: old.start()].count("\n") + 1
    with pytest.raises(InputError) as caught:
        load_catalog(path, lang)
    (problem,) = caught.value.problems
    expected_header = plural_forms_header(lang)
    assert problem.line == line
    assert problem.message.startswith(
        f"Plural-Forms does not match {Locale.parse(lang).get_display_name('en')} plural rules "
        f"in CLDR (expected {expected_header!r}"
    )
    assert f"got {got!r}; copy the expected header)" in problem.message
    code, output = run("check")
    assert code == 1
    assert f"{path}:{line}: Plural-Forms does not match" in output
