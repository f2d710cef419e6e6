"""``AsyncClaudeClient`` under trio, against the double over real sockets: every call, the
stream, retries (their waits go through anyio), and the batch runner's clear refusal."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
import trio

from claude_client import (
    AsyncClaudeClient,
    BudgetExceededError,
    Model,
    TaskFailedError,
    TokenEvent,
)
from claude_client.testing import ServiceDouble

PROMPT = "list three colors"
CHAT = "/v1/chat/completions"
_T = TypeVar("_T")


def run(double: ServiceDouble, body: Callable[[AsyncClaudeClient], Awaitable[_T]]) -> _T:
    """Run ``body`` with a fresh async client inside ``trio.run``."""

    async def main() -> _T:
        async with AsyncClaudeClient(double.base_url, double.api_key, retry_delay=0.01) as c:
            return await body(c)

    return trio.run(main)


def test_every_call_works_under_trio(claude_double: ServiceDouble) -> None:
    async def body(client: AsyncClaudeClient) -> None:
        answer = await client.complete(PROMPT, model=Model.HAIKU)
        assert answer.model == "haiku" and answer.content
        batch = await client.batch(["one", "two"], model=Model.HAIKU)
        assert (batch.total, batch.completed) == (2, 2)
        route = await client.route(PROMPT)
        assert isinstance(route.recommended_model, Model)
        assert (await client.health()).ok
        usage = await client.get_usage()
        assert usage.total_tokens == answer.usage.total_tokens + batch.total_tokens

    run(claude_double, body)


def test_streams_work_under_trio(claude_double: ServiceDouble) -> None:
    async def body(client: AsyncClaudeClient) -> tuple[str, str, int]:
        text = "".join([chunk async for chunk in client.stream(PROMPT, model=Model.HAIKU)])
        async with client.stream_events(PROMPT, model=Model.HAIKU) as stream:
            tokens = [event async for event in stream if isinstance(event, TokenEvent)]
            final = await stream.get_final_response()
        return text, final.content, len(tokens)

    text, final, tokens = run(claude_double, body)
    assert text == final and tokens > 1
    # both sockets closed (the server notices the second close a moment later)
    assert claude_double.stats.wait_until(lambda s: s.ws_opened == s.ws_closed == 2)


def test_retries_wait_and_errors_are_typed_under_trio(claude_double: ServiceDouble) -> None:
    claude_double.faults.fail(503, times=2, path=CHAT)

    async def body(client: AsyncClaudeClient) -> None:
        assert (await client.complete(PROMPT, model=Model.HAIKU)).content
        with pytest.raises(TaskFailedError):
            await client.complete("[[fail]]", model=Model.HAIKU)

    run(claude_double, body)
    assert claude_double.stats.snapshot().requests[CHAT] == 4

    async def spent(client: AsyncClaudeClient) -> None:
        broke = AsyncClaudeClient(claude_double.base_url, claude_double.exhausted_key)
        async with broke:
            with pytest.raises(BudgetExceededError):
                await broke.complete(PROMPT, model=Model.HAIKU)

    run(claude_double, spent)


def test_the_batch_runner_refuses_trio_before_any_request(claude_double: ServiceDouble) -> None:
    async def body(client: AsyncClaudeClient) -> None:
        with pytest.raises(RuntimeError, match="runs on asyncio only"):
            await client.run_batch(["one", "two"])
        with pytest.raises(RuntimeError, match=r"trio\.to_thread"):
            async for _ in client.iter_batch(["one"]):
                pass

    run(claude_double, body)
    assert claude_double.stats.snapshot().total_requests == 0


def test_the_file_runner_refuses_trio_before_touching_the_output(
    claude_double: ServiceDouble, tmp_path: Path
) -> None:
    prompts, results = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    prompts.write_text('{"id": "a", "prompt": "one"}\n')
    results.write_text('{"earlier": "results"}\n')

    async def body(client: AsyncClaudeClient) -> None:
        with pytest.raises(RuntimeError, match="runs on asyncio only"):
            await client.run_batch_file(prompts, results, resume=False)

    run(claude_double, body)
    assert results.read_text() == '{"earlier": "results"}\n'


def test_trio_guest_mode_on_an_asyncio_host_is_refused_too(claude_double: ServiceDouble) -> None:
    async def in_trio() -> None:
        async with AsyncClaudeClient(claude_double.base_url, claude_double.api_key) as client:
            with pytest.raises(RuntimeError, match="runs on asyncio only"):
                await client.run_batch(["one"])

    async def host() -> None:
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        trio.lowlevel.start_guest_run(
            in_trio,
            run_sync_soon_threadsafe=loop.call_soon_threadsafe,
            done_callback=done.set_result,
        )
        outcome = await done
        outcome.unwrap()

    asyncio.run(host())
    assert claude_double.stats.snapshot().total_requests == 0
