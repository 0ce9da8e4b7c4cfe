"""Render a document with every looked-up text marked, to see where each entry prints.

Each text a document looks up is wrapped in a pair of private-use marks that
name its entry; the rendered HTML then shows, for every entry, where it lands
and the text exactly as it printed (placeholders filled, numbers formatted).
Translator notes (:mod:`leaflet.publish.translator_notes`) and reviewers'
proofs (:mod:`leaflet.publish.proof`) are both read off such a rendering.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..record.model import Audience, DrugRecord
from ..render.context import DOCUMENTS, build_context
from ..render.templating import make_environment, render_html
from ..translation.catalog_checks import Translator
from ..translation.catalog_loader import LoadedCatalog

__all__ = [
    "MarkedText",
    "Marker",
    "marked_contexts",
    "marked_texts",
    "plain_text",
    "render_marked",
]

_OPEN, _CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r"<h([1-4])\b[^>]*>(.*?)</h\1>", re.S)
_CITATION = re.compile(r"\s*\[[^\]]*\]$")


@dataclass
class Marker(Translator):
    """A translator whose every text comes back wrapped in a numbered mark at both ends."""

    order: list[str] = field(default_factory=list)

    def _lookup(self, context: str, msgid: str, msgid_plural: str | None, count: int) -> str:
        text = super()._lookup(context, msgid, msgid_plural, count)
        if context not in self.order:
            self.order.append(context)
        mark = f"{_OPEN}{self.order.index(context)}{_CLOSE}"
        return f"{mark}{text}{mark}"


@dataclass(frozen=True)
class MarkedText:
    """One printed occurrence of an entry: where it starts, its section, its text as printed."""

    context: str
    position: int
    section: str
    #: "heading" or "table cell" where the text sits in one, else "".
    spot: str
    printed: str


def plain_text(fragment: str) -> str:
    """HTML without tags or marks, white space collapsed: the words as a reader sees them."""
    return " ".join(html.unescape(_TAG.sub(" ", _MARK.sub("", fragment))).split())


def render_marked(
    record: DrugRecord, audience: Audience, lang: str, catalog: LoadedCatalog | None = None
) -> tuple[str, list[str]]:
    """One document's HTML in ``lang`` with every text marked, and the entries in mark order."""
    marker = Marker(lang, catalog)
    env = make_environment(marker.jinja_translations())
    context = build_context(record, audience, lang, "a4", translate=marker, ui=marker)
    return render_html(env, DOCUMENTS[audience].template, context), marker.order


def marked_contexts(html_text: str, order: list[str]) -> set[str]:
    """Every entry at least one of whose marks reached the rendering."""
    return {order[int(number)] for number in _MARK.findall(html_text)}


def marked_texts(html_text: str, order: list[str]) -> Iterator[MarkedText]:
    """Every marked text of a rendering, in the order it prints."""
    headings = [(m.start(), plain_text(m.group(2))) for m in _HEADING.finditer(html_text)]
    for match in _MARK.finditer(html_text):
        end = html_text.find(match.group(0), match.end())
        if end < 0:
            continue  # the closing mark of a text seen already
        above = [title for start, title in headings if start < match.start()]
        before = html_text[: match.start()]
        spot = ""
        if before.rfind("<h") > before.rfind("</h"):
            spot = "heading"
        elif max(before.rfind("<td"), before.rfind("<th")) > max(
            before.rfind("</td"), before.rfind("</th>")
        ):
            spot = "table cell"
        yield MarkedText(
            order[int(match.group(1))],
            match.start(),
            _CITATION.sub("", above[-1]).strip() if above else "",
            spot,
            plain_text(html_text[match.end() : end]),
        )
