"""The streaming tests run against both generations of the service, as the integration tests."""

from __future__ import annotations

from tests.integration.conftest import claude_double_generation  # noqa: F401 - shared fixture
