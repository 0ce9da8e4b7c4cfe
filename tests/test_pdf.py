"""The renderer: only bundled fonts and project assets; any WeasyPrint warning fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from leaflet.render.pdf import FONTS_DIR, Renderer, RenderError, asset_fetcher
from leaflet.render.theme import OWN_TEMPLATES_DIR


def page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{body}</body></html>'


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def test_a_plain_page_renders(renderer: Renderer) -> None:
    result = renderer.render(page("<p>Hello</p>"))
    assert result.pages == 1 and result.data.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="file:///etc/passwd">',
        '<link rel="stylesheet" href="http://example.invalid/x.css">',
        '<link rel="stylesheet" href="https://example.invalid/x.css">',
        '<a rel="attachment" href="file:///etc/passwd">x</a>',
        "<style>@import url('file:///etc/hostname');</style>",
    ],
)
def test_resources_outside_the_project_are_blocked(renderer: Renderer, markup: str) -> None:
    with pytest.raises(RenderError) as info:
        renderer.render(page(markup + "<p>x</p>"))
    assert any("blocked" in m or "Failed" in m for m in info.value.messages), info.value.messages


def test_a_symbolic_link_out_of_the_assets_is_blocked(tmp_path: Path) -> None:
    link = OWN_TEMPLATES_DIR / "test-link-outside.css"
    target = tmp_path / "outside.css"
    target.write_text("p { color: red }", encoding="utf-8")
    os.symlink(target, link)
    try:
        with pytest.raises(ValueError, match="outside the project's asset folders"):
            asset_fetcher((OWN_TEMPLATES_DIR, FONTS_DIR)).fetch(link.as_uri())
    finally:
        link.unlink()


def test_project_assets_are_allowed() -> None:
    fetcher = asset_fetcher((OWN_TEMPLATES_DIR, FONTS_DIR))
    response = fetcher.fetch((OWN_TEMPLATES_DIR / "leaflet.css").as_uri())
    try:
        assert b"leaflet" in response.read()
    finally:
        response.close()


def test_a_character_no_bundled_font_has_fails_the_document(renderer: Renderer) -> None:
    with pytest.raises(RenderError) as info:
        renderer.render(page("<p>\u0e01 (Thai) is in no bundled font</p>"))
    assert info.value.messages == [
        '.notdef glyph rendered for Unicode string unsupported by fonts: "\u0e01" (U+0E01)'
    ]


def test_host_fonts_are_invisible(renderer: Renderer) -> None:
    # DejaVu Sans is installed on the build machines; asking for it must still give Noto.
    import io

    from pypdf import PdfReader

    result = renderer.render(page('<p style="font-family: DejaVu Sans">Hello</p>'))
    fonts = PdfReader(io.BytesIO(result.data)).pages[0]["/Resources"]["/Font"].values()
    names = [str(f.get_object()["/BaseFont"]).split("+")[-1] for f in fonts]
    assert names == ["Noto-Sans"]
