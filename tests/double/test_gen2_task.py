"""Generation 2's ``POST /v1/task`` (service-behaviour.latest.md, section 2, "POST /v1/task")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest

from claude_client.testing import PermissionProfile, ServiceDouble
from tests.double.support import TIMEOUT, bearer


def _task(http: httpx.Client, **body: Any) -> httpx.Response:
    return http.post("/v1/task", json={"description": "summarize the repo", **body})


def test_a_completed_task_and_what_it_reports(double2: ServiceDouble, http2: httpx.Client) -> None:
    response = _task(http2)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["task_id", "status", "result", "execution_log", "artifacts", "usage"]
    assert body["status"] == "completed"
    result = body["result"]
    assert result["summary"] == result["full_output"][:1000] and result["full_output"]
    assert result["workspace_directory"] == f"/tmp/agentic_tasks/{body['task_id']}"
    [entry] = body["execution_log"]
    assert (entry["step"], entry["action"]) == (1, "task_completed")
    assert entry["details"] == {"output_length": len(result["full_output"])}
    assert datetime.fromisoformat(entry["timestamp"]).tzinfo is None
    assert body["artifacts"] == []
    usage = body["usage"]
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    assert usage["model_used"] == "sonnet"  # the chat router on the description
    assert usage["total_cost"] > 0 and usage["duration_seconds"] >= 0
    # Charged to the body's project_id, default "default", not to the key's project.
    assert double2.usage("default").total_tokens == usage["total_tokens"]
    assert double2.usage(double2.project_id).total_tokens == 0


def test_the_same_task_gives_the_same_output(http2: httpx.Client) -> None:
    first, second = (_task(http2, model="opus").json() for _ in range(2))
    assert first["result"]["full_output"] == second["result"]["full_output"]
    assert first["task_id"] != second["task_id"]


def test_agents_or_skills_pick_sonnet(http2: httpx.Client) -> None:
    body = _task(http2, allow_agents=["code-reviewer"]).json()
    assert body["usage"]["model_used"] == "sonnet"


def test_body_project_is_charged(double2: ServiceDouble, http2: httpx.Client) -> None:
    body = _task(http2, project_id="elsewhere").json()
    assert double2.usage("elsewhere").total_tokens == body["usage"]["total_tokens"]


def test_budget_refusal_is_a_200_with_status_failed(
    double2: ServiceDouble, http2: httpx.Client
) -> None:
    response = _task(http2, project_id=double2.exhausted_project_id, allow_tools=["Read"])
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "failed"
    assert body["result"] == {"error": "Insufficient budget"}
    assert (body["execution_log"], body["artifacts"]) == ([], [])
    assert body["usage"] == {"estimated_tokens": int((3 * 1.5 + 500) * 3)}


def test_over_max_cost_is_cost_exceeded_and_not_charged(
    double2: ServiceDouble, http2: httpx.Client
) -> None:
    body = _task(http2, max_cost=1e-7, model="opus").json()
    assert body["status"] == "cost_exceeded"
    cost = body["usage"]["total_cost"]
    assert body["result"]["error"] == f"Cost ${cost:.4f} exceeded limit $0.0000"
    assert body["result"]["output"]
    assert list(body["usage"]) == ["input_tokens", "output_tokens", "total_cost", "model_used"]
    assert double2.usage("default").total_tokens == 0


@pytest.mark.parametrize("description", ["x [[fail]]", "x [[bad-json]]", "x [[sleep:5]]"])
def test_a_failed_run_is_a_500_that_charges_zero_tokens(
    double2: ServiceDouble, http2: httpx.Client, description: str
) -> None:
    response = _task(http2, description=description, model="haiku", timeout=1)
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Task execution failed: object of type 'NoneType' has no len()"
    }
    assert double2.usage("default").by_model == {"haiku": (0, 0.0)}


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"allow_tools": ["Read", "Write"]}, "Tool 'Write' is explicitly blocked"),
        ({"allow_tools": ["WebFetch"]}, "Tool 'WebFetch' is not in allowed list"),
        ({"allow_agents": ["hacker"]}, "Agent 'hacker' is not in allowed list"),
        ({"allow_skills": ["nope"]}, "Skill 'nope' is not in allowed list"),
        ({"timeout": 301}, "Requested timeout (301s) exceeds limit (300s)"),
        ({"max_cost": 1.5}, "Requested max cost ($1.5) exceeds limit ($1.0)"),
    ],
)
def test_the_keys_profile_refuses_with_403(
    http2: httpx.Client, body: dict[str, Any], detail: str
) -> None:
    response = _task(http2, **body)
    assert response.status_code == 403
    assert response.json() == {"detail": f"Permission denied: {detail}"}


def test_a_key_without_profile_and_the_free_tier(double2: ServiceDouble) -> None:
    bare = double2.add_key("bare")
    free = double2.add_key("cheap", permissions="free")
    with httpx.Client(base_url=double2.base_url, timeout=TIMEOUT) as client:
        response = client.post("/v1/task", json={"description": "x"}, headers=bearer(bare))
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Permission denied: No permission profile found for API key"
        }
        response = client.post("/v1/task", json={"description": "x"}, headers=bearer(free))
        assert response.json() == {
            "detail": "Permission denied: Requested timeout (300s) exceeds limit (60s)"
        }
        ok = client.post(
            "/v1/task",
            json={"description": "x", "timeout": 60, "max_cost": 0.1},
            headers=bearer(free),
        )
        assert ok.json()["status"] == "completed"
    double2.set_permissions(double2.api_key, None)
    with httpx.Client(base_url=double2.base_url, headers=bearer(double2.api_key)) as client:
        assert client.post("/v1/task", json={"description": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"description": ""}, "Description is required"),
        ({"allow_agents": ["security-auditor"]}, "Unknown agents requested: security-auditor"),
        (
            {"allow_skills": ["vulnerability-scanner"]},
            "Unknown skills requested: vulnerability-scanner",
        ),
    ],
)
def test_request_checks_are_500s(http2: httpx.Client, body: dict[str, Any], detail: str) -> None:
    response = _task(http2, **body)
    assert response.status_code == 500
    assert response.json() == {"detail": f"Task execution failed: {detail}"}


def test_service_limits_beyond_a_generous_profile_are_500s(double2: ServiceDouble) -> None:
    generous = PermissionProfile(("*",), (), ("*",), ("*",), 10_000, 100.0)
    key = double2.add_key("big", permissions=generous)
    with httpx.Client(base_url=double2.base_url, headers=bearer(key), timeout=TIMEOUT) as client:
        for body, detail in (
            ({"timeout": 601}, "Timeout cannot exceed 600 seconds"),
            ({"max_cost": 11}, "Max cost cannot exceed $10.00"),
        ):
            response = client.post("/v1/task", json={"description": "x", **body})
            assert response.json() == {"detail": f"Task execution failed: {detail}"}


def test_schema_errors_are_422(http2: httpx.Client) -> None:
    response = _task(http2, timeout=2.5)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "int_from_float"
    missing = http2.post("/v1/task", json={})
    assert missing.json()["detail"][0]["loc"] == ["body", "description"]


def test_a_zero_timeout_still_runs(http2: httpx.Client) -> None:
    assert _task(http2, timeout=0).json()["status"] == "completed"


def test_reset_restores_the_seeded_profiles(double2: ServiceDouble, http2: httpx.Client) -> None:
    double2.set_permissions(double2.api_key, None)
    double2.reset()
    assert _task(http2).status_code == 200
