"""Pytest fixtures serving the Claude Code API double (loaded through the ``pytest11`` entry
point in every pytest run where claude-code-client is installed).

Nothing heavy is imported until a fixture is used, so projects without the ``testing`` extra
(Starlette, uvicorn, wsproto) pay nothing and see no error unless they ask for a fixture.

- ``claude_double_server`` (session): one double for the whole run.
- ``claude_double`` (function): that double, reset to its starting state before and after
  the test (faults, held requests, clock, keys, budgets, usage, rate windows, counters).

Ini options: ``claude_double_rate_limit`` (requests per minute for the double's two keys,
default 100 like the service) and ``claude_double_token_delay`` (seconds per streamed slice,
default 0).
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


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ini options of the double's fixtures."""
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


@pytest.fixture(scope="session")
def claude_double_server(pytestconfig: pytest.Config) -> Iterator[ServiceDouble]:
    """A Claude Code API double serving on a free local port for the whole test session."""
    try:
        from claude_client.testing._server import ServiceDouble
    except ImportError as exc:
        pytest.fail(f"{_MISSING_EXTRA} ({exc})", pytrace=False)
    rate_limit = int(str(pytestconfig.getini("claude_double_rate_limit")))
    token_delay = float(str(pytestconfig.getini("claude_double_token_delay")))
    with ServiceDouble(rate_limit=rate_limit, token_delay=token_delay) as double:
        yield double


@pytest.fixture
def claude_double(claude_double_server: ServiceDouble) -> Iterator[ServiceDouble]:
    """The session's double, reset before and after this test."""
    claude_double_server.reset()
    yield claude_double_server
    claude_double_server.reset()
