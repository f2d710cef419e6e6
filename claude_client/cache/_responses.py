"""What caching adds around a backend: the key of a request, and answers to and from bytes.

The key is the request as sent: SHA-256 of the canonical JSON (sorted keys, no spaces) of
the method, the path and the JSON body, within a scope made of the base URL and the API key
(hashed: a cache shared by several services or projects never crosses them, and holds no
key). The body names the model, so two models never share an entry; ``Model.AUTO`` is
resolved before the key is made (see ``docs/guides/caching.md``).

Only successful answers are stored. A hit comes back with ``cached=True``, zero usage and
zero cost (nothing was sent or billed); what the call would have used is in ``saved_usage``
and ``saved_cost``. A backend that fails (Redis down, a disk error) or an entry that cannot
be read counts as a miss, logged as a warning: a cache never fails a call.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Final

import anyio.to_thread

from claude_client._models import BatchResult, Response, Usage
from claude_client.cache._backend import CacheBackend
from claude_client.cache._memory import MemoryCache

__all__ = ["ResponseCache", "backend_for", "request_key", "scope_for"]

logger = logging.getLogger("claude_client")

#: Bumped when the key or the stored form changes: old entries then simply miss.
FORMAT: Final = 1
_ZERO: Final = Usage(input_tokens=0, output_tokens=0, total_tokens=0)
#: Decoded hits remembered per key (by the identity of their bytes); cleared when full.
_DECODED_MAX: Final = 1024


#: Canonical JSON: sorted keys, no spaces, text as is (made once: ``dumps`` builds one per call).
_ENCODER: Final = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _canonical(value: object) -> bytes:
    return _ENCODER.encode(value).encode()


def scope_for(base_url: str, api_key: str | None) -> str:
    """The part of every key that names the service and the key's project (no secret in it)."""
    return hashlib.sha256(_canonical([FORMAT, base_url.rstrip("/"), api_key or ""])).hexdigest()


def request_key(scope: str, method: str, path: str, body: Mapping[str, Any]) -> str:
    """The cache key of one request as sent: a SHA-256 hex digest."""
    return hashlib.sha256(_canonical([scope, method.upper(), path, body])).hexdigest()


def backend_for(cache: object) -> CacheBackend | None:
    """The backend a ``cache=`` argument asks for: ``True`` a new ``MemoryCache``.

    Raises:
        TypeError: ``cache`` is neither a bool, ``None`` nor a backend (``get`` and ``set``).
    """
    if cache is None or cache is False:
        return None
    if cache is True:
        return MemoryCache()
    if isinstance(cache, CacheBackend):
        return cache
    raise TypeError(
        "cache must be True, False or a backend with get() and set() "
        f"(MemoryCache, SQLiteCache, RedisCache), got {cache!r}"
    )


def dump(response: Response) -> bytes:
    """The stored form of a successful answer."""
    u = response.usage
    return _canonical(
        {
            "format": FORMAT,
            "id": response.id,
            "model": response.model,
            "content": response.content,
            "usage": [u.input_tokens, u.output_tokens, u.total_tokens],
            "cost": response.cost,
            "project_id": response.project_id,
        }
    )


def _hit(data: bytes) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A stored entry and the fields every hit shares (its answer, nothing used or billed,
    what it saved); ``None`` for another format.

    Raises:
        ValueError, TypeError, LookupError: the bytes are not a stored entry.
    """
    entry = json.loads(data)
    if entry.get("format") != FORMAT:
        return None
    input_tokens, output_tokens, total_tokens = entry["usage"]
    saved = Usage(input_tokens=input_tokens, output_tokens=output_tokens, total_tokens=total_tokens)
    shared = {
        "content": entry["content"],
        "usage": _ZERO,
        "cost": 0.0,
        "cached": True,
        "saved_usage": saved,
        "saved_cost": entry["cost"],
    }
    return entry, shared


def load(data: bytes) -> Response | None:
    """The cache hit for a stored answer, ``None`` for another format (raises as ``_hit``)."""
    if (hit := _hit(data)) is None:
        return None
    entry, shared = hit
    return Response(id=entry["id"], model=entry["model"], project_id=entry["project_id"], **shared)


def dump_item(result: BatchResult) -> bytes:
    """The stored form of a completed batch item (its answer, without id and prompt)."""
    u = result.usage or _ZERO
    return _canonical(
        {
            "format": FORMAT,
            "content": result.content,
            "usage": [u.input_tokens, u.output_tokens, u.total_tokens],
            "cost": result.cost,
        }
    )


def load_item(data: bytes, item_id: str | None, prompt: str) -> BatchResult | None:
    """The cache hit for a stored batch item, ``None`` for another format (raises as ``_hit``)."""
    if (hit := _hit(data)) is None:
        return None
    return BatchResult(id=item_id, prompt=prompt, status="completed", error=None, **hit[1])


class ResponseCache:
    """A client's cache: a backend plus the key scope; failures are logged misses.

    The async methods run a backend that may block (anything but ``MemoryCache``) in a
    worker thread, so a slow disk or Redis never stalls the event loop. A hit whose bytes are
    the very object decoded last time (``MemoryCache`` hands back what it stored) reuses that
    decoded, immutable result: a memory hit then costs no JSON parsing.
    """

    __slots__ = ("_decoded", "_keys", "backend", "blocking", "scope")

    def __init__(self, backend: CacheBackend, scope: str) -> None:
        self.backend = backend
        self.scope = scope
        self.blocking = not isinstance(backend, MemoryCache)
        self._decoded: dict[str, tuple[bytes, Response | None]] = {}
        self._keys: dict[Hashable, str] = {}

    def key(self, method: str, path: str, body: Mapping[str, Any]) -> str:
        """The key of a request as sent."""
        return request_key(self.scope, method, path, body)

    def remembered_key(self, ident: Hashable, make: Callable[[], str]) -> str:
        """The key for ``ident`` (a hashable form of the request), made once by ``make``."""
        key = self._keys.get(ident)
        if key is None:
            if len(self._keys) >= _DECODED_MAX:
                self._keys.clear()
            key = self._keys[ident] = make()
        return key

    def get(self, key: str) -> Response | None:
        """The cached answer for ``key`` (``cached=True``), or ``None``."""
        try:
            data = self.backend.get(key)
            if data is None:
                return None
            seen = self._decoded.get(key)
            if seen is not None and seen[0] is data:
                return seen[1]
            hit = load(data)
            if len(self._decoded) >= _DECODED_MAX:
                self._decoded.clear()
            self._decoded[key] = (data, hit)
            return hit
        except Exception as exc:  # a broken cache is a miss, never a failed call
            logger.warning("cache lookup failed, treated as a miss: %s", type(exc).__name__)
            return None

    def put(self, key: str, response: Response) -> None:
        """Store a successful, freshly received answer (a hit is never stored again)."""
        if response.cached:
            return
        try:
            self.backend.set(key, dump(response))
        except Exception as exc:
            logger.warning("cache store failed, answer not cached: %s", type(exc).__name__)

    def get_item(self, key: str, item_id: str | None, prompt: str) -> BatchResult | None:
        """The cached answer of one batch item (``cached=True``), or ``None``."""
        try:
            data = self.backend.get(key)
            return None if data is None else load_item(data, item_id, prompt)
        except Exception as exc:
            logger.warning("cache lookup failed, treated as a miss: %s", type(exc).__name__)
            return None

    def put_item(self, key: str, result: BatchResult) -> None:
        """Store one completed, freshly received batch item."""
        if result.cached or result.status != "completed":
            return
        try:
            self.backend.set(key, dump_item(result))
        except Exception as exc:
            logger.warning("cache store failed, answer not cached: %s", type(exc).__name__)

    async def aget(self, key: str) -> Response | None:
        """``get`` without blocking the event loop."""
        if not self.blocking:
            return self.get(key)
        return await anyio.to_thread.run_sync(self.get, key)

    async def aput(self, key: str, response: Response) -> None:
        """``put`` without blocking the event loop."""
        if not self.blocking:
            self.put(key, response)
        else:
            await anyio.to_thread.run_sync(self.put, key, response)
