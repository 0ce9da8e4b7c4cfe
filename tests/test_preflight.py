"""Preflight: normalised text search, page limits and metadata, on real PDFs."""

from __future__ import annotations

import pytest

from leaflet.pdf import Renderer
from leaflet.preflight import RequiredText, check_pdf, normalise, read_facts


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
