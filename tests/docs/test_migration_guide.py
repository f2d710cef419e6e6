"""The migration guide covers every public name of the seed client, and each is still exported."""

from __future__ import annotations

import builtins
import re
from pathlib import Path

import pytest

import claude_client

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "migration.md"

# From the seed's summary (INIT-009-client-library.md): its exported classes and exceptions ...
SEED_NAMES = (
    "ClaudeClient",
    "AsyncClaudeClient",
    "Model",
    "Response",
    "Usage",
    "BatchResult",
    "BatchResponse",
    "UsageStats",
    "ClaudeAPIError",
    "AuthenticationError",
    "BudgetExceededError",
    "RateLimitError",
    "TimeoutError",
)
# ... the methods of both clients ...
SEED_METHODS = ("complete", "stream", "batch", "get_usage", "health")
# ... the seed's model values, constructor keywords and per-call keywords.
SEED_MODEL_MEMBERS = ("HAIKU", "SONNET", "OPUS", "AUTO")
SEED_KEYWORDS = (
    "base_url",
    "api_key",
    "project_id",
    "timeout",
    "max_retries",
    "retry_delay",
    "model",
    "parallel",
    "period",
)


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_seed_name_is_in_the_guide_as_code(guide: str, name: str) -> None:
    assert f"`{name}`" in guide or f"`{name}(" in guide, name


@pytest.mark.parametrize("name", SEED_NAMES)
def test_every_seed_name_is_still_exported(name: str) -> None:
    assert name in claude_client.__all__
    assert hasattr(claude_client, name)


@pytest.mark.parametrize("method", SEED_METHODS)
def test_every_seed_method_is_in_the_guide(guide: str, method: str) -> None:
    assert re.search(rf"`[^`]*\b{method}\(", guide), method


@pytest.mark.parametrize("method", SEED_METHODS)
def test_every_seed_method_exists_on_both_clients(method: str) -> None:
    assert callable(getattr(claude_client.ClaudeClient, method))
    assert callable(getattr(claude_client.AsyncClaudeClient, method))


@pytest.mark.parametrize("member", SEED_MODEL_MEMBERS)
def test_every_seed_model_value_is_in_the_guide_and_the_enum(guide: str, member: str) -> None:
    assert f"Model.{member}" in guide
    assert claude_client.Model[member].value == member.lower()


@pytest.mark.parametrize("keyword", SEED_KEYWORDS)
def test_every_seed_keyword_is_in_the_guide(guide: str, keyword: str) -> None:
    assert re.search(rf"`[^`]*\b{keyword}\b[^`]*`", guide), keyword


def test_closing_is_covered_for_both_clients(guide: str) -> None:
    # The seed's async client closed with `await client.close()`: still works, `aclose()` added.
    assert "`client.close()`" in guide
    assert "`await client.close()`" in guide
    assert "`await client.aclose()`" in guide
    assert callable(claude_client.ClaudeClient.close)
    assert callable(claude_client.AsyncClaudeClient.close)
    assert callable(claude_client.AsyncClaudeClient.aclose)


def test_the_seed_signatures_are_quoted(guide: str) -> None:
    # The seed's own signatures, as published (client/claude_client.py at c098248).
    for signature in (
        'ClaudeClient(base_url="http://localhost:8080", api_key=None, project_id="default", '
        "timeout=30.0, max_retries=3, retry_delay=1.0)",
        "client.complete(prompt, model=Model.AUTO, project_id=None, timeout=None) -> Response",
        "client.stream(prompt, model=Model.AUTO, project_id=None) -> Iterator[str]",
        "client.batch(prompts, model=Model.AUTO, project_id=None, parallel=True, timeout=None)"
        " -> BatchResponse",
        'client.get_usage(period="month", project_id=None) -> UsageStats',
        "client.health() -> Dict[str, Any]",
    ):
        assert f"`{signature}`" in guide, signature


def test_the_seed_exceptions_still_form_one_hierarchy() -> None:
    for name in SEED_NAMES:
        obj = getattr(claude_client, name)
        if name.endswith("Error"):
            assert issubclass(obj, claude_client.ClaudeAPIError), name
    # Code that caught Python's own TimeoutError around the seed client keeps working.
    assert issubclass(claude_client.TimeoutError, builtins.TimeoutError)
