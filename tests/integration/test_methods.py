"""Every client method against the double over real sockets, sync and async: what comes back
is what the service computed (content from the prompt, usage, cost, project, aggregation)."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from claude_client import (
    AsyncClaudeClient,
    BatchResponse,
    HealthStatus,
    Message,
    Model,
    Response,
    RouteRecommendation,
    UsageStats,
)
from claude_client.testing import ServiceDouble
from tests.integration.conftest import BATCH, CHAT, HEALTH_STATUS, Factory, cost_of
from tests.unit.conftest import Caller


def check_response(reply: Response, double: ServiceDouble, model: str, topic: str) -> None:
    """A completion as the service builds it: the key's project, priced by the model used."""
    assert isinstance(reply, Response)
    assert reply.model == model
    assert topic in reply.content
    assert reply.project_id == double.project_id
    usage = reply.usage
    assert usage.input_tokens > 0 and usage.output_tokens > 0
    assert usage.total_tokens == usage.input_tokens + usage.output_tokens
    assert reply.cost == pytest.approx(cost_of(model, usage.input_tokens, usage.output_tokens))


@pytest.mark.parametrize("model", [Model.HAIKU, Model.SONNET, Model.OPUS, "haiku", "opus"])
async def test_complete_with_each_model(
    client: Caller, claude_double: ServiceDouble, model: Model | str
) -> None:
    reply = await client.complete("explain unit tests", model=model)
    check_response(reply, claude_double, str(model), "explain unit tests")
    again = await client.complete("explain unit tests", model=model)
    assert (again.content, again.usage) == (reply.content, reply.usage)
    assert again.id != reply.id
    assert claude_double.stats.tasks_started == 2


@pytest.mark.parametrize(
    ("prompt", "max_tokens", "chosen"),
    [
        ("list three colors", None, "haiku"),
        ("analyze this architecture", None, "sonnet"),
        ("Tell me a story about a whale", None, "sonnet"),
        ("Tell me a story about a whale", 20000, "opus"),
    ],
)
async def test_auto_lets_the_service_choose_as_route_predicts(
    client: Caller,
    claude_double: ServiceDouble,
    prompt: str,
    max_tokens: int | None,
    chosen: str,
) -> None:
    reply = await client.complete(prompt, model=Model.AUTO, max_tokens=max_tokens)
    check_response(reply, claude_double, chosen, prompt)
    recommendation = await client.route(prompt, context_size=max_tokens or 0)
    assert recommendation.recommended_model == Model(chosen)


async def test_auto_is_the_default_model(client: Caller, claude_double: ServiceDouble) -> None:
    check_response(await client.complete("list three colors"), claude_double, "haiku", "list")


async def test_a_message_list_is_one_conversation(
    client: Caller, claude_double: ServiceDouble
) -> None:
    as_string = await client.complete("what is a mock", model="sonnet")
    as_list = await client.complete([{"role": "user", "content": "what is a mock"}], "sonnet")
    assert (as_list.content, as_list.usage) == (as_string.content, as_string.usage)

    conversation = [
        Message("system", "You are terse."),
        {"role": "user", "content": "what is a fake"},
        Message("assistant", "A working stand-in."),
        {"role": "user", "content": "and a stub"},
    ]
    reply = await client.complete(conversation, model=Model.SONNET)
    check_response(reply, claude_double, "sonnet", "and a stub")
    assert reply.usage.input_tokens > as_string.usage.input_tokens


async def test_an_empty_reply_is_a_valid_completion(client: Caller) -> None:
    reply = await client.complete("[[empty]]", model="haiku")
    assert reply.content == ""
    assert reply.usage.output_tokens == 0
    assert reply.cost == pytest.approx(cost_of("haiku", reply.usage.input_tokens, 0))


async def test_concurrent_async_completions_share_one_client(
    claude_double: ServiceDouble,
) -> None:
    claude_double.token_delay = 0.01  # long enough for the requests to overlap
    prompts = [f"topic number {i}" for i in range(8)]
    async with AsyncClaudeClient(claude_double.base_url, claude_double.api_key) as client:
        replies = await asyncio.gather(*(client.complete(p, model="haiku") for p in prompts))
        usage = await client.get_usage()
    for prompt, reply in zip(prompts, replies, strict=True):
        check_response(reply, claude_double, "haiku", prompt)
    assert len({reply.id for reply in replies}) == len(prompts)
    assert usage.total_tokens == sum(reply.usage.total_tokens for reply in replies)
    assert claude_double.stats.tasks_started == len(prompts)


# --- batch -----------------------------------------------------------------------------------


async def test_batch_keeps_order_ids_and_reports_failed_items(
    client: Caller, claude_double: ServiceDouble
) -> None:
    prompts = ["first question", ("beta", "second question"), "[[fail]] third", "fourth"]
    result = await client.batch(prompts, model=Model.OPUS)
    assert isinstance(result, BatchResponse)
    assert (result.total, result.completed, result.failed) == (4, 3, 1)
    assert [r.id for r in result.results] == ["0", "beta", "2", "3"]
    assert [r.prompt for r in result.results] == [
        "first question",
        "second question",
        "[[fail]] third",
        "fourth",
    ]
    done = [r for r in result.results if r.status == "completed"]
    for item in done:
        assert item.usage is not None and item.content and item.error is None
        assert item.prompt in item.content
        assert item.cost == pytest.approx(
            cost_of("opus", item.usage.input_tokens, item.usage.output_tokens)
        )
    failed = result.results[2]
    assert failed.status == "failed"
    assert (failed.content, failed.usage, failed.cost) == (None, None, None)
    assert failed.error is not None and failed.error.startswith("Process exited with code 1")
    assert result.total_tokens == sum(r.usage.total_tokens for r in done if r.usage)
    assert result.total_cost == pytest.approx(sum(r.cost or 0.0 for r in done))
    assert claude_double.stats.requests(BATCH) == 1
    assert claude_double.stats.tasks_started == 4


async def test_batch_with_auto_model_is_charged_to_the_project(
    client: Caller, claude_double: ServiceDouble
) -> None:
    result = await client.batch(["list the planets", "list the oceans"])
    assert result.completed == 2
    usage = await client.get_usage()
    assert set(usage.by_model) == {"haiku"}  # auto-selected from the first prompt
    assert usage.total_tokens == result.total_tokens
    assert usage.total_cost == pytest.approx(result.total_cost)


async def test_batch_is_not_budget_checked(make: Factory, claude_double: ServiceDouble) -> None:
    broke = make(api_key=claude_double.exhausted_key)
    before = await broke.get_usage()
    result = await broke.batch(["one more thing"], model="haiku")
    after = await broke.get_usage()
    assert result.completed == 1
    assert after.remaining == before.remaining - result.total_tokens < 0


# --- usage -----------------------------------------------------------------------------------


async def test_usage_aggregates_by_model_for_each_period(
    client: Caller, claude_double: ServiceDouble
) -> None:
    claude_double.clock.freeze(datetime(2026, 3, 15, 12, 0))
    claude_double.record_usage(claude_double.project_id, "opus", 100, 200)  # ten days ago
    claude_double.clock.advance(7 * 86400)
    claude_double.record_usage(claude_double.project_id, "opus", 10, 20)  # three days ago
    claude_double.clock.advance(3 * 86400)
    replies = [await client.complete("count to three", model=m) for m in ("haiku", "sonnet")]
    today = {r.model: r for r in replies}

    month: UsageStats = await client.get_usage()
    week: UsageStats = await client.get_usage("week")
    day: UsageStats = await client.get_usage(period="day")

    assert (month.period, week.period, day.period) == ("month", "week", "day")
    assert {month.project_id, week.project_id, day.project_id} == {claude_double.project_id}
    assert set(day.by_model) == {"haiku", "sonnet"}
    for name, reply in today.items():
        assert day.by_model[name].tokens == reply.usage.total_tokens
        assert day.by_model[name].cost == pytest.approx(reply.cost)
    assert day.total_tokens == sum(r.usage.total_tokens for r in replies)
    assert day.total_cost == pytest.approx(sum(r.cost for r in replies))
    assert week.by_model["opus"].tokens == 30
    assert week.total_tokens == day.total_tokens + 30
    assert month.by_model["opus"].tokens == 330
    assert month.by_model["opus"].cost == pytest.approx(cost_of("opus", 110, 220))
    assert month.total_tokens == day.total_tokens + 330
    assert (month.limit, month.remaining) == (None, None)


async def test_usage_of_a_project_with_a_budget(
    make: Factory, claude_double: ServiceDouble
) -> None:
    usage = await make(api_key=claude_double.exhausted_key).get_usage("month")
    assert usage.project_id == claude_double.exhausted_project_id
    assert usage.limit is not None and usage.remaining is not None
    assert usage.remaining == usage.limit - usage.total_tokens < 0
    assert usage.total_cost == pytest.approx(sum(m.cost for m in usage.by_model.values()))


# --- route and health ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "context_size", "model", "reasoning"),
    [
        ("list three colors", 0, Model.HAIKU, "Simple prompt with basic keywords → Haiku"),
        ("analyze this", 0, Model.SONNET, "Complex reasoning keywords with sufficient budget"),
        ("write a poem", 20000, Model.OPUS, "Context constraint: Large context requires Opus"),
        ("write a poem", 0, Model.SONNET, "Medium complexity task → Sonnet (default)"),
    ],
)
async def test_route_recommends_without_running_a_task(
    client: Caller,
    claude_double: ServiceDouble,
    prompt: str,
    context_size: int,
    model: Model,
    reasoning: str,
) -> None:
    spent = await client.complete("count sheep", model="haiku")
    recommendation = await client.route(prompt, context_size=context_size)
    assert isinstance(recommendation, RouteRecommendation)
    assert recommendation.recommended_model is model
    assert reasoning in recommendation.reasoning
    status = recommendation.budget_status
    assert status.total_tokens == spent.usage.total_tokens
    assert status.total_cost == pytest.approx(spent.cost)
    assert (status.limit, status.remaining) == (None, None)
    assert claude_double.stats.tasks_started == 1


async def test_route_on_a_spent_budget_forces_haiku(
    make: Factory, claude_double: ServiceDouble
) -> None:
    recommendation = await make(api_key=claude_double.exhausted_key).route("analyze this")
    assert recommendation.recommended_model is Model.HAIKU
    assert recommendation.reasoning.startswith("Budget constraint: Insufficient budget")
    assert recommendation.budget_status.remaining is not None
    assert recommendation.budget_status.remaining < 0


#: What each generation's /health lists for a normal setup (service-behaviour*.md, /health).
HEALTH_SERVICES = {
    1: {"worker_pool": "running", "budget_manager": "initialized", "auth_manager": "initialized"},
    2: {
        "worker_pool": "ok",
        "redis": "unavailable",
        "audit_db": "ok",
        "budget_manager": "ok",
        "auth_manager": "ok",
    },
}


async def test_health_needs_no_key(make: Factory, claude_double: ServiceDouble) -> None:
    for key in (None, "cc_" + "f" * 40):
        health = await make(api_key=key).health()
        assert isinstance(health, HealthStatus)
        assert (health.status, health.version) == (HEALTH_STATUS[claude_double.generation], "0.1.0")
        assert health.services == HEALTH_SERVICES[claude_double.generation]
    assert claude_double.stats.requests(CHAT) == 0
