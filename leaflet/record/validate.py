"""Check a loaded record against the schema and the rules that tie fields together.

Every problem is collected first and reported once, each as
``file:line: field.path: what is wrong (expected …, got …)``. Type and
field-level problems come from the pydantic model; the checks here relate
several fields live in :mod:`leaflet.record.record_rules`. A record in the old format
(schema 1) gets one problem naming ``leaflet migrate``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem
from .glyphs import missing_font_problem
from .model import SCHEMA_VERSION, DrugRecord
from .reading import LoadedRecord, PathKey
from .record_rules import record_problems
from .yaml_source import dotted

__all__ = ["describe_error", "validate_record"]


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
    version = data.get("schema_version")
    if version == 1:
        raise InputError(
            [
                Problem(
                    loaded.name,
                    loaded.lines.line_for(("schema_version",)),
                    "schema_version",
                    f"this record is written in record format 1 (expected {SCHEMA_VERSION}); "
                    f"convert it, keeping its translations, with: leaflet migrate "
                    f"{loaded.name}",
                )
            ]
        )
    reference_ids = _reference_ids(data)
    unprintable = [
        Problem(loaded.name, loaded.lines.line_for(path), dotted(path), message)
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
                Problem(loaded.name, loaded.lines.line_for(path), dotted(path), message)
                for path, message in record_problems(record)
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
        yield Problem(loaded.name, loaded.lines.line_for(loc), dotted(loc), message)


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
    if kind == "string_type" and root is DrugRecord:
        read_as = _yaml_reading(error.get("input"))
        if read_as:
            shown = "true" if value is True else "false" if value is False else got
            return (
                f"wrong value (expected text, got {shown}, which YAML reads as {read_as}: put "
                "the text in quotes)"
            )
    if kind == "string_pattern_mismatch":
        return f"wrong format (expected text matching {ctx.get('pattern')}, got {got})"
    expected = str(error["msg"]).removeprefix("Input should be ").removeprefix("Value should be ")
    # "a valid integer, unable to parse string as an integer" -> "a valid integer"
    expected = expected.split(", unable to")[0]
    return f"wrong value (expected {expected}, got {got})"


def _yaml_reading(value: Any) -> str | None:
    """What YAML made of an unquoted value where text was meant (a version 2.10, a date)."""
    if isinstance(value, bool):
        return "yes or no"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, int | Decimal):
        return "a number"
    return None


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
