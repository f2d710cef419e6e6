"""Code written for the seed client runs unchanged here and means what it meant (issue 15).

Written from the seed's summary (shared/seed/INIT-009-client-library.md): its constructor
``ClaudeClient(base_url, api_key, project_id, timeout, max_retries, retry_delay)``, its methods
``complete(prompt, model, project_id, timeout)``, ``stream(prompt, model, project_id)``,
``batch(prompts, model, parallel, timeout)``, ``get_usage(period, project_id)`` and
``health() -> dict``, its dataclass results and its example flow, each called as a seed user
would: by position too, sync and async, against the double over real sockets. Only the import
changes (``from client import ...`` -> ``from claude_client import ...``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from claude_client import (
    AsyncClaudeClient,
    AuthenticationError,
    BatchResponse,
    BatchResult,
    BudgetExceededError,
    ClaudeAPIError,
    ClaudeClient,
    Model,
    ProjectIdIgnoredWarning,
    Response,
    Usage,
    UsageStats,
    _config,
)
from claude_client.testing import ServiceDouble
from tests.integration.conftest import (
    BATCH,
    CHAT,
    HEALTH_STATUS,
    USAGE,
)

OTHER_PROJECT = "someone-elses-project"


@pytest.fixture
def seed_env(claude_double: ServiceDouble, monkeypatch: pytest.MonkeyPatch) -> ServiceDouble:
    """The seed's examples pass no key (the service had none then): it comes from the
    environment, as our README says."""
    monkeypatch.setenv(_config.ENV_API_KEY, claude_double.api_key)
    return claude_double


class Sent:
    """Every request a client sends, read from its ``client.client`` (the seed's attribute)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def attach(self, client: ClaudeClient | AsyncClaudeClient) -> None:
        if isinstance(client, AsyncClaudeClient):

            async def record_async(request: httpx.Request) -> None:
                self.requests.append(request)

            client.client.event_hooks["request"].append(record_async)
        else:
            client.client.event_hooks["request"].append(self.requests.append)

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests if r.url.path == path]

    def queries(self, path: str) -> list[dict[str, str]]:
        return [dict(r.url.params) for r in self.requests if r.url.path == path]


@pytest.fixture
def sent() -> Sent:
    return Sent()


@pytest.fixture
def caught() -> Iterator[list[warnings.WarningMessage]]:
    """The ``ProjectIdIgnoredWarning``s raised inside the test (the others pass through)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", ProjectIdIgnoredWarning)
        yield seen


def project_warnings(seen: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in seen if issubclass(w.category, ProjectIdIgnoredWarning)]


# --- the seed's example flow -----------------------------------------------------------------


def seed_example(base_url: str) -> None:
    """A seed user's script: check the service, then complete, pick a model, batch, usage."""
    try:
        with ClaudeClient(base_url=base_url) as client:
            health = client.health()
            if health["status"] != "ok":
                print("Service is unavailable")
                return
            print("Service is available")
            print(f"Version: {health.get('version')}, services: {len(health['services'])}")
    except ClaudeAPIError as e:
        print(f"Service is unavailable: {e}")
        return

    with ClaudeClient(base_url=base_url) as client:
        response = client.complete("Write a haiku about Python")
        print(f"Cost: ${response.cost:.4f}, tokens: {response.usage.total_tokens}")
        response = client.complete("Count to 5", model=Model.HAIKU)
        print(f"Model: {response.model}")

        results = client.batch(["Hello", "Count to 5", "Name a color"], model="haiku")
        for result in results.results:
            if result.status == "completed":
                print(f"{result.id}: {len(result.content or '')} chars")
        print(f"Completed: {results.completed}/{results.total}")

        stats = client.get_usage(period="month")
        print(f"Tokens this month: {stats.total_tokens:,}")
        for model_name, model_stats in stats.by_model.items():
            print(f"{model_name}: {model_stats['tokens']:,} tokens, ${model_stats['cost']:.4f}")


def test_the_seed_example_flow_runs_and_says_the_service_is_available(
    seed_env: ServiceDouble, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_example(seed_env.base_url)
    out = capsys.readouterr().out
    assert out.startswith("Service is available\n")
    assert "Version: " in out
    assert "Model: haiku" in out
    assert "0: " in out and "2: " in out
    assert "Completed: 3/3" in out
    assert "haiku: " in out and " tokens, $" in out


def test_the_seed_example_flow_says_unavailable_when_nothing_listens(
    unused_port: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(_config.ENV_API_KEY, "any-key")
    seed_example(f"http://127.0.0.1:{unused_port}")
    assert capsys.readouterr().out.startswith("Service is unavailable: ")


async def test_the_seed_async_flow(seed_env: ServiceDouble) -> None:
    async with AsyncClaudeClient(base_url=seed_env.base_url) as client:
        health = await client.health()
        assert health["status"] == "ok" and health.get("services")
        response = await client.complete("Hello!")
        assert response.content
        results = await client.batch(["Hello", "Goodbye", "Thank you"], model=Model.HAIKU)
        assert (results.completed, results.total) == (3, 3)
        chunks = [chunk async for chunk in client.stream("Write a story")]
        assert "".join(chunks)
        many = await asyncio.gather(*(client.complete(f"say {n}") for n in range(5)))
        assert len({r.id for r in many}) == 5
        stats = await client.get_usage()
        assert stats.by_model["haiku"]["tokens"] > 0
    # The seed's async client closed with ``await client.close()``.
    again = AsyncClaudeClient(base_url=seed_env.base_url)
    await again.close()


# --- the constructor: the seed's order, its attributes ---------------------------------------


@pytest.mark.parametrize("kind", [ClaudeClient, AsyncClaudeClient])
def test_the_constructor_takes_the_seed_order_and_keeps_its_attributes(
    claude_double: ServiceDouble,
    kind: type[ClaudeClient] | type[AsyncClaudeClient],
    caught: list[warnings.WarningMessage],
) -> None:
    key = claude_double.api_key
    client = kind(claude_double.base_url, key, "my-project", 60, 2, 0.25)
    assert client.base_url == claude_double.base_url
    assert (client.api_key, client.project_id) == (key, "my-project")
    assert (client.timeout, client.max_retries, client.retry_delay) == (60, 2, 0.25)
    http = httpx.AsyncClient if kind is AsyncClaudeClient else httpx.Client
    assert isinstance(client.client, http)
    assert key not in repr(client)
    for name in ("api_key", "project_id", "timeout", "max_retries", "retry_delay", "client"):
        with pytest.raises(AttributeError):
            setattr(client, name, None)
    # One warning, pointing at the line that gave the project.
    (warning,) = [w for w in caught if issubclass(w.category, ProjectIdIgnoredWarning)]
    assert "'my-project' is ignored" in str(warning.message)
    assert warning.filename == __file__
    if isinstance(client, ClaudeClient):
        client.close()
    else:
        asyncio.run(client.aclose())


def test_the_seed_defaults(seed_env: ServiceDouble) -> None:
    with ClaudeClient() as client:
        assert client.project_id is None  # not given: nothing to warn about
        # The seed waited 30 s, the service's own task limit, so a default call could give up
        # on work the service still finished and billed: the wait is now 40 s (issue 14).
        assert (client.timeout, client.max_retries) == (40.0, 3)
        assert client.api_key == seed_env.api_key


# --- complete(prompt, model, project_id, timeout) --------------------------------------------


def test_complete_by_position_means_timeout_not_max_tokens(
    claude_double: ServiceDouble, sent: Sent, caught: list[warnings.WarningMessage]
) -> None:
    with ClaudeClient(claude_double.base_url, claude_double.api_key) as client:
        sent.attach(client)
        client.complete("list three colors", Model.HAIKU, None, 60)
        client.complete("list three colors", "haiku", OTHER_PROJECT, 45)
        client.complete("list three colors", "haiku", project_id=OTHER_PROJECT, timeout=45)
    first, second, third = sent.bodies(CHAT)
    assert first["timeout"] == 60 and "max_tokens" not in first
    assert second["timeout"] == 45 and "project_id" not in second
    assert third == second
    # The same project twice: one warning.
    assert len(project_warnings(caught)) == 1
    assert claude_double.usage(OTHER_PROJECT).total_tokens == 0


async def test_async_complete_by_position(
    claude_double: ServiceDouble, sent: Sent, caught: list[warnings.WarningMessage]
) -> None:
    async with AsyncClaudeClient(claude_double.base_url, claude_double.api_key) as client:
        sent.attach(client)
        reply = await client.complete("list three colors", "haiku", OTHER_PROJECT, 60)
        assert reply.project_id == claude_double.project_id
    (body,) = sent.bodies(CHAT)
    assert body["timeout"] == 60 and "project_id" not in body and "max_tokens" not in body
    (message,) = project_warnings(caught)
    assert "bills the API key's project" in message


# --- stream(prompt, model, project_id) -------------------------------------------------------


def test_stream_by_position_bills_the_keys_project(
    claude_double: ServiceDouble, caught: list[warnings.WarningMessage]
) -> None:
    with ClaudeClient(claude_double.base_url, claude_double.api_key) as client:
        text = "".join(client.stream("Tell me a short joke", Model.HAIKU, OTHER_PROJECT))
        assert text == client.complete("Tell me a short joke", Model.HAIKU).content
    assert claude_double.usage(OTHER_PROJECT).total_tokens == 0
    assert claude_double.usage(claude_double.project_id).total_tokens > 0
    assert len(project_warnings(caught)) == 1


async def test_async_stream_by_position_bills_the_keys_project(
    claude_double: ServiceDouble, caught: list[warnings.WarningMessage]
) -> None:
    async with AsyncClaudeClient(claude_double.base_url, claude_double.api_key) as client:
        chunks = [c async for c in client.stream("Tell me a short joke", "haiku", OTHER_PROJECT)]
    assert "".join(chunks)
    assert claude_double.usage(OTHER_PROJECT).total_tokens == 0
    assert claude_double.usage(claude_double.project_id).total_tokens > 0
    assert len(project_warnings(caught)) == 1


# --- batch(prompts, model, parallel, timeout) ------------------------------------------------

PROMPTS = ["What is 2+2?", "Name a color", "Count from 1 to 3"]


def check_batch(results: BatchResponse) -> None:
    assert [r.id for r in results.results] == ["0", "1", "2"]
    assert [r.prompt for r in results.results] == PROMPTS
    assert (results.total, results.completed, results.failed) == (3, 3, 0)
    assert results.total_tokens == sum(r.usage.total_tokens for r in results.results if r.usage)


@pytest.mark.parametrize(
    ("args", "kwargs", "requests"),
    [
        (("haiku",), {}, 1),
        (("haiku", True), {}, 1),
        (("haiku", False, 60), {}, 3),  # the seed's summary: parallel, timeout
        (("haiku", None, False, 60), {}, 3),  # the seed's code: project_id, parallel, timeout
        (("haiku",), {"parallel": False, "timeout": 60}, 3),
    ],
)
def test_batch_takes_parallel_and_false_sends_one_prompt_at_a_time(
    claude_double: ServiceDouble,
    sent: Sent,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    requests: int,
) -> None:
    with ClaudeClient(claude_double.base_url, claude_double.api_key) as client:
        sent.attach(client)
        check_batch(client.batch(PROMPTS, *args, **kwargs))
    bodies = sent.bodies(BATCH)
    assert len(bodies) == requests == claude_double.stats.requests(BATCH)
    assert [p["prompt"] for body in bodies for p in body["prompts"]] == PROMPTS
    if 60 in args or kwargs:
        assert {body["timeout"] for body in bodies} == {60}


async def test_async_batch_one_at_a_time_with_the_seed_codes_project(
    claude_double: ServiceDouble, sent: Sent, caught: list[warnings.WarningMessage]
) -> None:
    async with AsyncClaudeClient(claude_double.base_url, claude_double.api_key) as client:
        sent.attach(client)
        check_batch(await client.batch(PROMPTS, Model.HAIKU, OTHER_PROJECT, False, 30))
        check_batch(await client.batch(PROMPTS, Model.HAIKU, project_id=OTHER_PROJECT))
    bodies = sent.bodies(BATCH)
    assert len(bodies) == 4
    assert all("project_id" not in body for body in bodies)
    assert len(project_warnings(caught)) == 1
    assert claude_double.usage(OTHER_PROJECT).total_tokens == 0


# --- get_usage(period, project_id) -----------------------------------------------------------


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_get_usage_by_position_reads_as_the_seeds_dicts(
    claude_double: ServiceDouble, sent: Sent, caught: list[warnings.WarningMessage], kind: str
) -> None:
    if kind == "sync":
        with ClaudeClient(claude_double.base_url, claude_double.api_key) as client:
            sent.attach(client)
            client.complete("list three colors", "haiku")
            stats = client.get_usage("week", OTHER_PROJECT)
    else:
        async with AsyncClaudeClient(claude_double.base_url, claude_double.api_key) as aclient:
            sent.attach(aclient)
            await aclient.complete("list three colors", "haiku")
            stats = await aclient.get_usage("week", OTHER_PROJECT)
    assert (stats.project_id, stats.period) == (claude_double.project_id, "week")
    assert sent.queries(USAGE) == [{"period": "week"}]
    haiku = stats.by_model["haiku"]
    assert haiku["tokens"] == haiku.tokens == stats.total_tokens > 0
    assert haiku["cost"] == haiku.cost and haiku.get("missing") is None
    assert dict(haiku) == {"tokens": haiku.tokens, "cost": haiku.cost}
    assert len(project_warnings(caught)) == 1


# --- health() as the seed's dict --------------------------------------------------------------


def test_health_reads_as_the_seeds_dict(claude_double: ServiceDouble) -> None:
    with ClaudeClient(claude_double.base_url) as client:
        health = client.health()
    # Generation 2 says "degraded" in its normal, Redis-less setup, where generation 1 said
    # "ok": the seed's dict keeps the seed's meaning, the typed field the service's word.
    assert health["status"] == "ok" and health.ok
    assert health.status == HEALTH_STATUS[claude_double.generation]
    assert health.get("version") == health.version
    running = {1: "running", 2: "ok"}[claude_double.generation]
    assert health["services"]["worker_pool"] == running
    assert "status" in health and "missing" not in health
    assert health.get("missing", "default") == "default"
    keys = {"status", "version", "services"}
    assert set(health) == (keys if claude_double.generation == 1 else keys | {"uptime_seconds"})
    assert dict(health)["services"] == health.services
    with pytest.raises(KeyError):
        health["missing"]


# --- results: the seed's dataclasses ---------------------------------------------------------


def test_results_convert_as_the_seeds_dataclasses_did(claude_double: ServiceDouble) -> None:
    with ClaudeClient(claude_double.base_url, claude_double.api_key) as client:
        reply = client.complete("list three colors", "haiku")
        batch = client.batch(["Hello", "Say hi"], "haiku")
        stats = client.get_usage()
        health = client.health()
    for result in (reply, batch, stats, health):
        assert dataclasses.is_dataclass(result)
        # Equal but for one container: asdict keeps the results tuple, to_dict makes it a list.
        assert json.dumps(dataclasses.asdict(result)) == json.dumps(result.to_dict())
    as_dict = reply.to_dict()
    assert as_dict["usage"] == dataclasses.asdict(reply.usage)
    assert as_dict["project_id"] == claude_double.project_id
    assert isinstance(batch.to_dict()["results"], list)
    assert stats.to_dict()["by_model"]["haiku"] == dict(stats.by_model["haiku"])
    assert dataclasses.astuple(reply.usage) == (
        reply.usage.input_tokens,
        reply.usage.output_tokens,
        reply.usage.total_tokens,
    )
    changed = dataclasses.replace(reply, content="edited")
    assert isinstance(changed, Response) and changed.content == "edited"


def test_results_are_built_with_the_seeds_fields_and_defaults() -> None:
    usage = Usage(input_tokens=7, output_tokens=38, total_tokens=45)
    failed = BatchResult(id="1", prompt="p", status="failed", error="boom")
    assert (failed.content, failed.usage, failed.cost) == (None, None, None)
    done = BatchResult("0", "p", "completed", "text", usage, 0.001)
    batch = BatchResponse(2, 1, 1, (done, failed), 0.001, 45)
    stats = UsageStats("p", "month", 45, 0.001, {}, None, None)
    assert [f.name for f in dataclasses.fields(Response)] == [
        "id",
        "model",
        "content",
        "usage",
        "cost",
        "project_id",
        "cached",
        "saved_usage",
        "saved_cost",
        "request_id",
    ]
    assert dataclasses.asdict(batch)["results"][1]["error"] == "boom"
    assert dataclasses.asdict(stats)["by_model"] == {}


# --- the seed's errors -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_the_seeds_errors(claude_double: ServiceDouble, kind: str) -> None:
    url = claude_double.base_url
    if kind == "sync":
        with (
            ClaudeClient(url, claude_double.exhausted_key) as spent,
            pytest.raises(BudgetExceededError),
        ):
            spent.complete("Hello")
        with ClaudeClient(url, "not-a-key") as wrong, pytest.raises(AuthenticationError):
            wrong.complete("Hello")
    else:
        async with AsyncClaudeClient(url, claude_double.exhausted_key) as aspent:
            with pytest.raises(BudgetExceededError):
                await aspent.complete("Hello")
        async with AsyncClaudeClient(url, "not-a-key") as awrong:
            with pytest.raises(AuthenticationError):
                await awrong.complete("Hello")


def test_project_warnings_are_once_per_client_and_value(
    claude_double: ServiceDouble, caught: list[warnings.WarningMessage]
) -> None:
    url, key = claude_double.base_url, claude_double.api_key
    with ClaudeClient(url, key, "a") as client:
        client.get_usage("month", "a")  # the constructor's value: already warned
        client.get_usage("month", "b")
        client.get_usage("month", "b")
    with ClaudeClient(url, key) as other:
        other.get_usage("month", "b")  # another client: warned again
    assert [m.split(" is ignored")[0] for m in project_warnings(caught)] == [
        "project_id='a'",
        "project_id='b'",
        "project_id='b'",
    ]
