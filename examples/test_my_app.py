"""Testing your own code against the service double, with the `claude_double` pytest fixture.

The fixture comes with the library (a pytest plugin, `pip install "claude-code-client[testing]"`):
no conftest.py, no mocks, real HTTP on 127.0.0.1. Run:

    pytest examples/test_my_app.py
"""

from __future__ import annotations

# --8<-- [start:example]
from collections.abc import Iterator

import pytest
from my_app import summarise

from claude_client import ClaudeClient, ServerError
from claude_client.testing import ServiceDouble


@pytest.fixture
def client(claude_double: ServiceDouble) -> Iterator[ClaudeClient]:
    # `claude_double` is reset before and after every test: keys, budgets, usage, faults.
    with ClaudeClient(claude_double.base_url, claude_double.api_key, retry_delay=0.01) as c:
        yield c


def test_summarise_returns_the_models_text(client: ClaudeClient) -> None:
    summary = summarise(client, "The quarterly report shows growth.")
    assert summary.problem is None
    assert summary.model == "haiku"
    assert summary.text  # the stand-in model's reply is deterministic and never empty
    assert summary.cost > 0


def test_the_same_prompt_gives_the_same_reply(client: ClaudeClient) -> None:
    assert summarise(client, "same input") == summarise(client, "same input")


def test_usage_is_billed_to_the_keys_project(
    client: ClaudeClient, claude_double: ServiceDouble
) -> None:
    summarise(client, "anything")
    usage = claude_double.usage(claude_double.project_id)  # read the double's books directly
    assert usage.total_tokens > 0


def test_a_spent_budget_is_reported_not_raised(claude_double: ServiceDouble) -> None:
    # The double has a second key whose project's monthly budget is already spent.
    with ClaudeClient(claude_double.base_url, claude_double.exhausted_key) as broke:
        assert summarise(broke, "anything").problem == "budget"


def test_a_small_budget_runs_out(client: ClaudeClient, claude_double: ServiceDouble) -> None:
    claude_double.set_budget(claude_double.project_id, 10)  # tokens per month
    claude_double.record_usage(claude_double.project_id, "haiku", 5, 10)
    assert summarise(client, "anything").problem == "budget"


def test_a_failed_task_is_reported_and_not_rerun(
    client: ClaudeClient, claude_double: ServiceDouble
) -> None:
    # The stand-in model fails on purpose when the prompt holds the [[fail]] marker.
    assert summarise(client, "[[fail]]").problem == "task failed"
    assert claude_double.stats.tasks_started == 1  # a retry would have run (and billed) it again


def test_a_brief_outage_is_retried(client: ClaudeClient, claude_double: ServiceDouble) -> None:
    claude_double.faults.fail(503, times=2, path="/v1/chat/completions")
    assert summarise(client, "anything").problem is None  # two 503s, then success
    assert claude_double.stats.requests("/v1/chat/completions") == 3


def test_a_long_outage_surfaces(client: ClaudeClient, claude_double: ServiceDouble) -> None:
    claude_double.faults.fail(503, times=None, path="/v1/chat/completions")  # until reset
    with pytest.raises(ServerError) as info:
        summarise(client, "anything")
    assert info.value.status_code == 503
