"""Authentication: bearer keys bound to projects, the 403/401 texts, and the order of checks."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from claude_client.testing import ServiceDouble
from tests.double.support import bearer, chat_body

NOT_AUTHENTICATED = {"detail": "Not authenticated"}

V1_REQUESTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/v1/chat/completions", chat_body("hi", "haiku")),
    ("POST", "/v1/batch", {"prompts": [{"prompt": "hi"}], "model": "haiku"}),
    ("GET", "/v1/usage", None),
    ("POST", "/v1/route", {"prompt": "hi"}),
]


@pytest.mark.parametrize(("method", "path", "body"), V1_REQUESTS)
def test_every_v1_route_needs_a_bearer_key(
    anon: httpx.Client, method: str, path: str, body: dict[str, Any] | None
) -> None:
    response = anon.request(method, path, json=body)
    assert response.status_code == 403
    assert response.json() == NOT_AUTHENTICATED
    assert "www-authenticate" not in response.headers


@pytest.mark.parametrize(
    ("authorization", "status", "body"),
    [
        ("Bearer", 403, NOT_AUTHENTICATED),
        ("Token abc", 403, {"detail": "Invalid authentication credentials"}),
        ("Basic dXNlcjpwYXNz", 403, {"detail": "Invalid authentication credentials"}),
        ("Bearer cc_0000000000000000000000000000000000000000", 401, None),
        ("Bearer  cc_padded_with_two_spaces", 401, None),
    ],
)
def test_bad_authorization_headers(
    anon: httpx.Client, authorization: str, status: int, body: dict[str, str] | None
) -> None:
    response = anon.get("/v1/usage", headers={"Authorization": authorization})
    assert response.status_code == status
    assert response.json() == (body or {"detail": "Invalid or revoked API key"})


def test_x_api_key_alone_is_not_authentication(anon: httpx.Client, double: ServiceDouble) -> None:
    response = anon.get("/v1/usage", headers={"X-API-Key": double.api_key})
    assert (response.status_code, response.json()) == (403, NOT_AUTHENTICATED)


def test_scheme_is_case_insensitive(anon: httpx.Client, double: ServiceDouble) -> None:
    response = anon.get("/v1/usage", headers={"Authorization": f"bearer {double.api_key}"})
    assert response.status_code == 200


def test_revoked_key_is_refused_like_an_unknown_one(
    anon: httpx.Client, double: ServiceDouble
) -> None:
    key = double.add_key("probe")
    assert anon.get("/v1/usage", headers=bearer(key)).status_code == 200
    assert double.revoke_key(key)
    response = anon.get("/v1/usage", headers=bearer(key))
    assert (response.status_code, response.json()) == (
        401,
        {"detail": "Invalid or revoked API key"},
    )


def test_the_key_decides_the_project(anon: httpx.Client, double: ServiceDouble) -> None:
    key = double.add_key("probe")
    response = anon.get("/v1/usage", headers=bearer(key), params={"project_id": "other"})
    assert response.json()["project_id"] == "probe"


@pytest.mark.parametrize("path", ["/health", "/"])
def test_health_and_root_are_open_and_ignore_bad_keys(anon: httpx.Client, path: str) -> None:
    assert anon.get(path).status_code == 200
    assert anon.get(path, headers=bearer("cc_nonsense")).status_code == 200


def test_invalid_json_is_422_even_without_a_key(anon: httpx.Client) -> None:
    response = anon.post("/v1/chat/completions", content=b"{bad json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_schema_invalid_json_without_a_key_is_403(anon: httpx.Client) -> None:
    response = anon.post("/v1/chat/completions", json={"model": "haiku"})
    assert (response.status_code, response.json()) == (403, NOT_AUTHENTICATED)


def test_key_is_checked_before_the_schema(anon: httpx.Client, double: ServiceDouble) -> None:
    double.clock.freeze()
    key = double.add_key("probe", rate_limit=1)
    assert anon.post("/v1/chat/completions", json={}, headers=bearer(key)).status_code == 422
    response = anon.post("/v1/chat/completions", json={}, headers=bearer(key))
    assert response.status_code == 429  # rate-limited before the body is validated
    response = anon.post("/v1/chat/completions", json={}, headers=bearer("cc_unknown"))
    assert response.status_code == 401
