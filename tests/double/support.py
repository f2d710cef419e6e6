"""Helpers for the double's tests: plain httpx and a raw WebSocket client, never our client."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import httpx_ws
import wsproto.events

from claude_client.testing import ServiceDouble

TIMEOUT = 10.0


def hung_health_call(double: ServiceDouble) -> tuple[threading.Thread, list[BaseException]]:
    """A ``GET /health`` in a thread, returned once the double holds it (a ``hang`` fault), and
    the list its httpx error goes to when the double lets go."""
    errors: list[BaseException] = []

    def call() -> None:
        try:
            httpx.get(f"{double.base_url}/health", timeout=30)
        except httpx.HTTPError as exc:
            errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    assert double.stats.wait_until(lambda s: s.faults_applied == 1)
    return caller, errors


def user(content: str) -> list[dict[str, str]]:
    """A one-message conversation."""
    return [{"role": "user", "content": content}]


def chat_body(content: str, model: str | None = None, **extra: Any) -> dict[str, Any]:
    """A chat-completion body for one user message; no ``model`` key when ``model`` is None."""
    body: dict[str, Any] = {"messages": user(content), **extra}
    if model is not None:
        body["model"] = model
    return body


def bearer(key: str) -> dict[str, str]:
    """The Authorization header for a key."""
    return {"Authorization": f"Bearer {key}"}


@contextlib.contextmanager
def websocket(
    url: str, headers: dict[str, str] | None = None
) -> Iterator[httpx_ws.WebSocketSession]:
    """A raw WebSocket session (httpx-ws), keep-alive pings off."""
    with httpx.Client(timeout=TIMEOUT, headers=headers) as client:
        session: httpx_ws.WebSocketSession
        with httpx_ws.connect_ws(url, client, keepalive_ping_interval_seconds=None) as session:
            yield session


def receive(ws: httpx_ws.WebSocketSession) -> dict[str, Any]:
    """The next JSON frame (fails the test after ``TIMEOUT`` seconds)."""
    frame: dict[str, Any] = ws.receive_json(timeout=TIMEOUT)
    return frame


def stream(
    ws: httpx_ws.WebSocketSession, frame: dict[str, Any]
) -> tuple[list[str], dict[str, Any]]:
    """Send a chat frame and read until ``done`` or ``error``: (token slices, last frame)."""
    ws.send_json(frame)
    tokens: list[str] = []
    while True:
        reply = receive(ws)
        if reply["type"] != "token":
            return tokens, reply
        tokens.append(reply["content"])


def nothing_arrives(ws: httpx_ws.WebSocketSession, wait: float = 0.3) -> bool:
    """True if no frame arrives within ``wait`` seconds (used only to show silence)."""
    try:
        event = ws.receive(timeout=wait)
    except queue.Empty:
        return True
    return not isinstance(event, wsproto.events.Message)


def dumps(value: Any) -> bytes:
    """JSON as the service renders it (compact)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
