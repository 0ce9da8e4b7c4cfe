"""Faults: a killed build, a full disk, a read-only folder, two builds at once.

Every test here runs real builds, most in a separate process so that it can be
killed or limited like a build on a clinic's machine. The invariant is always
the same: the output folder holds only whole PDFs, the manifest lists only
files whose bytes it names, and earlier good documents survive a failed run.
"""

from __future__ import annotations

import contextlib
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

from leaflet.publish.writer import LOCK_NAME, TEMP_PREFIX

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
        import leaflet.publish.writer

        real_mkstemp = leaflet.publish.writer.tempfile.mkstemp

        def refuse_in_read_only(*args: object, **kwargs: object) -> tuple[int, str]:
            if Path(str(kwargs.get("dir"))).stat().st_mode & 0o222 == 0:
                raise PermissionError(13, "Permission denied")
            return real_mkstemp(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

        monkeypatch.setattr(leaflet.publish.writer.tempfile, "mkstemp", refuse_in_read_only)
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


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(encoding="ascii").rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _still_running(pids: list[int]) -> list[int]:
    """Those of ``pids`` that still run (a zombie, dead but not yet reaped, does not)."""
    running = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rpartition(")")[2]
        except OSError:
            continue
        if state.split()[0] not in ("Z", "X"):
            running.append(pid)
    return running


def _open_files(pid: int) -> set[str]:
    found = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                found.add(os.readlink(fd))
    return found


def _mid_render(out_dir: Path, stderr: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """A forced build of six documents, two workers, caught while they render."""
    # Standard error goes to a file: workers left running would hold a pipe open for ever.
    with stderr.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "leaflet", *BUILD, "--out", str(out_dir), "--force"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while len(workers) < 2:
        assert process.poll() is None and time.monotonic() < deadline, "the build never forked"
        time.sleep(0.05)
        workers = _children(process.pid)
    time.sleep(1.0)  # both workers are rendering their first document
    return process, workers


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_build_killed_alone_leaves_no_worker_and_the_next_build_runs(
    tmp_path: Path, signum: signal.Signals
) -> None:
    out_dir = tmp_path / "out"
    process, workers = _mid_render(out_dir, tmp_path / "stderr")
    try:
        lock = str(out_dir / LOCK_NAME)
        assert lock in _open_files(process.pid)
        for worker in workers:  # a worker never holds the lock, even while the build runs
            assert lock not in _open_files(worker), worker
        os.kill(process.pid, signum)  # the main process alone, as kill, timeout or the OOM killer
        assert process.wait(timeout=30) == -signum
        deadline = time.monotonic() + 10
        while _still_running(workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _still_running(workers) == []
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for worker in _still_running(workers):
            os.kill(worker, signal.SIGKILL)
    printed = (tmp_path / "stderr").read_text(encoding="utf-8")
    assert "Traceback" not in printed
    _assert_consistent(out_dir, temporary_allowed=True)
    outcome = run_leaflet(*BUILD, "--out", str(out_dir))
    assert outcome.code == 0, outcome.stderr
    taken_over = (
        f"{out_dir}: taking over the lock of leaflet process {process.pid}, which is no longer "
        "running (its build stopped before it finished; its temporary files are removed)"
    )
    if signum == signal.SIGTERM:  # it stopped cleanly: lock released and removed
        assert printed.splitlines()[-1] == (
            f"{out_dir}: build stopped by SIGTERM before it finished (every document it wrote is "
            "whole and listed in its manifest; run the build again to finish)"
        )
        assert taken_over not in outcome.lines
    else:
        assert taken_over in outcome.lines
    assert len(_assert_consistent(out_dir)) == 6
    assert not (out_dir / LOCK_NAME).exists()


def test_a_lock_still_held_by_what_a_dead_build_left_is_taken_over(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    # What an older leaflet left when killed: the build that locked the folder is gone,
    # a worker it forked still has the locked file open.
    holder = subprocess.run(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "os.write(fd, str(os.getpid()).encode())\n"
            "child = os.fork()\n"
            "if child == 0:\n"
            "    null = os.open(os.devnull, os.O_RDWR)\n"
            "    for std in (0, 1, 2):\n"
            "        os.dup2(null, std)\n"
            "    time.sleep(120)\n"
            "    os._exit(0)\n"
            "print(os.getpid(), child)\n",
            str(out_dir / LOCK_NAME),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    dead, orphan = (int(pid) for pid in holder.stdout.split())
    try:
        outcome = run_leaflet(
            "build", "--drug", "baclofen", "--audience", "patient", "--jobs", "1", "--out",
            str(out_dir),
        )  # fmt: skip
    finally:
        os.kill(orphan, signal.SIGKILL)
    assert outcome.code == 0, outcome.stderr
    assert (
        f"{out_dir}: taking over the lock of leaflet process {dead}, which is no longer running "
        "(its build stopped before it finished; its temporary files are removed)"
    ) in outcome.lines
    assert len(_assert_consistent(out_dir)) == 1


def test_a_worker_killed_from_outside_fails_its_documents_and_the_others_ship(
    tmp_path: Path,
) -> None:
    out_dir = tmp_path / "out"
    process, workers = _mid_render(out_dir, tmp_path / "stderr")
    os.kill(workers[0], signal.SIGKILL)  # as the out-of-memory killer would
    assert process.wait(timeout=300) == 1
    printed = (tmp_path / "stderr").read_text(encoding="utf-8")
    assert "Traceback" not in printed
    lost = [line for line in printed.splitlines() if "worker process" in line]
    assert lost, printed
    for line in lost:
        name = line.partition(": ")[0]
        assert line == (
            f"{name}: not written: the worker process rendering it was killed (by the system, "
            "perhaps for want of memory; expected it to finish). To fix: run the build again, "
            "with fewer --jobs if memory is short"
        )
    assert _still_running(workers) == []
    _assert_consistent(out_dir)
    assert run_leaflet(*BUILD, "--out", str(out_dir)).code == 0
    assert len(_assert_consistent(out_dir)) == 6
