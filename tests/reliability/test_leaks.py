"""No leaks: ten thousand requests, successes and failures mixed, leave the process's file
descriptors and TCP sockets flat, sync and async; streams broken off at random points leave no
socket open on either side.

The double runs in this process, so its side of every connection is counted too: a connection
the client forgot would show twice, a request the double still held once.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

from claude_client import (
    APIConnectionError,
    AsyncClaudeClient,
    AuthenticationError,
    ClaudeAPIError,
    ClaudeClient,
    MalformedResponseError,
    ServerError,
    StreamError,
    TimeoutError,
    _config,
)
from claude_client.testing import ServiceDouble
from tests.integration.conftest import BATCH, CHAT, HEALTH, ROUTE, USAGE
from tests.reliability.conftest import Resources, settled, until
from tests.unit.conftest import Caller

REQUESTS = 10_000
#: Requests made before the first reading: the pool, the double and the interpreter warm up.
WARM_UP = 500
#: Every this many requests, one answer never comes to each client (it times out, hangs up).
HANG_EVERY = 2_000
#: Descriptors and sockets a reading after the clients closed may differ from the first by.
TOLERANCE = 2
#: ... and readings while the clients are open: two pools' keep-alive connections, both sides.
LOADED_TOLERANCE = 4


@pytest.fixture(scope="module")
def double() -> Iterator[ServiceDouble]:
    """A double of this module's own, without a rate limit in the way of 10,000 requests."""
    with ServiceDouble(rate_limit=10**9) as server:
        yield server


Step = Callable[[Caller, Caller, ServiceDouble], Awaitable[Any]]


def _faulted(program: Callable[[ServiceDouble], object], call: Step) -> Step:
    def step(client: Caller, retrying: Caller, double: ServiceDouble) -> Awaitable[Any]:
        program(double)
        return call(client, retrying, double)

    return step


#: One round of the mix: (name, step, what it must end in). ``client`` makes no retries;
#: ``retrying`` (a ``with_options`` copy on the same pool) makes one.
MIX: tuple[tuple[str, Step, type], ...] = (
    ("health", lambda c, r, d: c.health(), object),
    ("usage", lambda c, r, d: c.get_usage(), object),
    ("complete", lambda c, r, d: c.complete("list three colors", model="haiku"), object),
    ("route", lambda c, r, d: c.route("hello"), object),
    ("batch", lambda c, r, d: c.batch(["one", "two"], model="haiku"), object),
    (
        "503 then ok",
        _faulted(lambda d: d.faults.fail(503, path=USAGE), lambda c, r, d: r.get_usage()),
        object,
    ),
    (
        "503",
        _faulted(lambda d: d.faults.fail(503, path=HEALTH), lambda c, r, d: c.health()),
        ServerError,
    ),
    (
        "disconnect",
        _faulted(lambda d: d.faults.disconnect(path=CHAT), lambda c, r, d: c.complete("hi")),
        APIConnectionError,
    ),
    (
        "mid-body drop",
        _faulted(lambda d: d.faults.drop_mid_body(path=USAGE), lambda c, r, d: c.get_usage()),
        APIConnectionError,
    ),
    (
        "truncated json",
        _faulted(lambda d: d.faults.malformed_json(path=BATCH), lambda c, r, d: c.batch(["x"])),
        MalformedResponseError,
    ),
    (
        "html 502",
        _faulted(lambda d: d.faults.html_error(502, path=HEALTH), lambda c, r, d: c.health()),
        ServerError,
    ),
    (
        "401",
        _faulted(
            lambda d: d.faults.respond(401, {"detail": "Invalid or revoked API key"}, path=ROUTE),
            lambda c, r, d: c.route("hi"),
        ),
        AuthenticationError,
    ),
)


async def _one(step: Step, client: Caller, retrying: Caller, double: ServiceDouble) -> object:
    try:
        result: object = await step(client, retrying, double)
    except ClaudeAPIError as error:
        result = error
    return result


@contextlib.asynccontextmanager
async def _clients(kind: type, double: ServiceDouble) -> AsyncIterator[tuple[Caller, ...]]:
    """The client, its retrying copy, and an impatient client (waits 0.2 s for an answer)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_config, "READ_TIMEOUT_MARGIN", -0.8)
        impatient = Caller(kind(double.base_url, double.api_key, timeout=1, max_retries=0))
    client = Caller(kind(double.base_url, double.api_key, max_retries=0, retry_delay=0))
    retrying = Caller(client.client.with_options(max_retries=1))
    try:
        yield client, retrying, impatient
    finally:
        for caller in (client, retrying, impatient):
            await caller.close()


async def test_ten_thousand_mixed_requests_leave_sockets_and_descriptors_flat(
    double: ServiceDouble,
) -> None:
    """Half the requests through ``ClaudeClient``, half through ``AsyncClaudeClient``,
    interleaved; a reading of the resources every thousand requests."""
    double.reset()
    baseline = Resources.now()
    outcomes: Counter[tuple[str, str]] = Counter()
    readings: list[Resources] = []
    async with (
        _clients(ClaudeClient, double) as sync_clients,
        _clients(AsyncClaudeClient, double) as async_clients,
    ):
        for i in range(REQUESTS):
            if i >= WARM_UP and i % 1_000 == 0:
                # Let the double close its side of a connection the last failure dropped.
                readings.append(
                    settled(readings[0], LOADED_TOLERANCE, 2.0) if readings else Resources.now()
                )
            client, retrying, impatient = async_clients if i % 2 else sync_clients
            if i % HANG_EVERY in (0, 1):
                double.faults.hang(path=USAGE)
                result = await _one(lambda c, r, d: c.get_usage(), impatient, retrying, double)
                assert isinstance(result, TimeoutError), result
                outcomes["hang", "TimeoutError"] += 1
                continue
            name, step, expected = MIX[i // 2 % len(MIX)]
            result = await _one(step, client, retrying, double)
            assert isinstance(result, expected), (name, result)
            outcomes[name, type(result).__name__] += 1
        assert not double.faults.pending
        readings.append(settled(readings[0], LOADED_TOLERANCE, 2.0))
    assert sum(outcomes.values()) == REQUESTS
    assert outcomes["hang", "TimeoutError"] == 2 * REQUESTS // HANG_EVERY
    failures = sum(n for (_, result), n in outcomes.items() if result.endswith("Error"))
    assert failures > REQUESTS // 3
    # Flat while loaded: at most the keep-alive connections of the two pools (both sides)
    # being replaced between two readings; one leaked connection per failure would be thousands.
    first = readings[0]
    assert all(r.within(first, LOADED_TOLERANCE) for r in readings), readings
    assert await until(double, lambda s: double.stats.open_connections == 0)
    after = settled(baseline, TOLERANCE)
    assert after.within(baseline, TOLERANCE), (baseline, after)


# --- streams broken off at random points ----------------------------------------------------------

STREAMS = 40
PROMPT = "tell me a story about a whale"
#: Ways to leave a stream: read it all, break, raise in the loop, close the generator early,
#: drop it unclosed, let the server cut it (cleanly or not), or starve it into a timeout.
ENDINGS = ("read all", "break", "raise", "close early", "abandon", "cut", "cut abruptly", "starve")


class _Stop(Exception):
    """The caller's own exception, raised inside the loop."""


def _prepare(double: ServiceDouble, ending: str, at: int) -> tuple[str, float | None]:
    """The prompt and the wait for a stream that ends as ``ending``; a cut is programmed."""
    if ending.startswith("cut"):
        double.faults.ws_close_after(at, abrupt=ending == "cut abruptly")
    if ending == "starve":
        return "[[sleep:0.3]] " + PROMPT, 0.05
    return PROMPT, None


def _sync_stream(client: ClaudeClient, double: ServiceDouble, ending: str, at: int) -> None:
    prompt, wait = _prepare(double, ending, at)
    chunks = client.stream(prompt, model="haiku", timeout=wait)
    with contextlib.suppress(_Stop, StreamError, TimeoutError):
        for n, _chunk in enumerate(chunks):
            if n == at and ending in ("break", "close early", "abandon"):
                break
            if n == at and ending == "raise":
                raise _Stop
    if ending == "close early":
        chunks.close()
    del chunks  # "abandon": the generator is finalized here, unclosed by the caller


async def _async_stream(
    client: AsyncClaudeClient, double: ServiceDouble, ending: str, at: int
) -> None:
    prompt, wait = _prepare(double, ending, at)
    chunks = client.stream(prompt, model="haiku", timeout=wait)
    with contextlib.suppress(_Stop, StreamError, TimeoutError):
        n = 0
        async for _chunk in chunks:
            if n == at and ending in ("break", "close early", "abandon"):
                break
            if n == at and ending == "raise":
                raise _Stop
            n += 1
    if ending == "close early":
        await chunks.aclose()
    del chunks  # "abandon": the event loop finalizes the generator


async def _cancelled(client: AsyncClaudeClient, at: int) -> None:
    """A task reading a stream, cancelled from outside after ``at`` chunks."""
    arrived = asyncio.Event()

    async def read() -> None:
        n = 0
        async for _chunk in client.stream(PROMPT, model="haiku"):
            n += 1
            if n > at:
                arrived.set()

    task = asyncio.create_task(read())
    waiter = asyncio.create_task(arrived.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    task.cancel()
    waiter.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_streams_broken_off_at_random_points_leave_no_socket(
    claude_double: ServiceDouble, kind: str
) -> None:
    claude_double.token_delay = 0.002  # slices arrive one by one: breaks land mid-stream
    baseline = Resources.now()
    chooser = random.Random(f"streams-{kind}")
    endings = Counter[str]()
    if kind == "sync":
        with ClaudeClient(claude_double.base_url, claude_double.api_key) as client:
            for _ in range(STREAMS):
                ending, at = chooser.choice(ENDINGS), chooser.randrange(0, 12)
                _sync_stream(client, claude_double, ending, at)
                endings[ending] += 1
    else:
        async with AsyncClaudeClient(claude_double.base_url, claude_double.api_key) as aclient:
            for _ in range(STREAMS):
                ending, at = chooser.choice((*ENDINGS, "cancel")), chooser.randrange(0, 12)
                if ending == "cancel":
                    await _cancelled(aclient, at)
                else:
                    await _async_stream(aclient, claude_double, ending, at)
                endings[ending] += 1
    assert len(endings) >= 6, endings  # the seed gives a real mix
    assert await until(claude_double, lambda s: s.ws_opened == STREAMS and s.ws_open == 0)
    assert await until(claude_double, lambda s: claude_double.stats.open_connections == 0)
    after = settled(baseline, TOLERANCE)
    assert after.within(baseline, TOLERANCE), (baseline, after)
