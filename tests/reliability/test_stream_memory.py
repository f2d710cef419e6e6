"""Issue 14 item 14: iterating ``stream()`` keeps no chunk the caller does not keep: memory
stays flat however much is streamed (before, 300 MB streamed took RSS up by 340 MB, as the
stream kept every chunk for a final response that ``stream()`` never hands out).
``stream_events()`` still keeps them for ``get_final_response()``."""

from __future__ import annotations

from typing import Any

import pytest

from claude_client import AsyncClaudeClient, ClaudeClient
from tests.reliability.flood import USAGE_JSON, FloodServer, PeakMemory
from tests.unit.conftest import KEY, Caller

MiB = 1024 * 1024
TOKENS = 256  # frames of 1 MiB: 256 MiB streamed


@pytest.mark.parametrize("kind", [ClaudeClient, AsyncClaudeClient])
async def test_iterating_stream_keeps_memory_flat(kind: type[Any]) -> None:
    answers = {"/v1/usage": USAGE_JSON}
    with FloodServer(0, answers=answers, tokens=TOKENS, token_chars=MiB) as server:
        caller = Caller(kind(base_url=server.url, api_key=KEY))
        received = 0
        with PeakMemory() as memory:
            if isinstance(caller.client, AsyncClaudeClient):
                async for chunk in caller.client.stream("hi", model="haiku"):
                    received += len(chunk)
            else:
                for chunk in caller.client.stream("hi", model="haiku"):
                    received += len(chunk)
        await caller.close()
    assert received == TOKENS * MiB
    assert memory.growth < 64 * MiB, f"{memory.growth / MiB:.0f} MiB"


def test_stream_events_still_gives_the_whole_text() -> None:
    answers = {"/v1/usage": USAGE_JSON}
    with (
        FloodServer(0, answers=answers, tokens=3, token_chars=5) as server,
        ClaudeClient(base_url=server.url, api_key=KEY) as client,
        client.stream_events("hi", model="haiku") as stream,
    ):
        reply = stream.get_final_response()
    assert reply.content == "x" * 15
