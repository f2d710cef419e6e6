"""``cache=`` on both clients against the double: hits send nothing, cost nothing, and
``auto`` never hands back another model's answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from claude_client import Model, Usage
from claude_client.cache import MemoryCache, SQLiteCache
from claude_client.testing import ServiceDouble
from tests.integration.conftest import CHAT, ROUTE, Factory

PROMPT = "list three colors"


async def test_a_hit_sends_nothing_and_costs_nothing(
    make: Factory, claude_double: ServiceDouble
) -> None:
    client = make(cache=True)
    first = await client.complete(PROMPT, model="haiku")
    second = await client.complete(PROMPT, model="haiku")
    assert claude_double.stats.requests(CHAT) == 1
    assert claude_double.stats.tasks_started == 1
    assert first.cached is False and first.saved_usage is None
    assert second.cached is True
    assert (second.id, second.model, second.content) == (first.id, first.model, first.content)
    assert second.usage == Usage(0, 0, 0) and second.cost == 0.0
    assert second.saved_usage == first.usage and second.saved_cost == first.cost
    # The service billed exactly one call: accounting stays honest.
    assert claude_double.usage(claude_double.project_id).total_tokens == first.usage.total_tokens


async def test_the_key_is_the_request_as_sent(make: Factory, claude_double: ServiceDouble) -> None:
    client = make(cache=True)
    await client.complete(PROMPT, model="haiku")
    await client.complete(PROMPT, model="sonnet")
    await client.complete(PROMPT, model="haiku", max_tokens=50)
    await client.complete(PROMPT, model="haiku", timeout=20)
    await client.complete([{"role": "system", "content": "x"}, {"role": "user", "content": PROMPT}])
    # Tools and directory change what the CLI does (generation 2): keyed too.
    await client.complete(PROMPT, model="haiku", allowed_tools=["Read"])
    await client.complete(PROMPT, model="haiku", allowed_tools=["Read", "Grep"])
    await client.complete(PROMPT, model="haiku", allowed_tools=["Read"], working_directory="/tmp")
    assert claude_double.stats.requests(CHAT) == 8
    again = await client.complete(PROMPT, model="sonnet")
    assert again.cached and again.model == "sonnet"
    tools = await client.complete(PROMPT, model="haiku", allowed_tools=["Read", "Grep"])
    assert tools.cached
    assert claude_double.stats.requests(CHAT) == 8


async def test_cache_false_per_call_bypasses_it(
    make: Factory, claude_double: ServiceDouble
) -> None:
    client = make(cache=True)
    await client.complete(PROMPT, model="haiku")
    fresh = await client.complete(PROMPT, model="haiku", cache=False)
    assert fresh.cached is False
    assert claude_double.stats.requests(CHAT) == 2
    with pytest.raises(TypeError, match="cache must be True or False"):
        await client.complete(PROMPT, model="haiku", cache="no")


async def test_without_a_client_cache_nothing_is_cached(
    make: Factory, claude_double: ServiceDouble
) -> None:
    client = make()
    await client.complete(PROMPT, model="haiku")
    reply = await client.complete(PROMPT, model="haiku")
    assert reply.cached is False
    assert claude_double.stats.requests(CHAT) == 2


async def test_auto_is_keyed_by_the_routed_model(
    make: Factory, claude_double: ServiceDouble
) -> None:
    backend = MemoryCache()
    client = make(cache=backend)
    routed = await client.route(PROMPT, len(f"user: {PROMPT}".split()))
    first = await client.complete(PROMPT)  # Model.AUTO: routed, then sent naming the model
    assert first.model == routed.recommended_model.value == "haiku"
    assert claude_double.stats.requests(ROUTE) == 2
    hit = await client.complete(PROMPT, model=Model.HAIKU)  # the same request, named
    assert hit.cached and hit.content == first.content
    # A project whose budget is nearly spent routes the same prompt elsewhere: no stale hit.
    key = claude_double.add_key("tight")
    claude_double.set_budget("tight", 500)
    tight = make(api_key=key, cache=backend)
    other = await tight.complete("analyze this design")
    assert other.cached is False and other.model == "haiku"
    assert (await client.complete("analyze this design")).model == "sonnet"


async def test_failures_are_not_stored(make: Factory, claude_double: ServiceDouble) -> None:
    from claude_client import BudgetExceededError

    key = claude_double.add_key("spent")
    claude_double.set_budget("spent", 1)
    claude_double.record_usage("spent", "haiku", 10, 0)
    client = make(api_key=key, cache=True)
    for _ in range(2):
        with pytest.raises(BudgetExceededError):
            await client.complete(PROMPT, model="haiku")
    assert claude_double.stats.requests(CHAT) == 2


async def test_sqlite_cache_is_shared_across_clients(
    make: Factory, claude_double: ServiceDouble, tmp_path: Path
) -> None:
    path = tmp_path / "answers.db"
    first = await make(cache=SQLiteCache(path)).complete(PROMPT, model="opus")
    second = await make(cache=SQLiteCache(path)).complete(PROMPT, model="opus")
    assert second.cached and second.content == first.content
    assert claude_double.stats.requests(CHAT) == 1


async def test_another_key_does_not_see_the_entry(
    make: Factory, claude_double: ServiceDouble
) -> None:
    backend = MemoryCache()
    await make(cache=backend).complete(PROMPT, model="haiku")
    other = make(api_key=claude_double.add_key("elsewhere"), cache=backend)
    assert (await other.complete(PROMPT, model="haiku")).cached is False


def test_a_bad_cache_argument_is_refused() -> None:
    from claude_client import ClaudeClient

    with pytest.raises(TypeError, match="cache must be True, False or a backend"):
        ClaudeClient("http://localhost:1", cache="memory")  # type: ignore[arg-type]


async def test_batch_looks_each_prompt_up(make: Factory, claude_double: ServiceDouble) -> None:
    client = make(cache=True)
    first = await client.batch(["list a", "list b"], model="haiku")
    assert [r.cached for r in first.results] == [False, False]
    mixed = await client.batch([("x", "list b"), ("y", "list c"), ("z", "list a")], model="haiku")
    assert claude_double.stats.requests("/v1/batch") == 2
    assert [(r.id, r.cached) for r in mixed.results] == [("x", True), ("y", False), ("z", True)]
    hit = mixed.results[0]
    assert hit.usage == Usage(0, 0, 0) and hit.cost == 0.0
    assert hit.content == first.results[1].content
    assert hit.saved_usage == first.results[1].usage and hit.saved_cost == first.results[1].cost
    sent = mixed.results[1]
    assert mixed.total_cost == sent.cost and mixed.total_tokens == sent.usage.total_tokens
    assert (mixed.total, mixed.completed, mixed.failed) == (3, 3, 0)
    # Every prompt cached: nothing is sent at all.
    again = await client.batch(["list c", "list a"], model="haiku")
    assert all(r.cached for r in again.results) and again.total_cost == 0.0
    assert claude_double.stats.requests("/v1/batch") == 2
    # The same prompt through complete() is another request (the chat endpoint): not shared.
    assert (await client.complete("list a", model="haiku")).cached is False


async def test_auto_batches_and_cache_false_are_not_cached(
    make: Factory, claude_double: ServiceDouble
) -> None:
    client = make(cache=True)
    for _ in range(2):
        auto = await client.batch(["list a"])
        assert not auto.results[0].cached
    await client.batch(["list a"], model="haiku")
    bypass = await client.batch(["list a"], model="haiku", cache=False)
    assert not bypass.results[0].cached
    assert claude_double.stats.requests("/v1/batch") == 4


async def test_the_batch_helpers_use_the_cache_per_item(
    make: Factory, claude_double: ServiceDouble
) -> None:
    client = make(cache=True)
    prompts = [f"list item {n}" for n in range(6)]
    first = await client.run_batch(prompts, model="haiku", chunk_size=2)
    assert first.completed == 6 and not any(r.cached for r in first.results)
    again = await client.run_batch([*prompts[:3], "list item new"], model="haiku", chunk_size=2)
    assert [r.cached for r in again.results] == [True, True, True, False]
    fresh = again.results[3]
    assert fresh.usage is not None
    # The run's total is the exact sum rounded to 1e-10 dollars (every price is a multiple of
    # 2.5e-8 per token): generation 2's float noise (2.7249999999999998e-05) is not carried.
    assert fresh.cost is not None and again.total_cost == round(fresh.cost, 10)
    assert again.total_tokens == fresh.usage.total_tokens
    assert again.results[0].to_json()["cached"] is True
    assert "cached" not in fresh.to_json()
    # Chunk [0, 1] was all hits: not sent; [2, new] sent with the one miss.
    assert claude_double.stats.requests("/v1/batch") == 3 + 1
