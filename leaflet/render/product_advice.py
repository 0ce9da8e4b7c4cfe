"""What the patient is told about taking each product: its form, scoring, time and food.

Standard sentences, one per fact the record gives as data (an extended-release
form, a score line, a bedtime dose, food), then the product's own notes.
"""

from __future__ import annotations

from typing import Any

from babel.lists import format_list

from ..record.model_products import EXTENDED_RELEASE_FORMS, Product
from .dosing_view import AT, N_, STRENGTH_PER, UiTranslate
from .filters import format_quantity

__all__ = ["FOOD_ADVICE", "FORM_ADVICE", "product_advice", "strengths_text"]

#: Standard advice by dose form, printed for each product of that form.
FORM_ADVICE = {
    "er_tablet": N_(
        "advice.er_tablet", "Swallow the tablets whole. Do not split, crush or chew them."
    ),
    "er_capsule": N_(
        "advice.er_capsule", "Swallow the capsules whole. Do not open, crush or chew them."
    ),
    "capsule": N_("advice.capsule", "Swallow the capsules whole."),
    "odt": N_("advice.odt", "The tablet melts in your mouth."),
    "liquid": N_(
        "advice.liquid",
        "Measure each dose in mL with the oral syringe or measuring cup that comes with your "
        "medicine. Never use a kitchen spoon.",
    ),
}
SCORED_ADVICE = {
    "halves": N_(
        "advice.scored.halves", "The {strength} tablet may be broken in half on its score line."
    ),
    "quarters": N_(
        "advice.scored.quarters",
        "The {strength} tablet may be broken into quarters on its score lines.",
    ),
}
MAY_OPEN = N_("advice.may_open", "You may open the capsules as the pack leaflet explains.")
# Translators: {at} is a time of day from the dose.at.* entries, e.g. "at bedtime".
TAKE_AT_TIME = N_("advice.time_of_day", "Take it once a day {at}.")
FOOD_ADVICE = {
    "with_or_without": N_("advice.food.with_or_without", "You can take it with or without food."),
    "with_food": N_("advice.food.with_food", "Take it with food."),
    "without_food": N_("advice.food.without_food", "Take it on an empty stomach."),
    "same_way_each_time": N_(
        "advice.food.same_way",
        "Take it the same way every time: always with food, or always without.",
    ),
}


def strengths_text(strengths: list[Any], lang: str, ui: UiTranslate) -> str:
    """Say a product's strengths: "5 mg, 10 mg and 20 mg", "50 or 500 mcg in 1 mL"."""
    amounts = format_list([format_quantity(s.amount, lang) for s in strengths], locale=lang)
    volumes = {s.per for s in strengths}
    if volumes == {None}:
        return amounts
    if len(volumes) == 1:
        (volume,) = volumes
        return ui(*STRENGTH_PER).format(amount=amounts, volume=format_quantity(volume, lang))
    return format_list(
        [
            ui(*STRENGTH_PER).format(
                amount=format_quantity(s.amount, lang), volume=format_quantity(s.per, lang)
            )
            if s.per is not None
            else format_quantity(s.amount, lang)
            for s in strengths
        ],
        locale=lang,
    )


def product_advice(
    product: Product, shown: dict[str, Any], lang: str, ui: UiTranslate, food: bool = True
) -> list[str]:
    """The standard advice for a product's form and food, then its own notes.

    ``food`` is False when every product has the same food advice, printed once.
    """
    lines = []
    if product.form in EXTENDED_RELEASE_FORMS or product.form in ("capsule", "odt"):
        lines.append(ui(*FORM_ADVICE[product.form]))
    for strength in product.strengths:
        if strength.scored != "none":
            lines.append(
                ui(*SCORED_ADVICE[strength.scored]).format(
                    strength=format_quantity(strength.amount, lang)
                )
            )
    take = product.take
    if take is not None:
        if take.time_of_day:
            lines.append(ui(*TAKE_AT_TIME).format(at=ui(*AT[take.time_of_day])))
        if take.may_open:
            lines.append(ui(*MAY_OPEN))
        if take.food and food:
            lines.append(ui(*FOOD_ADVICE[take.food]))
        lines += [note["patient"] for note in shown["take"]["notes"] if note["patient"]]
    return lines
