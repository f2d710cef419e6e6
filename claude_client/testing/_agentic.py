"""Generation 2's agentic task executor, shared by ``POST /v1/task`` and the WebSocket.

Steps in the service's order: request checks (a failure is the executor raising, which the
route answers 500 ``Task execution failed: ...`` and the WebSocket ``Task execution error:
...``), model choice (sonnet when agents or skills are asked, else the chat router), budget of
the request's ``project_id`` against an estimate (a refusal is a normal answer with status
``failed``), the run, then the cost check (over ``max_cost``: status ``cost_exceeded``, not
charged). A run that fails or times out leaves the service without output, so it charges
0 tokens and then fails on ``len(None)``, as observed. The double creates no workspace
directory; it only names the service's path in the answer.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any, Final

from claude_client.testing._catalog import AGENT_NAMES, SKILL_NAMES
from claude_client.testing._router import auto_select_model
from claude_client.testing._state import ServiceState
from claude_client.testing._tasks import TaskRunner

#: The pool checks its tasks' deadlines every 0.5 s, so a task asked to take 0 s still runs
#: until the next check.
_POOL_CHECK: Final = 0.5
_NO_OUTPUT: Final = "object of type 'NoneType' has no len()"


class TaskExecutionError(Exception):
    """The executor raised: nothing useful comes back (the route answers 500)."""


def _check(request: dict[str, Any]) -> None:
    if request["timeout"] > 600:
        raise TaskExecutionError("Timeout cannot exceed 600 seconds")
    if request["max_cost"] > 10.0:
        raise TaskExecutionError("Max cost cannot exceed $10.00")
    if not request["description"]:
        raise TaskExecutionError("Description is required")
    missing = [name for name in request["allow_agents"] if name not in AGENT_NAMES]
    if missing:
        raise TaskExecutionError(f"Unknown agents requested: {', '.join(missing)}")
    missing = [name for name in request["allow_skills"] if name not in SKILL_NAMES]
    if missing:
        raise TaskExecutionError(f"Unknown skills requested: {', '.join(missing)}")


def _model(request: dict[str, Any]) -> str:
    if request["model"]:
        return str(request["model"])
    if request["allow_agents"] or request["allow_skills"]:
        return "sonnet"
    description: str = request["description"]
    return auto_select_model(description, len(description), 1_000_000)


def estimate_tokens(request: dict[str, Any]) -> int:
    """The service's budget estimate: words x 1.5, plus overheads, times 3 turns."""
    tokens = len(request["description"].split()) * 1.5
    if request["allow_tools"]:
        tokens += 500
    if request["allow_agents"]:
        tokens += 2000
    if request["allow_skills"]:
        tokens += 1000
    return int(tokens * 3.0)


def _prompt(request: dict[str, Any]) -> str:
    lines = [
        f"Task: {request['description']}",
        "",
        "Configuration:",
        f"- Working Directory: {request['working_directory']}",
    ]
    for label, key in (("Tools", "allow_tools"), ("Agents", "allow_agents")):
        if request[key]:
            lines.append(f"- Allowed {label}: {', '.join(request[key])}")
    if request["allow_skills"]:
        lines.append(f"- Allowed Skills: {', '.join(request['allow_skills'])}")
    lines += ["", "Instructions:", "1. Complete the task and provide a clear summary when done"]
    return "\n".join(lines)


def _answer(
    task_id: str, status: str, result: dict[str, Any], usage: dict[str, Any], log: list[Any]
) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "status": status,
        "result": result,
        "execution_log": log,
        "artifacts": [],
        "usage": usage,
    }


async def execute(
    request: dict[str, Any], state: ServiceState, runner: TaskRunner
) -> dict[str, Any]:
    """Run one validated ``AgenticTaskRequest``; the ``AgenticTaskResponse`` body."""
    task_id = str(uuid.uuid4())
    started = time.monotonic()
    _check(request)
    model = _model(request)
    project: str = request["project_id"]
    estimate = estimate_tokens(request)
    if not state.within_budget(project, estimate):
        failed = {"error": "Insufficient budget"}
        return _answer(task_id, "failed", failed, {"estimated_tokens": estimate}, [])
    run = await runner.run(_prompt(request), model, max(request["timeout"], _POOL_CHECK))
    tokens = {"input_tokens": run.input_tokens, "output_tokens": run.output_tokens}
    if run.cost > request["max_cost"]:
        error = f"Cost ${run.cost:.4f} exceeded limit ${request['max_cost']:.4f}"
        usage = {**tokens, "total_cost": run.cost, "model_used": model}
        return _answer(
            task_id, "cost_exceeded", {"error": error, "output": run.text[:500]}, usage, []
        )
    state.track_usage(project, model, run.total_tokens, run.cost)
    if not run.completed:
        raise TaskExecutionError(_NO_OUTPUT)
    result = {
        "summary": run.text[:1000],
        "full_output": run.text,
        "workspace_directory": f"/tmp/agentic_tasks/{task_id}",
    }
    log = [
        {
            "step": 1,
            "timestamp": datetime.now(UTC).replace(tzinfo=None).isoformat(),
            "action": "task_completed",
            "details": {"output_length": len(run.text)},
        }
    ]
    usage = {
        **tokens,
        "total_tokens": run.total_tokens,
        "total_cost": run.cost,
        "model_used": model,
        "duration_seconds": round(time.monotonic() - started, 2),
    }
    return _answer(task_id, "completed", result, usage, log)
