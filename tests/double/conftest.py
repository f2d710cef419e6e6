"""Fixtures for the double's own tests: one server for the module run, reset around each test.

These deliberately do not use the pytest plugin's fixtures (tested separately with pytester),
so the suite runs the same whether or not the package's entry point is installed.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from claude_client.testing import ServiceDouble
from tests.double.support import TIMEOUT, bearer


def _client(double: ServiceDouble, key: str | None) -> Iterator[httpx.Client]:
    headers = bearer(key) if key is not None else None
    with httpx.Client(base_url=double.base_url, headers=headers, timeout=TIMEOUT) as client:
        yield client


def _fixture_set(generation: int, suffix: str) -> tuple[object, ...]:
    """``double{suffix}_server`` (session), ``double{suffix}`` (reset around the test),
    ``http{suffix}`` (the unlimited key) and ``anon{suffix}`` (no key) for a generation."""

    @pytest.fixture(scope="session", name=f"double{suffix}_server")
    def server() -> Iterator[ServiceDouble]:
        with ServiceDouble(generation=generation) as double:
            yield double

    @pytest.fixture(name=f"double{suffix}")
    def fresh(request: pytest.FixtureRequest) -> Iterator[ServiceDouble]:
        double: ServiceDouble = request.getfixturevalue(f"double{suffix}_server")
        double.reset()
        yield double
        double.reset()

    @pytest.fixture(name=f"http{suffix}")
    def http(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
        double: ServiceDouble = request.getfixturevalue(f"double{suffix}")
        yield from _client(double, double.api_key)

    @pytest.fixture(name=f"anon{suffix}")
    def anon(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
        yield from _client(request.getfixturevalue(f"double{suffix}"), None)

    return server, fresh, http, anon


# pytest finds fixtures among the module's attributes (by their ``name``).
#: Generation 1: ``double_server``, ``double``, ``http``, ``anon``.
_server_1, _double_1, _http_1, _anon_1 = _fixture_set(1, "")
#: Generation 2: ``double2_server``, ``double2``, ``http2``, ``anon2``.
_server_2, _double_2, _http_2, _anon_2 = _fixture_set(2, "2")
