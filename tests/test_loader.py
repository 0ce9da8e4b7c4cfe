"""Loading YAML records: line numbers, exact decimals, and refusing unsafe YAML."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from leaflet.record.errors import InputError
from leaflet.record.reading import load_font_cmap, load_record
from leaflet.render.pdf import FONTS_DIR


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
    problems = _load_error(tmp_path, "a: 1\nb: 2\nc: 3: 4\n")
    assert problems == [
        "record.yaml:3: YAML syntax error: mapping values are not allowed here (expected valid "
        "YAML; check the indentation and quoting on this line and the one above)"
    ]


FILLER = "".join(f"k{n}: plain text number {n}\n" for n in range(40))


@pytest.mark.parametrize(
    ("opening", "message"),
    [
        (
            "b: 'never closed\n",
            "the ' on this line opens a text that is never closed (expected a closing ' at the "
            "end of the text, got the end of the file)",
        ),
        (
            'b: "never closed\n',
            'the " on this line opens a text that is never closed (expected a closing " at the '
            "end of the text, got the end of the file)",
        ),
        (
            "b: [1, 2\n",
            "the '[' on this line is never closed (expected ']' to close it, got ':' on line 4)",
        ),
        (
            "b: {x: 1\n",
            "the '{' on this line is never closed (expected '}' to close it, got ':' on line 4)",
        ),
    ],
    ids=["single-quote", "double-quote", "bracket", "brace"],
)
def test_an_unclosed_quote_or_bracket_is_named_where_it_opens(
    tmp_path: Path, opening: str, message: str
) -> None:
    # PyYAML gives up lines below (at the end of the file for a quote): line 3 is the mistake.
    text = "a: 1\nz: 2\n" + opening + "c: 3\n" + FILLER
    assert _load_error(tmp_path, text) == [f"record.yaml:3: YAML syntax error: {message}"]


def test_a_quote_closed_only_by_the_next_quote_is_named_where_it_opens(tmp_path: Path) -> None:
    # A text quoted over two lines and a list over two lines are valid and not blamed.
    valid = 'a: "one\n  two"\nl: [1,\n  2]\n'
    text = valid + 'b: "never closed\nc: 3\nd: "four"\n' + FILLER
    assert _load_error(tmp_path, text) == [
        'record.yaml:5: YAML syntax error: the " on this line opens a text that is never closed '
        '(expected a closing " at the end of the text, got one only on line 7, which made the '
        "lines between part of the text)"
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "010",
            "a number with a leading zero (YAML reads 010 as 8, an octal number; expected 10 "
            "without the leading zero, or '010' in quotes if text was meant)",
        ),
        (
            "08",
            "a number with a leading zero (YAML reads 08 as text, not a number; expected 8 "
            "without the leading zero, or '08' in quotes if text was meant)",
        ),
        (
            "-007.5",
            "a number with a leading zero (a leading zero can mean an octal number; expected "
            "-7.5 without the leading zero, or '-007.5' in quotes if text was meant)",
        ),
        (
            "1:30",
            "a number written with ':' (YAML reads 1:30 as 90, counting in sixties; expected "
            "one plain number, or '1:30' in quotes if text was meant)",
        ),
        (
            "2:05:00.5",
            "a number written with ':' (YAML reads 2:05:00.5 as 7500.5, counting in sixties; "
            "expected one plain number, or '2:05:00.5' in quotes if text was meant)",
        ),
        (
            "0x1F",
            "a hexadecimal number (YAML reads 0x1F as 31; expected 31 in plain digits, or "
            "'0x1F' in quotes if text was meant)",
        ),
        (
            "0o10",
            "an octal number (YAML 1.1 reads 0o10 as text, YAML 1.2 as 8; expected 8 in plain "
            "digits, or '0o10' in quotes if text was meant)",
        ),
        (
            "0b101",
            "a binary number (YAML reads 0b101 as 5; expected 5 in plain digits, or '0b101' in "
            "quotes if text was meant)",
        ),
        (
            "1_000",
            "a number with '_' (YAML 1.1 reads 1_000 as 1000, YAML 1.2 as text; expected 1000 "
            "without '_', or '1_000' in quotes if text was meant)",
        ),
        (
            "1.0e+400",
            "a number in exponent notation (expected the number in plain digits, such as 250 "
            "or 0.05, or '1.0e+400' in quotes if text was meant)",
        ),
        (
            "1e5",
            "a number in exponent notation (expected the number in plain digits, such as 250 "
            "or 0.05, or '1e5' in quotes if text was meant)",
        ),
        (
            "-.inf",
            "not a finite number (expected a number such as 5 or 0.5, got '-.inf')",
        ),
        (
            ".NaN",
            "not a finite number (expected a number such as 5 or 0.5, got '.NaN')",
        ),
    ],
)
def test_a_number_whose_meaning_depends_on_the_reader_is_refused(
    tmp_path: Path, written: str, message: str
) -> None:
    # Quoted, these are text; the plain numbers around them are read as written.
    valid = "q: ['010', \"1:30\", '0x10', 08:30, +5, .5, 0, -0, 0.05]\n"
    text = f"{valid}values: {{days: {written}}}\nlist:\n  - {written}\n"
    assert _load_error(tmp_path, text) == [
        f"record.yaml:2: values.days: {message}",
        f"record.yaml:4: list[0]: {message}",
    ]


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
