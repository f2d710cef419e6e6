"""GET /v1/usage: aggregation by model, periods month/week/day, limit and remaining."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from claude_client.testing import ServiceDouble


def test_empty_usage(http: httpx.Client, double: ServiceDouble) -> None:
    response = http.get("/v1/usage")
    assert response.status_code == 200
    assert response.content == (
        b'{"project_id":"test-project","period":"month","total_tokens":0,"total_cost":0.0,'
        b'"by_model":{},"limit":null,"remaining":null}'
    )


def test_aggregates_by_model_in_name_order(http: httpx.Client, double: ServiceDouble) -> None:
    double.record_usage("test-project", "sonnet", 10, 20)
    double.record_usage("test-project", "haiku", 7, 38)
    double.record_usage("test-project", "haiku", 7, 38)
    double.record_usage("other-project", "opus", 100, 100)
    body = http.get("/v1/usage").json()
    haiku = 4.925e-05  # 7 in + 38 out, the service's own example
    sonnet = (10 * 3.0 + 20 * 15.0) / 1_000_000
    assert list(body["by_model"]) == ["haiku", "sonnet"]
    assert body["by_model"]["haiku"] == {"tokens": 90, "cost": haiku + haiku}
    assert body["by_model"]["sonnet"] == {"tokens": 30, "cost": sonnet}
    assert body["total_tokens"] == 120
    assert body["total_cost"] == sonnet + haiku + haiku


def test_periods(http: httpx.Client, double: ServiceDouble) -> None:
    double.clock.freeze(datetime(2026, 3, 15, 12, 0))
    double.record_usage("test-project", "haiku", 10, 0)
    double.clock.advance(2 * 86400)  # March 17

    def tokens(period: str) -> int:
        body = http.get("/v1/usage", params={"period": period}).json()
        assert body["period"] == period
        result: int = body["total_tokens"]
        return result

    assert (tokens("month"), tokens("week"), tokens("day")) == (10, 10, 0)
    double.clock.freeze(datetime(2026, 3, 31, 23, 0))
    assert (tokens("month"), tokens("week"), tokens("day")) == (10, 0, 0)
    double.clock.freeze(datetime(2026, 4, 1, 0, 30))
    assert tokens("month") == 0


def test_default_period_is_month(http: httpx.Client) -> None:
    assert http.get("/v1/usage").json()["period"] == "month"


@pytest.mark.parametrize("period", ["year", "", "Month"])
def test_invalid_period_400(http: httpx.Client, period: str) -> None:
    response = http.get("/v1/usage", params={"period": period})
    assert response.status_code == 400
    assert response.json() == {"detail": f"Invalid period: {period}. Use 'month', 'week', or 'day'"}


def test_project_id_query_parameter_is_ignored(http: httpx.Client, double: ServiceDouble) -> None:
    double.record_usage("other-project", "opus", 100, 100)
    body = http.get("/v1/usage", params={"project_id": "other-project"}).json()
    assert (body["project_id"], body["total_tokens"]) == ("test-project", 0)


def test_limit_and_remaining_can_go_negative(http: httpx.Client, double: ServiceDouble) -> None:
    double.set_budget("test-project", 10)
    double.record_usage("test-project", "haiku", 20, 26)
    body = http.get("/v1/usage").json()
    assert (body["limit"], body["remaining"]) == (10, -36)
