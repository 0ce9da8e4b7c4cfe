"""Rules that relate several fields of a record: ids, routes, units, maxima, documents.

The model (:mod:`leaflet.record.model`) checks each field on its own; these checks
need the whole record — a regimen naming an indication that does not exist, a
titration step above the regimen's maximum, a dose in mg on an intrathecal
route, a warning required in a document the record says does not apply. Each
is yielded as ``(path, message)``; :mod:`leaflet.record.validate` adds file and line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .fields import QuantityValue
from .model import DrugRecord
from .model_dosing import AmountRange, Dose, Regimen, amount_ends, amount_top
from .model_products import LIQUID_FORMS, TABLET_FORMS
from .number_limits import exceeds, in_common_unit
from .plausibility import plausibility_problems
from .yaml_source import PathKey, dotted

__all__ = ["ROUTE_UNITS", "record_problems"]

#: The unit every dose must use, by route (a per-kg dose uses it too: 'mg/kg').
ROUTE_UNITS = {"oral": "mg", "intrathecal": "mcg"}

Found = Iterator[tuple[PathKey, str]]


def record_problems(record: DrugRecord) -> Found:
    """Yield (path, message) for every rule that relates several fields."""
    yield from _unique_ids(record, ())
    yield from _route_problems(record)
    yield from _product_problems(record)
    for index, regimen in enumerate(record.regimens):
        yield from _regimen_problems(record, regimen, ("regimens", index))
    yield from _adjustment_problems(record)
    yield from _warning_problems(record)
    yield from _document_problems(record)
    yield from _side_effect_problems(record)
    yield from plausibility_problems(record)


def _unique_ids(obj: Any, path: PathKey) -> Found:
    """Every list of items with ids holds each id once (ids name translations)."""
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _unique_ids(getattr(obj, name), (*path, name))
    elif isinstance(obj, list):
        first: dict[str, int] = {}
        for index, item in enumerate(obj):
            item_id = getattr(item, "id", None)
            if isinstance(item_id, str):
                if item_id in first:
                    yield (
                        (*path, index, "id"),
                        f"duplicate id {item_id!r} (already used by "
                        f"{dotted((*path, first[item_id]))}; expected each id once: ids keep "
                        "translations apart)",
                    )
                else:
                    first[item_id] = index
            yield from _unique_ids(item, (*path, index))


def _route_fields(obj: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    """Every ``route`` set anywhere in the record, except on products themselves."""
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if name == "route" and isinstance(value, str) and path[:1] != ("products",):
                yield (*path, name), value
            else:
                yield from _route_fields(value, (*path, name))
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from _route_fields(item, (*path, index))


def _route_problems(record: DrugRecord) -> Found:
    routes = record.routes()
    for path, route in _route_fields(record, ()):
        if route not in routes:
            yield (
                path,
                f"no product is given by the {route} route (expected one of the products' "
                f"routes: {', '.join(routes)})",
            )


def _unit_problem(quantity: Any, route: str, what: str) -> str | None:
    wanted = ROUTE_UNITS.get(route)
    if quantity is None or wanted is None or quantity.base_unit == wanted:
        return None
    return f"{what} unit does not fit the {route} route (expected {wanted}, got {quantity.unit})"


def _product_problems(record: DrugRecord) -> Found:
    for index, product in enumerate(record.products):
        base: PathKey = ("products", index)
        for s_index, strength in enumerate(product.strengths):
            path: PathKey = (*base, "strengths", s_index)
            if strength.amount.per_kg:
                yield (
                    (*path, "amount"),
                    f"a strength cannot be per kg (expected an amount per unit or per volume, "
                    f"such as '10 mg', got {strength.amount})",
                )
            else:
                problem = _unit_problem(strength.amount, product.route, "strength")
                if problem:
                    yield (*path, "amount"), problem
            liquid = product.form in LIQUID_FORMS or product.form.endswith("injection")
            if strength.per is None and liquid:
                yield (
                    (*path, "per"),
                    f"a {product.form} strength needs its volume (expected per: '5 mL' for "
                    f"{strength.amount} in 5 mL)",
                )
            if strength.per is not None and not liquid:
                yield (
                    (*path, "per"),
                    f"only liquids have a strength per volume (expected no per: for a "
                    f"{product.form})",
                )
            if strength.per is not None and strength.per.unit != "mL":
                yield (
                    (*path, "per"),
                    f"a strength is given per volume (expected mL, got {strength.per.unit})",
                )
            if strength.scored != "none" and product.form not in TABLET_FORMS:
                yield (
                    (*path, "scored"),
                    f"only tablets can be scored (expected scored: none for a {product.form})",
                )
        take = product.take
        if take is not None and take.may_open and product.form != "capsule":
            yield (
                (*base, "take", "may_open"),
                f"only capsules can be opened (expected may_open: false for a {product.form})",
            )


def _dose_unit_problems(dose: Dose | None, route: str, path: PathKey) -> Found:
    if dose is None:
        return
    for quantity in dose.amounts():
        problem = _unit_problem(quantity, route, "dose")
        if problem:
            yield path, problem


def _regimen_problems(record: DrugRecord, regimen: Regimen, path: PathKey) -> Found:
    indications = {i.id: i for i in record.indications.approved}
    indication = indications.get(regimen.indication)
    if indication is None:
        yield (
            (*path, "indication"),
            f"unknown indication {regimen.indication!r} (expected the id of an approved "
            f"indication: {', '.join(indications)})",
        )
    elif indication.route != regimen.route:
        yield (
            (*path, "route"),
            f"the regimen's route differs from its indication's (expected {indication.route}, "
            f"got {regimen.route})",
        )
    products = {p.id: p for p in record.products}
    for p_index, product_id in enumerate(regimen.products):
        product = products.get(product_id)
        if product is None:
            yield (
                (*path, "products", p_index),
                f"unknown product {product_id!r} (expected one of: {', '.join(products)})",
            )
        elif product.route != regimen.route:
            yield (
                (*path, "products", p_index),
                f"product {product_id!r} is given by the {product.route} route (expected a "
                f"{regimen.route} product)",
            )
    for name in ("start", "usual", "maximum"):
        yield from _dose_unit_problems(getattr(regimen, name), regimen.route, (*path, name))
    for t_index, dose in enumerate(regimen.test_doses):
        problem = _unit_problem(dose.dose, regimen.route, "dose")
        if problem:
            yield (*path, "test_doses", t_index, "dose"), problem
    yield from _titration_problems(regimen, path)
    yield from _maximum_problems(regimen, path)


def _titration_problems(regimen: Regimen, path: PathKey) -> Found:
    previous_end = 0
    maximum = regimen.maximum
    for index, step in enumerate(regimen.titration):
        step_path: PathKey = (*path, "titration", index)
        problem = _unit_problem(step.each, regimen.route, "dose")
        if problem:
            yield (*step_path, "each"), problem
        if step.last_day is not None and step.last_day < step.first_day:
            yield (
                (*step_path, "last_day"),
                f"step ends before it starts (expected last_day >= {step.first_day}, "
                f"got {step.last_day})",
            )
        if step.first_day != previous_end + 1:
            yield (
                (*step_path, "first_day"),
                f"steps must follow each other day by day (expected first_day "
                f"{previous_end + 1}, got {step.first_day})",
            )
        previous_end = step.end
        if maximum is None:
            continue
        daily = amount_top(maximum.daily)
        total = QuantityValue(value=step.daily_total, unit=step.each.unit)
        if daily is not None and exceeds(total, daily):
            yield (
                step_path,
                f"daily total is above the maximum daily dose (expected at most {daily}, got "
                f"{step.times_per_day} x {step.each} = {step.daily_total} {step.each.unit})",
            )
        each = amount_top(maximum.each)
        if each is not None and exceeds(step.each, each):
            yield (
                (*step_path, "each"),
                f"a single dose is above the maximum single dose (expected at most {each}, got "
                f"{step.each})",
            )


def _maximum_problems(regimen: Regimen, path: PathKey) -> Found:
    maximum = regimen.maximum
    if maximum is None:
        return
    daily = amount_top(maximum.daily)
    each = maximum.each
    times = maximum.times_per_day
    if (
        daily is not None
        and each is not None
        and not isinstance(each, AmountRange)
        and isinstance(times, int)
    ):
        total = QuantityValue(value=each.value * times, unit=each.unit)
        both = in_common_unit(total, daily)
        if both is not None and both[0] != both[1]:
            yield (
                (*path, "maximum", "each"),
                f"the maximum regimen does not add up to the maximum daily dose (expected "
                f"{times} x dose = {daily}, got {total})",
            )
    for name in ("start", "usual"):
        dose = getattr(regimen, name)
        top = dose.highest_daily() if dose is not None else None
        if top is not None and daily is not None and exceeds(top, daily):
            yield (
                (*path, name),
                f"the {name} dose is above the maximum daily dose (expected at most {daily}, "
                f"got up to {top})",
            )


def _adjustment_problems(record: DrugRecord) -> Found:
    for organ in ("kidney", "liver"):
        adjustment = getattr(record.populations, organ).adjustment
        if adjustment is None:
            continue
        base: PathKey = ("populations", organ, "adjustment")
        wanted = "crcl" if adjustment.measure == "creatinine_clearance" else "child_pugh"
        route = "oral" if "oral" in record.routes() else record.routes()[0]
        for index, band in enumerate(adjustment.bands):
            path: PathKey = (*base, "bands", index)
            if getattr(band, wanted) is None:
                yield path, f"the band has no {wanted} (expected {wanted}: in this table)"
            other = "child_pugh" if wanted == "crcl" else "crcl"
            if getattr(band, other) is not None:
                yield (*path, other), f"{other} does not fit a {adjustment.measure} table"
            quantities = [*band.each, *amount_ends(band.daily)]
            for quantity in quantities:
                problem = _unit_problem(quantity, route, "dose")
                if problem:
                    yield path, problem
            if (
                adjustment.dialysis
                and band.each
                and len(band.each) != len(adjustment.dialysis.supplement)
            ):
                yield (
                    (*base, "dialysis", "supplement"),
                    f"the dialysis supplements do not match band {band.id!r} (expected "
                    f"{len(band.each)} supplement(s), one per dose choice, got "
                    f"{len(adjustment.dialysis.supplement)})",
                )


def _warning_problems(record: DrugRecord) -> Found:
    for index, warning in enumerate(record.warnings):
        for audience in warning.required_in:
            if warning.text_for(audience) is None:
                yield (
                    ("warnings", index, audience),
                    f"warning {warning.id!r} is required in the {audience} document but has no "
                    f"{audience} text (expected {audience}: with the wording to print)",
                )
            if audience not in record.documents:
                yield (
                    ("warnings", index, "required_in"),
                    f"warning {warning.id!r} is required in the {audience} document, which this "
                    f"record says does not apply (expected {audience} under documents:, or "
                    "remove it here)",
                )
        if warning.topic is not None and warning.patient is None:
            yield (
                ("warnings", index, "topic"),
                f"a topic prints the patient text, and warning {warning.id!r} has none "
                "(expected patient:)",
            )
    for audience in record.documents:
        if not any(audience in w.required_in for w in record.warnings):
            yield (
                ("warnings",),
                f"no warning is required in the {audience} document (expected at least one "
                f"warning with {audience} in required_in)",
            )


def _document_problems(record: DrugRecord) -> Found:
    if len(set(record.documents)) != len(record.documents):
        yield ("documents",), "a document is listed twice (expected each once)"
    if "taper" in record.documents:
        for section in ("withdrawal", "taper"):
            if getattr(record, section) is None:
                yield (
                    (section,),
                    f"required field is missing (the taper handout needs {section}:; or leave "
                    "taper out of documents:)",
                )
    plan = record.taper.label_plan if record.taper else None
    if plan is not None:
        problem = _unit_problem(plan.daily_step, "oral", "step")
        if problem:
            yield ("taper", "label_plan", "daily_step"), problem
        if plan.indication and plan.indication not in {i.id for i in record.indications.approved}:
            yield (
                ("taper", "label_plan", "indication"),
                f"unknown indication {plan.indication!r} (expected the id of an approved "
                "indication)",
            )


def _side_effect_problems(record: DrugRecord) -> Found:
    items = record.side_effects.items
    if record.side_effects.band_source is None and any(item.band for item in items):
        yield (
            ("side_effects", "band_source"),
            "frequency bands are used but not sourced (expected band_source: with the text "
            "and refs saying where the bands come from)",
        )
    indications = {i.id for i in record.indications.approved}
    for index, item in enumerate(items):
        for i_index, incidence in enumerate(item.incidence):
            if incidence.indication and incidence.indication not in indications:
                yield (
                    ("side_effects", "items", index, "incidence", i_index, "indication"),
                    f"unknown indication {incidence.indication!r} (expected one of: "
                    f"{', '.join(sorted(indications))})",
                )
