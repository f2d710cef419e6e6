"""POST /v1/route: recommendation, the service's reasoning texts, budget status; no task runs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from claude_client.testing import ServiceDouble
from tests.double.support import bearer


@pytest.mark.parametrize(
    ("body", "model", "reasoning"),
    [
        ({"prompt": "list three colors"}, "haiku", "Simple prompt with basic keywords → Haiku"),
        (
            {"prompt": "analyze this architecture"},
            "sonnet",
            "Complex reasoning keywords with sufficient budget → Sonnet",
        ),
        (
            {"prompt": "Tell me a story about a whale"},
            "sonnet",
            "Medium complexity task → Sonnet (default)",
        ),
        (
            {"prompt": "Tell me a story about a whale", "context_size": 20000},
            "opus",
            "Context constraint: Large context requires Opus",
        ),
        (
            {"prompt": "list the design options"},
            "haiku",
            "Simple prompt with basic keywords → Haiku"
            " | Complex reasoning keywords with sufficient budget → Sonnet",
        ),
    ],
)
def test_recommendations(
    http: httpx.Client, double: ServiceDouble, body: dict[str, Any], model: str, reasoning: str
) -> None:
    response = http.post("/v1/route", json=body)
    assert response.status_code == 200
    assert response.json() == {
        "recommended_model": model,
        "reasoning": reasoning,
        "budget_status": {"total_tokens": 0, "total_cost": 0.0, "limit": None, "remaining": None},
    }
    assert double.stats.tasks_started == 0


def test_exhausted_budget_forces_haiku(anon: httpx.Client, double: ServiceDouble) -> None:
    response = anon.post(
        "/v1/route",
        json={"prompt": "analyze this architecture"},
        headers=bearer(double.exhausted_key),
    )
    body = response.json()
    assert body["recommended_model"] == "haiku"
    assert body["reasoning"] == (
        "Budget constraint: Insufficient budget forces Haiku"
        " | Complex keywords but limited budget → Haiku"
    )
    assert body["budget_status"]["limit"] == 1000
    assert body["budget_status"]["remaining"] < 0


def test_zero_remaining_counts_as_unlimited(http: httpx.Client, double: ServiceDouble) -> None:
    double.set_budget("test-project", 30)
    double.record_usage("test-project", "haiku", 10, 20)  # remaining exactly 0
    body = http.post("/v1/route", json={"prompt": "analyze this architecture"}).json()
    assert body["recommended_model"] == "sonnet"
    assert body["budget_status"]["remaining"] == 0


def test_missing_prompt_422(http: httpx.Client) -> None:
    response = http.post("/v1/route", json={"context_size": 5})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "missing",
            "loc": ["body", "prompt"],
            "msg": "Field required",
            "input": {"context_size": 5},
            "url": "https://errors.pydantic.dev/2.5/v/missing",
        }
    ]


def test_negative_context_size_422(http: httpx.Client) -> None:
    response = http.post("/v1/route", json={"prompt": "x", "context_size": -1})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "greater_than_equal",
            "loc": ["body", "context_size"],
            "msg": "Input should be greater than or equal to 0",
            "input": -1,
            "ctx": {"ge": 0},
            "url": "https://errors.pydantic.dev/2.5/v/greater_than_equal",
        }
    ]
