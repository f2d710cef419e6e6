"""The client's own bound on requests in flight, under its retry layer.

Without it, ``asyncio.gather`` of N calls puts N requests in httpcore's connection pool, which
re-scans every queued request against every connection on each event: client CPU per call grows
with N (about 9.5 ms a call at 500 against 1.6 ms at 50), and the client, not the service,
becomes the bottleneck. The service runs a handful of tasks at once, so a few dozen requests in
flight keep it busy. Each client therefore lets at most ``max_concurrency`` requests (default
``_config.DEFAULT_MAX_CONCURRENCY``) be in flight; its calls, its ``with_options`` copies, the batch
helpers and low-level calls share the slots, the others wait in a plain FIFO semaphore.

A request holds its slot from sending until its body is read or closed; a retry's wait holds
none. Waiting for a slot is bounded by the request's pool timeout, after which it fails as
``httpx.PoolTimeout`` (never sent; the retry layer raises it as ``PoolTimeoutError``, not
retried: a retry would queue again behind the same requests). WebSocket handshakes (an
``Upgrade`` header) take no slot: a stream is not a request in flight.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio
import httpx
import sniffio

__all__ = ["AsyncLimitedTransport", "LimitedTransport", "check_limit"]


def check_limit(value: int) -> int:
    """``max_concurrency`` checked: a positive integer."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_concurrency must be an integer, got {value!r}")
    if value < 1:
        raise ValueError(f"max_concurrency must be >= 1, got {value}")
    return value


def _pool_timeout(request: httpx.Request) -> float | None:
    timeouts = request.extensions.get("timeout") or {}
    value = timeouts.get("pool")
    return None if value is None else float(value)


def _busy(request: httpx.Request, limit: int, timeout: float | None) -> httpx.PoolTimeout:
    return httpx.PoolTimeout(
        f"no free request slot within {timeout} s ({limit} requests in flight)", request=request
    )


class _Once:
    """Frees a slot once, however often the body is closed."""

    __slots__ = ("_release",)

    def __init__(self, release: Callable[[], None]) -> None:
        self._release: Callable[[], None] | None = release

    def __call__(self) -> None:
        release, self._release = self._release, None
        if release is not None:
            release()


class _Released(httpx.SyncByteStream):
    """The response body; closing it (or failing to read it) frees the request's slot."""

    def __init__(self, stream: httpx.SyncByteStream, free: _Once) -> None:
        self._stream = stream
        self._free = free

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            self._free()


def _held_by_body(
    response: httpx.Response, release: Callable[[], None], wrap: Callable[[Any, _Once], Any]
) -> httpx.Response:
    """``response`` whose body frees the slot when closed (at once if it is in memory)."""
    if response.is_closed:  # a response made with its content: nothing more to read
        release()
    else:
        response.stream = wrap(response.stream, _Once(release))
    return response


class LimitedTransport(httpx.BaseTransport):
    """Sends through ``transport`` with at most ``limit`` requests in flight at once."""

    def __init__(self, transport: httpx.BaseTransport, limit: int) -> None:
        self.transport = transport
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Wait for a slot (at most the pool timeout), send, and free the slot with the body."""
        if "upgrade" in request.headers:
            return self.transport.handle_request(request)
        timeout = _pool_timeout(request)
        if not self._slots.acquire(timeout=-1 if timeout is None else timeout):
            raise _busy(request, self.limit, timeout)
        try:
            response = self.transport.handle_request(request)
        except BaseException:
            self._slots.release()
            raise
        return _held_by_body(response, self._slots.release, _Released)

    def close(self) -> None:
        """Close the wrapped transport."""
        self.transport.close()


class _AsyncReleased(httpx.AsyncByteStream):
    """The async response body; closing it frees the request's slot."""

    def __init__(self, stream: httpx.AsyncByteStream, free: _Once) -> None:
        self._stream = stream
        self._free = free

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            self._free()


class AsyncLimitedTransport(httpx.AsyncBaseTransport):
    """``LimitedTransport`` for async clients (asyncio or trio: one semaphore per library)."""

    def __init__(self, transport: httpx.AsyncBaseTransport, limit: int) -> None:
        self.transport = transport
        self.limit = limit
        self._slots: dict[str, anyio.Semaphore] = {}

    def _semaphore(self) -> anyio.Semaphore:
        library = sniffio.current_async_library()
        slots = self._slots.get(library)
        if slots is None:
            slots = self._slots[library] = anyio.Semaphore(self.limit)
        return slots

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Wait for a slot (at most the pool timeout), send, and free the slot with the body."""
        if "upgrade" in request.headers:
            return await self.transport.handle_async_request(request)
        slots = self._semaphore()
        try:
            slots.acquire_nowait()  # the common case: a free slot, no trip through the loop
        except anyio.WouldBlock:
            timeout = _pool_timeout(request)
            with anyio.move_on_after(timeout) as waited:
                await slots.acquire()
            if waited.cancelled_caught:
                raise _busy(request, self.limit, timeout) from None
        try:
            response = await self.transport.handle_async_request(request)
        except BaseException:
            slots.release()
            raise
        return _held_by_body(response, slots.release, _AsyncReleased)

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self.transport.aclose()
