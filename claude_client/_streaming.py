"""Streaming over the service's WebSocket ``/v1/stream``: pure frame handling, thin sockets.

The protocol (``service-behaviour.md`` section 3, ``openapi.yaml`` ``x-websocket-streams``):
the client sends one JSON text frame ``{"type": "chat", "model", "messages", "project_id"}``;
the service answers with ``token`` frames (slices of the finished text) and one ``done`` frame
(usage, cost, model), or with one ``error`` frame. The socket has no authentication, no model
auto-selection, charges the ``project_id`` named in the frame, and after a malformed frame
stops answering without closing. So the client sends only well-formed chat frames, and bounds
every wait with a timeout.

Layers, top to bottom:

- ``ChatStream`` / ``AsyncChatStream``: one streamed completion, used as a context manager;
  iterating yields ``TokenEvent``s then one ``DoneEvent``; ``get_final_response()`` gives a
  ``StreamedResponse``. An error frame is yielded as an ``ErrorEvent`` and then raised as its
  typed ``ClaudeAPIError``; a malformed frame, a socket closed before ``done`` or a wait longer
  than the timeout raises one at once. Either way the socket is closed.
- ``_Exchange`` (no I/O, shared by both): frames in, events out, the final response.
- ``_SyncSocket`` / ``_AsyncSocket``: a WebSocket over an upgraded connection of the client's
  own ``httpx`` client (same pool, transport, TLS, proxies and headers as the REST calls),
  spoken with ``wsproto`` through ``_Protocol`` (no I/O). No background threads or tasks: each
  read runs in the caller's thread or task with the remaining time as its timeout, so breaking
  out of a loop, an exception or a task cancellation simply closes the socket.

Why not httpx-ws's sessions: its async session keeps an anyio task group open across
``yield``; a stream abandoned in an async generator is then closed from the event loop's
finalizer task, which raises "Attempted to exit cancel scope in a different task" and cancels
the caller's task. It also wraps errors in ``ExceptionGroup`` and runs threads per sync
socket. The upgrade through httpx plus wsproto is what it does underneath, without those.
"""

from __future__ import annotations

import base64
import contextlib
import json
import math
import os
import time
from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Sequence,
)
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, Self, TypeVar

import anyio
import attrs
import httpx
from attrs import validators as v
from claude_code_api import models as g

from claude_client._config import CONNECT_TIMEOUT
from claude_client._exceptions import (
    EXCERPT_CHARS,
    APIStatusError,
    BudgetExceededError,
    ClaudeAPIError,
    ServerError,
    StreamError,
    TaskFailedError,
    ValidationError,
    connection_error_from,
    error_from_response,
)
from claude_client._exceptions import TimeoutError as APITimeoutError
from claude_client._models import (
    Model,
    RouteRecommendation,
    Usage,
    UsageStats,
    _to_float,
    messages_for,
)

if TYPE_CHECKING:
    from wsproto.events import TextMessage

# wsproto is imported when a socket is first used, not with the package: ``import
# claude_client`` (and the pytest plugin of the double) stays free of the WebSocket stack.

__all__ = [
    "STREAM_PATH",
    "AsyncChatStream",
    "ChatStream",
    "DoneEvent",
    "ErrorEvent",
    "ProjectCache",
    "StreamEvent",
    "StreamSpec",
    "StreamedResponse",
    "TokenEvent",
    "aiter_text",
    "build_chat_frame",
    "error_for_frame",
    "iter_text",
    "parse_frame",
    "stream_spec",
    "websocket_url",
]

STREAM_PATH: Final = "/v1/stream"
#: Bytes asked of the socket per read.
_READ_SIZE: Final = 65_536
#: Largest text message accepted (a frame carries a slice of one completion): beyond it, the
#: peer is not the service and the stream fails instead of buffering without end.
MAX_MESSAGE_CHARS: Final = 8 * 1024 * 1024
#: Longest wait for our close frame to be written before the connection is dropped anyway.
_CLOSE_WAIT: Final = 1.0
_METHOD: Final = "GET"
_MODELS: Final = frozenset(name.value for name in g.ModelName)
#: What generated parsing and attrs validators raise on a frame that breaks the contract.
_MALFORMED: Final = (LookupError, TypeError, ValueError, AttributeError)


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


# --- public value types ----------------------------------------------------------------------


@attrs.frozen
class TokenEvent:
    """A slice of the completion text, handed over the moment its frame arrives.

    Slices are cut by character count, so one may end in the middle of a word.

    Attributes:
        text: The slice.
    """

    text: str = attrs.field(validator=v.instance_of(str))


@attrs.frozen
class DoneEvent:
    """The end of a stream: what the completion used and cost.

    Attributes:
        usage: Token counts.
        cost: Cost in USD.
        model: The model that ran (``"haiku"``, ``"sonnet"`` or ``"opus"``).
    """

    usage: Usage = attrs.field(validator=v.instance_of(Usage))
    cost: float = attrs.field(converter=_to_float)
    model: str = attrs.field(validator=v.instance_of(str))


@attrs.frozen
class ErrorEvent:
    """An ``error`` frame, the stream's last event: the next step raises its typed error.

    ``stream_events()`` yields it so an event consumer sees the service's words in order; the
    stream then raises what ``error_for_frame`` makes of it (``BudgetExceededError``...), so a
    loop that ignores it still ends in that exception. ``stream()`` raises at once.

    Attributes:
        message: The service's text, e.g. ``"Budget exceeded for project p"``.
    """

    message: str = attrs.field(validator=v.instance_of(str))


StreamEvent = TokenEvent | DoneEvent | ErrorEvent
"""What iterating a stream yields: ``TokenEvent``s, then one ``DoneEvent`` or ``ErrorEvent``."""


@attrs.frozen
class StreamedResponse:
    """The result of a finished stream: like ``Response``, without an id (the socket sends none).

    Attributes:
        model: The model that ran.
        content: The completion text (all token slices joined).
        usage: Token counts.
        cost: Cost in USD.
        project_id: The project the stream was charged to (the API key's project).
    """

    model: str = attrs.field(validator=v.instance_of(str))
    content: str = attrs.field(validator=v.instance_of(str))
    usage: Usage = attrs.field(validator=v.instance_of(Usage))
    cost: float = attrs.field(converter=_to_float)
    project_id: str = attrs.field(validator=v.instance_of(str))


# --- what the client hands a stream (no I/O) -------------------------------------------------


@attrs.frozen
class StreamSpec:
    """One stream request, checked before any I/O.

    Attributes:
        messages: The messages to send.
        model: The model asked for (``Model.AUTO``: resolved with the route endpoint).
        wait: Longest wait in seconds for the handshake and for each frame.
    """

    messages: tuple[g.Message, ...]
    model: Model
    wait: float

    @property
    def route_prompt(self) -> str:
        """The prompt as the service joins it (``role: content`` paragraphs), for routing."""
        return "\n\n".join(f"{m.role}: {m.content}" for m in self.messages)


def stream_spec(
    prompt: str | Sequence[Any], model: Model | str, timeout: float | None, default_wait: float
) -> StreamSpec:
    """Check a stream call's arguments; ``timeout`` None means ``default_wait``.

    Raises:
        ValueError: unknown model, empty message list, or a timeout that is not positive.
        TypeError: ``prompt`` or ``timeout`` of the wrong type.
    """
    wait = default_wait if timeout is None else timeout
    if isinstance(wait, bool) or not isinstance(wait, int | float):
        raise TypeError(f"timeout must be a number of seconds, got {type(wait).__name__}")
    if not (wait > 0 and math.isfinite(wait)):
        raise ValueError(f"timeout must be a positive number of seconds, got {wait!r}")
    return StreamSpec(
        messages=tuple(messages_for(prompt)), model=Model.parse(model), wait=float(wait)
    )


class ProjectCache:
    """The API key's project, learned once from ``GET /v1/usage`` and shared by client copies.

    The socket charges the project named in the chat frame (``"default"`` when none is named);
    sending the key's own project makes streamed usage count where REST usage does.
    """

    __slots__ = ("project_id",)

    def __init__(self) -> None:
        self.project_id: str | None = None

    def learn(self, usage: UsageStats) -> str:
        """Remember the project of a usage answer and return it."""
        self.project_id = usage.project_id
        return usage.project_id


# --- frames (pure) ---------------------------------------------------------------------------


def build_chat_frame(messages: Sequence[g.Message], model: str, project_id: str) -> str:
    """The one client frame of a request, as JSON text: always a well-formed chat frame.

    The service hangs (answers nothing, closes nothing) after some malformed frames, so this
    refuses anything but a non-empty list of string messages, a real model name and a project.

    Raises:
        ValueError: no messages, a model that is not haiku/sonnet/opus, or an empty project.
        TypeError: a message, its role or content, or the project is not of the right type.
    """
    if not messages:
        raise ValueError("a chat frame needs at least one message")
    for message in messages:
        if not isinstance(message, g.Message):
            raise TypeError(f"expected a claude_code_api Message, got {message!r}")
        if not isinstance(message.role, str) or not isinstance(message.content, str):
            raise TypeError(f"message role and content must be strings, got {message!r}")
    if model not in _MODELS:
        raise ValueError(f"the socket needs a real model (haiku, sonnet or opus), got {model!r}")
    if not isinstance(project_id, str):
        raise TypeError(f"project_id must be a string, got {project_id!r}")
    if not project_id:
        raise ValueError("project_id must not be empty")
    request = g.StreamChatRequest(
        type_="chat",
        messages=[g.Message(role=m.role, content=m.content) for m in messages],
        model=g.ModelName(model),
        project_id=project_id,
    )
    # ensure_ascii: the frame is pure ASCII, so even lone surrogates travel as JSON escapes.
    return json.dumps(request.to_dict(), ensure_ascii=True, separators=(",", ":"))


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "..."


def parse_frame(text: str) -> TokenEvent | DoneEvent | ErrorEvent:
    """The event of one server frame.

    Raises:
        StreamError: the frame is not a JSON object of a known type with well-typed fields.
    """
    try:
        data = json.loads(text)
    except ValueError:
        raise StreamError(f"Malformed stream frame (not JSON): {_excerpt(text)!r}") from None
    kind = data.get("type") if isinstance(data, dict) else None
    try:
        if kind == "token":
            return TokenEvent(text=g.StreamTokenFrame.from_dict(data).content)
        if kind == "done":
            done = g.StreamDoneFrame.from_dict(data)
            u = done.usage
            usage = Usage(
                input_tokens=u.input_tokens,
                output_tokens=u.output_tokens,
                total_tokens=u.total_tokens,
            )
            return DoneEvent(usage=usage, cost=done.cost, model=done.model)
        if kind == "error":
            return ErrorEvent(message=g.StreamErrorFrame.from_dict(data).error)
    except _MALFORMED as exc:
        raise StreamError(
            f"Malformed {kind} frame ({type(exc).__name__}: {exc}): {_excerpt(text)!r}"
        ) from exc
    raise StreamError(f"Unknown stream frame: {_excerpt(text)!r}")


#: Error frame prefixes -> (error class, the HTTP status the REST path uses for the same).
_ERROR_FRAMES: Final[tuple[tuple[str, type[APIStatusError], int], ...]] = (
    ("Budget exceeded", BudgetExceededError, 429),
    ("Invalid model", ValidationError, 422),
    ("No messages provided", ValidationError, 422),
    ("Invalid JSON format", ValidationError, 422),
    ("Unknown message type", ValidationError, 422),
    ("Streaming error:", TaskFailedError, 500),
    ("Server error:", ServerError, 500),
)


def error_for_frame(event: ErrorEvent, url: str) -> APIStatusError:
    """The typed error for an ``error`` frame: the same classes as the HTTP path.

    ``Budget exceeded ...`` -> ``BudgetExceededError``; ``Invalid model ...`` and the other
    rejected-request texts -> ``ValidationError``; ``Streaming error: ...`` (the CLI failed)
    -> ``TaskFailedError``, a ``ServerError``; ``Server error: ...`` and unknown texts ->
    ``ServerError``. ``status_code`` is the status the REST path answers for the same case.
    """
    message = event.message
    cls: type[APIStatusError] = ServerError
    status = 500
    for prefix, frame_cls, frame_status in _ERROR_FRAMES:
        if message.startswith(prefix):
            cls, status = frame_cls, frame_status
            break
    return cls(
        f"{message} (error frame from {url})",
        status_code=status,
        body={"type": "error", "error": message},
        detail=message,
        method=_METHOD,
        url=url,
    )


def websocket_url(url: httpx.URL) -> str:
    """The ``ws://`` / ``wss://`` form of the handshake's ``http://`` / ``https://`` URL."""
    scheme = {"http": "ws", "https": "wss"}.get(url.scheme, url.scheme)
    return str(url.copy_with(scheme=scheme))


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


def _refusal(response: httpx.Response, content: bytes, url: str) -> ClaudeAPIError:
    """The error for a handshake answered with something else than ``101``."""
    status = response.status_code
    if status >= 400:
        return error_from_response(status, content, response.headers, _METHOD, url)
    return StreamError(f"The service answered HTTP {status} instead of a WebSocket ({url})")


def _lost_refusal(response: httpx.Response, exc: httpx.RequestError, url: str) -> ClaudeAPIError:
    """The error for a refused handshake whose body could not be read in full."""
    if isinstance(exc, httpx.DecodingError):  # the status still says what went wrong
        return _refusal(response, b"", url)
    return connection_error_from(exc, _METHOD, url)


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


def _closed_error(code: int | None, url: str) -> StreamError:
    return StreamError(
        f"The WebSocket closed before the stream finished (close code {code}) ({url})"
    )


def _timeout_error(wait: float, url: str) -> APITimeoutError:
    return APITimeoutError(
        f"No stream frame within {wait:g} s ({_METHOD} {url})", method=_METHOD, url=url
    )


def _dropped_error(exc: BaseException, url: str) -> StreamError:
    return StreamError(
        f"The WebSocket connection was lost before the stream finished "
        f"({type(exc).__name__}: {exc}) ({url})"
    )


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
        http: httpx.Client | httpx.AsyncClient, wait: float
    ) -> tuple[httpx.Request, str]:
        """The upgrade request for ``/v1/stream`` (base URL, headers and key of ``http``)."""
        key = _new_key()
        request = http.build_request(
            _METHOD, STREAM_PATH, headers=_handshake_headers(key), timeout=_handshake_timeout(wait)
        )
        return request, key

    def _waiting(self, deadline: float, wait: float) -> str | float:
        """A message if one is complete, else how long the next read may wait.

        Raises:
            StreamError: the peer closed (or the connection ended) first.
            TimeoutError: the deadline passed.
        """
        message = self._proto.next_message()
        if message is not None:
            return message
        if self._proto.closed:
            raise _closed_error(self._proto.close_code, self.url)
        left = deadline - time.monotonic()
        if left <= 0:
            raise _timeout_error(wait, self.url)
        return left

    @contextlib.contextmanager
    def _io(self, wait: float) -> Iterator[None]:
        """Map the upgraded stream's network failures to typed errors."""
        try:
            yield
        except _timeouts() as exc:
            raise _timeout_error(wait, self.url) from exc
        except _network_errors() as exc:
            raise _dropped_error(exc, self.url) from exc


class _SyncSocket(_Socket):
    """A client WebSocket on an upgraded connection of an ``httpx.Client``."""

    __slots__ = ()

    @classmethod
    def connect(cls, http: httpx.Client, wait: float) -> _SyncSocket:
        """Open ``/v1/stream`` with the client's base URL, headers (the key) and transport.

        Raises:
            APIConnectionError: no connection (``TimeoutError`` when it timed out).
            APIStatusError: the handshake was refused (e.g. 403, 404).
            StreamError: the answer was not a valid WebSocket handshake.
        """
        request, key = cls._handshake(http, wait)
        url = websocket_url(request.url)
        try:
            response = http.send(request, stream=True)
        except httpx.TransportError as exc:
            raise connection_error_from(exc, _METHOD, url) from exc
        try:
            if response.status_code != 101:
                try:
                    content = response.read()
                except httpx.RequestError as exc:  # the refusal was cut off or undecodable
                    raise _lost_refusal(response, exc, url) from exc
                raise _refusal(response, content, url)
            return cls(response, _accepted(response, key, url), url)
        except BaseException:
            response.close()
            raise

    def send_text(self, text: str, wait: float) -> None:
        """Send one text message.

        Raises:
            TimeoutError: not written within ``wait`` seconds.
            StreamError: the connection is lost.
        """
        with self._io(wait):
            self._stream.write(self._proto.text(text), timeout=wait)

    def receive_text(self, wait: float) -> str:
        """The next text message, waiting at most ``wait`` seconds in all.

        Raises:
            TimeoutError: no complete message within ``wait`` seconds.
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
    async def connect(cls, http: httpx.AsyncClient, wait: float) -> _AsyncSocket:
        """Open ``/v1/stream``; see ``_SyncSocket.connect``."""
        request, key = cls._handshake(http, wait)
        url = websocket_url(request.url)
        try:
            response = await http.send(request, stream=True)
        except httpx.TransportError as exc:
            raise connection_error_from(exc, _METHOD, url) from exc
        try:
            if response.status_code != 101:
                try:
                    content = await response.aread()
                except httpx.RequestError as exc:  # the refusal was cut off or undecodable
                    raise _lost_refusal(response, exc, url) from exc
                raise _refusal(response, content, url)
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


# --- one request's frames (pure, shared by both stream classes) -------------------------------

_State = Literal["new", "open", "done", "failed", "closed"]


class _Exchange:
    """Frames of one request -> events, then the final response (no I/O)."""

    __slots__ = ("chunks", "done", "error", "model", "project_id", "state", "url")

    def __init__(self) -> None:
        self.state: _State = "new"
        self.url = ""
        self.model: str | None = None
        self.project_id: str | None = None
        self.chunks: list[str] = []
        self.done: DoneEvent | None = None
        self.error: ClaudeAPIError | None = None

    def target(self, model: str, project_id: str) -> None:
        """Record the resolved model and project (known before the socket opens)."""
        self.model = model
        self.project_id = project_id

    def frame(self, spec: StreamSpec) -> str:
        """The chat frame to send."""
        assert self.model is not None and self.project_id is not None
        return build_chat_frame(spec.messages, self.model, self.project_id)

    def opened(self, url: str) -> None:
        """The socket is open and the frame sent."""
        self.url = url
        self.state = "open"

    def check_new(self) -> None:
        """Raise unless the stream is still to be entered (a stream is entered only once)."""
        if self.state != "new":
            raise RuntimeError("A stream can be entered only once")

    def check_readable(self) -> bool:
        """Whether to read a frame; False once ended.

        Raises:
            RuntimeError: the stream was not entered (``with`` / ``async with``).
            ClaudeAPIError: the stream failed earlier (the same error again).
        """
        if self.state == "new":
            raise RuntimeError(
                "Use the stream as a context manager: `with client.stream_events(...) as s:` "
                "(or `async with` for AsyncClaudeClient)"
            )
        if self.state == "failed":
            assert self.error is not None
            raise self.error
        return self.state == "open"

    def feed(self, text: str) -> StreamEvent:
        """The event of one received frame; an error frame fails the stream (the next read
        raises its typed error).

        Raises:
            StreamError: a malformed frame.
        """
        event = parse_frame(text)
        if isinstance(event, ErrorEvent):
            self.fail(error_for_frame(event, self.url))
        elif isinstance(event, TokenEvent):
            self.chunks.append(event.text)
        else:
            self.done = event
            self.state = "done"
        return event

    def fail(self, error: ClaudeAPIError) -> None:
        """The stream ended with ``error``."""
        self.error = error
        self.state = "failed"

    def closed(self) -> None:
        """The socket was closed by the caller (before ``done`` unless already ended)."""
        if self.state in ("new", "open"):
            self.state = "closed"

    def response(self) -> StreamedResponse:
        """The final response.

        Raises:
            ClaudeAPIError: the stream failed (the same error again).
            StreamError: the stream was closed before ``done``.
        """
        if self.state == "failed":
            assert self.error is not None
            raise self.error
        if self.done is None or self.project_id is None:
            raise StreamError("The stream was closed before it finished; there is no response")
        return StreamedResponse(
            model=self.done.model,
            content="".join(self.chunks),
            usage=self.done.usage,
            cost=self.done.cost,
            project_id=self.project_id,
        )


def _resolved_model(spec: StreamSpec, recommendation: RouteRecommendation | None) -> str:
    if recommendation is None:
        return spec.model.value
    return recommendation.recommended_model.value


_Http = TypeVar("_Http", httpx.Client, httpx.AsyncClient)
_RouteAnswer = TypeVar("_RouteAnswer")
_UsageAnswer = TypeVar("_UsageAnswer")
_Sock = TypeVar("_Sock", "_SyncSocket", "_AsyncSocket")


class _StreamBase(Generic[_Http, _RouteAnswer, _UsageAnswer, _Sock]):
    """What both stream classes hold and expose about the request; only their I/O differs."""

    def __init__(
        self,
        http: _Http,
        spec: StreamSpec,
        route: Callable[[str], _RouteAnswer],
        get_usage: Callable[[], _UsageAnswer],
        project: ProjectCache,
    ) -> None:
        self._http: _Http = http
        self._spec = spec
        self._route = route
        self._get_usage = get_usage
        self._project = project
        self._exchange = _Exchange()
        self._socket: _Sock | None = None

    @property
    def model(self) -> str | None:
        """The model asked of the socket (after ``Model.AUTO`` was resolved), once entered."""
        return self._exchange.model

    @property
    def project_id(self) -> str | None:
        """The project the stream is charged to (the API key's), once entered."""
        return self._exchange.project_id

    @property
    def url(self) -> str:
        """The WebSocket URL (``ws://`` or ``wss://``), once connected; else empty."""
        return self._exchange.url

    @property
    def timeout(self) -> float:
        """Longest wait in seconds for the handshake and for each frame."""
        return self._spec.wait

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(model={self.model!r}, state={self._exchange.state!r}, "
            f"url={self.url!r})"
        )


class ChatStream(_StreamBase[httpx.Client, RouteRecommendation, UsageStats, "_SyncSocket"]):
    """One streamed completion over the WebSocket; from ``ClaudeClient.stream_events()``.

    Use it as a context manager; iterate it for events, or ``iter_text()`` for text:

    ```python
    with client.stream_events("Tell me a story") as stream:
        for chunk in stream.iter_text():
            print(chunk, end="", flush=True)
        reply = stream.get_final_response()  # usage, cost, model, content
    ```

    Entering resolves ``Model.AUTO`` with the route endpoint, learns the API key's project
    (once per client, from ``GET /v1/usage``), opens the socket and sends the chat frame.
    Leaving, breaking out early or an exception closes the socket. Not for use by several
    threads at once. Entering and iterating raise:

    Raises:
        BudgetExceededError: the project's budget is spent (an error frame).
        ValidationError: the service rejected the request (e.g. ``Invalid model``).
        TaskFailedError: the CLI failed on the server (``Streaming error: ...``).
        ServerError: the service's handler failed (``Server error: ...``).
        StreamError: a malformed frame, or the socket closed or was lost before ``done``.
        TimeoutError: no frame (or no handshake) within the timeout.
        APIConnectionError: no connection to the service.
        ClaudeAPIError: the route or usage call failed (same errors as the REST methods).
    """

    def __enter__(self) -> Self:
        self._exchange.check_new()
        spec = self._spec
        route = self._route(spec.route_prompt) if spec.model is Model.AUTO else None
        project_id = self._project.project_id or self._project.learn(self._get_usage())
        self._exchange.target(_resolved_model(spec, route), project_id)
        frame = self._exchange.frame(spec)
        self._socket = _SyncSocket.connect(self._http, spec.wait)
        try:
            self._socket.send_text(frame, spec.wait)
        except BaseException:
            self.close()
            raise
        self._exchange.opened(self._socket.url)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> StreamEvent:
        exchange = self._exchange
        if not exchange.check_readable():
            raise StopIteration
        assert self._socket is not None
        try:
            event = exchange.feed(self._socket.receive_text(self._spec.wait))
        except ClaudeAPIError as error:
            exchange.fail(error)
            self.close()
            raise
        except BaseException:
            self.close()
            raise
        if not isinstance(event, TokenEvent):
            self.close()
        return event

    def iter_text(self) -> Iterator[str]:
        """The text slices, each as soon as it arrives (raises as iterating does)."""
        for event in self:
            if isinstance(event, TokenEvent):
                yield event.text

    def get_final_response(self) -> StreamedResponse:
        """Read the stream to its end (if not yet) and return the whole result.

        Raises:
            ClaudeAPIError: as iterating does; ``StreamError`` if it was closed before done.
        """
        for _ in self:
            pass
        return self._exchange.response()

    def get_final_text(self) -> str:
        """The whole completion text; see ``get_final_response``."""
        return self.get_final_response().content

    def close(self) -> None:
        """Close the socket (idempotent); a stream closed before ``done`` has no response."""
        self._exchange.closed()
        if self._socket is not None:
            self._socket.close()


class AsyncChatStream(
    _StreamBase[
        httpx.AsyncClient,
        Awaitable[RouteRecommendation],
        Awaitable[UsageStats],
        "_AsyncSocket",
    ]
):
    """The async twin of ``ChatStream``; from ``AsyncClaudeClient.stream_events()``.

    ```python
    async with client.stream_events("Tell me a story") as stream:
        async for chunk in stream.aiter_text():
            print(chunk, end="", flush=True)
        reply = await stream.get_final_response()
    ```

    Cancelling the task, leaving the block or an exception closes the socket. Not for use by
    several tasks at once. Raises as ``ChatStream`` does.
    """

    async def __aenter__(self) -> Self:
        self._exchange.check_new()
        spec = self._spec
        route = await self._route(spec.route_prompt) if spec.model is Model.AUTO else None
        project_id = self._project.project_id or self._project.learn(await self._get_usage())
        self._exchange.target(_resolved_model(spec, route), project_id)
        frame = self._exchange.frame(spec)
        self._socket = await _AsyncSocket.connect(self._http, spec.wait)
        try:
            await self._socket.send_text(frame, spec.wait)
        except BaseException:
            await self.aclose()
            raise
        self._exchange.opened(self._socket.url)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> StreamEvent:
        exchange = self._exchange
        if not exchange.check_readable():
            raise StopAsyncIteration
        assert self._socket is not None
        try:
            event = exchange.feed(await self._socket.receive_text(self._spec.wait))
        except ClaudeAPIError as error:
            exchange.fail(error)
            await self.aclose()
            raise
        except BaseException:
            await self.aclose()
            raise
        if not isinstance(event, TokenEvent):
            await self.aclose()
        return event

    async def aiter_text(self) -> AsyncIterator[str]:
        """The text slices, each as soon as it arrives (raises as iterating does)."""
        async for event in self:
            if isinstance(event, TokenEvent):
                yield event.text

    async def get_final_response(self) -> StreamedResponse:
        """Read the stream to its end (if not yet) and return the whole result.

        Raises:
            ClaudeAPIError: as iterating does; ``StreamError`` if it was closed before done.
        """
        async for _ in self:
            pass
        return self._exchange.response()

    async def get_final_text(self) -> str:
        """The whole completion text; see ``get_final_response``."""
        return (await self.get_final_response()).content

    async def aclose(self) -> None:
        """Close the socket (idempotent, shielded from cancellation)."""
        self._exchange.closed()
        if self._socket is not None:
            await self._socket.aclose()


def iter_text(stream: ChatStream) -> Generator[str, None, None]:
    """Enter ``stream`` and yield its text slices; closing the generator closes the socket."""
    with stream:
        for event in stream:
            if isinstance(event, TokenEvent):
                yield event.text


async def aiter_text(stream: AsyncChatStream) -> AsyncGenerator[str, None]:
    """Enter ``stream`` and yield its text slices; closing the generator closes the socket."""
    async with stream:
        async for event in stream:
            if isinstance(event, TokenEvent):
                yield event.text
