"""Atomic writes that stay inside the output folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from leaflet.publish.writer import LOCK_NAME, TEMP_PREFIX, OutputWriter, WriteError


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    writer = OutputWriter(tmp_path)
    writer.write_bytes("en/a.pdf", b"new")
    assert (tmp_path / "en" / "a.pdf").read_bytes() == b"new"
    assert not [p for p in (tmp_path / "en").iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_paths_cannot_escape_the_output_folder(tmp_path: Path) -> None:
    writer = OutputWriter(tmp_path / "out")
    for bad in ("../x.pdf", "/etc/x.pdf", "en/../../x.pdf", "."):
        with pytest.raises(WriteError) as refused:
            writer.write_bytes(bad, b"x")
        assert "leads out of the output folder" in str(refused.value.problems[0])
    assert not (tmp_path / "x.pdf").exists()


def test_the_same_file_is_never_written_twice_in_one_run(tmp_path: Path) -> None:
    writer = OutputWriter(tmp_path)
    writer.write_bytes("a.pdf", b"1")
    with pytest.raises(ValueError, match="already written in this run"):
        writer.write_bytes("a.pdf", b"2")
    assert (tmp_path / "a.pdf").read_bytes() == b"1"


def test_a_failed_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.pdf").write_bytes(b"old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("leaflet.publish.writer.os.replace", broken_replace)
    with pytest.raises(WriteError) as caught:
        OutputWriter(tmp_path).write_bytes("a.pdf", b"new")
    assert str(caught.value.problems[0]) == (
        f"{tmp_path / 'a.pdf'}: cannot write (No space left on device; the previous file, if "
        "any, is unchanged). To fix: free some disk space, or choose another --out folder"
    )
    assert (tmp_path / "a.pdf").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_a_forked_process_never_holds_the_folders_lock(tmp_path: Path) -> None:
    # A worker forked while the build holds the lock shares the locked file; it must
    # let go of it at once, or it keeps the folder locked after the build is gone.
    ready, release = os.pipe()
    with OutputWriter(tmp_path).lock():
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the forked process
            os.read(ready, 1)
            os._exit(0)
    try:
        with OutputWriter(tmp_path).lock():  # the child still runs: it must not hold the lock
            pass
    finally:
        os.write(release, b"x")
        os.waitpid(child, 0)
        os.close(ready)
        os.close(release)


def test_a_lock_file_that_is_not_a_plain_file_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / LOCK_NAME)
    with pytest.raises(WriteError) as refused, OutputWriter(tmp_path).lock():
        pass
    assert str(refused.value.problems[0]) == (
        f"{tmp_path / LOCK_NAME}: the lock file is a named pipe (expected a plain file that "
        "leaflet creates). To fix: remove it"
    )


def test_leftovers_are_swept_only_from_the_layout_and_only_with_the_writers_names(
    tmp_path: Path,
) -> None:
    ours = [".leaflet-tmp-abcdefgh", "en/.leaflet-tmp-12345678"]
    kept = [
        ".leaflet-tmp-",
        ".leaflet-tmp-abcdefghi",
        "en/sub/.leaflet-tmp-abcdefgh",
        "x/.leaflet-tmp-abcdefgh",
    ]
    for name in ours + kept:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    with OutputWriter(tmp_path).lock(subfolders=("en", "de")):
        pass
    assert sorted(p for p in ours + kept if (tmp_path / p).exists()) == sorted(kept)
