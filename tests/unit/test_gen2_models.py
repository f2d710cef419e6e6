"""Generation 2's argument checks, conversions and error mapping (no I/O)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from claude_code_api import models as g

from claude_client import (
    BudgetExceededError,
    PermissionDeniedError,
    TaskBudgetExceededError,
    TaskCostExceededError,
    TaskError,
    TaskExecutionError,
    TaskFailedError,
    TaskStatus,
    TaskTimeoutError,
    UnsupportedByServiceError,
    ValidationError,
)
from claude_client._error_mapping import error_class_for, error_for_frame, task_error
from claude_client._gen2_args import check_shell_inert, process_args, provider_name, task_args
from claude_client._gen2_models import agentic_task_from, process_response_from
from claude_client._streaming import ErrorEvent, TaskDoneEvent, ThinkingEvent
from claude_client._streaming._task import build_task_frame, parse_task_frame

COMPLETED: dict[str, Any] = {
    "task_id": "ffb297ee",
    "status": "completed",
    "result": {"summary": "[sonnet] s", "full_output": "[sonnet] full",
               "workspace_directory": "/w"},
    "execution_log": [
        {"step": 1, "timestamp": "2026-12-01T22:51:21", "action": "task_completed",
         "details": {"output_length": 13}}
    ],
    "artifacts": [],
    "usage": {"input_tokens": 97, "output_tokens": 106, "total_tokens": 203,
              "total_cost": 0.001881, "model_used": "sonnet", "duration_seconds": 0.32},
}  # fmt: skip
BUDGET: dict[str, Any] = {
    "task_id": "db2b5637",
    "status": "failed",
    "result": {"error": "Insufficient budget"},
    "execution_log": [],
    "artifacts": [],
    "usage": {"estimated_tokens": 9},
}


# --- shell-inert values -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "Read'; touch /tmp/x; echo '",
        "Read; rm -rf /",
        "$(id)",
        "`id`",
        "a b",
        "a|b",
        "a&b",
        "a>b",
        "a\nb",
        'a"b',
        "a\\b",
        "a*",
        "~root",
        "a#b",
        "a,b",
    ],
)
def test_tool_names_a_shell_would_interpret_are_refused_before_sending(value: str) -> None:
    with pytest.raises(ValueError, match="a shell would interpret") as info:
        task_args("do it", allow_tools=["Read", value])
    assert "allow_tools[1]" in str(info.value)


@pytest.mark.parametrize("value", ["/srv/app; touch x", "$HOME/x", "/a b", "/tmp/`id`"])
def test_a_working_directory_a_shell_would_interpret_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match=r"working_directory .* a shell would interpret"):
        task_args("do it", working_directory=value)


def test_plain_tool_names_and_paths_pass() -> None:
    args = task_args(
        "do it", allow_tools=["Read", "Grep", "Bash"], working_directory="/srv/app-1/src_2"
    )
    assert args.allow_tools == ["Read", "Grep", "Bash"]
    assert args.working_directory == "/srv/app-1/src_2"


def test_a_leading_dash_and_an_empty_value_are_refused() -> None:
    with pytest.raises(ValueError, match="flag"):
        check_shell_inert("--dangerously", "allow_tools[0]")
    with pytest.raises(ValueError, match="empty"):
        check_shell_inert("", "working_directory")
    with pytest.raises(TypeError):
        task_args("do it", allow_tools="Read")  # a string, not a list


# --- task and process arguments -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"timeout": 0}, ValueError),
        ({"timeout": 601}, ValueError),
        ({"timeout": 2.5}, TypeError),
        ({"timeout": True}, TypeError),
        ({"max_cost": 0}, ValueError),
        ({"max_cost": 10.5}, ValueError),
        ({"max_cost": float("nan")}, ValueError),
        ({"model": "gpt-4"}, ValueError),
        ({"model": "haiku; touch x #"}, ValueError),
        ({"allow_agents": "code-reviewer"}, TypeError),
    ],
)
def test_task_arguments_out_of_the_services_limits_are_refused(
    kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        task_args("do it", **kwargs)


@pytest.mark.parametrize("description", ["", "   "])
def test_an_empty_description_is_refused(description: str) -> None:
    with pytest.raises(ValueError, match="description"):
        task_args(description)


def test_the_task_body_names_the_project_given() -> None:
    body = task_args("do it", timeout=60, max_cost=0.5, model="haiku").request("p-1").to_dict()
    assert body["project_id"] == "p-1"
    assert body["timeout"] == 60 and body["max_cost"] == 0.5 and body["model"] == "haiku"
    assert "api_key" in body and body["api_key"] == "default"  # never the real key


def test_process_needs_a_message() -> None:
    with pytest.raises(ValueError, match="needs a message"):
        process_args("anthropic", "claude-3-haiku")
    with pytest.raises(ValueError, match="needs a message"):
        process_args("anthropic", "claude-3-haiku", system_message="be brief", use_cli=True)


def test_process_waits_longer_than_the_services_cli_limit() -> None:
    assert process_args("a", "haiku", user_message="x").wait > 100  # 1000 tokens: 100 s
    assert process_args("a", "haiku", user_message="x", max_tokens=300).wait > 30
    body = process_args("a", "haiku", messages="hi", use_cli=True).request("p").to_dict()
    assert body["messages"] == [{"role": "user", "content": "hi"}]
    assert body["project_id"] == "p" and body["use_cli"] is True


@pytest.mark.parametrize("kwargs", [{"max_tokens": 0}, {"temperature": float("inf")}])
def test_process_numbers_are_checked(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        process_args("a", "haiku", user_message="x", **kwargs)


def test_process_refuses_a_role_the_service_does_not_know() -> None:
    with pytest.raises(ValueError, match="robot"):
        process_args("a", "haiku", messages=[{"role": "robot", "content": "x"}])


@pytest.mark.parametrize("name", ["", "a/b", ".."])
def test_a_provider_name_is_one_path_segment(name: str) -> None:
    with pytest.raises(ValueError):
        provider_name(name)


# --- conversions ----------------------------------------------------------------------------


def test_a_completed_task_converts_once() -> None:
    result = agentic_task_from(g.AgenticTaskResponse.from_dict(COMPLETED))
    assert result.status is TaskStatus.COMPLETED
    assert result.output == "[sonnet] full" and result.summary == "[sonnet] s"
    assert result.cost == 0.001881 and result.usage.model_used == "sonnet"
    assert result.execution_log[0].details == {"output_length": 13}
    assert result.artifacts == ()


def test_a_budget_refusal_converts_with_no_cost() -> None:
    result = agentic_task_from(g.AgenticTaskResponse.from_dict(BUDGET))
    assert result.status is TaskStatus.FAILED and result.error == "Insufficient budget"
    assert result.cost == 0.0 and result.usage.estimated_tokens == 9


def test_a_wrongly_typed_field_fails_the_conversion() -> None:
    broken = {**COMPLETED, "usage": {**COMPLETED["usage"], "input_tokens": "97"}}
    with pytest.raises(TypeError):
        agentic_task_from(g.AgenticTaskResponse.from_dict(broken))


def test_a_process_answer_converts() -> None:
    answer = g.AIServiceResponse.from_dict(
        {
            "content": "[haiku] hi",
            "model": "claude-3-haiku",
            "provider": "anthropic",
            "metadata": {
                "actual_model": "haiku",
                "usage": {"input_tokens": 4, "output_tokens": 35, "total_tokens": 39},
                "cost_usd": 4.475e-05,
                "processing_time": 0,
                "finish_reason": "stop",
                "mapped_from": "anthropic:claude-3-haiku → claudecode:haiku",
            },
        }
    )
    response = process_response_from(answer)
    assert response.actual_model == "haiku" and response.cost == 4.475e-05
    assert response.usage is not None and response.usage.total_tokens == 39


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error", "cls"),
    [
        ("failed", "Insufficient budget", TaskBudgetExceededError),
        ("failed", "something else", TaskExecutionError),
        ("timeout", None, TaskTimeoutError),
        ("cost_exceeded", "Cost $0.0093 exceeded limit $0.0000", TaskCostExceededError),
    ],
)
def test_a_task_that_did_not_complete_is_a_typed_error_with_its_result(
    status: str, error: str | None, cls: type[TaskError]
) -> None:
    raised = task_error(status, error, "the result", "POST /v1/task")
    assert type(raised) is cls and isinstance(raised, TaskError)
    assert raised.result == "the result"
    assert isinstance(raised, BudgetExceededError) == (cls is TaskBudgetExceededError)


def test_process_budget_403_is_budget_exceeded() -> None:
    assert error_class_for(403, "Budget exceeded for project p") is BudgetExceededError
    assert error_class_for(403, "Permission denied: x") is PermissionDeniedError


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        ("Unknown message type: agentic_task", UnsupportedByServiceError),
        ("Unknown message type: ping", ValidationError),
        ("api_key required for agentic tasks", PermissionDeniedError),
        ("Permission denied: Tool 'Write' is explicitly blocked", PermissionDeniedError),
        ("Task execution error: Description is required", TaskFailedError),
    ],
)
def test_agentic_error_frames_map_to_typed_errors(text: str, cls: type[Exception]) -> None:
    assert type(error_for_frame(ErrorEvent(message=text), "ws://x/v1/stream")) is cls


# --- the agentic frames -----------------------------------------------------------------------


def test_the_task_frame_carries_the_key_and_the_limits_only() -> None:
    frame = json.loads(build_task_frame(task_args("do it", timeout=60), "cc_key"))
    assert frame["type"] == "agentic_task" and frame["api_key"] == "cc_key"
    assert frame["timeout"] == 60 and "project_id" not in frame and "model" not in frame


def test_the_servers_task_frames_parse() -> None:
    assert parse_task_frame('{"type":"thinking","content":"Starting"}') == ThinkingEvent("Starting")
    done = parse_task_frame(json.dumps({"type": "result", **COMPLETED}))
    assert isinstance(done, TaskDoneEvent) and done.result.task_id is None
    assert parse_task_frame('{"type":"error","error":"x"}') == ErrorEvent("x")
