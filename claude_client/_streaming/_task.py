"""The ``agentic_task`` message of the service's WebSocket (generation 2), with no I/O.

The client sends one JSON text frame ``{"type": "agentic_task", "api_key", "description",
"allow_tools", "allow_agents", "allow_skills", "timeout", "max_cost"}``; the service answers
with a ``thinking`` frame, then one ``result`` frame (the fields of ``/v1/task``'s answer
without ``task_id``) or one ``error`` frame (``service-behaviour.latest.md`` section 3). The
service checks ``api_key`` only against its permission profiles, auto-selects the model and
charges the project ``"default"`` whatever the frame says, so the frame names neither.
"""

from __future__ import annotations

import json
from typing import Final

import attrs
from claude_code_api import models as g

from claude_client._error_mapping import EXCERPT_CHARS, error_for_frame, task_error
from claude_client._exceptions import StreamError
from claude_client._gen2_args import TaskArgs
from claude_client._gen2_models import TaskResult, TaskStatus, task_result_from
from claude_client._streaming._chat import _Exchange, parse_frame
from claude_client._streaming._events import ErrorEvent, TaskDoneEvent, TaskEvent, ThinkingEvent

__all__ = ["TaskSpec", "build_task_frame", "parse_task_frame"]

#: What generated parsing raises on a frame that breaks the contract.
_MALFORMED: Final = (LookupError, TypeError, ValueError, AttributeError)


@attrs.frozen
class TaskSpec:
    """One streamed task, checked before any I/O.

    Attributes:
        args: The task's checked arguments.
        wait: Longest wait in seconds for the handshake and for each frame.
    """

    args: TaskArgs
    wait: float


def build_task_frame(args: TaskArgs, api_key: str) -> str:
    """The one client frame of a streamed task, as JSON text (ASCII only)."""
    request = g.StreamAgenticTaskRequest(type_="agentic_task", api_key=api_key, **args.shared())
    return json.dumps(request.to_dict(), ensure_ascii=True, separators=(",", ":"))


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "..."


def parse_task_frame(text: str) -> TaskEvent:
    """The event of one server frame of a streamed task.

    ``thinking`` and ``result`` frames are the task's own; anything else (an ``error`` frame,
    text that is not a frame) goes to the chat parser, whose errors it shares.

    Raises:
        StreamError: the frame is not a JSON object of a known type with well-typed fields.
    """
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    kind = data.get("type") if isinstance(data, dict) else None
    if kind not in ("thinking", "result"):
        event = parse_frame(text)
        if isinstance(event, ErrorEvent):
            return event
        raise StreamError(f"A chat frame in a task stream: {_excerpt(text)!r}")
    try:
        if kind == "thinking":
            return ThinkingEvent(text=g.StreamThinkingFrame.from_dict(data).content)
        r = g.StreamResultFrame.from_dict(data)
        return TaskDoneEvent(
            result=task_result_from(None, r.status, r.result, r.execution_log, r.artifacts, r.usage)
        )
    except _MALFORMED as exc:
        raise StreamError(f"Malformed {kind} frame ({exc!r}): {_excerpt(text)!r}") from exc


class _TaskExchange(_Exchange):
    """Frames of one streamed task -> events, then its result (no I/O). The states, and
    what entering, failing and closing do, are the chat exchange's."""

    __slots__ = ("result",)

    def __init__(self) -> None:
        super().__init__()
        self.result: TaskResult | None = None

    def feed(self, text: str) -> TaskEvent:  # type: ignore[override]
        """The event of one received frame. An error frame, or a result that did not
        complete, fails the stream: the next read raises its typed error.

        Raises:
            StreamError: a malformed frame.
        """
        event = parse_task_frame(text)
        if isinstance(event, ErrorEvent):
            self.fail(error_for_frame(event, self.url))
        elif isinstance(event, TaskDoneEvent):
            self.result = result = event.result
            if result.status is TaskStatus.COMPLETED:
                self.state = "done"
                self.observed.end(None, None)
            else:
                self.fail(task_error(result.status.value, result.error, result, self.url))
        return event

    def final(self) -> TaskResult:
        """The task's result.

        Raises:
            ClaudeAPIError: the stream failed (the same error again).
            StreamError: the stream was closed before the result.
        """
        if self.state == "failed":
            assert self.error is not None
            raise self.error
        if self.result is None:
            raise StreamError("The task stream was closed before its result; there is none")
        return self.result
