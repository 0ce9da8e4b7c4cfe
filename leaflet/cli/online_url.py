"""Check the ``--online-url`` template: an address printed as text and as a QR code.

A reader types what is printed, a phone opens what the QR code holds: the two
must be one string, and it must be an ordinary web address. So the address is
ASCII only (a non-ASCII host is written in its ``xn--`` form, other characters
percent-encoded): a Cyrillic "а" in a host prints exactly like a Latin "a" yet
opens another site. It holds no space, quote, angle bracket, backslash or other
character a URL may not carry unencoded (RFC 3986), no invisible or override
character, no user name before the host (``https://example.org@elsewhere.net``
prints one site and opens another), and nothing but ``http://`` or ``https://``
(no ``javascript:``, no ``file:``). The placeholders ``{drug}``, ``{lang}`` and
``{audience}`` go after the host: a language code such as ``pt_BR`` is not a
host name.
"""

from __future__ import annotations

import re
import unicodedata

from ..record.characters import invisible_characters_problem

__all__ = ["MAX_URL_LENGTH", "URL_FIELDS", "check_online_url"]

#: Longest address printed as a QR code: beyond this the code is too dense to scan
#: reliably from paper (the format itself stops near 2,300 characters).
MAX_URL_LENGTH = 300
URL_FIELDS = ("drug", "lang", "audience")

_URL_FIELD = re.compile(r"\{([^{}]*)\}")
_SCHEME = re.compile(r"https?://")
#: What an address may carry unencoded: RFC 3986's unreserved characters and
#: delimiters, less the quote (it closes attributes and strings) and the square
#: brackets (only an IPv6 host, never on a leaflet, may hold them).
_ALLOWED = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#@!$&()*+,;=%"
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*\.?")
_PORT = re.compile(r"[0-9]{1,5}")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_EXAMPLE = "https://example.org/{drug}/{lang}/{audience}"
_SHOWN = 80
#: Control characters Unicode gives no name.
_CONTROL_NAMES = {"\t": "tab", "\n": "line break", "\r": "carriage return"}


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")


def _character(char: str) -> str:
    """A character as a message names it: ``'é' (U+00E9)``, ``U+0020 (space)``."""
    code = f"U+{ord(char):04X}"
    if char.isprintable() and not char.isspace():
        return f"{char!r} ({code})"
    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "")
    return f"{code} ({name.lower()})" if name else code


def _character_problem(address: str) -> str | None:
    for char in address:
        if ord(char) > 0x7F:
            encoded = "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
            return (
                f"{_character(char)} is not ASCII (expected the address exactly as the QR "
                "code holds it: a host in its xn-- form, other characters percent-encoded, "
                f"such as {encoded})"
            )
        if char.isspace():
            return (
                f"{_character(char)} in the address (expected no spaces or line breaks: "
                "write a space as %20)"
            )
        if char not in _ALLOWED:
            return (
                f"{_character(char)} is not allowed in a web address (expected letters, "
                "digits and - . _ ~ : / ? # @ ! $ & ( ) * + , ; = %, anything else "
                f"percent-encoded, such as %{ord(char):02X})"
            )
    if _LONE_PERCENT.search(address):
        return "a '%' without two hexadecimal digits after it (expected %XX, such as %20)"
    return None


def _host_problem(template: str) -> str | None:
    authority = re.split(r"[/?#]", _SCHEME.sub("", template, count=1), maxsplit=1)[0]
    if "{" in authority or "}" in authority:
        return (
            f"a placeholder in the host {_shown(authority)} (expected the placeholders after "
            f"the host, such as {_EXAMPLE})"
        )
    if "@" in authority:
        return (
            f"a user name before the host in {_shown(authority)} (expected https://host/…: "
            "an address with '@' before its host prints as one site and opens another)"
        )
    host, _, port = authority.partition(":")
    if not host:
        return f"no host (expected a host after the scheme, such as {_EXAMPLE})"
    if not _HOST.fullmatch(host) or len(host) > 253:
        return (
            f"{_shown(host)} is not a host name (expected letters, digits, hyphens and dots, "
            "such as example.org)"
        )
    if ":" in authority and not (_PORT.fullmatch(port) and 0 < int(port) < 65536):
        return f"{_shown(port)} is not a port (expected a number from 1 to 65535, or none)"
    return None


def check_online_url(template: str) -> str | None:
    """Return what is wrong with an ``--online-url`` template, or None."""
    problem = invisible_characters_problem(template)
    if problem:
        return problem
    if not _SCHEME.match(template):
        return (
            f"not a web address (expected http:// or https:// and a host, such as {_EXAMPLE}, "
            f"got {_shown(template)})"
        )
    known = ", ".join("{" + name + "}" for name in URL_FIELDS)
    for field in _URL_FIELD.findall(template):
        if field not in URL_FIELDS:
            return f"unknown placeholder {{{field}}} (expected {known})"
    try:
        longest = template.format(**{name: "x" * 64 for name in URL_FIELDS})
    except (ValueError, IndexError, KeyError):
        return f"a lone {{ or }} (expected only the placeholders {known})"
    problem = _character_problem(longest) or _host_problem(template)
    if problem:
        return problem
    if len(longest) > MAX_URL_LENGTH:
        return (
            f"too long for a QR code a phone can read (expected at most {MAX_URL_LENGTH} "
            f"characters once filled in, got up to {len(longest)})"
        )
    return None
