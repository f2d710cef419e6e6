"""Every fault against every method, sync and async, over real sockets: each call ends in its
result or a typed ``ClaudeAPIError`` within its deadline, after exactly the attempts and waits
the retry policy documents (``claude_client._retries``; waits recorded, not slept).

The policy is restated here as an oracle (which outcomes are retried for which requests, which
error class ends a call, how long each wait is) and checked for a burst (one faulty answer, then
the service) and for a fault that lasts. Then the faults that cost real time: slow answers, a
server that accepts and never answers, streams cut or starved, each bounded by its deadline.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any

import attrs
import pytest
from claude_code_api.api.chat import create_chat_completion
from claude_code_api.api.usage import get_usage
from claude_code_api.models import ChatCompletionRequest, Message, ModelName

from claude_client import (
    APIConnectionError,
    AsyncClaudeClient,
    AuthenticationError,
    BatchResponse,
    BudgetExceededError,
    ClaudeAPIError,
    HealthStatus,
    MalformedResponseError,
    NotFoundError,
    RateLimitError,
    Response,
    RouteRecommendation,
    ServerError,
    StreamError,
    TaskFailedError,
    TimeoutError,
    UsageStats,
    ValidationError,
)
from claude_client.testing import Faults, ServiceDouble
from tests.integration.conftest import (
    BATCH,
    CHAT,
    FAST_RETRIES,
    HEALTH,
    ROUTE,
    USAGE,
    Factory,
    RecordingClock,
    keys_of,
)
from tests.reliability.conftest import leaks, shown_by, until
from tests.unit.conftest import Caller

MAX_RETRIES = 3
#: ``max_retry_delay`` of the clients here: they wait out any rate-limit window (waits are
#: recorded, not slept), so the table shows every retry the policy allows.
PATIENT = 61.0
#: Generous bound on a call that waits for no timeout (its retry waits are not slept).
QUICK = 5.0

# --- the methods ----------------------------------------------------------------------------------


@attrs.frozen
class Method:
    """One public way to call the service: its path, whether it runs a task, and the call."""

    name: str
    path: str
    runs_no_task: bool
    call: Callable[[Caller], Awaitable[Any]]
    result: type


def _chat_body() -> ChatCompletionRequest:
    return ChatCompletionRequest(
        messages=[Message(role="user", content="list three colors")], model=ModelName.HAIKU
    )


async def _generated(caller: Caller, operation: ModuleType, **arguments: Any) -> Any:
    """A generated operation through ``client.call()`` (the typed way to run one)."""
    run = operation.asyncio_detailed if caller.is_async else operation.sync_detailed
    return (await caller.call(run, **arguments)).parsed


async def _low_level_chat(caller: Caller) -> Any:
    return await _generated(caller, create_chat_completion, body=_chat_body())


async def _low_level_usage(caller: Caller) -> Any:
    return await _generated(caller, get_usage)


METHODS = (
    Method("complete", CHAT, False, lambda c: c.complete("list three colors", "haiku"), Response),
    Method("batch", BATCH, False, lambda c: c.batch(["one", "two"], model="haiku"), BatchResponse),
    Method("get_usage", USAGE, True, lambda c: c.get_usage("week"), UsageStats),
    Method("route", ROUTE, True, lambda c: c.route("list three colors"), RouteRecommendation),
    Method("health", HEALTH, True, lambda c: c.health(), HealthStatus),
    Method("call(chat)", CHAT, False, _low_level_chat, object),
    Method("call(usage)", USAGE, True, _low_level_usage, object),
)  # fmt: skip

# --- the faults and what the policy says of them --------------------------------------------------

RETRIED = "retried"  # the request surely did not run: always retried
IF_SAFE = (
    "if safe"  # the task may have run (or still run): retried only for a request that runs none
)
NEVER = "never"


@attrs.frozen
class Fault:
    """A fault the double can play, the policy's rule for it, and the error that ends a call."""

    name: str
    program: Callable[[Faults, str, int | None], object]
    retry: str
    error: type[ClaudeAPIError]
    #: A subclass of ``error`` the call must not end in (a 500 that is no task failure).
    not_error: type[ClaudeAPIError] | None = None
    #: The wait before each retry, from the retry number (0 first), with the clock's rand=0.5.
    wait: Callable[[int], float] = lambda n: 0.5 * min(PATIENT, FAST_RETRIES["retry_delay"] * 2**n)


def _next_minute(_: int) -> float:
    return -1.0  # checked apart: it depends on the answer's Date header


Program = Callable[[Faults, str, int | None], object]


def _fail(status: int, body: dict[str, object] | None = None) -> Program:
    return lambda f, p, t: f.fail(status, body=body, path=p, times=t)


def _respond(status: int, body: str | dict[str, object], content_type: str = "json") -> Program:
    kind = "application/json" if content_type == "json" else content_type
    return lambda f, p, t: f.respond(status, body, content_type=kind, path=p, times=t)


def _html(status: int) -> Program:
    return lambda f, p, t: f.html_error(status, path=p, times=t)


def _rate_limit(retry_after: str | None = None) -> Program:
    return lambda f, p, t: f.rate_limit(retry_after=retry_after, path=p, times=t)


def _cut(kind: str) -> Program:
    return lambda f, p, t: getattr(f, kind)(path=p, times=t)


BUDGET: dict[str, object] = {"detail": "Budget exceeded for project test-project"}
TASK_FAILED: dict[str, object] = {"detail": "Task failed: Process exited with code 1"}
FIELDS: dict[str, object] = {"detail": [{"loc": ["body"], "msg": "bad", "type": "x"}]}
HTML = "<html>hi</html>"
FAULTS = (
    Fault("503", _fail(503), RETRIED, ServerError),
    Fault("504", _fail(504), IF_SAFE, ServerError),
    Fault("502 html page", _html(502), IF_SAFE, ServerError),
    Fault("429 Retry-After", _rate_limit("0.25"), RETRIED, RateLimitError, wait=lambda n: 0.25),
    Fault("429 no Retry-After", _rate_limit(), RETRIED, RateLimitError, wait=_next_minute),
    Fault("429 budget", _fail(429, BUDGET), NEVER, BudgetExceededError),
    Fault("500", _fail(500), IF_SAFE, ServerError, TaskFailedError),
    Fault("500 task failed", _fail(500, TASK_FAILED), IF_SAFE, TaskFailedError),
    Fault("500 html page", _html(500), IF_SAFE, ServerError, TaskFailedError),
    Fault("mid-body drop", _cut("drop_mid_body"), IF_SAFE, APIConnectionError, TimeoutError),
    Fault("disconnect", _cut("disconnect"), IF_SAFE, APIConnectionError, TimeoutError),
    Fault("truncated json", _cut("malformed_json"), NEVER, MalformedResponseError),
    Fault("200 html page", _respond(200, HTML, "text/html"), NEVER, MalformedResponseError),
    Fault("401", _respond(401, {"detail": "Invalid key"}), NEVER, AuthenticationError),
    Fault("404", _respond(404, {"detail": "Not Found"}), NEVER, NotFoundError),
    Fault("422", _respond(422, FIELDS), NEVER, ValidationError),
)  # fmt: skip


def _retried(fault: Fault, method: Method) -> bool:
    return fault.retry == RETRIED or (fault.retry == IF_SAFE and method.runs_no_task)


def _check_waits(fault: Fault, sleeps: list[float], retries: int) -> None:
    assert len(sleeps) == retries
    for n, slept in enumerate(sleeps):
        if fault.wait is _next_minute:
            # To the next calendar minute of the answer's Date, plus the jitter (rand=0.5).
            assert 0.5 < slept <= 60.5
        else:
            assert slept == pytest.approx(fault.wait(n))


async def _outcome(call: Awaitable[Any]) -> tuple[Any, float]:
    """What ``call`` gave (its result or the library error it raised), and how long it took."""
    start = time.monotonic()
    try:
        result = await call
    except ClaudeAPIError as error:
        result = error
    return result, time.monotonic() - start


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
async def test_every_method_meets_each_fault_as_the_policy_documents(
    make: Factory, claude_double: ServiceDouble, retry_clock: RecordingClock, fault: Fault
) -> None:
    client = make(max_retries=MAX_RETRIES, max_retry_delay=PATIENT)
    escaped: list[str] = []
    for method in METHODS:
        for times in (1, None):  # a burst of one faulty answer, then a fault that lasts
            claude_double.reset()
            retry_clock.sleeps.clear()
            fault.program(claude_double.faults, method.path, times)
            where = f"{method.name}, fault {'once' if times else 'always'}"
            try:
                result, took = await _outcome(method.call(client))
            except Exception as error:  # anything else escaped: collected, reported below
                escaped.append(f"{where}: {type(error).__name__}: {error}")
                continue
            assert took < QUICK, where
            retried = _retried(fault, method)
            attempts = (2 if times == 1 else MAX_RETRIES + 1) if retried else 1
            assert claude_double.stats.requests(method.path) == attempts, where
            _check_waits(fault, retry_clock.sleeps, attempts - 1)
            if retried and times == 1:
                assert isinstance(result, method.result), (where, result)
                continue
            assert isinstance(result, fault.error), (where, result)
            if fault.not_error is not None:
                assert not isinstance(result, fault.not_error), (where, result)
            assert not leaks([shown_by(result)], keys_of(claude_double)), where
    assert not escaped, escaped


# --- faults that cost real time: each call within its deadline ------------------------------------

TIMEOUT = 1.0  # the task limit the client sends (the service's smallest)


def _deadline(attempts: int, read_timeout: float) -> float:
    """A generous bound for ``attempts`` attempts that each may wait ``read_timeout``."""
    return attempts * read_timeout + 3.0


async def test_a_slow_answer_within_the_read_timeout_succeeds(
    make: Factory, claude_double: ServiceDouble
) -> None:
    client = make(timeout=TIMEOUT)  # waits 11 s for the answer
    claude_double.faults.slow(0.3, path=CHAT)
    reply, took = await _outcome(client.complete("list three colors", model="haiku"))
    assert isinstance(reply, Response), reply
    assert 0.3 <= took < QUICK


@pytest.mark.parametrize("fault", ["hang", "slow"])
async def test_a_completion_without_an_answer_times_out_once(
    make: Factory, claude_double: ServiceDouble, short_margin: float, fault: str
) -> None:
    client = make(timeout=TIMEOUT)
    if fault == "hang":
        claude_double.faults.hang(path=CHAT)
    else:
        claude_double.faults.slow(30, path=CHAT)
    error, took = await _outcome(client.complete("hi", model="haiku"))
    assert isinstance(error, TimeoutError), error
    assert TIMEOUT + short_margin <= took < _deadline(1, TIMEOUT + short_margin)
    assert claude_double.stats.requests(CHAT) == 1  # it may have run: never sent twice
    if fault == "hang":  # the client hung up: the double sees its connection go
        assert await until(claude_double, lambda s: s.http_disconnects == 1)


async def test_a_hanging_safe_request_is_retried_only_until_the_retry_deadline(
    make: Factory, claude_double: ServiceDouble, short_margin: float
) -> None:
    read_timeout = TIMEOUT + short_margin  # the client's wait
    # Time for one retry, not for three: the second timeout ends the call.
    client = make(timeout=read_timeout, retry_deadline=read_timeout * 1.5)
    claude_double.faults.hang(path=USAGE, times=None)
    error, took = await _outcome(client.get_usage())
    assert isinstance(error, TimeoutError), error
    assert claude_double.stats.requests(USAGE) == 2
    assert 2 * read_timeout <= took < _deadline(2, read_timeout)


async def test_a_hang_then_an_answer_recovers_a_safe_request(
    make: Factory, claude_double: ServiceDouble, short_margin: float
) -> None:
    client = make(timeout=TIMEOUT)
    claude_double.faults.hang(path=HEALTH)
    status, took = await _outcome(client.health())
    assert isinstance(status, HealthStatus), status
    assert took < _deadline(2, TIMEOUT + short_margin)


async def test_a_503_burst_with_real_backoff_ends_within_the_sum_of_the_waits(
    make: Factory, claude_double: ServiceDouble
) -> None:
    client = make(retry_delay=0.05, max_retry_delay=0.2)
    claude_double.faults.fail(503, times=None, path=ROUTE)
    error, took = await _outcome(client.route("hi"))
    assert isinstance(error, ServerError), error
    # Full jitter: each wait at most min(0.2, 0.05 * 2**n); three of them, plus the requests.
    assert took < 0.05 + 0.1 + 0.2 + QUICK


# --- streams: cut, refused or starved, each ends typed within its wait ----------------------------


async def _drain(caller: Caller, prompt: str, timeout: float | None = None) -> str:
    """The whole streamed text, whichever client ``caller`` holds."""
    client = caller.client
    if isinstance(client, AsyncClaudeClient):
        return "".join([chunk async for chunk in client.stream(prompt, "haiku", timeout=timeout)])
    return "".join(client.stream(prompt, "haiku", timeout=timeout))


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (lambda f: f.ws_close_after(3), StreamError),
        (lambda f: f.ws_close_after(3, abrupt=True), StreamError),
        (lambda f: f.ws_close_after(0, code=1001), StreamError),
        (lambda f: f.ws_reject(), ClaudeAPIError),
    ],
    ids=["closed mid-stream", "dropped mid-stream", "closed before a token", "refused"],
)
async def test_a_broken_stream_ends_typed_and_closed(
    client: Caller,
    claude_double: ServiceDouble,
    fault: Callable[[Faults], object],
    error: type[ClaudeAPIError],
) -> None:
    await client.get_usage()  # learn the key's project before the fault
    fault(claude_double.faults)
    outcome, took = await _outcome(_drain(client, "tell me a story"))
    assert isinstance(outcome, error), outcome
    assert took < QUICK
    assert not leaks([shown_by(outcome)], keys_of(claude_double))
    assert await until(claude_double, lambda s: s.ws_open == 0)


async def test_a_starved_stream_times_out_within_its_wait(
    client: Caller, claude_double: ServiceDouble
) -> None:
    outcome, took = await _outcome(_drain(client, "[[sleep:1]] tell me", timeout=0.3))
    assert isinstance(outcome, TimeoutError), outcome
    assert 0.3 <= took < 0.3 + QUICK
    assert await until(claude_double, lambda s: s.ws_open == 0)


async def test_a_stream_whose_route_hangs_times_out(
    make: Factory, claude_double: ServiceDouble, short_margin: float
) -> None:
    client = make(timeout=TIMEOUT, max_retries=1)
    claude_double.faults.hang(path=ROUTE, times=None)
    # Model.AUTO asks route() first: a safe request, retried once here, then a timeout.
    inner = client.client
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        if isinstance(inner, AsyncClaudeClient):
            await asyncio.wait_for(inner.stream("hi").__anext__(), 30)
        else:
            next(inner.stream("hi"))
    took = time.monotonic() - start
    assert claude_double.stats.requests(ROUTE) == 2
    assert took < _deadline(2, TIMEOUT + short_margin)
