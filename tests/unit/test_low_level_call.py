"""``client.call(operation, ...)``: a generated operation run through the client, with the same
pool, retries and typed errors, and a malformed answer typed instead of the parser's KeyError."""

from __future__ import annotations

from typing import Any

import pytest
import respx
from claude_code_api.api.service import get_health
from claude_code_api.api.usage import get_usage
from claude_code_api.models import HealthResponse, Period, UsageResponse

from claude_client import MalformedResponseError, ServerError
from tests.unit.conftest import KEY, USAGE_BODY, Caller

HEALTH = {"status": "ok", "version": "0.1.0", "services": {"worker_pool": "running"}}


def _op(client: Caller, module: Any) -> Any:
    return module.asyncio if client.is_async else module.sync


async def test_call_runs_a_generated_operation_with_the_clients_key(
    client: Caller, service: respx.MockRouter
) -> None:
    route = service.get("/v1/usage").respond(200, json=USAGE_BODY)

    usage = await client.call(_op(client, get_usage), period=Period.DAY)

    assert isinstance(usage, UsageResponse)
    assert usage.project_id == USAGE_BODY["project_id"]
    request = route.calls.last.request
    assert request.url.params["period"] == "day"
    assert request.headers["Authorization"] == f"Bearer {KEY}"


@pytest.mark.parametrize(
    "body",
    [b"<html>502</html>", b'{"status": "ok"', b'{"status": "ok"}', b"[1, 2]"],
    ids=["html", "truncated", "missing-field", "not-an-object"],
)
async def test_call_types_a_malformed_answer(
    client: Caller, service: respx.MockRouter, body: bytes
) -> None:
    service.get("/health").respond(200, content=body, content_type="application/json")

    with pytest.raises(MalformedResponseError) as caught:
        await client.call(_op(client, get_health))

    assert caught.value.status_code == 200
    assert "GET" in str(caught.value) and "/health" in str(caught.value)
    assert KEY not in str(caught.value)


async def test_call_gets_the_typed_errors_and_a_well_formed_answer(
    make: Any, service: respx.MockRouter
) -> None:
    client = make(max_retries=0)
    service.get("/health").respond(500, text="Internal Server Error")
    with pytest.raises(ServerError):
        await client.call(_op(client, get_health))

    service.get("/health").respond(200, json=HEALTH)
    health = await client.call(_op(client, get_health))
    assert isinstance(health, HealthResponse)
    assert health.services.additional_properties == {"worker_pool": "running"}


async def test_the_async_client_still_closes_with_the_seeds_close() -> None:
    from claude_client import AsyncClaudeClient

    client = AsyncClaudeClient("http://service.test", KEY)
    await client.close()
    assert client._http.is_closed
