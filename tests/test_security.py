"""Security: no network, no file outside the project, nothing active inside a PDF.

Record text, translations and settings are typed by people; none of it may make
leaflet fetch a URL, read a file, attach or run anything. The renderer's own
blocking of file:, http: and https: resources and symbolic links is tested in
test_pdf.py; here whole builds run with the network cut and their PDFs are
inspected object by object.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from leaflet.verify.preflight import extract_text

from .conftest import FICTIONAL, ROOT
from .helpers import run_leaflet

HOSTILE_TEXT = (
    "See <img src='file:///etc/passwd'> and <link rel='attachment' href='file:///etc/hostname'> "
    "or <style>@import url(http://example.invalid/x.css);</style> at https://example.invalid/x"
)


@pytest.fixture()
def network_cut(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Make every attempt to reach the network fail, and remember it."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network access during a leaflet build")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def _hostile_record(tmp_path: Path) -> Path:
    data = yaml.safe_load(FICTIONAL.read_text(encoding="utf-8"))
    data["contraindications"][0]["patient"] = HOSTILE_TEXT
    data["contraindications"][0]["clinician"] = HOSTILE_TEXT
    path = tmp_path / "examplofen.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _objects(reader: PdfReader) -> list[DictionaryObject]:
    """Every dictionary reachable from the document's root (each visited once)."""
    seen: set[int] = set()
    found: list[DictionaryObject] = []
    stack: list[Any] = [reader.trailer["/Root"]]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            found.append(item)
            stack.extend(value for key, value in item.items() if key != "/Parent")
        elif isinstance(item, list):
            stack.extend(item)
    return found


#: Names that would make a PDF attach, launch, run or submit something.
ACTIVE = {
    "/EmbeddedFiles",
    "/EmbeddedFile",
    "/JavaScript",
    "/JS",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/OpenAction",
    "/AA",
    "/RichMedia",
}


def test_a_build_with_hostile_text_reaches_no_network_and_prints_the_text(
    tmp_path: Path, network_cut: list[Any]
) -> None:
    record = _hostile_record(tmp_path)
    out_dir = tmp_path / "out"
    outcome = run_leaflet(
        "build",
        "--record",
        str(record),
        "--lang",
        "en,de",
        "--out",
        str(out_dir),
        "--format",
        "all",
        "--jobs",
        "1",
        "--online-url",
        "https://example.invalid/{drug}/{lang}/{audience}",
    )
    assert outcome.code == 1, outcome.stderr  # de has no translation of the new text
    assert network_cut == []
    for audience in ("patient", "clinician"):
        text = " ".join(
            extract_text((out_dir / "en" / f"examplofen-{audience}.pdf").read_bytes()).split()
        )
        assert "See <img src='file:///etc/passwd'>" in text
        html = (out_dir / "en" / f"examplofen-{audience}.html").read_text(encoding="utf-8")
        assert "&lt;img src=" in html and "<img src='file:" not in html
        assert "<link rel='attachment'" not in html


def test_no_document_attaches_launches_or_runs_anything(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    outcome = run_leaflet(
        "build",
        "--record",
        str(_hostile_record(tmp_path)),
        "--out",
        str(out_dir),
        "--online-url",
        "https://example.invalid/{drug}/{lang}/{audience}",
    )
    assert outcome.code == 0, outcome.stderr
    pdfs = sorted(out_dir.rglob("*.pdf"))
    assert len(pdfs) == 3
    for pdf in pdfs:
        dictionaries = _objects(PdfReader(pdf))
        assert len(dictionaries) > 100  # the walk reached the pages, fonts and tags
        names = {str(key) for d in dictionaries for key in d} | {
            str(d.get("/S")) for d in dictionaries
        }
        assert not names & ACTIVE, (pdf.name, names & ACTIVE)
        uris = {str(d["/URI"]) for d in dictionaries if "/URI" in d}
        assert uris <= {f"https://example.invalid/examplofen/en/{pdf.stem.split('-')[1]}"}
        subtypes = {str(d.get("/Subtype")) for d in dictionaries if d.get("/Type") == "/Annot"}
        assert subtypes <= {"/Link"}, subtypes


def test_the_patients_name_is_printed_but_kept_out_of_metadata_and_messages(
    tmp_path: Path,
) -> None:
    name = "Jane Example-Patient"
    out_file = tmp_path / "taper.pdf"
    outcome = run_leaflet(
        "taper",
        "--drug",
        "baclofen",
        "--current-dose",
        "60",
        "--tablet-mg",
        "10",
        "--days",
        "14",
        "--start",
        "2026-12-07",
        "--patient-name",
        name,
        "--out",
        str(out_file),
    )
    assert outcome.code == 0, outcome.stderr
    assert name in " ".join(extract_text(out_file.read_bytes()).split())
    reader = PdfReader(out_file)
    metadata = " ".join(str(v) for v in (reader.metadata or {}).values())
    xmp = reader.trailer["/Root"].get("/Metadata")
    xmp_text = xmp.get_object().get_data().decode("utf-8", "replace") if xmp else ""
    assert name not in metadata and name not in xmp_text
    assert name not in outcome.stdout + outcome.stderr
    assert not list(ROOT.glob("*.log"))


@pytest.mark.parametrize(
    ("planted", "message"),
    [
        (
            "en",
            "en/examplofen-clinician.pdf: leads out of the output folder through a symbolic link "
            "(expected a file inside the folder). To fix: remove the link, or use another --out",
        ),
        (
            "manifest.json",
            "manifest.json: leads out of the output folder through a symbolic link (expected a "
            "file inside the folder). To fix: remove the link, or use another --out",
        ),
        (
            ".leaflet.lock",
            ".leaflet.lock: the lock file is a symbolic link (expected a plain file that leaflet "
            "creates). To fix: remove the link",
        ),
    ],
)
def test_a_symbolic_link_planted_in_the_output_folder_is_never_followed(
    tmp_path: Path, planted: str, message: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim"
    victim.write_text("keep", encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / planted).symlink_to(outside if planted == "en" else victim)
    outcome = run_leaflet(
        "build", "--record", str(FICTIONAL), "--audience", "clinician", "--out", str(out_dir)
    )
    assert outcome.code == 1
    assert f"{out_dir}/{message}" in outcome.lines, outcome.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["victim"]
    assert victim.read_text(encoding="utf-8") == "keep"
    if planted != "en":  # refused before anything was rendered or written
        assert [p.name for p in out_dir.iterdir()] == [planted]
