"""Generation 2's WebSocket ``agentic_task`` message (service-behaviour.latest.md, section 3)."""

from __future__ import annotations

from typing import Any

import pytest

from claude_client.testing import ServiceDouble
from tests.double.support import nothing_arrives, receive, stream, user, websocket


def _task(key: str, **extra: Any) -> dict[str, Any]:
    return {"type": "agentic_task", "api_key": key, "description": "summarize the repo", **extra}


def test_thinking_then_result_charged_to_default(double2: ServiceDouble) -> None:
    with websocket(double2.ws_url) as ws:
        ws.send_json(_task(double2.api_key, project_id="ignored", model="opus"))
        assert receive(ws) == {"type": "thinking", "content": "Starting task execution..."}
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


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"api_key": None}, "api_key required for agentic tasks"),
        ({"api_key": "cc_unknown"}, "Permission denied: No permission profile found for API key"),
        ({"allow_tools": ["Write"]}, "Permission denied: Tool 'Write' is explicitly blocked"),
        ({"allow_tools": "Read"}, "Permission denied: Tool 'R' is not in allowed list"),
        ({"timeout": 301}, "Permission denied: Requested timeout (301s) exceeds limit (300s)"),
    ],
)
def test_refusals_are_error_frames_and_the_socket_stays_usable(
    double2: ServiceDouble, extra: dict[str, Any], error: str
) -> None:
    with websocket(double2.ws_url) as ws:
        ws.send_json({**_task(double2.api_key), **extra})
        assert receive(ws) == {"type": "error", "error": error}
        _, done = stream(ws, {"type": "chat", "model": "haiku", "messages": user("hi")})
        assert done["type"] == "done"


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"description": ""}, "Task execution error: Description is required"),
        (
            {"allow_agents": ["security-auditor"]},
            "Task execution error: Unknown agents requested: security-auditor",
        ),
        (
            {"description": "x [[fail]]"},
            "Task execution error: object of type 'NoneType' has no len()",
        ),
    ],
)
def test_execution_errors_come_after_thinking(
    double2: ServiceDouble, extra: dict[str, Any], error: str
) -> None:
    with websocket(double2.ws_url) as ws:
        ws.send_json({**_task(double2.api_key), **extra})
        assert receive(ws)["type"] == "thinking"
        assert receive(ws) == {"type": "error", "error": error}


def test_free_tier_needs_a_short_timeout(double2: ServiceDouble) -> None:
    key = double2.add_key("cheap", permissions="free")
    with websocket(double2.ws_url) as ws:
        ws.send_json(_task(key))
        assert receive(ws)["error"] == (
            "Permission denied: Requested timeout (300s) exceeds limit (60s)"
        )


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        (
            {"description": None},
            "Server error: 1 validation error for AgenticTaskRequest\ndescription\n"
            "  Input should be a valid string [type=string_type, input_value=None, "
            "input_type=NoneType]\n"
            "    For further information visit https://errors.pydantic.dev/2.5/v/string_type",
        ),
        (
            {"timeout": "abc"},
            "Server error: '>' not supported between instances of 'str' and 'int'",
        ),
    ],
)
def test_a_crash_leaves_the_socket_dead(
    double2: ServiceDouble, extra: dict[str, Any], error: str
) -> None:
    with websocket(double2.ws_url) as ws:
        ws.send_json({**_task(double2.api_key), **extra})
        assert receive(ws) == {"type": "error", "error": error}
        ws.send_json({"type": "chat", "model": "haiku", "messages": user("hi")})
        assert nothing_arrives(ws)


def test_generation_1_does_not_know_agentic_tasks(double: ServiceDouble) -> None:
    with websocket(double.ws_url) as ws:
        ws.send_json(_task(double.api_key))
        assert receive(ws) == {"type": "error", "error": "Unknown message type: agentic_task"}
