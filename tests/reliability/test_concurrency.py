"""One client shared: an ``AsyncClaudeClient`` by 200 concurrent tasks, a ``ClaudeClient`` by 16
threads. Every call gets its own answer, never another's: the double's stand-in model derives
each reply from the prompt and model alone (``claude_client.testing._standin.reply_text``), so
each result is checked against exactly what its own prompt must give. Calls mix methods, models,
per-call timeouts, ``with_options`` copies on the same pool, streams and failing prompts.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from claude_client import (
    AsyncClaudeClient,
    BatchResponse,
    ClaudeClient,
    Response,
    RouteRecommendation,
    TaskFailedError,
)
from claude_client.testing import ServiceDouble
from claude_client.testing._standin import count_tokens, reply_text

TASKS = 200
THREADS = 16
CALLS_PER_THREAD = 12
MODELS = ("haiku", "sonnet", "opus")


def _prompt(n: int) -> str:
    """A prompt of its own: its words (the reply's topic) name the call."""
    return f"caller {n} asks about item zq{n:04d} of list {n % 7}"


def _check_reply(reply: Response, prompt: str, model: str) -> None:
    sent = f"user: {prompt}"  # the service joins messages as "role: content"
    assert reply.content == reply_text(sent, model), (prompt, reply.content)
    assert reply.model == model
    assert reply.usage.input_tokens == count_tokens(sent)


def _check_batch(answer: BatchResponse, prompts: list[str], model: str) -> None:
    assert [r.id for r in answer.results] == ["0", "1"]
    assert [r.prompt for r in answer.results] == prompts
    for result, prompt in zip(answer.results, prompts, strict=True):
        assert result.content == reply_text(prompt, model), (prompt, result.content)


def _job(n: int) -> tuple[str, str, str]:
    """What call ``n`` does: (kind, prompt, model)."""
    kinds = ("complete", "complete", "batch", "route", "stream", "copy", "fail")
    return kinds[n % len(kinds)], _prompt(n), MODELS[n % len(MODELS)]


def _verify(n: int, outcome: Any, expected_route: Callable[[str], RouteRecommendation]) -> None:
    kind, prompt, model = _job(n)
    if kind == "fail":
        assert isinstance(outcome, TaskFailedError), (n, outcome)
    elif kind in ("complete", "copy"):
        _check_reply(outcome, prompt, model)
    elif kind == "batch":
        _check_batch(outcome, [prompt, prompt + " too"], model)
    elif kind == "route":
        expected = expected_route(prompt)  # asked again alone; the budget moved on since
        assert (outcome.recommended_model, outcome.reasoning) == (
            expected.recommended_model,
            expected.reasoning,
        ), (n, outcome)
    else:  # a stream: its joined chunks are its own prompt's reply
        assert outcome == reply_text(f"user: {prompt}", model), (n, outcome)


@pytest.fixture
def key(claude_double: ServiceDouble) -> str:
    """A key whose rate limit lets hundreds of calls through in one minute."""
    return claude_double.add_key("crowd", rate_limit=100_000)


async def test_two_hundred_tasks_share_one_async_client(
    claude_double: ServiceDouble, key: str
) -> None:
    async with AsyncClaudeClient(claude_double.base_url, key, max_retries=0) as client:
        patient = client.with_options(timeout=120)
        await client.get_usage()  # the key's project, learned once for the streams

        async def call(n: int) -> Any:
            kind, prompt, model = _job(n)
            await asyncio.sleep(0)
            if kind == "complete":
                return await client.complete(prompt, model, timeout=30 + n % 5)
            if kind == "copy":
                return await patient.complete([{"role": "user", "content": prompt}], model)
            if kind == "batch":
                return await client.batch([prompt, prompt + " too"], model)
            if kind == "route":
                return await client.route(prompt, context_size=n * 100)
            if kind == "stream":
                return "".join([chunk async for chunk in client.stream(prompt, model)])
            return await client.complete(prompt + " [[fail]]", model)

        outcomes = await asyncio.gather(*(call(n) for n in range(TASKS)), return_exceptions=True)
        routes = {
            _prompt(n): await client.route(_prompt(n), context_size=n * 100)
            for n in range(TASKS)
            if _job(n)[0] == "route"
        }
    for n, outcome in enumerate(outcomes):
        _verify(n, outcome, routes.__getitem__)
    assert claude_double.stats.requests("/v1/chat/completions") >= TASKS * 4 // 7


def test_sixteen_threads_share_one_sync_client(claude_double: ServiceDouble, key: str) -> None:
    start = threading.Barrier(THREADS)
    with ClaudeClient(claude_double.base_url, key, max_retries=0) as client:
        patient = client.with_options(timeout=120)
        client.get_usage()

        def call(n: int) -> Any:
            kind, prompt, model = _job(n)
            if kind == "complete":
                return client.complete(prompt, model, timeout=30 + n % 5)
            if kind == "copy":
                return patient.complete([{"role": "user", "content": prompt}], model)
            if kind == "batch":
                return client.batch([prompt, prompt + " too"], model)
            if kind == "route":
                return client.route(prompt, context_size=n * 100)
            if kind == "stream":
                return "".join(client.stream(prompt, model))
            try:
                return client.complete(prompt + " [[fail]]", model)
            except TaskFailedError as error:
                return error

        def thread(t: int) -> list[tuple[int, Any]]:
            start.wait()
            calls = range(t, THREADS * CALLS_PER_THREAD, THREADS)
            return [(n, call(n)) for n in calls]

        with ThreadPoolExecutor(THREADS) as pool:
            outcomes = [pair for part in pool.map(thread, range(THREADS)) for pair in part]
        routes = {
            _prompt(n): client.route(_prompt(n), context_size=n * 100)
            for n, _ in outcomes
            if _job(n)[0] == "route"
        }
    assert len(outcomes) == THREADS * CALLS_PER_THREAD
    for n, outcome in outcomes:
        _verify(n, outcome, routes.__getitem__)
