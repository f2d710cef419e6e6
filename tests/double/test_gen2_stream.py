"""Generation 2's WebSocket ``agentic_task`` message (service-behaviour.latest.md, section 3)."""

from __future__ import annotations

from typing import Any

import httpx_ws
import pytest

from claude_client.testing import ServiceDouble
from tests.double.support import nothing_arrives, receive, stream, user, websocket


def _task(key: str, **extra: Any) -> dict[str, Any]:
    return {"type": "agentic_task", "api_key": key, "description": "summarize the repo", **extra}


def _ask(ws: httpx_ws.WebSocketSession, double: ServiceDouble, extra: dict[str, Any]) -> Any:
    """Send a task with the unlimited key (``extra`` overriding fields): the first frame."""
    ws.send_json({**_task(double.api_key), **extra})
    return receive(ws)


def test_thinking_then_result_charged_to_default(double2: ServiceDouble) -> None:
    with websocket(double2.ws_url) as ws:
        ws.send_json(_task(double2.api_key, project_id="ignored", model="opus"))
        assert receive(ws) == THINKING
        result = receive(ws)
    assert list(result) == ["type", "status", "result", "execution_log", "artifacts", "usage"]
    assert result["type"] == "result" and result["status"] == "completed"
    assert "task_id" not in result
    assert result["usage"]["model_used"] == "sonnet"
    assert double2.usage("default").total_tokens == result["usage"]["total_tokens"]
    assert double2.usage("ignored").total_tokens == 0


def test_budget_failure_is_a_result_frame(double2: ServiceDouble) -> None:
    double2.set_budget("default", 1)
    with websocket(double2.ws_url) as ws:
        ws.send_json(_task(double2.api_key, description="one"))
        assert receive(ws)["type"] == "thinking"
        result = receive(ws)
    assert result["status"] == "failed"
    assert result["result"] == {"error": "Insufficient budget"}
    assert result["usage"] == {"estimated_tokens": 4}


def test_api_key_is_only_looked_up_in_the_profiles(double2: ServiceDouble) -> None:
    double2.revoke_key(double2.api_key)
    double2.set_permissions("not-a-key", "pro")
    with websocket(double2.ws_url) as ws:
        for key in (double2.api_key, "not-a-key"):
            ws.send_json(_task(key))
            assert receive(ws)["type"] == "thinking"
            assert receive(ws)["status"] == "completed"


THINKING = {"type": "thinking", "content": "Starting task execution..."}
CRASH = (
    "Server error: 1 validation error for AgenticTaskRequest\ndescription\n"
    "  Input should be a valid string [type=string_type, input_value=None, input_type=NoneType]\n"
    "    For further information visit https://errors.pydantic.dev/2.5/v/string_type"
)


@pytest.mark.parametrize(
    ("extra", "thinking", "error", "usable"),
    [
        # Refused before any work: an error frame, the socket stays usable.
        ({"api_key": None}, False, "api_key required for agentic tasks", True),
        (
            {"api_key": "cc_unknown"},
            False,
            "Permission denied: No permission profile found for API key",
            True,
        ),
        (
            {"allow_tools": ["Write"]},
            False,
            "Permission denied: Tool 'Write' is explicitly blocked",
            True,
        ),
        (
            {"allow_tools": "Read"},
            False,
            "Permission denied: Tool 'R' is not in allowed list",
            True,
        ),
        (
            {"timeout": 301},
            False,
            "Permission denied: Requested timeout (301s) exceeds limit (300s)",
            True,
        ),
        # The executor raised: after "thinking", usable.
        ({"description": ""}, True, "Task execution error: Description is required", True),
        (
            {"allow_agents": ["security-auditor"]},
            True,
            "Task execution error: Unknown agents requested: security-auditor",
            True,
        ),
        (
            {"description": "x [[fail]]"},
            True,
            "Task execution error: object of type 'NoneType' has no len()",
            True,
        ),
        # The handler crashed: "Server error", then silence.
        ({"description": None}, False, CRASH, False),
        (
            {"timeout": "abc"},
            False,
            "Server error: '>' not supported between instances of 'str' and 'int'",
            False,
        ),
    ],
)
def test_error_frames_and_what_the_socket_does_after(
    double2: ServiceDouble, extra: dict[str, Any], thinking: bool, error: str, usable: bool
) -> None:
    with websocket(double2.ws_url) as ws:
        first = _ask(ws, double2, extra)
        if thinking:
            assert first == THINKING
            first = receive(ws)
        assert first == {"type": "error", "error": error}
        chat = {"type": "chat", "model": "haiku", "messages": user("hi")}
        if usable:
            assert stream(ws, chat)[1]["type"] == "done"
        else:
            ws.send_json(chat)
            assert nothing_arrives(ws)


def test_free_tier_needs_a_short_timeout(double2: ServiceDouble) -> None:
    key = double2.add_key("cheap", permissions="free")
    with websocket(double2.ws_url) as ws:
        ws.send_json(_task(key))
        assert receive(ws)["error"] == (
            "Permission denied: Requested timeout (300s) exceeds limit (60s)"
        )


def test_generation_1_does_not_know_agentic_tasks(double: ServiceDouble) -> None:
    with websocket(double.ws_url) as ws:
        ws.send_json(_task(double.api_key))
        assert receive(ws) == {"type": "error", "error": "Unknown message type: agentic_task"}
