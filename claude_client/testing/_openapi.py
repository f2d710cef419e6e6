"""The OpenAPI documents the real service serves at ``/openapi.json`` (observed, unmodified).

Kept verbatim as package data, one per generation (``service-openapi.observed.json`` for
generation 1, ``service-openapi.latest.json`` for generation 2), so a tool pointed at the
double (a generator, schemathesis) reads what it would read from the service; the double
re-renders it compactly, as FastAPI does.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Final


@functools.cache
def document(file: str) -> bytes:
    """The served bytes of the document kept in ``file``."""
    text = resources.files(__package__).joinpath(file).read_text(encoding="utf-8")
    return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False).encode()


#: A stand-in for FastAPI's Swagger UI and ReDoc pages (those load their scripts from a CDN).
DOCS_PAGE: Final = (
    b"<!DOCTYPE html><html><head><title>Claude Code API Service - docs</title></head>"
    b"<body><p>This is the local service double. The API description is at "
    b'<a href="/openapi.json">/openapi.json</a>.</p></body></html>'
)
