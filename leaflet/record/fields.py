"""Building blocks of the record schema: prose, citations, base models, and number types.

:mod:`leaflet.record.model` assembles these into the drug record. Quantities, plain
numbers and dates come from :mod:`leaflet.record.number_types` (re-exported here).
Prose fields are marked (:class:`ProseMarker`) so that rendering, extraction
for translation and validation all find the same strings (:func:`prose_kind`).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from .characters import letterless_problem
from .durations import UNIT_AFTER_PLACEHOLDER
from .number_types import UNITS, PlainNumber, Quantity, QuantityValue, RecordDate, Value

__all__ = [
    "AUDIENCES",
    "COMMON_DESCRIPTIONS",
    "ROUTES",
    "UNITS",
    "Advice",
    "Audience",
    "Band",
    "Cited",
    "Name",
    "PlainNumber",
    "Prose",
    "ProseMarker",
    "Quantity",
    "QuantityValue",
    "RecordDate",
    "RefId",
    "Route",
    "Slug",
    "Statement",
    "Strict",
    "Value",
    "check_not_a_path",
    "check_refs",
    "prose_kind",
]

Audience = Literal["patient", "clinician", "taper"]
AUDIENCES: tuple[Audience, ...] = ("patient", "clinician", "taper")
Route = Literal[
    "oral", "intrathecal", "intravenous", "intramuscular", "subcutaneous", "topical", "inhaled"
]
ROUTES: tuple[str, ...] = Route.__args__  # type: ignore[attr-defined]
Band = Literal["very_common", "common", "uncommon", "rare", "very_rare", "not_known"]

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_STRAY_BRACE = re.compile(r"[{}]")
# A measurement typed into prose instead of a placeholder: "5 mg", "10 %", "3 hours".
_LITERAL_MEASURE = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|mL|ml|%|°C|kg|minutes?|hours?|days?|weeks?|months?|years?)\b"
    r"|\d+(?:[.,]\d+)?\s*%"
)


#: Descriptions of fields that many sections share, for the JSON Schema (a field's own
#: description, where it has one, wins).
COMMON_DESCRIPTIONS = {
    "id": "A stable id: lower-case letters, digits and hyphens, unique in its list. "
    "Translations are found by it, so never reuse one for another statement.",
    "route": "The route this is about (oral, intrathecal …); leave it out when it is about "
    "every route.",
    "refs": "Ids of the references (under `references`) supporting this.",
    "patient": "Plain language for patients, US grade 8 or below.",
    "clinician": "Precise, short wording for prescribers (the clinician card is one page).",
    "text": "The statement, in English; translated per language.",
    "min": "The lowest value of the range.",
    "max": "The highest value of the range.",
}


def _describe_common(schema: dict[str, Any]) -> None:
    for name, prop in schema.get("properties", {}).items():
        if "description" not in prop and name in COMMON_DESCRIPTIONS:
            prop["description"] = COMMON_DESCRIPTIONS[name]


class Strict(BaseModel):
    """Base for every record object: unknown keys are errors, values are checked."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        json_schema_extra=_describe_common,
    )


# --- scalar types -------------------------------------------------------------------------


class ProseMarker:
    """Marks a string field as translatable English prose (see :func:`prose_kind`)."""


def check_has_letters(value: str) -> str:
    """Refuse prose with no letters: it would print an empty bullet under a heading.

    Placeholders are taken out first: ``"{days}."`` prints only a number.
    """
    problem = letterless_problem(_PLACEHOLDER.sub("", value))
    if problem:
        raise ValueError(problem)
    return value


Prose = Annotated[
    str,
    StringConstraints(min_length=1, max_length=4000),
    AfterValidator(check_has_letters),
    Field(description="English source text, translated per locale. Numbers go in {placeholders}."),
    ProseMarker(),
]


def check_not_a_path(value: str) -> str:
    """Refuse a name that reads as a file path: it is printed, and must never become one."""
    if "../" in value or "..\\" in value or "\\" in value or value.startswith("/"):
        raise ValueError(
            f"a name cannot hold a path ('../', '\\' or a leading '/') (expected the "
            f"medicine's name, got {value!r})"
        )
    return value


Name = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(check_not_a_path)
]
RefId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]


def check_refs(refs: list[str], info: ValidationInfo) -> list[str]:
    """Refuse a cited id that the record's ``references`` do not define."""
    known = (info.context or {}).get("reference_ids")
    if known is not None:
        for ref in refs:
            if ref not in known:
                raise ValueError(
                    f"unknown reference id {ref!r} (expected one of the ids under "
                    f"references: {', '.join(sorted(known)) or 'none defined'})"
                )
    return refs


# --- statements -------------------------------------------------------------------------


class Cited(Strict):
    """Anything that states a clinical fact: it cites its sources and holds its values."""

    refs: list[RefId] = Field(
        min_length=1, description="Ids of the references (under `references`) supporting this."
    )
    values: dict[str, Value] = Field(
        default_factory=dict, description="Values for the {placeholders} in this item's prose."
    )

    _check_ref_ids = field_validator("refs")(check_refs)

    @model_validator(mode="after")
    def _placeholders_match_values(self) -> Cited:
        used: set[str] = set()
        for name, text in self.prose_fields():
            if _STRAY_BRACE.search(_PLACEHOLDER.sub("", text)):
                raise ValueError(
                    f"{name}: unbalanced or malformed placeholder braces (expected "
                    "{lower_case_name}, got " + repr(text[:60]) + ")"
                )
            literal = _LITERAL_MEASURE.search(_PLACEHOLDER.sub("", text))
            if literal:
                raise ValueError(
                    f"{name}: measurement {literal.group(0)!r} is typed into the text (expected "
                    "a placeholder such as {dose} with its value under values:, so that it is "
                    "formatted for each language)"
                )
            # Each language words a duration its own way (Russian "1 недели" but "5 недель").
            unit_after = UNIT_AFTER_PLACEHOLDER.search(text)
            if unit_after:
                raise ValueError(
                    f"{name}: time unit typed after a placeholder in {unit_after.group(0)!r} "
                    "(expected the unit in the value, e.g. 'over {weeks}' with weeks: "
                    "1 to 2 weeks, so that each language words the duration in its own grammar)"
                )
            for placeholder in _PLACEHOLDER.findall(text):
                used.add(placeholder)
                if placeholder not in self.values:
                    raise ValueError(
                        f"{name}: placeholder {{{placeholder}}} has no value (expected "
                        f"values.{placeholder}, got none)"
                    )
        unused = sorted(set(self.values) - used)
        if unused:
            raise ValueError(
                f"values: {', '.join(unused)} not used by any text (expected each value to "
                "appear as a {placeholder})"
            )
        return self

    def prose_fields(self) -> list[tuple[str, str]]:
        """Return (field name, text) for every prose string set on this object."""
        out: list[tuple[str, str]] = []
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            kind = prose_kind(info)
            if kind == "text" and isinstance(value, str):
                out.append((name, value))
            elif kind == "list" and isinstance(value, list):
                out.extend((f"{name}[{i}]", v) for i, v in enumerate(value))
        return out


def _has_marker(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        return any(isinstance(m, ProseMarker) for m in get_args(annotation)[1:])
    return any(_has_marker(arg) for arg in get_args(annotation))


def prose_kind(info: FieldInfo) -> Literal["text", "list"] | None:
    """Say whether a model field holds prose: one text, a list of texts, or neither."""
    if get_origin(info.annotation) is list:
        return "list" if _has_marker_list(info.annotation) else None
    if any(isinstance(m, ProseMarker) for m in info.metadata) or _has_marker(info.annotation):
        return "text"
    return None


def _has_marker_list(annotation: Any) -> bool:
    (item,) = get_args(annotation)
    return get_origin(item) is Annotated and any(
        isinstance(m, ProseMarker) for m in get_args(item)[1:]
    )


class Statement(Cited):
    """One sourced statement, the same for every audience."""

    text: Prose


class Advice(Cited):
    """A fact told two ways: in plain words for patients and precisely for clinicians."""

    patient: Prose | None = Field(None, description="Plain language, US grade 8 or below.")
    clinician: Prose | None = Field(None, description="Precise wording for prescribers.")

    @model_validator(mode="after")
    def _has_some_text(self) -> Advice:
        if self.patient is None and self.clinician is None:
            raise ValueError("no text (expected patient:, clinician: or both)")
        return self
