"""The error every HTTP handler raises to answer ``{"detail": ...}`` with a status."""

from __future__ import annotations


class HTTPError(Exception):
    """An error the service answers as ``{"detail": ...}`` with this status."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers
