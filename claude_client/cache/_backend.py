"""The one small protocol every cache backend follows, and the bounds they all check.

A backend stores opaque bytes under a string key (the client hashes the request into the key
and serialises the answer), forgets an entry after its TTL, and keeps its size bounded. Any
object with these two methods can be passed as ``cache=``.
"""

from __future__ import annotations

import math
from typing import Final, Protocol, runtime_checkable

__all__ = ["DEFAULT_TTL", "CacheBackend", "check_positive", "check_ttl"]

#: How long an entry lives unless told otherwise: a day covers a pipeline re-run or an
#: evaluation session without keeping yesterday's answers forever.
DEFAULT_TTL: Final = 86_400.0


@runtime_checkable
class CacheBackend(Protocol):
    """Where cached answers live: bytes under a key, each for at most the backend's TTL.

    Both methods must be safe to call from several threads at once. ``get`` returns ``None``
    for a missing or expired key. The client treats any exception from a backend as a miss
    (and logs it): a broken cache never fails a call.
    """

    def get(self, key: str) -> bytes | None:
        """The bytes stored under ``key``, or ``None`` (missing or expired)."""
        ...

    def set(self, key: str, value: bytes) -> None:
        """Store ``value`` under ``key`` (replacing it), evicting to stay within bounds."""
        ...


def check_ttl(ttl: float | None) -> float | None:
    """``ttl`` as a float: seconds > 0, or ``None`` for entries that never expire.

    Raises:
        TypeError: ``ttl`` is not a number.
        ValueError: ``ttl`` is not a positive finite number.
    """
    if ttl is None:
        return None
    if isinstance(ttl, bool) or not isinstance(ttl, int | float):
        raise TypeError(f"ttl must be a number of seconds or None, got {ttl!r}")
    if not (ttl > 0 and math.isfinite(ttl)):
        raise ValueError(f"ttl must be a positive number of seconds, got {ttl!r}")
    return float(ttl)


def check_positive(name: str, value: int) -> int:
    """``value`` if it is an integer >= 1.

    Raises:
        TypeError: not an integer.
        ValueError: below 1.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return value
