"""The async WebSocket handshake straight on an asyncio socket, for the client's own pool.

Why: under asyncio, opening the socket through httpx, httpcore and anyio (a task group to
connect, a cancel scope and a timer per read and write, the pool's bookkeeping) cost about half
again the time to a first chunk of a plain ``websockets`` client. A WebSocket connection never
goes back to the pool, so none of that buys anything here: ``open_upgraded`` connects with
``loop.create_connection`` and speaks the upgrade with ``h11`` (as httpcore does), on the same
host, port, TLS context and request headers the pool would have used, and hands back what the
httpx path hands back: an ``httpx.Response`` (``101`` with its ``network_stream``, or the
refusal with its body), so the socket above cannot tell them apart.

Only where it changes nothing (``direct_pool``): asyncio (under trio the httpx path stays), the
client's own ``httpx`` client and pool (not a caller's ``http_client=``), no proxy, no Unix
socket, no auth or event hooks, not closed. Anything else takes the httpx path.

The same bounds as that path: connect, handshake and a refusal's body end by the handshake's
deadline (``wait`` from its start: a dripped answer ends too); each later read or write waits
at most its own timeout, with a timer on a future (no task, no cancel scope); failures are
httpx's errors during the handshake and httpcore's after it, as the pool raises them; reading
stops while a chunk is unread (the transport's reads pause), so a fast peer cannot fill memory.
"""

from __future__ import annotations

import asyncio
import collections
import ssl
import time
from collections.abc import AsyncIterator
from typing import Any, Final

import h11
import httpcore
import httpx

__all__ = ["direct_pool", "open_upgraded"]

#: Bytes read from the socket at a time during the handshake (httpcore's figure).
_READ_SIZE: Final = 65_536
#: Largest head of an answer (httpcore's figure): past it, h11 refuses the answer.
_MAX_HEAD: Final = 100 * 1024
#: Unread bytes past which the transport stops reading until the socket above reads.
_HIGH_WATER: Final = 256 * 1024


def direct_pool(http: httpx.AsyncClient) -> Any:
    """The client's own connection pool when ``open_upgraded`` may stand in for its ``send``;
    ``None`` for the httpx path (see the module docstring for when)."""
    import sniffio

    if http.is_closed or http.auth is not None or any(http.event_hooks.values()):
        return None
    owner = getattr(http, "_pool_owner", None)
    if owner is not None and owner.is_closed:
        return None
    try:
        if sniffio.current_async_library() != "asyncio":
            return None
    except sniffio.AsyncLibraryNotFoundError:
        return None
    # Down our transports (retry, limits, fork-safety) to httpx's; a caller's client, or any
    # transport we do not know, ends the walk with no pool.
    transport: Any = getattr(http, "_sender", None)
    for _ in range(8):
        if isinstance(transport, httpx.AsyncHTTPTransport):
            return _plain_pool(transport._pool)
        transport = getattr(transport, "transport", None)
    return None


def _plain_pool(pool: Any) -> Any:
    """``pool`` if it connects straight to the origin (no proxy, no Unix socket)."""
    proxies = (httpcore.AsyncHTTPProxy, httpcore.AsyncSOCKSProxy)
    if not isinstance(pool, httpcore.AsyncConnectionPool) or isinstance(pool, proxies):
        return None
    if getattr(pool, "_proxy", None) is not None or getattr(pool, "_uds", None) is not None:
        return None
    return pool


class _Connection(asyncio.Protocol):
    """The socket's bytes as an httpcore network stream: ``read`` / ``write`` with a timeout.

    ``handshake`` is True until the upgrade is answered: failures are then httpx's errors (the
    handshake's, as ``httpx.AsyncClient.send`` raises them), httpcore's afterwards (the
    upgraded stream's, as the pool's streams raise them).
    """

    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._chunks: collections.deque[bytes] = collections.deque()
        self._size = 0
        self._ended = False
        self._error: BaseException | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._writable: asyncio.Future[None] | None = None
        self._paused = False
        self._reading_paused = False
        self.handshake = True

    # -- asyncio's callbacks --

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._chunks.append(data)
        self._size += len(data)
        if self._size > _HIGH_WATER and self._transport is not None:
            self._transport.pause_reading()
            self._reading_paused = True
        self._wake()

    def eof_received(self) -> bool:
        self._ended = True
        self._wake()
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self._ended = True
        self._error = exc
        self._wake()
        self._wake_writer()

    def pause_writing(self) -> None:
        self._paused = True

    def resume_writing(self) -> None:
        self._paused = False
        self._wake_writer()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _wake_writer(self) -> None:
        if self._writable is not None and not self._writable.done():
            self._writable.set_result(None)

    # -- the network stream --

    def unread(self, data: bytes) -> None:
        """Put ``data`` (read past the handshake's answer) back for the next read."""
        if data:
            self._chunks.appendleft(data)
            self._size += len(data)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """The next bytes from the peer (``b""`` once it ended), waiting at most ``timeout``."""
        if not self._chunks and not self._ended:
            self._waiter = asyncio.get_running_loop().create_future()
            await self._wait(self._waiter, timeout, read=True)
        if not self._chunks:
            if self._error is not None:
                raise self._failure(self._error, read=True)
            return b""
        data = self._chunks.popleft()
        if len(data) > max_bytes:
            self._chunks.appendleft(data[max_bytes:])
            data = data[:max_bytes]
        self._size -= len(data)
        if self._reading_paused and self._size <= _HIGH_WATER and self._transport is not None:
            self._reading_paused = False
            if not self._ended:
                self._transport.resume_reading()
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Send ``buffer``, waiting at most ``timeout`` while the peer does not take it."""
        transport = self._transport
        if transport is None or transport.is_closing():
            raise self._failure(self._error or ConnectionResetError("Connection lost"), read=False)
        transport.write(buffer)
        if self._paused:
            self._writable = asyncio.get_running_loop().create_future()
            await self._wait(self._writable, timeout, read=False)
            if transport.is_closing():
                raise self._failure(self._error or ConnectionResetError("Connection lost"), False)

    async def aclose(self) -> None:
        """Close the socket (what is already written is still sent); idempotent."""
        self.close()

    def close(self) -> None:
        """Close the socket without waiting; idempotent."""
        if self._transport is not None:
            self._transport.close()

    def get_extra_info(self, info: str) -> Any:
        """The transport's (``ssl_object``, ``peername``, ...), as httpcore's streams give."""
        return None if self._transport is None else self._transport.get_extra_info(info)

    async def _wait(self, waiter: asyncio.Future[None], timeout: float | None, read: bool) -> None:
        timer = None
        if timeout is not None:
            timer = asyncio.get_running_loop().call_later(
                max(timeout, 0.0), self._expire, waiter, read
            )
        try:
            await waiter
        finally:
            if timer is not None:
                timer.cancel()

    def _expire(self, waiter: asyncio.Future[None], read: bool) -> None:
        if not waiter.done():
            waiter.set_exception(self._timeout(read))

    def _timeout(self, read: bool) -> Exception:
        if self.handshake:
            return httpx.ReadTimeout("timed out") if read else httpx.WriteTimeout("timed out")
        return httpcore.ReadTimeout("timed out") if read else httpcore.WriteTimeout("timed out")

    def _failure(self, exc: BaseException, read: bool) -> Exception:
        if self.handshake:
            error: type[Exception] = httpx.ReadError if read else httpx.WriteError
        else:
            error = httpcore.ReadError if read else httpcore.WriteError
        failure = error(str(exc) or type(exc).__name__)
        failure.__cause__ = exc
        return failure


class _Body(httpx.AsyncByteStream):
    """A refused handshake's body, read by the handshake's deadline; closing it closes the
    socket (the ``101`` answer's body is empty: closing it closes the upgraded socket)."""

    def __init__(self, conn: _Connection, http11: h11.Connection | None, end: float) -> None:
        self._conn = conn
        self._http11 = http11
        self._end = end

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self._http11 is not None:
            event = await _next_event(self._conn, self._http11, self._end)
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            else:  # EndOfMessage
                return

    async def aclose(self) -> None:
        self._conn.close()


async def open_upgraded(
    pool: Any, request: httpx.Request, wait: float, connect_wait: float
) -> httpx.Response:
    """Connect for ``request`` (an upgrade) and send it: the answer's head, as
    ``httpx.AsyncClient.send(request, stream=True)`` gives it, all by ``wait`` seconds from now
    (connecting by ``connect_wait``).

    Raises:
        httpx.TransportError: as httpx raises it (``ConnectError``, ``ConnectTimeout``,
            ``ReadTimeout``, ``RemoteProtocolError``, ...).
    """
    end = time.monotonic() + wait
    conn = await _connect(pool, request.url, min(end, time.monotonic() + connect_wait))
    try:
        http11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=_MAX_HEAD)
        target = request.url.raw_path
        head = h11.Request(method=request.method, target=target, headers=request.headers.raw)
        try:
            data = http11.send(head) + (http11.send(h11.EndOfMessage()) or b"")
        except h11.LocalProtocolError as exc:
            raise httpx.LocalProtocolError(str(exc)) from exc
        await conn.write(data, _left(end))
        while True:
            answer = await _next_event(conn, http11, end)
            if isinstance(answer, h11.InformationalResponse) and answer.status_code == 101:
                leftover, _closed = http11.trailing_data
                conn.unread(bytes(leftover))
                conn.handshake = False
                return _response(answer, request, conn, None, end)
            if isinstance(answer, h11.Response):
                return _response(answer, request, conn, http11, end)
            # any other 1xx: the final answer is still to come
    except BaseException:
        conn.close()
        raise


def _response(
    answer: h11.InformationalResponse | h11.Response,
    request: httpx.Request,
    conn: _Connection,
    http11: h11.Connection | None,
    end: float,
) -> httpx.Response:
    extensions: dict[str, Any] = {
        "http_version": b"HTTP/1.1",
        "reason_phrase": bytes(answer.reason),
    }
    if http11 is None:
        extensions["network_stream"] = conn
    return httpx.Response(
        answer.status_code,
        headers=list(answer.headers),
        stream=_Body(conn, http11, end),
        request=request,
        extensions=extensions,
    )


def _left(end: float) -> float:
    left = end - time.monotonic()
    if left <= 0:
        raise httpx.ReadTimeout("the handshake's deadline passed")
    return left


async def _connect(pool: Any, url: httpx.URL, end: float) -> _Connection:
    """A connection to ``url``'s host (TLS with the pool's context for ``https``)."""
    secure = url.scheme == "https"
    port = url.port or (443 if secure else 80)
    context: ssl.SSLContext | None = None
    if secure:
        context = pool._ssl_context or httpcore.default_ssl_context()
    conn = _Connection()
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(max(end - time.monotonic(), 0.0)):
            await loop.create_connection(
                lambda: conn,
                url.host,
                port,
                ssl=context,
                server_hostname=url.host if secure else None,
            )
    except TimeoutError as exc:
        conn.close()
        raise httpx.ConnectTimeout("timed out") from exc
    except OSError as exc:  # refused, unreachable, no such host, a TLS failure
        conn.close()
        raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
    return conn


async def _next_event(conn: _Connection, http11: h11.Connection, end: float) -> Any:
    """The next answer event, reading by ``end``.

    Raises:
        httpx.RemoteProtocolError: the answer is not HTTP, or the peer ended it early.
    """
    while True:
        try:
            event = http11.next_event()
        except h11.RemoteProtocolError as exc:
            raise httpx.RemoteProtocolError(str(exc)) from exc
        if event is h11.NEED_DATA:
            data = await conn.read(_READ_SIZE, _left(end))
            if not data and http11.their_state is h11.SEND_RESPONSE:
                raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
            http11.receive_data(data)
            continue
        if isinstance(event, h11.ConnectionClosed):
            raise httpx.RemoteProtocolError("The server closed the connection mid-answer")
        return event
