"""The public task streams: one agentic task over the WebSocket, entered as a context manager.

Iterating yields ``ThinkingEvent``s then one ``TaskDoneEvent`` (or an ``ErrorEvent``);
``get_final_result()`` gives the ``TaskResult``. As with ``ChatStream``: an error frame, or a
task that did not complete, is yielded and then raised as its typed error; a malformed frame,
a socket closed early or a wait longer than the timeout raises at once; every exit closes the
socket. The frames are ``_task``'s, the socket ``_websocket``'s (the same as chat's).
"""

from __future__ import annotations

import collections
from typing import Generic, Self, TypeVar

import httpx

from claude_client._exceptions import ClaudeAPIError
from claude_client._gen2_models import TaskResult
from claude_client._streaming._events import TaskEvent
from claude_client._streaming._streams import AsyncSocketStream, SocketStream, SyncSocketStream
from claude_client._streaming._task import TaskSpec, _TaskExchange, build_task_frame
from claude_client._streaming._websocket import _AsyncSocket, _SyncSocket

__all__ = ["AsyncTaskStream", "TaskStream"]

_Http = TypeVar("_Http", httpx.Client, httpx.AsyncClient)


class _TaskStreamBase(SocketStream, Generic[_Http]):
    """What both task stream classes hold; only their I/O differs."""

    def __init__(self, http: _Http, spec: TaskSpec, api_key: str) -> None:
        self._http: _Http = http
        self._spec: TaskSpec = spec
        self._frame = build_task_frame(spec.args, api_key)
        self._exchange: _TaskExchange = _TaskExchange()

    def _ended_by(self, exc: BaseException) -> None:
        """A read failed: a typed error fails the stream (later reads raise it again)."""
        if isinstance(exc, ClaudeAPIError):
            self._exchange.fail(exc)
        else:
            self._exchange.closed()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(state={self._exchange.state!r}, url={self.url!r})"


class TaskStream(_TaskStreamBase[httpx.Client], SyncSocketStream):
    """One agentic task over the WebSocket; from ``ClaudeClient.stream_task()``.

    ```python
    with client.stream_task("summarize the repository") as stream:
        for event in stream:
            print(event)
        result = stream.get_final_result()
    ```

    Raises (entering and iterating):
        TaskError: the task ended ``failed``, ``timeout`` or ``cost_exceeded`` (with
            ``.result``); a budget refusal is a ``TaskBudgetExceededError``.
        PermissionDeniedError: the key has no permission profile, or asked for more than it.
        TaskFailedError: the task failed on the server (``Task execution error: ...``).
        UnsupportedByServiceError: the service is older than generation 2.
        ServerError, StreamError, APITimeoutError, APIConnectionError: as ``ChatStream``.
    """

    def __enter__(self) -> Self:
        self._exchange.check_new()
        self._start(_SyncSocket.connect(self._http, self._spec.wait), self._frame)
        return self

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> TaskEvent:
        if not self._exchange.check_readable():
            raise StopIteration
        assert self._socket is not None
        try:
            event = self._exchange.feed(self._socket.receive_text(self._spec.wait))
        except BaseException as exc:
            self._ended_by(exc)
            raise
        finally:
            if self._exchange.state != "open":  # the last event, or a failure
                self.close()
        return event

    def get_final_result(self) -> TaskResult:
        """The task's result, reading up to its ``result`` frame first if need be.

        Raises:
            TaskError: the task did not complete; else as iterating raises (``StreamError``
                when the stream was closed before its result).
        """
        collections.deque(self, maxlen=0)
        return self._exchange.final()


class AsyncTaskStream(_TaskStreamBase[httpx.AsyncClient], AsyncSocketStream):
    """The async twin of ``TaskStream``; from ``AsyncClaudeClient.stream_task()``.

    ```python
    async with client.stream_task("summarize the repository") as stream:
        async for event in stream:
            print(event)
        result = await stream.get_final_result()
    ```

    Cancelling the task, leaving the block or an exception closes the socket. Raises as
    ``TaskStream`` does.
    """

    async def __aenter__(self) -> Self:
        self._exchange.check_new()
        await self._start(await _AsyncSocket.connect(self._http, self._spec.wait), self._frame)
        return self

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> TaskEvent:
        if not self._exchange.check_readable():
            raise StopAsyncIteration
        assert self._socket is not None
        try:
            event = self._exchange.feed(await self._socket.receive_text(self._spec.wait))
        except BaseException as exc:
            self._ended_by(exc)
            raise
        finally:
            if self._exchange.state != "open":  # the last event, or a failure
                await self.aclose()
        return event

    async def get_final_result(self) -> TaskResult:
        """The task's result, reading up to its ``result`` frame first if need be; see
        ``TaskStream.get_final_result``."""
        async for _ in self:
            pass
        return self._exchange.final()
