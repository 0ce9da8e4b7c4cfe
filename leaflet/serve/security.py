"""Safe by default: an access token off loopback, size limits, CSRF, a strict CSP.

* Bound to a loopback address, leaflet serves anyone on this machine; on any
  other address every request must carry the access token (``Authorization:
  Bearer …``, or the ``leaflet_token`` cookie the browser gets by opening the
  address printed at start, ``/?token=…``). Without it: 401.
* A body larger than :data:`MAX_BODY` is refused with 413 before it is read whole.
* Forms carry a per-process CSRF token tied to a cookie; a form post without
  both, matching, gets 403.
* Every response carries a Content-Security-Policy that allows only leaflet's
  own scripts, styles, fonts and images, and forbids framing.
* The access log names the method, the path without its query string, the
  status and the time: never a query string or a body, which may name a patient.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from ipaddress import ip_address
from typing import Any, ClassVar
from urllib.parse import parse_qs

__all__ = [
    "CSP",
    "MAX_BODY",
    "AccessLog",
    "BodyLimit",
    "SecurityHeaders",
    "TokenGate",
    "is_loopback",
    "new_token",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The largest request body accepted: a taper request is well under 2 KB.
MAX_BODY = 16 * 1024
#: Only leaflet's own resources; no inline script; no framing; forms post only here.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
TOKEN_COOKIE = "leaflet_token"

access_log = logging.getLogger("leaflet.serve.access")


def new_token() -> str:
    """A fresh access token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


async def _refuse(
    send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"content-security-policy", CSP.encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class TokenGate:
    """Refuse every request without the access token (when one is set)."""

    def __init__(self, app: App, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.token is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = _bearer(headers.get(b"authorization", b"")) or _cookie(
            headers.get(b"cookie", b""), TOKEN_COOKIE
        )
        if given and hmac.compare_digest(given, self.token):
            await self.app(scope, receive, send)
            return
        query = _query_token(scope.get("query_string", b""))
        if scope.get("path") == "/" and query and hmac.compare_digest(query, self.token):
            # The address printed at start: set the cookie, then drop the token from the URL.
            cookie = f"{TOKEN_COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
            await send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [(b"location", b"/"), (b"set-cookie", cookie.encode()),
                                (b"content-length", b"0")],
                }
            )  # fmt: skip
            await send({"type": "http.response.body", "body": b""})
            return
        await _refuse(
            send,
            401,
            "access token required (expected the header 'Authorization: Bearer TOKEN', "
            "or open the address leaflet serve printed at start)",
            [(b"www-authenticate", b"Bearer")],
        )


def _bearer(value: bytes) -> str | None:
    scheme, _, token = value.decode("latin-1").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _cookie(value: bytes, name: str) -> str | None:
    for part in value.decode("latin-1").split(";"):
        key, _, found = part.strip().partition("=")
        if key == name and found:
            return found
    return None


def _query_token(query: bytes) -> str | None:
    values = parse_qs(query.decode("latin-1")).get("token")
    return values[0] if values else None


class BodyLimit:
    """Refuse a body over ``limit`` bytes with 413, by its length or as it arrives."""

    def __init__(self, app: App, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        too_large = f"request body too large (expected at most {self.limit} bytes)"
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _refuse(send, 413, too_large)
            return
        received = 0
        started = False

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge()
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except _TooLarge:
            if not started:
                await _refuse(send, 413, too_large)


class _TooLarge(Exception):
    pass


class SecurityHeaders:
    """Add the Content-Security-Policy and related headers to every response."""

    HEADERS: ClassVar[list[tuple[bytes, bytes]]] = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
        (b"cache-control", b"no-store"),
    ]

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.HEADERS if n not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


class AccessLog:
    """Log each request's method, path (never its query string or body), status and time."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def noting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting)
        finally:
            access_log.info(
                "%s %s %d %.0f ms",
                scope.get("method"),
                scope.get("path"),
                status,
                (time.perf_counter() - started) * 1000,
            )
