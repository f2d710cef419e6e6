"""Fuzzing: arbitrary answers (status, headers, body, or a network failure, one per attempt)
through ``httpx.MockTransport`` to every public method of both clients, and arbitrary frames
and bytes through the streaming parser. Nothing escapes but the library's errors
(``ClaudeAPIError`` subclasses); a successful call returns its documented type.

Retry waits go to a clock that only records them, so a generated ``Retry-After: 600`` costs
nothing. The clients are built once per module and fed each example's answers in turn.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import attrs
import httpx
import pytest
from claude_code_api.api.batch import process_batch
from claude_code_api.api.chat import create_chat_completion
from claude_code_api.api.routing import recommend_model
from claude_code_api.api.service import get_health, get_service_info
from claude_code_api.api.usage import get_usage
from claude_code_api.models import (
    BatchPrompt,
    BatchRequest,
    ChatCompletionRequest,
    Message,
    Period,
    RouteRequest,
)
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from claude_client import (
    AsyncClaudeClient,
    BatchResponse,
    BatchRunResult,
    ClaudeAPIError,
    ClaudeClient,
    HealthStatus,
    Response,
    RouteRecommendation,
    StreamError,
    UsageStats,
    _clock,
)
from claude_client._streaming import (
    DoneEvent,
    ErrorEvent,
    TokenEvent,
    parse_frame,
)
from claude_client._streaming._chat import _Exchange
from claude_client._streaming._websocket import _Protocol
from tests.unit.conftest import (
    BATCH_BODY,
    CHAT_BODY,
    HEALTH_BODY,
    KEY,
    ROUTE_BODY,
    USAGE_BODY,
    FakeClock,
)

EXAMPLES = 100
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
    phases=[Phase.explicit, Phase.generate] if os.environ.get("FUZZ_NO_SHRINK") else list(Phase),
)

# --- answers --------------------------------------------------------------------------------------

NETWORK_FAILURES = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.PoolTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.CloseError,
    httpx.RemoteProtocolError,
    httpx.LocalProtocolError,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
)


class _CutStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that breaks off half-way with a network failure."""

    def __init__(self, body: bytes, failure: type[httpx.TransportError]) -> None:
        self.body = body
        self.failure = failure

    def __iter__(self) -> Iterator[bytes]:
        yield self.body[: len(self.body) // 2]
        raise self.failure("connection lost mid-body")

    async def __aiter__(self) -> Any:
        yield self.body[: len(self.body) // 2]
        raise self.failure("connection lost mid-body")


@attrs.frozen
class Answer:
    """One attempt's answer: an HTTP response (maybe cut mid-body) or a network failure."""

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    failure: type[httpx.TransportError] | None = None
    cut: bool = False

    def respond(self, request: httpx.Request) -> httpx.Response:
        if self.failure is not None and not self.cut:
            raise self.failure("generated failure", request=request)
        stream: httpx.SyncByteStream
        if self.cut:
            stream = _CutStream(self.body, self.failure or httpx.RemoteProtocolError)
        else:  # as from the network: the body is decoded when read, not when the answer is made
            stream = httpx.ByteStream(self.body)
        return httpx.Response(self.status, headers=list(self.headers), stream=stream)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _mutate(base: dict[str, Any], drop: set[str], replace: dict[str, Any]) -> bytes:
    body = {k: v for k, v in base.items() if k not in drop}
    body.update(replace)
    return json.dumps(body).encode()


def near(base: dict[str, Any]) -> st.SearchStrategy[bytes]:
    """A valid body with fields dropped or replaced by any JSON value."""
    keys = st.sampled_from(sorted(base))
    return st.builds(
        _mutate,
        st.just(base),
        st.sets(keys, max_size=2),
        st.dictionaries(keys, json_values, max_size=2),
    )


HEADER_VALUES = st.sampled_from(
    [
        "application/json",
        "text/html",
        "gzip",
        "br",
        "deflate",
        "0.01",
        "-5",
        "600",
        "nan",
        "inf",
        "1e309",
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "not a date",
        "0",
    ]
) | st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
HEADER_NAMES = st.sampled_from(
    ["content-type", "retry-after", "date", "content-encoding", "content-length", "x-request-id"]
) | st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,12}", fullmatch=True)
STATUSES = st.sampled_from([200, 200, 201, 204, 400, 401, 403, 404, 422, 429, 500, 502, 503])
STATUSES |= st.integers(100, 599)


def answers(valid: dict[str, Any]) -> st.SearchStrategy[Answer]:
    """Answers to a request whose valid body is ``valid``."""
    bodies = (
        near(valid) | st.binary(max_size=64) | json_values.map(lambda v: json.dumps(v).encode())
    )
    bodies |= st.sampled_from([json.dumps(valid).encode(), b"", b"<html>502</html>"])
    responses = st.builds(
        Answer,
        status=STATUSES,
        headers=st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=3).map(tuple),
        body=bodies,
    )
    cut = st.builds(
        Answer,
        status=STATUSES,
        body=bodies,
        failure=st.sampled_from(NETWORK_FAILURES),
        cut=st.just(True),
    )
    failures = st.builds(Answer, failure=st.sampled_from(NETWORK_FAILURES))
    return st.one_of(responses, responses, cut, failures)


class Script:
    """The answers of the current example, one per request, the last one repeated."""

    def __init__(self) -> None:
        self.answers: list[Answer] = [Answer()]
        self.served = 0
        self.last = Answer()

    def load(self, answers: list[Answer]) -> None:
        self.answers = answers
        self.served = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.last = self.answers[min(self.served, len(self.answers) - 1)]
        self.served += 1
        return self.last.respond(request)


# --- the clients, once per module -----------------------------------------------------------------


@attrs.define
class Rig:
    script: Script
    sync: ClaudeClient
    aio: AsyncClaudeClient
    runner: asyncio.Runner


@pytest.fixture(scope="module")
def rig() -> Iterator[Rig]:
    script = Script()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_clock, "SYSTEM_CLOCK", FakeClock())
        transport = httpx.MockTransport(script)
        sync = ClaudeClient(
            "http://service.test", KEY, http_client=httpx.Client(transport=transport)
        )
        aio = AsyncClaudeClient(
            "http://service.test", KEY, http_client=httpx.AsyncClient(transport=transport)
        )
        with asyncio.Runner() as runner:
            yield Rig(script, sync, aio, runner)
            sync.close()
            runner.run(aio.aclose())


# --- every method ---------------------------------------------------------------------------------


def _chat() -> ChatCompletionRequest:
    return ChatCompletionRequest(messages=[Message(role="user", content="hi")])


@attrs.frozen
class Method:
    name: str
    valid: dict[str, Any]
    call: Callable[[Any], Any]  # the client -> result, or awaitable result
    result: type | tuple[type, ...]
    low_level: bool = False


def _ll(op: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """The generated operation run directly on ``client.low_level``."""

    def call(client: Any) -> Any:
        if isinstance(client, AsyncClaudeClient):
            return op.asyncio_detailed(client=client.low_level, **kwargs)
        return op.sync_detailed(client=client.low_level, **kwargs)

    return call


def _call(op: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """The generated operation run through ``client.call()``."""

    def call(client: Any) -> Any:
        if isinstance(client, AsyncClaudeClient):
            return client.call(op.asyncio_detailed, **kwargs)
        return client.call(op.sync_detailed, **kwargs)

    return call


def _stream(client: Any) -> Any:
    if isinstance(client, AsyncClaudeClient):

        async def drain() -> str:
            return "".join([c async for c in client.stream("hi", model="haiku")])

        return drain()
    return "".join(client.stream("hi", model="haiku"))


BATCH_REQUEST = BatchRequest(prompts=[BatchPrompt(id="0", prompt="first q")])
METHODS = (
    Method("complete", CHAT_BODY, lambda c: c.complete("hi"), Response),
    Method(
        "complete messages",
        CHAT_BODY,
        lambda c: c.complete([{"role": "user", "content": "hi"}], model="opus", max_tokens=5),
        Response,
    ),
    Method("batch", BATCH_BODY, lambda c: c.batch(["a", ("b", "c")]), BatchResponse),
    Method("run_batch", BATCH_BODY, lambda c: c.run_batch(["a", "b"]), BatchRunResult),
    Method("get_usage", USAGE_BODY, lambda c: c.get_usage("day"), UsageStats),
    Method("route", ROUTE_BODY, lambda c: c.route("hi", 10), RouteRecommendation),
    Method("health", HEALTH_BODY, lambda c: c.health(), HealthStatus),
    Method("stream", USAGE_BODY, _stream, str),
    Method("low_level chat", CHAT_BODY, _ll(create_chat_completion, body=_chat()), object, True),
    Method("low_level batch", BATCH_BODY, _ll(process_batch, body=BATCH_REQUEST), object, True),
    Method("low_level usage", USAGE_BODY, _ll(get_usage, period=Period.WEEK), object, True),
    Method(
        "low_level route", ROUTE_BODY, _ll(recommend_model, body=RouteRequest("x")), object, True
    ),
    Method("low_level health", HEALTH_BODY, _ll(get_health), object, True),
    Method("low_level info", HEALTH_BODY, _ll(get_service_info), object, True),
    Method("call chat", CHAT_BODY, _call(create_chat_completion, body=_chat()), object),
    Method("call batch", BATCH_BODY, _call(process_batch, body=BATCH_REQUEST), object),
    Method("call usage", USAGE_BODY, _call(get_usage, period=Period.WEEK), object),
    Method("call route", ROUTE_BODY, _call(recommend_model, body=RouteRequest("x")), object),
    Method("call health", HEALTH_BODY, _call(get_health), object),
    Method("call info", HEALTH_BODY, _call(get_service_info), object),
)

#: ``low_level`` is the raw generated client: a generated operation parses a 2xx body itself,
#: after the client's transport, and raises the parser's own error on a body outside the
#: contract. ``client.call(operation)`` types it (the "call ..." methods above).
GENERATED_PARSER_ERRORS = (ValueError, LookupError, TypeError, AttributeError, httpx.DecodingError)


def _raw_low_level(method: Method, last: Answer, error: Exception) -> bool:
    parsed = method.low_level and last.failure is None and last.status < 300
    return parsed and isinstance(error, GENERATED_PARSER_ERRORS)


def _check(method: Method, script: Script, outcome: Callable[[], Any]) -> None:
    try:
        result = outcome()
    except ClaudeAPIError:
        return
    except Exception as error:
        if _raw_low_level(method, script.last, error):
            return
        raise
    assert isinstance(result, method.result), result


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_sync_methods_raise_only_library_errors(rig: Rig, method: Method) -> None:
    @FUZZ
    @given(st.lists(answers(method.valid), min_size=1, max_size=4))
    def run(script: list[Answer]) -> None:
        rig.script.load(script)
        _check(method, rig.script, lambda: method.call(rig.sync))

    run()


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_async_methods_raise_only_library_errors(rig: Rig, method: Method) -> None:
    async def call() -> Any:
        result = method.call(rig.aio)
        return await result if isinstance(result, Awaitable) else result

    @FUZZ
    @given(st.lists(answers(method.valid), min_size=1, max_size=4))
    def run(script: list[Answer]) -> None:
        rig.script.load(script)
        _check(method, rig.script, lambda: rig.runner.run(call()))

    run()


# --- streaming frames -----------------------------------------------------------------------------

FRAME_FIELDS = {
    "type": st.sampled_from(["token", "done", "error", "chat", "", "TOKEN"]) | json_values,
    "content": st.text(max_size=10) | json_values,
    "usage": st.fixed_dictionaries(
        {"input_tokens": json_values, "output_tokens": st.integers(), "total_tokens": json_values}
    )
    | json_values,
    "cost": st.floats() | json_values,
    "model": st.sampled_from(["haiku", "sonnet"]) | json_values,
    "error": st.text(max_size=30) | json_values,
}
frames = st.one_of(
    st.text(max_size=60),
    st.fixed_dictionaries({}, optional=FRAME_FIELDS).map(json.dumps),
    json_values.map(json.dumps),
)


@FUZZ
@given(st.lists(frames, min_size=1, max_size=6))
def test_any_frame_is_an_event_or_a_stream_error(texts: list[str]) -> None:
    exchange = _Exchange()
    exchange.opened("ws://service.test/v1/stream")
    for text in texts:
        try:
            event = parse_frame(text)
        except StreamError:
            continue
        assert isinstance(event, TokenEvent | DoneEvent | ErrorEvent)
    for text in texts:
        if exchange.state != "open":
            break
        try:
            event = exchange.feed(text)
        except ClaudeAPIError as error:  # a malformed frame
            exchange.fail(error)
            continue
        assert isinstance(event, TokenEvent | DoneEvent | ErrorEvent)
        if isinstance(event, ErrorEvent):  # reading on raises its typed error
            with pytest.raises(ClaudeAPIError):
                exchange.check_readable()


def _server_frames(ops: list[tuple[str, Any]]) -> bytes:
    from wsproto.frame_protocol import FrameProtocol

    server = FrameProtocol(client=False, extensions=[])
    wire = bytearray()
    for op, value in ops:
        if op == "raw":
            wire += value
            continue
        try:
            if op == "text":
                wire += server.send_data(value[0], fin=value[1])
            elif op == "bytes":
                wire += server.send_data(value, fin=True)
            elif op == "ping":
                wire += server.ping(value)
            else:
                wire += server.close(*value)
        except TypeError:  # bytes inside an unfinished text message: wsproto will not write it
            continue
    return bytes(wire)


WIRE_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("text"), st.tuples(st.text(max_size=40), st.booleans())),
        st.tuples(st.just("bytes"), st.binary(max_size=20)),
        st.tuples(st.just("ping"), st.binary(max_size=20)),
        st.tuples(
            st.just("close"),
            st.tuples(st.sampled_from([None, 1000, 1001, 1011, 3000, 4999]), st.none()),
        ),
        st.tuples(st.just("raw"), st.binary(max_size=24)),
    ),
    max_size=6,
)


@FUZZ
@given(WIRE_OPS, st.lists(st.integers(1, 16), min_size=1, max_size=8))
def test_any_bytes_from_the_peer_are_messages_or_a_stream_error(
    ops: list[tuple[str, Any]], cuts: list[int]
) -> None:
    wire = _server_frames(ops)
    protocol = _Protocol()
    position = 0
    try:
        for size in [*cuts, len(wire)]:
            protocol.receive(wire[position : position + size])
            position += size
            protocol.outgoing()
        protocol.receive(b"")  # the connection ends
    except StreamError:
        pass
    while (message := protocol.next_message()) is not None:
        assert isinstance(message, str)
    assert isinstance(protocol.close(), bytes)
