"""CORS as the service configures it (origins "*", credentials, all methods and headers).

Re-stated here rather than taken from the installed Starlette, because newer Starlette
versions answer differently (extra methods, origin reflection on simple requests) from the
Starlette 0.35 the service runs on, and a browser-facing client sees those headers.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ALL_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"


class ServiceCORS:
    """ASGI middleware: preflights answered here, simple responses get the CORS headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if scope["type"] != "http" or origin is None:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(origin, headers)(scope, receive, send)
            return

        has_cookie = "cookie" in headers

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                out = MutableHeaders(scope=message)
                out["Access-Control-Allow-Origin"] = "*"
                out["Access-Control-Allow-Credentials"] = "true"
                if has_cookie:
                    out["Access-Control-Allow-Origin"] = origin
                    out.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)

    @staticmethod
    def _preflight(origin: str, headers: Headers) -> PlainTextResponse:
        out = {
            "Vary": "Origin",
            "Access-Control-Allow-Methods": _ALL_METHODS,
            "Access-Control-Max-Age": "600",
            "Access-Control-Allow-Credentials": "true",
            "Access-Control-Allow-Origin": origin,
        }
        requested_headers = headers.get("access-control-request-headers")
        if requested_headers is not None:
            out["Access-Control-Allow-Headers"] = requested_headers
        method = headers["access-control-request-method"]
        if method not in _ALL_METHODS.split(", "):
            return PlainTextResponse("Disallowed CORS method", status_code=400, headers=out)
        return PlainTextResponse("OK", status_code=200, headers=out)
