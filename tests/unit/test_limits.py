"""The client's own bound on requests in flight (`claude_client._limits`): never more than
``max_concurrency`` requests reach the transport at once, a slot is held until the body is read
or closed, waiting for one is bounded by the pool timeout, and handshakes take none."""

from __future__ import annotations

import threading

import anyio
import httpx
import pytest

from claude_client import ClaudeClient
from claude_client._limits import AsyncLimitedTransport, LimitedTransport

URL = "http://limits.test/v1/chat/completions"


class _Counting(httpx.BaseTransport):
    """Answers after ``gate`` opens; records the most requests it held at once."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.lock = threading.Lock()
        self.now = self.most = self.total = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.now += 1
            self.total += 1
            self.most = max(self.most, self.now)
        self.gate.wait(10)
        with self.lock:
            self.now -= 1
        return httpx.Response(200, stream=httpx.ByteStream(b"{}"))  # open until read


def _send(transport: httpx.BaseTransport, pool: float | None = 10.0) -> httpx.Response:
    request = httpx.Request("POST", URL, extensions={"timeout": {"pool": pool}})
    response = transport.handle_request(request)
    response.read()
    response.close()
    return response


def test_sync_requests_in_flight_never_exceed_the_limit() -> None:
    inner = _Counting()
    limited = LimitedTransport(inner, 2)
    threads = [threading.Thread(target=_send, args=(limited,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    while inner.total < 2:  # two are in; the other four wait for a slot
        threading.Event().wait(0.001)
    inner.gate.set()
    for thread in threads:
        thread.join(10)
    assert inner.total == 6 and inner.most == 2


def test_a_slot_is_held_until_the_body_is_closed_and_waiting_is_bounded() -> None:
    inner = _Counting()
    inner.gate.set()
    limited = LimitedTransport(inner, 1)
    held = limited.handle_request(httpx.Request("GET", URL))  # body not read: the slot is held
    assert not held.is_closed
    with pytest.raises(httpx.PoolTimeout, match="no free request slot"):
        _send(limited, pool=0.01)
    held.close()
    assert _send(limited).status_code == 200


def test_a_failed_send_frees_its_slot_and_handshakes_take_none() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    limited = LimitedTransport(httpx.MockTransport(refuse), 1)
    for _ in range(3):
        with pytest.raises(httpx.ConnectError):
            _send(limited, pool=0.01)
    upgrades = LimitedTransport(httpx.MockTransport(lambda _: httpx.Response(101)), 1)
    responses = [
        upgrades.handle_request(httpx.Request("GET", URL, headers={"Upgrade": "websocket"}))
        for _ in range(3)
    ]  # none closed, none waited
    assert [r.status_code for r in responses] == [101, 101, 101]
    answered = LimitedTransport(httpx.MockTransport(lambda _: httpx.Response(200, text="x")), 1)
    assert [_send(answered).text for _ in range(3)] == ["x"] * 3  # a body in memory frees at once


class _AsyncCounting(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.now = self.most = self.total = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.now += 1
        self.total += 1
        self.most = max(self.most, self.now)
        for _ in range(5):
            await anyio.sleep(0)
        self.now -= 1
        return httpx.Response(200, stream=httpx.ByteStream(b"{}"))


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_requests_in_flight_never_exceed_the_limit(backend: str) -> None:
    inner = _AsyncCounting()
    limited = AsyncLimitedTransport(inner, 3)

    async def one() -> None:
        request = httpx.Request("POST", URL, extensions={"timeout": {"pool": 10.0}})
        response = await limited.handle_async_request(request)
        await response.aread()
        await response.aclose()

    async def main() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(20):
                group.start_soon(one)

    anyio.run(main, backend=backend)
    assert inner.total == 20 and inner.most == 3


def test_async_waiting_for_a_slot_is_bounded_by_the_pool_timeout() -> None:
    def answer(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=httpx.ByteStream(b"{}"))

    limited = AsyncLimitedTransport(httpx.MockTransport(answer), 1)

    async def main() -> None:
        held = await limited.handle_async_request(httpx.Request("GET", URL))
        request = httpx.Request("GET", URL, extensions={"timeout": {"pool": 0.01}})
        with pytest.raises(httpx.PoolTimeout, match="1 requests in flight"):
            await limited.handle_async_request(request)
        await held.aclose()
        await (await limited.handle_async_request(request)).aclose()

    anyio.run(main)


def test_max_concurrency_is_checked_and_shared_by_copies() -> None:
    with pytest.raises(ValueError, match="max_concurrency must be >= 1"):
        ClaudeClient("http://limits.test", max_concurrency=0)
    with pytest.raises(TypeError, match="max_concurrency must be an integer"):
        ClaudeClient("http://limits.test", max_concurrency=True)
    with ClaudeClient("http://limits.test", max_concurrency=4) as client:
        limited = client._inner
        assert isinstance(limited, LimitedTransport) and limited.limit == 4
        assert client.with_options(timeout=60)._inner is limited
