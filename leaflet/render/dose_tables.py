"""Dose tables for print: each usual dose in mL of every liquid, kidney and liver bands.

Built from the phrases of :mod:`leaflet.render.dosing_view`; templates only lay the
rows out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from babel.lists import format_list

from ..record.fields import QuantityValue
from ..record.model import DrugRecord
from ..record.model_dosing import amount_ends
from ..record.model_kidney_liver import Adjustment as AdjustmentModel
from ..record.model_kidney_liver import Bounds
from .dosing_view import (
    EACH_TIMES,
    STRENGTH_PER,
    UiTranslate,
    amount_text,
    product_label,
    product_short,
    times_phrase,
)
from .filters import format_number, format_quantity

__all__ = ["adjustment_table", "bounds_text", "liquid_doses"]


def _ml(value: Decimal, lang: str) -> str:
    return format_quantity(QuantityValue(value=value, unit="mL"), lang)


def liquid_doses(
    record: DrugRecord, view: dict[str, Any], lang: str, ui: UiTranslate
) -> dict[str, Any] | None:
    """The mL each usual dose is in each liquid the patient may have, or None without liquids.

    Rows are the single doses in mg named by the oral regimens that apply to
    liquids (fixed doses and the ends of ranges; doses by body weight are
    worked out by the prescriber); columns the liquids, with their strength.
    """
    liquids = [p for p in record.products if p.is_liquid and p.route == "oral"]
    if not liquids:
        return None
    doses: set[Decimal] = set()
    for regimen in record.regimens:
        if regimen.route != "oral":
            continue
        applies = not regimen.products or any(p.id in regimen.products for p in liquids)
        if not applies:
            continue
        for step in regimen.titration:
            doses.add(step.each.value)
        for dose in (regimen.start, regimen.usual):
            if dose is not None and dose.each is not None:
                for end in amount_ends(dose.each):
                    if not end.per_kg:
                        doses.add(end.value)
    columns = []
    for product in liquids:
        label = product_label(product, view["drug"]["name"], ui)
        for strength in product.strengths:
            assert strength.per is not None
            columns.append(
                {
                    "label": label,
                    "short": product_short(product, ui),
                    "strength": ui(*STRENGTH_PER).format(
                        amount=format_quantity(strength.amount, lang),
                        volume=format_quantity(strength.per, lang),
                    ),
                    "per_ml": strength.per_ml,
                }
            )
    rows = [
        {
            "mg": format_quantity(QuantityValue(value=mg, unit="mg"), lang),
            "ml": [_ml(_normal(mg / cast(Decimal, column["per_ml"])), lang) for column in columns],
        }
        for mg in sorted(doses)
    ]
    concentrations = {column["per_ml"] for column in columns}
    return {"columns": columns, "rows": rows, "differ": len(concentrations) > 1}


def _normal(value: Decimal) -> Decimal:
    """A volume as people write it: 2.50 -> 2.5, never a long fraction."""
    return value.quantize(Decimal("0.01")).normalize()


def bounds_text(bounds: Bounds, lang: str) -> str:
    """Write a band like labels do: "≥60", ">30–59", "<15"."""
    lower = ""
    if bounds.min is not None:
        lower = f"≥{format_number(bounds.min, lang)}"
    elif bounds.above is not None:
        lower = f">{format_number(bounds.above, lang)}"
    if bounds.max is not None:
        upper = format_number(bounds.max, lang)
        return f"{lower}\u2013{upper}" if lower else f"≤{upper}"
    if bounds.below is not None:
        upper = format_number(bounds.below, lang)
        return f"{lower}\u2013<{upper}" if lower else f"<{upper}"
    return lower


def adjustment_table(
    adjustment: AdjustmentModel, shown: dict[str, Any], lang: str, ui: UiTranslate
) -> dict[str, Any]:
    """The rows of a kidney or liver table, and the dialysis supplement, worded."""
    rows = []
    for band, band_view in zip(adjustment.bands, shown["bands"], strict=True):
        label = bounds_text(band.crcl, lang) if band.crcl else (band.child_pugh or "")
        choices = ""
        if band.each:
            listed = format_list([format_quantity(q, lang) for q in band.each], "or", locale=lang)
            times = times_phrase(band.times_per_day, [], lang, ui)
            choices = ui(*EACH_TIMES).format(each=listed, times=times) if times else listed
        rows.append(
            {
                "band": label,
                "daily": amount_text(band.daily, lang, ui) if band.daily else "",
                "choices": choices,
                "note": band_view["note"] or "",
            }
        )
    dialysis = None
    if adjustment.dialysis is not None:
        dialysis = {
            "doses": format_list(
                [format_quantity(q, lang) for q in adjustment.dialysis.supplement], "or",
                locale=lang,
            ),
            "hours": format_number(adjustment.dialysis.after_hours, lang),
        }  # fmt: skip
    return {
        "measure": adjustment.measure,
        "rows": rows,
        "has_daily": any(r["daily"] for r in rows),
        "has_choices": any(r["choices"] for r in rows),
        "has_notes": any(r["note"] for r in rows),
        "dialysis": dialysis,
        "note": shown["clinician"] or "",
        "refs": list(adjustment.refs),
    }
