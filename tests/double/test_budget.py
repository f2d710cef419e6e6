"""Monthly token budgets: the 2 x words estimate, the 429 text, batch ignoring budgets."""

from __future__ import annotations

import httpx
import pytest

from claude_client.testing import ServiceDouble
from tests.double.support import bearer, chat_body, stream, websocket

EXHAUSTED = {"detail": "Budget exceeded for project exhausted-project"}


@pytest.mark.parametrize("model", [None, "haiku"])
def test_exhausted_project_gets_429_with_or_without_model(
    anon: httpx.Client, double: ServiceDouble, model: str | None
) -> None:
    response = anon.post(
        "/v1/chat/completions", json=chat_body("hi", model), headers=bearer(double.exhausted_key)
    )
    assert (response.status_code, response.json()) == (429, EXHAUSTED)
    assert "retry-after" not in response.headers
    assert double.stats.tasks_started == 0


def test_exhausted_project_usage_shows_the_spent_budget(
    anon: httpx.Client, double: ServiceDouble
) -> None:
    usage = anon.get("/v1/usage", headers=bearer(double.exhausted_key)).json()
    assert usage["limit"] == 1000
    assert usage["remaining"] == usage["limit"] - usage["total_tokens"] < 0


def test_estimate_is_twice_the_words_of_the_joined_prompt(
    anon: httpx.Client, double: ServiceDouble
) -> None:
    key = double.add_key("probe-budget")
    messages = [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "list three colors"},
    ]
    words = 7  # "system: be brief\n\nuser: list three colors" split on whitespace
    body = {"messages": messages, "model": "haiku"}
    double.set_budget("probe-budget", 2 * words - 1)
    response = anon.post("/v1/chat/completions", json=body, headers=bearer(key))
    assert response.json() == {"detail": "Budget exceeded for project probe-budget"}
    double.set_budget("probe-budget", 2 * words)
    response = anon.post("/v1/chat/completions", json=body, headers=bearer(key))
    assert response.status_code == 200


def test_usage_counts_against_the_budget(anon: httpx.Client, double: ServiceDouble) -> None:
    key = double.add_key("probe-budget")
    double.set_budget("probe-budget", 100)
    double.record_usage("probe-budget", "haiku", 50, 47)
    body = chat_body("hi", "haiku")  # estimate 4: 97 + 4 > 100
    response = anon.post("/v1/chat/completions", json=body, headers=bearer(key))
    assert response.status_code == 429
    double.set_budget("probe-budget", None)
    assert anon.post("/v1/chat/completions", json=body, headers=bearer(key)).status_code == 200


def test_last_months_usage_does_not_count(anon: httpx.Client, double: ServiceDouble) -> None:
    key = double.add_key("probe-budget")
    double.set_budget("probe-budget", 100)
    double.record_usage("probe-budget", "haiku", 100, 0)
    body = chat_body("hi", "haiku")
    assert anon.post("/v1/chat/completions", json=body, headers=bearer(key)).status_code == 429
    double.clock.advance(32 * 24 * 3600)
    assert anon.post("/v1/chat/completions", json=body, headers=bearer(key)).status_code == 200


def test_batch_ignores_budgets_and_overspends(anon: httpx.Client, double: ServiceDouble) -> None:
    headers = bearer(double.exhausted_key)
    before = anon.get("/v1/usage", headers=headers).json()["remaining"]
    body = {"prompts": [{"prompt": "first q"}, {"prompt": "second q"}], "model": "haiku"}
    response = anon.post("/v1/batch", json=body, headers=headers)
    assert response.status_code == 200
    assert response.json()["completed"] == 2
    after = anon.get("/v1/usage", headers=headers).json()["remaining"]
    assert after == before - response.json()["total_tokens"]


def test_websocket_checks_the_budget_of_the_frames_project(double: ServiceDouble) -> None:
    frame = {"type": "chat", "model": "haiku", "messages": [{"role": "user", "content": "hi"}]}
    with websocket(double.ws_url, headers=bearer(double.api_key)) as ws:
        _, reply = stream(ws, {**frame, "project_id": "exhausted-project"})
        assert reply == {"type": "error", "error": "Budget exceeded for project exhausted-project"}
        double.set_budget("default", 0)
        _, reply = stream(ws, frame)  # no project_id: "default", whatever the key
        assert reply == {"type": "error", "error": "Budget exceeded for project default"}
        _, reply = stream(ws, {**frame, "project_id": "test-project"})
        assert reply["type"] == "done"
