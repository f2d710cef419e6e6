"""The public stream classes: one streamed completion, entered as a context manager.

Iterating yields ``TokenEvent``s then one ``DoneEvent``; ``get_final_response()`` gives a
``StreamedResponse``. An error frame is yielded as an ``ErrorEvent`` and then raised as its
typed ``ClaudeAPIError``; a malformed frame, a socket closed before ``done`` or a wait longer
than the timeout raises one at once. Either way the socket is closed. The frames are the
chat module's (``_Exchange``), the I/O the socket's; these classes only join the two.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Generic, Self, TypeVar

import httpx

from claude_client._exceptions import ClaudeAPIError
from claude_client._models import Model, RouteRecommendation, UsageStats
from claude_client._streaming._chat import ProjectCache, StreamSpec, _Exchange, _resolved_model
from claude_client._streaming._events import StreamedResponse, StreamEvent, TokenEvent
from claude_client._streaming._task import TaskSpec
from claude_client._streaming._websocket import _AsyncSocket, _SyncSocket

__all__ = ["AsyncChatStream", "ChatStream", "aiter_text", "iter_text"]


_Http = TypeVar("_Http", httpx.Client, httpx.AsyncClient)
_RouteAnswer = TypeVar("_RouteAnswer")
_UsageAnswer = TypeVar("_UsageAnswer")


class SocketStream:
    """What every stream over the socket tells of its connection (chat and task streams)."""

    _exchange: _Exchange

    @property
    def url(self) -> str:
        """The WebSocket URL (``ws://`` or ``wss://``), once connected; else empty."""
        return self._exchange.url

    _spec: StreamSpec | TaskSpec

    @property
    def timeout(self) -> float:
        """Longest wait in seconds for the handshake and for each frame."""
        return self._spec.wait


class SyncSocketStream(SocketStream):
    """A sync stream's socket: its first frame sent, closed on every exit."""

    _socket: _SyncSocket | None = None

    def _start(self, socket: _SyncSocket, frame: str) -> None:
        """Send ``frame`` on the new ``socket``; any failure closes it."""
        self._socket = socket
        try:
            socket.send_text(frame, self._spec.wait)
        except BaseException:
            self.close()
            raise
        self._exchange.opened(socket.url)

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the socket (idempotent); a stream closed before its end has no result."""
        self._exchange.closed()
        if self._socket is not None:
            self._socket.close()


class AsyncSocketStream(SocketStream):
    """The async twin of ``SyncSocketStream``."""

    _socket: _AsyncSocket | None = None

    async def _start(self, socket: _AsyncSocket, frame: str) -> None:
        """Send ``frame`` on the new ``socket``; any failure closes it."""
        self._socket = socket
        try:
            await socket.send_text(frame, self._spec.wait)
        except BaseException:
            await self.aclose()
            raise
        self._exchange.opened(socket.url)

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the socket (idempotent, shielded from cancellation)."""
        self._exchange.closed()
        if self._socket is not None:
            await self._socket.aclose()


class _StreamBase(SocketStream, Generic[_Http, _RouteAnswer, _UsageAnswer]):
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
        self._spec: StreamSpec = spec
        self._route = route
        self._get_usage = get_usage
        self._project = project
        self._exchange = _Exchange()

    @property
    def model(self) -> str | None:
        """The model asked of the socket (after ``Model.AUTO`` was resolved), once entered."""
        return self._exchange.model

    @property
    def project_id(self) -> str | None:
        """The project the stream is charged to (the API key's), once entered."""
        return self._exchange.project_id

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(model={self.model!r}, state={self._exchange.state!r}, "
            f"url={self.url!r})"
        )


class ChatStream(_StreamBase[httpx.Client, RouteRecommendation, UsageStats], SyncSocketStream):
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
        APITimeoutError: no frame (or no handshake) within the timeout.
        APIConnectionError: no connection to the service.
        ClaudeAPIError: the route or usage call failed (same errors as the REST methods).
    """

    def __enter__(self) -> Self:
        self._exchange.check_new()
        spec = self._spec
        with self._exchange.observed.entering(spec.model.value):
            route = self._route(spec.route_prompt) if spec.model is Model.AUTO else None
            project_id = self._project.project_id or self._project.learn(self._get_usage())
            self._exchange.target(_resolved_model(spec, route), project_id)
            frame = self._exchange.frame(spec)
            socket = _SyncSocket.connect(self._http, spec.wait, max_bytes=spec.max_bytes)
            self._start(socket, frame)
        return self

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


class AsyncChatStream(
    _StreamBase[httpx.AsyncClient, Awaitable[RouteRecommendation], Awaitable[UsageStats]],
    AsyncSocketStream,
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
        with self._exchange.observed.entering(spec.model.value):
            route = await self._route(spec.route_prompt) if spec.model is Model.AUTO else None
            project_id = self._project.project_id or self._project.learn(await self._get_usage())
            self._exchange.target(_resolved_model(spec, route), project_id)
            frame = self._exchange.frame(spec)
            socket = await _AsyncSocket.connect(self._http, spec.wait, max_bytes=spec.max_bytes)
            await self._start(socket, frame)
        return self

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


def iter_text(stream: ChatStream) -> Generator[str, None, None]:
    """Enter ``stream`` and yield its text slices, keeping none; closing the generator closes
    the socket."""
    stream._exchange.keep_text = False
    with stream:
        for event in stream:
            if isinstance(event, TokenEvent):
                yield event.text


async def aiter_text(stream: AsyncChatStream) -> AsyncGenerator[str, None]:
    """Enter ``stream`` and yield its text slices, keeping none; closing the generator closes
    the socket."""
    stream._exchange.keep_text = False
    async with stream:
        async for event in stream:
            if isinstance(event, TokenEvent):
                yield event.text
