"""The double serves the API of ``openapi.yaml``: the two cannot drift apart.

``claude_client.testing.api_routes()`` (what the double declares) is compared with the
contract's paths and methods and its ``x-websocket-streams``; the running double is then probed
to show that the declaration is what it really serves. Every list is derived from the contract
and the service's served documents (``contract/served/``): the double serves one generation,
all of its operations, and nothing outside the contract.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import httpx_ws
import pytest
import yaml

from claude_client.testing import ServiceDouble, api_routes

ROOT = Path(__file__).resolve().parents[2]
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
OPENAPI_METHODS = frozenset(m.lower() for m in (*HTTP_METHODS, "OPTIONS", "TRACE"))
TIMEOUT = 10.0
#: The double serves what api_routes() declares: its default, the newest generation.
pytestmark = pytest.mark.claude_double_generation(2)


def _contract() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    return loaded


CONTRACT = _contract()
SERVED = {
    path.stem: json.loads(path.read_text())
    for path in sorted((ROOT / "contract" / "served").glob("generation-*.json"))
}


def _methods(item: dict[str, Any]) -> frozenset[str]:
    return frozenset(key.upper() for key in item if key in OPENAPI_METHODS)


CONTRACT_HTTP = {path: _methods(item) for path, item in CONTRACT["paths"].items()}
CONTRACT_WS = frozenset(CONTRACT["x-websocket-streams"])
DOUBLE_HTTP = {
    path: frozenset(methods) for path, methods in api_routes().items() if "WEBSOCKET" not in methods
}
DOUBLE_WS = frozenset(path for path, methods in api_routes().items() if "WEBSOCKET" in methods)


def _http(document: dict[str, Any]) -> dict[str, frozenset[str]]:
    return {path: _methods(item) for path, item in document["paths"].items()}


def test_the_double_declares_one_generations_http_paths_and_methods() -> None:
    assert DOUBLE_HTTP in [_http(served) for served in SERVED.values()]
    assert all(CONTRACT_HTTP[path] >= methods for path, methods in DOUBLE_HTTP.items())


def test_the_double_declares_the_contracts_websocket_streams() -> None:
    assert DOUBLE_WS == CONTRACT_WS
    assert all(api_routes()[path] == ("WEBSOCKET",) for path in DOUBLE_WS)


def test_no_path_is_both_http_and_websocket() -> None:
    assert not set(CONTRACT_HTTP) & CONTRACT_WS


@pytest.fixture
def http(claude_double: ServiceDouble) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=claude_double.base_url,
        headers={"Authorization": f"Bearer {claude_double.api_key}"},
        timeout=TIMEOUT,
    ) as client:
        yield client


def _request(http: httpx.Client, method: str, path: str) -> httpx.Response:
    path = path.replace("{provider}", "anthropic")  # a provider the service serves
    body = None if method in ("GET", "HEAD", "DELETE") else b"{}"
    headers = {} if body is None else {"content-type": "application/json"}
    return http.request(method, path, content=body, headers=headers)


@pytest.mark.parametrize(
    ("path", "method"),
    sorted((path, method) for path, methods in DOUBLE_HTTP.items() for method in methods),
)
def test_every_declared_operation_is_served(http: httpx.Client, path: str, method: str) -> None:
    response = _request(http, method, path)
    # GET routes answer 200; POST routes 422 for the body {} (a required field is missing):
    # either way the route exists and took the method.
    assert response.status_code not in (404, 405), response.text
    assert response.status_code in (200, 422), response.text


@pytest.mark.parametrize("path", sorted(DOUBLE_HTTP))
def test_other_methods_are_refused_with_the_contracts_allow_list(
    http: httpx.Client, path: str
) -> None:
    allowed = CONTRACT_HTTP[path]
    for method in HTTP_METHODS:
        if method in allowed:
            continue
        response = _request(http, method, path)
        assert response.status_code == 405, (method, response.text)
        assert set(response.headers["allow"].split(", ")) == allowed


@pytest.mark.parametrize("path", ["/v1/chat", "/v1/completions", "/v2/usage", "/v1/stream"])
def test_paths_outside_the_contract_are_not_found(http: httpx.Client, path: str) -> None:
    response = http.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def _ws_accepted(url: str) -> bool:
    with httpx.Client(timeout=TIMEOUT) as client:
        try:
            with httpx_ws.connect_ws(url, client, keepalive_ping_interval_seconds=None):
                return True
        except httpx_ws.WebSocketUpgradeError:
            return False


@pytest.mark.parametrize("path", sorted(CONTRACT_WS))
def test_every_contract_stream_accepts_a_websocket(claude_double: ServiceDouble, path: str) -> None:
    assert _ws_accepted(claude_double.base_url.replace("http", "ws", 1) + path)


@pytest.mark.parametrize("path", sorted(DOUBLE_HTTP))
def test_http_paths_refuse_a_websocket(claude_double: ServiceDouble, path: str) -> None:
    assert not _ws_accepted(claude_double.base_url.replace("http", "ws", 1) + path)


def test_the_services_own_document_is_the_served_document_of_its_generation(
    http: httpx.Client,
) -> None:
    observed = http.get("/openapi.json").json()
    assert observed in SERVED.values()
    assert _http(observed) == DOUBLE_HTTP


def test_the_endpoint_map_at_root_names_generation_1s_paths(http: httpx.Client) -> None:
    """Fixed text in the service, the same in both generations but for the stream's port."""
    endpoints = http.get("/").json()["endpoints"]
    named = {re.sub(r"^ws://localhost:\d+", "", url) for url in endpoints.values()}
    v1_http = {path for path in SERVED["generation-1"]["paths"] if path.startswith("/v1/")}
    assert named == v1_http | CONTRACT_WS
