"""A client WebSocket over an upgraded ``httpx`` connection: framing and the two sockets.

The socket moves text messages and nothing else: what a message says is the caller's to
encode and parse, so every message type the service's socket speaks uses the same socket,
given its path. It runs on an upgraded connection of the client's own ``httpx`` client (same
pool, transport, TLS, proxies and headers as the REST calls), spoken with ``wsproto`` through
``_Protocol`` (no I/O). Under asyncio, on the client's own pool, ``_direct`` opens the async
socket instead (same host, TLS context, headers and errors, without httpcore's and anyio's
cost per read). No background threads or tasks: each read runs in the caller's thread or task
with the remaining time as its timeout, so breaking out of a loop, an exception or a task
cancellation simply closes the socket.

Why not httpx-ws's sessions: its async session keeps an anyio task group open across
``yield``; a stream abandoned in an async generator is then closed from the event loop's
finalizer task, which raises "Attempted to exit cancel scope in a different task" and cancels
the caller's task. It also wraps errors in ``ExceptionGroup`` and runs threads per sync
socket. The upgrade through httpx plus wsproto is what it does underneath, without those.
"""

from __future__ import annotations

import base64
import contextlib
import os
import time
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final

import anyio
import httpx

from claude_client._body import aread_within, read_within
from claude_client._config import CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES
from claude_client._error_mapping import (
    WEBSOCKET_METHOD,
    connection_error_from,
    websocket_closed,
    websocket_dropped,
    websocket_lost_refusal,
    websocket_refusal,
    websocket_timeout,
)
from claude_client._exceptions import StreamError
from claude_client._pool import deadline
from claude_client._streaming._direct import direct_pool, open_upgraded

if TYPE_CHECKING:
    from wsproto.events import TextMessage

# wsproto is imported when a socket is first used, not with the package: ``import
# claude_client`` (and the pytest plugin of the double) stays free of the WebSocket stack.

__all__ = ["MAX_MESSAGE_CHARS", "STREAM_PATH", "websocket_url"]

#: The service's WebSocket endpoint; every message type is sent on it (the default path).
STREAM_PATH: Final = "/v1/stream"
#: Bytes asked of the socket per read.
_READ_SIZE: Final = 65_536
#: Largest text message accepted (the service's frames are far smaller): beyond it, the peer
#: is not the service and the stream fails instead of buffering without end.
MAX_MESSAGE_CHARS: Final = 8 * 1024 * 1024
#: Largest body of a refused handshake read, unless the client says otherwise.
_MAX_BYTES: Final = DEFAULT_MAX_RESPONSE_BYTES
#: The WebSocket scheme of each HTTP scheme.
_WS_SCHEMES: Final = {"http": "ws", "https": "wss"}
#: Longest wait for our close frame to be written before the connection is dropped anyway.
_CLOSE_WAIT: Final = 1.0


# httpcore is imported where a failure is classified, not with this module: httpx itself loads
# it only when a transport is made (and it pulls in trio, when installed: ~40 ms of import).
def _network_errors() -> tuple[type[BaseException], ...]:
    """Network failures of an upgraded stream (httpcore's, as httpx leaves them after the
    upgrade)."""
    import httpcore

    return (httpcore.NetworkError, httpcore.ProtocolError, OSError)


def _timeouts() -> type[BaseException]:
    """Timeouts of an upgraded stream."""
    import httpcore

    return httpcore.TimeoutException


def websocket_url(url: httpx.URL) -> str:
    """The ``ws://`` / ``wss://`` form of the handshake's ``http://`` / ``https://`` URL."""
    text = str(url)  # the scheme leads it; swapped as text, a fifth of httpx's copy_with
    scheme = _WS_SCHEMES.get(url.scheme)
    return text if scheme is None else scheme + text[len(url.scheme) :]


# --- the WebSocket protocol (pure, wsproto) ---------------------------------------------------


def _new_key() -> str:
    return base64.b64encode(os.urandom(16)).decode("ascii")


def _handshake_headers(key: str) -> dict[str, str]:
    return {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Key": key,
        "Sec-WebSocket-Version": "13",
    }


def _handshake_timeout(wait: float) -> httpx.Timeout:
    return httpx.Timeout(wait, connect=min(wait, CONNECT_TIMEOUT))


def _accepted(response: httpx.Response, key: str, url: str) -> Any:
    """The upgraded network stream of a ``101`` answer, after checking the handshake."""
    from wsproto.utilities import generate_accept_token

    accept = response.headers.get("sec-websocket-accept", "")
    if accept != generate_accept_token(key.encode("ascii")).decode("ascii"):
        raise StreamError(f"Invalid WebSocket handshake from {url} (Sec-WebSocket-Accept)")
    stream = response.extensions.get("network_stream")
    if stream is None:
        raise StreamError(f"The HTTP transport cannot upgrade to WebSocket ({url})")
    return stream


class _Protocol:
    """Client-side WebSocket framing over an upgraded connection (no I/O)."""

    __slots__ = ("_conn", "_messages", "_outgoing", "_partial", "_partial_chars", "close_code")

    def __init__(self) -> None:
        from wsproto.connection import Connection, ConnectionType

        self._conn = Connection(ConnectionType.CLIENT)
        self._messages: deque[str] = deque()
        self._outgoing = bytearray()
        self._partial: list[str] = []
        self._partial_chars = 0
        self.close_code: int | None = None

    @property
    def closed(self) -> bool:
        """Whether the peer closed (or the connection ended): no more messages will come."""
        return self.close_code is not None

    def text(self, data: str) -> bytes:
        """The bytes of one text message."""
        from wsproto.events import TextMessage

        return self._conn.send(TextMessage(data=data))

    def close(self) -> bytes:
        """The bytes of our close frame (nothing if the connection is already closing)."""
        from wsproto.connection import ConnectionState
        from wsproto.events import CloseConnection

        if self._conn.state in (ConnectionState.OPEN, ConnectionState.REMOTE_CLOSING):
            return self._conn.send(CloseConnection(code=1000))
        return b""

    def receive(self, data: bytes) -> None:
        """Take bytes from the peer (``b""``: the connection ended).

        Raises:
            StreamError: a binary frame, or a text message over ``MAX_MESSAGE_CHARS``.
        """
        from wsproto.connection import ConnectionState
        from wsproto.events import BytesMessage, CloseConnection, Ping, TextMessage

        if self.closed:
            return
        self._conn.receive_data(data or None)
        for event in self._conn.events():
            if isinstance(event, TextMessage):
                self._text(event)
            elif isinstance(event, Ping):
                self._outgoing += self._conn.send(event.response())
            elif isinstance(event, CloseConnection):
                self.close_code = event.code
                if self._conn.state is ConnectionState.REMOTE_CLOSING:
                    self._outgoing += self._conn.send(event.response())
            elif isinstance(event, BytesMessage):
                raise StreamError("The service sent a binary frame; the protocol has none")

    def _text(self, event: TextMessage) -> None:
        self._partial.append(event.data)
        self._partial_chars += len(event.data)
        if self._partial_chars > MAX_MESSAGE_CHARS:
            raise StreamError(f"A stream frame exceeded {MAX_MESSAGE_CHARS} characters")
        if event.message_finished:
            self._messages.append("".join(self._partial))
            self._partial.clear()
            self._partial_chars = 0

    def next_message(self) -> str | None:
        """The next complete text message, if one has arrived."""
        return self._messages.popleft() if self._messages else None

    def outgoing(self) -> bytes:
        """Bytes owed to the peer (pong, close reply), emptied on read."""
        data = bytes(self._outgoing)
        self._outgoing.clear()
        return data


# --- thin sockets ------------------------------------------------------------------------------


class _Socket:
    """What both sockets share: state, the handshake request, the read loop's decisions."""

    __slots__ = ("_closed", "_proto", "_response", "_stream", "url")

    def __init__(self, response: httpx.Response, stream: Any, url: str) -> None:
        self._response = response
        self._stream = stream
        self._proto = _Protocol()
        self._closed = False
        self.url = url

    @staticmethod
    def _handshake(
        http: httpx.Client | httpx.AsyncClient, path: str, wait: float
    ) -> tuple[httpx.Request, str]:
        """The upgrade request for ``path`` (base URL, headers and key of ``http``)."""
        key = _new_key()
        request = http.build_request(
            WEBSOCKET_METHOD,
            path,
            headers=_handshake_headers(key),
            timeout=_handshake_timeout(wait),
        )
        return request, key

    def _waiting(self, deadline: float, wait: float) -> str | float:
        """A message if one is complete, else how long the next read may wait.

        Raises:
            StreamError: the peer closed (or the connection ended) first.
            APITimeoutError: the deadline passed.
        """
        message = self._proto.next_message()
        if message is not None:
            return message
        if self._proto.closed:
            raise websocket_closed(self._proto.close_code, self.url)
        left = deadline - time.monotonic()
        if left <= 0:
            raise websocket_timeout(wait, self.url)
        return left

    @contextlib.contextmanager
    def _io(self, wait: float) -> Iterator[None]:
        """Map the upgraded stream's network failures to typed errors."""
        try:
            yield
        except _timeouts() as exc:
            raise websocket_timeout(wait, self.url) from exc
        except _network_errors() as exc:
            raise websocket_dropped(exc, self.url) from exc


class _SyncSocket(_Socket):
    """A client WebSocket on an upgraded connection of an ``httpx.Client``."""

    __slots__ = ()

    @classmethod
    def connect(
        cls, http: httpx.Client, wait: float, path: str = STREAM_PATH, max_bytes: int = _MAX_BYTES
    ) -> _SyncSocket:
        """Open ``path`` with the client's base URL, headers (the key) and transport; a refusal's
        body is read up to ``max_bytes``.

        Raises:
            APIConnectionError: no connection (``APITimeoutError`` when it timed out).
            APIStatusError: the handshake was refused (e.g. 403, 404).
            StreamError: the answer was not a valid WebSocket handshake.
            ResponseTooLargeError: a refusal's body passes ``max_bytes``.
        """
        request, key = cls._handshake(http, path, wait)
        url = websocket_url(request.url)
        with deadline(wait):  # the handshake's wall-clock deadline, however slow the answer
            try:
                response = http.send(request, stream=True)
            except httpx.TransportError as exc:
                raise connection_error_from(exc, WEBSOCKET_METHOD, url) from exc
            return cls._opened(response, key, url, max_bytes)

    @classmethod
    def _opened(cls, response: httpx.Response, key: str, url: str, max_bytes: int) -> _SyncSocket:
        try:
            if response.status_code != 101:
                try:
                    content = read_within(
                        response, response.iter_bytes(), max_bytes, response.request, url
                    )
                except httpx.RequestError as exc:  # the refusal was cut off or undecodable
                    raise websocket_lost_refusal(response, exc, url) from exc
                raise websocket_refusal(response, content, url)
            return cls(response, _accepted(response, key, url), url)
        except BaseException:
            response.close()
            raise

    def send_text(self, text: str, wait: float) -> None:
        """Send one text message.

        Raises:
            APITimeoutError: not written within ``wait`` seconds.
            StreamError: the connection is lost.
        """
        with self._io(wait):
            self._stream.write(self._proto.text(text), timeout=wait)

    def receive_text(self, wait: float) -> str:
        """The next text message, waiting at most ``wait`` seconds in all.

        Raises:
            APITimeoutError: no complete message within ``wait`` seconds.
            StreamError: the peer closed or the connection was lost first, or a bad frame.
        """
        deadline = time.monotonic() + wait
        while not isinstance(step := self._waiting(deadline, wait), str):
            with self._io(wait):
                self._proto.receive(self._stream.read(_READ_SIZE, timeout=step))
                if reply := self._proto.outgoing():
                    self._stream.write(reply, timeout=step)
        return step

    def close(self) -> None:
        """Send a close frame (briefly, best effort) and close the connection; idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            if data := self._proto.close():
                self._stream.write(data, timeout=_CLOSE_WAIT)
        except (_timeouts(), *_network_errors()):
            pass
        finally:
            with contextlib.suppress(httpx.HTTPError, *_network_errors()):
                self._response.close()


class _AsyncSocket(_Socket):
    """A client WebSocket on an upgraded connection of an ``httpx.AsyncClient``."""

    __slots__ = ()

    @classmethod
    async def connect(
        cls,
        http: httpx.AsyncClient,
        wait: float,
        path: str = STREAM_PATH,
        max_bytes: int = _MAX_BYTES,
    ) -> _AsyncSocket:
        """Open ``path``; see ``_SyncSocket.connect``."""
        request, key = cls._handshake(http, path, wait)
        url = websocket_url(request.url)
        with deadline(wait):  # the handshake's wall-clock deadline, however slow the answer
            try:
                pool = direct_pool(http)
                if pool is None:
                    response = await http.send(request, stream=True)
                else:  # under asyncio, on the client's own pool: straight on a socket
                    connect_wait = min(wait, CONNECT_TIMEOUT)
                    response = await open_upgraded(pool, request, wait, connect_wait)
            except httpx.TransportError as exc:
                raise connection_error_from(exc, WEBSOCKET_METHOD, url) from exc
            return await cls._opened(response, key, url, max_bytes)

    @classmethod
    async def _opened(
        cls, response: httpx.Response, key: str, url: str, max_bytes: int
    ) -> _AsyncSocket:
        try:
            if response.status_code != 101:
                try:
                    content = await aread_within(
                        response, response.aiter_bytes(), max_bytes, response.request, url
                    )
                except httpx.RequestError as exc:  # the refusal was cut off or undecodable
                    raise websocket_lost_refusal(response, exc, url) from exc
                raise websocket_refusal(response, content, url)
            return cls(response, _accepted(response, key, url), url)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await response.aclose()
            raise

    async def send_text(self, text: str, wait: float) -> None:
        """Send one text message; see ``_SyncSocket.send_text``."""
        with self._io(wait):
            await self._stream.write(self._proto.text(text), timeout=wait)

    async def receive_text(self, wait: float) -> str:
        """The next text message within ``wait`` seconds; see ``_SyncSocket.receive_text``."""
        deadline = time.monotonic() + wait
        while not isinstance(step := self._waiting(deadline, wait), str):
            with self._io(wait):
                self._proto.receive(await self._stream.read(_READ_SIZE, timeout=step))
                if reply := self._proto.outgoing():
                    await self._stream.write(reply, timeout=step)
        return step

    async def aclose(self) -> None:
        """Close like ``_SyncSocket.close``, shielded from cancellation; idempotent."""
        if self._closed:
            return
        self._closed = True
        with anyio.CancelScope(shield=True):
            try:
                if data := self._proto.close():
                    await self._stream.write(data, timeout=_CLOSE_WAIT)
            except (_timeouts(), *_network_errors()):
                pass
            finally:
                with contextlib.suppress(httpx.HTTPError, *_network_errors()):
                    await self._response.aclose()
