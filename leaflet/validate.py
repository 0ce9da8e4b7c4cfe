"""Check a loaded record against the schema and the rules that tie fields together.

Every problem is collected first and reported once, each as
``file:line: field.path: what is wrong (expected …, got …)``. Type and
field-level problems come from the pydantic model; the checks here relate
several fields: titration against the maximum, units against the route, and
required warnings against their audiences.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem
from .fonts import missing_font_problem
from .loader import LoadedRecord, PathKey
from .model import AUDIENCES, DrugRecord, Quantity

__all__ = ["describe_error", "validate_record"]

#: The unit every dose must use, by route.
ROUTE_UNITS = {"oral": "mg", "intrathecal": "mcg"}


def validate_record(loaded: LoadedRecord) -> DrugRecord:
    """Return the typed record, or raise InputError listing every problem in it."""
    data = loaded.data
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem(
                    loaded.name,
                    1,
                    "",
                    f"the record must be a mapping of keys to values (expected 'drug:', "
                    f"'regulatory:' …, got {type(data).__name__})",
                )
            ]
        )
    reference_ids = _reference_ids(data)
    unprintable = [
        Problem(loaded.name, loaded.lines.line_for(path), _dotted(path), message)
        for path, message in _unprintable(data, ())
    ]
    try:
        record = DrugRecord.model_validate(data, context={"reference_ids": reference_ids})
    except ValidationError as exc:
        raise InputError(
            sorted(
                [*_problems_from_pydantic(exc, loaded), *unprintable],
                key=lambda p: (p.line or 0, p.path),
            )
        ) from None
    problems = sorted(
        [
            *(
                Problem(loaded.name, loaded.lines.line_for(path), _dotted(path), message)
                for path, message in _semantic_problems(record)
            ),
            *unprintable,
        ],
        key=lambda p: (p.line or 0, p.path),
    )
    if problems:
        raise InputError(problems)
    return record


def _unprintable(value: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    """Every text in the record holding a character no bundled font can draw."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _unprintable(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unprintable(item, (*path, index))
    elif isinstance(value, str):
        message = missing_font_problem(value)
        if message:
            yield path, message


def _reference_ids(data: dict[str, Any]) -> set[str]:
    refs = data.get("references")
    if not isinstance(refs, list):
        return set()
    return {str(r["id"]) for r in refs if isinstance(r, dict) and "id" in r}


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problems_from_pydantic(exc: ValidationError, loaded: LoadedRecord) -> Iterator[Problem]:
    seen: set[tuple[PathKey, str]] = set()
    for error in exc.errors(include_url=False):
        loc: PathKey = tuple(p for p in error["loc"] if isinstance(p, str | int))
        # pydantic names the branch of a union or a custom type in loc; drop those parts.
        loc = tuple(p for p in loc if not (isinstance(p, str) and _is_type_tag(p)))
        message = describe_error(error, loc)
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        yield Problem(loaded.name, loaded.lines.line_for(loc), _dotted(loc), message)


def _is_type_tag(part: str) -> bool:
    return part[:1].isupper() or part.startswith(("function-", "lax-", "json-")) or "[" in part


def describe_error(error: Any, loc: PathKey, root: type[BaseModel] = DrugRecord) -> str:
    """Turn one pydantic error into leaflet's wording: what is wrong (expected …, got …).

    ``root`` is the model the file is checked against (the record, or the settings),
    so that an unknown key lists the keys allowed where it was typed.
    """
    kind = error["type"]
    got = _short(error.get("input"))
    if kind == "missing":
        return "required field is missing (expected a value here, got nothing)"
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        allowed = _allowed_keys(loc[:-1], root)
        hint = ""
        close = difflib.get_close_matches(key, allowed, n=1)
        if close:
            hint = f"; did you mean {close[0]!r}?"
        return f"unknown field {key!r} (expected one of: {', '.join(allowed)}{hint})"
    if kind in ("value_error", "assertion_error"):
        message = str(error["msg"]).removeprefix("Value error, ")
        return message
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        return f"not an allowed value (expected {expected}, got {got})"
    ctx = error.get("ctx", {})
    value = error.get("input")
    if kind == "string_too_long":
        return (
            f"text is too long (expected at most {ctx.get('max_length')} characters, "
            f"got {len(value)})"
        )
    if kind == "string_too_short":
        return "text is empty (expected some text, or remove the field)"
    if kind == "too_short":
        count = len(value) if hasattr(value, "__len__") else 0
        return f"list is too short (expected at least {ctx.get('min_length')} item(s), got {count})"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"wrong value (expected a section of keys and values, got {got})"
    if kind in ("int_from_float", "int_type", "int_parsing"):
        return f"wrong value (expected a whole number, got {got})"
    if kind in ("bool_type", "bool_parsing"):
        return f"wrong value (expected true or false, got {got})"
    if kind.startswith("date_"):
        return f"wrong value (expected a date written YYYY-MM-DD, got {got})"
    if kind == "string_pattern_mismatch":
        return f"wrong format (expected text matching {ctx.get('pattern')}, got {got})"
    expected = str(error["msg"]).removeprefix("Input should be ").removeprefix("Value should be ")
    # "a valid integer, unable to parse string as an integer" -> "a valid integer"
    expected = expected.split(", unable to")[0]
    return f"wrong value (expected {expected}, got {got})"


def _short(value: Any) -> str:
    text = str(value) if isinstance(value, (Decimal, date)) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_keys(parent: PathKey, root: type[BaseModel]) -> list[str]:
    model: type[BaseModel] | None = root
    for part in parent:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        model = _model_in(field.annotation) if field is not None else None
    return sorted(model.model_fields) if model is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _semantic_problems(record: DrugRecord) -> Iterator[tuple[PathKey, str]]:
    """Yield (path, message) for every rule that relates several fields."""
    yield from _titration_problems(record)
    yield from _unit_problems(record)
    yield from _warning_problems(record)
    yield from _uniqueness_problems(record)


def _titration_problems(record: DrugRecord) -> Iterator[tuple[PathKey, str]]:
    oral = record.dosing.oral
    if oral is None:
        return
    maximum = oral.max_daily
    regimen_total = oral.max_regimen_dose.value * oral.max_regimen_times_per_day
    if oral.max_regimen_dose.unit == maximum.unit and regimen_total != maximum.value:
        yield (
            ("dosing", "oral", "max_regimen_dose"),
            f"the maximum regimen does not add up to the maximum daily dose (expected "
            f"{oral.max_regimen_times_per_day} x dose = {maximum}, got "
            f"{regimen_total} {maximum.unit})",
        )
    previous_last = 0
    for index, step in enumerate(oral.titration):
        path: PathKey = ("dosing", "oral", "titration", index)
        if step.dose.unit == maximum.unit and step.daily_total > maximum.value:
            yield (
                path,
                f"daily total is above the maximum daily dose (expected at most {maximum}, "
                f"got {step.times_per_day} x {step.dose} = {step.daily_total} {step.dose.unit})",
            )
        if step.last_day < step.first_day:
            yield (
                (*path, "last_day"),
                f"step ends before it starts (expected last_day >= {step.first_day}, "
                f"got {step.last_day})",
            )
        if step.first_day != previous_last + 1:
            yield (
                (*path, "first_day"),
                f"steps must follow each other day by day (expected first_day "
                f"{previous_last + 1}, got {step.first_day})",
            )
        previous_last = step.last_day


def _unit_problems(record: DrugRecord) -> Iterator[tuple[PathKey, str]]:
    def check(
        path: PathKey, quantity: Quantity | None, route: str, what: str
    ) -> Iterator[tuple[PathKey, str]]:
        wanted = ROUTE_UNITS.get(route)
        if quantity is not None and wanted and quantity.unit != wanted:
            yield (
                path,
                f"{what} unit does not fit the {route} route (expected {wanted}, "
                f"got {quantity.unit})",
            )

    for index, product in enumerate(record.products):
        for s_index, strength in enumerate(product.strengths):
            path: PathKey = ("products", index, "strengths", s_index, "amount")
            yield from check(path, strength.amount, product.route, "strength")
            if strength.per is not None and strength.per.unit != "mL":
                yield (
                    (*path[:-1], "per"),
                    f"a strength is given per volume (expected mL, got {strength.per.unit})",
                )
            if strength.scored and product.form != "tablet":
                yield (
                    (*path[:-1], "scored"),
                    f"only tablets can be scored (expected scored: false for a {product.form})",
                )
    oral = record.dosing.oral
    if oral is not None:
        base: PathKey = ("dosing", "oral")
        yield from check((*base, "max_daily"), oral.max_daily, "oral", "maximum daily dose")
        yield from check((*base, "max_regimen_dose"), oral.max_regimen_dose, "oral", "dose")
        for index, step in enumerate(oral.titration):
            yield from check((*base, "titration", index, "dose"), step.dose, "oral", "dose")
    it = record.dosing.intrathecal
    if it is not None:
        base = ("dosing", "intrathecal")
        for index, screen in enumerate(it.screening):
            yield from check(
                (*base, "screening", index, "dose"), screen.dose, "intrathecal", "dose"
            )
        for index, origin in enumerate(it.by_origin):
            for end in ("min", "max"):
                quantity = getattr(origin.usual_daily, end)
                yield from check(
                    (*base, "by_origin", index, "usual_daily", end), quantity, "intrathecal", "dose"
                )
        if it.paediatric_usual_daily is not None:
            for end in ("min", "max"):
                yield from check(
                    (*base, "paediatric_usual_daily", end),
                    getattr(it.paediatric_usual_daily, end),
                    "intrathecal",
                    "dose",
                )
        yield from check(
            (*base, "experience_limit_daily"), it.experience_limit_daily, "intrathecal", "dose"
        )


def _warning_problems(record: DrugRecord) -> Iterator[tuple[PathKey, str]]:
    for index, warning in enumerate(record.warnings):
        for audience in warning.required_in:
            if warning.text_for(audience) is None:
                yield (
                    ("warnings", index, audience),
                    f"warning {warning.id!r} is required in the {audience} document but has no "
                    f"{audience} text (expected {audience}: with the wording to print)",
                )
    for audience in AUDIENCES:
        if not any(audience in w.required_in for w in record.warnings):
            yield (
                ("warnings",),
                f"no warning is required in the {audience} document (expected at least one "
                f"warning with {audience} in required_in)",
            )


def _uniqueness_problems(record: DrugRecord) -> Iterator[tuple[PathKey, str]]:
    groups: tuple[tuple[str, list[str]], ...] = (
        ("references", [r.id for r in record.references]),
        ("warnings", [w.id for w in record.warnings]),
        ("products", [p.id for p in record.products]),
    )
    for field, ids in groups:
        first: dict[str, int] = {}
        for index, key in enumerate(ids):
            if key in first:
                yield (
                    (field, index, "id"),
                    f"duplicate id {key!r} (already used by {field}[{first[key]}]; expected "
                    "each id once)",
                )
            else:
                first[key] = index
