"""The retry transports on their own, over ``httpx.MockTransport``: attempts, sleeps on the fake
clock, body reading, typed errors, and the WebSocket pass-through."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from claude_client import (
    APIConnectionError,
    BudgetExceededError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TaskFailedError,
    TimeoutError,
)
from claude_client._retry_transport import AsyncRetryTransport, RetryTransport
from tests.unit.conftest import BUDGET_EXCEEDED, RATE_LIMITED, TASK_FAILED, FakeClock

URL = "http://service.test/v1/chat/completions"
Step = httpx.Response | Exception


class Script:
    """A MockTransport handler answering each request with the next scripted step."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        return step


class Sender:
    """Sends one request through a sync or an async retry transport, the same way."""

    def __init__(self, is_async: bool, clock: FakeClock) -> None:
        self.is_async = is_async
        self.clock = clock

    async def send(
        self,
        script: Script,
        method: str = "POST",
        policy: RetryPolicy | None = None,
        **request: Any,
    ) -> httpx.Response:
        mock = httpx.MockTransport(script)
        if self.is_async:
            async with httpx.AsyncClient(
                transport=AsyncRetryTransport(mock, policy, clock=self.clock)
            ) as aclient:
                return await aclient.request(method, URL, **request)
        with httpx.Client(transport=RetryTransport(mock, policy, clock=self.clock)) as client:
            return client.request(method, URL, **request)


@pytest.fixture(params=["sync", "async"])
def sender(request: pytest.FixtureRequest, clock: FakeClock) -> Sender:
    return Sender(request.param == "async", clock)


def ok() -> httpx.Response:
    return httpx.Response(200, json={"ok": True})


def err(status: int, body: Any = None) -> httpx.Response:
    if isinstance(body, str):
        return httpx.Response(status, text=body)
    return httpx.Response(status, json=body or {"detail": "x"})


async def test_success_is_returned_fully_read(sender: Sender) -> None:
    script = Script(ok())
    response = await sender.send(script, json={"a": 1})
    assert response.json() == {"ok": True}
    assert len(script.requests) == 1


async def test_retries_503_with_backoff_on_the_fake_clock(sender: Sender, clock: FakeClock) -> None:
    script = Script(err(503), err(502), err(504), ok())
    # a GET runs no task: a gateway's 502 and 504 are retried too
    response = await sender.send(script, "GET", json={"a": 1})
    assert response.status_code == 200
    assert len(script.requests) == 4
    assert clock.sleeps == [0.25, 0.5, 1.0]  # rand 0.5 x (0.5, 1, 2)
    assert [r.content for r in script.requests] == [b'{"a":1}'] * 4


async def test_gives_up_after_max_retries_with_the_typed_error(
    sender: Sender, clock: FakeClock
) -> None:
    script = Script(err(503, "Service Unavailable"))
    with pytest.raises(ServerError) as info:
        await sender.send(script, policy=RetryPolicy(max_retries=2))
    assert info.value.status_code == 503
    assert info.value.body == "Service Unavailable"
    assert len(script.requests) == 3
    assert len(clock.sleeps) == 2


async def test_rate_limit_waits_for_the_next_window(sender: Sender, clock: FakeClock) -> None:
    limited = httpx.Response(
        429, json=RATE_LIMITED, headers={"date": "Wed, 25 Nov 2026 12:00:42 GMT"}
    )
    script = Script(limited, ok())
    await sender.send(script, policy=RetryPolicy(max_retry_delay=61.0))
    assert clock.sleeps == [18.5]


async def test_rate_limit_exhausted_raises_rate_limit_error(
    sender: Sender, clock: FakeClock
) -> None:
    script = Script(httpx.Response(429, json=RATE_LIMITED))
    with pytest.raises(RateLimitError) as caught:
        await sender.send(script, policy=RetryPolicy(max_retries=1, max_retry_delay=61.0))
    assert len(script.requests) == 2
    assert clock.sleeps == [30.5]  # fake clock at 12:00:30, no Date header
    assert caught.value.retry_after == 59.5  # the second answer came at 12:01:00.5


async def test_a_rate_limit_window_far_away_raises_at_once_with_retry_after(
    sender: Sender, clock: FakeClock
) -> None:
    """Issue 14 item 3: no wait of minutes inside one call (max_retry_delay 8 s by default)."""
    limited = httpx.Response(
        429, json=RATE_LIMITED, headers={"date": "Wed, 25 Nov 2026 12:00:42 GMT"}
    )
    script = Script(limited)
    with pytest.raises(RateLimitError) as caught:
        await sender.send(script, "GET")
    assert len(script.requests) == 1
    assert clock.sleeps == []
    assert caught.value.retry_after == 18.0
    assert "window opens in 18.0 s" in str(caught.value)


@pytest.mark.parametrize("status", [502, 504])
async def test_a_gateway_timeout_of_a_task_is_not_retried(
    sender: Sender, clock: FakeClock, status: int
) -> None:
    """Issue 14 item 4: behind a gateway the task may still run: a retry would bill it again."""
    script = Script(err(status), ok())
    with pytest.raises(ServerError) as caught:
        await sender.send(script, json={"a": 1})
    assert len(script.requests) == 1
    assert "the task may still run" in str(caught.value)
    opted_in = Script(err(status), ok())
    await sender.send(opted_in, json={"a": 1}, policy=RetryPolicy(retry_on_task_failure=True))
    assert len(opted_in.requests) == 2


async def test_retry_after_header_is_obeyed(sender: Sender, clock: FakeClock) -> None:
    script = Script(httpx.Response(503, headers={"retry-after": "4"}), ok())
    await sender.send(script)
    assert clock.sleeps == [4.0]


async def test_budget_exceeded_is_not_retried(sender: Sender, clock: FakeClock) -> None:
    script = Script(httpx.Response(429, json=BUDGET_EXCEEDED))
    with pytest.raises(BudgetExceededError):
        await sender.send(script)
    assert len(script.requests) == 1
    assert clock.sleeps == []


async def test_task_failure_on_post_is_not_retried_by_default(sender: Sender) -> None:
    script = Script(httpx.Response(500, json=TASK_FAILED))
    with pytest.raises(TaskFailedError):
        await sender.send(script, json={})
    assert len(script.requests) == 1


async def test_task_failure_is_retried_with_the_opt_in(sender: Sender) -> None:
    script = Script(httpx.Response(500, json=TASK_FAILED), ok())
    response = await sender.send(script, policy=RetryPolicy(retry_on_task_failure=True))
    assert response.status_code == 200
    assert len(script.requests) == 2


async def test_500_on_get_is_retried(sender: Sender) -> None:
    script = Script(httpx.Response(500, text="Internal Server Error"), ok())
    assert (await sender.send(script, method="GET")).status_code == 200
    assert len(script.requests) == 2


async def test_connect_error_is_retried_then_raised_as_connection_error(
    sender: Sender, clock: FakeClock
) -> None:
    script = Script(httpx.ConnectError("[Errno 111] Connection refused"))
    with pytest.raises(APIConnectionError) as info:
        await sender.send(script, json={})
    assert not isinstance(info.value, TimeoutError)
    assert "Connection refused" in str(info.value)
    assert len(script.requests) == 4
    assert len(clock.sleeps) == 3
    # httpx's error is the explicit cause (shown in tracebacks); nothing else is chained
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert info.value.__cause__.__cause__ is None


async def test_connect_timeout_is_retried(sender: Sender) -> None:
    script = Script(httpx.ConnectTimeout("slow"), ok())
    assert (await sender.send(script, json={})).status_code == 200


async def test_read_timeout_on_post_is_not_retried(sender: Sender) -> None:
    script = Script(httpx.ReadTimeout("timed out"))
    with pytest.raises(TimeoutError) as info:
        await sender.send(script, json={})
    assert isinstance(info.value, builtins.TimeoutError)
    assert len(script.requests) == 1


async def test_read_timeout_on_get_is_retried(sender: Sender) -> None:
    script = Script(httpx.ReadTimeout("timed out"), ok())
    assert (await sender.send(script, method="GET")).status_code == 200
    assert len(script.requests) == 2


class _Broken(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that drops after its first chunk."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"id": "0b6f'
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"id": "0b6f'
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")


def dropped() -> httpx.Response:
    return httpx.Response(200, headers={"content-length": "200"}, stream=_Broken())


async def test_connection_dropped_mid_body_on_post_is_a_connection_error(sender: Sender) -> None:
    script = Script(dropped(), ok())
    with pytest.raises(APIConnectionError) as info:
        await sender.send(script, json={})
    assert "RemoteProtocolError" in str(info.value)
    assert len(script.requests) == 1


async def test_connection_dropped_mid_body_on_get_is_retried(sender: Sender) -> None:
    script = Script(dropped(), ok())
    response = await sender.send(script, method="GET")
    assert response.json() == {"ok": True}
    assert len(script.requests) == 2


async def test_fatal_transport_error_is_not_retried(sender: Sender) -> None:
    script = Script(httpx.UnsupportedProtocol("Request URL has an unsupported protocol"))
    with pytest.raises(APIConnectionError):
        await sender.send(script, method="GET")
    assert len(script.requests) == 1


async def test_upgrade_requests_pass_through_untouched(sender: Sender) -> None:
    script = Script(httpx.Response(500, text="no"))
    response = await sender.send(
        script, method="GET", headers={"Upgrade": "websocket", "Connection": "Upgrade"}
    )
    assert response.status_code == 500  # no typed error, no retry
    assert len(script.requests) == 1


def test_a_non_replayable_body_is_not_retried(clock: FakeClock) -> None:
    script = Script(err(503), ok())
    transport = RetryTransport(httpx.MockTransport(script), clock=clock)

    def body() -> Iterator[bytes]:
        yield b"chunk"

    with httpx.Client(transport=transport) as client, pytest.raises(ServerError):
        client.post(URL, content=body())
    assert len(script.requests) == 1


@pytest.mark.parametrize("owns", [True, False])
def test_closing_closes_the_wrapped_transport_only_when_owned(owns: bool) -> None:
    closed: list[bool] = []

    class Inner(httpx.BaseTransport):
        def close(self) -> None:
            closed.append(True)

    RetryTransport(Inner(), owns_transport=owns).close()
    assert closed == ([True] if owns else [])


async def test_async_closing_respects_ownership() -> None:
    closed: list[bool] = []

    class Inner(httpx.AsyncBaseTransport):
        async def aclose(self) -> None:
            closed.append(True)

    await AsyncRetryTransport(Inner(), owns_transport=False).aclose()
    await AsyncRetryTransport(Inner()).aclose()
    assert closed == [True]


def test_default_inner_transports_are_real_http_transports() -> None:
    assert isinstance(RetryTransport().transport, httpx.HTTPTransport)
    assert isinstance(AsyncRetryTransport().transport, httpx.AsyncHTTPTransport)
