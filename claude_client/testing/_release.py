"""Letting go of requests the double holds on purpose, when a test resets or the server stops.

Held requests (the ``hang`` and ``slow`` faults, a WebSocket the service stopped serving) wait
on the current generation's event; ``release_all`` sets it and starts a new generation, so
waits begun after a reset are not released by it. Each holder is counted until it has
finished completely, so a reset can wait for them before zeroing the counters they touch.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable
from typing import Any, Literal


class Hold:
    """One held request; counted from `enter` until `exit` (both idempotent)."""

    def __init__(self, releaser: Releaser) -> None:
        self._releaser = releaser
        self._entered = False

    def enter(self) -> asyncio.Event:
        """Start being held; returns the event that releases this holder."""
        if not self._entered:
            self._entered = True
            self._releaser._count(+1)
        return self._releaser.event()

    def exit(self) -> None:
        """Stop being held (call once nothing more will be recorded for this request)."""
        if self._entered:
            self._entered = False
            self._releaser._count(-1)


class Releaser:
    """The current release event of one running server (bound to its event loop)."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None
        self._idle = threading.Condition()
        self._active = 0

    def bind(self, loop: asyncio.AbstractEventLoop | None) -> None:
        """Attach to the server's loop at startup (None at shutdown)."""
        self._loop = loop
        self._event = None

    def event(self) -> asyncio.Event:
        """The event the current holders wait for (call from the server loop)."""
        if self._event is None:
            self._event = asyncio.Event()
        return self._event

    def hold(self) -> Hold:
        """A holder to `Hold.enter` when the request starts waiting."""
        return Hold(self)

    def wait_idle(self, timeout: float) -> bool:
        """Block until every released holder has finished; False after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._active:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
            return True

    def _count(self, delta: int) -> None:
        with self._idle:
            self._active += delta
            self._idle.notify_all()

    def release_all(self) -> None:
        """Release every current holder; safe to call from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed in between
            loop.call_soon_threadsafe(self._swap)

    def _swap(self) -> None:
        event, self._event = self._event, None
        if event is not None:
            event.set()


async def race(
    release: asyncio.Event, other: Awaitable[Any] | None, delay: float | None
) -> Literal["released", "other", "timeout"]:
    """Wait for whichever comes first: the release, ``other``, or ``delay`` seconds."""
    released = asyncio.ensure_future(release.wait())
    waiters: set[asyncio.Future[Any]] = {released}
    if other is not None:
        waiters.add(asyncio.ensure_future(other))
    try:
        done, _ = await asyncio.wait(waiters, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            if waiter is released or not waiter.done():
                waiter.cancel()
    if released in done:
        return "released"
    return "other" if done else "timeout"
