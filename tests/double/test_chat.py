"""POST /v1/chat/completions: reply shape, prompt joining, models, failures, 422 bodies."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from claude_client.testing import ServiceDouble
from tests.double.support import chat_body, user
from tests.unit.conftest import INVALID_JSON, MISSING_MESSAGES, TIMEOUT_TOO_SMALL

PRICES = {"haiku": (0.25, 1.25), "sonnet": (3.0, 15.0), "opus": (15.0, 75.0)}


def _chat(http: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return http.post("/v1/chat/completions", json=body)


def test_reply_shape(http: httpx.Client, double: ServiceDouble) -> None:
    response = _chat(http, chat_body("list three colors", "haiku", project_id="elsewhere"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["id", "model", "content", "usage", "cost", "project_id"]
    assert uuid.UUID(body["id"]).version == 4
    assert body["model"] == "haiku"
    assert body["project_id"] == double.project_id  # the body's project_id is ignored
    assert body["content"]
    usage = body["usage"]
    assert list(usage) == ["input_tokens", "output_tokens", "total_tokens"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert usage["input_tokens"] >= 1 and usage["output_tokens"] >= 1


@pytest.mark.parametrize("model", ["haiku", "sonnet", "opus"])
def test_cost_uses_the_model_price(http: httpx.Client, model: str) -> None:
    body = _chat(http, chat_body("Tell me a story about a whale", model)).json()
    price_in, price_out = PRICES[model]
    usage = body["usage"]
    expected = (usage["input_tokens"] * price_in + usage["output_tokens"] * price_out) / 1e6
    assert body["cost"] == expected


def test_same_prompt_same_reply_and_prompts_vary(http: httpx.Client) -> None:
    first = _chat(http, chat_body("list three colors", "sonnet")).json()
    second = _chat(http, chat_body("list three colors", "sonnet")).json()
    other = _chat(http, chat_body("name three rivers", "sonnet")).json()
    assert first["content"] == second["content"]
    assert first["id"] != second["id"]
    assert other["content"] != first["content"]


def test_messages_are_joined_as_role_paragraphs(http: httpx.Client) -> None:
    messages = [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "list three colors"},
    ]
    chat = _chat(http, {"messages": messages, "model": "haiku"}).json()
    prompt = "system: be brief\n\nuser: list three colors"
    batch = http.post("/v1/batch", json={"prompts": [{"prompt": prompt}], "model": "haiku"})
    assert batch.json()["results"][0]["content"] == chat["content"]


def test_empty_message_list_is_accepted(http: httpx.Client) -> None:
    response = _chat(http, {"messages": [], "model": "haiku"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "model"),
    [
        (chat_body("list three colors"), "haiku"),
        (chat_body("analyze this architecture"), "sonnet"),
        (chat_body("Tell me a story about a whale"), "sonnet"),
        (chat_body("Tell me a story about a whale", max_tokens=20000), "opus"),
        ({"messages": user("list three colors"), "model": None}, "haiku"),
    ],
)
def test_model_is_auto_selected_when_absent_or_null(
    http: httpx.Client, body: dict[str, Any], model: str
) -> None:
    assert _chat(http, body).json()["model"] == model


def test_usage_is_recorded_under_the_model_used(http: httpx.Client) -> None:
    reply = _chat(http, chat_body("list three colors")).json()
    usage = http.get("/v1/usage").json()
    assert usage["by_model"] == {
        "haiku": {"tokens": reply["usage"]["total_tokens"], "cost": reply["cost"]}
    }


@pytest.mark.parametrize("model", ["auto", "gpt-4"])
def test_any_other_model_string_reaches_the_cli_and_fails(
    http: httpx.Client, double: ServiceDouble, model: str
) -> None:
    response = _chat(http, chat_body("hi", model))
    assert response.status_code == 500
    assert response.json()["detail"].startswith("Task failed: Process exited with code 1\nStderr: ")
    assert double.stats.tasks_started == 1
    assert http.get("/v1/usage").json()["total_tokens"] == 0


def test_cli_failure_text(http: httpx.Client) -> None:
    response = _chat(http, chat_body("hi [[fail]]", "haiku"))
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Task failed: Process exited with code 1\n"
        "Stderr: Error: simulated CLI failure ([[fail]] marker in the prompt)\n"
    }


def test_cli_exit_code_marker(http: httpx.Client) -> None:
    response = _chat(http, chat_body("hi [[fail:3]]", "haiku"))
    assert response.json()["detail"].startswith("Task failed: Process exited with code 3\n")


def test_cli_printing_non_json(http: httpx.Client) -> None:
    response = _chat(http, chat_body("hi [[bad-json]]", "haiku"))
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Task failed: Failed to parse JSON output: Expecting value: line 1 column 1 "
        "(char 0)\nOutput: this is not json\n"
    }


def test_empty_cli_text(http: httpx.Client) -> None:
    body = _chat(http, chat_body("hi [[empty]]", "haiku")).json()
    assert body["content"] == ""
    assert body["usage"]["output_tokens"] == 0


def test_missing_messages_422(http: httpx.Client) -> None:
    response = _chat(http, {"model": "haiku"})
    assert response.status_code == 422
    assert response.json() == MISSING_MESSAGES


@pytest.mark.parametrize(
    ("timeout", "error"),
    [
        (0.5, TIMEOUT_TOO_SMALL["detail"][0]),
        (
            301,
            {
                **TIMEOUT_TOO_SMALL["detail"][0],
                "type": "less_than_equal",
                "msg": "Input should be less than or equal to 300",
                "input": 301,
                "ctx": {"le": 300.0},
                "url": "https://errors.pydantic.dev/2.5/v/less_than_equal",
            },
        ),
    ],
)
def test_timeout_bounds_422(http: httpx.Client, timeout: float, error: dict[str, Any]) -> None:
    response = _chat(http, chat_body("hi", "haiku", timeout=timeout))
    assert response.status_code == 422
    assert response.json() == {"detail": [error]}
    assert response.content.count(b'"ge":1.0') + response.content.count(b'"le":300.0') == 1


def test_invalid_json_422_has_no_url(http: httpx.Client) -> None:
    response = http.post(
        "/v1/chat/completions", content=b"{bad", headers={"content-type": "application/json"}
    )
    assert response.json() == INVALID_JSON


def test_no_body_422(http: httpx.Client) -> None:
    response = http.post("/v1/chat/completions")
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "missing",
                "loc": ["body"],
                "msg": "Field required",
                "input": None,
                "url": "https://errors.pydantic.dev/2.5/v/missing",
            }
        ]
    }


def test_get_is_405_with_allow_post(http: httpx.Client) -> None:
    response = http.get("/v1/chat/completions")
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}
    assert response.headers["allow"] == "POST"


def test_unknown_path_is_404(http: httpx.Client) -> None:
    response = http.post("/v1/completions", json={})
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
