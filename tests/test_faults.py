"""Faults: a killed build, a full disk, a read-only folder, two builds at once.

Every test here runs real builds, most in a separate process so that it can be
killed or limited like a build on a clinic's machine. The invariant is always
the same: the output folder holds only whole PDFs, the manifest lists only
files whose bytes it names, and earlier good documents survive a failed run.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from leaflet.writer import LOCK_NAME, TEMP_PREFIX

from .conftest import ROOT
from .helpers import files_under, run_leaflet

#: Six documents in two languages: long enough to kill in the middle.
BUILD = ["build", "--drug", "baclofen", "--lang", "en,de", "--audience", "all", "--jobs", "2"]


def _leaflet_process(
    out_dir: Path, *extra: str, preexec: Callable[[], None] | None = None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "leaflet", *BUILD, "--out", str(out_dir), *extra],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill reaches its workers too
        preexec_fn=preexec,
    )


def _finish(process: subprocess.Popen[bytes]) -> int:
    """Wait for the process, read what it printed, and return its exit code."""
    _, stderr = process.communicate(timeout=300)
    assert b"Traceback" not in stderr, stderr.decode()
    return process.returncode


def _digests(out_dir: Path) -> dict[str, str]:
    return {
        name: hashlib.sha256((out_dir / name).read_bytes()).hexdigest()
        for name in files_under(out_dir)
        if name.endswith(".pdf")
    }


def _assert_consistent(out_dir: Path, temporary_allowed: bool = False) -> dict[str, dict]:
    """Whole PDFs only; every manifest entry names a file with exactly those bytes."""
    files = files_under(out_dir)
    leftovers = [f for f in files if Path(f).name.startswith(TEMP_PREFIX)]
    assert temporary_allowed or not leftovers, leftovers
    for name in files:
        if name.endswith(".pdf") and not Path(name).name.startswith(TEMP_PREFIX):
            data = (out_dir / name).read_bytes()
            assert data.rstrip().endswith(b"%%EOF"), name
            assert len(PdfReader(io.BytesIO(data)).pages) >= 1, name
    if "manifest.json" not in files:
        return {}
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    digests = _digests(out_dir)
    for entry in manifest["documents"]:
        assert digests.get(entry["path"]) == entry["sha256"], entry["path"]
    return {entry["path"]: entry for entry in manifest["documents"]}


def test_a_build_killed_at_random_moments_leaves_only_whole_documents(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    started = time.perf_counter()
    first = _leaflet_process(out_dir)
    assert _finish(first) == 0
    full = time.perf_counter() - started
    assert len(_assert_consistent(out_dir)) == 6
    chooser = random.Random(20261202)
    moments = sorted(chooser.uniform(0.05, 1.0) * full for _ in range(5))
    for moment in moments:
        process = _leaflet_process(out_dir, "--force")
        time.sleep(moment)
        os.killpg(process.pid, signal.SIGKILL)
        _finish(process)
        _assert_consistent(out_dir, temporary_allowed=True)
    final = _leaflet_process(out_dir)
    assert _finish(final) == 0
    listed = _assert_consistent(out_dir)  # the next run cleaned every leftover
    assert len(listed) == 6
    assert not (out_dir / LOCK_NAME).exists()


def _limit_file_size(limit: int) -> Callable[[], None]:
    def limit_in_child() -> None:
        # Ignored, SIGXFSZ turns an oversized write into an EFBIG error, as a full
        # disk turns it into ENOSPC: the same path through leaflet's writer.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_in_child


@pytest.mark.parametrize(
    ("documents", "what_fails"),
    [(("--lang", "en", "--audience", "patient"), "document"), ((), "manifest")],
)
def test_a_full_disk_is_reported_and_keeps_the_previous_documents(
    tmp_path: Path, documents: tuple[str, ...], what_fails: str
) -> None:
    out_dir = tmp_path / "out"
    assert run_leaflet(*BUILD, *documents, "--out", str(out_dir)).code == 0
    before = _digests(out_dir)
    manifest_before = (out_dir / "manifest.json").read_bytes()
    smallest_pdf = min((out_dir / name).stat().st_size for name in before)
    if what_fails == "document":  # the manifest still fits, no document does
        limit = len(manifest_before) + 2048
        assert limit < smallest_pdf
    else:  # nothing fits: the manifest is the first file a forced build rewrites
        limit = min(smallest_pdf, len(manifest_before)) // 2
    process = _leaflet_process(out_dir, *documents, "--force", preexec=_limit_file_size(limit))
    _, stderr = process.communicate(timeout=300)
    problems = [line for line in stderr.decode().splitlines() if "cannot write" in line]
    assert process.returncode == 1
    assert len(problems) == 1, stderr.decode()
    failed = "en/baclofen-patient.pdf" if what_fails == "document" else "manifest.json"
    assert problems[0] == (
        f"{out_dir / failed}: cannot write (File too large; the previous file, if any, is "
        "unchanged). To fix: free some disk space, or choose another --out folder"
    )
    assert "Traceback" not in stderr.decode()
    assert _digests(out_dir) == before
    assert (out_dir / "manifest.json").read_bytes() == manifest_before
    _assert_consistent(out_dir)


def test_a_read_only_folder_is_reported_and_keeps_the_previous_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_dir = tmp_path / "out"
    assert run_leaflet(*BUILD, "--out", str(out_dir)).code == 0
    before = _digests(out_dir)
    (out_dir / "en").chmod(0o555)
    if os.geteuid() == 0:
        # Permissions do not bind root: the kernel's refusal is injected at the same call.
        import leaflet.writer

        real_mkstemp = leaflet.writer.tempfile.mkstemp

        def refuse_in_read_only(*args: object, **kwargs: object) -> tuple[int, str]:
            if Path(str(kwargs.get("dir"))).stat().st_mode & 0o222 == 0:
                raise PermissionError(13, "Permission denied")
            return real_mkstemp(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

        monkeypatch.setattr(leaflet.writer.tempfile, "mkstemp", refuse_in_read_only)
    try:
        outcome = run_leaflet(*BUILD, "--out", str(out_dir), "--force", "--jobs", "1")
    finally:
        (out_dir / "en").chmod(0o755)
    assert outcome.code == 1
    written = [line for line in outcome.lines if "cannot write" in line]
    assert len(written) == 1 and written[0].startswith(str(out_dir / "en")), outcome.stderr
    assert written[0].endswith(
        ": cannot write (Permission denied; the previous file, if any, is unchanged). "
        "To fix: choose a folder you may write to with --out"
    )
    assert _digests(out_dir) == before
    _assert_consistent(out_dir)


def test_an_output_folder_that_cannot_exist_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    outcome = run_leaflet("build", "--audience", "patient", "--out", str(blocker / "out"))
    assert outcome.code == 1
    assert (
        f"{blocker / 'out'}: cannot write (Not a directory; the previous file, if any, is "
        "unchanged). To fix: check the --out folder"
    ) in outcome.lines
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_second_build_into_the_same_folder_is_refused_and_nothing_interleaves(
    tmp_path: Path,
) -> None:
    out_dir = tmp_path / "out"
    first = _leaflet_process(out_dir, "--force")
    lock = out_dir / LOCK_NAME
    deadline = time.monotonic() + 60
    while not (lock.exists() and lock.read_text(encoding="utf-8").strip()):
        assert first.poll() is None and time.monotonic() < deadline, "the first build never locked"
        time.sleep(0.01)
    second = run_leaflet(*BUILD, "--out", str(out_dir), "--force")
    assert _finish(first) == 0
    assert second.code == 1
    assert (
        f"{out_dir}: another leaflet build is writing to this folder (process {first.pid}). "
        "To fix: wait for it to finish, or use another --out"
    ) in second.lines
    listed = _assert_consistent(out_dir)
    assert len(listed) == 6 and set(_digests(out_dir)) == set(listed)
