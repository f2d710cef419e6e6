"""Reading an answer's body within the client's size limit (``max_response_bytes``).

Every body the client reads whole goes through here: REST answers (success and error, in the
retry transport) and a refused WebSocket handshake. A ``Content-Length`` over the limit is
refused before a byte of the body is read; a body without one (chunked, or a length that
lies) is counted as it arrives and dropped the moment it passes the limit. So a hostile or
mistaken server costs at most the limit in memory, never its whole body, and the caller gets
``ResponseTooLargeError`` instead of a ``MemoryError``. Cheap on the hot path: one header
lookup and a length sum per chunk.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable

import httpx

from claude_client._error_mapping import response_too_large
from claude_client._exceptions import ResponseTooLargeError

__all__ = ["aread_within", "check_declared", "read_within"]


def _too_large(
    response: httpx.Response,
    limit: int,
    request: httpx.Request,
    url: str | None,
    length: int | None,
) -> ResponseTooLargeError:
    where = str(request.url) if url is None else url
    return response_too_large(response.status_code, request.method, where, limit, length)


def check_declared(
    response: httpx.Response, limit: int, request: httpx.Request, url: str | None = None
) -> None:
    """Refuse an answer whose ``Content-Length`` is over ``limit``, before reading it
    (``url``: the URL to name, default the request's).

    Raises:
        ResponseTooLargeError: the declared length is over the limit.
    """
    declared = response.headers.get("content-length")
    if declared is not None:
        try:
            length = int(declared)
        except ValueError:  # not a number: httpcore refuses it while reading
            return
        if length > limit:
            raise _too_large(response, limit, request, url, length)


def read_within(
    response: httpx.Response,
    chunks: Iterable[bytes],
    limit: int,
    request: httpx.Request,
    url: str | None = None,
) -> bytes:
    """The body from ``chunks``, at most ``limit`` bytes (the caller closes the stream).

    Raises:
        ResponseTooLargeError: ``Content-Length`` or the body passes the limit.
    """
    check_declared(response, limit, request, url)
    parts = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise _too_large(response, limit, request, url, None)
        parts.append(chunk)
    return b"".join(parts)


async def aread_within(
    response: httpx.Response,
    chunks: AsyncIterable[bytes],
    limit: int,
    request: httpx.Request,
    url: str | None = None,
) -> bytes:
    """``read_within`` for an async body."""
    check_declared(response, limit, request, url)
    parts = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise _too_large(response, limit, request, url, None)
        parts.append(chunk)
    return b"".join(parts)
