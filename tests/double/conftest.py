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


@pytest.fixture(scope="session")
def double_server() -> Iterator[ServiceDouble]:
    """One generation-1 double for the whole run (generation 2 has its own fixtures)."""
    with ServiceDouble(generation=1) as double:
        yield double


@pytest.fixture
def double(double_server: ServiceDouble) -> Iterator[ServiceDouble]:
    """The double, in its starting state for this test."""
    double_server.reset()
    yield double_server
    double_server.reset()


@pytest.fixture
def http(double: ServiceDouble) -> Iterator[httpx.Client]:
    """An httpx client with the unlimited key."""
    with httpx.Client(
        base_url=double.base_url, headers=bearer(double.api_key), timeout=TIMEOUT
    ) as client:
        yield client


@pytest.fixture
def anon(double: ServiceDouble) -> Iterator[httpx.Client]:
    """An httpx client without credentials."""
    with httpx.Client(base_url=double.base_url, timeout=TIMEOUT) as client:
        yield client


@pytest.fixture(scope="session")
def double2_server() -> Iterator[ServiceDouble]:
    """One generation-2 double for the whole run."""
    with ServiceDouble(generation=2) as double:
        yield double


@pytest.fixture
def double2(double2_server: ServiceDouble) -> Iterator[ServiceDouble]:
    """The generation-2 double, in its starting state for this test."""
    double2_server.reset()
    yield double2_server
    double2_server.reset()


@pytest.fixture
def http2(double2: ServiceDouble) -> Iterator[httpx.Client]:
    """An httpx client with the generation-2 double's unlimited key."""
    with httpx.Client(
        base_url=double2.base_url, headers=bearer(double2.api_key), timeout=TIMEOUT
    ) as client:
        yield client


@pytest.fixture
def anon2(double2: ServiceDouble) -> Iterator[httpx.Client]:
    """An httpx client without credentials, on the generation-2 double."""
    with httpx.Client(base_url=double2.base_url, timeout=TIMEOUT) as client:
        yield client
