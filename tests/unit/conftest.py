"""Shared fixtures of the unit tests: a fake clock (no test ever really sleeps), the service's
real bodies, respx, and a ``client`` fixture that runs each test with the sync and the async
client."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
import respx

from claude_client import AsyncClaudeClient, ClaudeClient, Response, Usage, _clock

BASE = "http://service.test"
KEY = "cc_" + "0123456789abcdef" * 2 + "deadbeef"
CHAT = "/v1/chat/completions"

# Bodies as captured on the wire (shared/contract/service-behaviour.md).
CHAT_BODY: dict[str, Any] = {
    "id": "0b6f7c1e-64a8-4b0e-9a53-3b8f1d1c2a10",
    "model": "haiku",
    "content": "Red, green and blue.",
    "usage": {"input_tokens": 7, "output_tokens": 38, "total_tokens": 45},
    "cost": 4.925e-05,
    "project_id": "probe",
}
#: What ``complete()`` makes of CHAT_BODY.
CHAT_RESULT = Response(
    id=CHAT_BODY["id"],
    model="haiku",
    content="Red, green and blue.",
    usage=Usage(7, 38, 45),
    cost=4.925e-05,
    project_id="probe",
)
USAGE = {"input_tokens": 7, "output_tokens": 38, "total_tokens": 45}
BATCH_BODY: dict[str, Any] = {
    "total": 2,
    "completed": 1,
    "failed": 1,
    "results": [
        {
            "id": "0",
            "prompt": "first q",
            "status": "completed",
            "content": "first a",
            "usage": USAGE,
            "cost": 4.3e-05,
            "error": None,
        },
        {
            "id": "1",
            "prompt": "second q",
            "status": "failed",
            "content": None,
            "usage": None,
            "cost": None,
            "error": "Process exited with code 1\nStderr: boom",
        },
    ],
    "total_cost": 4.3e-05,
    "total_tokens": 45,
}
USAGE_BODY: dict[str, Any] = {
    "project_id": "probe",
    "period": "month",
    "total_tokens": 1316,
    "total_cost": 0.016899,
    "by_model": {
        "haiku": {"tokens": 792, "cost": 0.0009029999999999999},
        "sonnet": {"tokens": 524, "cost": 0.015996},
    },
    "limit": 10,
    "remaining": -36,
}
ROUTE_BODY: dict[str, Any] = {
    "recommended_model": "haiku",
    "reasoning": "Simple prompt with basic keywords → Haiku",
    "budget_status": {
        "total_tokens": 1316,
        "total_cost": 0.016899,
        "limit": None,
        "remaining": None,
    },
}
HEALTH_BODY: dict[str, Any] = {
    "status": "ok",
    "version": "0.1.0",
    "services": {
        "worker_pool": "running",
        "budget_manager": "initialized",
        "auth_manager": "initialized",
    },
}

RATE_LIMITED = {"detail": "Rate limit exceeded. Please try again later."}
BUDGET_EXCEEDED = {"detail": "Budget exceeded for project probe-budget"}
TASK_FAILED = {"detail": "Task failed: Process exited with code 1\nStderr: boom"}
# The service's 422 bodies (FastAPI / pydantic 2.5), as the double answers them too.
MISSING_MESSAGES = {
    "detail": [
        {
            "type": "missing",
            "loc": ["body", "messages"],
            "msg": "Field required",
            "input": {"model": "haiku"},
            "url": "https://errors.pydantic.dev/2.5/v/missing",
        }
    ]
}
TIMEOUT_TOO_SMALL = {
    "detail": [
        {
            "type": "greater_than_equal",
            "loc": ["body", "timeout"],
            "msg": "Input should be greater than or equal to 1",
            "input": 0.5,
            "ctx": {"ge": 1.0},
            "url": "https://errors.pydantic.dev/2.5/v/greater_than_equal",
        }
    ]
}
INVALID_JSON = {
    "detail": [
        {
            "type": "json_invalid",
            "loc": ["body", 1],
            "msg": "JSON decode error",
            "input": {},
            "ctx": {"error": "Expecting property name enclosed in double quotes"},
        }
    ]
}


class FakeClock:
    """Time stands still until someone sleeps; every sleep is recorded."""

    def __init__(self) -> None:
        # 2026-11-25 12:00:30 UTC: half-way through a calendar minute.
        self.now = 1795608030.0
        self.sleeps: list[float] = []
        self.rand = 0.5

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now

    def random(self) -> float:
        return self.rand

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Every transport made during a test uses the fake clock; the environment is clean."""
    fake = FakeClock()
    monkeypatch.setattr(_clock, "SYSTEM_CLOCK", fake)
    monkeypatch.delenv("CLAUDE_CODE_API_KEY", raising=False)
    monkeypatch.delenv("CLAUDE_CODE_API_BASE_URL", raising=False)
    return fake


@pytest.fixture
def service() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


class Caller:
    """Calls a sync or an async client the same way: ``await caller.method(...)``."""

    def __init__(self, client: ClaudeClient | AsyncClaudeClient) -> None:
        self.client = client
        self.is_async = isinstance(client, AsyncClaudeClient)

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        method = getattr(self.client, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            return await result if inspect.isawaitable(result) else result

        return call

    async def close(self) -> None:
        if isinstance(self.client, AsyncClaudeClient):
            await self.client.aclose()
        else:
            self.client.close()


Factory = Callable[..., Caller]


@pytest.fixture(params=["sync", "async"])
async def make(request: pytest.FixtureRequest) -> AsyncIterator[Factory]:
    """Build a client of the parametrized kind (closed after the test)."""
    made: list[Caller] = []
    cls = ClaudeClient if request.param == "sync" else AsyncClaudeClient

    def factory(*args: Any, **kwargs: Any) -> Caller:
        kwargs.setdefault("base_url", BASE)
        kwargs.setdefault("api_key", KEY)
        caller = Caller(cls(*args, **kwargs))
        made.append(caller)
        return caller

    yield factory
    for caller in made:
        await caller.close()


@pytest.fixture
def client(make: Factory) -> Caller:
    """A sync or an async client with the test key, talking to ``BASE``."""
    return make()
