"""WebSocket /v1/stream: frames, defaults, project_id charging, errors, and the silent hang."""

from __future__ import annotations

from typing import Any

import httpx
import httpx_ws
import pytest

from claude_client.testing import ServiceDouble
from claude_client.testing._standin import slices
from tests.double.support import bearer, nothing_arrives, receive, stream, user, websocket


def _frame(content: str = "list three colors", **extra: Any) -> dict[str, Any]:
    return {"type": "chat", "model": "haiku", "messages": user(content), **extra}


def test_tokens_then_done_equal_the_rest_completion(
    http: httpx.Client, double: ServiceDouble
) -> None:
    with websocket(double.ws_url) as ws:
        tokens, done = stream(ws, _frame())
    rest = http.post(
        "/v1/chat/completions", json={"messages": user("list three colors"), "model": "haiku"}
    ).json()
    assert "".join(tokens) == rest["content"]
    assert tokens == slices(rest["content"])
    assert 20 <= len(tokens) <= 24
    assert done == {"type": "done", "usage": rest["usage"], "cost": rest["cost"], "model": "haiku"}
    assert list(done) == ["type", "usage", "cost", "model"]


def test_no_authentication_needed(double: ServiceDouble) -> None:
    with websocket(double.ws_url, headers=bearer("cc_invalid")) as ws:
        _, done = stream(ws, _frame())
    assert done["type"] == "done"


def test_default_model_is_sonnet(double: ServiceDouble) -> None:
    with websocket(double.ws_url) as ws:
        _, done = stream(ws, {"type": "chat", "messages": user("hi")})
    assert done["model"] == "sonnet"


def test_usage_goes_to_the_frames_project_default_default(double: ServiceDouble) -> None:
    with websocket(double.ws_url, headers=bearer(double.api_key)) as ws:
        _, first = stream(ws, _frame())
        assert double.usage("default").total_tokens == first["usage"]["total_tokens"]
        _, second = stream(ws, _frame(project_id="probe"))
        assert double.usage("probe").total_tokens == second["usage"]["total_tokens"]
    assert double.usage("test-project").total_tokens == 0


def test_several_requests_per_socket(double: ServiceDouble) -> None:
    with websocket(double.ws_url) as ws:
        replies = [stream(ws, _frame(f"question {i}"))[1]["type"] for i in range(3)]
    assert replies == ["done", "done", "done"]
    assert double.stats.snapshot().ws_opened == 1


def test_empty_text_sends_only_done(double: ServiceDouble) -> None:
    with websocket(double.ws_url) as ws:
        tokens, done = stream(ws, _frame("[[empty]]"))
    assert tokens == []
    assert done["usage"]["output_tokens"] == 0


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        ({"type": "ping"}, "Unknown message type: ping"),
        ({"model": "haiku"}, "Unknown message type: None"),
        ({"type": "chat", "model": "haiku"}, "No messages provided"),
        ({"type": "chat", "model": "haiku", "messages": []}, "No messages provided"),
        (_frame(model="gpt-4"), "Invalid model: gpt-4. Must be haiku, sonnet, or opus"),
        (_frame(model="auto"), "Invalid model: auto. Must be haiku, sonnet, or opus"),
        (_frame(model=None), "Invalid model: None. Must be haiku, sonnet, or opus"),
        (_frame(project_id="exhausted-project"), "Budget exceeded for project exhausted-project"),
        (_frame("hi [[fail]]"), "Streaming error: Claude CLI exited with code 1"),
        (
            _frame("hi [[bad-json]]"),
            "Streaming error: Failed to parse Claude CLI output: "
            "Expecting value: line 1 column 1 (char 0)",
        ),
    ],
)
def test_error_frames_keep_the_socket_usable(
    double: ServiceDouble, frame: dict[str, Any], error: str
) -> None:
    with websocket(double.ws_url) as ws:
        tokens, reply = stream(ws, frame)
        assert tokens == []
        assert reply == {"type": "error", "error": error}
        assert stream(ws, _frame())[1]["type"] == "done"


def test_invalid_json_frame(double: ServiceDouble) -> None:
    with websocket(double.ws_url) as ws:
        ws.send_text("{not json")
        assert receive(ws) == {"type": "error", "error": "Invalid JSON format"}
        assert stream(ws, _frame())[1]["type"] == "done"


def test_null_project_fails_after_done_and_records_nothing(double: ServiceDouble) -> None:
    with websocket(double.ws_url) as ws:
        _, done = stream(ws, _frame(project_id=None))
        assert done["type"] == "done"
        assert receive(ws) == {
            "type": "error",
            "error": "Streaming error: NOT NULL constraint failed: usage_log.project_id",
        }


@pytest.mark.parametrize(
    ("send", "error"),
    [
        (lambda ws: ws.send_text("[1]"), "Server error: 'list' object has no attribute 'get'"),
        (
            lambda ws: ws.send_json({"type": "chat", "model": "haiku", "messages": "abc"}),
            "Server error: 'str' object has no attribute 'get'",
        ),
        (lambda ws: ws.send_bytes(b"{}"), "Server error: 'text'"),
    ],
)
def test_server_error_then_silence_without_close(
    double: ServiceDouble, send: Any, error: str
) -> None:
    with websocket(double.ws_url) as ws:
        send(ws)
        assert receive(ws) == {"type": "error", "error": error}
        ws.send_json(_frame())
        assert double.stats.wait_until(lambda s: s.ws_messages == 2)
        assert nothing_arrives(ws)
        assert double.stats.ws_open == 1
    assert double.stats.wait_until(lambda s: s.ws_closed == 1)


def test_reset_closes_a_silent_socket(double: ServiceDouble) -> None:
    with websocket(double.ws_url) as ws:
        ws.send_text("[1]")
        receive(ws)
        double.reset()
        with pytest.raises(httpx_ws.WebSocketDisconnect) as closed:
            ws.receive(timeout=5)
        assert closed.value.code == 1001


def test_usage_is_recorded_once_done_is_sent(double: ServiceDouble) -> None:
    with websocket(double.ws_url) as ws:
        _, done = stream(ws, _frame(project_id="probe"))
        usage = double.usage("probe")
    assert (usage.total_tokens, usage.total_cost) == (done["usage"]["total_tokens"], done["cost"])
    assert list(usage.by_model) == ["haiku"]


def test_connections_are_counted(double: ServiceDouble) -> None:
    with websocket(double.ws_url) as ws:
        stream(ws, _frame())
        assert double.stats.ws_open == 1
    assert double.stats.wait_until(lambda s: (s.ws_opened, s.ws_closed) == (1, 1))


def test_other_websocket_paths_are_refused(double: ServiceDouble) -> None:
    url = double.ws_url.replace("/v1/stream", "/v1/other")
    with pytest.raises(httpx_ws.WebSocketUpgradeError) as refused, websocket(url):
        pass
    assert refused.value.response.status_code == 403
