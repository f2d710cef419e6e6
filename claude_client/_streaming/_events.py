"""The public values a stream hands out: its events and its final response (no I/O)."""

from __future__ import annotations

import attrs
from attrs import validators as v

from claude_client._gen2_models import TaskResult
from claude_client._models import Usage
from claude_client._result_base import _to_float

__all__ = [
    "DoneEvent",
    "ErrorEvent",
    "StreamEvent",
    "StreamedResponse",
    "TaskDoneEvent",
    "TaskEvent",
    "ThinkingEvent",
    "TokenEvent",
]


@attrs.frozen
class TokenEvent:
    """A slice of the completion text, handed over the moment its frame arrives.

    Slices are cut by character count, so one may end in the middle of a word.

    Attributes:
        text: The slice.
    """

    text: str = attrs.field(validator=v.instance_of(str))


@attrs.frozen
class DoneEvent:
    """The end of a stream: what the completion used and cost.

    Attributes:
        usage: Token counts.
        cost: Cost in USD.
        model: The model that ran (``"haiku"``, ``"sonnet"`` or ``"opus"``).
    """

    usage: Usage = attrs.field(validator=v.instance_of(Usage))
    cost: float = attrs.field(converter=_to_float)
    model: str = attrs.field(validator=v.instance_of(str))


@attrs.frozen
class ErrorEvent:
    """An ``error`` frame, the stream's last event: the next step raises its typed error.

    ``stream_events()`` yields it so an event consumer sees the service's words in order; the
    stream then raises what ``error_for_frame`` makes of it (``BudgetExceededError``...), so a
    loop that ignores it still ends in that exception. ``stream()`` raises at once.

    Attributes:
        message: The service's text, e.g. ``"Budget exceeded for project p"``.
    """

    message: str = attrs.field(validator=v.instance_of(str))


StreamEvent = TokenEvent | DoneEvent | ErrorEvent
"""What iterating a stream yields: ``TokenEvent``s, then one ``DoneEvent`` or ``ErrorEvent``."""


@attrs.frozen
class ThinkingEvent:
    """A progress note of a streamed task, e.g. ``"Starting task execution..."``.

    Attributes:
        text: The service's note.
    """

    text: str = attrs.field(validator=v.instance_of(str))


@attrs.frozen
class TaskDoneEvent:
    """The end of a streamed task: its result. When the task did not complete, the stream
    raises its ``TaskError`` (carrying this result) at the next step.

    Attributes:
        result: The task's result (``task_id`` and ``request_id`` are ``None`` on the socket).
    """

    result: TaskResult = attrs.field(validator=v.instance_of(TaskResult))


TaskEvent = ThinkingEvent | TaskDoneEvent | ErrorEvent
"""What iterating a task stream yields: ``ThinkingEvent``s, then one ``TaskDoneEvent`` or
``ErrorEvent``."""


@attrs.frozen
class StreamedResponse:
    """The result of a finished stream: like ``Response``, without an id (the socket sends none).

    Attributes:
        model: The model that ran.
        content: The completion text (all token slices joined).
        usage: Token counts.
        cost: Cost in USD.
        project_id: The project the stream was charged to (the API key's project).
    """

    model: str = attrs.field(validator=v.instance_of(str))
    content: str = attrs.field(validator=v.instance_of(str))
    usage: Usage = attrs.field(validator=v.instance_of(Usage))
    cost: float = attrs.field(converter=_to_float)
    project_id: str = attrs.field(validator=v.instance_of(str))
