"""/health, /, the OpenAPI document, CORS, and the routing details FastAPI adds."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from claude_client.testing import ServiceDouble, api_routes

OBSERVED_OPENAPI = (
    Path(__file__).parents[3] / "shared" / "contract" / "service-openapi.observed.json"
)


def test_health_body(anon: httpx.Client) -> None:
    response = anon.get("/health")
    assert response.content == (
        b'{"status":"ok","version":"0.1.0","services":{"worker_pool":"running",'
        b'"budget_manager":"initialized","auth_manager":"initialized"}}'
    )
    assert set(response.headers) == {"date", "server", "content-length", "content-type"}


def test_root_body_has_the_fixed_stream_url(anon: httpx.Client) -> None:
    assert anon.get("/").json() == {
        "name": "Claude Code API Service",
        "version": "0.1.0",
        "docs": "/docs",
        "health": "/health",
        "endpoints": {
            "chat": "/v1/chat/completions",
            "batch": "/v1/batch",
            "usage": "/v1/usage",
            "route": "/v1/route",
            "stream": "ws://localhost:8080/v1/stream",
        },
    }


def test_head_on_service_routes_is_405(anon: httpx.Client) -> None:
    response = anon.head("/health")
    assert (response.status_code, response.headers["allow"]) == (405, "GET")


def test_trailing_slash_redirects(anon: httpx.Client, double: ServiceDouble) -> None:
    response = anon.get("/v1/usage/?period=week")
    assert response.status_code == 307
    assert response.headers["location"] == f"{double.base_url}/v1/usage?period=week"


def test_websocket_path_is_not_an_http_route(anon: httpx.Client) -> None:
    assert anon.get("/v1/stream").status_code == 404


@pytest.mark.skipif(not OBSERVED_OPENAPI.exists(), reason="shared contract not checked out")
def test_openapi_document_is_the_services(anon: httpx.Client) -> None:
    response = anon.get("/openapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(OBSERVED_OPENAPI.read_text())


def test_api_routes_match_the_openapi_paths(anon: httpx.Client) -> None:
    document = anon.get("/openapi.json").json()
    documented = {path: tuple(m.upper() for m in ops) for path, ops in document["paths"].items()}
    served = {p: m for p, m in api_routes(1).items() if m != ("WEBSOCKET",)}
    assert served == documented


def test_cors_preflight_reflects_the_origin(anon: httpx.Client) -> None:
    response = anon.options(
        "/v1/chat/completions",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://app.example"
    assert response.headers["access-control-allow-credentials"] == "true"
    assert response.headers["access-control-allow-headers"] == "authorization,content-type"
    assert "POST" in response.headers["access-control-allow-methods"]


def test_cors_headers_on_simple_responses(anon: httpx.Client) -> None:
    response = anon.get("/v1/usage", headers={"Origin": "https://app.example"})
    assert response.status_code == 403
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-credentials"] == "true"


def test_undecodable_json_body_is_400(http: httpx.Client) -> None:
    response = http.post(
        "/v1/chat/completions",
        content=b'{"a": "\xc3\x28"}',
        headers={"content-type": "application/json"},
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "There was an error parsing the body"},
    )


def test_non_json_content_type_is_validated_as_raw_text(http: httpx.Client) -> None:
    response = http.post(
        "/v1/route", content=b'{"prompt": "x"}', headers={"content-type": "text/plain"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "model_attributes_type"
    assert response.json()["detail"][0]["input"] == '{"prompt": "x"}'


@pytest.mark.parametrize(
    ("value", "accepted"), [("2.5", True), (True, True), (" 2", False), ("1_0", True)]
)
def test_lax_number_parsing_as_pydantic_2_5(
    http: httpx.Client, value: object, accepted: bool
) -> None:
    body = {"messages": [], "model": "haiku", "timeout": value}
    assert (http.post("/v1/chat/completions", json=body).status_code == 200) is accepted


def test_unrenderable_422_is_a_plain_text_500(http: httpx.Client) -> None:
    response = http.post(
        "/v1/chat/completions",
        content=b'{"messages": [], "timeout": NaN}',
        headers={"content-type": "application/json"},
    )
    assert (response.status_code, response.text) == (500, "Internal Server Error")
