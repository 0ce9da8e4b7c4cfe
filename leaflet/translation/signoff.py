"""A pharmacist's sign-off of a translation: who reviewed which entries, from which proof.

``leaflet i18n review`` records a sign-off for one drug's text in one language
(or for leaflet's own text in it) beside the catalog, in
``<lang>/LC_MESSAGES/<domain>.reviews.json``. A sign-off keeps a digest of the
entries it covers: any later change to one of them (its English, its
translation, a fuzzy flag) no longer matches, and the pair is unreviewed again
without anyone having to remember it. A document is printed as reviewed only
when both the drug's text and leaflet's own text in its language are.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..record.errors import InputError, Problem
from ..record.reading import decode_text, display_path, read_input

if TYPE_CHECKING:
    from .catalog_loader import CatalogEntry, LoadedCatalog

__all__ = [
    "OWN_TEXT",
    "SignOff",
    "entries_digest",
    "read_signoffs",
    "review_of",
    "scope_entries",
    "signoff_path",
    "signoffs_json",
    "valid_signoff",
]

#: The scope name of leaflet's own text (a drug's scope is its id).
OWN_TEXT = "leaflet"
MAX_SIGNOFF_BYTES = 1_000_000


@dataclass(frozen=True)
class SignOff:
    """One recorded review: the reviewer, the date, the proof and the entries it covered."""

    reviewer: str
    date: str
    proof_sha256: str
    entries_sha256: str
    entries: int


def signoff_path(po_path: Path) -> Path:
    """The sign-off file beside a catalog: ``records.po`` → ``records.reviews.json``."""
    return po_path.with_name(po_path.stem + ".reviews.json")


def read_signoffs(po_path: Path) -> dict[str, SignOff]:
    """The sign-offs recorded beside a catalog (none when it has no file yet)."""
    path = signoff_path(po_path)
    if not path.is_file():
        return {}
    name = display_path(path)
    text = decode_text(read_input(path, name, MAX_SIGNOFF_BYTES, "a sign-off file"), name, "JSON")
    try:
        data = json.loads(text)
        return {scope: SignOff(**fields) for scope, fields in data["signoffs"].items()}
    except json.JSONDecodeError as error:
        line: int | None = error.lineno
        message = f"not valid JSON: {error.msg}"
    except (KeyError, TypeError, AttributeError) as error:
        line, message = None, f"not a sign-off file ({error})"
    raise InputError(
        [
            Problem(
                name,
                line,
                "",
                f"{message} (expected the file leaflet i18n review writes; restore it from "
                "version control, or delete it and review again)",
            )
        ]
    )


def signoffs_json(signoffs: dict[str, SignOff]) -> bytes:
    """A sign-off file's bytes: sorted, so that the same sign-offs give the same file."""
    data: dict[str, Any] = {"signoffs": {k: asdict(v) for k, v in sorted(signoffs.items())}}
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def scope_entries(catalog: LoadedCatalog, scope: str) -> list[CatalogEntry]:
    """The entries a sign-off of ``scope`` covers: a drug's text, or leaflet's own."""
    if scope == OWN_TEXT:
        return [e for c, e in sorted(catalog.entries.items()) if ":" not in c]
    return [e for c, e in sorted(catalog.entries.items()) if c.startswith(f"{scope}:")]


def entries_digest(entries: list[CatalogEntry]) -> str:
    """A digest of everything about the entries a reviewer read: English, translation, flags."""
    data = [[e.context, e.msgid, e.msgid_plural, list(e.texts), e.fuzzy] for e in entries]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


def valid_signoff(catalog: LoadedCatalog, scope: str) -> SignOff | None:
    """The sign-off of ``scope`` if there is one and its entries are unchanged since."""
    signoff = catalog.signoffs.get(scope)
    if signoff is None:
        return None
    entries = scope_entries(catalog, scope)
    return signoff if entries_digest(entries) == signoff.entries_sha256 else None


def review_of(catalog: LoadedCatalog, drug: str | None = None) -> dict[str, str]:
    """A document's review state: reviewed only when its drug's text and leaflet's own are.

    Without ``drug``, the state of leaflet's own text alone.
    """
    scopes = [OWN_TEXT] + ([drug] if drug else [])
    found = [valid_signoff(catalog, scope) for scope in scopes]
    if not all(found):
        return {"status": "unreviewed", "reviewer": "", "date": ""}
    signed = [s for s in found if s is not None]
    return {
        "status": "reviewed",
        "reviewer": "; ".join(dict.fromkeys(s.reviewer for s in reversed(signed))),
        "date": max(s.date for s in signed),
    }
