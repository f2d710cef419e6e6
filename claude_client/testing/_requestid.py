"""Generation 2's ``X-Request-ID``: the caller's value echoed verbatim, else a new uuid4.

Wraps the routes only, so the answers made outside them carry none, as in the service: the
plain-text 500 and CORS preflights (and the double's injected faults, which model a proxy).
"""

from __future__ import annotations

import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"


class RequestId:
    """ASGI middleware adding ``x-request-id`` to every answer of the wrapped app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = Headers(scope=scope).get(HEADER)
        request_id = given if given is not None else str(uuid.uuid4())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                MutableHeaders(scope=message).append(HEADER, request_id)
            await send(message)

        await self.app(scope, receive, send_with_id)
