"""Hostile files around a build: pipes, devices, damaged manifests, nested output folders.

Every file a build reads — a logo, the previous manifest, the documents it
lists — may be a named pipe (reading it waits for ever), a link to a device
(reading it never ends), or bytes another program or a hand edit left. None of
them may hang a build, crash it or make every later build fail: a user's
mistake is one message, a damaged manifest is dropped, said once and rewritten.
Runs that could hang without the checks run in a separate process with a
time limit (and a memory limit, for /dev/zero).
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from leaflet.publish import fingerprint
from leaflet.publish.build import BuildOptions, build
from leaflet.publish.fingerprint import fonts_digest
from leaflet.publish.writer import LOCK_NAME
from leaflet.record.reading import MAX_MANIFEST_BYTES
from leaflet.render.pdf import FONTS_DIR

from .conftest import BACLOFEN, FICTIONAL, ROOT
from .helpers import files_under, run_leaflet

ENGLISH = ("build", "--record", str(FICTIONAL), "--lang", "en", "--audience", "patient")
PDF = "en/examplofen-patient.pdf"
REBUILT = "every document is built again and the manifest rewritten"
DROPPED = "what it no longer lists is built again and the manifest rewritten"


def _limits() -> None:
    # Reading /dev/zero into memory fails here instead of taking the machine down.
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def _leaflet_process(*args: str) -> tuple[int, list[str]]:
    """Run leaflet in its own process: a run that would hang fails on the time limit."""
    result = subprocess.run(
        [sys.executable, "-m", "leaflet", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limits,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr.splitlines()


def _built(out_dir: Path, *extra: str) -> dict[str, Any]:
    """Build the fictional patient leaflet into ``out_dir``; return the manifest."""
    outcome = run_leaflet(*ENGLISH, *extra, "--out", str(out_dir))
    assert outcome.code == 0, outcome.stderr
    return json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))


def _listed_and_whole(out_dir: Path) -> dict[str, str]:
    """The manifest's documents; each names a regular file with exactly its bytes."""
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["documents"]}
    for path, sha in listed.items():
        data = (out_dir / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha and data.startswith(b"%PDF-"), path
    return listed


def _nothing_to_do(out_dir: Path, *extra: str) -> None:
    """A further build says nothing about the manifest and renders nothing."""
    outcome = run_leaflet(*ENGLISH, *extra, "--out", str(out_dir))
    assert outcome.code == 0, outcome.stderr
    assert not [line for line in outcome.lines if "manifest.json" in line], outcome.stderr
    assert outcome.lines[-1].startswith("1 document: 0 written, 1 unchanged, ")


def test_a_named_pipe_as_the_manifest_is_dropped_instead_of_waited_on(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    _built(out_dir)
    manifest = out_dir / "manifest.json"
    manifest.unlink()
    os.mkfifo(manifest)
    code, lines = _leaflet_process(*ENGLISH, "--out", str(out_dir))
    assert code == 0
    assert (
        f"{manifest}: damaged (it is a named pipe, not a regular file), so it is dropped; {REBUILT}"
    ) in lines
    assert list(_listed_and_whole(out_dir)) == [PDF]
    _nothing_to_do(out_dir)


def test_a_listed_document_turned_into_a_named_pipe_is_built_again(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    _built(out_dir)
    (out_dir / PDF).unlink()
    os.mkfifo(out_dir / PDF)
    code, lines = _leaflet_process(*ENGLISH, "--out", str(out_dir))
    assert code == 0
    assert (
        f"{out_dir / 'manifest.json'}: dropped what is damaged (1 entry whose file is missing or "
        f"not the one listed); {DROPPED}"
    ) in lines
    assert list(_listed_and_whole(out_dir)) == [PDF]


def test_a_manifest_linked_to_dev_zero_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    _built(out_dir)
    before = (out_dir / PDF).read_bytes()
    (out_dir / "manifest.json").unlink()
    (out_dir / "manifest.json").symlink_to("/dev/zero")
    code, lines = _leaflet_process(*ENGLISH, "--out", str(out_dir), "--force")
    assert (code, lines[-2:]) == (
        1,
        [
            f"{out_dir}/manifest.json: leads out of the output folder through a symbolic link "
            "(expected a file inside the folder). To fix: remove the link, or use another --out",
            "1 problem found.",
        ],
    )
    assert (out_dir / PDF).read_bytes() == before  # refused before anything was rendered


@pytest.mark.parametrize(
    ("make", "kind", "shown"),
    [
        (os.mkfifo, "a named pipe", None),
        (lambda path: path.symlink_to("/dev/zero"), "a device", "/dev/zero"),
        (lambda path: path.symlink_to("/dev/urandom"), "a device", "/dev/urandom"),
    ],
    ids=["named-pipe", "dev-zero", "dev-urandom"],
)
def test_a_logo_that_is_a_pipe_or_a_device_is_refused_without_reading_it(
    tmp_path: Path, make: Callable[[Path], None], kind: str, shown: str | None
) -> None:
    logo = tmp_path / "logo.png"
    make(logo)
    settings = tmp_path / "leaflet.toml"
    settings.write_text(
        '[branding]\nname = "Main Street Pharmacy"\nlogo = "logo.png"\n', encoding="utf-8"
    )
    out_dir = tmp_path / "out"
    code, lines = _leaflet_process(*ENGLISH, "--settings", str(settings), "--out", str(out_dir))
    assert (code, lines) == (
        1,
        [
            f"{settings}:3: branding.logo: logo file cannot be read (it is {kind}, not a regular "
            f"file: {shown or logo})",
            "1 problem found.",
        ],
    )
    assert files_under(out_dir) == []


def _edit(change: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    def damage(out_dir: Path) -> None:
        path = out_dir / "manifest.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data), encoding="utf-8")

    return damage


def _replace_pdf(relist: bool) -> Callable[[Path], None]:
    def damage(out_dir: Path) -> None:
        junk = b"%PDF-1.7 not the leaflet %%EOF\n"
        (out_dir / PDF).write_bytes(junk)
        if relist:  # the hash edited to match: only the page count tells
            _edit(lambda m: m["documents"][0].update(sha256=hashlib.sha256(junk).hexdigest()))(
                out_dir
            )

    return damage


def _write(data: bytes) -> Callable[[Path], None]:
    def damage(out_dir: Path) -> None:
        (out_dir / "manifest.json").write_bytes(data)

    return damage


def _oversized(out_dir: Path) -> None:
    with (out_dir / "manifest.json").open("r+b") as handle:
        handle.truncate(MAX_MANIFEST_BYTES + 1)  # sparse: no disk space is used


def _first(manifest: dict[str, Any]) -> dict[str, Any]:
    return manifest["documents"][0]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("damage", "notice"),
    [
        (
            _write(b'{"documents": ['),
            "damaged (not valid JSON: Expecting value: line 1 column 16 (char 15)), so it is "
            f"dropped; {REBUILT}",
        ),
        (_write(b"\xff\xfe{}"), f"damaged (not UTF-8 text), so it is dropped; {REBUILT}"),
        (_write(b"[]"), f"damaged (not a JSON object), so it is dropped; {REBUILT}"),
        (
            _oversized,
            "damaged (larger than any manifest leaflet writes (over 33554432 bytes)), so it is "
            f"dropped; {REBUILT}",
        ),
        (
            _write(b"{}"),
            "dropped what is damaged (no generator naming leaflet and its version; no documents "
            f"list; no booklets list; no uses table); {DROPPED}",
        ),
        (
            _edit(lambda m: m["uses"].update({"examplofen/patient": [1, "a"]})),
            f"dropped what is damaged (1 entry not in the form leaflet writes); {DROPPED}",
        ),
        (
            _edit(lambda m: m.update(uses=[["examplofen/patient"]])),
            f"dropped what is damaged (no uses table); {DROPPED}",
        ),
        (
            _edit(lambda m: _first(m).update(pages="3")),
            f"dropped what is damaged (1 entry not in the form leaflet writes); {DROPPED}",
        ),
        (
            _edit(lambda m: _first(m).update(path="../elsewhere.pdf")),
            f"dropped what is damaged (1 entry not in the form leaflet writes); {DROPPED}",
        ),
        (
            _edit(lambda m: m["documents"].append(dict(_first(m)))),
            f"dropped what is damaged (2 entries not in the form leaflet writes); {DROPPED}",
        ),
        (
            _replace_pdf(relist=False),
            "dropped what is damaged (1 entry whose file is missing or not the one listed); "
            f"{DROPPED}",
        ),
        (
            _replace_pdf(relist=True),
            "dropped what is damaged (1 entry whose file is missing or not the one listed); "
            f"{DROPPED}",
        ),
    ],
    ids=[
        "not-json",
        "not-utf8",
        "a-list",
        "oversized",
        "empty-object",
        "uses-wrong-types",
        "uses-not-a-table",
        "entry-wrong-type",
        "entry-path-elsewhere",
        "entry-twice",
        "pdf-replaced",
        "pdf-replaced-and-relisted",
    ],
)
def test_a_damaged_manifest_is_dropped_said_once_and_rewritten(
    tmp_path: Path, damage: Callable[[Path], None], notice: str
) -> None:
    out_dir = tmp_path / "out"
    _built(out_dir, "--booklet")
    damage(out_dir)
    outcome = run_leaflet(*ENGLISH, "--booklet", "--out", str(out_dir))
    assert outcome.code == 0, outcome.stderr
    assert [line for line in outcome.lines if "manifest.json" in line] == [
        f"{out_dir / 'manifest.json'}: {notice}"
    ]
    assert list(_listed_and_whole(out_dir)) == [PDF]
    _nothing_to_do(out_dir, "--booklet")


def test_wrong_types_under_uses_do_not_crash_a_translated_build(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    german = ("build", "--record", str(BACLOFEN), "--lang", "de", "--audience", "clinician")
    assert run_leaflet(*german, "--out", str(out_dir)).code == 0
    _edit(lambda m: m["uses"].update({"baclofen/clinician": [{"a": 1}, 2]}))(out_dir)
    outcome = run_leaflet(*german, "--out", str(out_dir))
    assert outcome.code == 0, outcome.stderr
    assert (
        f"{out_dir / 'manifest.json'}: dropped what is damaged (1 entry not in the form leaflet "
        f"writes); {DROPPED}"
    ) in outcome.lines
    again = run_leaflet(*german, "--out", str(out_dir))
    assert again.lines[-1].startswith("1 document: 0 written, 1 unchanged, ")


def test_a_folder_named_like_the_manifest_is_refused_before_anything_is_built(
    tmp_path: Path,
) -> None:
    out_dir = tmp_path / "out"
    (out_dir / "manifest.json").mkdir(parents=True)
    outcome = run_leaflet(*ENGLISH, "--out", str(out_dir))
    assert (outcome.code, outcome.lines[-2:]) == (
        1,
        [
            f"{out_dir}/manifest.json: is a folder (expected the manifest file leaflet writes "
            "there; move the folder away, or choose another --out)",
            "1 problem found.",
        ],
    )
    assert files_under(tmp_path) == []  # no document rendered into a folder it cannot list


def test_another_programs_manifest_is_refused_and_kept(tmp_path: Path) -> None:
    out_dir = tmp_path / "site"
    out_dir.mkdir()
    theirs = b'{"name": "Pharmacy app", "icons": [], "start_url": "/"}\n'
    (out_dir / "manifest.json").write_bytes(theirs)
    outcome = run_leaflet(*ENGLISH, "--out", str(out_dir))
    assert (outcome.code, outcome.lines[-2:]) == (
        1,
        [
            f"{out_dir}/manifest.json: not a leaflet manifest (expected the manifest.json leaflet "
            "writes, got a JSON file another program wrote; move it away, or choose another "
            "--out)",
            "1 problem found.",
        ],
    )
    assert files_under(out_dir) == ["manifest.json"]
    assert (out_dir / "manifest.json").read_bytes() == theirs


def _inside(where: Path, holder: Path, marker: str) -> str:
    return (
        f"{where}: output folder lies inside another leaflet build's output folder (expected a "
        f"folder of its own, got one inside {holder}, which holds that build's {marker}; choose "
        f"an --out outside {holder})"
    )


def _around(where: Path, inner: Path, marker: str) -> str:
    return (
        f"{where}: output folder holds another leaflet build's output folder (expected a folder "
        f"of its own, got one around {inner}, which holds that build's {marker}; choose another "
        f"--out, or move {inner} out of it)"
    )


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("out", "out/en", lambda t: _inside(t / "out/en", t / "out", "manifest.json")),
        ("out", "out/old/2024", lambda t: _inside(t / "out/old/2024", t / "out", "manifest.json")),
        (
            "shared/out",
            "shared",
            lambda t: _around(t / "shared", t / "shared/out", "manifest.json"),
        ),
        ("a/b/c", "", lambda t: _around(t, t / "a/b/c", "manifest.json")),
    ],
    ids=["in-a-language-folder", "deeper-inside", "around", "three-levels-around"],
)
def test_an_output_folder_inside_or_around_another_builds_is_refused(
    tmp_path: Path, first: str, second: str, expected: Callable[[Path], str]
) -> None:
    _built(tmp_path / first)
    before = files_under(tmp_path)
    outcome = run_leaflet(*ENGLISH, "--out", str(tmp_path / second))
    assert (outcome.code, outcome.lines[-2:]) == (1, [expected(tmp_path), "1 problem found."])
    assert files_under(tmp_path) == before
    assert not (tmp_path / "out/old").exists()


def test_an_output_folder_inside_a_killed_builds_folder_is_refused(tmp_path: Path) -> None:
    killed = tmp_path / "out"
    killed.mkdir()
    (killed / LOCK_NAME).write_text("999999999", encoding="ascii")  # no manifest yet
    outcome = run_leaflet(*ENGLISH, "--out", str(killed / "de"))
    assert outcome.code == 1
    assert _inside(killed / "de", killed, f"lock file {LOCK_NAME}") in outcome.lines
    assert files_under(tmp_path) == ["out/.leaflet.lock"]


def test_the_sweep_removes_only_this_builds_leftovers(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    _built(out_dir)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    ours = [".leaflet-tmp-abcd1234", "en/.leaflet-tmp-x_9yz0ab", "de/.leaflet-tmp-00000000"]
    foreign = [
        "notes/.leaflet-tmp-abcd1234",  # not a folder this build writes to
        "en/.leaflet-tmp-report.txt",  # not a name leaflet's writer makes
        "en/archive/.leaflet-tmp-abcd1234",  # below a language folder
        "ar/.leaflet-tmp-abcd1234",  # ar is a link leading out of the folder
    ]
    (out_dir / "ar").symlink_to(outside)
    for name in ours + foreign:
        (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / name).write_text("someone's", encoding="utf-8")
    outcome = run_leaflet(*ENGLISH, "--out", str(out_dir))
    assert outcome.code == 0, outcome.stderr
    assert [name for name in ours if (out_dir / name).exists()] == []
    assert [name for name in foreign if not (out_dir / name).exists()] == []
    assert (outside / ".leaflet-tmp-abcd1234").read_text(encoding="utf-8") == "someone's"


def test_a_manifest_or_lock_in_the_fonts_folder_is_not_taken_for_a_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder holding the bundled fonts (linked) and an output folder: what --out fonts did.
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for font in FONTS_DIR.iterdir():
        (fonts / font.name).symlink_to(font)
    monkeypatch.setattr(fingerprint, "FONTS_DIR", fonts)
    options = BuildOptions(records=(FICTIONAL,), out_dir=fonts, audiences=("patient",))
    assert [doc.path for doc in build(options).documents] == [PDF]
    again = build(options)
    assert again.ok and again.documents == [] and again.unchanged == [PDF]


def test_only_font_files_and_the_font_configuration_count_as_fonts(tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "fonts.conf").write_text("<fontconfig/>", encoding="utf-8")
    (fonts / "Sans.ttf").write_bytes(b"font one")
    before = fonts_digest(fonts)
    (fonts / "manifest.json").write_text("{}", encoding="utf-8")
    (fonts / LOCK_NAME).write_text("123", encoding="ascii")
    (fonts / "README.md").write_text("notes", encoding="utf-8")
    (fonts / "en").mkdir()
    (fonts / "en" / "x-patient.pdf").write_bytes(b"%PDF-")
    assert fonts_digest(fonts) == before
    (fonts / "extra").mkdir()
    (fonts / "extra" / "Serif.otf").write_bytes(b"font two")  # fontconfig reads subfolders
    assert fonts_digest(fonts) != before
