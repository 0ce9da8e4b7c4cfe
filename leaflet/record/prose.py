"""Every prose string of a record, with the stable message context it is translated under.

The context comes from item ids (``drug:warnings.<id>.patient``), never list
positions, so a translation keeps its identity when the list changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from .model import DrugRecord, QuantityValue, prose_kind

__all__ = ["iter_prose"]


def iter_prose(record: DrugRecord) -> Iterator[tuple[str, tuple[str | int, ...], str]]:
    """Yield (message context, YAML path, English text) for every prose string."""
    found: list[tuple[str, tuple[str | int, ...], str]] = []

    def collect(path: str, key: tuple[str | int, ...], text: str) -> str:
        found.append((f"{record.drug.id}:{path}", key, text))
        return text

    _walk(record, "", (), collect)
    yield from found


ProseVisitor = Callable[[str, tuple[str | int, ...], str], str]


def _walk(obj: Any, path: str, key: tuple[str | int, ...], visit: ProseVisitor) -> None:
    if isinstance(obj, BaseModel) and not isinstance(obj, QuantityValue):
        for name, info in type(obj).model_fields.items():
            value = getattr(obj, name)
            child, child_key = (f"{path}.{name}" if path else name), (*key, name)
            kind = prose_kind(info)
            if kind == "text" and isinstance(value, str):
                visit(child, child_key, value)
            elif kind == "list" and isinstance(value, list):
                for i, v in enumerate(value):
                    visit(f"{child}.{i}", (*child_key, i), v)
            elif name != "values":
                _walk(value, child, child_key, visit)
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            _walk(item, f"{path}.{getattr(item, 'id', index)}", (*key, index), visit)
