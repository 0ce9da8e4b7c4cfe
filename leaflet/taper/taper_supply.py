"""What a patient measures a taper with: whole units of one or two strengths, or mL of a liquid.

A :class:`Supply` is chosen from the record's products (:func:`find_supply`):
tablets, capsules, orally disintegrating tablets or packets of granules, of one
strength or two strengths of the same product combined; or one oral liquid.
It knows the smallest amount a dose can change by (:attr:`Supply.quantum_mg`) —
a tablet, half of a tablet the record marks scored (a quarter where labelled),
a capsule, or the smallest volume that can be measured — and writes an amount
as the units the patient counts (:meth:`Supply.compose`).

Capsules, extended-release forms, orally disintegrating tablets and granules are
never divided; tablets only where the record marks the strength scored.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

from ..record.model import DrugRecord
from ..record.model_products import Product

__all__ = [
    "CLI_FORMS",
    "DEFAULT_STEP_ML",
    "UNIT_NAMES",
    "Piece",
    "Supply",
    "Units",
    "oral_products",
    "show_mg",
]

#: ``--form`` values and the record forms each one selects.
CLI_FORMS: dict[str, tuple[str, ...]] = {
    "tablet": ("tablet", "film_coated_tablet"),
    "film-coated-tablet": ("film_coated_tablet",),
    "capsule": ("capsule",),
    "er-tablet": ("er_tablet",),
    "er-capsule": ("er_capsule",),
    "odt": ("odt",),
    "oral-solution": ("oral_solution",),
    "oral-suspension": ("oral_suspension",),
    "granules": ("oral_granules",),
}
#: What a patient counts, by record form (the JSON's ``unit``).
UNIT_NAMES = {
    "tablet": "tablet",
    "film_coated_tablet": "tablet",
    "er_tablet": "tablet",
    "odt": "tablet",
    "capsule": "capsule",
    "er_capsule": "capsule",
    "oral_granules": "packet",
}
#: The smallest volume a patient is asked to measure, unless --min-ml says otherwise:
#: oral syringes for adults are marked in 0.5 mL or finer.
DEFAULT_STEP_ML = Decimal("0.5")


def show_mg(value: Decimal) -> str:
    """Write an amount in mg as a person would: ``7.5 mg``, ``10 mg``."""
    return f"{value.normalize():f} mg"


@dataclass(frozen=True)
class Piece:
    """One strength the patient has, and how many pieces a unit of it may be divided into."""

    strength_mg: Decimal
    pieces: int = 1

    @property
    def smallest_mg(self) -> Decimal:
        """The smallest part of one unit that may be taken."""
        return self.strength_mg / self.pieces

    @property
    def label(self) -> str:
        """The strength as the record writes it: ``300 mg``."""
        return show_mg(self.strength_mg)


#: A dose as units: for each strength, how many units (0.5 for a half tablet).
Units = tuple[tuple[Piece, Decimal], ...]


@dataclass(frozen=True)
class Supply:
    """What the taper is measured in: pieces of one product, or one liquid in mL."""

    product: Product
    pieces: tuple[Piece, ...] = ()
    per_ml: Decimal | None = None
    #: The liquid's strength as the record writes it, e.g. "250 mg/5 mL".
    concentration: str = ""
    step_ml: Decimal = DEFAULT_STEP_ML

    @property
    def is_liquid(self) -> bool:
        """True for a liquid measured in mL."""
        return self.per_ml is not None

    @property
    def unit_name(self) -> str:
        """``tablet``, ``capsule``, ``packet`` or ``mL``."""
        return "mL" if self.is_liquid else UNIT_NAMES[self.product.form]

    @property
    def quantum_mg(self) -> Decimal:
        """The smallest amount a dose can change by."""
        if self.per_ml is not None:
            return self.per_ml * self.step_ml
        return min(piece.smallest_mg for piece in self.pieces)

    @property
    def divisible(self) -> bool:
        """True when some unit may be broken (a scored tablet)."""
        return any(piece.pieces > 1 for piece in self.pieces)

    def ml(self, mg: Decimal) -> Decimal:
        """The volume that holds ``mg`` of a liquid."""
        assert self.per_ml is not None
        return (mg / self.per_ml).normalize()

    def compose(self, mg: Decimal) -> Units:
        """The fewest units that make ``mg`` exactly; a broken unit counts a little more."""
        quantum = self.quantum_mg
        total = int(mg / quantum)
        assert total * quantum == mg, f"{mg} is not a multiple of {quantum}"
        sizes, owners, shares = [], [], []
        for index, piece in enumerate(self.pieces):
            for parts in range(1, piece.pieces + 1):
                sizes.append(int(piece.strength_mg * parts / piece.pieces / quantum))
                owners.append(index)
                shares.append(Decimal(parts) / piece.pieces)
        costs = [1000 if share == 1 else 1001 for share in shares]
        counts = [Decimal(0)] * len(self.pieces)
        for option in _fewest(total, tuple(zip(sizes, costs, strict=True))):
            counts[owners[option]] += shares[option]
        return tuple((p, c) for p, c in zip(self.pieces, counts, strict=True) if c)


@functools.lru_cache(maxsize=4096)
def _fewest(total: int, options: tuple[tuple[int, int], ...]) -> tuple[int, ...]:
    """The options (indexes) of least total cost whose sizes add up to ``total``."""
    best: list[tuple[int, tuple[int, ...]] | None] = [None] * (total + 1)
    best[0] = (0, ())
    for amount in range(1, total + 1):
        for index, (size, cost) in enumerate(options):
            before = best[amount - size] if size <= amount else None
            if before is None:
                continue
            current = best[amount]
            if current is None or before[0] + cost < current[0]:
                best[amount] = (before[0] + cost, (*before[1], index))
    found = best[total]
    assert found is not None, f"{total} quanta cannot be made"
    return found[1]


def oral_products(record: DrugRecord) -> list[Product]:
    """The products a personalised taper can use: oral, taken by the patient."""
    return [p for p in record.products if p.route == "oral" and p.self_administered]
