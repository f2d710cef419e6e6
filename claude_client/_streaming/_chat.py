"""The chat message of the service's WebSocket, as pure functions and one request's state.

The client sends one JSON text frame ``{"type": "chat", "model", "messages", "project_id"}``;
the service answers with ``token`` frames (slices of the finished text) and one ``done`` frame
(usage, cost, model), or with one ``error`` frame (``service-behaviour.md`` section 3). The
socket has no authentication, no model auto-selection, charges the ``project_id`` named in the
frame, and after a malformed frame stops answering without closing. So the client sends only
well-formed chat frames (checked here, before any I/O).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any, Final, Literal

import attrs
from claude_code_api import models as g

from claude_client._config import DEFAULT_MAX_RESPONSE_BYTES
from claude_client._error_mapping import EXCERPT_CHARS, error_for_frame
from claude_client._exceptions import ClaudeAPIError, MalformedFrameError, StreamError
from claude_client._models import (
    Model,
    RouteRecommendation,
    Usage,
    messages_for,
)
from claude_client._observe import StreamWatch
from claude_client._project import ProjectCache
from claude_client._streaming._events import (
    DoneEvent,
    ErrorEvent,
    StreamedResponse,
    StreamEvent,
    TokenEvent,
)

__all__ = ["ProjectCache", "StreamSpec", "build_chat_frame", "parse_frame", "stream_spec"]

_MODELS: Final = frozenset(name.value for name in g.ModelName)
#: What generated parsing and attrs validators raise on a frame that breaks the contract.
_MALFORMED: Final = (LookupError, TypeError, ValueError, AttributeError)


@attrs.frozen
class StreamSpec:
    """One stream request, checked before any I/O.

    Attributes:
        messages: The messages to send.
        model: The model asked for (``Model.AUTO``: resolved with the route endpoint).
        wait: Longest wait in seconds for the handshake and for each frame.
        max_bytes: The largest body of a refused handshake read (``max_response_bytes``).
    """

    messages: tuple[g.Message, ...]
    model: Model
    wait: float
    max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES

    @property
    def route_prompt(self) -> str:
        """The prompt as the service joins it (``role: content`` paragraphs), for routing."""
        return "\n\n".join(f"{m.role}: {m.content}" for m in self.messages)


def stream_spec(
    prompt: str | Sequence[Any],
    model: Model | str,
    timeout: float | None,
    default_wait: float,
    max_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> StreamSpec:
    """Check a stream call's arguments; ``timeout`` None means ``default_wait``.

    Raises:
        ValueError: unknown model, empty message list, or a timeout that is not positive.
        TypeError: ``prompt`` or ``timeout`` of the wrong type.
    """
    wait = default_wait if timeout is None else timeout
    if isinstance(wait, bool) or not isinstance(wait, int | float):
        raise TypeError(f"timeout must be a number of seconds, got {type(wait).__name__}")
    if not (wait > 0 and math.isfinite(wait)):
        raise ValueError(f"timeout must be a positive number of seconds, got {wait!r}")
    return StreamSpec(
        messages=tuple(messages_for(prompt)),
        model=Model.parse(model),
        wait=float(wait),
        max_bytes=max_bytes,
    )


# --- frames (pure) ---------------------------------------------------------------------------


def build_chat_frame(messages: Sequence[g.Message], model: str, project_id: str) -> str:
    """The one client frame of a request, as JSON text: always a well-formed chat frame.

    The service hangs (answers nothing, closes nothing) after some malformed frames, so this
    refuses anything but a non-empty list of string messages, a real model name and a project.

    Raises:
        ValueError: no messages, a model that is not haiku/sonnet/opus, or an empty project.
        TypeError: a message, its role or content, or the project is not of the right type.
    """
    if not messages:
        raise ValueError("a chat frame needs at least one message")
    for message in messages:
        if not isinstance(message, g.Message):
            raise TypeError(f"expected a claude_code_api Message, got {message!r}")
        if not isinstance(message.role, str) or not isinstance(message.content, str):
            raise TypeError(f"message role and content must be strings, got {message!r}")
    if model not in _MODELS:
        raise ValueError(f"the socket needs a real model (haiku, sonnet or opus), got {model!r}")
    if not isinstance(project_id, str):
        raise TypeError(f"project_id must be a string, got {project_id!r}")
    if not project_id:
        raise ValueError("project_id must not be empty")
    request = g.StreamChatRequest(
        type_="chat",
        messages=[g.Message(role=m.role, content=m.content) for m in messages],
        model=g.ModelName(model),
        project_id=project_id,
    )
    # ensure_ascii: the frame is pure ASCII, so even lone surrogates travel as JSON escapes.
    return json.dumps(request.to_dict(), ensure_ascii=True, separators=(",", ":"))


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "..."


def parse_frame(text: str) -> TokenEvent | DoneEvent | ErrorEvent:
    """The event of one server frame.

    Raises:
        StreamError: the frame is not a JSON object of a known type with well-typed fields.
    """
    try:
        data = json.loads(text)
    except ValueError:
        raise MalformedFrameError(
            f"Malformed stream frame (not JSON): {_excerpt(text)!r}"
        ) from None
    except RecursionError:
        raise MalformedFrameError(
            f"Malformed stream frame (JSON too deeply nested): {_excerpt(text)!r}"
        ) from None
    kind = data.get("type") if isinstance(data, dict) else None
    try:
        if kind == "token":
            return TokenEvent(text=g.StreamTokenFrame.from_dict(data).content)
        if kind == "done":
            done = g.StreamDoneFrame.from_dict(data)
            u = done.usage
            usage = Usage(
                input_tokens=u.input_tokens,
                output_tokens=u.output_tokens,
                total_tokens=u.total_tokens,
            )
            return DoneEvent(usage=usage, cost=done.cost, model=done.model)
        if kind == "error":
            return ErrorEvent(message=g.StreamErrorFrame.from_dict(data).error)
    except _MALFORMED as exc:
        raise MalformedFrameError(
            f"Malformed {kind} frame ({type(exc).__name__}: {exc}): {_excerpt(text)!r}"
        ) from exc
    raise MalformedFrameError(f"Unknown stream frame: {_excerpt(text)!r}")


# --- one request's frames (pure, shared by both stream classes) -------------------------------

_State = Literal["new", "open", "done", "failed", "closed"]


class _Exchange:
    """Frames of one request -> events, then the final response (no I/O)."""

    __slots__ = (
        "chunks",
        "done",
        "error",
        "keep_text",
        "model",
        "observed",
        "project_id",
        "state",
        "url",
    )

    def __init__(self) -> None:
        self.observed = StreamWatch()
        self.state: _State = "new"
        self.url = ""
        self.model: str | None = None
        self.project_id: str | None = None
        self.chunks: list[str] = []
        # False for stream(), which hands each slice out and has no final response: memory
        # then stays flat however long the reply.
        self.keep_text = True
        self.done: DoneEvent | None = None
        self.error: ClaudeAPIError | None = None

    def target(self, model: str, project_id: str) -> None:
        """Record the resolved model and project (known before the socket opens)."""
        self.model = model
        self.project_id = project_id

    def frame(self, spec: StreamSpec) -> str:
        """The chat frame to send."""
        assert self.model is not None and self.project_id is not None
        return build_chat_frame(spec.messages, self.model, self.project_id)

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
            RuntimeError: the stream was not entered (``with`` / ``async with``).
            ClaudeAPIError: the stream failed earlier (the same error again).
        """
        if self.state == "new":
            raise RuntimeError(
                "Use the stream as a context manager: `with client.stream_events(...) as s:` "
                "(or `async with` for AsyncClaudeClient)"
            )
        if self.state == "failed":
            assert self.error is not None
            raise self.error
        return self.state == "open"

    def feed(self, text: str) -> StreamEvent:
        """The event of one received frame; an error frame fails the stream (the next read
        raises its typed error).

        Raises:
            StreamError: a malformed frame.
        """
        event = parse_frame(text)
        if isinstance(event, ErrorEvent):
            self.fail(error_for_frame(event, self.url))
        elif isinstance(event, TokenEvent):
            if self.keep_text:
                self.chunks.append(event.text)
            self.observed.token()
        else:
            self.done = event
            self.state = "done"
            self.observed.end(None, event)
        return event

    def fail(self, error: ClaudeAPIError) -> None:
        """The stream ended with ``error``."""
        self.error = error
        self.state = "failed"
        self.observed.end(error, None)

    def closed(self) -> None:
        """The socket was closed by the caller (before ``done`` unless already ended)."""
        if self.state in ("new", "open"):
            self.state = "closed"
            self.observed.end(None, None)

    def response(self) -> StreamedResponse:
        """The final response.

        Raises:
            ClaudeAPIError: the stream failed (the same error again).
            StreamError: the stream was closed before ``done``.
        """
        if self.state == "failed":
            assert self.error is not None
            raise self.error
        if self.done is None or self.project_id is None:
            raise StreamError("The stream was closed before it finished; there is no response")
        return StreamedResponse(
            model=self.done.model,
            content="".join(self.chunks),
            usage=self.done.usage,
            cost=self.done.cost,
            project_id=self.project_id,
        )


def _resolved_model(spec: StreamSpec, recommendation: RouteRecommendation | None) -> str:
    if recommendation is None:
        return spec.model.value
    return recommendation.recommended_model.value
