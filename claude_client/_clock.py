"""Time, randomness and sleeping for the retries and the batch runners' pauses.

Injectable (``clock=``), and read from ``SYSTEM_CLOCK`` at use, so tests record waits instead
of sleeping.
"""

from __future__ import annotations

import random
import time as _time
from typing import Protocol

import anyio

__all__ = ["SYSTEM_CLOCK", "Clock", "SystemClock"]


class Clock(Protocol):
    """Time, randomness and sleeping, injectable so tests never really sleep."""

    def time(self) -> float:
        """Wall-clock time in epoch seconds."""
        ...

    def monotonic(self) -> float:
        """A monotonic clock in seconds."""
        ...

    def random(self) -> float:
        """A uniform random number in [0, 1)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds``."""
        ...

    async def asleep(self, seconds: float) -> None:
        """Wait for ``seconds`` without blocking the event loop."""
        ...


class SystemClock:
    """The real clock: ``time``, ``random`` and ``anyio`` (asyncio or trio)."""

    time = staticmethod(_time.time)
    monotonic = staticmethod(_time.monotonic)
    random = staticmethod(random.random)
    sleep = staticmethod(_time.sleep)

    async def asleep(self, seconds: float) -> None:
        """Wait for ``seconds`` on the running event loop."""
        await anyio.sleep(seconds)


SYSTEM_CLOCK: Clock = SystemClock()
