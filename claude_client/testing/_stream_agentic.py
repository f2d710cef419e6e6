"""Generation 2's WebSocket ``agentic_task`` message.

No key-table check: the message's ``api_key`` is only looked up in the permission profiles.
The model and ``project_id`` of the message are ignored (auto-selected; always charged to and
budget-checked against ``"default"``). Permission refusals come as error frames before any
work; then a ``thinking`` frame, then one ``result`` frame (completed, cost_exceeded, or a
budget ``failed``) or an error frame. A message the service's request model cannot hold
(``description`` missing, a non-number ``timeout``...) crashes its handler: `HandlerCrash`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final

from claude_client.testing import _agentic
from claude_client.testing._permissions import refusal
from claude_client.testing._state import ServiceState
from claude_client.testing._tasks import TaskRunner
from claude_client.testing._validation import AGENTIC_REQUEST, INVALID, validation_text

SendFrame = Callable[[dict[str, Any]], Awaitable[None]]

_MESSAGE_DEFAULTS: Final[dict[str, Any]] = {
    "allow_tools": [],
    "allow_agents": [],
    "allow_skills": [],
    "timeout": 300,
    "max_cost": 1.0,
}


class HandlerCrash(Exception):
    """An exception the service's handler does not catch: "Server error", then silence."""


def _request(fields: dict[str, Any]) -> dict[str, Any]:
    errors: list[dict[str, Any]] = []
    request = AGENTIC_REQUEST(fields, (), errors)
    if errors or request is INVALID:
        raise HandlerCrash(validation_text(errors, "AgenticTaskRequest"))
    assert isinstance(request, dict)
    return request


async def serve_agentic(
    message: dict[str, Any], state: ServiceState, runner: TaskRunner, send: SendFrame
) -> None:
    """Answer one ``agentic_task`` message with the service's frames."""
    api_key = message.get("api_key")
    if not api_key:
        await send({"type": "error", "error": "api_key required for agentic tasks"})
        return
    fields = {"description": message.get("description")}
    fields.update((name, message.get(name, default)) for name, default in _MESSAGE_DEFAULTS.items())
    try:
        reason = refusal(
            state.permissions_of(api_key),
            fields["allow_tools"],
            fields["allow_agents"],
            fields["allow_skills"],
            fields["timeout"],
            fields["max_cost"],
        )
    except TypeError as exc:
        raise HandlerCrash(str(exc)) from exc
    if reason is not None:
        await send({"type": "error", "error": f"Permission denied: {reason}"})
        return
    request = _request(fields)
    await send({"type": "thinking", "content": "Starting task execution..."})
    try:
        answer = await _agentic.execute(request, state, runner)
    except _agentic.TaskExecutionError as exc:
        await send({"type": "error", "error": f"Task execution error: {exc}"})
        return
    await send(
        {
            "type": "result",
            "status": answer["status"],
            "result": answer["result"],
            "execution_log": answer["execution_log"],
            "artifacts": answer["artifacts"],
            "usage": answer["usage"] or None,
        }
    )
