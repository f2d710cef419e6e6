"""``MemoryCache``: the default backend, an in-process LRU with a TTL.

One ``OrderedDict`` behind a lock: a hit moves the entry to the end, a store past
``max_entries`` drops the least recently used one. Nothing is shared between processes.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from claude_client.cache._backend import DEFAULT_TTL, check_positive, check_ttl

__all__ = ["MemoryCache"]


class MemoryCache:
    """In-memory LRU cache with a TTL, safe to share between threads (and clients).

    Args:
        max_entries: Most entries kept; storing one more evicts the least recently used.
            Default 1024.
        ttl: Seconds an entry lives, ``None`` for no expiry. Default one day.

    Raises:
        TypeError, ValueError: a bound that is not a positive number.
    """

    def __init__(
        self,
        max_entries: int = 1024,
        ttl: float | None = DEFAULT_TTL,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_entries = check_positive("max_entries", max_entries)
        self.ttl = check_ttl(ttl)
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

    def __repr__(self) -> str:
        return f"MemoryCache(max_entries={self.max_entries}, ttl={self.ttl!r})"

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def get(self, key: str) -> bytes | None:
        """The bytes under ``key``, or ``None``; a hit becomes the most recently used."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, value = entry
            if expires <= self._clock():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        """Store ``value`` under ``key``; evicts the least recently used beyond the bound."""
        expires = float("inf") if self.ttl is None else self._clock() + self.ttl
        with self._lock:
            self._entries[key] = (expires, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
