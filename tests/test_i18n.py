"""Localised documents: every locale's PDFs, catalog checks, and refusing stale text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from leaflet.cli.main import cli
from leaflet.project import Project
from leaflet.publish.build import output_name
from leaflet.publish.document import required_texts
from leaflet.record.reading import LineMap, load_record
from leaflet.record.validate import validate_record
from leaflet.render.context import record_view
from leaflet.translation import catalogs
from leaflet.translation.catalog_checks import Translator
from leaflet.translation.catalog_loader import load_catalog
from leaflet.translation.domains import (
    DOMAINS,
    load_language,
    locale_codes,
    locales_dir,
    po_relative_path,
)
from leaflet.translation.languages import PSEUDO_LOCALE, bcp47
from leaflet.verify.preflight import contains, normalise, read_facts, read_facts_pypdf

from .conftest import BACLOFEN, DATA_RECORDS, FICTIONAL, LOCALES, Built, papers_built
from .helpers import run_leaflet

DROWSY = (
    "Baclofen can make you sleepy. Do not drive or use machines until you know how it affects you."
)
AUDIENCES = ("patient", "clinician", "taper")
PAGE_LIMITS = {"patient": 4, "clinician": 1, "taper": 2}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_the_eight_catalogs_exist() -> None:
    assert sorted(locale_codes()) == sorted(LOCALES)


DRUGS = {path.stem: validate_record(load_record(path)) for path in DATA_RECORDS}


def test_every_document_builds_in_every_locale(all_locales_build: Built) -> None:
    assert all_locales_build.report.problems == []
    built = {(d.drug, d.lang, d.audience, d.paper) for d in all_locales_build.report.documents}
    assert built == {
        (drug, lang, audience, paper)
        for drug, record in DRUGS.items()
        for lang in ("en", *LOCALES, *([PSEUDO_LOCALE] if drug == "baclofen" else []))
        for audience in record.documents
        for paper in papers_built(drug, audience)
    }


@pytest.mark.parametrize(
    ("drug", "audience", "lang"),
    [
        (drug, audience, lang)
        for drug, record in sorted(DRUGS.items())
        for audience in record.documents
        for lang in (*LOCALES, *([PSEUDO_LOCALE] if drug == "baclofen" else []))
    ],
)
def test_translated_required_warnings_are_printed(
    all_locales_build: Built, drug: str, lang: str, audience: str
) -> None:
    record = DRUGS[drug]
    catalog = None if lang == PSEUDO_LOCALE else load_language(lang)
    translator = Translator(lang, catalog)
    pseudo = lang == PSEUDO_LOCALE
    view = record_view(record, "en" if pseudo else lang, translator, None if pseudo else translator)
    assert not translator.gaps
    rtl = lang == "ar"
    for paper in papers_built(drug, audience):
        facts = all_locales_build.facts(output_name(drug, audience, lang, paper))  # type: ignore[arg-type]
        assert facts.lang == bcp47(lang)
        assert 1 <= facts.pages <= PAGE_LIMITS[audience], (lang, audience, paper, facts.pages)
        for required in required_texts(record, view, audience):  # type: ignore[arg-type]
            assert contains(facts.text, required.text, rtl), (lang, audience, required.name)


@pytest.mark.parametrize("lang", LOCALES)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_unreviewed_notice_is_on_page_one(
    all_locales_build: Built, lang: str, audience: str
) -> None:
    catalog = load_language(lang)
    notice = catalog.entries["notice.unreviewed"].msgstr
    first_page = all_locales_build.facts(f"{lang}/baclofen-{audience}.pdf").page_texts[0]
    assert contains(normalise(first_page), notice, lang == "ar")


def test_manifest_records_review_status(all_locales_build: Built) -> None:
    manifest = json.loads((all_locales_build.out_dir / "manifest.json").read_text())
    reviews = {d["lang"]: d["review"] for d in manifest["documents"]}
    assert reviews["en"] == "source"
    assert all(reviews[lang] == "unreviewed" for lang in LOCALES)


def test_german_numbers_use_a_decimal_comma(all_locales_build: Built) -> None:
    text = all_locales_build.facts("de/baclofen-clinician.pdf").text
    assert "0,5 bis 3" in text or "0,5–3" in text or "0,5" in text
    assert "1.199 mcg" in text


def test_no_english_sentence_leaks_into_a_translation(all_locales_build: Built) -> None:
    english = all_locales_build.facts("en/baclofen-patient.pdf").text
    sentence = "Keep this leaflet. You may need to read it again."
    assert sentence in english
    for lang in LOCALES:
        assert sentence not in all_locales_build.facts(f"{lang}/baclofen-patient.pdf").text


@pytest.mark.parametrize("lang", LOCALES)
def test_no_english_wording_reaches_any_translated_document(
    all_locales_build: Built, lang: str
) -> None:
    """Every English text of three words or more, and every bracketed label, is translated.

    The build renders English first in the same process: a label table cached
    from that document (Jinja imports) would print English here.
    """
    record = validate_record(load_record(BACLOFEN))
    messages = catalogs.extract_messages([(record, "baclofen", LineMap())])
    catalog = load_language(lang)
    english = []
    for message in messages:
        text = message.msgid
        if "%(" in text or "{" in text or len(text.split()) < 3:
            continue
        entry = catalog.entries.get(message.context)
        if entry is not None and normalise(entry.texts[0]) == normalise(text):
            continue  # rightly the same in this language
        english.append(normalise(text))
    english += ["(very common)", "(common)", "(rare)", "(frequency not known)"]
    assert len(english) > 150
    for audience in AUDIENCES:
        for paper in ("a4", "letter"):
            text = all_locales_build.facts(output_name("baclofen", audience, lang, paper)).text
            leaked = [phrase for phrase in english if phrase in text]
            assert not leaked, (audience, paper, leaked[:5])


def test_status_shows_every_drug_complete_in_every_locale_and_unreviewed() -> None:
    code, output = run("i18n", "status", "--json")
    assert code == 0, output
    rows = json.loads(output)["locales"]
    assert sorted(r["lang"] for r in rows) == sorted(LOCALES)
    for row in rows:
        assert row["complete"], row
        assert row["fuzzy"] == row["missing"] == 0
        assert row["required_warnings_fuzzy"] == row["required_warnings_missing"] == 0
        assert row["review"]["status"] == "unreviewed"
        assert row["review"]["reviewed"] == []


@pytest.fixture()
def with_new_drug(private_project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The private project with a fictional drug added to data/, merged but not translated."""
    monkeypatch.chdir(private_project.root)
    shutil.copy(FICTIONAL, private_project.root / "data" / FICTIONAL.name)
    code, output = run("i18n", "update", "-q")
    assert code == 0, output
    return private_project


def test_a_new_drugs_prose_waits_untranslated(with_new_drug: Project) -> None:
    code, output = run("i18n", "status", "--drug", "examplofen", "--json")
    assert code == 0, output
    for row in json.loads(output)["locales"]:
        assert not row["complete"] and row["missing"] > 0, row
        assert row["required_warnings_missing"] > 0, row


def test_lang_all_builds_the_complete_pairs_and_reports_each_incomplete_one(
    with_new_drug: Project, tmp_path: Path
) -> None:
    shared = ["build", "--audience", "clinician", "--out", str(tmp_path / "out")]
    code, output = run(*shared, "--lang", "all")
    assert code == 0, output
    built = sorted(p.relative_to(tmp_path / "out").as_posix() for p in tmp_path.glob("out/*/*.pdf"))
    drugs = ("baclofen", "clonazepam", "gabapentin", "propranolol")
    assert built == sorted(
        ["en/examplofen-clinician.pdf"]
        + [f"{lang}/{drug}-clinician.pdf" for lang in ("en", *LOCALES) for drug in drugs]
    )
    reported = [line for line in output.splitlines() if " not built: " in line]
    assert len(reported) == len(LOCALES)
    line = next(line for line in reported if line.startswith("es_US: examplofen: "))
    count = int(line.split("not built: ")[1].split()[0])
    assert line == (
        f"es_US: examplofen: clinician document not built: {count} entries not translated (to "
        "list them: leaflet build --lang es_US --drug examplofen; progress: leaflet i18n status "
        "--drug examplofen)"
    )
    # --strict makes the same build fail; naming the language lists each entry once.
    code, output = run(*shared, "--lang", "all", "--strict")
    assert code == 1
    code, output = run(*shared, "--lang", "es_US", "--drug", "examplofen")
    assert code == 1
    listed = [line for line in output.splitlines() if ": examplofen:" in line and ".po:" in line]
    assert len(listed) == len(set(listed)) == count


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("lang", LOCALES)
def test_msgfmt_check_is_clean(lang: str, domain: str) -> None:
    path = locales_dir(domain) / po_relative_path(lang, domain)
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0 and not result.stderr, result.stderr


def test_check_passes_on_the_real_catalogs() -> None:
    code, output = run("check")
    assert code == 0, output


def _edit(po_path: Path, context: str, msgstr: str) -> int:
    po = polib.pofile(str(po_path), wrapwidth=0)
    entry = next(e for e in po if e.msgctxt == context)
    entry.msgstr = msgstr
    po.save(str(po_path))
    return next(e for e in polib.pofile(str(po_path)) if e.msgctxt == context).linenum


def test_changed_english_stops_that_locale_and_names_the_entry(
    tmp_path: Path, locales_copy: Path
) -> None:
    text = BACLOFEN.read_text(encoding="utf-8")
    old = DROWSY
    assert old in text
    record = tmp_path / "baclofen.yaml"
    record.write_text(text.replace(old, old.replace("sleepy", "very sleepy")), encoding="utf-8")
    code, output = run(
        "build",
        "--record",
        str(record),
        "--lang",
        "en,de",
        "--audience",
        "patient",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 1
    po = locales_copy / "de/LC_MESSAGES/records.po"
    line = next(
        e
        for e in polib.pofile(str(po))
        if e.msgctxt == "baclofen:warnings.drowsiness-driving.patient"
    ).linenum
    assert (
        f"{po}:{line}: baclofen:warnings.drowsiness-driving.patient: the English changed since it "
        "was translated (run: leaflet i18n update)"
    ) in output.replace(str(Path.cwd()) + "/", "")
    assert (tmp_path / "out/en/baclofen-patient.pdf").exists()
    assert not (tmp_path / "out/de/baclofen-patient.pdf").exists()


def test_a_broken_placeholder_fails_check_with_file_and_line(locales_copy: Path) -> None:
    po = locales_copy / "fr/LC_MESSAGES/leaflet.po"
    line = _edit(po, "footer.revision", "Révision %(revison)s, %(date)s")
    code, output = run("check")
    assert code == 1
    assert (
        f"{po}:{line}: footer.revision: placeholders differ (expected %(date)s, %(revision)s, "
        "got %(date)s, %(revison)s; copy each placeholder exactly as in the English)"
    ) in output


def test_a_changed_number_fails_check(locales_copy: Path) -> None:
    po = locales_copy / "de/LC_MESSAGES/leaflet.po"
    line = _edit(
        po, "band.very_common.long", "Sehr häufig: kann mehr als 1 von 100 Behandelten betreffen"
    )
    code, output = run("check")
    assert code == 1
    assert (
        f"{po}:{line}: band.very_common.long: number(s) 10 from the English are missing" in output
    )


def test_a_missing_glyph_is_named_before_rendering(locales_copy: Path) -> None:
    po = locales_copy / "vi/LC_MESSAGES/leaflet.po"
    line = _edit(po, "patient.intro.keep", "Giữ tờ này ༀ.")
    code, output = run("check")
    assert code == 1
    assert (
        f"{po}:{line}: patient.intro.keep: no bundled font has 'ༀ' (U+0F00) (expected characters "
        "the fonts in fonts/ cover: add a font there, or change the text)"
    ) in output


def test_markup_in_a_translation_is_printed_literally(tmp_path: Path, locales_copy: Path) -> None:
    po = locales_copy / "es_US/LC_MESSAGES/leaflet.po"
    _edit(po, "patient.s2.warnings", "Advertencias <b>y</b> precauciones")
    code, output = run(
        "build",
        "--drug",
        "baclofen",
        "--lang",
        "es_US",
        "--audience",
        "patient",
        "--out",
        str(tmp_path),
    )
    assert code == 0, output
    text = read_facts_pypdf((tmp_path / "es_US/baclofen-patient.pdf").read_bytes()).text
    assert "Advertencias <b>y</b> precauciones" in text


def test_draft_marks_gaps_and_stays_out_of_the_manifest(tmp_path: Path, locales_copy: Path) -> None:
    po = locales_copy / "de/LC_MESSAGES/leaflet.po"
    _edit(po, "patient.intro.keep", "")
    out = tmp_path / "out"
    code, output = run(
        "build", "--lang", "de", "--audience", "patient", "--draft", "--out", str(out)
    )
    assert code == 0, output
    data = (out / "de/baclofen-patient-draft.pdf").read_bytes()
    text = read_facts_pypdf(data).text
    assert "[[Keep this leaflet. You may need to read it again.]]" in text
    # The watermark is set diagonally: pypdf runs two of its words together, PDFium
    # (the build's reader) reads it as printed.
    watermark = load_catalog(po, "de").entries["draft.watermark"].msgstr
    assert normalise(watermark) in read_facts(data).text
    assert not (out / "de/baclofen-patient.pdf").exists()
    assert not (out / "manifest.json").exists()


def test_source_extraction_skips_only_modules_without_messages() -> None:
    """Extracting from the modules that name a marker finds all Babel finds in the package."""
    from babel.messages.extract import extract_from_dir

    everything = {
        (f"leaflet/{name}", lineno, context)
        for name, lineno, _, _, context in extract_from_dir(
            str(catalogs.PACKAGE_DIR),
            method_map=[("**.py", "python")],
            keywords=catalogs._KEYWORDS,
        )
        if context
    }
    found = catalogs._source_messages(catalogs._source_signature())
    from_code = {(where[0], where[1], context) for context, _, where, _ in found}
    assert {item for item in from_code if item[0].startswith("leaflet/")} == everything
    assert len(everything) > 20


def test_a_missing_interface_entry_is_listed_once_not_once_per_drug(
    tmp_path: Path, locales_copy: Path
) -> None:
    po = locales_copy / "es_US/LC_MESSAGES/leaflet.po"
    line = _edit(po, "clinician.dosing", "")
    code, output = run(
        "build", "--lang", "es_US", "--audience", "clinician", "--out", str(tmp_path / "out")
    )
    assert code == 1
    listed = [entry for entry in output.splitlines() if ": clinician.dosing: " in entry]
    assert listed == [f"{po}:{line}: clinician.dosing: not translated"]


def test_a_footer_with_quotes_ampersands_and_brackets_prints_them_as_themselves(
    tmp_path: Path, locales_copy: Path
) -> None:
    """Both footers, the PDF's running one (CSS) and the HTML edition's, print the characters."""
    po = locales_copy / "de/LC_MESSAGES/leaflet.po"
    _edit(po, "footer.basis", 'Grundlage: O\'Briens "US-Fachinformation" & <Anhang> a\\b')
    _edit(po, "footer.pages", "Seite {page} von {pages} – l'Annexe & <Co>")
    code, output = run(
        "build", "--drug", "baclofen", "--lang", "de", "--audience", "taper",
        "--format", "pdf,html", "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 0, output
    facts = read_facts_pypdf((tmp_path / "de/baclofen-taper.pdf").read_bytes())
    assert len(facts.page_texts) == 2
    for number, page in enumerate(facts.page_texts, start=1):
        assert 'Grundlage: O\'Briens "US-Fachinformation" & <Anhang> a\\b' in page
        assert f"Seite {number} von 2 – l'Annexe & <Co>" in page
    for entity in ("&#39;", "&#34;", "&amp;", "&lt;", "&gt;", "\\3c", "\\\\"):
        assert entity not in facts.text
    html = (tmp_path / "de/baclofen-taper.html").read_text(encoding="utf-8")
    footer = html[html.index('<footer class="running">') :]
    text = re.sub(r"<[^>]+>", "", footer[: footer.index("</footer>")])
    assert 'Grundlage: O\'Briens "US-Fachinformation" & <Anhang> a\\b' in unescape(text)
    assert "&amp;amp;" not in html and "&amp;#39;" not in html


@pytest.mark.parametrize("lang", ["en", "EN", "en_US", "en-US", "und", "en_XA"])
def test_init_refuses_the_source_language(locales_copy: Path, lang: str) -> None:
    """A catalog for English would print English twice into out/en on the next build."""
    before = sorted(p.name for p in locales_copy.iterdir())
    outcome = run_leaflet("i18n", "init", lang)
    assert outcome.code == 2, outcome.stderr
    assert (
        f"Error: Invalid value for 'LANG': {lang!r} is the source language (English, or the "
        "built-in pseudo-locale), which needs no catalog (expected a language to translate "
        "into, e.g. de, pt_BR, zh_Hans)"
    ) in outcome.lines
    assert sorted(p.name for p in locales_copy.iterdir()) == before


def test_a_catalog_folder_for_english_is_refused_and_never_built(
    tmp_path: Path, locales_copy: Path
) -> None:
    shutil.copytree(locales_copy / "de", locales_copy / "en")
    expected = (
        f"{locales_copy / 'en'}: 'en' is the source language (or the built-in pseudo-locale), "
        "which needs no catalog (expected only languages to translate into: delete this folder)"
    )
    outcome = run_leaflet("check")
    assert (outcome.code, expected in outcome.lines) == (1, True), outcome.stderr
    assert "en" not in locale_codes()
    out = tmp_path / "out"
    outcome = run_leaflet("build", "--lang", "all", "--audience", "clinician", "--out", str(out))
    assert outcome.code == 1 and expected in outcome.lines, outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert (out / "en/baclofen-clinician.pdf").exists()  # English itself still builds, once
