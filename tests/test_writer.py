"""Atomic writes that stay inside the output folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.writer import TEMP_PREFIX, OutputWriter, WriteError


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

    monkeypatch.setattr("leaflet.writer.os.replace", broken_replace)
    with pytest.raises(WriteError) as caught:
        OutputWriter(tmp_path).write_bytes("a.pdf", b"new")
    assert str(caught.value.problems[0]) == (
        f"{tmp_path / 'a.pdf'}: cannot write (No space left on device; the previous file, if "
        "any, is unchanged). To fix: free some disk space, or choose another --out folder"
    )
    assert (tmp_path / "a.pdf").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]
