"""The connection pool under the client's own transport: httpx's, made safe in two ways.

A wall-clock deadline on every socket operation. httpx's timeouts bound each read or write on
its own, so a server that drips its answer a byte at a time (headers or body) keeps a call
alive for as long as it likes. The retry transport and the WebSocket handshake set
``DEADLINE`` (a context variable, so each thread's and task's calls keep their own) for each
attempt; the network backend here gives every connect, read and write only the time left
before it, and raises httpcore's own timeout once it has passed. httpcore then closes the
connection as after any timeout, and the retry transport sees a timeout like any other.

Connections of cancelled requests given back. httpcore's async pool leaves a connection behind
for good when a request is cancelled after the pool handed it a new connection and before the
request used it (encode/httpcore#1093, open upstream: the connection is neither idle nor closed,
and no request owns it). Enough of them fill the pool, and every later call fails with a pool
timeout. ``_ReclaimingPool`` closes such orphans each time the pool assigns connections, the
fix proposed upstream (encode/httpcore#1094).

Only a pool httpx built as a plain ``httpcore.ConnectionPool`` (no proxy) is changed; a
caller's own ``http_client`` is left as it is: there the retry transport checks the deadline
between the body's chunks (``check_deadline``), so a dripped body ends too, while each wait
for the headers is bounded by the wait itself.
"""

from __future__ import annotations

import contextlib
import contextvars
import ssl
import time
import typing
from typing import Any, Final

import httpcore
import httpx

__all__ = ["DEADLINE", "async_pool_transport", "check_deadline", "deadline", "pool_transport"]

#: The monotonic time by which the current attempt must be done, or None: no deadline.
DEADLINE: Final[contextvars.ContextVar[float | None]] = contextvars.ContextVar(
    "claude_client_deadline", default=None
)

_PASSED: Final = "the call's deadline passed"


class _Deadline:
    """``deadline``'s context manager: a plain class, a third of ``contextlib``'s cost on a path
    every attempt takes."""

    __slots__ = ("_seconds", "_token")

    def __init__(self, seconds: float | None) -> None:
        self._seconds = seconds

    def __enter__(self) -> None:
        seconds = self._seconds
        self._token = DEADLINE.set(None if seconds is None else time.monotonic() + seconds)

    def __exit__(self, *exc_info: object) -> None:
        DEADLINE.reset(self._token)


def deadline(seconds: float | None) -> contextlib.AbstractContextManager[None]:
    """Every socket operation of the pool inside the block ends within ``seconds`` from now."""
    return _Deadline(seconds)


def check_deadline(chunk: bytes) -> bytes:
    """``chunk``, once the deadline has not passed: the body of a caller's own ``http_client``
    (whose pool has no deadline of ours) ends too, between its chunks.

    Raises:
        httpx.ReadTimeout: the deadline has passed.
    """
    end = DEADLINE.get()
    if end is not None and time.monotonic() > end:
        raise httpx.ReadTimeout(_PASSED)
    return chunk


def _left(timeout: float | None, expired: type[httpcore.TimeoutException]) -> float | None:
    """``timeout``, shortened to the time left before the deadline; raise once it has passed."""
    end = DEADLINE.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise expired(_PASSED)
    return left if timeout is None else min(timeout, left)


def _tls(
    ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
) -> tuple[ssl.SSLContext, str | None, float | None]:
    """``start_tls``'s arguments (by position or keyword), its timeout shortened."""
    return ssl_context, server_hostname, _left(timeout, httpcore.ConnectTimeout)


class _Stream(httpcore.NetworkStream):
    """A network stream whose every read and write ends by the deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return _Stream(self._stream.start_tls(*_tls(*args, **kwargs)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _AsyncStream(httpcore.AsyncNetworkStream):
    """The async twin of ``_Stream``."""

    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self._stream = stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, _left(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _AsyncStream(await self._stream.start_tls(*_tls(*args, **kwargs)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


def _connecting(kwargs: dict[str, Any]) -> dict[str, Any]:
    """A connect call's keyword arguments (httpcore passes them so), its timeout shortened."""
    return {**kwargs, "timeout": _left(kwargs.get("timeout"), httpcore.ConnectTimeout)}


class _Backend(httpcore.NetworkBackend):
    """httpcore's network backend, with the deadline on connecting and on every stream."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return _Stream(self._backend.connect_tcp(*args, **_connecting(kwargs)))

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        return _Stream(self._backend.connect_unix_socket(*args, **_connecting(kwargs)))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    """The async twin of ``_Backend``."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend) -> None:
        self._backend = backend

    async def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        return _AsyncStream(await self._backend.connect_tcp(*args, **_connecting(kwargs)))

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        stream = await self._backend.connect_unix_socket(*args, **_connecting(kwargs))
        return _AsyncStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def _orphans(pool: Any) -> list[Any]:
    """Connections of the pool that no request owns and that are neither idle nor closed: left
    by a request cancelled between getting a new connection and using it."""
    owned = {id(request.connection) for request in pool._requests}
    return [
        connection
        for connection in pool._connections
        if id(connection) not in owned and not (connection.is_idle() or connection.is_closed())
    ]


def _reclaim(pool: Any) -> list[Any]:
    """Take the pool's orphans out of it, for the pool to close."""
    orphans = _orphans(pool)
    for connection in orphans:
        pool._connections.remove(connection)
    return orphans


class _ReclaimingPool(httpcore.ConnectionPool):
    """``httpcore.ConnectionPool`` closing orphaned connections (see the module docstring)."""

    def _assign_requests_to_connections(self) -> list[httpcore.ConnectionInterface]:
        return _reclaim(self) + super()._assign_requests_to_connections()


class _AsyncReclaimingPool(httpcore.AsyncConnectionPool):
    """The async twin of ``_ReclaimingPool``, where cancellation makes the orphans."""

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        return _reclaim(self) + super()._assign_requests_to_connections()


def pool_transport(**options: Any) -> httpx.HTTPTransport:
    """httpx's default transport (``options``: its arguments, e.g. ``proxy``), with the
    deadline and the reclaiming pool."""
    transport = httpx.HTTPTransport(**options)
    pool = transport._pool
    if type(pool) is httpcore.ConnectionPool:
        pool.__class__ = _ReclaimingPool  # the same object and settings, one method more
        pool._network_backend = _Backend(pool._network_backend)
    return transport


def async_pool_transport(**options: Any) -> httpx.AsyncHTTPTransport:
    """httpx's default async transport (``options``: as ``pool_transport``'s), with the
    deadline and the reclaiming pool."""
    transport = httpx.AsyncHTTPTransport(**options)
    pool = transport._pool
    if type(pool) is httpcore.AsyncConnectionPool:
        pool.__class__ = _AsyncReclaimingPool
        pool._network_backend = _AsyncBackend(typing.cast(Any, pool._network_backend))
    return transport
