"""Schema-1 → schema-2 conversion of each record section, each list item given a readable id.

Every prose string carried across is recorded in a :class:`Mapper` with its
old and new message context, so that :mod:`leaflet.record.migrate` can rename
the catalogs' entries and no translation is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "Mapper",
    "cited",
    "listed",
    "migrate_boxed_warnings",
    "migrate_indications",
    "migrate_populations",
    "migrate_products",
    "migrate_regimens",
    "migrate_side_effects",
    "migrate_taper",
    "migrate_warnings",
    "slug",
]

_PROSE_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


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


class Mapper:
    """Carries prose across and records each string's old → new message context."""

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


def cited(source: dict[str, Any], target: dict[str, Any], texts: Iterable[str | None]) -> None:
    """Copy to ``target`` the values ``texts`` use and the refs of ``source``."""
    values = _values_for(texts, source.get("values") or {})
    if values:
        target["values"] = values
    target["refs"] = list(source.get("refs") or [])


def listed(items: list[dict[str, Any]], path: str, mapper: Mapper, name: Any,
           prose: list[str], keep: tuple[str, ...] = ()) -> list[dict[str, Any]]:  # fmt: skip
    """Give each item an id made from ``name(item)`` and carry its prose."""
    taken: set[str] = set()
    converted = []
    for index, item in enumerate(items):
        new_id = slug(str(name(item)), taken)
        target: dict[str, Any] = {"id": new_id}
        target.update({key: item[key] for key in keep if key in item})
        mapper.carry(f"{path}.{index}", f"{path}.{new_id}", item, target, prose)
        cited(item, target, [item.get(p) for p in prose])
        converted.append(target)
    return converted


def migrate_products(data: dict[str, Any], mapper: Mapper, todo: list[str]) -> list[dict[str, Any]]:
    """Convert products: brands move onto them; name any brand no product has."""
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
        cited(product, target, [product.get("storage")])
        products.append(target)
    for brand in (data.get("drug") or {}).get("brands", []):
        if brand not in placed:
            todo.append(
                f"products: the brand {brand!r} (drug.brands) is not the brand of any product; "
                "add it to the brands: of the product it names"
            )
    return products


def migrate_indications(data: dict[str, Any], out: dict[str, Any], mapper: Mapper,
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
        cited(item, target, [item.get("patient"), item.get("clinician")])
        todo.append(
            f"indications.approved.{new_id}.title: add a short name (patient: and clinician:) "
            "for the dosing tables"
        )
        approved.append(target)
    out["indications"] = {"approved": approved}
    for part in ("not_recommended", "off_label"):
        out["indications"][part] = listed(
            source.get(part, []), f"indications.{part}", mapper,
            lambda item: item.get("text", ""), ["text"],
        )  # fmt: skip
    return first


def migrate_regimens(data: dict[str, Any], first: dict[str, str],
                     mapper: Mapper) -> list[dict[str, Any]]:  # fmt: skip
    """Convert oral and intrathecal dosing into regimens for the first indication per route."""
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
        cited(oral, target, [oral.get("patient"), oral.get("clinician")])
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
                cited(it, note, [it[old]])
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


def migrate_populations(data: dict[str, Any], mapper: Mapper) -> dict[str, Any]:
    """Convert populations: paediatric → children, elderly → older_adults, renal → kidney …"""
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
        cited(item, target, [item.get("patient"), item.get("clinician")])
        children.append(target)
    out["children"] = children
    for old, new in (("elderly", "older_adults"), ("renal", "kidney"), ("hepatic", "liver"),
                     ("pregnancy", "pregnancy"), ("breastfeeding", "breastfeeding")):  # fmt: skip
        if old in source:
            target = {}
            mapper.carry(f"populations.{old}", f"populations.{new}", source[old], target,
                         ["patient", "clinician"])  # fmt: skip
            cited(source[old], target, [source[old].get("patient"), source[old].get("clinician")])
            out[new] = target
    return out


def migrate_warnings(data: dict[str, Any], mapper: Mapper) -> list[dict[str, Any]]:
    """Convert warnings, which schema 1 already gave ids."""
    warnings = []
    for item in data.get("warnings", []):
        wid = item.get("id")
        target = {"id": wid}
        target.update({k: item[k] for k in ("key", "required_in", "route", "population")
                       if k in item})  # fmt: skip
        mapper.carry(f"warnings.{wid}", f"warnings.{wid}", item, target,
                     ["title", "patient", "clinician", "taper"])  # fmt: skip
        cited(item, target, [item.get(k) for k in ("title", "patient", "clinician", "taper")])
        warnings.append(target)
    return warnings


def migrate_boxed_warnings(data: dict[str, Any], mapper: Mapper) -> list[dict[str, Any]]:
    """Convert boxed warnings, giving each paragraph an id (p1, p2 …)."""
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
        cited(item, target, [item.get("title"), *item.get("paragraphs", [])])
        boxed.append(target)
    return boxed


def migrate_side_effects(data: dict[str, Any], mapper: Mapper) -> dict[str, Any]:
    """Convert side effects; a US percentage range becomes an incidence."""
    source = data.get("side_effects") or {}
    out: dict[str, Any] = {}
    if source.get("band_source"):
        out["band_source"] = {}
        mapper.carry("side_effects.band_source", "side_effects.band_source",
                     source["band_source"], out["band_source"], ["text"])  # fmt: skip
        cited(source["band_source"], out["band_source"], [source["band_source"].get("text")])
    items = listed(
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


def migrate_taper(data: dict[str, Any], mapper: Mapper) -> dict[str, Any]:
    """Convert the taper; pump advice joins the guidance, for the intrathecal route."""
    source = data.get("taper") or {}
    out: dict[str, Any] = {"minimum_days": source.get("minimum_days")}
    guidance = listed(
        source.get("guidance", []), "taper.guidance", mapper,
        lambda item: item.get("patient") or item.get("clinician") or "", ["patient", "clinician"],
    )  # fmt: skip
    taken = {g["id"] for g in guidance}
    for index, item in enumerate(source.get("pump", [])):
        new_id = slug("pump " + str(item.get("patient") or item.get("clinician") or ""), taken)
        target: dict[str, Any] = {"id": new_id, "route": "intrathecal"}
        mapper.carry(f"taper.pump.{index}", f"taper.guidance.{new_id}", item, target,
                     ["patient", "clinician"])  # fmt: skip
        cited(item, target, [item.get("patient"), item.get("clinician")])
        guidance.append(target)
    out["guidance"] = guidance
    return out
