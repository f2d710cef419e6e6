"""Issue 14 item 7: answers are read up to ``max_response_bytes`` (default 64 MiB), in bounded
memory, over real sockets: a huge ``Content-Length`` is refused before reading, a chunked body
is dropped as it passes the limit, on success and error statuses and on a refused WebSocket
handshake. Before the fix a 0.5 GB body took the process's memory up by more than 1 GB.
"""

from __future__ import annotations

from typing import Any

import pytest

from claude_client import (
    AsyncClaudeClient,
    ClaudeClient,
    MalformedResponseError,
    ResponseTooLargeError,
    _config,
)
from tests.reliability.flood import USAGE_JSON, FloodServer, PeakMemory
from tests.unit.conftest import KEY, USAGE_BODY, Caller

MiB = 1024 * 1024
HALF_GB = 512 * MiB
#: Memory a refused 0.5 GB body may cost at most: the 64 MiB limit and some slack.
BOUND = 100 * MiB


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> type[Any]:
    return ClaudeClient if request.param == "sync" else AsyncClaudeClient


async def _run(
    kind: type[Any], server: FloodServer, method: str, *args: Any, **options: Any
) -> Any:
    caller = Caller(kind(base_url=server.url, api_key=KEY, max_retries=0, **options))
    try:
        if method == "stream":
            return [chunk async for chunk in _chunks(caller, *args)]
        return await getattr(caller, method)(*args)
    finally:
        await caller.close()


async def _chunks(caller: Caller, prompt: str) -> Any:
    client = caller.client
    if isinstance(client, AsyncClaudeClient):
        async for chunk in client.stream(prompt, model="haiku"):
            yield chunk
    else:
        for chunk in client.stream(prompt, model="haiku"):
            yield chunk


@pytest.mark.parametrize("status", [200, 500])
async def test_a_half_gigabyte_chunked_body_is_dropped_at_the_limit(
    kind: type[Any], status: int
) -> None:
    with (
        FloodServer(HALF_GB, status=status, declared=False) as server,
        PeakMemory() as memory,
        pytest.raises(ResponseTooLargeError) as info,
    ):
        await _run(kind, server, "complete", "hi")
    assert memory.growth < BOUND, f"{memory.growth / MiB:.0f} MiB"
    assert server.sent < HALF_GB
    error = info.value
    assert isinstance(error, MalformedResponseError)
    assert (error.status_code, error.limit) == (status, _config.DEFAULT_MAX_RESPONSE_BYTES)
    assert "max_response_bytes" in str(error)


async def test_a_huge_content_length_is_refused_before_the_body_is_read(kind: type[Any]) -> None:
    with (
        FloodServer(10 * 1024 * MiB, declared=True) as server,
        PeakMemory() as memory,
        pytest.raises(ResponseTooLargeError, match="Content-Length 10737418240"),
    ):
        await _run(kind, server, "complete", "hi")
    assert memory.growth < BOUND
    # What the kernel's socket buffers took before the client closed: nothing like 10 GB.
    assert server.sent < 32 * MiB


async def test_a_refused_websocket_handshake_with_a_huge_body_is_bounded(kind: type[Any]) -> None:
    answers = {"/v1/usage": USAGE_JSON}
    with (
        FloodServer(HALF_GB, status=403, declared=False, answers=answers) as server,
        PeakMemory() as memory,
        pytest.raises(ResponseTooLargeError) as info,
    ):
        await _run(kind, server, "stream", "hi")
    assert memory.growth < BOUND, f"{memory.growth / MiB:.0f} MiB"
    assert info.value.status_code == 403
    assert info.value.url.startswith("ws://")


@pytest.mark.parametrize("declared", [True, False])
async def test_the_limit_is_configurable_to_the_byte(kind: type[Any], declared: bool) -> None:
    with FloodServer(1000, declared=declared) as server:
        with pytest.raises(MalformedResponseError) as info:  # read whole: not JSON
            await _run(kind, server, "complete", "hi", max_response_bytes=1000)
        assert not isinstance(info.value, ResponseTooLargeError)
        with pytest.raises(ResponseTooLargeError):
            await _run(kind, server, "complete", "hi", max_response_bytes=999)


async def test_a_usual_answer_is_read_as_before(kind: type[Any]) -> None:
    with FloodServer(0, answers={"/v1/usage": USAGE_JSON}) as server:
        usage = await _run(kind, server, "get_usage", max_response_bytes=len(USAGE_JSON))
    assert usage.project_id == USAGE_BODY["project_id"]


@pytest.mark.parametrize(
    ("value", "error"), [(0, ValueError), (-1, ValueError), ("1", TypeError), (True, TypeError)]
)
def test_a_limit_that_is_not_a_positive_integer_is_refused(
    kind: type[Any], value: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match="max_response_bytes"):
        kind(base_url="http://localhost:8080", max_response_bytes=value)
