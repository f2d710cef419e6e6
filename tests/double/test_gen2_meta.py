"""Generation 2: request ids, health, ready, root, providers, capabilities, its own document
(service-behaviour.latest.md, section 2)."""

from __future__ import annotations

import json
import threading
import uuid
from pathlib import Path

import httpx
import pytest

from claude_client.testing import ServiceDouble, api_routes
from tests.double.support import chat_body

LATEST_OPENAPI = (
    Path(__file__).resolve().parents[3] / "shared" / "contract" / "service-openapi.latest.json"
)


def test_generation_is_chosen_and_validated() -> None:
    assert ServiceDouble().generation == 2
    assert ServiceDouble(generation=1).generation == 1
    with pytest.raises(ValueError, match="generation must be one of"):
        ServiceDouble(generation=3)


def test_a_request_id_is_made_or_echoed_verbatim(anon2: httpx.Client) -> None:
    made = anon2.get("/health").headers["x-request-id"]
    assert uuid.UUID(made).version == 4
    assert anon2.get("/health").headers["x-request-id"] != made
    for given in ("my-id-123", "abc def !@#", "x" * 300, ""):
        response = anon2.get("/ready", headers={"X-Request-ID": given})
        assert response.headers["x-request-id"] == given


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/usage", 403),
        ("GET", "/nowhere", 404),
        ("HEAD", "/health", 405),
        ("POST", "/v1/chat/completions/", 307),
        ("POST", "/v1/chat/completions", 422),
    ],
)
def test_error_answers_carry_a_request_id(
    anon2: httpx.Client, method: str, path: str, status: int
) -> None:
    body = b"{" if status == 422 else None  # not JSON: 422 even without a key
    headers = {"X-Request-ID": "rid-1", "content-type": "application/json"}
    response = anon2.request(method, path, content=body, headers=headers)
    assert response.status_code == status
    assert response.headers["x-request-id"] == "rid-1"


def test_plain_500_and_preflight_carry_no_request_id(http2: httpx.Client) -> None:
    plain = http2.post("/v1/batch", json={"prompts": []})
    assert (plain.status_code, plain.text) == (500, "Internal Server Error")
    assert "x-request-id" not in plain.headers
    preflight = http2.options(
        "/v1/task",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert "x-request-id" not in preflight.headers


def test_generation_1_sends_no_request_id(anon: httpx.Client) -> None:
    assert "x-request-id" not in anon.get("/health", headers={"X-Request-ID": "a"}).headers


def test_health_has_service_objects_uptime_and_says_degraded(anon2: httpx.Client) -> None:
    body = anon2.get("/health").json()
    assert body["status"] == "degraded"
    assert body["version"] == "0.1.0"
    assert isinstance(body["uptime_seconds"], float) and body["uptime_seconds"] >= 0
    services = body["services"]
    assert list(services) == ["worker_pool", "redis", "audit_db", "budget_manager", "auth_manager"]
    assert services["worker_pool"] == {
        "status": "ok",
        "detail": {"running": True, "active_workers": 0, "max_workers": 5, "queued_tasks": 0},
    }
    assert services["redis"] == {"status": "unavailable", "detail": None}
    assert services["auth_manager"] == {"status": "ok", "detail": None}


def test_health_shows_busy_workers(double2: ServiceDouble, anon2: httpx.Client) -> None:
    with httpx.Client(base_url=double2.base_url, timeout=10) as slow:
        headers = {"Authorization": f"Bearer {double2.api_key}"}
        body = chat_body("wait [[sleep:30]]", "haiku", timeout=1)
        answer = slow.build_request("POST", "/v1/chat/completions", json=body, headers=headers)
        thread = threading.Thread(target=slow.send, args=(answer,))
        thread.start()
        try:
            assert double2.stats.wait_until(lambda s: s.tasks_started == 1, timeout=5)
            pool = anon2.get("/health").json()["services"]["worker_pool"]["detail"]
            assert pool["active_workers"] == 1
        finally:
            thread.join(10)


def test_ready_always_says_ready(anon2: httpx.Client) -> None:
    response = anon2.get("/ready")
    assert (response.status_code, response.json()) == (200, {"ready": True, "reason": None})


def test_root_names_ready_and_the_new_port(anon2: httpx.Client) -> None:
    body = anon2.get("/").json()
    assert body["ready"] == "/ready"
    assert body["endpoints"]["stream"] == "ws://localhost:8006/v1/stream"
    assert "process" not in body["endpoints"]


def test_providers_need_no_key(anon2: httpx.Client) -> None:
    providers = anon2.get("/v1/providers").json()
    assert [p["name"] for p in providers] == ["claudecode", "anthropic"]
    assert providers[1]["models"][-1] == "claude-3-opus"


@pytest.mark.parametrize("provider", ["anthropic", "claudecode", "claude", "ANTHROPIC"])
def test_provider_models_echo_the_provider(anon2: httpx.Client, provider: str) -> None:
    body = anon2.get(f"/v1/providers/{provider}/models").json()
    assert body["provider"] == provider
    assert body["models"]["sonnet"]["max_tokens"] == 8192


def test_unknown_provider_is_404(anon2: httpx.Client) -> None:
    response = anon2.get("/v1/providers/openai/models")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Provider openai not supported. Only 'anthropic' and 'claudecode' available."
    }


def test_providers_trailing_slash_redirects(anon2: httpx.Client) -> None:
    response = anon2.get("/v1/providers/")
    assert response.status_code == 307
    assert response.headers["location"].endswith("/v1/providers")


def test_capabilities_need_a_key(anon2: httpx.Client, http2: httpx.Client) -> None:
    assert anon2.get("/v1/capabilities").status_code == 403
    body = http2.get("/v1/capabilities").json()
    assert [a["name"] for a in body["agents"]] == ["code-reviewer"]
    assert [s["name"] for s in body["skills"]] == ["code-analyzer"]
    assert (body["agents_count"], body["skills_count"]) == (1, 1)


def test_generation_1_does_not_serve_the_new_routes(anon: httpx.Client) -> None:
    for path in ("/ready", "/v1/providers", "/v1/capabilities"):
        assert anon.get(path).status_code == 404


@pytest.mark.skipif(not LATEST_OPENAPI.exists(), reason="shared contract not checked out")
def test_openapi_document_is_generation_2s(anon2: httpx.Client) -> None:
    assert anon2.get("/openapi.json").json() == json.loads(LATEST_OPENAPI.read_text())


def test_api_routes_match_generation_2s_document(anon2: httpx.Client) -> None:
    document = anon2.get("/openapi.json").json()
    documented = {path: tuple(m.upper() for m in ops) for path, ops in document["paths"].items()}
    served = {p: m for p, m in api_routes(2).items() if m != ("WEBSOCKET",)}
    assert served == documented
    assert api_routes() == api_routes(2)


def test_the_route_template_itself_is_only_a_provider_name(anon2: httpx.Client) -> None:
    response = anon2.get("/v1/providers/{provider}/models")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Provider {provider} not supported.")
