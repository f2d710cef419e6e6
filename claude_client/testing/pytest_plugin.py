"""Pytest fixtures serving the Claude Code API double (loaded through the ``pytest11`` entry
point in every pytest run where claude-code-client is installed).

Nothing heavy is imported until a fixture is used, so projects without the ``testing`` extra
(Starlette, uvicorn, wsproto) pay nothing and see no error unless they ask for a fixture.

- ``claude_double`` (function): a double of the test's generation, reset to its starting state
  before and after the test (faults, held requests, clock, keys, budgets, usage, rate windows,
  counters). One server per generation serves the whole run.
- ``claude_double_generation`` (function): which generation ``claude_double`` serves: the
  ``claude_double_generation`` marker (``@pytest.mark.claude_double_generation(1)``), else the
  ini option. Parametrize it (``@pytest.mark.parametrize("claude_double_generation", [1, 2])``,
  or a conftest fixture with ``params``) to run tests against both generations.
- ``claude_double_server`` (session): the double of the ini option's generation, for the run.
- ``claude_double_servers`` (session): the servers by generation (``servers.get(1)``).

Ini options: ``claude_double_generation`` (1 or 2, default 2: the newest),
``claude_double_rate_limit`` (requests per minute for the double's two keys, default 100 like
the service) and ``claude_double_token_delay`` (seconds per streamed slice, default 0).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from claude_client.testing._server import ServiceDouble

_MISSING_EXTRA = (
    "the claude_double fixtures need the 'testing' extra: pip install 'claude-code-client[testing]'"
)
_MARKER = "claude_double_generation"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ini options of the double's fixtures."""
    parser.addini(
        "claude_double_generation",
        "generation of the service the Claude Code API double serves: 1 or 2 (default 2)",
        default="2",
    )
    parser.addini(
        "claude_double_rate_limit",
        "requests per minute allowed for the Claude Code API double's keys (default 100)",
        default="100",
    )
    parser.addini(
        "claude_double_token_delay",
        "seconds per streamed slice of the double's stand-in model (default 0)",
        default="0",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the generation marker."""
    config.addinivalue_line(
        "markers", f"{_MARKER}(n): serve generation n (1 or 2) to this test's claude_double"
    )


def _ini_generation(config: pytest.Config) -> int:
    return int(str(config.getini("claude_double_generation")))


class DoubleServers:
    """One started double per generation, made on first use and stopped at the end."""

    def __init__(self, config: pytest.Config) -> None:
        self._rate_limit = int(str(config.getini("claude_double_rate_limit")))
        self._token_delay = float(str(config.getini("claude_double_token_delay")))
        self._doubles: dict[int, ServiceDouble] = {}

    def get(self, generation: int) -> ServiceDouble:
        """The running double of this generation."""
        if generation not in self._doubles:
            try:
                from claude_client.testing._server import ServiceDouble
            except ImportError as exc:
                pytest.fail(f"{_MISSING_EXTRA} ({exc})", pytrace=False)
            double = ServiceDouble(
                generation=generation, rate_limit=self._rate_limit, token_delay=self._token_delay
            )
            self._doubles[generation] = double.start()
        return self._doubles[generation]

    def stop(self) -> None:
        """Stop every double started."""
        for double in self._doubles.values():
            double.stop()
        self._doubles.clear()


@pytest.fixture(scope="session")
def claude_double_servers(pytestconfig: pytest.Config) -> Iterator[DoubleServers]:
    """The session's doubles, one per generation asked for."""
    servers = DoubleServers(pytestconfig)
    try:
        yield servers
    finally:
        servers.stop()


@pytest.fixture(scope="session")
def claude_double_server(
    claude_double_servers: DoubleServers, pytestconfig: pytest.Config
) -> ServiceDouble:
    """A Claude Code API double of the ini option's generation, for the whole test session."""
    return claude_double_servers.get(_ini_generation(pytestconfig))


@pytest.fixture
def claude_double_generation(request: pytest.FixtureRequest) -> int:
    """The generation this test's ``claude_double`` serves (marker, else ini option)."""
    marker = request.node.get_closest_marker(_MARKER)
    if marker is not None:
        return int(marker.args[0])
    return _ini_generation(request.config)


@pytest.fixture
def claude_double(
    claude_double_servers: DoubleServers, claude_double_generation: int
) -> Iterator[ServiceDouble]:
    """The session's double of this test's generation, reset before and after the test."""
    double = claude_double_servers.get(claude_double_generation)
    double.reset()
    yield double
    double.reset()
