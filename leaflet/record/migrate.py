"""Convert a schema-1 drug record to schema 2, keeping every translation.

Schema 2 gives every list item that holds text a stable ``id`` (schema 1
used list positions), moves dosing into regimens per indication and
population, brands onto products, and renames a few sections (``paediatric``
→ ``children``, ``elderly`` → ``older_adults``, ``renal`` → ``kidney``,
``hepatic`` → ``liver``). :func:`migrate_record` does the conversion and
returns, for each prose string, its old and new message context, so that
:func:`migrate_catalog_text` can rename the catalogs' entries: no translation
is lost. Time units typed after placeholders move into the values
(:mod:`leaflet.record.migrate_durations`). What schema 1 never held (the label
versions, short titles of indications) cannot be invented and is returned as a
list of things to add.
Each section's conversion lives in :mod:`leaflet.record.migrate_sections`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

from .migrate_durations import move_time_units
from .migrate_sections import (
    Mapper,
    cited,
    listed,
    migrate_boxed_warnings,
    migrate_indications,
    migrate_populations,
    migrate_products,
    migrate_regimens,
    migrate_side_effects,
    migrate_taper,
    migrate_warnings,
)

__all__ = ["Migration", "dump_record", "migrate_catalog_text", "migrate_record"]


@dataclass
class Migration:
    """A converted record, the old → new message contexts, and what is left to add by hand."""

    data: dict[str, Any]
    contexts: dict[str, str] = field(default_factory=dict)
    todo: list[str] = field(default_factory=list)


def migrate_record(data: dict[str, Any]) -> Migration:
    """Convert schema-1 ``data`` (as read from YAML) to schema 2."""
    drug = data.get("drug") or {}
    drug_id = str(drug.get("id", "drug"))
    mapper = Mapper(drug_id)
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
        cited(data["mechanism"], out["mechanism"], [data["mechanism"].get("text")])

    out["products"] = migrate_products(data, mapper, todo)
    approved = migrate_indications(data, out, mapper, todo)
    out["regimens"] = migrate_regimens(data, approved, mapper)
    out["populations"] = migrate_populations(data, mapper)
    out["contraindications"] = listed(
        data.get("contraindications", []), "contraindications", mapper,
        lambda item: item.get("route") or item.get("clinician") or item.get("patient") or "",
        ["patient", "clinician"], keep=("route",),
    )  # fmt: skip
    out["warnings"] = migrate_warnings(data, mapper)
    out["boxed_warnings"] = migrate_boxed_warnings(data, mapper)
    out["side_effects"] = migrate_side_effects(data, mapper)
    out["interactions"] = listed(
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
        cited(action, migrated, [action.get("text")])
    for part in ("signs", "management"):
        out["overdose"][part] = listed(
            overdose.get(part, []), f"overdose.{part}", mapper,
            lambda item: item.get("route", ""), ["patient", "clinician"], keep=("route",),
        )  # fmt: skip
    withdrawal = data.get("withdrawal") or {}
    out["withdrawal"] = {
        "signs": listed(
            withdrawal.get("signs", []), "withdrawal.signs", mapper,
            lambda item: f"{item.get('route', '')} {item.get('tier', '')}",
            ["patient", "clinician"], keep=("route", "tier"),
        ),
        "management": listed(
            withdrawal.get("management", []), "withdrawal.management", mapper,
            lambda item: item.get("route", ""), ["patient", "clinician"], keep=("route",),
        ),
    }  # fmt: skip
    out["taper"] = migrate_taper(data, mapper)
    out["pharmacokinetics"] = listed(
        data.get("pharmacokinetics", []), "pharmacokinetics", mapper,
        lambda item: item.get("parameter", ""), ["parameter", "value"],
    )  # fmt: skip
    move_time_units(out)
    return Migration(out, mapper.contexts, todo)


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
