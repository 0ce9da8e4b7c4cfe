"""Batch builds: incremental rebuilds, parallel workers, several records, booklets, progress."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import polib
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from leaflet.cli.main import cli
from leaflet.publish import fingerprint
from leaflet.publish.build import BuildOptions, BuildReport, build
from leaflet.render.pdf import FONTS_DIR
from leaflet.render.theme import OWN_TEMPLATES_DIR

from .conftest import BACLOFEN, FICTIONAL, copy_project, use_private_project


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.pdf"))
    }


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A record and catalogs (of a private project) of our own to change, and an output folder."""
    project = copy_project(tmp_path)
    use_private_project(monkeypatch, project)
    record = tmp_path / "baclofen.yaml"
    shutil.copy(BACLOFEN, record)
    return {"record": record, "locales": project.locales_dir, "out": tmp_path / "out"}


def build_en_es(space: dict[str, Path], **extra: object) -> BuildReport:
    options = BuildOptions(
        records=(space["record"],),
        out_dir=space["out"],
        langs=("en", "es_US"),
        **extra,  # type: ignore[arg-type]
    )
    report = build(options)
    assert report.ok, report.problems
    return report


def rebuilt(report: BuildReport) -> list[str]:
    return sorted(doc.path for doc in report.documents)


ALL_SIX = sorted(
    f"{lang}/baclofen-{audience}.pdf"
    for lang in ("en", "es_US")
    for audience in ("patient", "clinician", "taper")
)


def test_only_what_changed_is_rendered_again(
    workspace: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert rebuilt(build_en_es(workspace)) == ALL_SIX
    before = digests(workspace["out"])

    # Nothing changed: nothing is rendered, every file stays as it was.
    report = build_en_es(workspace)
    assert report.documents == [] and sorted(report.unchanged) == ALL_SIX
    assert digests(workspace["out"]) == before

    # One Spanish sentence that only the patient leaflet prints.
    po = workspace["locales"] / "es_US/LC_MESSAGES/leaflet.po"
    catalog = polib.pofile(str(po), wrapwidth=0)
    entry = next(e for e in catalog if e.msgctxt == "patient.intro.keep")
    entry.msgstr = entry.msgstr.replace(".", ". ").strip()  # a different, still valid text
    entry.msgstr += " "
    catalog.save(str(po))
    assert rebuilt(build_en_es(workspace)) == ["es_US/baclofen-patient.pdf"]

    # A template: only the documents made from it.
    template = OWN_TEMPLATES_DIR / "clinician.html"
    original = template.read_bytes()
    try:
        template.write_bytes(original + b"\n")
        assert rebuilt(build_en_es(workspace)) == [
            "en/baclofen-clinician.pdf",
            "es_US/baclofen-clinician.pdf",
        ]
    finally:
        template.write_bytes(original)
    assert rebuilt(build_en_es(workspace)) == [
        "en/baclofen-clinician.pdf",
        "es_US/baclofen-clinician.pdf",
    ]

    # The record: every document of that drug.
    text = workspace["record"].read_text(encoding="utf-8")
    assert "\n  revision: 2\n" in text
    workspace["record"].write_text(
        text.replace("\n  revision: 2\n", "\n  revision: 3\n"), encoding="utf-8"
    )
    assert rebuilt(build_en_es(workspace)) == ALL_SIX

    # A font (here: the font configuration beside the fonts): everything.
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for font in FONTS_DIR.iterdir():
        (fonts / font.name).symlink_to(font)
    (fonts / "fonts.conf").unlink()
    (fonts / "fonts.conf").write_bytes((FONTS_DIR / "fonts.conf").read_bytes() + b"\n")
    monkeypatch.setattr(fingerprint, "FONTS_DIR", fonts)
    assert rebuilt(build_en_es(workspace)) == ALL_SIX

    # --force renders everything even when nothing changed.
    assert rebuilt(build_en_es(workspace, force=True)) == ALL_SIX


def test_a_file_changed_on_disk_is_rendered_again(
    workspace: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    build_en_es(workspace)
    damaged = workspace["out"] / "en/baclofen-taper.pdf"
    damaged.write_bytes(damaged.read_bytes()[:100])
    assert rebuilt(build_en_es(workspace)) == ["en/baclofen-taper.pdf"]
    # Said once, as a notice: the manifest no longer lists it, and is rewritten.
    assert [r.getMessage() for r in caplog.records if r.name == "leaflet"] == [
        f"{workspace['out'] / 'manifest.json'}: dropped what is damaged (1 entry whose file is "
        "missing or not the one listed); what it no longer lists is built again and the "
        "manifest rewritten"
    ]
    caplog.clear()


def test_parallel_and_serial_builds_give_the_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for jobs in (1, 2):
        out = tmp_path / f"jobs-{jobs}"
        report = build(
            BuildOptions(
                records=(FICTIONAL, BACLOFEN), out_dir=out, papers=("a4", "letter"), jobs=jobs
            )
        )
        assert report.ok, report.problems
        outputs.append(digests(out))
    assert len(outputs[0]) == 12
    assert outputs[0] == outputs[1]


def test_one_broken_record_is_reported_and_the_others_build(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("drug:\n  id: [unclosed\n", encoding="utf-8")
    code, output = run(
        "build", "--record", str(FICTIONAL), "--record", str(broken), "--out", str(tmp_path / "out")
    )
    assert code == 1
    assert f"{broken}:2: YAML syntax error" in output, output
    assert sorted(p.name for p in (tmp_path / "out/en").iterdir()) == [
        "examplofen-clinician.pdf",
        "examplofen-patient.pdf",
        "examplofen-taper.pdf",
    ]


def test_a_data_folder_builds_every_record_and_refuses_a_shared_id(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    data = yaml.safe_load(FICTIONAL.read_text(encoding="utf-8"))
    for drug_id in ("alpha", "beta", "beta"):
        data["drug"]["id"] = drug_id
        name = f"{drug_id}{'-copy' if (folder / f'{drug_id}.yaml').exists() else ''}.yaml"
        (folder / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code, output = run("build", "--data", str(folder), "--out", str(tmp_path / "out"), "-j", "2")
    assert code == 1
    assert (
        f"{folder / 'beta.yaml'}: drug.id: drug id 'beta' is also used by "
        f"{folder / 'beta-copy.yaml'} (expected each record to have its own id; its files "
        "would overwrite)"
    ) in output
    written = sorted(p.name for p in (tmp_path / "out/en").iterdir())
    assert [n for n in written if n.startswith("alpha-")] == [
        "alpha-clinician.pdf",
        "alpha-patient.pdf",
        "alpha-taper.pdf",
    ]


def test_a_booklet_binds_a_languages_documents_with_bookmarks(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = build(
        BuildOptions(records=(BACLOFEN,), out_dir=out, langs=("es_US",), booklet=True, jobs=2)
    )
    assert report.ok, report.problems
    assert report.booklets == ["es_US/booklet.pdf"]
    booklet = PdfReader(out / "es_US/booklet.pdf")
    pages = {d.audience: d.pages for d in report.documents}
    # Each document starts on a right-hand page: a blank page pads an odd count.
    padded = [n + n % 2 for n in (pages["patient"], pages["clinician"])] + [pages["taper"]]
    assert len(booklet.pages) == sum(padded)
    assert booklet.root_object["/Lang"] == "es-US"
    (drug, children) = booklet.outline
    assert drug.title == "Baclofeno"
    assert [(c.title, booklet.get_destination_page_number(c)) for c in children] == [
        ("Folleto para el paciente", 0),
        ("Ficha rápida para profesionales", padded[0]),
        ("Hoja informativa: reducción gradual y abstinencia", padded[0] + padded[1]),
    ]
    # A second build binds nothing again, and the manifest lists the booklet.
    again = build(BuildOptions(records=(BACLOFEN,), out_dir=out, langs=("es_US",), booklet=True))
    assert again.booklets == [] and again.documents == []
    assert '"path": "es_US/booklet.pdf"' in (out / "manifest.json").read_text(encoding="utf-8")


def test_progress_is_plain_lines_outside_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = run("build", "--record", str(FICTIONAL), "--out", str(out), "--jobs", "1")
    assert code == 0
    assert f"wrote {out}/en/examplofen-patient.pdf (" in output
    assert "\x1b[" not in output and "\r" not in output
    assert output.splitlines()[-1].startswith(
        "3 documents: 3 written, 0 unchanged, 0 skipped (0 untranslated, 0 not applicable), "
        "0 failed, in "
    )
    code, output = run("build", "--record", str(FICTIONAL), "--out", str(out))
    assert output.splitlines()[-1].startswith("3 documents: 0 written, 3 unchanged, ")
    code, output = run("build", "--record", str(FICTIONAL), "--out", str(out), "--quiet")
    assert code == 0 and output == ""


def test_every_template_file_counts_for_the_documents_that_may_use_it(tmp_path: Path) -> None:
    """An included table or a second layout's stylesheet is an input, as base.html is."""
    folder = tmp_path / "templates"
    shutil.copytree(OWN_TEMPLATES_DIR, folder)
    before = fingerprint.template_digest("patient.html", folder)
    for name in ("wrap-anywhere.css", "titration-table.html", "dosing-patient.html"):
        path = folder / name
        path.write_bytes(path.read_bytes() + b"\n")
        after = fingerprint.template_digest("patient.html", folder)
        assert after != before, name
        before = after
    path = folder / "clinician.html"
    path.write_bytes(path.read_bytes() + b"\n")
    assert fingerprint.template_digest("patient.html", folder) == before  # another document's own
