"""``RedisCache``: a cache shared by many machines, on redis-py (the ``redis`` extra).

Each entry is one Redis string under ``prefix + key`` with the TTL as its expiry
(``SET ... PX``), so Redis itself forgets old answers; the memory bound is the server's
(``maxmemory`` with an eviction policy such as ``allkeys-lru``). Every socket wait is bounded.
"""

from __future__ import annotations

import math
from typing import Any

from claude_client.cache._backend import DEFAULT_TTL, check_ttl

__all__ = ["RedisCache"]


class RedisCache:
    """A cache in Redis (``pip install "claude-code-client[redis]"``).

    Args:
        url: A redis-py URL, e.g. ``redis://cache.internal:6379/0`` or ``rediss://...``
            (credentials in the URL are never shown in the repr).
        ttl: Seconds an entry lives, ``None`` for no expiry (then bound Redis's memory with
            ``maxmemory``). Default one day.
        prefix: Prepended to every key, so the cache can share a database. Default
            ``"claude_client:"``.
        timeout: Longest wait in seconds to connect and for each reply. Default 5.
        client: A ready ``redis.Redis`` to use instead of ``url`` (its own settings apply).

    Raises:
        ImportError: redis-py is not installed.
        TypeError, ValueError: a bound that is not a positive number.
    """

    def __init__(
        self,
        url: str = "redis://localhost:6379/0",
        ttl: float | None = DEFAULT_TTL,
        *,
        prefix: str = "claude_client:",
        timeout: float = 5.0,
        client: Any = None,
    ) -> None:
        try:
            import redis
        except ImportError:
            raise ImportError(
                'RedisCache needs redis-py: pip install "claude-code-client[redis]"'
            ) from None
        self.ttl = check_ttl(ttl)
        self.prefix = prefix
        wait = check_ttl(timeout)
        self._redis: Any = (
            client
            if client is not None
            else redis.Redis.from_url(url, socket_timeout=wait, socket_connect_timeout=wait)
        )

    def __repr__(self) -> str:
        return f"RedisCache(ttl={self.ttl!r}, prefix={self.prefix!r})"

    def get(self, key: str) -> bytes | None:
        """The bytes under ``key``, or ``None`` (missing or expired)."""
        value = self._redis.get(self.prefix + key)
        return None if value is None else bytes(value)

    def set(self, key: str, value: bytes) -> None:
        """Store ``value`` under ``key`` with the TTL as its expiry."""
        expiry = None if self.ttl is None else max(1, math.ceil(self.ttl * 1000))
        self._redis.set(self.prefix + key, value, px=expiry)

    def close(self) -> None:
        """Close the connection pool."""
        self._redis.close()
