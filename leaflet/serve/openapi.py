"""The API's OpenAPI 3.1 description, served at /api/openapi.json and shown at /docs."""

from __future__ import annotations

from typing import Any

from .requests import FIELDS

__all__ = ["OPENAPI", "TAPER_EXAMPLE"]

_ERROR = {
    "type": "object",
    "properties": {
        "error": {"type": "string"},
        "problems": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def _errors(*codes: int) -> dict[str, Any]:
    words = {
        401: "No access token (only when serving beyond this machine).",
        404: "No such drug, language or document.",
        409: "The language's translation is incomplete, or a check stopped the document.",
        413: "Request body too large.",
        415: "The body is not JSON.",
        422: "A mistake in the request; each problem names its field.",
        503: "Busy, or the worker stopped: try again (Retry-After).",
    }
    return {
        str(code): {
            "description": words[code],
            "content": {"application/json": {"schema": _ERROR}},
        }
        for code in codes
    }


_PDF = {"description": "The PDF.", "content": {"application/pdf": {}}}
#: The example request of the API's description (and of its tests and benchmark).
TAPER_EXAMPLE: dict[str, Any] = {
    "drug": "gabapentin",
    "form": "capsule",
    "strength": ["300 mg", "100 mg"],
    "current_dose": 1200,
    "split": [400, 400, 400],
    "days": 21,
    "start": "2026-12-07",
    "format": "json",
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "leaflet",
        "version": "1",
        "description": "Verified medicine leaflets and personalised taper calendars for "
        "pharmacy software. Every document comes from leaflet's verified build; a taper "
        "request takes the options of `leaflet taper`, in snake_case, and its mistakes are "
        "reported in the command line's words.",
    },
    "paths": {
        "/api/drugs": {
            "get": {
                "summary": "List the project's drugs and the documents each has.",
                "responses": {
                    "200": {"description": '`{"drugs": [{id, name, documents, taper}]}`'}
                },
            }
        },
        "/api/languages": {
            "get": {
                "summary": "List the languages, each named in its own language.",
                "responses": {"200": {"description": '`{"languages": [{code, name, dir}]}`'}},
            }
        },
        "/api/drugs/{drug}/products": {
            "get": {
                "summary": "List a drug's oral products a taper can use, with strengths.",
                "parameters": [
                    {"name": "drug", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": '`{"drug", "products": [{id, form, brands, strengths}]}`'
                    },
                    **_errors(404),
                },
            }
        },
        "/api/documents/{drug}/{lang}/{audience}": {
            "get": {
                "summary": "Fetch one standard document as PDF, built and verified on demand.",
                "parameters": [
                    {"name": "drug", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "lang", "in": "path", "required": True, "schema": {"type": "string"}},
                    {
                        "name": "audience",
                        "in": "path",
                        "required": True,
                        "schema": {"enum": ["patient", "clinician", "taper"]},
                    },
                    {
                        "name": "paper",
                        "in": "query",
                        "schema": {"enum": ["a4", "letter"], "default": "a4"},
                    },
                    {
                        "name": "edition",
                        "in": "query",
                        "schema": {"enum": ["standard", "large-print"], "default": "standard"},
                    },
                ],
                "responses": {"200": _PDF, **_errors(404, 409, 422)},
            }
        },
        "/api/taper": {
            "post": {
                "summary": "Compute a taper schedule (format json) or render its handout "
                "(format pdf).",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["drug", "current_dose", "start"],
                                "additionalProperties": False,
                                "properties": {
                                    name: {"description": text} for name, text in FIELDS.items()
                                },
                            },
                            "example": TAPER_EXAMPLE,
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "The schedule as `leaflet taper --format json` prints it, "
                        "or the handout's PDF.",
                        "content": {"application/json": {}, "application/pdf": {}},
                    },
                    **_errors(404, 409, 413, 415, 422, 503),
                },
            }
        },
    },
}
