"""The WebSocket ``/v1/stream`` endpoint, with the service's protocol and its quirks.

No authentication; one JSON text frame per request; token frames then ``done``; error frames
after which the socket stays usable. Where the service's handler crashes on a malformed frame
("Server error: ..."), it stops reading the socket without closing it: the double does the
same, holding the socket open and ignoring later frames until the client leaves, the test
resets, or the server stops. ``project_id`` (default ``"default"``) is read from each frame
and used like the service's SQLite does (numbers become text, null fails when usage is saved).
Generation 2 also serves ``agentic_task`` messages (`_stream_agentic`).
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from claude_client.testing import _standin
from claude_client.testing._faults import Fault, Faults
from claude_client.testing._generation import Generation
from claude_client.testing._release import Hold, Releaser, race
from claude_client.testing._state import ServiceState
from claude_client.testing._stats import Stats
from claude_client.testing._stream_agentic import HandlerCrash, serve_agentic
from claude_client.testing._tasks import TaskRunner

STREAM_PATH = "/v1/stream"
_VALID_MODELS = ["haiku", "sonnet", "opus"]


class _StreamingError(Exception):
    """A failure inside the service's streaming step: an error frame, socket still usable."""


class _StreamCut(Exception):
    """A ``ws_close_after`` fault ended the connection."""


def _get(obj: Any, key: str, default: Any = None) -> Any:
    """``obj.get(key, default)`` as the service calls it, failing as Python would."""
    if isinstance(obj, dict):
        return obj.get(key, default)
    raise HandlerCrash(f"'{type(obj).__name__}' object has no attribute 'get'")


def _iterate(value: Any) -> Iterable[Any]:
    if isinstance(value, bool | int | float):
        raise HandlerCrash(f"'{type(value).__name__}' object is not iterable")
    assert isinstance(value, list | str | dict)
    return value


def _sqlite_real(value: float) -> str:
    text = format(value, ".15g")
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa if '.' in mantissa else mantissa + '.0'}e{exponent}"
    return text if "." in text else text + ".0"


def project_key(value: Any) -> str | None:
    """The project a frame's ``project_id`` names once SQLite has bound it (None: NULL)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise HandlerCrash("Python int too large to convert to SQLite INTEGER")
        return str(value)
    if isinstance(value, float):
        return ("Inf" if value > 0 else "-Inf") if math.isinf(value) else _sqlite_real(value)
    raise HandlerCrash(f"Error binding parameter 1: type '{type(value).__name__}' is not supported")


def _frame(payload: dict[str, Any]) -> Message:
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return {"type": "websocket.send", "text": text}


class StreamEndpoint:
    """ASGI handler for WebSocket connections."""

    def __init__(
        self,
        state: ServiceState,
        faults: Faults,
        stats: Stats,
        releaser: Releaser,
        token_delay: Callable[[], float],
        generation: Generation,
        runner: Callable[[], TaskRunner],
    ) -> None:
        self._state = state
        self._faults = faults
        self._stats = stats
        self._releaser = releaser
        self._token_delay = token_delay
        self._generation = generation
        self._runner = runner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] != STREAM_PATH or self._reject():
            await send({"type": "websocket.close", "code": 1000})  # before accept: HTTP 403
            return
        if (await receive())["type"] != "websocket.connect":
            return
        await send({"type": "websocket.accept"})
        self._stats.bump("ws_opened")
        generation = self._stats.generation
        hold = self._releaser.hold()
        try:
            await self._serve(receive, send, hold)
        except (_StreamCut, OSError):
            pass
        finally:
            self._stats.bump("ws_closed", generation)
            hold.exit()

    def _reject(self) -> bool:
        if self._faults.take_ws("ws_reject") is None:
            return False
        self._stats.bump("ws_rejected")
        self._stats.bump("faults_applied")
        return True

    async def _serve(self, receive: Receive, send: Send, hold: Hold) -> None:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            self._stats.bump("ws_messages")
            text = message.get("text")
            try:
                if text is None:
                    raise HandlerCrash("'text'")  # the service's KeyError on a binary frame
                try:
                    payload = json.loads(text)
                except json.JSONDecodeError:
                    await self._error(send, "Invalid JSON format")
                    continue
                kind = _get(payload, "type")
                if kind == "chat":
                    await self._chat(payload, send)
                elif kind == "agentic_task" and self._generation.agentic_stream:
                    await serve_agentic(payload, self._state, self._runner(), self._sender(send))
                else:
                    await self._error(send, f"Unknown message type: {kind}")
            except HandlerCrash as exc:
                await self._error(send, f"Server error: {exc}")
                await self._ignore_until_gone(receive, send, hold.enter())
                return

    async def _ignore_until_gone(
        self, receive: Receive, send: Send, release: asyncio.Event
    ) -> None:
        """Read and drop frames without answering, as the crashed service handler does."""
        while True:
            incoming = asyncio.ensure_future(receive())
            if await race(release, incoming, None) == "released":
                await send({"type": "websocket.close", "code": 1001})
                return
            if incoming.result()["type"] == "websocket.disconnect":
                return
            self._stats.bump("ws_messages")

    @staticmethod
    def _sender(send: Send) -> Callable[[dict[str, Any]], Awaitable[None]]:
        async def send_frame(payload: dict[str, Any]) -> None:
            await send(_frame(payload))

        return send_frame

    async def _error(self, send: Send, text: str) -> None:
        await send(_frame({"type": "error", "error": text}))

    async def _chat(self, payload: Any, send: Send) -> None:
        model = _get(payload, "model", "sonnet")
        messages = _get(payload, "messages", [])
        project = _get(payload, "project_id", "default")
        if not messages:
            await self._error(send, "No messages provided")
            return
        if model not in _VALID_MODELS:
            await self._error(send, f"Invalid model: {model}. Must be haiku, sonnet, or opus")
            return
        prompt = "\n\n".join(
            f"{_get(m, 'role', 'user')}: {_get(m, 'content', '')}" for m in _iterate(messages)
        )
        key = project_key(project)
        estimate = len(prompt.split()) * 2
        if key is not None and not self._state.within_budget(key, estimate):
            await self._error(send, f"Budget exceeded for project {project}")
            return
        try:
            await self._stream(prompt, model, key, send)
        except _StreamingError as exc:
            await self._error(send, f"Streaming error: {exc}")

    async def _stream(self, prompt: str, model: str, key: str | None, send: Send) -> None:
        self._stats.bump("tasks_started")
        cli = _standin.run(prompt, model)
        await asyncio.sleep(cli.sleep)
        if cli.exit_code != 0:
            raise _StreamingError(f"Claude CLI exited with code {cli.exit_code}")
        try:
            text, input_tokens, output_tokens = _standin.parse_output(cli.stdout)
        except json.JSONDecodeError as exc:
            raise _StreamingError(f"Failed to parse Claude CLI output: {exc}") from exc
        cost = self._generation.pricing(model, input_tokens, output_tokens)
        cut = self._faults.take_ws("ws_close_after")
        if cut is not None:
            self._stats.bump("faults_applied")
        for sent, piece in enumerate(_standin.slices(text)):
            if cut is not None and sent >= cut.after_tokens:
                await self._cut(cut, send)
            await asyncio.sleep(self._token_delay())
            await send(_frame({"type": "token", "content": piece}))
        if cut is not None:
            await self._cut(cut, send)
        usage = {
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "total_tokens": input_tokens + output_tokens,
        }
        # Recorded before ``done`` goes out (the service writes it right after, with no await
        # between): a client that has read ``done`` and asks for usage, or a test that resets
        # the double next, must never race the record.
        if key is not None:
            self._state.track_usage(key, model, input_tokens + output_tokens, cost)
        await send(_frame({"type": "done", "usage": usage, "cost": cost, "model": model}))
        if key is None:
            raise _StreamingError("NOT NULL constraint failed: usage_log.project_id")

    async def _cut(self, fault: Fault, send: Send) -> None:
        if not fault.abrupt:
            await send({"type": "websocket.close", "code": fault.close_code})
        raise _StreamCut
