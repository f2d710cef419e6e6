"""Generation 2's ``POST /v1/process`` (service-behaviour.latest.md, section 2)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from claude_client.testing import ServiceDouble


def _process(http: httpx.Client, **body: Any) -> httpx.Response:
    request = {"provider": "anthropic", "model_name": "claude-3-haiku", "use_cli": True}
    return http.post("/v1/process", json={**request, **body})


def test_cli_path_answers_and_bills_the_body_project(
    double2: ServiceDouble, http2: httpx.Client
) -> None:
    response = _process(http2, user_message="hello cli", project_id="other")
    assert response.status_code == 200
    body = response.json()
    assert (body["model"], body["provider"]) == ("claude-3-haiku", "anthropic")
    assert body["content"]
    metadata = body["metadata"]
    assert metadata["actual_model"] == "haiku"
    assert metadata["mapped_from"] == "anthropic:claude-3-haiku → claudecode:haiku"
    assert (metadata["processing_time"], metadata["finish_reason"]) == (0, "stop")
    usage = metadata["usage"]
    tokens_in, tokens_out = usage["input_tokens"], usage["output_tokens"]
    assert metadata["cost_usd"] == tokens_in / 1e6 * 0.25 + tokens_out / 1e6 * 1.25
    assert double2.usage("other").by_model == {
        "haiku": (usage["total_tokens"], metadata["cost_usd"])
    }
    assert double2.usage(double2.project_id).total_tokens == 0


def test_default_project_is_default(double2: ServiceDouble, http2: httpx.Client) -> None:
    _process(http2, user_message="hello")
    assert double2.usage("default").total_tokens > 0


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("gpt-4o", "opus"),
        ("gpt-4", "sonnet"),
        ("gpt-4o-mini", "haiku"),
        ("gemini-pro", "haiku"),
        ("gemini-1.5-flash", "haiku"),
        ("deepseek-chat", "sonnet"),
        ("claude-3-5-sonnet", "sonnet"),
        ("o1-preview", "opus"),
        ("HAIKU", "haiku"),
    ],
)
def test_model_names_map_as_observed(http2: httpx.Client, name: str, model: str) -> None:
    body = _process(http2, model_name=name, user_message="hi").json()
    assert body["metadata"]["actual_model"] == model
    assert body["model"] == name


def test_messages_prompt_and_tool_messages(http2: httpx.Client) -> None:
    messages = [{"role": "system", "content": "be brief"}, {"role": "tool", "content": "x"}]
    answer = _process(http2, messages=[*messages, {"role": "user", "content": "hello"}])
    assert answer.status_code == 200
    only_tools = _process(http2, messages=[{"role": "tool", "content": "x"}])
    assert only_tools.status_code == 200


def test_content_parts_are_joined(http2: httpx.Client) -> None:
    parts = [{"type": "text", "text": "a"}, {"type": "image"}, {"type": "text", "content": "b"}]
    assert _process(http2, content=parts).status_code == 200
    assert _process(http2, content="plain").status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({}, 400, "No messages provided"),
        ({"messages": []}, 400, "No messages provided"),
        (
            {"user_message": "x", "additional_params": {"stream": True}},
            501,
            "Streaming via /v1/process not yet implemented. Use /v1/stream WebSocket instead.",
        ),
        (
            {"user_message": "x", "async_processing": True},
            501,
            "Async processing not yet implemented",
        ),
        ({"user_message": "x", "use_cli": False}, 500, "SDK completion failed: Direct completion"),
        (
            {"system_message": "x", "use_cli": False},
            500,
            "SDK completion failed: No user or assistant messages provided",
        ),
        (
            {"user_message": "x [[fail]]"},
            500,
            "Task failed: Process exited with code 1\nStderr: ",
        ),
        (
            {"user_message": "x [[bad-json]]"},
            500,
            "Task failed: Failed to parse JSON output: Expecting value: line 1 column 1 (char 0)"
            "\nOutput: this is not json\n\nStderr: ",
        ),
    ],
)
def test_error_answers(http2: httpx.Client, body: dict[str, Any], status: int, detail: str) -> None:
    response = _process(http2, **body)
    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)


def test_budget_refusal_is_403(double2: ServiceDouble, http2: httpx.Client) -> None:
    project = double2.exhausted_project_id
    response = _process(http2, user_message="hello", project_id=project)
    assert response.status_code == 403
    assert response.json() == {"detail": f"Budget exceeded for project {project}"}


def test_exhausted_key_without_project_runs_on_default(double2: ServiceDouble) -> None:
    headers = {"Authorization": f"Bearer {double2.exhausted_key}"}
    with httpx.Client(base_url=double2.base_url, headers=headers, timeout=10) as client:
        assert _process(client, user_message="hello").status_code == 200


def test_cli_timeout_is_504(double2: ServiceDouble, http2: httpx.Client) -> None:
    double2.process_timeout_floor = 0.2
    response = _process(http2, user_message="x [[sleep:5]]", max_tokens=1)
    assert response.status_code == 504
    assert response.json() == {"detail": "Task timeout: Task timed out after 0.2 seconds"}
    double2.reset()
    assert double2.process_timeout_floor == 30.0


@pytest.mark.parametrize("body", [{"project_id": None, "user_message": "x"}, {"content": ["a"]}])
def test_plain_text_500s(http2: httpx.Client, body: dict[str, Any]) -> None:
    response = _process(http2, **body)
    assert (response.status_code, response.text) == (500, "Internal Server Error")


def test_role_outside_the_enum_is_422_without_url(http2: httpx.Client) -> None:
    response = _process(http2, messages=[{"role": "robot", "content": "a"}])
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "enum",
                "loc": ["body", "messages", 0, "role"],
                "msg": "Input should be 'system', 'user', 'assistant' or 'tool'",
                "input": "robot",
                "ctx": {"expected": "'system', 'user', 'assistant' or 'tool'"},
            }
        ]
    }


def test_missing_provider_is_422(http2: httpx.Client) -> None:
    response = http2.post("/v1/process", json={"model_name": "x"})
    assert response.json()["detail"][0]["loc"] == ["body", "provider"]
