"""Carrying out one HTTP fault on one request, at the ASGI level, above the service itself.

Dropping a connection has no ASGI message, so the double closes the uvicorn transport behind
the ``send`` callable, then waits for the disconnect so uvicorn logs nothing. Under another
ASGI server (no transport to reach) it raises instead, which such servers answer with a closed
connection once headers were sent, or a 500 before.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claude_client.testing._faults import Fault
from claude_client.testing._release import Releaser, race
from claude_client.testing._stats import Stats

_DISCONNECT_WAIT = 5.0


def _transport(send: Send) -> asyncio.BaseTransport | None:
    owner: Any = getattr(send, "__self__", None)
    transport = getattr(owner, "transport", None)
    return transport if isinstance(transport, asyncio.BaseTransport) else None


async def _drain_body(receive: Receive) -> bool:
    """Read the request body; False if the client hung up meanwhile."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return False
        if not message.get("more_body", False):
            return True


async def _wait_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _close(send: Send, receive: Receive, *, flush: bool) -> None:
    """Close the connection (after flushing what was written, or at once)."""
    transport = _transport(send)
    if transport is None:
        raise ConnectionAbortedError("fault: connection dropped by the service double")
    if flush:
        transport.close()
    else:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.abort()
    try:
        async with asyncio.timeout(_DISCONNECT_WAIT):
            await _wait_disconnect(receive)
    except TimeoutError:  # pragma: no cover - the transport is closed either way
        pass


async def _capture(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
    """Run the service on the request and collect its response instead of sending it."""
    start: Message = {}
    chunks: list[bytes] = []

    async def collect(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, collect)
    return start, b"".join(chunks)


async def apply_http_fault(
    fault: Fault,
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    releaser: Releaser,
    stats: Stats,
) -> None:
    """Answer (or not) one request as ``fault`` says; ``app`` is the service underneath."""
    if fault.kind not in ("slow", "hang"):
        await _immediate(fault, app, scope, receive, send)
        return
    hold = releaser.hold()
    try:
        release = hold.enter()
        if fault.kind == "slow":
            if await race(release, None, fault.delay) == "released":
                await _close(send, receive, flush=False)
                return
        else:
            await _hang(send, receive, release, stats)
            return
    finally:
        hold.exit()
    await app(scope, receive, send)


async def _hang(send: Send, receive: Receive, release: asyncio.Event, stats: Stats) -> None:
    """Never answer; count a client that gives up, close the connection when released."""
    generation = stats.generation
    if not await _drain_body(receive):
        stats.bump("http_disconnects", generation)
        return
    if await race(release, _wait_disconnect(receive), None) == "other":
        stats.bump("http_disconnects", generation)
        return
    await _close(send, receive, flush=False)


async def _immediate(
    fault: Fault, app: ASGIApp, scope: Scope, receive: Receive, send: Send
) -> None:
    kind = fault.kind
    if kind == "respond":
        await _drain_body(receive)
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in fault.headers]
        body = fault.body or b""
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": fault.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
    elif kind == "malformed_json":
        if fault.body is None:
            _, real = await _capture(app, scope, receive)
            body = real[: len(real) // 2]
        else:
            await _drain_body(receive)
            body = fault.body
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
    elif kind == "drop_mid_body":
        start, real = await _capture(app, scope, receive)
        await send(start)
        await send(
            {"type": "http.response.body", "body": real[: len(real) // 2], "more_body": True}
        )
        await _close(send, receive, flush=True)
    elif kind == "disconnect":
        await _drain_body(receive)
        await _close(send, receive, flush=False)
    else:  # pragma: no cover - WebSocket faults never reach here
        raise AssertionError(f"not an HTTP fault: {kind}")
