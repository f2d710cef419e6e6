"""Issue 14's wire items over real sockets, sync and async: the client's wait is never a task
limit (1), a missing key is an authentication error (2), a rate-limited call does not block
for minutes (3), a gateway's 504 never reruns a billed task (4), every call and stream
handshake ends at its deadline however slowly the answer drips (6), and cancelled calls give
their connections back (13).
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpcore
import httpx
import pytest

from claude_client import (
    APITimeoutError,
    AsyncClaudeClient,
    AuthenticationError,
    MissingCredentialsError,
    PermissionDeniedError,
    PoolTimeoutError,
    RateLimitError,
    ServerError,
    TaskFailedError,
    UsageStats,
    _config,
    _pool,
)
from claude_client.testing import ServiceDouble
from tests.integration.conftest import BATCH, CHAT, Factory, RecordingClock
from tests.reliability.hostile import JSON_HEAD, UPGRADE_HEAD, DripServer, GatewayTimeout


async def _outcome(call: Any) -> Any:
    try:
        return await call
    except Exception as error:  # the test looks at what it got
        return error


# --- 1. the client's wait is its own -------------------------------------------------------


async def test_the_constructor_timeout_is_a_wait_not_a_task_limit(
    make: Factory, claude_double: ServiceDouble
) -> None:
    """``ClaudeClient(timeout=1)`` sent a 1 s task limit: the service killed a 1.5 s task
    (500, one worker slot stuck for good on the real service). Now the client stops waiting
    after 1 s with a timeout that says the task may still run and be billed, and the task
    finishes on the service."""
    client = make(timeout=1.0)
    outcome = await _outcome(client.complete("[[sleep:1.5]] list three colors", "haiku"))
    assert not isinstance(outcome, TaskFailedError), outcome
    assert isinstance(outcome, APITimeoutError), outcome
    assert isinstance(outcome, TimeoutError)
    assert "may still run on the service and be billed" in str(outcome)
    assert claude_double.stats.requests(CHAT) == 1  # a timed-out task is never sent again
    usage = await make().get_usage()
    billed = lambda _: claude_double.usage(usage.project_id).total_tokens > 0  # noqa: E731
    assert await asyncio.to_thread(claude_double.stats.wait_until, billed)


def test_the_default_wait_outlasts_the_services_own_task_limit() -> None:
    assert _config.DEFAULT_TIMEOUT > _config.SERVICE_TASK_LIMIT
    assert AsyncClaudeClient("http://127.0.0.1:9").timeout == _config.DEFAULT_TIMEOUT


# --- 2. no key ---------------------------------------------------------------------------------


async def test_no_key_is_an_authentication_error(
    make: Factory, claude_double: ServiceDouble
) -> None:
    client = make(api_key=None)
    error = await _outcome(client.get_usage())
    assert isinstance(error, AuthenticationError), error
    assert isinstance(error, MissingCredentialsError)
    assert not isinstance(error, PermissionDeniedError)
    assert "api_key=" in str(error) and "CLAUDE_CODE_API_KEY" in str(error)


# --- 3. rate limits ------------------------------------------------------------------------


async def test_rate_limited_calls_raise_at_once_unless_the_window_is_near(
    make: Factory, claude_double: ServiceDouble, retry_clock: RecordingClock
) -> None:
    """30 ``get_usage()`` with a 3-per-minute key took 8.5 minutes: each rate-limited call
    waited for the next minute, 3 times. Now a call waits only for a window that opens
    within ``max_retry_delay``; else ``RateLimitError`` at once, with ``retry_after``."""
    retry_clock.on_sleep = claude_double.clock.advance  # a wait really moves the window on
    key = claude_double.add_key("three-a-minute", rate_limit=3)
    client = make(api_key=key, retry_delay=0.5, max_retry_delay=8.0)
    outcomes = [await _outcome(client.get_usage()) for _ in range(30)]
    limited = [o for o in outcomes if isinstance(o, RateLimitError)]
    assert limited, outcomes
    assert all(isinstance(o, UsageStats | RateLimitError) for o in outcomes), outcomes
    assert all(e.retry_after is not None and 0 < e.retry_after <= 60 for e in limited)
    assert all(wait <= 8.0 + 1.0 for wait in retry_clock.sleeps), retry_clock.sleeps


# --- 4. a gateway's 504 ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [CHAT, BATCH])
async def test_a_gateway_504_never_reruns_a_billed_task(
    make: Factory, claude_double: ServiceDouble, path: str
) -> None:
    """Behind a gateway that times out first, one ``complete()`` started 4 tasks (4 bills)."""
    with GatewayTimeout(claude_double.base_url) as gateway:
        client = make(base_url=gateway.url)
        if path == CHAT:
            error = await _outcome(client.complete("list three colors", "haiku"))
        else:
            error = await _outcome(client.batch(["one", "two"], "haiku"))
        assert isinstance(error, ServerError) and error.status_code == 504, error
        assert "the task may still run" in str(error)
        gateway.settle()
        assert gateway.forwarded == 1
        assert claude_double.stats.requests(path) == 1
        opted_in = make(base_url=gateway.url, retry_on_task_failure=True, max_retries=2)
        await _outcome(opted_in.complete("list three colors", "haiku"))
        gateway.settle()
        assert gateway.forwarded == 1 + 3  # the opt-in reruns it, as documented


async def test_a_gateway_504_of_a_safe_call_is_retried(
    make: Factory, claude_double: ServiceDouble
) -> None:
    with GatewayTimeout(claude_double.base_url) as gateway:
        error = await _outcome(make(base_url=gateway.url, max_retries=2).get_usage())
        assert isinstance(error, ServerError) and error.status_code == 504, error
        assert gateway.forwarded == 3


async def test_a_batch_run_waits_rate_limit_windows_out_and_shows_it(
    make: Factory, claude_double: ServiceDouble, retry_clock: RecordingClock
) -> None:
    """A batch is a long job: a chunk the rate limit refused waits for its window (bounded,
    counted in the progress) and is sent again, instead of failing its prompts."""
    retry_clock.on_sleep = claude_double.clock.advance
    key = claude_double.add_key("three-a-minute", rate_limit=3)
    client = make(api_key=key)
    seen: list[int] = []
    result = await client.run_batch(
        [f"prompt {n}" for n in range(8)],
        model="haiku",
        chunk_size=1,
        concurrency=1,
        on_progress=lambda summary: seen.append(summary.rate_limit_waits),
    )
    assert (result.completed, result.failed) == (8, 0), result
    assert result.rate_limit_waits >= 2
    assert max(seen) == result.rate_limit_waits
    assert all(wait <= _config.BATCH_RATE_LIMIT_WAIT for wait in retry_clock.sleeps)


# --- 6. a deadline for every call and stream handshake ---------------------------------------

#: The client's wait in these tests, in seconds.
WAIT = 0.5
#: The pace of a dripping server: a byte per this many seconds (each read returns in time).
DRIP = 0.05


def _dripped(drip_head: bool, length: int = 400) -> DripServer:
    """An answer that takes ``length x DRIP`` seconds to arrive (20 s), far past ``WAIT``."""
    body = b"x" * length
    head = JSON_HEAD % len(body)
    return DripServer(head, body, delay=DRIP, drip_head=drip_head)


@pytest.mark.parametrize("drip_head", [False, True], ids=["body dripped", "headers dripped"])
@pytest.mark.parametrize("method", ["complete", "get_usage"])
async def test_a_dripped_answer_ends_at_the_calls_deadline(
    make: Factory, drip_head: bool, method: str
) -> None:
    """A body dripped at a byte per interval kept ``complete(timeout=1)`` running past 45 s:
    each read returned in time, so no read timeout fired. Now the wait is a wall-clock
    deadline over connect, send, headers and body."""
    with _dripped(drip_head) as server:
        client = make(base_url=server.url, timeout=WAIT, max_retries=0)
        call = client.complete("hi", "haiku") if method == "complete" else client.get_usage()
        error = await _outcome(call)
        assert isinstance(error, APITimeoutError), error
        assert server.sent < server.total  # the client gave up long before the answer ended


async def test_a_dripped_body_through_a_callers_own_http_client_ends_too(make: Factory) -> None:
    with _dripped(drip_head=False) as server:
        probe = make(base_url=server.url)  # which kind of client this run makes
        http = httpx.AsyncClient() if probe.is_async else httpx.Client()
        own = make(base_url=server.url, timeout=WAIT, max_retries=0, http_client=http)
        error = await _outcome(own.get_usage())
        assert isinstance(error, APITimeoutError), error
        assert server.sent < server.total
        if isinstance(http, httpx.AsyncClient):
            await http.aclose()
        else:
            http.close()


async def test_retries_of_a_dripped_answer_each_end_at_their_deadline(make: Factory) -> None:
    with _dripped(drip_head=False) as server:
        client = make(base_url=server.url, timeout=WAIT, max_retries=2)
        error = await _outcome(client.get_usage())  # runs no task: a timeout is retried
        assert isinstance(error, APITimeoutError), error
        assert server.sent < server.total


async def test_a_dripped_websocket_handshake_ends_at_the_streams_timeout(make: Factory) -> None:
    """A handshake dripped the same way ignored ``stream(timeout=3)`` for 40 s."""
    with DripServer(UPGRADE_HEAD, delay=DRIP, drip_head=True) as server:
        client = make(base_url=server.url)
        client.client._project.project_id = "p"  # no usage lookup: straight to the socket
        inner = client.client
        if isinstance(inner, AsyncClaudeClient):
            error = await _outcome(_first_async_chunk(inner))
        else:
            error = await _outcome(asyncio.to_thread(_first_chunk, inner))
        assert isinstance(error, APITimeoutError), error
        assert server.sent < server.total


async def _first_async_chunk(client: AsyncClaudeClient) -> str:
    return await client.stream("hi", "haiku", timeout=WAIT).__anext__()


def _first_chunk(client: Any) -> str:
    return str(next(client.stream("hi", "haiku", timeout=WAIT)))


# --- 13. cancelled calls give their connections back ---------------------------------------


#: 10,000 cancelled calls and streams, 200 at a time, each cancelled within 1 ms.
WAVES, WAVE, CANCEL_WITHIN = 50, 200, 0.001


async def test_ten_thousand_cancelled_calls_and_streams_leave_the_client_serving() -> None:
    """Async calls and streams cancelled within milliseconds leaked pool connections; after
    about 5,000 every call failed. Here 10,000 are cancelled at random points of their first
    milliseconds (connecting, sending, waiting), and the client still serves at once, with no
    connection left that no request owns."""
    rng = random.Random(14)
    with ServiceDouble() as double:
        await _storm(double.base_url, double.api_key, rng)


async def _storm(base: str, key: str, rng: random.Random) -> None:
    async with AsyncClaudeClient(base, key, timeout=2) as client:
        await client.get_usage()  # learn the project: a stream goes straight to its socket

        async def cancelled(n: int) -> None:
            call = client.stream("hi", "haiku").__anext__() if n % 4 == 0 else client.get_usage()
            task = asyncio.ensure_future(call)
            await asyncio.sleep(rng.random() * CANCEL_WITHIN)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

        for wave in range(WAVES):
            await asyncio.gather(*(cancelled(wave * WAVE + n) for n in range(WAVE)))
        usage = await client.get_usage()  # a free connection at once (pool wait: 2 s)
        assert isinstance(usage, UsageStats)
        # limits -> fork guard -> pool
        pool = client._inner.transport.transport._pool  # type: ignore[attr-defined]
        assert _pool._orphans(pool) == []


async def test_a_connection_left_by_a_cancelled_request_is_reclaimed() -> None:
    """The upstream defect (encode/httpcore#1093) step by step, as the pool's own code goes:
    a queued request is given a new connection, then cancelled before it uses it. httpcore's
    pool keeps that connection for good (one slot fewer, until every call times out); ours
    closes it the next time it assigns connections."""
    from httpcore._async.connection_pool import AsyncPoolRequest

    plain = httpcore.AsyncConnectionPool()
    ours = _pool.async_pool_transport()._pool
    for pool in (plain, ours):
        waiting = AsyncPoolRequest(httpcore.Request("GET", "http://127.0.0.1:9/"))
        pool._requests.append(waiting)
        pool._assign_requests_to_connections()  # a new connection, for the queued request
        assert waiting.connection is not None
        pool._requests.remove(waiting)  # cancelled: the pool's except branch
        closing = pool._assign_requests_to_connections()
        left = pool.connections
        if pool is plain:
            assert left == [waiting.connection]  # the leak
        else:
            assert (left, closing) == ([], [waiting.connection])


async def test_a_full_pool_is_a_typed_error_that_fails_fast(
    claude_double: ServiceDouble, retry_clock: RecordingClock
) -> None:
    """No free connection within the wait was retried 3 times (162 s before every call
    failed); now it is one ``PoolTimeoutError``."""
    claude_double.faults.hang(path="/v1/usage")
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(limits=limits) as http:
        base, key = claude_double.base_url, claude_double.api_key
        holder = AsyncClaudeClient(base, key, timeout=5, max_retries=0, http_client=http)
        hanging = asyncio.ensure_future(holder.get_usage())
        await asyncio.to_thread(
            claude_double.stats.wait_until, lambda s: s.requests.get("/v1/usage", 0) == 1
        )
        waiting = AsyncClaudeClient(base, key, timeout=WAIT, http_client=http)
        error = await _outcome(waiting.health())
        assert isinstance(error, PoolTimeoutError), error
        assert retry_clock.sleeps == []  # not retried
        hanging.cancel()
        await asyncio.gather(hanging, return_exceptions=True)
