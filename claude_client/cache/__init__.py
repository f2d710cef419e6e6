"""Response caching for deterministic workloads (evaluations, pipeline re-runs).

Pass ``cache=True`` (an in-memory LRU) or a backend to a client; see the caching guide.

```python
from claude_client import ClaudeClient
from claude_client.cache import SQLiteCache

with ClaudeClient(cache=SQLiteCache("~/.cache/claude-client.db")) as client:
    reply = client.complete("list three colors", model="haiku")  # a second run: cached=True
```

Any object with ``get(key) -> bytes | None`` and ``set(key, value)`` is a backend
(``CacheBackend``).
"""

from claude_client.cache._backend import DEFAULT_TTL, CacheBackend
from claude_client.cache._memory import MemoryCache
from claude_client.cache._redis import RedisCache
from claude_client.cache._sqlite import SQLiteCache

__all__ = ["DEFAULT_TTL", "CacheBackend", "MemoryCache", "RedisCache", "SQLiteCache"]
