"""The thin sockets against the double over a real WebSocket, with hand-written frames.

The client itself only ever sends well-formed chat frames; here raw frames reach the error
paths that well-formed ones cannot (``Invalid JSON format``, ``Server error`` and the service's
silence after it), and show each wait is bounded by the timeout.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from wsproto.utilities import generate_accept_token

from claude_client import (
    APIConnectionError,
    BudgetExceededError,
    ClaudeAPIError,
    PermissionDeniedError,
    ServerError,
    StreamError,
    TimeoutError,
    ValidationError,
)
from claude_client._retry_transport import AsyncRetryTransport, RetryTransport
from claude_client._streaming import (
    DoneEvent,
    StreamEvent,
    TokenEvent,
    build_chat_frame,
)
from claude_client._streaming._chat import _Exchange
from claude_client._streaming._websocket import _AsyncSocket, _SyncSocket
from claude_client.testing import ServiceDouble

WAIT = 5.0


def chat(project: str = "p", model: str = "haiku", prompt: str = "list three colors") -> str:
    from claude_code_api import models as g

    return build_chat_frame([g.Message(role="user", content=prompt)], model, project)


@pytest.fixture
def http(claude_double: ServiceDouble) -> Iterator[httpx.Client]:
    transport = RetryTransport(httpx.HTTPTransport())
    with httpx.Client(base_url=claude_double.base_url, transport=transport) as client:
        yield client


def exchange_for(socket: _SyncSocket | _AsyncSocket) -> _Exchange:
    exchange = _Exchange()
    exchange.target("haiku", "p")
    exchange.opened(socket.url)
    return exchange


def raise_for(socket: _SyncSocket | _AsyncSocket, text: str) -> None:
    """Feed one received frame to a fresh exchange and read on: an error frame raises here."""
    exchange = exchange_for(socket)
    exchange.feed(text)
    exchange.check_readable()


def read_all(socket: _SyncSocket) -> list[StreamEvent]:
    exchange = exchange_for(socket)
    events = []
    while exchange.check_readable():
        events.append(exchange.feed(socket.receive_text(WAIT)))
    return events


@pytest.mark.parametrize(
    ("frame", "cls", "text"),
    [
        ("not json", ValidationError, "Invalid JSON format"),
        ('{"type":"ping"}', ValidationError, "Unknown message type: ping"),
        ('{"model":"haiku"}', ValidationError, "Unknown message type: None"),
        ('{"type":"chat","model":"haiku","messages":[]}', ValidationError, "No messages"),
        (
            '{"type":"chat","model":"gpt-4","messages":[{"role":"user","content":"x"}]}',
            ValidationError,
            "Invalid model: gpt-4",
        ),
        (
            '{"type":"chat","model":"haiku","messages":[{"role":"user","content":"[[fail]]"}]}',
            ServerError,  # a TaskFailedError: "Streaming error: Claude CLI exited with code 1"
            "Streaming error: Claude CLI exited",
        ),
        (
            '{"type":"chat","model":"haiku","messages":[{"role":"user","content":"[[bad-json]]"}]}',
            ServerError,
            "Streaming error: Failed to parse",
        ),
    ],
)
def test_error_frames_are_typed_errors_and_the_socket_stays_usable(
    http: httpx.Client, frame: str, cls: type[ClaudeAPIError], text: str
) -> None:
    socket = _SyncSocket.connect(http, WAIT)
    try:
        socket.send_text(frame, WAIT)
        with pytest.raises(cls, match=text):
            raise_for(socket, socket.receive_text(WAIT))
        # the service keeps serving after these errors
        socket.send_text(chat(), WAIT)
        assert isinstance(read_all(socket)[-1], DoneEvent)
    finally:
        socket.close()


def test_a_budget_error_frame_names_the_project(claude_double: ServiceDouble) -> None:
    with httpx.Client(base_url=claude_double.base_url) as http:
        socket = _SyncSocket.connect(http, WAIT)
        try:
            socket.send_text(chat(project=claude_double.exhausted_project_id), WAIT)
            with pytest.raises(BudgetExceededError, match=claude_double.exhausted_project_id):
                raise_for(socket, socket.receive_text(WAIT))
        finally:
            socket.close()


@pytest.mark.parametrize("frame", ["[1]", '{"type":"chat","messages":"hi"}'])
def test_after_a_server_error_frame_the_silence_ends_in_a_timeout_not_a_hang(
    claude_double: ServiceDouble, http: httpx.Client, frame: str
) -> None:
    socket = _SyncSocket.connect(http, WAIT)
    try:
        socket.send_text(frame, WAIT)
        with pytest.raises(ServerError, match="Server error"):
            raise_for(socket, socket.receive_text(WAIT))
        socket.send_text(chat(), WAIT)  # the service no longer answers, and never closes
        started = time.monotonic()
        with pytest.raises(TimeoutError, match=r"No stream frame within 0\.3 s") as caught:
            socket.receive_text(0.3)
        assert time.monotonic() - started < WAIT
        assert isinstance(caught.value, APIConnectionError)
    finally:
        socket.close()
    # our close is seen by the double: the abandoned socket is not left open on the server
    assert claude_double.stats.wait_until(lambda s: s.ws_open == 0)


def test_a_cut_stream_is_a_stream_error_after_the_tokens_sent(
    claude_double: ServiceDouble, http: httpx.Client
) -> None:
    for abrupt, code in ((False, "1011"), (True, "1006")):
        claude_double.faults.ws_close_after(3, abrupt=abrupt)
        socket = _SyncSocket.connect(http, WAIT)
        exchange = exchange_for(socket)
        try:
            socket.send_text(chat(), WAIT)
            for _ in range(3):
                assert isinstance(exchange.feed(socket.receive_text(WAIT)), TokenEvent)
            with pytest.raises(StreamError, match=f"close code {code}"):
                socket.receive_text(WAIT)
        finally:
            socket.close()


def test_a_refused_handshake_is_the_http_paths_error(
    claude_double: ServiceDouble, http: httpx.Client
) -> None:
    claude_double.faults.ws_reject()
    with pytest.raises(PermissionDeniedError) as caught:
        _SyncSocket.connect(http, WAIT)
    assert caught.value.status_code == 403
    assert caught.value.url.startswith("ws://")


def test_no_server_is_a_connection_error() -> None:
    with (
        httpx.Client(base_url="http://127.0.0.1:9") as http,
        pytest.raises(APIConnectionError) as caught,
    ):
        _SyncSocket.connect(http, WAIT)
    assert caught.value.url == "ws://127.0.0.1:9/v1/stream"


def _accept(request: httpx.Request) -> str:
    return generate_accept_token(request.headers["sec-websocket-key"].encode()).decode()


@pytest.mark.parametrize(
    ("answer", "text"),
    [
        (lambda r: httpx.Response(200, json={"status": "ok"}), "HTTP 200 instead of a WebSocket"),
        (
            lambda r: httpx.Response(101, headers={"sec-websocket-accept": "wrong"}),
            "Sec-WebSocket-Accept",
        ),
        (  # a valid handshake from a transport that has no network stream to hand over
            lambda r: httpx.Response(101, headers={"sec-websocket-accept": _accept(r)}),
            "cannot upgrade",
        ),
    ],
)
def test_an_answer_that_is_no_websocket_is_a_stream_error(
    answer: Callable[[httpx.Request], httpx.Response], text: str
) -> None:
    with (
        httpx.Client(base_url="http://x", transport=httpx.MockTransport(answer)) as http,
        pytest.raises(StreamError, match=text),
    ):
        _SyncSocket.connect(http, WAIT)


async def test_async_socket_errors_and_bounded_silence(claude_double: ServiceDouble) -> None:
    transport = AsyncRetryTransport(httpx.AsyncHTTPTransport())
    async with httpx.AsyncClient(base_url=claude_double.base_url, transport=transport) as http:
        socket = await _AsyncSocket.connect(http, WAIT)
        try:
            await socket.send_text('{"type":"chat","model":"opus","messages":[]}', WAIT)
            with pytest.raises(ValidationError, match="No messages provided"):
                raise_for(socket, await socket.receive_text(WAIT))
            await socket.send_text(json.dumps([1]), WAIT)
            with pytest.raises(ServerError, match="Server error"):
                raise_for(socket, await socket.receive_text(WAIT))
            with pytest.raises(TimeoutError):
                await socket.receive_text(0.2)
        finally:
            await socket.aclose()
    assert claude_double.stats.wait_until(lambda s: s.ws_open == 0)
