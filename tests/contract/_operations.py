"""How the contract tests read an OpenAPI document's operations (one way for all of them)."""

from __future__ import annotations

from typing import Any

#: The keys of a path item that are operations (the others: parameters, summary, ...).
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def operations(document: dict[str, Any]) -> set[str]:
    """Every operation of ``document`` as ``"METHOD /path"``."""
    return {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }
