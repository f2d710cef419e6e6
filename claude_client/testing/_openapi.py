"""The OpenAPI document the real service serves at ``/openapi.json`` (observed, unmodified).

Kept verbatim in ``service-openapi.observed.json`` (package data) so a tool pointed at the
double (a generator, schemathesis) reads what it would read from the service; the double
re-renders it compactly, as FastAPI does.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Final

_FILE: Final = "service-openapi.observed.json"

SCHEMA: Final[dict[str, Any]] = json.loads(
    resources.files(__package__).joinpath(_FILE).read_text(encoding="utf-8")
)
DOCUMENT: Final = json.dumps(SCHEMA, separators=(",", ":"), ensure_ascii=False).encode()

#: A stand-in for FastAPI's Swagger UI and ReDoc pages (those load their scripts from a CDN).
DOCS_PAGE: Final = (
    b"<!DOCTYPE html><html><head><title>Claude Code API Service - docs</title></head>"
    b"<body><p>This is the local service double. The API description is at "
    b'<a href="/openapi.json">/openapi.json</a>.</p></body></html>'
)
