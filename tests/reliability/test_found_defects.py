"""Defects of the client this suite found, each reproduced once as a regression test.

1. Generated operations parse a 2xx body after the client's transport, so with ``low_level``
   a body outside the contract escaped as ``JSONDecodeError`` / ``KeyError`` / ``ValueError``.
   Fixed by ``client.call(operation, ...)``, which types it; ``low_level`` stays the raw
   generated client (the fuzz tests hold it to exactly that, see ``test_fuzz``).
2. The body of a refused WebSocket handshake was read outside the handshake's error mapping:
   a connection lost while reading it escaped as the raw ``httpx`` error.
3. An error status whose body breaks its ``Content-Encoding`` became an
   ``APIConnectionError`` (not retried, status lost) instead of its status error.
"""

from __future__ import annotations

import json

import httpx
import pytest

from claude_client import (
    APIConnectionError,
    AsyncClaudeClient,
    ClaudeClient,
    MalformedResponseError,
    ServerError,
)
from claude_client.testing import ServiceDouble
from tests.reliability.test_faults import METHODS, Method
from tests.reliability.test_fuzz import _CutStream
from tests.unit.conftest import BASE, KEY, USAGE_BODY, Caller


def _caller(kind: str, handler: httpx.MockTransport, max_retries: int = 3) -> Caller:
    if kind == "sync":
        http = httpx.Client(transport=handler)
        return Caller(ClaudeClient(BASE, KEY, max_retries=max_retries, http_client=http))
    ahttp = httpx.AsyncClient(transport=handler)
    return Caller(AsyncClaudeClient(BASE, KEY, max_retries=max_retries, http_client=ahttp))


@pytest.mark.parametrize(
    "method", [m for m in METHODS if m.name.startswith("call")], ids=lambda m: m.name
)
async def test_1_generated_operations_through_call_meet_a_malformed_2xx_body_typed(
    client: Caller, claude_double: ServiceDouble, method: Method
) -> None:
    claude_double.faults.malformed_json(path=method.path)
    with pytest.raises(MalformedResponseError):
        await method.call(client)


def _handshake_refused_mid_body(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/v1/usage":
        return httpx.Response(200, json=USAGE_BODY)
    refusal = _CutStream(b'{"detail": "Forbidden by the proxy"}', httpx.ReadError)
    return httpx.Response(403, headers={"content-length": "36"}, stream=refusal)


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_2_a_refused_handshake_lost_mid_body_is_a_connection_error(kind: str) -> None:
    caller = _caller(kind, httpx.MockTransport(_handshake_refused_mid_body))
    with pytest.raises(APIConnectionError):
        if isinstance(caller.client, AsyncClaudeClient):
            [chunk async for chunk in caller.client.stream("hi", model="haiku")]
        else:
            list(caller.client.stream("hi", model="haiku"))
    await caller.close()


def _gateway_error_with_a_garbled_body(request: httpx.Request) -> httpx.Response:
    body = json.dumps({"detail": "Service Unavailable"}).encode()
    # As from the network: the body is decoded when read, not when the response is made.
    return httpx.Response(503, headers={"content-encoding": "gzip"}, stream=httpx.ByteStream(body))


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_3_an_error_status_with_an_undecodable_body_keeps_its_status_error(
    kind: str,
) -> None:
    transport = httpx.MockTransport(_gateway_error_with_a_garbled_body)
    caller = _caller(kind, transport, max_retries=0)
    with pytest.raises(ServerError) as info:
        await caller.health()
    await caller.close()
    assert info.value.status_code == 503
