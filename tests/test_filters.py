"""Locale formatting: exact numbers, short units, dates and CSS strings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from markupsafe import Markup

from leaflet.record.model import QuantityValue
from leaflet.render.filters import (
    css_counter_content,
    css_string,
    fill_placeholders,
    format_date,
    format_number,
    format_quantity,
    isolate,
    keep_ranges_together,
    tighten_full_width,
    unit_symbol,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "locale", "expected"),
    [
        (Decimal("0.05"), "en", "0.05"),
        (Decimal("0.05"), "de", "0,05"),
        (Decimal("0.0625"), "de", "0,0625"),  # Babel's default would round to 0,062
        (Decimal("1.23456"), "en", "1.23456"),
        (1199, "en", "1,199"),
        (1199, "de", "1.199"),
    ],
)
def test_format_number_never_rounds(value: Decimal | int, locale: str, expected: str) -> None:
    assert format_number(value, locale) == expected


def test_quantity_keeps_number_and_unit_together() -> None:
    assert format_quantity(QuantityValue(value=Decimal("50"), unit="mcg"), "en") == f"50{NBSP}mcg"
    assert format_quantity(QuantityValue(value=Decimal("0.5"), unit="mg"), "de") == f"0,5{NBSP}mg"


def test_microgram_is_never_written_as_micro_sign() -> None:
    text = format_quantity(QuantityValue(value=Decimal("100"), unit="mcg"), "en")
    assert "µ" not in text and "μ" not in text


def test_percent_follows_locale() -> None:
    assert format_quantity(QuantityValue(value=Decimal("10"), unit="%"), "en") == "10%"
    assert format_quantity(QuantityValue(value=Decimal("10"), unit="%"), "de") == f"10{NBSP}%"


def test_long_date_per_locale() -> None:
    assert format_date(date(2026, 11, 22), "en") == "November 22, 2026"
    assert format_date(date(2026, 11, 22), "de") == "22. November 2026"
    # Vietnamese as the review asked, not CLDR's "22 tháng 11, 2026".
    assert format_date(date(2026, 11, 22), "vi") == "ngày 22 tháng 11 năm 2026"


def test_fill_placeholders_and_missing_value_is_a_bug() -> None:
    assert fill_placeholders("Take {dose} now.", {"dose": "5 mg"}) == "Take 5 mg now."
    with pytest.raises(KeyError):
        fill_placeholders("Take {dose} now.", {})


def test_css_string_cannot_break_out_of_style_element() -> None:
    quoted = css_string('say "hi" \\ </style><script>')
    assert quoted == '"say \\"hi\\" \\\\ \\3c /style\\3e \\3c script\\3e "'
    assert "</style" not in quoted


def test_css_string_unescapes_jinja_markup_first() -> None:
    assert css_string(Markup("d&#39;information")) == '"d\'information"'


def test_page_counter_content() -> None:
    assert css_counter_content("Page {page} of {pages}") == (
        '"Page " counter(page) " of " counter(pages)'
    )
    assert css_counter_content("{page}/{pages}") == 'counter(page) "/" counter(pages)'


def test_page_counter_content_unescapes_a_translation_before_cutting_it_up() -> None:
    """Jinja hands the footer translation over escaped: its pieces must not keep the entities."""
    escaped = Markup("Page {page} d&#39;un total de {pages} &amp; &lt;annexes&gt; &#34;\\&#34;")
    assert css_counter_content(escaped) == (
        '"Page " counter(page) " d\'un total de " counter(pages) " & \\3c annexes\\3e  \\"\\\\\\""'
    )


@pytest.mark.parametrize(
    "locale", ["en", "es_US", "fr", "de", "pt_BR", "ru", "vi", "ar", "zh_Hans"]
)
@pytest.mark.parametrize("unit", ["mg", "mcg", "g", "mL", "h", "%"])
def test_every_unit_keeps_its_number_and_never_prints_a_raw_unit_id(locale: str, unit: str) -> None:
    text = format_quantity(QuantityValue(value=Decimal("0.05"), unit=unit), locale)  # type: ignore[arg-type]
    assert "0.05" in text or "0,05" in text or "5" in text
    assert "-" not in text.replace("\u00a0", " ").split(" ", 1)[-1], text  # no "mass-milligram"
    assert "μg" not in text and "µg" not in text


def test_units_follow_the_locale() -> None:
    def q(value: str, unit: str, locale: str) -> str:
        return format_quantity(QuantityValue(value=Decimal(value), unit=unit), locale)  # type: ignore[arg-type]

    assert q("50", "mcg", "de") == f"50{NBSP}mcg"
    assert q("50", "mcg", "ru") == f"50{NBSP}мкг"
    assert q("5", "mL", "zh_Hans") == "5毫升"
    assert q("0.05", "mg", "ar") == f"0.05{NBSP}مغم"
    # Chinese writes micrograms as 微克, close up like 毫升; Arabic millilitres as مل.
    assert q("50", "mcg", "zh_Hans") == "50微克"
    assert q("50", "mcg/kg", "zh_Hans") == "50微克/kg"
    assert unit_symbol("mcg", "zh_Hans") == "微克"
    assert q("2.5", "mL", "ar") == f"2.5{NBSP}مل"
    assert unit_symbol("mL", "ar") == "مل"


def test_millilitres_are_never_written_with_a_lower_case_l() -> None:
    # A lower-case "ml" reads like "m1"; US labelling writes "mL" (ISMP, USP).
    for locale in ("en", "es_US", "fr", "de", "pt_BR", "vi"):
        text = format_quantity(QuantityValue(value=Decimal("1.5"), unit="mL"), locale)
        assert text.endswith("mL") and "ml" not in text, (locale, text)
    assert format_quantity(QuantityValue(value=Decimal("5"), unit="mL"), "ru").endswith("мл")


def test_ranges_never_break_at_their_dash() -> None:
    assert keep_ranges_together("drowsiness 10–63%; 0 – 9 %") == (
        "drowsiness 10\u2060–\u206063%; 0\u2060–\u20609 %"
    )
    assert keep_ranges_together("1-800-FDA-1088") == "1-800-FDA-1088"


def test_typed_text_is_isolated_for_right_to_left_pages() -> None:
    assert isolate("Dr A. Sample, 555-0100") == "\u2068Dr A. Sample, 555-0100\u2069"
    assert isolate("") == ""


def test_spaces_beside_full_width_punctuation_are_removed_across_tags() -> None:
    html = '<span class="term">口服：</span> 每日80\u00a0mg；巴氯芬 （Ozobax） 片剂\n  <li>x。</li>'
    assert tighten_full_width(html) == (
        '<span class="term">口服：</span>每日80\u00a0mg；巴氯芬（Ozobax）片剂\n  <li>x。</li>'
    )
    # Latin text, no-break spaces and CSS strings are left alone.
    assert tighten_full_width("Oral: 80 mg (common)") == "Oral: 80 mg (common)"
    assert tighten_full_width('content: "第" counter(page) "页"') == (
        'content: "第" counter(page) "页"'
    )
