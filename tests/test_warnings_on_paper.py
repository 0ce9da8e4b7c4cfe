"""Required warnings on paper: found, and inked inside the printable area, whatever their words.

Every required warning of every record (real and fictional) is given a word too
long for any line — and, in a second build, soft hyphens, zero-width spaces, word
joiners, bidi marks and isolates — and the records are built for real, English,
patient leaflet, clinician card and taper handout. The PDFs are read back
character by character with PDFium: each inserted word is on the page, broken
over lines, and every one of its characters lies inside the printable area (the
paper less 5 mm at each edge). A hand-made PDF whose warning runs off the page
is refused.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polib
import pypdfium2 as pdfium
import pytest
import weasyprint
import yaml

from leaflet.verify.preflight import RequiredText, check_pdf, read_facts, read_facts_pypdf

from .conftest import ALL_RECORDS, FICTIONAL
from .helpers import run_leaflet

AUDIENCES = ("patient", "clinician", "taper")
POINTS_PER_MM = 72 / 25.4
#: The printable area: the paper less 5 mm at each edge, less 1 pt for a glyph's overhang.
INSET_PT = 5 * POINTS_PER_MM - 1.0
#: What PDFium reports where a line breaks inside a word: not part of the word.
_BREAKS = "\r\n\u2010\ufffe"

#: Edits a warning's text, given a number unique to it and where it is printed (an
#: audience, or "boxed" for a boxed warning across the clinician card); returns the
#: new text and the word a reader must then see printed.
Edit = Callable[[str, int, str], tuple[str, str]]


#: Letters longer than any line where a warning is printed: a patient leaflet's or a
#: taper handout's line, or a boxed warning across the clinician card, holds at most
#: about 140; a column of the card about 50. No longer, so that a card with a dozen
#: of them, each a few lines longer, still fits its one page.
LONG = {"patient": 150, "taper": 150, "boxed": 150, "clinician": 64}


def long_word(tag: int, length: int = 204) -> str:
    """Letters with no break opportunity, different for each tag."""
    letters = string.ascii_lowercase
    return ("Unbroken" + letters[tag % 26] + letters[tag // 26 % 26] + letters * 8)[:length]


def insert(text: str, inserted: str) -> str:
    """``text`` with ``inserted`` after its first word."""
    first, _, rest = text.partition(" ")
    return f"{first} {inserted} {rest}".strip()


def with_long_word(text: str, tag: int, where: str) -> tuple[str, str]:
    """``text`` with a word longer than any of its lines after its first word."""
    word = long_word(tag, LONG[where])
    return insert(text, word), word


def with_invisible_marks(text: str, tag: int, where: str) -> tuple[str, str]:
    """``text`` with marks that print nothing, and a word too long for its lines.

    The word has a soft hyphen after every third letter, so it breaks at one
    (printing a hyphen there and nowhere else); it sits between bidi isolates.
    A zero-width space, a word joiner and left-to-right and right-to-left marks
    sit inside other words, where they change nothing a reader sees.
    """
    letters = long_word(tag, LONG[where])
    soft = "\u00ad".join(letters[i : i + 3] for i in range(0, len(letters), 3))
    marks = f"\u2066{soft}\u2069 sud\u200bden\u2060ly \u200emar\u200fked"
    return insert(text, marks), letters


def edit_records(folder: Path, edit: Edit) -> dict[str, dict[str, list[str]]]:
    """Copy every record into ``folder``, each required warning's text edited.

    Returns, per drug and audience, the inserted words that document must print
    (the warnings required in it, and on the clinician card the boxed warnings).
    """
    words: dict[str, dict[str, list[str]]] = {}
    tag = 0
    for source in ALL_RECORDS:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        documents = data.get("documents") or list(AUDIENCES)
        drug = data["drug"]["id"]
        wanted: dict[str, list[str]] = {audience: [] for audience in documents}
        for warning in data["warnings"]:
            for audience in warning.get("required_in") or []:
                if warning.get(audience) and audience in documents:
                    tag += 1
                    warning[audience], word = edit(warning[audience], tag, audience)
                    wanted[audience].append(word)
        for box in data.get("boxed_warnings") or []:
            for holder, key in [(box, "title"), *((p, "text") for p in box["paragraphs"])]:
                tag += 1
                holder[key], word = edit(holder[key], tag, "boxed")
                if "clinician" in documents:
                    wanted["clinician"].append(word)
        (folder / source.name).write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        words[drug] = wanted
    return words


def build_edited(folder: Path, edit: Edit, *options: str) -> tuple[Path, dict[str, Any]]:
    """Build every edited record in English; return the output folder and inserted words."""
    records = folder / "records"
    records.mkdir()
    words = edit_records(records, edit)
    out = folder / "out"
    paths = [arg for path in sorted(records.iterdir()) for arg in ("--record", str(path))]
    outcome = run_leaflet("build", *paths, "--out", str(out), "-q", *options)
    assert outcome.code == 0, outcome.stderr
    return out, words


@pytest.fixture(scope="module")
def long_words_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Every record, each required warning with a word too long for a line, A4 and Letter."""
    return build_edited(tmp_path_factory.mktemp("long"), with_long_word, "--paper", "all")


@pytest.fixture(scope="module")
def marks_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Every record, each required warning with soft hyphens and invisible marks, on A4."""
    return build_edited(tmp_path_factory.mktemp("marks"), with_invisible_marks)


def ink_of_words(data: bytes, words: list[str]) -> tuple[dict[str, int], list[str]]:
    """Find each word on the pages by its characters, wherever its lines break.

    Returns how often each word was found and what is wrong with where it is:
    every character of it inked outside the printable area, and each time it was
    found on one line (too long for any line, it must have wrapped).
    """
    found = dict.fromkeys(words, 0)
    outside: list[str] = []
    document = pdfium.PdfDocument(data)
    for number, page in enumerate(document, 1):
        left, bottom, right, top = page.get_cropbox()
        textpage = page.get_textpage()
        chars = [(i, textpage.get_text_range(i, 1)) for i in range(textpage.count_chars())]
        kept = [(i, char) for i, char in chars if char not in _BREAKS]
        text = "".join(char for _, char in kept)
        for word in words:
            for match in re.finditer(re.escape(word), text):
                found[word] += 1
                span = kept[match.start() : match.end()]
                if span[-1][0] - span[0][0] + 1 == len(word):
                    outside.append(f"page {number}: {word[:12]}… is not broken over lines")
                for i, char in span:
                    x0, y0, x1, y1 = textpage.get_charbox(i)
                    if (
                        x0 < left + INSET_PT
                        or y0 < bottom + INSET_PT
                        or x1 > right - INSET_PT
                        or y1 > top - INSET_PT
                    ):
                        outside.append(f"page {number}: {char!r} of {word[:12]}… at {x0:.0f}")
    return found, outside


def built_documents(out: Path) -> list[dict[str, Any]]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    documents: list[dict[str, Any]] = manifest["documents"]
    return documents


def assert_words_printed_inside(out: Path, words: dict[str, Any], papers: set[str]) -> None:
    documents = built_documents(out)
    built = {(d["drug"], d["audience"], d["paper"]) for d in documents}
    expected = {
        (drug, audience, paper)
        for drug, audiences in words.items()
        for audience in audiences
        for paper in papers
    }
    assert built == expected
    for entry in documents:
        wanted = words[entry["drug"]][entry["audience"]]
        assert wanted, entry["path"]
        data = (out / entry["path"]).read_bytes()
        found, outside = ink_of_words(data, wanted)
        assert [w[:12] for w, n in found.items() if n == 0] == [], entry["path"]
        assert outside == [], entry["path"]
        # The second, independent reader finds every word too, broken over lines.
        squeezed = re.sub(r"\s+", "", read_facts_pypdf(data).text)
        assert [w[:12] for w in wanted if w not in squeezed] == [], entry["path"]


def test_a_word_too_long_for_any_line_wraps_inside_the_page_in_every_document(
    long_words_build: tuple[Path, dict[str, Any]],
) -> None:
    out, words = long_words_build
    assert_words_printed_inside(out, words, {"a4", "letter"})


def test_soft_hyphens_and_invisible_marks_in_a_warning_pass_preflight(
    marks_build: tuple[Path, dict[str, Any]],
) -> None:
    out, words = marks_build
    assert_words_printed_inside(out, words, {"a4"})
    # The soft-hyphenated words are longer than any line: they broke at a soft hyphen,
    # which prints a hyphen there (and only there).
    card = (out / "en" / "examplofen-clinician.pdf").read_bytes()
    assert "\u2010\r\n" in "".join(read_facts(card).page_texts)


def test_a_204_letter_word_wraps_inside_the_page_in_every_document_and_edition(
    tmp_path: Path,
) -> None:
    """The issue's word, in one warning of each document: A4, Letter and large print."""
    records = tmp_path / "records"
    records.mkdir()
    data = yaml.safe_load(FICTIONAL.read_text(encoding="utf-8"))
    warning = data["warnings"][0]
    assert warning["required_in"] == list(AUDIENCES)
    for tag, audience in enumerate(AUDIENCES):
        warning[audience] = insert(warning[audience], long_word(tag))
    record = records / FICTIONAL.name
    record.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    out = tmp_path / "out"
    outcome = run_leaflet(
        "build", "--record", str(record), "--large-print", "--paper", "all", "--out", str(out)
    )
    assert outcome.code == 0, outcome.stderr
    documents = built_documents(out)
    assert len(documents) == 12  # three documents, A4 and Letter, standard and large print
    for entry in documents:
        word = long_word(AUDIENCES.index(entry["audience"]))
        found, outside = ink_of_words((out / entry["path"]).read_bytes(), [word])
        assert (found[word], outside) == (1, []), entry["path"]


@pytest.mark.parametrize(
    ("lang", "inserted"),
    [
        # A run of Arabic letters longer than a line, in a right-to-left document.
        ("ar", "الانسحابالمفاجئ" * 12),
        # A Latin word with no break opportunity inside Chinese text.
        ("zh_Hans", long_word(7)),
    ],
)
def test_a_long_word_in_a_translated_warning_stays_inside_the_page(
    tmp_path: Path, locales_copy: Path, lang: str, inserted: str
) -> None:
    catalog = locales_copy / lang / "LC_MESSAGES" / "records.po"
    po = polib.pofile(str(catalog), wrapwidth=0)
    entry = po.find("baclofen:warnings.abrupt-withdrawal.patient", by="msgctxt")
    assert entry is not None
    entry.msgstr = f"{inserted} {entry.msgstr}"
    po.save(str(catalog))
    out = tmp_path / "out"
    outcome = run_leaflet(
        "build", "--drug", "baclofen", "--lang", lang, "--audience", "patient", "--out", str(out)
    )
    assert outcome.code == 0, outcome.stderr
    data = (out / lang / "baclofen-patient.pdf").read_bytes()
    assert read_facts(data, rtl=lang == "ar").strays == ()
    document = pdfium.PdfDocument(data)
    for page in document:
        left, bottom, right, top = page.get_cropbox()
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):
            x0, y0, x1, y1 = textpage.get_charbox(i)
            assert left <= x0 and x1 <= right and bottom <= y0 and y1 <= top


OVERFLOWING = (
    "<!DOCTYPE html><html lang='en'><head><title>t</title>"
    "<style>@page { size: A4; margin: 14mm }</style></head><body>"
    "<p>Take one tablet a day.</p>"
    "<p style='overflow-wrap: normal'>Do not stop taking {word} suddenly.</p>"
    "</body></html>"
)


def test_a_warning_that_runs_off_the_page_is_refused_with_its_name_and_page() -> None:
    """Rendered as the templates rendered it before: a long word could not break."""
    word = long_word(0)
    text = f"Do not stop taking {word} suddenly."
    html = OVERFLOWING.replace("{word}", word)
    data = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    facts = read_facts(data)
    problems = check_pdf(
        facts, [RequiredText("abrupt-withdrawal", text)], lang="en", min_pages=1, max_pages=1
    )
    assert problems == [
        "required warning 'abrupt-withdrawal' runs off the page on page 1 (expected every "
        "character inside the printable area, at least 5 mm from the paper's edge; got "
        "'Unbrokenaaabcdefghijklmnopqrstuvwxyza...' past the right edge): shorten the word or "
        "break it with a space or a hyphen"
    ]
    # The same words, free to break, are printed inside the page and pass.
    wrapped = weasyprint.HTML(string=html.replace("normal", "anywhere")).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    assert (
        check_pdf(
            read_facts(wrapped),
            [RequiredText("abrupt-withdrawal", text)],
            lang="en",
            min_pages=1,
            max_pages=1,
        )
        == []
    )
