"""How much leaflet says: ``-q``/``-v`` on every command, the status line, the summary line."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import click
import pytest

from leaflet.cli.main import cli

from .conftest import FICTIONAL, ROOT
from .helpers import Outcome, run_leaflet

COMBINED = "Error: -q and -v cannot be combined (expected one of them, or neither)"
EXAMPLOMYCIN = ROOT / "tests" / "fixtures" / "examplomycin.yaml"


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group below ``group``, as the words that call it."""
    found = [path]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
        else:
            found.append((*path, name))
    return found


COMMANDS = _commands(cli)


def test_the_walk_finds_every_command() -> None:
    assert {" ".join(path) for path in COMMANDS} >= {
        "",
        "build",
        "check",
        "schema",
        "migrate",
        "taper",
        "i18n",
        "i18n extract",
        "i18n init",
        "i18n update",
        "i18n status",
    }


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "leaflet" for p in COMMANDS])
def test_every_command_takes_q_and_v_but_not_both(path: tuple[str, ...]) -> None:
    for flags in (("-q",), ("--quiet",), ("-v",), ("--verbose",)):
        outcome = run_leaflet(*path, *flags, "--help")
        assert outcome.code == 0, outcome.stderr
        assert "-q, --quiet" in outcome.stdout and "-v, --verbose" in outcome.stdout
    # Refused before anything else is checked: taper's required options, migrate's RECORD.
    for flags in (("-q", "-v"), ("--verbose", "--quiet"), ("-qv",)):
        outcome = run_leaflet(*path, *flags)
        assert (outcome.code, outcome.lines[-1]) == (2, COMBINED), outcome.stderr


def test_q_on_a_group_and_v_on_its_subcommand_are_refused_too() -> None:
    for args in (
        ("-q", "i18n", "status", "-v"),
        ("i18n", "-v", "status", "-q"),
        ("-v", "check", "-q"),
    ):
        outcome = run_leaflet(*args)
        assert (outcome.code, outcome.lines[-1]) == (2, COMBINED), outcome.stderr


def test_q_leaves_only_problems_and_v_adds_debug_detail(tmp_path: Path) -> None:
    checked = "1 record and 8 catalogs valid."
    assert run_leaflet("check", "--record", str(FICTIONAL)).lines == [checked]
    assert run_leaflet("check", "-v", "--record", str(FICTIONAL)).lines == [checked]
    for args in (("check", "-q"), ("-q", "check")):
        assert run_leaflet(*args, "--record", str(FICTIONAL)) == Outcome(0, "", "")
    schema = tmp_path / "schema.json"
    assert run_leaflet("schema", "-q", "--out", str(schema)) == Outcome(0, "", "")
    assert schema.stat().st_size > 0

    build = ("build", "--record", str(FICTIONAL), "--audience", "clinician", "--jobs", "1")
    outcome = run_leaflet(*build, "--out", str(tmp_path / "v"), "-v")
    card = f"{tmp_path}/v/en/examplofen-clinician.pdf"
    assert outcome.code == 0, outcome.stderr
    # Each layout the card tries, before the one that fits is written.
    assert re.fullmatch(
        rf"{re.escape(card)}: layout 1 of \d: Layout\(font_pt=Decimal\('[\d.]+'\), by_step=False, "
        r"tight=False\)",
        outcome.lines[0],
    ), outcome.stderr
    assert outcome.lines[1] == f"wrote {card} (1 page)"
    outcome = run_leaflet(*build, "--out", str(tmp_path / "plain"))
    assert not [line for line in outcome.lines if ": layout " in line]
    assert run_leaflet(*build, "--out", str(tmp_path / "q"), "--force", "-q") == Outcome(0, "", "")


def test_the_summary_counts_written_unchanged_skipped_and_failed(tmp_path: Path) -> None:
    # examplofen is in no catalog (untranslated in 8 languages); examplomycin has no
    # taper handout (not applicable in 9 languages); both on two papers.
    build = ("build", "--record", str(FICTIONAL), "--record", str(EXAMPLOMYCIN), "--lang", "all")
    build += ("--audience", "taper", "--paper", "all", "--out", str(tmp_path / "out"))
    first = run_leaflet(*build)
    assert first.code == 0, first.stderr
    assert re.fullmatch(
        r"36 documents: 2 written, 0 unchanged, 34 skipped \(16 untranslated, 18 not "
        rf"applicable\), 0 failed, in \d+\.\d s\. Output: {re.escape(str(tmp_path / 'out'))}",
        first.lines[-1],
    ), first.stderr
    assert "examplomycin: no taper document: its record says it does not apply" in first.lines
    again = run_leaflet(*build)
    assert again.lines[-1].startswith(
        "36 documents: 0 written, 2 unchanged, 34 skipped (16 untranslated, 18 not applicable), "
        "0 failed, in "
    ), again.stderr
    assert [line for line in again.lines if line.startswith("wrote ")] == []


def test_a_failed_document_is_counted_and_its_problems_follow_the_summary(
    tmp_path: Path, ghost_taper_warning: str
) -> None:
    build = ("build", "--record", str(FICTIONAL), "--audience", "patient,taper", "--jobs", "1")
    outcome = run_leaflet(*build, "--out", str(tmp_path))
    assert outcome.code == 1
    assert outcome.lines[-3].startswith(
        "2 documents: 1 written, 0 unchanged, 0 skipped (0 untranslated, 0 not applicable), "
        "1 failed, in "
    ), outcome.stderr
    assert outcome.lines[-2].endswith(
        "examplofen-taper.pdf: preflight: required warning "
        "'ghost-warning' is missing from the PDF text (expected 'This sentence is in no "
        "template.'); not written"
    )
    assert outcome.lines[-1] == "1 problem found."


def _screen(raw: str, columns: int) -> list[str]:
    """What a terminal ``columns`` wide shows after ``raw``: one entry per logical line.

    Interprets what leaflet writes: text, ``\\r``, ``\\n`` and ``ESC [ K`` (erase to
    the end of the line); a character past the last column wraps to a new row.
    Rows a line wrapped onto are joined back to it, so a stale fragment of a
    wrapped status line shows as a line of its own.
    """
    rows: list[list[str]] = [[]]
    wrapped: list[bool] = [False]
    row, col = 0, 0
    index = 0
    while index < len(raw):
        char = raw[index]
        if raw.startswith("\x1b[K", index):
            del rows[row][col:]
            index += 3
            continue
        assert char != "\x1b", f"unexpected escape sequence: {raw[index : index + 8]!r}"
        if char == "\r":
            col = 0
        elif char == "\n":
            row, col = row + 1, 0
            if row == len(rows):
                rows.append([])
                wrapped.append(False)
        else:
            if col == columns:
                row, col = row + 1, 0
                if row == len(rows):
                    rows.append([])
                    wrapped.append(True)
            line = rows[row]
            line += [" "] * (col - len(line))
            if col < len(line):
                line[col] = char
            else:
                line.append(char)
            col += 1
        index += 1
    lines: list[str] = []
    for cells, continued in zip(rows, wrapped, strict=True):
        text = "".join(cells)
        if continued and lines:
            lines[-1] += text
        else:
            lines.append(text)
    return [line for line in lines if line.strip()]


def _under_a_terminal(args: list[str], columns: int, **env: str) -> str:
    """Run leaflet with a pseudo-terminal ``columns`` wide as its output; return all it wrote."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    attributes = termios.tcgetattr(slave)
    attributes[1] &= ~termios.OPOST  # no "\n" → "\r\n": the bytes leaflet wrote, as written
    termios.tcsetattr(slave, termios.TCSANOW, attributes)
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "COLUMNS", "NO_COLOR")}
    process = subprocess.Popen(
        [sys.executable, "-m", "leaflet", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env={**environment, **env},
    )
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every copy of the terminal's other end is closed
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
        code = process.wait(timeout=30)
    assert code == 0, b"".join(chunks).decode(errors="replace")
    return b"".join(chunks).decode()


def _narrow_build(tmp_path: Path, **env: str) -> tuple[str, Path]:
    # A long output folder: the status line naming the document is wider than 60 columns.
    out = tmp_path / ("leaflets-for-the-ward-" + "x" * 30)
    args = ["build", "--record", str(FICTIONAL), "--audience", "patient,clinician", "--jobs", "1"]
    return _under_a_terminal([*args, "--out", str(out)], 60, **env), out


def test_the_status_line_fits_a_60_column_terminal_and_leaves_nothing_stale(
    tmp_path: Path,
) -> None:
    raw, out = _narrow_build(tmp_path, TERM="xterm-256color", NO_COLOR="1")
    # Every redraw of the status line (erased, then written without a newline) fits.
    drawn = re.findall(r"\r\x1b\[K([^\r\n]+)(?=\r|\Z)", raw)
    assert drawn, raw
    assert all(len(status) <= 59 for status in drawn), drawn
    assert any(status.endswith("…") for status in drawn), drawn  # the document's path was cut
    assert not re.search(r"\x1b\[[0-9;]*m", raw)  # no colour, NO_COLOR or not
    # Once drawn: only the permanent lines are left, each whole (wrapped, not cut).
    shown = _screen(raw, 60)
    assert len(shown) == 3, shown
    assert re.fullmatch(
        rf"wrote {re.escape(str(out))}/en/examplofen-patient\.pdf \(\d pages\)", shown[0]
    )
    assert shown[1] == f"wrote {out}/en/examplofen-clinician.pdf (1 page)"
    assert shown[2].startswith("2 documents: 2 written, 0 unchanged, 0 skipped"), shown
    assert shown[2].endswith(f"Output: {out}"), shown


def test_a_dumb_terminal_gets_plain_lines_and_no_redraws(tmp_path: Path) -> None:
    raw, out = _narrow_build(tmp_path, TERM="dumb")
    assert "\r" not in raw and "\x1b" not in raw, repr(raw)
    lines = raw.splitlines()
    assert lines[:2] == [
        lines[0],
        f"wrote {out}/en/examplofen-clinician.pdf (1 page)",
    ]
    assert lines[0].startswith(f"wrote {out}/en/examplofen-patient.pdf (")
    assert lines[2].startswith("2 documents: 2 written, ") and len(lines) == 3


def test_fit_counts_terminal_columns_and_marks_a_cut() -> None:
    from leaflet.cli.progress import fit

    assert fit("[1/2] 0.4 s", 11) == "[1/2] 0.4 s"
    assert fit("[1/2] 0.4 s", 10) == "[1/2] 0.4…"
    assert fit("文件文件", 5) == "文件…"  # two columns each
    assert fit("e\u0301" * 6, 6) == "e\u0301" * 6  # a combining mark takes none
    assert fit("abc", 0) == ""
