"""Retries, timeouts and broken answers over real sockets, sync and async: the retry policy
documented in ``claude_client._retries`` as the double's counters see it (requests made, tasks
run), with waits recorded instead of slept where the policy would wait a minute."""

from __future__ import annotations

import builtins
import math
import time
from typing import Any

import pytest
from claude_code_api.api.usage import get_usage
from claude_code_api.models import UsageResponse

from claude_client import (
    APIConnectionError,
    MalformedResponseError,
    RateLimitError,
    ServerError,
    TaskFailedError,
    TimeoutError,
)
from claude_client.testing import ServiceDouble
from tests.integration.conftest import (
    CHAT,
    HEALTH,
    HEALTH_STATUS,
    ROUTE,
    USAGE,
    Factory,
    RecordingClock,
    keys_of,
    low_level,
    raises,
)
from tests.unit.conftest import Caller

#: Seconds the server's ``Date`` header may lag behind the clock.
DATE_LAG = 2

# --- retried: the request surely did not run --------------------------------------------------


async def test_a_503_burst_is_retried_until_the_answer(
    client: Caller, claude_double: ServiceDouble
) -> None:
    claude_double.faults.fail(503, times=3, path=CHAT)
    reply = await client.complete("list three colors", model="haiku")
    assert "list three colors" in reply.content
    assert claude_double.stats.requests(CHAT) == 4  # max_retries=3: every retry used
    assert claude_double.stats.tasks_started == 1


@pytest.mark.parametrize("status", [502, 504])
async def test_a_gateway_error_is_retried_only_for_calls_that_run_no_task(
    client: Caller, claude_double: ServiceDouble, status: int
) -> None:
    claude_double.faults.fail(status, times=3, path=CHAT)
    await raises(ServerError, client.complete("list three colors", model="haiku"))
    assert claude_double.stats.requests(CHAT) == 1  # the task may still run behind a gateway
    claude_double.faults.fail(status, times=3, path=USAGE)
    await client.get_usage()
    assert claude_double.stats.requests(USAGE) == 4


async def test_a_burst_longer_than_the_retries_is_a_server_error(
    client: Caller, claude_double: ServiceDouble
) -> None:
    claude_double.faults.fail(503, times=None, path=CHAT)
    error = await raises(ServerError, client.complete("hi"), *keys_of(claude_double))
    assert (error.status_code, error.detail) == (503, "Service Unavailable")
    assert claude_double.stats.requests(CHAT) == 4
    assert claude_double.stats.tasks_started == 0


async def test_a_429_whose_retry_after_is_past_max_retry_delay_is_raised_at_once(
    make: Factory, claude_double: ServiceDouble, retry_clock: RecordingClock
) -> None:
    claude_double.faults.rate_limit(times=2, retry_after="600", path=USAGE)
    error = await raises(RateLimitError, make(max_retry_delay=61).get_usage())
    assert error.retry_after == 600.0
    assert retry_clock.sleeps == []
    assert claude_double.stats.requests(USAGE) == 1


@pytest.mark.parametrize(("retry_after", "wait"), [("7", 7.0), ("0.25", 0.25)])
async def test_a_429_burst_with_retry_after_waits_as_told(
    make: Factory,
    claude_double: ServiceDouble,
    retry_clock: RecordingClock,
    retry_after: str,
    wait: float,
) -> None:
    claude_double.faults.rate_limit(times=2, retry_after=retry_after, path=USAGE)
    usage = await make(max_retry_delay=61).get_usage()  # waits out any window
    assert usage.project_id == claude_double.project_id
    assert retry_clock.sleeps == [wait, wait]
    assert claude_double.stats.requests(USAGE) == 3


def _next_minute_waits(start: float, end: float, jitter: float) -> set[float]:
    """What the policy may wait after a 429 answered between ``start`` and ``end``: from the
    whole second in the answer's ``Date`` header to the next minute, plus the jitter. uvicorn
    refreshes its ``Date`` about once a second, so the header may lag the clock a little."""
    seconds = range(math.floor(start) - DATE_LAG, math.ceil(end) + 1)
    return {60 - second % 60 + jitter for second in seconds}


async def test_the_real_rate_limit_waits_for_the_next_calendar_minute(
    make: Factory, claude_double: ServiceDouble, retry_clock: RecordingClock
) -> None:
    claude_double.clock.freeze()
    key = claude_double.add_key("busy-project", rate_limit=1)
    # The wait ends inside the next minute; moving the double on by one is enough.
    retry_clock.on_sleep = lambda _: claude_double.clock.advance(60)
    busy = make(api_key=key, max_retry_delay=61)
    await busy.get_usage()
    start = time.time()
    usage = await busy.get_usage()  # 429 (no Retry-After), a wait, then 200
    end = time.time()
    assert usage.project_id == "busy-project"
    assert len(retry_clock.sleeps) == 1
    assert retry_clock.sleeps[0] in _next_minute_waits(start, end, jitter=retry_clock.rand)
    assert claude_double.stats.requests(USAGE) == 3


async def test_the_rate_limit_gives_up_after_the_retries(
    make: Factory, claude_double: ServiceDouble, retry_clock: RecordingClock
) -> None:
    claude_double.clock.freeze()
    key = claude_double.add_key("busy-project", rate_limit=1)
    busy = make(api_key=key, max_retries=2, max_retry_delay=61)
    await busy.route("hi")
    start = time.time()
    await raises(RateLimitError, busy.route("hi"), key)
    assert len(retry_clock.sleeps) == 2
    allowed = _next_minute_waits(start, time.time(), jitter=retry_clock.rand)
    assert set(retry_clock.sleeps) <= allowed
    assert claude_double.stats.requests(ROUTE) == 4


# --- 500 Task failed: the task ran; retried only on request -----------------------------------


@pytest.mark.parametrize(
    ("options", "runs"),
    [({}, 1), ({"retry_on_task_failure": True, "max_retries": 2}, 3)],
    ids=["default", "retry_on_task_failure"],
)
async def test_a_failed_task_is_run_again_only_on_request(
    make: Factory, claude_double: ServiceDouble, options: dict[str, Any], runs: int
) -> None:
    client = make(**options)
    await raises(TaskFailedError, client.complete("[[fail]]"), *keys_of(claude_double))
    assert claude_double.stats.requests(CHAT) == runs
    assert claude_double.stats.tasks_started == runs


async def test_retry_on_task_failure_through_with_options_recovers(
    client: Caller, claude_double: ServiceDouble
) -> None:
    claude_double.faults.fail(500, body={"detail": "Task failed: flaky worker"}, path=CHAT)
    eager = Caller(client.client.with_options(retry_on_task_failure=True))
    reply = await eager.complete("count to three", model="sonnet")
    assert "count to three" in reply.content
    assert claude_double.stats.requests(CHAT) == 2
    assert claude_double.stats.tasks_started == 1


# --- no answer: timeouts and dropped connections ----------------------------------------------


async def test_a_slow_completion_ends_in_a_timeout_not_retried(
    make: Factory, claude_double: ServiceDouble, short_http_margin: float
) -> None:
    impatient = make(timeout=1)  # waits 1 + short_http_margin seconds for an answer
    claude_double.faults.slow(30, path=CHAT)
    error = await raises(TimeoutError, impatient.complete("hi"), *keys_of(claude_double))
    assert isinstance(error, APIConnectionError)
    assert isinstance(error, builtins.TimeoutError)
    assert (error.method, error.url) == ("POST", claude_double.base_url + CHAT)
    assert claude_double.stats.requests(CHAT) == 1  # it may have run: not sent again


async def test_a_slow_usage_answer_is_retried(
    make: Factory, claude_double: ServiceDouble, short_http_margin: float
) -> None:
    claude_double.faults.slow(30, path=USAGE)
    usage = await make(timeout=1).get_usage()
    assert usage.project_id == claude_double.project_id
    assert claude_double.stats.requests(USAGE) == 2


@pytest.mark.parametrize(("fault", "tasks"), [("drop_mid_body", 1), ("disconnect", 0)])
async def test_a_lost_answer_to_a_completion_is_a_connection_error_not_retried(
    client: Caller, claude_double: ServiceDouble, fault: str, tasks: int
) -> None:
    getattr(claude_double.faults, fault)(path=CHAT)
    error = await raises(APIConnectionError, client.complete("hi"), *keys_of(claude_double))
    assert not isinstance(error, TimeoutError)
    assert "RemoteProtocolError" in str(error)
    assert claude_double.stats.requests(CHAT) == 1
    # A body cut mid-way means the task ran (and was billed): another try would bill again.
    assert claude_double.stats.tasks_started == tasks
    billed = (await client.get_usage()).total_tokens
    assert (billed > 0) == bool(tasks)


@pytest.mark.parametrize("fault", ["drop_mid_body", "disconnect"])
async def test_a_lost_answer_to_a_safe_request_is_retried(
    client: Caller, claude_double: ServiceDouble, fault: str
) -> None:
    getattr(claude_double.faults, fault)(path=HEALTH)
    assert (await client.health()).status == HEALTH_STATUS[claude_double.generation]
    assert claude_double.stats.requests(HEALTH) == 2


# --- answers that break the contract ----------------------------------------------------------


async def test_truncated_json_is_a_malformed_response(
    client: Caller, claude_double: ServiceDouble
) -> None:
    claude_double.faults.malformed_json(path=CHAT)
    error = await raises(MalformedResponseError, client.complete("hi"), *keys_of(claude_double))
    assert (error.status_code, error.method) == (200, "POST")
    assert error.url == claude_double.base_url + CHAT
    assert error.body_excerpt.startswith('{"id":"')
    assert claude_double.stats.requests(CHAT) == 1


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<html><body>Welcome to nginx!</body></html>", "text/html"),
        ({"status": "ok", "services": {}}, "application/json"),  # no version
        ({"status": "ok", "version": 1, "services": {}}, "application/json"),  # wrong type
    ],
)
async def test_a_2xx_body_outside_the_contract_is_a_malformed_response(
    client: Caller, claude_double: ServiceDouble, body: str | dict[str, object], content_type: str
) -> None:
    claude_double.faults.respond(200, body, content_type=content_type, path=HEALTH)
    error = await raises(MalformedResponseError, client.health(), *keys_of(claude_double))
    assert error.status_code == 200


@pytest.mark.parametrize(("status", "requests"), [(502, 1), (503, 4), (500, 1)])
async def test_a_proxys_html_error_page_is_a_server_error(
    client: Caller, claude_double: ServiceDouble, status: int, requests: int
) -> None:
    claude_double.faults.html_error(status, times=None, path=CHAT)
    error = await raises(ServerError, client.complete("hi"), *keys_of(claude_double))
    assert not isinstance(error, TaskFailedError)
    assert error.status_code == status
    assert isinstance(error.body, str) and error.body.startswith("<html>")
    assert f"<title>{status} " in error.detail
    assert claude_double.stats.requests(CHAT) == requests  # a 500 is not retried by default


# --- low_level: the generated client on the same pool, auth and policy ------------------------


async def test_low_level_calls_share_auth_retries_and_errors(
    client: Caller, claude_double: ServiceDouble
) -> None:
    claude_double.faults.fail(503, times=2, path=USAGE)
    answer = await low_level(client, get_usage)
    assert answer.status_code == 200
    assert isinstance(answer.parsed, UsageResponse)
    assert answer.parsed.project_id == claude_double.project_id  # the client's key was sent
    assert claude_double.stats.requests(USAGE) == 3  # the client's retries applied
    claude_double.faults.fail(503, times=None, path=USAGE)
    await raises(ServerError, low_level(client, get_usage), *keys_of(claude_double))


async def test_low_level_and_high_level_calls_use_one_connection(
    make: Factory, claude_double_generation: int
) -> None:
    # Its own server (no other test's connections counted), of the test's generation.
    with ServiceDouble(generation=claude_double_generation) as double:
        client = make(base_url=double.base_url, api_key=double.api_key)
        await client.health()
        await low_level(client, get_usage)
        await client.route("hi")
        await low_level(client, get_usage)
        assert double.stats.requests() == 4
        assert double.stats.open_connections == 1
