"""The Model enum, the public result types and the conversions from generated models."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from claude_code_api import models as g
from claude_code_api.types import UNSET

from claude_client import (
    BatchResponse,
    HealthStatus,
    Message,
    Model,
    ModelUsage,
    Response,
    Usage,
    UsageStats,
)
from claude_client._models import (
    batch_prompts_for,
    batch_response_from,
    health_from,
    messages_for,
    model_name_for,
    response_from,
    route_from,
    usage_stats_from,
)
from tests.unit.conftest import (
    BATCH_BODY,
    CHAT_BODY,
    CHAT_RESULT,
    HEALTH_BODY,
    ROUTE_BODY,
    USAGE_BODY,
)


@pytest.mark.parametrize(
    ("text", "member"),
    [
        ("haiku", Model.HAIKU),
        ("HAIKU", Model.HAIKU),
        ("Sonnet", Model.SONNET),
        (" opus ", Model.OPUS),
        ("auto", Model.AUTO),
        ("AUTO", Model.AUTO),
        (Model.OPUS, Model.OPUS),
        (g.ModelName.SONNET, Model.SONNET),
    ],
)
def test_model_parses_names_case_insensitively(text: Any, member: Model) -> None:
    assert Model.parse(text) is member
    assert Model(text) is member


@pytest.mark.parametrize("bad", ["gpt-4", "", "claude", "haiku-3", 3, None])
def test_unknown_model_is_a_value_error_listing_the_valid_names(bad: Any) -> None:
    with pytest.raises(ValueError) as info:
        Model.parse(bad)
    for name in ("haiku", "sonnet", "opus", "auto"):
        assert name in str(info.value)


def test_auto_means_no_model_on_the_wire() -> None:
    assert model_name_for(Model.AUTO) is UNSET
    assert model_name_for("auto") is UNSET
    assert model_name_for("Opus") is g.ModelName.OPUS


def test_model_is_a_string_with_the_wire_value() -> None:
    assert isinstance(Model.HAIKU, str)
    assert Model.HAIKU.value == "haiku"
    assert str(Model.SONNET) == "sonnet"
    assert [m.name for m in Model] == ["HAIKU", "SONNET", "OPUS", "AUTO"]


def test_messages_from_a_string_a_message_and_a_mapping() -> None:
    assert [m.to_dict() for m in messages_for("hi")] == [{"role": "user", "content": "hi"}]
    mixed = messages_for([Message("system", "be brief"), {"role": "user", "content": "hi"}])
    assert [m.to_dict() for m in mixed] == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "hi"},
    ]


@pytest.mark.parametrize(
    ("prompt", "error"),
    [
        ([], ValueError),
        ([{"role": "user"}], ValueError),
        ([{"content": "x"}], ValueError),
        ([("user", "hi")], TypeError),
        ([{"role": "user", "content": 3}], TypeError),
        (42, TypeError),
    ],
)
def test_bad_messages_are_rejected(prompt: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        messages_for(prompt)


def test_batch_prompts_get_index_ids_or_their_own() -> None:
    items = batch_prompts_for(["a", ("mine", "b"), "c"])
    assert [(p.id, p.prompt) for p in items] == [("0", "a"), ("mine", "b"), ("2", "c")]


@pytest.mark.parametrize(
    ("prompts", "error"),
    [([], ValueError), ("abc", TypeError), ([1], TypeError), ([("a", "b", "c")], TypeError)],
)
def test_bad_batch_prompts_are_rejected(prompts: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        batch_prompts_for(prompts)


def test_response_conversion() -> None:
    result = response_from(g.ChatCompletionResponse.from_dict(CHAT_BODY))
    assert result == CHAT_RESULT


def test_batch_conversion_keeps_order_and_failures() -> None:
    result = batch_response_from(g.BatchResponse.from_dict(BATCH_BODY))
    assert isinstance(result, BatchResponse)
    assert isinstance(result.results, tuple)
    first, second = result.results
    assert (first.id, first.status, first.content, first.usage) == (
        "0",
        "completed",
        "first a",
        Usage(7, 38, 45),
    )
    assert (second.status, second.content, second.usage, second.cost) == (
        "failed",
        None,
        None,
        None,
    )
    assert second.error == "Process exited with code 1\nStderr: boom"


def test_usage_conversion_and_read_only_mapping() -> None:
    stats = usage_stats_from(g.UsageResponse.from_dict(USAGE_BODY))
    assert stats.by_model["haiku"] == ModelUsage(tokens=792, cost=0.0009029999999999999)
    assert (stats.limit, stats.remaining, stats.period) == (10, -36, "month")
    with pytest.raises(TypeError):
        stats.by_model["opus"] = ModelUsage(1, 1.0)  # type: ignore[index]


def test_route_conversion_gives_a_model_member() -> None:
    route = route_from(g.RouteResponse.from_dict(ROUTE_BODY))
    assert route.recommended_model is Model.HAIKU
    assert route.budget_status.limit is None


def test_health_conversion() -> None:
    health = health_from(g.HealthResponse.from_dict(HEALTH_BODY))
    assert health == HealthStatus("ok", "0.1.0", HEALTH_BODY["services"])
    assert health.ok
    assert (dict(health.details), health.uptime_seconds) == ({}, None)


#: Generation 2's /health as observed (service-behaviour.latest.md, section 2).
HEALTH_BODY_2 = {
    "status": "degraded",
    "version": "0.1.0",
    "uptime_seconds": 47.8,
    "services": {
        "worker_pool": {
            "status": "ok",
            "detail": {"running": True, "active_workers": 5, "max_workers": 5, "queued_tasks": 4},
        },
        "redis": {"status": "unavailable", "detail": None},
        "audit_db": {"status": "ok", "detail": None},
        "budget_manager": {"status": "ok", "detail": None},
        "auth_manager": {"status": "ok", "detail": None},
    },
}


def test_health_conversion_reads_generation_2_objects() -> None:
    health = health_from(g.HealthResponse.from_dict(HEALTH_BODY_2))
    assert dict(health.services) == {
        "worker_pool": "ok",
        "redis": "unavailable",
        "audit_db": "ok",
        "budget_manager": "ok",
        "auth_manager": "ok",
    }
    assert dict(health.details["worker_pool"]) == HEALTH_BODY_2["services"]["worker_pool"]["detail"]  # type: ignore[index]
    assert set(health.details) == {"worker_pool"}
    assert health.uptime_seconds == 47.8
    # Degraded only for lack of Redis (its normal setup): up, and "ok" to the seed's dict.
    assert (health.status, health.ok, health["status"]) == ("degraded", True, "ok")
    with pytest.raises(TypeError):
        health.details["worker_pool"]["running"] = False  # type: ignore[index]


def test_health_with_a_service_of_neither_shape_is_refused() -> None:
    body = {"status": "ok", "version": "1", "services": {"worker_pool": {"state": "ok"}}}
    with pytest.raises(TypeError):
        health_from(g.HealthResponse.from_dict(body))


def test_results_are_frozen_and_validated() -> None:
    usage = Usage(1, 2, 3)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        usage.input_tokens = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        Usage("1", 2, 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Usage(True, 2, 3)
    with pytest.raises(TypeError):
        Response("id", "haiku", "x", usage, "cheap", "p")  # type: ignore[arg-type]
    # An integer cost from a server is still a float in the result.
    assert Response("id", "haiku", "x", usage, 0, "p").cost == 0.0
    with pytest.raises(TypeError):
        UsageStats("p", "month", 1, 1.0, {"haiku": {"tokens": 1}}, None, None)


def test_usage_stats_is_hashable_despite_its_mapping() -> None:
    stats = UsageStats("p", "month", 1, 1.0, {}, None, None)
    assert hash(stats) == hash(UsageStats("p", "month", 1, 1.0, {}, None, None))
