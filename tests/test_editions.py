"""Accessible and print-ready editions: PDF/UA structure, type sizes, large print, branding,
the online link, and the HTML edition in a real browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zlib
from collections import Counter
from itertools import pairwise
from pathlib import Path
from struct import pack

import pdfplumber
import pytest
from click.testing import CliRunner

from leaflet.publish.build import BuildOptions, build, output_name
from leaflet.publish.checks import check_records
from leaflet.publish.document import required_texts
from leaflet.render.context import build_context
from leaflet.render.presentation import Presentation, load_branding
from leaflet.verify.preflight import html_text, normalise, read_facts_pypdf

from .conftest import BACLOFEN, LOCALES, Built

AUDIENCES = ("patient", "clinician", "taper")
LANGS = ("en", *LOCALES)
URL = "https://example.org/{drug}/{lang}/{audience}"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(__import__("leaflet.cli.main").cli.main.cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def png(width: int, height: int) -> bytes:
    """A small, valid PNG: a teal rectangle."""
    raw = b"".join(b"\x00" + bytes([11, 79, 92]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return pack(">I", len(data)) + body + pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


SETTINGS = """[branding]
name = "Main Street Pharmacy"
address = "1 Main Street, Springfield"
phone = "555-0199"
logo = "logo.png"
"""


@pytest.fixture(scope="session")
def settings_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("settings")
    (folder / "logo.png").write_bytes(png(120, 40))
    path = folder / "leaflet.toml"
    path.write_text(SETTINGS, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def editions_build(tmp_path_factory: pytest.TempPathFactory, settings_file: Path) -> Built:
    """Large print and HTML, branded and with the online link, in every complete language."""
    out = tmp_path_factory.mktemp("editions")
    report = build(
        BuildOptions(
            records=(BACLOFEN,),
            out_dir=out,
            langs=LANGS,
            large_print=True,
            formats=("pdf", "html"),
            branding=load_branding(settings_file),
            online_url=URL,
            jobs=2,
        )
    )
    return Built(report, out)


# --- tagged PDF (PDF/UA-1, the machine-checkable parts) ----------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_pdf_is_tagged_for_screen_readers(all_locales_build: Built, lang: str) -> None:
    assert all_locales_build.report.ok
    for audience in AUDIENCES:
        for paper in ("a4", "letter"):
            facts = all_locales_build.facts(output_name("baclofen", audience, lang, paper))
            tags = [tag for tag, _ in facts.structure]
            assert facts.marked and facts.shows_title and facts.title
            assert facts.lang == lang.replace("_", "-")
            assert tags[0] == "/Document"
            headings = [int(tag[2]) for tag in tags if re.fullmatch(r"/H[1-6]", tag)]
            assert headings[0] == 1 and headings.count(1) == 1
            assert all(b <= a + 1 for a, b in pairwise(headings))
            if "/Table" in tags:
                assert "/TH" in tags
            assert tags.count("/LI") == tags.count("/LBody") > 0


def test_images_carry_alternative_text(editions_build: Built) -> None:
    facts = editions_build.facts("en/baclofen-patient.pdf")
    figures = [alt for tag, alt in facts.structure if tag == "/Figure"]
    assert figures == [
        "Main Street Pharmacy",
        "QR code: the online version of this document, https://example.org/baclofen/en/patient",
    ]
    spanish = editions_build.facts("es_US/baclofen-taper-large.pdf")
    assert [alt for tag, alt in spanish.structure if tag == "/Figure"][1] == (
        "Código QR: la versión en línea de este documento, https://example.org/baclofen/es_US/taper"
    )


# --- type sizes ---------------------------------------------------------------------------


def char_sizes(path: Path) -> tuple[Counter[float], Counter[float]]:
    """Character sizes in the page body and in the running header and footer."""
    body: Counter[float] = Counter()
    chrome: Counter[float] = Counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            # The running header sits in the top margin, the footer in the bottom one.
            headers = [c for c in page.chars if c["top"] < 36]
            footer_top = min(
                (c["top"] for c in page.chars if c["top"] > page.height - 45), default=page.height
            )
            for char in page.chars:
                if char["text"].isspace():
                    continue
                size = round(char["size"], 1)
                target = chrome if char in headers or char["top"] >= footer_top else body
                target[size] += 1
    return body, chrome


@pytest.mark.parametrize("lang", ["en", "de", "ar", "zh_Hans"])
def test_standard_type_sizes(all_locales_build: Built, lang: str) -> None:
    for audience in AUDIENCES:
        path = all_locales_build.out_dir / output_name("baclofen", audience, lang, "a4")
        body, chrome = char_sizes(path)
        assert min(chrome) >= 8, (audience, chrome)
        floor = 7.5 if audience == "clinician" else 10
        assert min(body) >= floor, (audience, sorted(body.items())[:3])


@pytest.mark.parametrize("lang", LANGS)
def test_large_print_is_18_pt_with_nothing_below_14(editions_build: Built, lang: str) -> None:
    assert editions_build.report.ok, editions_build.report.problems
    for audience in AUDIENCES:
        path = editions_build.out_dir / output_name(
            "baclofen", audience, lang, "a4", Presentation(large_print=True)
        )
        body, chrome = char_sizes(path)
        sizes = body + chrome
        assert min(sizes) >= 14, (audience, sorted(sizes.items())[:3])
        assert body.most_common(1)[0][0] >= 18, body.most_common(3)
        # Line height at least 1.5: successive body lines at 18 pt are 27 pt apart.
        with pdfplumber.open(path) as pdf:
            bottoms = sorted(c["bottom"] for c in pdf.pages[1].chars if round(c["size"]) == 18)
        lines = [bottoms[0]]
        for bottom in bottoms[1:]:  # marks above and below a letter belong to its line
            if bottom - lines[-1] > 9:
                lines.append(bottom)
        gaps = Counter(round(b - a) for a, b in pairwise(lines) if b - a < 40)
        assert gaps.most_common(1)[0][0] >= 26, gaps.most_common(3)


def test_large_print_passes_preflight_and_keeps_every_warning(editions_build: Built) -> None:
    record = check_records([BACLOFEN])[0][0]
    for audience in AUDIENCES:
        context = build_context(record, audience, "en", "a4")
        name = output_name("baclofen", audience, "en", "a4", Presentation(large_print=True))
        text = editions_build.facts(name).text
        for item in required_texts(record, context["record"], audience):
            assert " ".join(normalise(item.text).split()[:6]) in text, item.name
    manifest = json.loads((editions_build.out_dir / "manifest.json").read_text())
    editions = Counter((d["edition"], d["format"]) for d in manifest["documents"])
    assert editions == {
        ("standard", "pdf"): 27,
        ("large-print", "pdf"): 27,
        ("standard", "html"): 27,
        ("large-print", "html"): 27,
    }


# --- branding and the online link ---------------------------------------------------------


def test_branding_and_online_link_are_printed(editions_build: Built) -> None:
    for audience in AUDIENCES:
        text = editions_build.facts(output_name("baclofen", audience, "en", "a4")).text
        assert "Main Street Pharmacy" in text
        assert "1 Main Street, Springfield" in text and "555-0199" in text
        # A long address may wrap at a slash; the text then has a space after it.
        assert f"https://example.org/baclofen/en/{audience}" in text.replace("/ ", "/")


@pytest.mark.parametrize(
    ("content", "logo", "message"),
    [
        (
            '[branding]\nnmae = "X"\n',
            None,
            "leaflet.toml:2: branding.nmae: unknown field 'nmae' (expected one of: address, "
            "logo, name, phone; did you mean 'name'?)",
        ),
        (
            '[branding]\naddress = "1 Main Street"\n',
            None,
            "leaflet.toml:1: branding.name: required field is missing (expected a value here, "
            "got nothing)",
        ),
        (
            '[branding]\nname = "X"\nlogo = "missing.png"\n',
            None,
            "leaflet.toml:3: branding.logo: logo file not found (expected a PNG or JPEG file, "
            "got 'missing.png')",
        ),
        (
            '[branding]\nname = "X"\nlogo = "logo.png"\n',
            b"GIF89a not a png",
            "leaflet.toml:3: branding.logo: logo is not a PNG or JPEG image (expected a .png or "
            ".jpg file, got 'logo.png')",
        ),
        (
            '[branding]\nname = "X\n',
            None,
            "leaflet.toml:2: TOML syntax error: Illegal character '\\n' (expected key = \"value\" "
            "lines under a [section]; check the quotes on this line)",
        ),
    ],
)
def test_a_bad_settings_file_is_one_clear_message(
    tmp_path: Path, content: str, logo: bytes | None, message: str
) -> None:
    settings = tmp_path / "leaflet.toml"
    settings.write_text(content, encoding="utf-8")
    if logo is not None:
        (tmp_path / "logo.png").write_bytes(logo)
    code, output = run(
        "build", "--settings", str(settings), "--out", str(tmp_path / "out"), "--audience", "taper"
    )
    assert code == 1
    lines = [line.replace(str(tmp_path) + "/", "") for line in output.splitlines()]
    assert message in lines, lines
    assert "Traceback" not in output
    assert not (tmp_path / "out").exists()


def test_a_bad_online_address_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run("build", "--online-url", "https://x.org/{drug}/{language}")
    assert code == 2
    assert "unknown placeholder {language} (expected {drug}, {lang}, {audience})" in output


# --- HTML edition ---------------------------------------------------------------------------


def test_html_is_self_contained_and_carries_every_warning(editions_build: Built) -> None:
    record = check_records([BACLOFEN])[0][0]
    for lang in LANGS:
        for audience in AUDIENCES:
            name = output_name("baclofen", audience, lang, "a4", Presentation(html=True))
            html = (editions_build.out_dir / name).read_text(encoding="utf-8")
            assert (
                f'<html lang="{lang.replace("_", "-")}" dir="{"rtl" if lang == "ar" else "ltr"}">'
                in html
            )
            assert "<link" not in html and "<script" not in html
            assert not re.search(r'(src|href)="(?!data:)', html), "external resource"
            if lang == "en":
                text = html_text(html)
                context = build_context(record, audience, "en", "a4")
                for item in required_texts(record, context["record"], audience):
                    assert normalise(item.text) in text, item.name


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
    "--virtual-time-budget=5000",
]
PROBE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="page" src="{name}" style="width:360px;height:4000px;border:0"></iframe>
<script>
document.getElementById("page").addEventListener("load", function () {
  var doc = this.contentDocument, root = doc.documentElement;
  var out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify({
    width: this.contentWindow.innerWidth, client: root.clientWidth, scroll: root.scrollWidth,
    text: doc.body.innerText
  });
  document.body.appendChild(out);
});
</script></body></html>"""


def in_chromium(page: Path, tmp_path: Path) -> dict[str, object]:
    """Open ``page`` 360 px wide in headless Chromium; return what the page reports."""
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is missing: scripts/test.sh installs the Debian package chromium"
    probe = page.parent / f"probe-{page.stem}.html"
    probe.write_text(PROBE.replace("{name}", page.name), encoding="utf-8")
    result = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
         probe.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    probe.unlink()
    match = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S)
    assert match, result.stderr[-2000:]
    from html import unescape

    return dict(json.loads(unescape(match.group(1))))


@pytest.mark.parametrize("lang", ["en", "de", "ar", "zh_Hans"])
@pytest.mark.parametrize("large", [False, True])
def test_html_reads_at_360_px_without_scrolling_sideways(
    editions_build: Built, tmp_path: Path, lang: str, large: bool
) -> None:
    record = check_records([BACLOFEN])[0][0]
    for audience in AUDIENCES:
        name = output_name(
            "baclofen", audience, lang, "a4", Presentation(html=True, large_print=large)
        )
        report = in_chromium(editions_build.out_dir / name, tmp_path)
        assert report["width"] == 360
        assert report["scroll"] <= report["client"], (audience, report["scroll"], report["client"])
        if lang == "en":
            text = normalise(str(report["text"]))
            context = build_context(record, audience, "en", "a4")
            for item in required_texts(record, context["record"], audience):
                assert normalise(item.text) in text, item.name


def test_the_html_edition_is_deterministic(
    editions_build: Built, tmp_path: Path, settings_file: Path
) -> None:
    again = build(
        BuildOptions(
            records=(BACLOFEN,),
            out_dir=tmp_path,
            langs=("ar",),
            formats=("html",),
            large_print=True,
            branding=load_branding(settings_file),
            online_url=URL,
        )
    )
    assert again.ok
    for doc in again.documents:
        assert (tmp_path / doc.path).read_bytes() == (
            editions_build.out_dir / doc.path
        ).read_bytes()


def test_the_pypdf_reader_sees_no_structure_in_an_untagged_pdf() -> None:
    """The structure check can fail: a plain (untagged) WeasyPrint PDF has no tree."""
    import weasyprint

    data = weasyprint.HTML(string="<html lang='en'><title>t</title><h1>x</h1></html>").write_pdf()
    facts = read_facts_pypdf(data)
    assert facts.structure == () and not facts.marked
