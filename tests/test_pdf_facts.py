"""The build's PDFium reader and the independent pypdf reader agree on every document."""

from __future__ import annotations

import re

import pytest
import weasyprint

from leaflet.publish.build import output_name
from leaflet.record.glyphs import FONTS_DIR
from leaflet.translation.languages import PSEUDO_LOCALE
from leaflet.verify.preflight import (
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


PLACED = (
    "<html lang='en'><head><title>t</title><style>"
    "@page {{ size: A4; margin: 15mm; @bottom-left {{ content: 'Page footer'; "
    "vertical-align: bottom; padding-bottom: 6mm }} }}</style></head><body>{body}</body></html>"
)


def test_pdfium_lists_each_body_word_inked_outside_the_printable_area() -> None:
    body = (
        "<p>Inside the page.</p>"
        "<p style='margin-left: -13mm'>Leftward near the edge</p>"
        "<p style='margin-left: -25mm'>Offpaper word</p>"
        "<p style='white-space: nowrap'>Runs " + "past " * 60 + "Rightmost</p>"
    )
    facts = read_facts(
        weasyprint.HTML(string=PLACED.format(body=body)).write_pdf(pdf_variant="pdf/ua-1")
    )
    strays = [(s.page, s.word, s.side, s.off_paper) for s in facts.strays]
    assert strays[:2] == [(1, "Leftward", "left", False), (1, "Offpaper", "left", True)]
    # The line that cannot wrap: from the first word inside the unprinted strip to the
    # last, far past the paper's edge; the words before them are not listed.
    assert strays[2] == (1, "past", "right", False)
    assert strays[-1] == (1, "Rightmost", "right", True)
    assert {stray[1:] for stray in strays[3:-1]} == {("past", "right", True)}
    # With the page's text around it, to tell which text a word belongs to.
    offpaper = facts.strays[1]
    assert offpaper.before.endswith("Leftward near the edge\r\n")
    assert offpaper.after.startswith(" word\r\nRuns past past")


def test_the_running_footer_must_stay_inside_the_printable_area_too() -> None:
    """A footer 6 mm above the edge passes; moved to 1 mm above it, it is listed.

    The running header and footer are checked like the body (a footer printed into
    the strip printers leave blank is cut off), tagged PDF or not.
    """
    inside = PLACED.format(body="<p>Inside the page.</p>")
    assert read_facts(weasyprint.HTML(string=inside).write_pdf(pdf_variant="pdf/ua-1")).strays == ()
    near_edge = inside.replace("padding-bottom: 6mm", "padding-bottom: 1mm")
    for data in (
        weasyprint.HTML(string=near_edge).write_pdf(pdf_variant="pdf/ua-1"),
        weasyprint.HTML(string=near_edge).write_pdf(),
    ):
        facts = read_facts(data)
        assert facts.page_texts[0].endswith("Page footer")
        assert [(s.word, s.side, s.off_paper) for s in facts.strays] == [
            ("Page", "bottom", False),
            ("footer", "bottom", False),
        ]
    assert read_facts_pypdf(weasyprint.HTML(string=near_edge).write_pdf()).strays == ()


def test_a_suspended_compound_broken_after_its_hyphen_is_still_found() -> None:
    """German "Stimmungs- oder Verhaltensänderungen" may break after "Stimmungs-"."""
    warning = "Stimmungs- oder Verhaltensänderungen"
    assert normalise("Stimmungs-\noder Verhaltensänderungen") == normalise(warning)
    narrow = f"<p style='width: 24mm; font-size: 12pt'>{warning}</p>"
    data = weasyprint.HTML(string=f"<html lang='de'><title>t</title>{narrow}</html>").write_pdf()
    facts = read_facts(data)
    assert (
        facts.page_texts[0].startswith("Stimmungs\ufffe")
        or "Stimmungs-\r\n" in (facts.page_texts[0])
    )
    assert contains(facts.text, warning, rtl=False)
    # A word is still a word: a hyphen never swallows a missing letter.
    assert not contains(facts.text, "Stimmungs- oder Verhaltensänderung fehlt", rtl=False)


def test_an_arabic_warning_with_vowelled_clusters_is_found_and_a_changed_one_is_not() -> None:
    """WeasyPrint's ToUnicode maps "خاطئًا" back as "خاطًا": words compare by their skeleton."""
    warning = "لا تستخدمه بشكل خاطئًا أبدًا. أُبلغ عن حالات كثيرة."
    page = f"<p style='font-family: Noto Naskh Arabic'>{warning}</p>"
    html = f"<html lang='ar' dir='rtl'><title>t</title>{page}</html>"
    data = weasyprint.HTML(string=html, base_url=str(FONTS_DIR) + "/").write_pdf()
    text = read_facts(data, rtl=True).text
    assert "خاطئًا" not in text  # the extractor's loss this test is about
    assert contains(text, warning, rtl=True)
    assert not contains(text, "لا تستخدمه بشكل صحيح أبدًا.", rtl=True)
    assert not contains(text, "أُبلغ عن حالات قليلة.", rtl=True)
