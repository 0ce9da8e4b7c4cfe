"""How a document is presented: edition, branding, online link, draft — never what it says.

The approved text comes from the record and the catalogs only. A *presentation*
chooses the large-print edition (reflowed, 18 pt, single column), the pharmacy's
or clinic's branding from a settings file (name, address, phone, logo), a QR
code to the online version, and the draft watermark. Each is checked before any
document is built.

Settings file (the project's ``leaflet.toml``, or one named with ``--settings``)::

    [branding]
    name = "Main Street Pharmacy"
    address = "1 Main Street, Springfield"
    phone = "555-0199"
    logo = "logo.png"        # PNG or JPEG, relative to this file; optional

    [build]                  # defaults for `leaflet build`; an option given wins
    languages = ["en", "es_US"] # or "all"
    papers = ["letter"]      # a4, letter, or "all"
    large_print = true       # also the large-print edition
    booklet = false
    online_url = "https://example.org/{drug}/{lang}/{audience}"
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    ValidationError,
    field_validator,
)

from ..record.characters import invisible_characters_problem
from ..record.errors import InputError, Problem
from ..record.glyphs import missing_font_problem
from ..record.reading import MAX_LOGO_BYTES, LoadedSettings, display_path, load_settings, read_logo
from ..record.validate import describe_error

__all__ = [
    "Branding",
    "BuildDefaults",
    "LoadedProjectSettings",
    "OnlineLink",
    "Presentation",
    "Settings",
    "load_branding",
    "load_project_settings",
    "online_link",
    "qr_data_uri",
]

_IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
#: Largest logo side in pixels: 2 cm at 600 dpi is under 500; 2000 leaves room.
MAX_LOGO_PIXELS = 2000


class _BrandingSection(BaseModel):
    """The pharmacy or clinic printed on every document."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=80, description="Pharmacy or clinic name.")
    address: str | None = Field(None, max_length=160, description="Address, one line.")
    phone: str | None = Field(None, max_length=40, description="Phone number.")
    logo: str | None = Field(
        None, description="PNG or JPEG logo, a path relative to the settings file."
    )

    @field_validator("name", "address", "phone")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        text = value or ""
        problem = invisible_characters_problem(text) or missing_font_problem(text)
        if problem:
            raise ValueError(problem)
        return value


class BuildDefaults(BaseModel):
    """Defaults for ``leaflet build``; an option given on the command line wins."""

    model_config = ConfigDict(extra="forbid")
    languages: list[StrictStr] | None = Field(
        None,
        description='Languages to build: a list of codes, or "all".',
        examples=[["en", "es_US"]],
    )
    audiences: list[StrictStr] | None = Field(
        None, description='Documents: patient, clinician, taper, or "all".', examples=["all"]
    )
    papers: list[StrictStr] | None = Field(
        None, description='Paper sizes: a4, letter, or "all".', examples=[["letter"]]
    )
    formats: list[StrictStr] | None = Field(
        None, description='Formats: pdf, html, or "all".', examples=[["pdf"]]
    )
    large_print: StrictBool | None = Field(None, description="Also build the large-print edition.")
    booklet: StrictBool | None = Field(None, description="Also bind each language's booklet.")
    online_url: StrictStr | None = Field(
        None,
        description="Address of the online version, with {drug}, {lang}, {audience}.",
        examples=["https://example.org/{drug}/{lang}/{audience}"],
    )

    @field_validator("languages", "audiences", "papers", "formats", mode="before")
    @classmethod
    def _one_or_a_list(cls, value: object) -> object:
        """``"all"`` or ``"en"`` alone means a list of one."""
        return [value] if isinstance(value, str) else value


class ServeDefaults(BaseModel):
    """Settings for ``leaflet serve``; an option given on the command line wins."""

    model_config = ConfigDict(extra="forbid")
    token: StrictStr | None = Field(
        None,
        description="Access token every request must carry when serving beyond this machine "
        "(--host): at least 24 letters, digits, '-', '_', '.' or '~'. Keep the file private.",
        examples=["k3Y-2c9d8f7e6a5b4c3d2e1f0a9b"],
    )

    @field_validator("token")
    @classmethod
    def _strong_token(cls, value: str | None) -> str | None:
        """A token a stranger cannot guess, and that fits an HTTP header as it is."""
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_.~-]{24,200}", value):
            raise ValueError(
                "not a usable access token (expected 24 to 200 letters, digits, '-', '_', "
                f"'.' or '~', got {len(value)} characters)"
            )
        return value


class Settings(BaseModel):
    """The settings file: the branding to print, defaults for ``leaflet build``, ``serve``'s."""

    model_config = ConfigDict(extra="forbid")
    branding: _BrandingSection | None = None
    build: BuildDefaults = Field(default_factory=lambda: BuildDefaults.model_validate({}))
    serve: ServeDefaults = Field(default_factory=lambda: ServeDefaults.model_validate({}))


@dataclass(frozen=True)
class LoadedProjectSettings:
    """A checked settings file: its branding, build defaults and where each value is."""

    branding: Branding | None
    build: BuildDefaults
    source: LoadedSettings
    serve: ServeDefaults = field(default_factory=lambda: ServeDefaults.model_validate({}))


@dataclass(frozen=True)
class Branding:
    """Checked branding, ready to print: text, and the logo as a data URI."""

    name: str
    address: str = ""
    phone: str = ""
    logo_uri: str = ""
    digest: str = ""
    #: Where the logo was read from: an output must never replace it.
    logo_path: Path | None = field(default=None, compare=False)


@dataclass(frozen=True)
class OnlineLink:
    """The online version's address template, e.g. https://example.org/{drug}/{lang}."""

    template: str

    def url(self, drug: str, lang: str, audience: str) -> str:
        """The address of one document's online version."""
        return self.template.format(drug=drug, lang=lang, audience=audience)


@dataclass(frozen=True)
class Presentation:
    """Everything about a document that is not its content, language or paper."""

    draft: bool = False
    large_print: bool = False
    html: bool = False
    branding: Branding | None = None
    online: OnlineLink | None = None

    def suffix(self) -> str:
        """File-name suffix: ``-large`` for large print, ``-draft`` for a draft."""
        return ("-large" if self.large_print else "") + ("-draft" if self.draft else "")

    def digest(self) -> str:
        """What a fingerprint needs to know about the presentation."""
        return hashlib.sha256(
            repr(
                (
                    self.draft,
                    self.large_print,
                    self.html,
                    self.branding.digest if self.branding else None,
                    self.online.template if self.online else None,
                )
            ).encode()
        ).hexdigest()


def load_branding(path: Path) -> Branding | None:
    """Read and check a settings file's branding (None without a [branding] section)."""
    return load_project_settings(path).branding


def load_project_settings(path: Path) -> LoadedProjectSettings:
    """Read and check a settings file; raise InputError listing every problem in it."""
    loaded = load_settings(path)
    try:
        settings = Settings.model_validate(loaded.data)
    except ValidationError as exc:
        raise InputError(_problems(exc, loaded)) from None
    branding = None if settings.branding is None else _branding(settings.branding, loaded)
    return LoadedProjectSettings(branding, settings.build, loaded, settings.serve)


def _branding(section: _BrandingSection, loaded: LoadedSettings) -> Branding:
    logo_uri, logo_bytes, logo_path = "", b"", None
    if section.logo:
        logo_path = (loaded.source.parent / section.logo).resolve()
        logo_uri, logo_bytes = _logo(loaded, section.logo)
    digest = hashlib.sha256(repr(section.model_dump()).encode() + logo_bytes).hexdigest()
    return Branding(
        name=section.name,
        address=section.address or "",
        phone=section.phone or "",
        logo_uri=logo_uri,
        digest=digest,
        logo_path=logo_path,
    )


def _logo(loaded: LoadedSettings, relative: str) -> tuple[str, bytes]:
    path = (loaded.source.parent / relative).resolve()
    line = loaded.lines.line_for(("branding", "logo"))

    def problem(message: str) -> InputError:
        return InputError([Problem(loaded.name, line, "branding.logo", message)])

    try:
        data = read_logo(path)
    except FileNotFoundError:
        raise problem(
            f"logo file not found (expected a PNG or JPEG file, got {display_path(path)!r})"
        ) from None
    except IsADirectoryError:
        raise problem(
            f"logo is a folder (expected a PNG or JPEG file, got {display_path(path)!r})"
        ) from None
    except OSError as exc:
        raise problem(f"logo file cannot be read ({exc.strerror}: {display_path(path)})") from None
    if len(data) > MAX_LOGO_BYTES:
        raise problem(f"logo file is too large (expected at most {MAX_LOGO_BYTES} bytes)")
    kind = next((mime for magic, mime in _IMAGE_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        raise problem(
            f"logo is not a PNG or JPEG image (expected a .png or .jpg file, got "
            f"{display_path(path)!r})"
        )
    size = _pixel_size(data)
    if size is None:
        raise problem(
            f"logo is a damaged image (expected a PNG or JPEG file that opens in an image "
            f"viewer, got {display_path(path)!r})"
        )
    if max(size) > MAX_LOGO_PIXELS:
        raise problem(
            f"logo is {size[0]} x {size[1]} pixels (expected at most {MAX_LOGO_PIXELS} on "
            "each side: it prints about 2 cm tall; scale it down)"
        )
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}", data


def _pixel_size(data: bytes) -> tuple[int, int] | None:
    """Read an image's width and height from its header, without decoding its pixels.

    A small file can hold a huge image (a "decompression bomb"); its size is
    known before the renderer ever decodes it.
    """
    from PIL import Image, ImageFile, UnidentifiedImageError

    # WeasyPrint sets LOAD_TRUNCATED_IMAGES when imported; a cut-short logo must
    # still be refused, so both globals are set for this one check.
    saved = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
    Image.MAX_IMAGE_PIXELS = None  # only the header is read; the caller judges the size
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if max(width, height) <= MAX_LOGO_PIXELS:
                image.load()  # a truncated or corrupt file fails here, not in the renderer
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    finally:
        Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = saved
    return width, height


def _problems(exc: ValidationError, loaded: LoadedSettings) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(str(part) for part in error["loc"])
        path = ".".join(loc)
        line = loaded.lines.line_for(loc)
        message = describe_error(error, loc, Settings)
        problems.append(Problem(loaded.name, line, path, message))
    return problems


def online_link(template: str | None) -> OnlineLink | None:
    """Wrap a checked template (None when there is none)."""
    return OnlineLink(template) if template else None


def qr_data_uri(url: str) -> str:
    """A QR code for ``url`` as an SVG data URI (vector: sharp at any print size)."""
    import segno

    code = segno.make(url, error="m", micro=False)
    return str(code.svg_data_uri(scale=4, border=2, dark="#000000", light="#ffffff"))
