"""Convert a schema-1 drug record to schema 2, keeping every translation.

Schema 2 gives every list item that holds text a stable ``id`` (schema 1
used list positions), moves dosing into regimens per indication and
population, brands onto products, and renames a few sections (``paediatric``
→ ``children``, ``elderly`` → ``older_adults``, ``renal`` → ``kidney``,
``hepatic`` → ``liver``). :func:`migrate_record` does the conversion and
returns, for each prose string, its old and new message context, so that
:func:`migrate_catalogs` can rename the catalogs' entries: no translation is
lost. What schema 1 never held (the label versions, short titles of
indications) cannot be invented and is returned as a list of things to add.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

__all__ = ["Migration", "dump_record", "migrate_catalog_text", "migrate_record"]

_PROSE_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


@dataclass
class Migration:
    """A converted record, the old → new message contexts, and what is left to add by hand."""

    data: dict[str, Any]
    contexts: dict[str, str] = field(default_factory=dict)
    todo: list[str] = field(default_factory=list)


def slug(text: str, taken: set[str], words: int = 4) -> str:
    """Make a readable, unique id from ``text``: "Slow or shallow breathing" → "slow-or-shallow".

    ``taken`` holds the ids already used in the same list; a clash gets "-2", "-3" ….
    """
    parts = re.findall(r"[a-z0-9]+", text.lower())[:words] or ["item"]
    base = "-".join(parts)[:40].strip("-") or "item"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate


class _Mapper:
    def __init__(self, drug: str) -> None:
        self.drug = drug
        self.contexts: dict[str, str] = {}

    def carry(self, old: str, new: str, source: dict[str, Any], target: dict[str, Any],
              fields: Iterable[str | tuple[str, str]]) -> None:  # fmt: skip
        """Copy prose fields from ``source`` to ``target`` and record their new contexts."""
        for spec in fields:
            old_name, new_name = spec if isinstance(spec, tuple) else (spec, spec)
            if old_name in source and source[old_name] is not None:
                target[new_name] = source[old_name]
                self.contexts[f"{self.drug}:{old}.{old_name}"] = f"{self.drug}:{new}.{new_name}"


def _values_for(texts: Iterable[str | None], values: dict[str, Any]) -> dict[str, Any]:
    """The values a set of texts uses, in their original order."""
    used = {name for text in texts if text for name in _PROSE_PLACEHOLDER.findall(text)}
    return {key: value for key, value in values.items() if key in used}


def _cited(source: dict[str, Any], target: dict[str, Any], texts: Iterable[str | None]) -> None:
    values = _values_for(texts, source.get("values") or {})
    if values:
        target["values"] = values
    target["refs"] = list(source.get("refs") or [])


def migrate_record(data: dict[str, Any]) -> Migration:
    """Convert schema-1 ``data`` (as read from YAML) to schema 2."""
    drug = data.get("drug") or {}
    drug_id = str(drug.get("id", "drug"))
    mapper = _Mapper(drug_id)
    out: dict[str, Any] = {"schema_version": 2}
    todo: list[str] = []

    identity = {k: drug[k] for k in ("id", "inn") if k in drug}
    mapper.carry("drug", "drug", drug, identity, ["name"])
    if "drug_class" in drug:
        identity["drug_class"] = {}
        mapper.carry("drug.drug_class", "drug.drug_class", drug["drug_class"],
                     identity["drug_class"], ["patient", "clinician"])  # fmt: skip
        identity["drug_class"]["refs"] = drug["drug_class"].get("refs", [])
    if drug.get("atc_code"):
        identity["atc_code"] = drug["atc_code"]
    out["drug"] = identity

    regulatory = dict(data.get("regulatory") or {})
    out["regulatory"] = {"basis": regulatory.get("basis", "us-pi")}
    todo.append(
        "regulatory.labels: add the label(s) the record follows, each with id, title, "
        "version, date and refs"
    )
    for key in ("revision", "revision_date", "refs"):
        if key in regulatory:
            out["regulatory"][key] = regulatory[key]
    out["references"] = data.get("references", [])
    if "mechanism" in data:
        out["mechanism"] = {}
        mapper.carry("mechanism", "mechanism", data["mechanism"], out["mechanism"], ["text"])
        _cited(data["mechanism"], out["mechanism"], [data["mechanism"].get("text")])

    out["products"] = _products(data, mapper, todo)
    approved = _indications(data, out, mapper, todo)
    out["regimens"] = _regimens(data, approved, mapper)
    out["populations"] = _populations(data, mapper)
    out["contraindications"] = _listed(
        data.get("contraindications", []), "contraindications", mapper,
        lambda item: item.get("route") or item.get("clinician") or item.get("patient") or "",
        ["patient", "clinician"], keep=("route",),
    )  # fmt: skip
    out["warnings"] = _warnings(data, mapper)
    out["boxed_warnings"] = _boxed(data, mapper)
    out["side_effects"] = _side_effects(data, mapper)
    out["interactions"] = _listed(
        data.get("interactions", []), "interactions", mapper,
        lambda item: item.get("agent", ""), ["agent", "patient", "clinician"],
    )  # fmt: skip
    overdose = data.get("overdose") or {}
    out["overdose"] = {"patient_action": {}}
    if "patient_action" in overdose:
        action, migrated = overdose["patient_action"], out["overdose"]["patient_action"]
        mapper.carry(
            "overdose.patient_action", "overdose.patient_action", action, migrated, ["text"]
        )
        _cited(action, migrated, [action.get("text")])
    for part in ("signs", "management"):
        out["overdose"][part] = _listed(
            overdose.get(part, []), f"overdose.{part}", mapper,
            lambda item: item.get("route", ""), ["patient", "clinician"], keep=("route",),
        )  # fmt: skip
    withdrawal = data.get("withdrawal") or {}
    out["withdrawal"] = {
        "signs": _listed(
            withdrawal.get("signs", []), "withdrawal.signs", mapper,
            lambda item: f"{item.get('route', '')} {item.get('tier', '')}",
            ["patient", "clinician"], keep=("route", "tier"),
        ),
        "management": _listed(
            withdrawal.get("management", []), "withdrawal.management", mapper,
            lambda item: item.get("route", ""), ["patient", "clinician"], keep=("route",),
        ),
    }  # fmt: skip
    out["taper"] = _taper(data, mapper)
    out["pharmacokinetics"] = _listed(
        data.get("pharmacokinetics", []), "pharmacokinetics", mapper,
        lambda item: item.get("parameter", ""), ["parameter", "value"],
    )  # fmt: skip
    return Migration(out, mapper.contexts, todo)


def _listed(items: list[dict[str, Any]], path: str, mapper: _Mapper, name: Any,
            prose: list[str], keep: tuple[str, ...] = ()) -> list[dict[str, Any]]:  # fmt: skip
    """Give each item an id made from ``name(item)`` and carry its prose."""
    taken: set[str] = set()
    converted = []
    for index, item in enumerate(items):
        new_id = slug(str(name(item)), taken)
        target: dict[str, Any] = {"id": new_id}
        target.update({key: item[key] for key in keep if key in item})
        mapper.carry(f"{path}.{index}", f"{path}.{new_id}", item, target, prose)
        _cited(item, target, [item.get(p) for p in prose])
        converted.append(target)
    return converted


def _products(data: dict[str, Any], mapper: _Mapper, todo: list[str]) -> list[dict[str, Any]]:
    products = []
    placed: set[str] = set()
    for product in data.get("products", []):
        target: dict[str, Any] = {"id": product.get("id")}
        if product.get("brand"):
            target["brands"] = [product["brand"]]
            placed.add(product["brand"])
        for key in ("route", "form"):
            if key in product:
                target[key] = product[key]
        strengths = []
        for strength in product.get("strengths", []):
            converted = {k: strength[k] for k in ("amount", "per") if k in strength}
            if strength.get("scored"):
                converted["scored"] = "halves"
            strengths.append(converted)
        target["strengths"] = strengths
        pid = product.get("id")
        mapper.carry(f"products.{pid}", f"products.{pid}", product, target, ["storage"])
        _cited(product, target, [product.get("storage")])
        products.append(target)
    for brand in (data.get("drug") or {}).get("brands", []):
        if brand not in placed:
            todo.append(
                f"products: the brand {brand!r} (drug.brands) is not the brand of any product; "
                "add it to the brands: of the product it names"
            )
    return products


def _indications(data: dict[str, Any], out: dict[str, Any], mapper: _Mapper,
                 todo: list[str]) -> dict[str, str]:  # fmt: skip
    """Convert indications; return the first approved indication id per route."""
    source = data.get("indications") or {}
    first: dict[str, str] = {}
    taken: set[str] = set()
    approved = []
    for index, item in enumerate(source.get("approved", [])):
        new_id = slug(str(item.get("route", "use")), taken)
        first.setdefault(str(item.get("route")), new_id)
        target: dict[str, Any] = {"id": new_id, "route": item.get("route")}
        mapper.carry(f"indications.approved.{index}", f"indications.approved.{new_id}", item,
                     target, ["patient", "clinician"])  # fmt: skip
        _cited(item, target, [item.get("patient"), item.get("clinician")])
        todo.append(
            f"indications.approved.{new_id}.title: add a short name (patient: and clinician:) "
            "for the dosing tables"
        )
        approved.append(target)
    out["indications"] = {"approved": approved}
    for part in ("not_recommended", "off_label"):
        out["indications"][part] = _listed(
            source.get(part, []), f"indications.{part}", mapper,
            lambda item: item.get("text", ""), ["text"],
        )  # fmt: skip
    return first


def _regimens(data: dict[str, Any], first: dict[str, str],
              mapper: _Mapper) -> list[dict[str, Any]]:  # fmt: skip
    dosing = data.get("dosing") or {}
    regimens: list[dict[str, Any]] = []
    oral = dosing.get("oral")
    if oral:
        target: dict[str, Any] = {
            "id": "oral-adults",
            "indication": first.get("oral", "oral"),
            "population": {"group": "adults"},
            "route": "oral",
            "titration": [
                {
                    "first_day": step.get("first_day"),
                    **({"last_day": step["last_day"]}
                       if step.get("last_day") != step.get("first_day") else {}),
                    "each": step.get("dose"),
                    "times_per_day": step.get("times_per_day"),
                }
                for step in oral.get("titration", [])
            ],
            "maximum": {
                "daily": oral.get("max_daily"),
                "each": oral.get("max_regimen_dose"),
                "times_per_day": oral.get("max_regimen_times_per_day"),
            },
        }  # fmt: skip
        mapper.carry("dosing.oral", "regimens.oral-adults", oral, target, ["patient", "clinician"])
        _cited(oral, target, [oral.get("patient"), oral.get("clinician")])
        regimens.append(target)
    it = dosing.get("intrathecal")
    if it:
        indication = first.get("intrathecal", "intrathecal")
        screening: dict[str, Any] = {
            "id": "intrathecal-screening",
            "indication": indication,
            "population": {"group": "all"},
            "route": "intrathecal",
            "test_doses": it.get("screening", []),
            "notes": [],
        }
        for old, note_id in (("screening_note", "screening"), ("post_implant", "post-implant"),
                             ("limits_note", "limits")):  # fmt: skip
            if it.get(old):
                note: dict[str, Any] = {"id": note_id}
                mapper.carry("dosing.intrathecal", f"regimens.intrathecal-screening.notes."
                             f"{note_id}", it, note, [(old, "clinician")])  # fmt: skip
                _cited(it, note, [it[old]])
                screening["notes"].append(note)
        screening["refs"] = list(it.get("refs", []))
        regimens.append(screening)
        taken: set[str] = {"screening"}
        for index, origin in enumerate(it.get("by_origin", [])):
            rid = "intrathecal-" + slug(str(origin.get("origin", "origin")), taken)
            target = {
                "id": rid,
                "indication": indication,
                "population": {"group": "all"},
                "route": "intrathecal",
            }
            mapper.carry(f"dosing.intrathecal.by_origin.{index}", f"regimens.{rid}", origin,
                         target, [("origin", "subgroup")])  # fmt: skip
            target["titration_change"] = {
                "increase": origin.get("titration_increase"),
                "every_hours": 24,
            }
            target["maintenance_change"] = {
                "increase": origin.get("maintenance_increase"),
                "decrease": origin.get("maintenance_decrease"),
            }
            target["usual"] = {"daily": origin.get("usual_daily")}
            target["refs"] = list(it.get("refs", []))
            regimens.append(target)
    return regimens


def _populations(data: dict[str, Any], mapper: _Mapper) -> dict[str, Any]:
    source = data.get("populations") or {}
    out: dict[str, Any] = {}
    children = []
    taken: set[str] = set()
    for index, item in enumerate(source.get("paediatric", [])):
        new_id = slug(str(item.get("route", "children")), taken)
        target: dict[str, Any] = {"id": new_id, "route": item.get("route"),
                                  "status": item.get("status")}  # fmt: skip
        if item.get("min_age_years") is not None:
            target["min_age"] = item["min_age_years"]
        mapper.carry(f"populations.paediatric.{index}", f"populations.children.{new_id}", item,
                     target, ["patient", "clinician"])  # fmt: skip
        _cited(item, target, [item.get("patient"), item.get("clinician")])
        children.append(target)
    out["children"] = children
    for old, new in (("elderly", "older_adults"), ("renal", "kidney"), ("hepatic", "liver"),
                     ("pregnancy", "pregnancy"), ("breastfeeding", "breastfeeding")):  # fmt: skip
        if old in source:
            target = {}
            mapper.carry(f"populations.{old}", f"populations.{new}", source[old], target,
                         ["patient", "clinician"])  # fmt: skip
            _cited(source[old], target, [source[old].get("patient"), source[old].get("clinician")])
            out[new] = target
    return out


def _warnings(data: dict[str, Any], mapper: _Mapper) -> list[dict[str, Any]]:
    warnings = []
    for item in data.get("warnings", []):
        wid = item.get("id")
        target = {"id": wid}
        target.update({k: item[k] for k in ("key", "required_in", "route", "population")
                       if k in item})  # fmt: skip
        mapper.carry(f"warnings.{wid}", f"warnings.{wid}", item, target,
                     ["title", "patient", "clinician", "taper"])  # fmt: skip
        _cited(item, target, [item.get(k) for k in ("title", "patient", "clinician", "taper")])
        warnings.append(target)
    return warnings


def _boxed(data: dict[str, Any], mapper: _Mapper) -> list[dict[str, Any]]:
    boxed = []
    taken: set[str] = set()
    for index, item in enumerate(data.get("boxed_warnings", [])):
        bid = slug(str(item.get("route") or item.get("title", "boxed")), taken)
        target: dict[str, Any] = {"id": bid}
        if "route" in item:
            target["route"] = item["route"]
        mapper.carry(f"boxed_warnings.{index}", f"boxed_warnings.{bid}", item, target, ["title"])
        paragraphs = []
        for p_index, text in enumerate(item.get("paragraphs", [])):
            pid = f"p{p_index + 1}"
            paragraphs.append({"id": pid, "text": text})
            mapper.contexts[f"{mapper.drug}:boxed_warnings.{index}.paragraphs.{p_index}"] = (
                f"{mapper.drug}:boxed_warnings.{bid}.paragraphs.{pid}.text"
            )
        target["paragraphs"] = paragraphs
        mapper.carry(f"boxed_warnings.{index}", f"boxed_warnings.{bid}", item, target,
                     ["source_note"])  # fmt: skip
        _cited(item, target, [item.get("title"), *item.get("paragraphs", [])])
        boxed.append(target)
    return boxed


def _side_effects(data: dict[str, Any], mapper: _Mapper) -> dict[str, Any]:
    source = data.get("side_effects") or {}
    out: dict[str, Any] = {}
    if source.get("band_source"):
        out["band_source"] = {}
        mapper.carry("side_effects.band_source", "side_effects.band_source",
                     source["band_source"], out["band_source"], ["text"])  # fmt: skip
        _cited(source["band_source"], out["band_source"], [source["band_source"].get("text")])
    items = _listed(
        source.get("items", []), "side_effects.items", mapper,
        lambda item: item.get("clinician") or item.get("patient") or "",
        ["patient", "clinician"], keep=("route", "action", "band"),
    )  # fmt: skip
    for converted, item in zip(items, source.get("items", []), strict=True):
        span = item.get("us_percent")
        if span:
            converted["incidence"] = [{"percent": {"min": span.get("min"),
                                                   "max": span.get("max")}}]  # fmt: skip
    out["items"] = items
    return out


def _taper(data: dict[str, Any], mapper: _Mapper) -> dict[str, Any]:
    source = data.get("taper") or {}
    out: dict[str, Any] = {"minimum_days": source.get("minimum_days")}
    guidance = _listed(
        source.get("guidance", []), "taper.guidance", mapper,
        lambda item: item.get("patient") or item.get("clinician") or "", ["patient", "clinician"],
    )  # fmt: skip
    taken = {g["id"] for g in guidance}
    for index, item in enumerate(source.get("pump", [])):
        new_id = slug("pump " + str(item.get("patient") or item.get("clinician") or ""), taken)
        target: dict[str, Any] = {"id": new_id, "route": "intrathecal"}
        mapper.carry(f"taper.pump.{index}", f"taper.guidance.{new_id}", item, target,
                     ["patient", "clinician"])  # fmt: skip
        _cited(item, target, [item.get("patient"), item.get("clinician")])
        guidance.append(target)
    out["guidance"] = guidance
    return out


class _Dumper(yaml.SafeDumper):
    """Writes a record the way people write them: keys in order, exact decimals, dates."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp",
                                                                 v.isoformat()))  # fmt: skip


def dump_record(data: dict[str, Any], header: str) -> str:
    """Write a record as YAML text, with ``header`` as its opening comment."""
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def migrate_catalog_text(text: str, contexts: dict[str, str]) -> tuple[str, int]:
    """Rename msgctxt lines of a PO catalog per ``contexts``; return the text and the count.

    Works on the text so that nothing else in the file changes: comments,
    wrapping and order stay byte for byte. Obsolete entries (``#~ msgctxt``)
    are renamed too, so that they can come back.
    """
    count = 0

    def rename(match: re.Match[str]) -> str:
        nonlocal count
        old = match.group(2)
        new = contexts.get(old)
        if new is None or new == old:
            return match.group(0)
        count += 1
        return f'{match.group(1)}"{new}"'

    # A context wrapped by a tool (msgctxt "" then continued lines) is joined first.
    def join(match: re.Match[str]) -> str:
        prefix = match.group(1)
        parts = re.findall(r'"([^"\n]*)"', match.group(2))
        return f'{prefix}"{"".join(parts)}"'

    text = re.sub(r'^((?:#~ )?msgctxt )""\n((?:(?:#~ )?"[^"\n]*"\n)+)',
                  lambda m: join(m) + "\n", text, flags=re.M)  # fmt: skip
    pattern = re.compile(r'^((?:#~ )?msgctxt )"([^"\n]*)"$', re.M)
    return pattern.sub(rename, text), count
