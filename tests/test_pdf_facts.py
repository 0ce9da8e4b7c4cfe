"""The build's PDFium reader and the independent pypdf reader agree on every document."""

from __future__ import annotations

import re

import pytest
import weasyprint

from leaflet.build import output_name
from leaflet.languages import PSEUDO_LOCALE
from leaflet.preflight import (
    PdfFacts,
    RequiredText,
    check_pdf,
    contains,
    normalise,
    read_facts,
    read_facts_pypdf,
    structure_problems,
)

from .conftest import LOCALES, Built

AUDIENCES = ("patient", "clinician", "taper")
LANGS = ["en", *LOCALES, PSEUDO_LOCALE]


def _landmarks(facts: PdfFacts) -> list[tuple[str, str | None]]:
    """Headings and figures in order: what the structure checks look at.

    PDFium gives each page its own part of the tree, so an element with content
    on two pages (the /Document, a section) is listed once per page; headings
    and figures are not repeated.
    """
    return [(tag, alt) for tag, alt in facts.structure if re.fullmatch(r"/H[1-6]|/Figure", tag)]


@pytest.mark.parametrize("lang", LANGS)
def test_both_readers_agree_on_every_document(all_locales_build: Built, lang: str) -> None:
    """Pages, language, title, tags, headings and figures read the same with both.

    That each reader finds every required warning is tested elsewhere: PDFium's
    by the build's own preflight (the build succeeded), pypdf's by
    test_documents and test_i18n.
    """
    assert all_locales_build.report.ok
    for audience in AUDIENCES:
        for paper in ("a4", "letter"):
            name = output_name("baclofen", audience, lang, paper)  # type: ignore[arg-type]
            data = (all_locales_build.out_dir / name).read_bytes()
            fast, second = read_facts(data, rtl=lang == "ar"), read_facts_pypdf(data)
            assert (fast.pages, fast.lang, fast.title, fast.marked) == (
                second.pages,
                second.lang,
                second.title,
                second.marked,
            ), name
            assert _landmarks(fast) == _landmarks(second), name
            assert fast.shows_title is None and second.shows_title is True
            assert len(fast.page_texts) == fast.pages


def test_pdfium_reports_a_hyphen_that_ends_a_line_as_one_normalised_word() -> None:
    """PDFium gives "Rebound-" / "Spastik" as "Rebound" U+FFFE "Spastik"."""
    assert normalise("Rebound\ufffeSpastik") == "Rebound-Spastik"
    width = "<p style='width: 28mm; font-size: 12pt'>Abruptes Absetzen: Rebound-Spastik</p>"
    html = f"<html lang='de'><title>t</title>{width}</html>"
    data = weasyprint.HTML(string=html).write_pdf()
    assert read_facts(data).page_texts[0] == "Abruptes\r\nAbsetzen:\r\nRebound\ufffeSpastik"
    assert contains(read_facts(data).text, "Abruptes Absetzen: Rebound-Spastik", rtl=False)


def test_pdfium_sees_no_structure_in_an_untagged_pdf() -> None:
    data = weasyprint.HTML(string="<html lang='en'><title>t</title><h1>x</h1></html>").write_pdf()
    facts = read_facts(data)
    assert facts.structure == () and not facts.marked
    assert facts.title == "t" and facts.lang == "en" and facts.pages == 1
    assert structure_problems(facts) == [
        "PDF is not tagged (expected a structure tree and /MarkInfo marked)"
    ]


def test_a_missing_warning_fails_with_either_reader() -> None:
    html = "<html lang='en'><title>t</title><p>Take one tablet.</p></html>"
    data = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    wanted = [RequiredText("stop", "Do not stop suddenly.")]
    for facts in (read_facts(data), read_facts_pypdf(data)):
        assert check_pdf(facts, wanted, lang="en", min_pages=1, max_pages=1) == [
            "required warning 'stop' is missing from the PDF text "
            "(expected 'Do not stop suddenly.')"
        ]
