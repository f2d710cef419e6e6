"""The streaming tests run against both generations of the service, as the integration tests."""

from __future__ import annotations

from tests.integration.conftest import pytest_generate_tests  # noqa: F401 - shared hook
