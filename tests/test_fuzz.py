"""Fuzzing: mutated records and catalogs never crash leaflet or leave partial output.

Hypothesis mutates the valid fictional record and a German catalog (leaflet's
own, or the project's of its records) the way a hurried editor does (a line
lost or doubled, stray characters, a value replaced by something of the wrong
kind, bytes of another encoding). Whatever comes out, leaflet must answer with
exit 0 or 1, never a traceback, and a build must leave only complete, listed
documents.

CI runs a few hundred examples, the same ones each time; a longer, random run
is described in docs/robustness.md (``LEAFLET_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from leaflet.project import Project
from leaflet.publish.writer import TEMP_PREFIX
from leaflet.translation.domains import DOMAINS, po_relative_path

from .conftest import FICTIONAL, ROOT, copy_project, use_private_project
from .helpers import Outcome, files_under, run_leaflet

#: Examples per fuzz test; CI keeps the default, a long run raises it.
EXAMPLES = int(os.environ.get("LEAFLET_FUZZ_EXAMPLES", "0")) or None
FUZZ = settings(
    max_examples=EXAMPLES or 150,
    derandomize=EXAMPLES is None,  # CI: the same examples every run, so never flaky
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: Builds are slower than checks: fewer of them, each rendering one short document.
BUILD_FUZZ = settings(FUZZ, max_examples=(EXAMPLES or 150) // 6)

RECORD_TEXT = FICTIONAL.read_text(encoding="utf-8")
#: The German catalog of each domain, as this repository has it.
CATALOG_TEXTS = {
    domain: (ROOT / "locales" / po_relative_path("de", domain)).read_text(encoding="utf-8")
    for domain in DOMAINS
}

#: Fragments that mean something to YAML, PO, Jinja, HTML or a shell.
SPECIAL = st.sampled_from(
    [
        ":",
        "- ",
        "&a ",
        "*a",
        "!!python/object:os.system",
        "{",
        "}",
        "[",
        "]",
        "'",
        '"',
        "#",
        "|",
        ">",
        "\t",
        "  ",
        "%",
        "%%",
        "%(x)s",
        "@",
        "`",
        "<<: ",
        "{{ 7*7 }}",
        "{% include '/etc/passwd' %}",
        "{dose}",
        "{0.__class__}",
        "../",
        "\\",
        "\\a",
        "\x00",
        "\x07",
        "\u2028",
        "\x85",
        "\u202e",
        "\ufffd",
        "\ud7ff",
        "1e999",
        "0.05 mg",
        "-1 mg",
        "2026-02-30",
        "<b>",
        "<img src='file:///etc/passwd'>",
        "msgstr ",
        'msgid ""',
        "#, fuzzy",
        "\n",
        "\r\n",
        "~",
        "null",
        "yes",
        "0x1F",
        ".inf",
        "é",
        "中文",
        "عربي",
    ]
)
FRAGMENT = st.one_of(SPECIAL, st.text(max_size=12), st.lists(SPECIAL, max_size=4).map("".join))


@st.composite
def mutated(draw: st.DrawFn, text: str) -> bytes:
    """``text`` after one to three edits, as bytes (an edit may break the encoding)."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["replace", "delete", "double", "insert", "value"]))
        if edit == "replace":
            lines[index] = draw(FRAGMENT) + "\n"
        elif edit == "delete":
            del lines[index]
        elif edit == "double":
            lines.insert(index, lines[index])
        elif edit == "insert":
            at = draw(st.integers(0, len(lines[index])))
            lines[index] = lines[index][:at] + draw(FRAGMENT) + lines[index][at:]
        else:  # keep the key or keyword, change what follows it
            head, sep, _ = lines[index].partition(": " if ": " in lines[index] else " ")
            lines[index] = head + (sep or " ") + draw(FRAGMENT) + "\n"
        if not lines:
            lines = ["\n"]
    data = "".join(lines).encode("utf-8", errors="surrogatepass")
    if draw(st.integers(0, 9)) == 0:  # now and then, bytes of another encoding
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


#: A domain, and its German catalog mutated.
MUTATED_CATALOG = st.sampled_from(DOMAINS).flatmap(
    lambda domain: mutated(CATALOG_TEXTS[domain]).map(lambda data: (domain, data))
)


def _assert_no_crash(outcome: Outcome) -> None:
    """A user's mistake is exit 1 with a message; anything else is a bug."""
    assert outcome.code in (0, 1), outcome.stderr
    assert "Traceback" not in outcome.stderr


def _assert_only_complete_listed_documents(out_dir: Path) -> None:
    """The output folder holds only whole PDFs, each listed with its bytes, or nothing."""
    files = files_under(out_dir)
    assert not [f for f in files if Path(f).name.startswith(TEMP_PREFIX)], files
    if not files:
        return
    listed = {
        entry["path"]
        for entry in json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))[
            "documents"
        ]
    }
    pdfs = {f for f in files if f.endswith(".pdf")}
    assert pdfs == listed
    for pdf in pdfs:
        assert len(PdfReader(io.BytesIO((out_dir / pdf).read_bytes())).pages) >= 1


@pytest.fixture()
def no_catalogs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Record fuzzing checks the record alone: an empty project, and no catalog of leaflet's."""
    empty = tmp_path / "locales"
    empty.mkdir()
    use_private_project(monkeypatch, Project(tmp_path), own_locales=empty)


@FUZZ
@given(data=mutated(RECORD_TEXT))
def test_a_mutated_record_is_checked_without_a_crash(data: bytes, no_catalogs: None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        record = Path(folder) / "examplofen.yaml"
        record.write_bytes(data)
        outcome = run_leaflet("check", "--record", str(record))
    _assert_no_crash(outcome)


@BUILD_FUZZ
@given(data=mutated(RECORD_TEXT))
def test_a_mutated_record_builds_whole_documents_or_none(data: bytes, no_catalogs: None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        record, out_dir = Path(folder) / "examplofen.yaml", Path(folder) / "out"
        record.write_bytes(data)
        outcome = run_leaflet(
            "build", "--record", str(record), "--audience", "clinician", "--out", str(out_dir)
        )
        _assert_no_crash(outcome)
        _assert_only_complete_listed_documents(out_dir)


@contextlib.contextmanager
def _catalog_in_use(domain: str, data: bytes, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A scratch project whose German catalog of ``domain`` holds ``data``, in use."""
    folder = Path(tempfile.mkdtemp(prefix="leaflet-fuzz-"))
    try:
        project = copy_project(folder)
        (project.locales_dir / po_relative_path("de", domain)).write_bytes(data)
        with monkeypatch.context() as patch:
            use_private_project(patch, project)
            yield folder
    finally:
        shutil.rmtree(folder)


@FUZZ
@given(catalog=MUTATED_CATALOG)
def test_a_mutated_catalog_is_checked_without_a_crash(
    catalog: tuple[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    with _catalog_in_use(*catalog, monkeypatch):
        outcome = run_leaflet("check", "--record", str(FICTIONAL))
    _assert_no_crash(outcome)


@BUILD_FUZZ
@given(catalog=MUTATED_CATALOG)
def test_a_mutated_catalog_builds_whole_documents_or_none(
    catalog: tuple[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    with _catalog_in_use(*catalog, monkeypatch) as folder:
        outcome = run_leaflet(
            "build",
            "--drug",
            "baclofen",
            "--lang",
            "de",
            "--audience",
            "clinician",
            "--out",
            str(folder / "out"),
        )
        _assert_no_crash(outcome)
        _assert_only_complete_listed_documents(folder / "out")


@BUILD_FUZZ
@given(catalog=MUTATED_CATALOG)
def test_a_mutated_catalog_is_updated_or_left_untouched(
    catalog: tuple[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    domain, data = catalog
    with _catalog_in_use(domain, data, monkeypatch) as folder:
        german = folder / "locales" / po_relative_path("de", domain)
        outcome = run_leaflet("i18n", "update", "--domain", domain)
        _assert_no_crash(outcome)
        if outcome.code == 1:
            assert german.read_bytes() == data  # a catalog with a problem is never rewritten
