"""Fixtures of the integration tests: the real client, sync and async, over real sockets
against the service double (``claude_double``, reset around every test).

Every test that takes ``client`` or ``make`` runs twice, once with ``ClaudeClient`` and once
with ``AsyncClaudeClient``, through the same ``Caller`` interface as the unit tests; every test
that uses the double runs against both generations of the service.
"""

from __future__ import annotations

import contextlib
import socket
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable
from types import ModuleType
from typing import Any, TypeVar

import pytest

from claude_client import AsyncClaudeClient, ClaudeClient, _clock, _config
from claude_client.testing import ServiceDouble
from tests.unit.conftest import Caller

CHAT = "/v1/chat/completions"
BATCH = "/v1/batch"
USAGE = "/v1/usage"
ROUTE = "/v1/route"
HEALTH = "/health"

#: USD per million input / output tokens (service-behaviour.md, section 1).
PRICES = {"haiku": (0.25, 1.25), "sonnet": (3.0, 15.0), "opus": (15.0, 75.0)}

#: Backoff small enough that a test with retries takes milliseconds.
FAST_RETRIES: dict[str, Any] = {"retry_delay": 0.01, "max_retry_delay": 0.02}

Factory = Callable[..., Caller]


def cost_of(model: str, input_tokens: int, output_tokens: int) -> float:
    """The service's price of a completion."""
    price_in, price_out = PRICES[model]
    return (input_tokens * price_in + output_tokens * price_out) / 1e6


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test picks up a key or base URL from the developer's environment."""
    monkeypatch.delenv(_config.ENV_API_KEY, raising=False)
    monkeypatch.delenv(_config.ENV_BASE_URL, raising=False)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test against the double runs on both generations of the service (the pytest
    plugin's ``claude_double`` serves the generation given), unless a
    ``claude_double_generation`` marker names the one it is about."""
    marked = metafunc.definition.get_closest_marker("claude_double_generation") is not None
    if "claude_double_generation" in metafunc.fixturenames and not marked:
        metafunc.parametrize(
            "claude_double_generation", [1, 2], ids=["generation-1", "generation-2"]
        )


#: The health status each generation reports for a normal setup (generation 2 runs without
#: Redis and says so; service-behaviour.latest.md, /health).
HEALTH_STATUS = {1: "ok", 2: "degraded"}


@pytest.fixture(params=["sync", "async"])
async def make(
    request: pytest.FixtureRequest, claude_double: ServiceDouble
) -> AsyncIterator[Factory]:
    """Build a client of the parametrized kind for the double (closed after the test).

    Defaults: the double's URL and unlimited key, and fast retries; any keyword overrides.
    """
    kind = {"sync": ClaudeClient, "async": AsyncClaudeClient}[request.param]
    defaults = {"base_url": claude_double.base_url, "api_key": claude_double.api_key}
    async with contextlib.AsyncExitStack() as made:

        def factory(**options: Any) -> Caller:
            caller = Caller(kind(**{**defaults, **FAST_RETRIES, **options}))
            made.push_async_callback(caller.close)
            return caller

        yield factory


@pytest.fixture
def client(make: Factory) -> Caller:
    """A sync or an async client with the double's unlimited key."""
    return make()


@pytest.fixture
def short_http_margin(monkeypatch: pytest.MonkeyPatch) -> float:
    """The client waits its task limit plus 10 s for an answer; make that 0.5 s so a client
    timeout takes 1.5 s (with ``timeout=1``) instead of 11 s. Set before making the client."""
    monkeypatch.setattr(_config, "READ_TIMEOUT_MARGIN", 0.5)
    return 0.5


class RecordingClock:
    """Real time, but retry waits are recorded and not slept; ``on_sleep`` sees each one."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.times: list[float] = []
        self.rand = 0.5
        self.on_sleep: Callable[[float], None] = lambda _: None

    def time(self) -> float:
        now = time.time()
        self.times.append(now)
        return now

    def monotonic(self) -> float:
        return time.monotonic()

    def random(self) -> float:
        return self.rand

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.on_sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.fixture
def retry_clock(monkeypatch: pytest.MonkeyPatch) -> RecordingClock:
    """Clients made after this fixture wait on a ``RecordingClock`` between retries."""
    clock = RecordingClock()
    monkeypatch.setattr(_clock, "SYSTEM_CLOCK", clock)
    return clock


E = TypeVar("E", bound=BaseException)


async def raises(cls: type[E], call: Awaitable[Any], *secrets: str) -> E:
    """Await ``call``, which must raise ``cls``; no API key may show anywhere in the error:
    its text, repr, attributes, or the formatted traceback with every chained cause."""
    with pytest.raises(cls) as info:
        await call
    error = info.value
    shown = "".join(traceback.format_exception(error))
    shown += repr(error) + repr(error.args) + repr(getattr(error, "__dict__", {}))
    for secret in secrets:
        assert secret not in shown
    return error


def keys_of(double: ServiceDouble) -> tuple[str, str]:
    """The double's two keys (the ones a leak would show)."""
    return double.api_key, double.exhausted_key


async def low_level(caller: Caller, operation: ModuleType, **kwargs: Any) -> Any:
    """Run a generated operation (``claude_code_api.api.*``) on the caller's ``low_level``
    client: ``sync_detailed`` for the sync client, ``asyncio_detailed`` for the async one."""
    if caller.is_async:
        return await operation.asyncio_detailed(client=caller.client.low_level, **kwargs)
    return operation.sync_detailed(client=caller.client.low_level, **kwargs)


@pytest.fixture
def unused_port() -> int:
    """A local port nothing listens on (bound once, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
