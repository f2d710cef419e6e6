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
from typing import Final, Literal

import attrs
from claude_code_api import models as g
from claude_code_api.types import UNSET

from claude_client._exceptions import (
    EXCERPT_CHARS,
    ClaudeAPIError,
    StreamError,
    error_for_frame,
    task_error,
)
from claude_client._gen2_models import TaskArgs, TaskResult, TaskStatus, task_result_from
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
    request = g.StreamAgenticTaskRequest(
        type_="agentic_task",
        api_key=api_key,
        description=args.description,
        allow_tools=args.allow_tools,
        allow_agents=args.allow_agents,
        allow_skills=args.allow_skills,
        timeout=UNSET if args.timeout is None else args.timeout,
        max_cost=args.max_cost,
    )
    return json.dumps(request.to_dict(), ensure_ascii=True, separators=(",", ":"))


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "..."


def parse_task_frame(text: str) -> TaskEvent:
    """The event of one server frame of a streamed task.

    Raises:
        StreamError: the frame is not a JSON object of a known type with well-typed fields.
    """
    try:
        data = json.loads(text)
    except ValueError:
        raise StreamError(f"Malformed stream frame (not JSON): {_excerpt(text)!r}") from None
    kind = data.get("type") if isinstance(data, dict) else None
    try:
        if kind == "thinking":
            return ThinkingEvent(text=g.StreamThinkingFrame.from_dict(data).content)
        if kind == "result":
            r = g.StreamResultFrame.from_dict(data)
            result = task_result_from(
                None, r.status, r.result, r.execution_log, r.artifacts, r.usage
            )
            return TaskDoneEvent(result=result)
        if kind == "error":
            return ErrorEvent(message=g.StreamErrorFrame.from_dict(data).error)
    except _MALFORMED as exc:
        raise StreamError(
            f"Malformed {kind} frame ({type(exc).__name__}: {exc}): {_excerpt(text)!r}"
        ) from exc
    raise StreamError(f"Unknown stream frame: {_excerpt(text)!r}")


_State = Literal["new", "open", "done", "failed", "closed"]


class _TaskExchange:
    """Frames of one streamed task -> events, then its result (no I/O)."""

    __slots__ = ("error", "result", "state", "url")

    def __init__(self) -> None:
        self.state: _State = "new"
        self.url = ""
        self.result: TaskResult | None = None
        self.error: ClaudeAPIError | None = None

    def opened(self, url: str) -> None:
        """The socket is open and the frame sent."""
        self.url = url
        self.state = "open"

    def check_new(self) -> None:
        """Raise unless the stream is still to be entered (a stream is entered only once)."""
        if self.state != "new":
            raise RuntimeError("A stream can be entered only once")

    def check_readable(self) -> bool:
        """Whether to read a frame; False once ended.

        Raises:
            RuntimeError: the stream was not entered.
            ClaudeAPIError: the stream failed earlier (the same error again).
        """
        if self.state == "new":
            raise RuntimeError(
                "Use the task stream as a context manager: `with client.stream_task(...) as s:` "
                "(or `async with` for AsyncClaudeClient)"
            )
        if self.state == "failed":
            assert self.error is not None
            raise self.error
        return self.state == "open"

    def feed(self, text: str) -> TaskEvent:
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
            else:
                self.fail(task_error(result.status.value, result.error, result, self.url))
        return event

    def fail(self, error: ClaudeAPIError) -> None:
        """The stream ended with ``error``."""
        self.error = error
        self.state = "failed"

    def closed(self) -> None:
        """The socket was closed by the caller (before the result unless already ended)."""
        if self.state in ("new", "open"):
            self.state = "closed"

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
