"""Issue 14 item 11: a deeply nested JSON body is a typed error, never a bare
``RecursionError``: ``MalformedResponseError`` on success, the status's own error on an error
status (its body kept as text), a malformed-frame error on the WebSocket."""

from __future__ import annotations

import pytest
import respx

from claude_client import BadRequestError, MalformedResponseError, ServerError, StreamError
from claude_client._streaming import parse_frame
from tests.unit.conftest import CHAT, Factory

DEPTH = 200_000
DEEP = b"[" * DEPTH + b"]" * DEPTH
DEEP_OBJECT = b'{"detail":' * DEPTH + b"1" + b"}" * DEPTH


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
@pytest.mark.parametrize(
    ("method", "route", "argument"),
    [("complete", CHAT, "hi"), ("get_usage", "/v1/usage", "month"), ("health", "/health", None)],
)
async def test_a_deep_success_body_is_malformed(
    make: Factory,
    service: respx.MockRouter,
    body: bytes,
    method: str,
    route: str,
    argument: str | None,
) -> None:
    service.route(path=route).respond(200, content=body)
    call = getattr(make(), method)
    with pytest.raises(MalformedResponseError, match="RecursionError"):
        await (call() if argument is None else call(argument))


@pytest.mark.parametrize(("status", "error"), [(400, BadRequestError), (500, ServerError)])
async def test_a_deep_error_body_keeps_its_status_error(
    make: Factory, service: respx.MockRouter, status: int, error: type[Exception]
) -> None:
    service.post(CHAT).respond(status, content=DEEP_OBJECT)
    with pytest.raises(error) as info:
        await make(max_retries=0).complete("hi")
    assert len(str(info.value)) < 1000


@pytest.mark.parametrize("frame", [DEEP.decode(), DEEP_OBJECT.decode()])
def test_a_deep_frame_is_a_malformed_frame(frame: str) -> None:
    with pytest.raises(StreamError, match="too deeply nested"):
        parse_frame(frame)
