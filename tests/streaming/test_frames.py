"""The pure part of streaming: chat frames out, server frames in, error texts -> typed errors,
the WebSocket framing, and one request's state. No sockets here."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from claude_code_api import models as g
from hypothesis import given
from hypothesis import strategies as st
from wsproto.connection import Connection, ConnectionType
from wsproto.events import BytesMessage, CloseConnection, Ping, TextMessage

from claude_client import (
    BudgetExceededError,
    Model,
    ServerError,
    StreamError,
    TaskFailedError,
    Usage,
    ValidationError,
)
from claude_client._error_mapping import error_for_frame
from claude_client._streaming import (
    MAX_MESSAGE_CHARS,
    DoneEvent,
    ErrorEvent,
    ProjectCache,
    StreamedResponse,
    TokenEvent,
    build_chat_frame,
    parse_frame,
    stream_spec,
    websocket_url,
)
from claude_client._streaming._chat import _Exchange
from claude_client._streaming._websocket import _Protocol

URL = "ws://service.test/v1/stream"
USER = [g.Message(role="user", content="list three colors")]
DONE = {
    "type": "done",
    "usage": {"input_tokens": 7, "output_tokens": 38, "total_tokens": 45},
    "cost": 4.925e-05,
    "model": "haiku",
}


# --- building chat frames --------------------------------------------------------------------


def test_a_chat_frame_is_the_documented_json_object() -> None:
    frame = json.loads(build_chat_frame(USER, "haiku", "probe"))
    assert frame == {
        "type": "chat",
        "messages": [{"role": "user", "content": "list three colors"}],
        "model": "haiku",
        "project_id": "probe",
    }
    # and the generated model of the contract reads it back
    assert g.StreamChatRequest.from_dict(frame).project_id == "probe"


@pytest.mark.parametrize("model", ["auto", "gpt-4", "", "HAIKU", None])
def test_only_real_model_names_go_on_the_socket(model: Any) -> None:
    with pytest.raises(ValueError, match="real model"):
        build_chat_frame(USER, model, "probe")


def test_a_chat_frame_needs_messages_and_a_project() -> None:
    with pytest.raises(ValueError, match="at least one message"):
        build_chat_frame([], "haiku", "probe")
    with pytest.raises(ValueError, match="project_id"):
        build_chat_frame(USER, "haiku", "")
    with pytest.raises(TypeError, match="project_id"):
        build_chat_frame(USER, "haiku", 7)  # type: ignore[arg-type]


def test_a_chat_frame_refuses_messages_that_are_not_strings() -> None:
    with pytest.raises(TypeError):
        build_chat_frame([{"role": "user", "content": "x"}], "haiku", "p")  # type: ignore[list-item]
    with pytest.raises(TypeError, match="strings"):
        build_chat_frame([g.Message(role="user", content=["x"])], "haiku", "p")  # type: ignore[arg-type]


@given(
    st.lists(
        st.tuples(st.sampled_from(["user", "assistant", "system"]), st.text()),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(["haiku", "sonnet", "opus"]),
    st.text(min_size=1),
)
def test_any_text_makes_an_ascii_frame_that_reads_back_the_same(
    pairs: list[tuple[str, str]], model: str, project: str
) -> None:
    messages = [g.Message(role=r, content=c) for r, c in pairs]
    text = build_chat_frame(messages, model, project)
    assert text.isascii()  # lone surrogates and all: escaped, so the frame always encodes
    frame = json.loads(text)
    assert [(m["role"], m["content"]) for m in frame["messages"]] == pairs
    assert (frame["type"], frame["model"], frame["project_id"]) == ("chat", model, project)


# --- parsing server frames ---------------------------------------------------------------------


def test_token_done_and_error_frames_become_events() -> None:
    assert parse_frame('{"type":"token","content":"Red, gr"}') == TokenEvent(text="Red, gr")
    assert parse_frame(json.dumps(DONE)) == DoneEvent(
        usage=Usage(input_tokens=7, output_tokens=38, total_tokens=45),
        cost=4.925e-05,
        model="haiku",
    )
    assert parse_frame('{"type":"error","error":"No messages provided"}') == ErrorEvent(
        message="No messages provided"
    )


def test_an_integer_cost_is_a_float() -> None:
    event = parse_frame(json.dumps({**DONE, "cost": 0}))
    assert isinstance(event, DoneEvent)
    assert event.cost == 0.0
    assert isinstance(event.cost, float)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"type":"token","content":"trunc',
        "[1]",
        '"token"',
        "{}",
        '{"type":"ping"}',
        '{"type":"token"}',
        '{"type":"token","content":5}',
        '{"type":"error"}',
        '{"type":"error","error":null}',
        json.dumps({**DONE, "cost": "free"}),
        json.dumps({**DONE, "cost": True}),
        json.dumps({**DONE, "model": None}),
        json.dumps({**DONE, "usage": None}),
        json.dumps({**DONE, "usage": {"input_tokens": 1, "output_tokens": 2}}),
        json.dumps({**DONE, "usage": {"input_tokens": "1", "output_tokens": 2, "total_tokens": 3}}),
        json.dumps({k: val for k, val in DONE.items() if k != "cost"}),
    ],
)
def test_a_malformed_frame_is_a_stream_error(text: str) -> None:
    with pytest.raises(StreamError, match="frame"):
        parse_frame(text)


def test_a_long_malformed_frame_is_quoted_only_in_part() -> None:
    with pytest.raises(StreamError) as caught:
        parse_frame("x" * 10_000)
    assert len(str(caught.value)) < 400


# --- error frames -> the HTTP path's errors ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cls", "status"),
    [
        ("Budget exceeded for project probe-budget", BudgetExceededError, 429),
        ("Invalid model: gpt-4. Must be haiku, sonnet, or opus", ValidationError, 422),
        ("Invalid model: auto. Must be haiku, sonnet, or opus", ValidationError, 422),
        ("No messages provided", ValidationError, 422),
        ("Invalid JSON format", ValidationError, 422),
        ("Unknown message type: ping", ValidationError, 422),
        ("Streaming error: Claude CLI exited with code 1", TaskFailedError, 500),
        (
            "Streaming error: Failed to parse Claude CLI output: Expecting value: line 1 "
            "column 1 (char 0)",
            TaskFailedError,
            500,
        ),
        ("Server error: 'list' object has no attribute 'get'", ServerError, 500),
        ("Server error: 'text'", ServerError, 500),
        ("Something new went wrong", ServerError, 500),
    ],
)
def test_every_error_frame_maps_to_the_http_paths_error(
    text: str, cls: type[Exception], status: int
) -> None:
    error = error_for_frame(ErrorEvent(message=text), URL)
    assert type(error) is cls
    assert isinstance(error, ServerError) == (status == 500)
    assert (error.status_code, error.detail, error.url, error.method) == (status, text, URL, "GET")
    assert error.body == {"type": "error", "error": text}
    assert text in str(error) and URL in str(error)


def test_websocket_urls_follow_the_base_urls_scheme_and_path() -> None:
    assert websocket_url(httpx.URL("http://h:8080/v1/stream")) == "ws://h:8080/v1/stream"
    assert websocket_url(httpx.URL("https://h/api/v1/stream")) == "wss://h/api/v1/stream"


# --- call arguments --------------------------------------------------------------------------


def test_stream_spec_checks_arguments_before_any_io() -> None:
    spec = stream_spec("hi", "Haiku", None, 40.0)
    assert (spec.model, spec.wait, spec.route_prompt) == (Model.HAIKU, 40.0, "user: hi")
    assert stream_spec("hi", Model.AUTO, 0.25, 40.0).wait == 0.25
    with pytest.raises(ValueError, match="Unknown model"):
        stream_spec("hi", "gpt-4", None, 40.0)
    with pytest.raises(ValueError, match="empty"):
        stream_spec([], "haiku", None, 40.0)
    for bad in (0, -1, float("inf"), float("nan")):
        with pytest.raises(ValueError, match="positive"):
            stream_spec("hi", "haiku", bad, 40.0)
    with pytest.raises(TypeError, match="timeout"):
        stream_spec("hi", "haiku", "5", 40.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="timeout"):
        stream_spec("hi", "haiku", True, 40.0)


def test_the_route_prompt_joins_messages_as_the_service_does() -> None:
    spec = stream_spec(
        [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}],
        "auto",
        None,
        1.0,
    )
    assert spec.route_prompt == "system: be brief\n\nuser: hi"


# --- WebSocket framing (wsproto, no I/O) --------------------------------------------------------


def _server() -> Connection:
    return Connection(ConnectionType.SERVER)


def test_text_messages_arrive_whole_even_when_fragmented() -> None:
    server, proto = _server(), _Protocol()
    data = server.send(TextMessage(data="Red, ", message_finished=False))
    data += server.send(TextMessage(data="green"))
    data += server.send(TextMessage(data="blue"))
    proto.receive(data[:3])
    assert proto.next_message() is None
    proto.receive(data[3:])
    assert (proto.next_message(), proto.next_message(), proto.next_message()) == (
        "Red, green",
        "blue",
        None,
    )


def test_a_ping_is_answered_and_a_close_is_acknowledged() -> None:
    server, proto = _server(), _Protocol()
    proto.receive(server.send(Ping(payload=b"hb")))
    server.receive_data(proto.outgoing())
    assert [type(e).__name__ for e in server.events()] == ["Pong"]
    proto.receive(server.send(CloseConnection(code=1011, reason="bye")))
    assert proto.closed and proto.close_code == 1011
    server.receive_data(proto.outgoing())
    assert [e.code for e in server.events() if isinstance(e, CloseConnection)] == [1011]
    assert proto.close() == b""  # already closed: nothing more to send


def test_end_of_connection_without_close_frame_is_1006() -> None:
    proto = _Protocol()
    proto.receive(b"")
    assert proto.closed and proto.close_code == 1006


def test_binary_and_oversized_messages_are_stream_errors() -> None:
    with pytest.raises(StreamError, match="binary"):
        _Protocol().receive(_server().send(BytesMessage(data=b"\x00")))
    server, proto = _server(), _Protocol()
    half = "x" * (MAX_MESSAGE_CHARS // 2 + 1)
    proto.receive(server.send(TextMessage(data=half, message_finished=False)))
    with pytest.raises(StreamError, match="exceeded"):
        proto.receive(server.send(TextMessage(data=half, message_finished=False)))


def test_client_frames_are_masked_text_frames_the_server_reads() -> None:
    server, proto = _server(), _Protocol()
    server.receive_data(proto.text('{"type":"chat"}') + proto.close())
    events = list(server.events())
    assert isinstance(events[0], TextMessage) and events[0].data == '{"type":"chat"}'
    assert isinstance(events[1], CloseConnection) and events[1].code == 1000


# --- one request's state ---------------------------------------------------------------------


def _open_exchange() -> _Exchange:
    exchange = _Exchange()
    exchange.target("haiku", "probe")
    exchange.opened(URL)
    return exchange


def test_an_exchange_collects_tokens_until_done() -> None:
    exchange = _open_exchange()
    assert exchange.check_readable()
    exchange.feed('{"type":"token","content":"Red, "}')
    exchange.feed('{"type":"token","content":"green"}')
    assert isinstance(exchange.feed(json.dumps(DONE)), DoneEvent)
    assert not exchange.check_readable()
    assert exchange.response() == StreamedResponse(
        model="haiku",
        content="Red, green",
        usage=Usage(input_tokens=7, output_tokens=38, total_tokens=45),
        cost=4.925e-05,
        project_id="probe",
    )


def test_an_error_frame_is_an_event_then_its_typed_error_sticks() -> None:
    exchange = _open_exchange()
    event = exchange.feed('{"type":"error","error":"Budget exceeded for project probe"}')
    assert event == ErrorEvent(message="Budget exceeded for project probe")
    with pytest.raises(BudgetExceededError) as first:
        exchange.check_readable()
    with pytest.raises(BudgetExceededError) as again:
        exchange.response()
    assert first.value is again.value
    assert first.value.detail == "Budget exceeded for project probe"


def test_a_stream_closed_before_done_has_no_response() -> None:
    exchange = _open_exchange()
    exchange.feed('{"type":"token","content":"Red"}')
    exchange.closed()
    assert not exchange.check_readable()
    with pytest.raises(StreamError, match="before it finished"):
        exchange.response()


def test_a_stream_must_be_entered_before_reading() -> None:
    with pytest.raises(RuntimeError, match="context manager"):
        _Exchange().check_readable()


def test_the_project_cache_remembers_the_usage_answers_project() -> None:
    from claude_client import UsageStats

    cache = ProjectCache()
    assert cache.project_id is None
    stats = UsageStats(
        project_id="probe",
        period="month",
        total_tokens=0,
        total_cost=0.0,
        by_model={},
        limit=None,
        remaining=None,
    )
    assert cache.learn(stats) == "probe"
    assert cache.project_id == "probe"
