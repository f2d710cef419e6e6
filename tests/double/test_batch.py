"""POST /v1/batch: order, ids, per-item failures and timeouts, the empty-list quirks."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from claude_client.testing import ServiceDouble

RESULT_KEYS = ["id", "prompt", "status", "content", "usage", "cost", "error"]


def _batch(http: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return http.post("/v1/batch", json=body)


def test_results_in_request_order_with_all_seven_keys(http: httpx.Client) -> None:
    prompts = [
        {"prompt": "first q", "id": "a"},
        {"prompt": "second q"},
        {"prompt": "third q", "id": "c"},
    ]
    response = _batch(http, {"prompts": prompts, "model": "haiku"})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["total", "completed", "failed", "results", "total_cost", "total_tokens"]
    assert (body["total"], body["completed"], body["failed"]) == (3, 3, 0)
    assert [r["id"] for r in body["results"]] == ["a", None, "c"]
    assert [r["prompt"] for r in body["results"]] == ["first q", "second q", "third q"]
    for result in body["results"]:
        assert list(result) == RESULT_KEYS
        assert result["status"] == "completed" and result["error"] is None
    assert body["total_tokens"] == sum(r["usage"]["total_tokens"] for r in body["results"])
    assert body["total_cost"] == sum(r["cost"] for r in body["results"])


def test_prompts_are_sent_as_given(http: httpx.Client) -> None:
    batch = _batch(http, {"prompts": [{"prompt": "list three colors"}], "model": "haiku"}).json()
    chat = http.post(
        "/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "list three colors"}], "model": "haiku"},
    ).json()
    assert batch["results"][0]["content"] != chat["content"]  # chat adds "user: "


def test_one_failing_prompt(http: httpx.Client) -> None:
    prompts = [
        {"prompt": "ok", "id": "1"},
        {"prompt": "boom [[fail]]", "id": "2"},
        {"prompt": "fine"},
    ]
    body = _batch(http, {"prompts": prompts, "model": "haiku"}).json()
    assert (body["completed"], body["failed"]) == (2, 1)
    failed = body["results"][1]
    assert failed == {
        "id": "2",
        "prompt": "boom [[fail]]",
        "status": "failed",
        "content": None,
        "usage": None,
        "cost": None,
        "error": "Process exited with code 1\n"
        "Stderr: Error: simulated CLI failure ([[fail]] marker in the prompt)\n",
    }


def test_unknown_model_fails_every_item(http: httpx.Client) -> None:
    body = _batch(http, {"prompts": [{"prompt": "a"}, {"prompt": "b"}], "model": "gpt-4"}).json()
    assert (body["completed"], body["failed"]) == (0, 2)
    assert all(r["error"].startswith("Process exited with code 1\n") for r in body["results"])


def test_usage_recorded_for_completed_items_only(http: httpx.Client) -> None:
    prompts = [{"prompt": "a"}, {"prompt": "b [[fail]]"}]
    body = _batch(http, {"prompts": prompts, "model": "opus"}).json()
    usage = http.get("/v1/usage").json()
    assert usage["by_model"] == {
        "opus": {"tokens": body["total_tokens"], "cost": body["total_cost"]}
    }


def test_auto_model_is_chosen_from_the_first_prompt(http: httpx.Client) -> None:
    prompts = [{"prompt": "list three colors"}, {"prompt": "analyze this architecture"}]
    _batch(http, {"prompts": prompts})
    assert list(http.get("/v1/usage").json()["by_model"]) == ["haiku"]


def test_empty_batch_with_model_is_all_zeros(http: httpx.Client) -> None:
    response = _batch(http, {"prompts": [], "model": "haiku"})
    assert response.status_code == 200
    assert response.content == (
        b'{"total":0,"completed":0,"failed":0,"results":[],"total_cost":0.0,"total_tokens":0}'
    )


def test_empty_batch_without_model_is_a_plain_text_500(http: httpx.Client) -> None:
    response = _batch(http, {"prompts": []})
    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"model": "haiku"}, {"type": "missing", "loc": ["body", "prompts"]}),
        ({"prompts": ["a"]}, {"type": "model_attributes_type", "loc": ["body", "prompts", 0]}),
    ],
)
def test_bad_prompts_422(http: httpx.Client, body: dict[str, Any], error: dict[str, Any]) -> None:
    response = _batch(http, body)
    assert response.status_code == 422
    (detail,) = response.json()["detail"]
    assert {k: detail[k] for k in error} == error


def test_batch_items_run_concurrently_within_the_worker_pool(
    http: httpx.Client, double: ServiceDouble
) -> None:
    prompts = [{"prompt": f"p{i}"} for i in range(7)]
    body = _batch(http, {"prompts": prompts, "model": "haiku"}).json()
    assert body["completed"] == 7
    assert double.stats.tasks_started == 7
