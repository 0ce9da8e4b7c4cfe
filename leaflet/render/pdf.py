"""Render HTML to PDF with WeasyPrint, seeing only the project's fonts and assets.

Four guarantees:

* **Fonts.** ``FONTCONFIG_FILE`` points at ``fonts/fonts.conf`` before WeasyPrint
  is imported, so only the bundled fonts exist for the renderer; a character
  they lack is a logged ``.notdef`` warning instead of a silent host fallback.
* **Assets.** The URL fetcher opens only ``file:`` URLs that resolve (symbolic
  links followed) inside the templates or fonts folders: no network, no other
  file.
* **Tagged.** Every PDF is WeasyPrint's PDF/UA-1 variant, for screen readers.
* **Warnings fail.** Any message WeasyPrint logs at WARNING or above while
  rendering a document makes that document fail with the messages listed.

WeasyPrint's logging contract: it logs to the ``weasyprint`` logger. For the
duration of each render leaflet collects those messages (and stops them
propagating), then raises them as one :class:`RenderError`, which the build
reports as the document's problems.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

from ..record.glyphs import FONTS_DIR
from .theme import current_theme

# Must happen before WeasyPrint (and so fontconfig) is first imported.
os.environ["FONTCONFIG_FILE"] = str(FONTS_DIR / "fonts.conf")


__all__ = ["FONTS_DIR", "RenderError", "RenderedPdf", "Renderer", "asset_fetcher"]

STYLESHEET = "leaflet.css"
LARGE_PRINT = "large-print.css"
#: Every PDF is tagged for screen readers: WeasyPrint's PDF/UA-1 variant (a
#: structure tree in reading order, /MarkInfo, /Lang, the title shown in the
#: viewer's title bar). WeasyPrint does not promise full conformance; the
#: machine-checkable parts are tested.
PDF_VARIANT = "pdf/ua-1"


class RenderError(Exception):
    """WeasyPrint reported problems (missing glyph, blocked resource …) for a document."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered document: its PDF bytes and page count."""

    data: bytes
    pages: int


def asset_fetcher(allowed_dirs: tuple[Path, ...]) -> Any:
    """Return a URL fetcher that opens only files inside the project's asset folders."""
    from weasyprint.urls import URLFetcher

    allowed = tuple(d.resolve() for d in allowed_dirs)

    class AssetFetcher(URLFetcher):  # type: ignore[misc]
        """Opens project asset files and inline data; refuses other files and the network."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            if parsed.scheme == "data":  # a logo or QR code inside the document itself
                return super().fetch(url, headers)
            if parsed.scheme != "file":
                raise ValueError(f"blocked {url!r}: only the project's own asset files may be used")
            path = Path(url2pathname(parsed.path)).resolve()
            if not any(path.is_relative_to(d) for d in allowed):
                raise ValueError(f"blocked {url!r}: outside the project's asset folders")
            return super().fetch(path.as_uri(), headers)

    return AssetFetcher(timeout=5, allowed_protocols={"file", "data"}, allow_redirects=False)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # An inline image's data URI can run to a megabyte: show its start only.
        self.messages.append(_LONG_DATA_URI.sub(_shorten, record.getMessage()))


_LONG_DATA_URI = re.compile(r"data:[^'\"\s]{80,}")


def _shorten(match: re.Match[str]) -> str:
    return match.group(0)[:60] + "…"


class Renderer:
    """Renders many documents in one process, sharing fonts and the stylesheet."""

    def __init__(self) -> None:
        # Imported here, not at module level: a build with nothing to render (every
        # document unchanged) never pays for loading WeasyPrint and its libraries.
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.theme = current_theme()
        self.fetcher = asset_fetcher((*self.theme.folders, FONTS_DIR))
        self._stylesheets: dict[Path, Any] = {}

    def _css(self, name: str = STYLESHEET) -> Any:
        """A stylesheet (the project's, if it replaces leaflet's), parsed once per renderer."""
        path = self.theme.find(name)
        if path not in self._stylesheets:
            import weasyprint

            self._stylesheets[path] = weasyprint.CSS(
                filename=str(path), font_config=self.font_config, url_fetcher=self.fetcher
            )
        return self._stylesheets[path]

    def render(
        self,
        html: str,
        unless_over: int | None = None,
        large_print: bool = False,
        stylesheet: str = STYLESHEET,
    ) -> RenderedPdf:
        """Render ``html`` to PDF; raise RenderError if WeasyPrint warned about anything.

        With ``unless_over``, a layout longer than that many pages is not written
        out: the result has its page count and no bytes (a layout to try again).
        ``large_print`` adds the large-print stylesheet after the standard one;
        ``stylesheet`` replaces the standard one (a reviewer's proof has its own).
        """
        stylesheets = [self._css(stylesheet)] + ([self._css(LARGE_PRINT)] if large_print else [])
        logger = logging.getLogger("weasyprint")
        collector = _Collector()
        logger.addHandler(collector)
        old_level, old_propagate = logger.level, logger.propagate
        # The messages become this document's problems; printing them too would be noise.
        logger.setLevel(logging.WARNING)
        logger.propagate = False
        import weasyprint

        try:
            document = weasyprint.HTML(
                string=html, base_url=str(self.theme.folders[0]) + os.sep, url_fetcher=self.fetcher
            ).render(font_config=self.font_config, stylesheets=stylesheets)
            too_long = unless_over is not None and len(document.pages) > unless_over
            data = b"" if too_long else document.write_pdf(pdf_variant=PDF_VARIANT)
        finally:
            logger.removeHandler(collector)
            logger.setLevel(old_level)
            logger.propagate = old_propagate
        if collector.messages:
            raise RenderError(collector.messages)
        return RenderedPdf(data=data, pages=len(document.pages))
