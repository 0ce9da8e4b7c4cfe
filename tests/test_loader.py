"""Loading YAML records: line numbers, exact decimals, and refusing unsafe YAML."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from leaflet.errors import InputError
from leaflet.loader import load_font_cmap, load_record
from leaflet.pdf import FONTS_DIR


def _load_error(tmp_path: Path, text: str | bytes) -> list[str]:
    path = tmp_path / "record.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_record(path)
    return [str(p).replace(str(path), "record.yaml") for p in info.value.problems]


def test_values_keep_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("a: 1\nb:\n  - x\n  - y: 2\n", encoding="utf-8")
    loaded = load_record(path)
    assert loaded.data == {"a": 1, "b": ["x", {"y": 2}]}
    assert loaded.lines.line_for(("b", 1, "y")) == 4
    assert loaded.lines.line_for(("b", 0)) == 3
    assert loaded.lines.line_for(("b", 1, "missing")) == 4


def test_floats_are_exact_decimals(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("dose: 0.05\n", encoding="utf-8")
    assert load_record(path).data == {"dose": Decimal("0.05")}


def test_syntax_error_names_its_line(tmp_path: Path) -> None:
    problems = _load_error(tmp_path, "a: 1\nb: [1, 2\nc: 3\n")
    assert len(problems) == 1
    assert problems[0].startswith("record.yaml:3: YAML syntax error: ")


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    problems = _load_error(tmp_path, "drug:\n  id: a\n  id: b\n")
    assert problems == [
        "record.yaml:3: drug.id: duplicate key (already defined on line 2; expected each key "
        "once: remove or rename one of them)"
    ]


def test_aliases_are_refused(tmp_path: Path) -> None:
    bomb = 'a: &a ["x", "x"]\nb: &b [*a, *a]\nc: [*b, *b]\n'
    problems = _load_error(tmp_path, bomb)
    assert problems == [
        "record.yaml:2: YAML aliases (*name) are not allowed (expected the value written out "
        "in full)"
    ]


def test_empty_and_binary_files(tmp_path: Path) -> None:
    assert _load_error(tmp_path, "") == ["record.yaml:1: file is empty (expected a YAML mapping)"]
    assert _load_error(tmp_path, b"\x00\x01\x02") == [
        "record.yaml: file is binary, not text (expected a UTF-8 YAML file)"
    ]


def test_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    problems = _load_error(tmp_path, "a: 1\nb: caf\xe9\n".encode("latin-1"))
    assert problems == [
        "record.yaml:2: file is not UTF-8 (byte 0xe9 cannot be decoded; expected UTF-8: save "
        "the file as UTF-8 in your editor)"
    ]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_record(tmp_path / "nope.yaml")
    assert str(info.value.problems[0]).endswith(
        "nope.yaml: file not found (expected a YAML drug record)"
    )


@pytest.mark.parametrize("font", sorted(FONTS_DIR.glob("*.[ot]tf")), ids=lambda p: p.name)
def test_font_coverage_is_every_code_point_the_font_maps(font: Path) -> None:
    """Reading code points with numbered glyph names loses none (checked with real names)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(font), lazy=True) as reference:
        expected = set(reference.getBestCmap())
    assert load_font_cmap(font) == expected
    assert len(expected) > 1000
