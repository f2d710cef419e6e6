"""Generation 2's operations against the double over real sockets, sync and async; and what
they raise on a generation-1 double (the service is older)."""

from __future__ import annotations

from typing import Any

import pytest

from claude_client import (
    AsyncClaudeClient,
    BudgetExceededError,
    ClaudeClient,
    PermissionDeniedError,
    ServerError,
    TaskBudgetExceededError,
    TaskCostExceededError,
    TaskDoneEvent,
    TaskResult,
    TaskStatus,
    ThinkingEvent,
    UnsupportedByServiceError,
)
from claude_client.testing import ServiceDouble
from tests.integration.conftest import Factory
from tests.reliability.hostile import GatewayTimeout
from tests.unit.conftest import Caller

gen2 = pytest.mark.claude_double_generation(2)
gen1 = pytest.mark.claude_double_generation(1)


async def final_of_stream(
    caller: Caller, description: str, **options: Any
) -> tuple[list[Any], TaskResult]:
    """Run ``stream_task`` on a sync or async client: its events and its result."""
    client = caller.client
    if isinstance(client, AsyncClaudeClient):
        async with client.stream_task(description, **options) as stream:
            events = [event async for event in stream]
            return events, await stream.get_final_result()
    assert isinstance(client, ClaudeClient)
    with client.stream_task(description, **options) as sync_stream:
        events = list(sync_stream)
        return events, sync_stream.get_final_result()


@gen2
async def test_a_task_runs_and_bills_the_keys_project(
    client: Caller, claude_double: ServiceDouble
) -> None:
    result = await client.execute_task("summarize the repo", timeout=60, model="haiku")
    assert result.status is TaskStatus.COMPLETED and result.output
    assert result.usage.model_used == "haiku" and result.cost > 0
    # The service charges the body's project ("default" unless named): the client names the
    # key's, so the task shows in get_usage().
    usage = await client.get_usage()
    assert usage.project_id == claude_double.project_id
    assert usage.total_tokens == result.usage.total_tokens
    assert claude_double.usage("default").total_tokens == 0


@gen2
async def test_a_task_over_its_projects_budget_is_budget_exceeded_with_its_result(
    make: Factory, claude_double: ServiceDouble
) -> None:
    client = make(api_key=claude_double.exhausted_key)
    with pytest.raises(TaskBudgetExceededError) as info:
        await client.execute_task("summarize the repo", timeout=60)
    assert isinstance(info.value, BudgetExceededError)
    assert info.value.result.status is TaskStatus.FAILED
    assert info.value.result.error == "Insufficient budget"


@gen2
async def test_a_task_over_its_max_cost_raises_with_its_output(client: Caller) -> None:
    with pytest.raises(TaskCostExceededError) as info:
        await client.execute_task("summarize the repo", timeout=60, max_cost=1e-7, model="opus")
    assert info.value.result.status is TaskStatus.COST_EXCEEDED
    assert info.value.result.output


@gen2
async def test_a_key_without_a_permission_profile_is_denied(
    make: Factory, claude_double: ServiceDouble
) -> None:
    key = claude_double.add_key("no-profile")
    with pytest.raises(PermissionDeniedError):
        await make(api_key=key).execute_task("summarize", timeout=60)


@gen2
async def test_process_runs_on_the_cli_and_bills_the_keys_project(
    client: Caller, claude_double: ServiceDouble
) -> None:
    answer = await client.process(
        "anthropic", "claude-3-haiku", user_message="hello cli", use_cli=True, max_tokens=300
    )
    assert answer.actual_model == "haiku" and answer.content
    assert answer.usage is not None
    usage = await client.get_usage()
    assert usage.total_tokens == answer.usage.total_tokens


@gen2
async def test_process_over_budget_is_budget_exceeded(
    make: Factory, claude_double: ServiceDouble
) -> None:
    spent = make(api_key=claude_double.exhausted_key).process
    with pytest.raises(BudgetExceededError, match="Budget exceeded") as info:
        await spent("anthropic", "haiku", user_message="hi", use_cli=True)
    assert info.value.status_code == 403  # the service's word for it on /v1/process


@gen2
async def test_providers_models_capabilities_and_readiness(client: Caller) -> None:
    providers = await client.providers()
    assert {p.name for p in providers} >= {"anthropic", "claudecode"}
    models = await client.provider_models("anthropic")
    assert models.models["haiku"].context_window > 0
    capabilities = await client.capabilities()
    assert all(agent.name for agent in capabilities.agents)
    assert (await client.ready()).ready is True


@gen2
async def test_a_streamed_task_thinks_then_finishes(client: Caller) -> None:
    events, result = await final_of_stream(client, "summarize the repo", timeout=60)
    assert isinstance(events[0], ThinkingEvent) and isinstance(events[-1], TaskDoneEvent)
    assert result.status is TaskStatus.COMPLETED and result.task_id is None


@gen1
@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("execute_task", ("summarize",)),
        ("process", ("anthropic", "haiku")),
        ("providers", ()),
        ("provider_models", ("anthropic",)),
        ("capabilities", ()),
        ("ready", ()),
    ],
)
async def test_a_generation_2_method_on_generation_1_says_the_service_is_older(
    client: Caller, method: str, args: tuple[str, ...]
) -> None:
    kwargs: dict[str, Any] = {"user_message": "hi", "use_cli": True} if method == "process" else {}
    with pytest.raises(UnsupportedByServiceError, match="older than generation 2"):
        await getattr(client, method)(*args, **kwargs)


@gen1
async def test_a_streamed_task_on_generation_1_says_the_service_is_older(client: Caller) -> None:
    with pytest.raises(UnsupportedByServiceError, match="older than generation 2"):
        await final_of_stream(client, "summarize", timeout=60)


@gen2
@pytest.mark.parametrize("operation", ["execute_task", "process"])
async def test_a_gateway_504_never_reruns_a_task_or_a_process(
    make: Factory, claude_double: ServiceDouble, operation: str
) -> None:
    """Both run a task: behind a gateway that answers 504 while the service works, one call
    starts one task (the policy's runs_task, declared by their operations)."""
    with GatewayTimeout(claude_double.base_url) as gateway:
        client = make(base_url=gateway.url)
        project = {"project_id": claude_double.project_id}  # no usage lookup through the gateway
        if operation == "execute_task":
            call = client.execute_task("summarize the repo", timeout=60, **project)
        else:
            call = client.process("anthropic", "haiku", user_message="hi", use_cli=True, **project)
        with pytest.raises(ServerError) as info:
            await call
        assert info.value.status_code == 504
        gateway.settle()
        assert gateway.forwarded == 1
