"""Server-side task timeouts: the 500 text, per-item batch timeouts, and no worker wedge."""

from __future__ import annotations

import httpx

from claude_client.testing import ServiceDouble
from tests.double.support import chat_body


def test_task_longer_than_timeout_is_a_500(http: httpx.Client) -> None:
    response = http.post("/v1/chat/completions", json=chat_body("[[sleep:30]]", "haiku", timeout=1))
    assert response.status_code == 500
    assert response.json() == {"detail": "Task failed: Task timed out after 1.0 seconds"}


def test_timeout_is_formatted_as_a_python_float(http: httpx.Client) -> None:
    body = chat_body("[[sleep:30]]", "haiku", timeout="1.25")
    response = http.post("/v1/chat/completions", json=body)
    assert response.json() == {"detail": "Task failed: Task timed out after 1.25 seconds"}


def test_token_delay_makes_completions_take_real_time(
    http: httpx.Client, double: ServiceDouble
) -> None:
    double.token_delay = 0.2  # about 20 slices: about 4 s, over the 1 s timeout
    response = http.post("/v1/chat/completions", json=chat_body("hi", "haiku", timeout=1))
    assert response.json() == {"detail": "Task failed: Task timed out after 1.0 seconds"}


def test_batch_item_timeout_fails_only_that_item(http: httpx.Client) -> None:
    prompts = [{"prompt": "slow [[sleep:30]]", "id": "slow"}, {"prompt": "fast", "id": "fast"}]
    response = http.post("/v1/batch", json={"prompts": prompts, "model": "haiku", "timeout": 1})
    assert response.status_code == 200
    slow, fast = response.json()["results"]
    assert (slow["status"], slow["error"]) == ("failed", "Task timed out after 1.0 seconds")
    assert fast["status"] == "completed"


def test_timeouts_do_not_wedge_the_worker_pool(http: httpx.Client) -> None:
    prompts = [{"prompt": f"stuck {i} [[sleep:30]]"} for i in range(6)]
    body = http.post("/v1/batch", json={"prompts": prompts, "model": "haiku", "timeout": 1}).json()
    assert body["failed"] == 6
    response = http.post("/v1/chat/completions", json=chat_body("still alive?", "haiku"))
    assert response.status_code == 200
