"""Defects of the client found by this suite, each reproduced once, deterministically.

Each test states the documented behaviour and is marked ``xfail(strict=True)``: it fails today,
and the mark must go (the run turns red on an unexpected pass) once the client is fixed. The
fuzz tests tolerate exactly these cases (``test_fuzz._known_defect``) and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from claude_client import (
    AsyncClaudeClient,
    ClaudeAPIError,
    ClaudeClient,
    MalformedResponseError,
    ServerError,
)
from claude_client.testing import ServiceDouble
from tests.reliability.test_faults import METHODS, Method
from tests.unit.conftest import BASE, KEY, USAGE_BODY, Caller


def _caller(kind: str, handler: httpx.MockTransport) -> Caller:
    if kind == "sync":
        return Caller(
            ClaudeClient(BASE, KEY, max_retries=0, http_client=httpx.Client(transport=handler))
        )
    http = httpx.AsyncClient(transport=handler)
    return Caller(AsyncClaudeClient(BASE, KEY, max_retries=0, http_client=http))


@pytest.mark.xfail(
    reason="DEFECT 1: a generated low-level call parses a 2xx body after the client's "
    "transport; a body outside the contract escapes as JSONDecodeError/KeyError/ValueError",
    raises=(ValueError, LookupError, TypeError, AttributeError, httpx.DecodingError),
    strict=True,
)
@pytest.mark.parametrize(
    "method", [m for m in METHODS if m.name.startswith("low_level")], ids=lambda m: m.name
)
async def test_low_level_calls_meet_a_malformed_2xx_body_typed(
    client: Caller, claude_double: ServiceDouble, method: Method
) -> None:
    claude_double.faults.malformed_json(path=method.path)
    with pytest.raises(MalformedResponseError):
        await method.call(client)


class _CutBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A refusal's body, lost half-way (the connection drops)."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"detail": "Forb'
        raise httpx.ReadError("connection reset by peer")

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        yield b'{"detail": "Forb'
        raise httpx.ReadError("connection reset by peer")


def _handshake_refused_mid_body(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/v1/usage":
        return httpx.Response(200, json=USAGE_BODY)
    return httpx.Response(403, headers={"content-length": "40"}, stream=_CutBody())


@pytest.mark.xfail(
    reason="DEFECT 2: _streaming.py reads a refused handshake's body (response.read() / "
    "aread() in connect) outside the try that maps httpx errors: httpx.ReadError escapes",
    raises=httpx.ReadError,
    strict=True,
)
@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_a_refused_handshake_lost_mid_body_is_a_library_error(kind: str) -> None:
    caller = _caller(kind, httpx.MockTransport(_handshake_refused_mid_body))
    with pytest.raises(ClaudeAPIError):
        if isinstance(caller.client, AsyncClaudeClient):
            [chunk async for chunk in caller.client.stream("hi", model="haiku")]
        else:
            list(caller.client.stream("hi", model="haiku"))
    await caller.close()


def _gateway_error_with_a_garbled_body(request: httpx.Request) -> httpx.Response:
    body = json.dumps({"detail": "Service Unavailable"}).encode()
    return httpx.Response(503, headers={"content-encoding": "gzip"}, content=body)


@pytest.mark.xfail(
    reason="DEFECT 3: _retries.Attempt.answered decodes an error body with .read(); a body "
    "that does not match its Content-Encoding raises httpx.DecodingError there, which the "
    "transport takes for a network failure: APIConnectionError, not retried, status lost",
    raises=AssertionError,
    strict=True,
)
@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_an_error_status_with_an_undecodable_body_is_still_its_status_error(
    kind: str,
) -> None:
    caller = _caller(kind, httpx.MockTransport(_gateway_error_with_a_garbled_body))
    try:
        error = await caller.health()
    except ClaudeAPIError as raised:
        error = raised
    await caller.close()
    assert isinstance(error, ServerError), error
    assert error.status_code == 503
