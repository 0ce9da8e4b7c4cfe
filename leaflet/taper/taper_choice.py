"""Find the product a patient tapers with, from ``--form``, ``--strength`` and ``--product``.

``--strength`` is written as the record writes it (``"300 mg"``,
``"250 mg/5 mL"``; ``"50 mg/mL"`` also finds a liquid of that concentration) and
must match a product of the record; two strengths of one product may be
combined. ``--tablet-mg 10`` is short for ``--form tablet --strength "10 mg"``.
Every mistake is a problem naming the option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..record.errors import Problem
from ..record.model import DrugRecord
from ..record.model_dosing import amount_top
from ..record.model_products import Product, Strength
from .taper_supply import CLI_FORMS, DEFAULT_STEP_ML, Piece, Supply, oral_products, show_mg

__all__ = [
    "ProductChoice",
    "choose_supply",
    "daily_ceiling",
    "supply_words",
    "usual_doses_a_day",
    "written_strength",
]

_STRENGTH = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*mg\s*(?:/\s*(\d+(?:\.\d+)?)?\s*mL)?\s*$", re.IGNORECASE
)
#: Most strengths one dose may combine: more would confuse more than it helps.
MAX_STRENGTHS = 2
#: The range --min-ml may be set in.
MIN_STEP_ML, MAX_STEP_ML = Decimal("0.1"), Decimal("5")


@dataclass(frozen=True)
class ProductChoice:
    """What the pharmacist typed to name the patient's product."""

    form: str | None = None
    strengths: tuple[str, ...] = ()
    tablet_mg: str | None = None
    product: str | None = None
    min_ml: str | None = None
    #: The option the supply problems are reported under.
    option: str = field(default="--strength")


def _parse_strength(raw: str) -> tuple[Decimal, Decimal | None] | None:
    """``"250 mg/5 mL"`` -> (250, 5); ``"50 mg/mL"`` -> (50, 1); ``"300 mg"`` -> (300, None)."""
    match = _STRENGTH.match(raw)
    if not match:
        return None
    amount = Decimal(match.group(1))
    if "/" not in raw:
        return amount, None
    return amount, Decimal(match.group(2) or "1")


def _matches(strength: Strength, wanted: tuple[Decimal, Decimal | None]) -> bool:
    amount, per = wanted
    if strength.amount.unit != "mg":
        return False
    if per is None:
        return strength.per is None and strength.amount.value == amount
    return strength.per_ml is not None and strength.per_ml == amount / per


def written_strength(strength: Strength) -> str:
    """A strength as ``--strength`` takes it: ``300 mg``, ``250 mg/5 mL``."""
    text = show_mg(strength.amount.value)
    if strength.per is not None:
        text += f"/{strength.per.value.normalize():f} mL"
    return text


def choose_supply(
    record: DrugRecord, choice: ProductChoice, problems: list[Problem]
) -> Supply | None:
    """The :class:`Supply` the options name, or None after adding a problem."""
    option = choice.option
    form, strengths = choice.form, list(choice.strengths)
    if choice.tablet_mg is not None:
        if form not in (None, "tablet") or strengths:
            problems.append(
                Problem.with_option(
                    "--tablet-mg",
                    "--tablet-mg is short for --form tablet --strength (expected one or the "
                    "other, not both)",
                )
            )
            return None
        form, strengths, option = "tablet", [f"{choice.tablet_mg} mg"], "--tablet-mg"
    if form is None:
        problems.append(
            Problem.with_option(
                "--form", f"missing (expected one of: {', '.join(CLI_FORMS)}; or --tablet-mg)"
            )
        )
        return None
    if form not in CLI_FORMS:
        problems.append(
            Problem.with_option(
                "--form", f"unknown form {form!r} (expected one of: {', '.join(CLI_FORMS)})"
            )
        )
        return None
    products = [p for p in oral_products(record) if p.form in CLI_FORMS[form]]
    if choice.product is not None:
        products = [p for p in products if p.id == choice.product]
        if not products:
            known = [p.id for p in oral_products(record) if p.form in CLI_FORMS[form]]
            problems.append(
                Problem.with_option(
                    "--product",
                    f"no {form} product {choice.product!r} in the record (expected one of: "
                    f"{', '.join(known) or 'none'})",
                )
            )
            return None
    if not products:
        offered = [
            name
            for name, forms in CLI_FORMS.items()
            if any(p.form in forms for p in oral_products(record))
        ]
        problems.append(
            Problem.with_option(
                "--form",
                f"{record.drug.name} has no {form} product in the record (expected one of: "
                f"{', '.join(offered) or 'none: it has no oral product'})",
            )
        )
        return None
    if not strengths:
        problems.append(
            Problem.with_option("--strength", "missing (expected the strength the patient has)")
        )
        return None
    if len(strengths) > MAX_STRENGTHS:
        problems.append(
            Problem.with_option(
                "--strength",
                f"{len(strengths)} strengths (expected one, or two of the same product)",
            )
        )
        return None
    wanted = []
    for raw in strengths:
        parsed = _parse_strength(raw)
        if parsed is None:
            problems.append(
                Problem.with_option(
                    option, f"not a strength (expected e.g. '300 mg' or '250 mg/5 mL', got {raw!r})"
                )
            )
            return None
        wanted.append(parsed)
    found = [
        (p, [next(s for s in p.strengths if _matches(s, w)) for w in wanted])
        for p in products
        if all(any(_matches(s, w) for s in p.strengths) for w in wanted)
    ]
    if not found:
        listed = sorted({written_strength(s) for p in products for s in p.strengths})
        names = " and ".join(strengths)
        problems.append(
            Problem.with_option(
                option,
                f"no {form.replace('-', ' ')} of {names} in the record (expected one of: "
                f"{', '.join(listed)})",
            )
        )
        return None
    if len(found) > 1:
        problems.append(
            Problem.with_option(
                "--product",
                f"{len(found)} products match ({', '.join(p.id for p, _ in found)}; expected "
                "--product with the id of the one the patient has: their brands or scoring "
                "differ)",
            )
        )
        return None
    product, chosen = found[0]
    return _supply(product, chosen, choice, option, problems)


def _supply(
    product: Product, chosen: list[Strength], choice: ProductChoice, option: str,
    problems: list[Problem],
) -> Supply | None:  # fmt: skip
    if product.is_liquid:
        if len(chosen) > 1:
            problems.append(
                Problem.with_option(option, "a liquid has one strength (expected one --strength)")
            )
            return None
        step = _parse_step(choice.min_ml, problems)
        if step is None:
            return None
        strength = chosen[0]
        return Supply(
            product=product,
            per_ml=strength.per_ml,
            concentration=written_strength(strength),
            step_ml=step,
        )
    if choice.min_ml is not None:
        problems.append(
            Problem.with_option("--min-ml", "only for liquids (expected no --min-ml here)")
        )
        return None
    pieces = tuple(
        Piece(s.amount.value, s.pieces) for s in sorted(chosen, key=lambda s: -s.amount.value)
    )
    if len({p.strength_mg for p in pieces}) < len(pieces):
        problems.append(
            Problem.with_option(option, "the same strength twice (expected two different ones)")
        )
        return None
    smallest = min(p.smallest_mg for p in pieces)
    if any(p.smallest_mg % smallest for p in pieces):
        sizes = " and ".join(show_mg(p.smallest_mg) for p in pieces)
        problems.append(
            Problem.with_option(
                option,
                f"pieces of {sizes} cannot make every step together (expected strengths where "
                f"the smaller piece divides the larger, e.g. 300 mg with 100 mg)",
            )
        )
        return None
    return Supply(product=product, pieces=pieces)


def _parse_step(raw: str | None, problems: list[Problem]) -> Decimal | None:
    if raw is None:
        return DEFAULT_STEP_ML
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        value = Decimal(-1)
    if not MIN_STEP_ML <= value <= MAX_STEP_ML or value % MIN_STEP_ML:
        problems.append(
            Problem.with_option(
                "--min-ml",
                f"not a measurable volume (expected {MIN_STEP_ML} to {MAX_STEP_ML} mL in steps of "
                f"{MIN_STEP_ML}, e.g. 0.5, got {raw!r})",
            )
        )
        return None
    return value


def supply_words(supply: Supply) -> str:
    """Say what the patient measures with, e.g. "300 mg and 100 mg capsules" or "… or halves"."""
    if supply.is_liquid:
        return f"{supply.concentration} in steps of {supply.step_ml.normalize():f} mL"
    noun = {"tablet": "tablets", "capsule": "capsules", "packet": "packets"}[supply.unit_name]
    strengths = " and ".join(p.label for p in supply.pieces)
    divided = max(p.pieces for p in supply.pieces)
    extra = {1: "", 2: " or halves", 4: " or quarters"}[divided]
    return f"{strengths} {noun}{extra}"


def daily_ceiling(record: DrugRecord) -> Decimal | None:
    """The highest daily amount in mg the record names for the oral route, if any.

    Regimen maxima and the top of kidney or liver table bands: a current dose
    above every one of them is a typing slip or a prescription to check.
    """
    found: list[Decimal] = []
    for regimen in record.regimens:
        if regimen.route == "oral" and regimen.maximum is not None:
            daily = regimen.maximum.daily
            top = amount_top(daily)
            if top is not None and top.unit == "mg":
                found.append(top.value)
    for organ in (record.populations.kidney, record.populations.liver):
        if organ.adjustment is not None:
            for band in organ.adjustment.bands:
                top = amount_top(band.daily)
                if top is not None and top.unit == "mg":
                    found.append(top.value)
    return max(found) if found else None


def usual_doses_a_day(record: DrugRecord, product: Product) -> int | None:
    """How many doses a day the record's oral regimens for ``product`` give, if they agree.

    Each regimen is read where its dose settles: the usual dose, else the last
    titration step, else the starting dose; "3 or 4 times a day" counts as 3.
    An extended-release capsule taken once a day gives 1; propranolol tablets,
    taken 2 to 4 times a day by indication, give None: the pharmacist must say
    how the patient takes them.
    """
    counts: set[int] = set()
    for regimen in record.regimens:
        if regimen.route != "oral" or (regimen.products and product.id not in regimen.products):
            continue
        settled = [
            regimen.usual.times_per_day if regimen.usual else None,
            regimen.titration[-1].times_per_day if regimen.titration else None,
            regimen.start.times_per_day if regimen.start else None,
        ]
        times = next((t for t in settled if t is not None), None)
        if times is not None:
            counts.add(times if isinstance(times, int) else times.min)
    return counts.pop() if len(counts) == 1 else None
