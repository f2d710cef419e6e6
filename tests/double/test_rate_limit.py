"""Per-key rate limit: fixed calendar-minute windows counting every /v1 request."""

from __future__ import annotations

from datetime import datetime

import httpx

from claude_client.testing import ServiceDouble
from tests.double.support import bearer, chat_body

RATE_LIMITED = {"detail": "Rate limit exceeded. Please try again later."}


def _statuses(client: httpx.Client, key: str, count: int) -> list[int]:
    return [client.get("/v1/usage", headers=bearer(key)).status_code for _ in range(count)]


def test_limit_applies_per_calendar_minute(anon: httpx.Client, double: ServiceDouble) -> None:
    double.clock.freeze(datetime(2026, 11, 25, 10, 0, 58))
    key = double.add_key("probe", rate_limit=2)
    assert _statuses(anon, key, 4) == [200, 200, 429, 429]
    double.clock.advance(2)  # 10:01:00, a new window, though only two seconds passed
    assert _statuses(anon, key, 3) == [200, 200, 429]


def test_rate_limited_reply_has_no_retry_after(anon: httpx.Client, double: ServiceDouble) -> None:
    double.clock.freeze()
    key = double.add_key("probe", rate_limit=1)
    anon.get("/v1/usage", headers=bearer(key))
    response = anon.get("/v1/usage", headers=bearer(key))
    assert (response.status_code, response.json()) == (429, RATE_LIMITED)
    assert "retry-after" not in response.headers
    assert not any(name.startswith("x-ratelimit") for name in response.headers)


def test_every_v1_route_counts(anon: httpx.Client, double: ServiceDouble) -> None:
    double.clock.freeze()
    key = double.add_key("probe", rate_limit=4)
    headers = bearer(key)
    assert anon.get("/v1/usage", headers=headers).status_code == 200
    assert anon.post("/v1/route", json={"prompt": "x"}, headers=headers).status_code == 200
    assert anon.post("/v1/chat/completions", json={}, headers=headers).status_code == 422
    body = {"prompts": [], "model": "haiku"}
    assert anon.post("/v1/batch", json=body, headers=headers).status_code == 200
    chat = anon.post("/v1/chat/completions", json=chat_body("hi", "haiku"), headers=headers)
    assert (chat.status_code, chat.json()) == (429, RATE_LIMITED)


def test_requests_that_never_reach_the_key_check_do_not_count(
    anon: httpx.Client, double: ServiceDouble
) -> None:
    double.clock.freeze()
    key = double.add_key("probe", rate_limit=1)
    headers = bearer(key)
    assert anon.post("/v1/chat/completions", content=b"{", headers=headers).status_code == 422
    assert anon.get("/v1/chat/completions", headers=headers).status_code == 405
    assert anon.get("/v1/nowhere", headers=headers).status_code == 404
    assert anon.get("/health", headers=headers).status_code == 200
    assert _statuses(anon, key, 2) == [200, 429]


def test_keys_have_separate_windows(anon: httpx.Client, double: ServiceDouble) -> None:
    double.clock.freeze()
    first = double.add_key("probe", rate_limit=1)
    second = double.add_key("probe", rate_limit=1)
    assert _statuses(anon, first, 2) == [200, 429]
    assert _statuses(anon, second, 1) == [200]


def test_reset_empties_the_windows(anon: httpx.Client, double: ServiceDouble) -> None:
    double.clock.freeze()
    assert all(s == 200 for s in _statuses(anon, double.api_key, 100))
    assert _statuses(anon, double.api_key, 1) == [429]  # the default limit is the service's 100
    double.reset()
    assert _statuses(anon, double.api_key, 1) == [200]
