"""Preflight: normalised text search, page limits and metadata, on real PDFs."""

from __future__ import annotations

import pytest
import weasyprint

from leaflet.render.pdf import Renderer
from leaflet.verify.preflight import (
    RequiredText,
    check_html,
    check_pdf,
    contains,
    normalise,
    read_facts,
)


def test_normalise_joins_hyphenated_words_and_folds_spaces() -> None:
    assert normalise("Tages\u2010\ndosis") == "Tagesdosis"
    assert normalise("soft\u00ad\n hyphen") == "softhyphen"
    # A compound broken after its own hyphen is one word again; the hyphen stays.
    assert normalise("vous-\nmême") == "vous-même"
    assert normalise("keep -\nreal") == "keep - real"  # a dash between words stays apart
    assert normalise("10\u00a0mg  and\u202f5\n mg") == "10 mg and 5 mg"
    assert normalise("\u200fمرحبا\u200e") == "مرحبا"
    assert normalise("don\u2019t") == "don't"
    assert normalise("每日\n最大剂量") == "每日最大剂量"


@pytest.fixture(scope="module")
def two_pages() -> bytes:
    filler = "<p>" + "Words that fill the page. " * 400 + "</p>"
    html = (
        '<!DOCTYPE html><html lang="en"><head><title>Test title</title></head><body>'
        f"<p>Do not stop taking this medicine suddenly.</p>{filler}</body></html>"
    )
    return Renderer().render(html).data


def test_a_present_warning_passes(two_pages: bytes) -> None:
    facts = read_facts(two_pages)
    required = [RequiredText("stop", "Do not stop taking this medicine suddenly.")]
    assert check_pdf(facts, required, lang="en", min_pages=1, max_pages=4) == []


def test_missing_warning_page_limit_and_language_are_all_reported(two_pages: bytes) -> None:
    facts = read_facts(two_pages)
    assert facts.pages == 2
    problems = check_pdf(
        facts,
        [RequiredText("alcohol", "Do not drink alcohol.")],
        lang="de",
        min_pages=1,
        max_pages=1,
    )
    assert problems == [
        "required warning 'alcohol' is missing from the PDF text (expected 'Do not drink "
        "alcohol.')",
        "page limit not met (expected exactly 1 page(s), got 2); shorten the text or adjust "
        "the layout",
        "PDF language is wrong (expected /Lang 'de', got 'en')",
    ]


def test_normalise_drops_characters_that_print_nothing() -> None:
    # Soft hyphens, zero-width space and joiners, word joiner, bidi marks and isolates,
    # a variation selector, the byte-order mark: a translator's text may hold them all.
    marked = "Do\u00adnot \u2066stop\u2069 sud\u200bden\u2060ly\u200c\u200d\u200e\u200f\ufe0f\ufeff"
    assert normalise(marked) == "Donot stop suddenly"
    # A soft hyphen where the line broke still joins the word, as before.
    assert normalise("exam\u00ad\nplofen") == "examplofen"


def test_a_word_broken_inside_where_its_line_ends_is_found() -> None:
    # A word too long for its line breaks without a hyphen; the extractor reports a space.
    page = normalise("Do not stop taking Examplofenxxxx\nxxxxxxxx\nxxx suddenly.")
    assert contains(page, "Do not stop taking Examplofenxxxxxxxxxxxxxxx suddenly.", rtl=False)
    # So is a word broken at a zero-width space, which prints no space.
    assert contains(normalise("sud\ndenly"), "sud\u200bdenly", rtl=False)
    # A space the needle has is never dropped, and its words stay in order.
    assert not contains(normalise("Do not stoptaking"), "Do not stop taking", rtl=False)
    assert not contains(page, "not Do stop", rtl=False)


@pytest.mark.parametrize(
    "needle", ["", "   ", "\u2066\u2069", "\u00ad\u00ad", "\u200b\u2060", "—  1, 2.", "…"]
)
@pytest.mark.parametrize("rtl", [False, True])
def test_a_text_without_letters_is_never_found(needle: str, rtl: bool) -> None:
    # The page holds every needle as written, marks included: none may count as found.
    page = normalise("— 1, 2. … \u00ad\u00ad \u200b\u2060 Do not stop taking this medicine.")
    assert not contains(page, needle, rtl=rtl)


def test_preflight_refuses_a_required_text_without_letters(two_pages: bytes) -> None:
    facts = read_facts(two_pages)
    required = [
        RequiredText("stop", "Do not stop taking this medicine suddenly."),
        RequiredText("isolates", "\u2066\u2069"),
        RequiredText("dashes", "—  1, 2."),
        RequiredText("soft-hyphens", "\u00ad\u00ad"),
        RequiredText("empty", ""),
    ]
    expected = [
        f"required warning {name!r} has no letters to look for (expected words a reader can "
        f"read, got {text!r}; write its text in the record or translation, and report this: "
        "leaflet should have refused it earlier)"
        for name, text in [
            ("isolates", "\u2066\u2069"),
            ("dashes", "—  1, 2."),
            ("soft-hyphens", "\u00ad\u00ad"),
            ("empty", ""),
        ]
    ]
    assert check_pdf(facts, required, lang="en", min_pages=1, max_pages=4) == expected
    html = '<html lang="en"><body><p>— 1, 2. Do not stop taking this medicine suddenly.</p>'
    assert check_html(html, required, lang="en") == expected


def test_text_outside_the_printable_area_is_refused_and_named_by_page() -> None:
    """A table too wide for the page: its last column is printed past the paper's edge."""
    cells = "".join(f"<td>Column{i}</td>" for i in range(12))
    html = (
        "<html lang='en'><head><title>t</title><style>@page { size: A4; margin: 14mm }"
        "td { overflow-wrap: normal }</style></head><body>"
        "<p>Do not stop taking this medicine suddenly.</p>"
        f"<p style='break-before: page'>Second page.</p><table><tr>{cells}</tr></table>"
        "</body></html>"
    )
    data = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    required = [RequiredText("stop", "Do not stop taking this medicine suddenly.")]
    assert check_pdf(read_facts(data), required, lang="en", min_pages=1, max_pages=2) == [
        "text runs off the page on page 2 (expected every character inside the printable "
        "area, at least 5 mm from the paper's edge; got 'Column10' past the right edge): "
        "shorten the word or break it with a space or a hyphen"
    ]
