"""The service's HTTP endpoints: routing, authentication, and each handler's logic.

Order of work per request is the service's (FastAPI's): route and method first (404, 405,
trailing-slash 307), then the JSON body is decoded (422 ``json_invalid`` even without a key),
then the bearer key is checked and counted against the rate limit (403, 401, 429), then the
body is validated (422), then the handler runs.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claude_client.testing import _openapi
from claude_client.testing._router import auto_select_model, budget_remaining, reasoning
from claude_client.testing._state import InvalidPeriodError, ServiceState, UsageStats
from claude_client.testing._tasks import TaskRunner
from claude_client.testing._validation import (
    BATCH_REQUEST,
    CHAT_REQUEST,
    ROUTE_REQUEST,
    BodyParseError,
    RequestValidationError,
    Validator,
    decode_body,
    validate_body,
)

Handler = Callable[[Request], Awaitable[Response]]

_log = logging.getLogger("claude_client.testing")

HEALTH_BODY: dict[str, Any] = {
    "status": "ok",
    "version": "0.1.0",
    "services": {
        "worker_pool": "running",
        "budget_manager": "initialized",
        "auth_manager": "initialized",
    },
}
ROOT_BODY: dict[str, Any] = {
    "name": "Claude Code API Service",
    "version": "0.1.0",
    "docs": "/docs",
    "health": "/health",
    "endpoints": {
        "chat": "/v1/chat/completions",
        "batch": "/v1/batch",
        "usage": "/v1/usage",
        "route": "/v1/route",
        "stream": "ws://localhost:8080/v1/stream",
    },
}


#: Every HTTP route: path -> method -> handler method name. FastAPI adds no HEAD to the
#: service's own GET routes, but its documentation routes (Starlette's) answer HEAD too.
ROUTES: dict[str, dict[str, str]] = {
    "/v1/chat/completions": {"POST": "_chat"},
    "/v1/batch": {"POST": "_batch"},
    "/v1/usage": {"GET": "_usage"},
    "/v1/route": {"POST": "_route"},
    "/health": {"GET": "_health"},
    "/": {"GET": "_root"},
    "/openapi.json": {"GET": "_openapi", "HEAD": "_openapi"},
    "/docs": {"GET": "_docs", "HEAD": "_docs"},
    "/docs/oauth2-redirect": {"GET": "_docs", "HEAD": "_docs"},
    "/redoc": {"GET": "_docs", "HEAD": "_docs"},
}
DOCS_PATHS = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})


class HTTPError(Exception):
    """An error the service answers as ``{"detail": ...}`` with this status."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


def _usage_body(stats: UsageStats) -> dict[str, Any]:
    return {
        "total_tokens": stats.total_tokens,
        "total_cost": stats.total_cost,
        "limit": stats.limit,
        "remaining": stats.remaining,
    }


class RestService:
    """ASGI app for every HTTP path the service serves (CORS and 500s are handled outside)."""

    def __init__(self, state: ServiceState, runner: Callable[[], TaskRunner]) -> None:
        self._state = state
        self._runner = runner
        self.routes: dict[str, dict[str, Handler]] = {
            path: {method: getattr(self, name) for method, name in methods.items()}
            for path, methods in ROUTES.items()
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self._respond(request)
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        path = request.url.path
        methods = self.routes.get(path)
        if methods is None:
            return self._redirect_or_404(request)
        handler = methods.get(request.method)
        if handler is None:
            headers = {"allow": ", ".join(methods)}
            return JSONResponse({"detail": "Method Not Allowed"}, 405, headers=headers)
        try:
            return await handler(request)
        except HTTPError as exc:
            return JSONResponse({"detail": exc.detail}, exc.status, headers=exc.headers)
        except RequestValidationError as exc:
            return JSONResponse({"detail": exc.errors}, 422)
        except BodyParseError:
            return JSONResponse({"detail": "There was an error parsing the body"}, 400)

    def _redirect_or_404(self, request: Request) -> Response:
        path = request.url.path
        if path != "/":
            other = path.rstrip("/") if path.endswith("/") else path + "/"
            if other in self.routes:
                scope = dict(request.scope)
                scope["path"] = other
                return RedirectResponse(str(URL(scope=scope)))
        return JSONResponse({"detail": "Not Found"}, 404)

    # -- the steps every /v1 request goes through ----------------------------------------
    def _authenticate(self, request: Request) -> str:
        """The key's project, after the bearer check and the rate-limit count."""
        authorization = request.headers.get("authorization")
        scheme, _, credentials = (authorization or "").partition(" ")
        if not (authorization and scheme and credentials):
            raise HTTPError(403, "Not authenticated")
        if scheme.lower() != "bearer":
            raise HTTPError(403, "Invalid authentication credentials")
        project = self._state.project_of(credentials)
        if project is None:
            raise HTTPError(401, "Invalid or revoked API key")
        if not self._state.allow_request(credentials):
            raise HTTPError(429, "Rate limit exceeded. Please try again later.")
        return project

    async def _accept(self, request: Request, schema: Validator) -> tuple[str, dict[str, Any]]:
        raw = decode_body(await request.body(), request.headers.get("content-type"))
        project = self._authenticate(request)
        return project, validate_body(raw, schema)

    # -- handlers ------------------------------------------------------------------------
    async def _chat(self, request: Request) -> Response:
        project, body = await self._accept(request, CHAT_REQUEST)
        prompt = "\n\n".join(f"{m['role']}: {m['content']}" for m in body["messages"])
        model: str | None = body["model"]
        if model is None:
            remaining = budget_remaining(self._state.usage(project, "month").remaining)
            context_size = body["max_tokens"] or len(prompt.split())
            model = auto_select_model(prompt, context_size, remaining)
        if not self._state.within_budget(project, len(prompt.split()) * 2):
            raise HTTPError(429, f"Budget exceeded for project {project}")
        result = await self._runner().run(prompt, model, body["timeout"])
        if not result.completed:
            raise HTTPError(500, f"Task failed: {result.error}")
        self._state.track_usage(project, model, result.total_tokens, result.cost)
        return JSONResponse(
            {
                "id": str(uuid.uuid4()),
                "model": model,
                "content": result.text,
                "usage": result.usage(),
                "cost": result.cost,
                "project_id": project,
            }
        )

    async def _batch(self, request: Request) -> Response:
        project, body = await self._accept(request, BATCH_REQUEST)
        items: list[dict[str, Any]] = body["prompts"]
        model: str | None = body["model"]
        if model is None:
            remaining = budget_remaining(self._state.usage(project, "month").remaining)
            first = items[0]["prompt"]  # IndexError on [] -> plain-text 500, as the service
            model = auto_select_model(first, len(first.split()), remaining)
        runner = self._runner()
        tasks = [
            asyncio.ensure_future(runner.run(item["prompt"], model, body["timeout"]))
            for item in items
        ]
        results: list[dict[str, Any]] = []
        completed = failed = total_tokens = 0
        total_cost = 0.0
        for task, item in zip(tasks, items, strict=True):
            result = await task
            entry: dict[str, Any] = {"id": item["id"], "prompt": item["prompt"]}
            if result.completed:
                completed += 1
                total_cost += result.cost
                total_tokens += result.total_tokens
                self._state.track_usage(project, model, result.total_tokens, result.cost)
                entry.update(status="completed", content=result.text, usage=result.usage())
                entry.update(cost=result.cost, error=None)
            else:
                failed += 1
                entry.update(status="failed", content=None, usage=None, cost=None)
                entry.update(error=result.error)
            results.append(entry)
        return JSONResponse(
            {
                "total": len(items),
                "completed": completed,
                "failed": failed,
                "results": results,
                "total_cost": total_cost,
                "total_tokens": total_tokens,
            }
        )

    async def _usage(self, request: Request) -> Response:
        project = self._authenticate(request)
        period = request.query_params.get("period", "month")
        try:
            stats = self._state.usage(project, period)
        except InvalidPeriodError as exc:
            raise HTTPError(400, str(exc)) from exc
        by_model = {m: {"tokens": t, "cost": c} for m, (t, c) in stats.by_model.items()}
        return JSONResponse(
            {
                "project_id": project,
                "period": period,
                "total_tokens": stats.total_tokens,
                "total_cost": stats.total_cost,
                "by_model": by_model,
                "limit": stats.limit,
                "remaining": stats.remaining,
            }
        )

    async def _route(self, request: Request) -> Response:
        project, body = await self._accept(request, ROUTE_REQUEST)
        stats = self._state.usage(project, "month")
        remaining = budget_remaining(stats.remaining)
        prompt: str = body["prompt"]
        context_size: int = body["context_size"]
        return JSONResponse(
            {
                "recommended_model": auto_select_model(prompt, context_size, remaining),
                "reasoning": reasoning(prompt, context_size, remaining),
                "budget_status": _usage_body(stats),
            }
        )

    async def _health(self, request: Request) -> Response:
        return JSONResponse(HEALTH_BODY)

    async def _root(self, request: Request) -> Response:
        return JSONResponse(ROOT_BODY)

    async def _openapi(self, request: Request) -> Response:
        return Response(_openapi.DOCUMENT, media_type="application/json")

    async def _docs(self, request: Request) -> Response:
        return Response(_openapi.DOCS_PAGE, media_type="text/html")


class ServerErrors:
    """Outermost HTTP layer: an unhandled exception becomes the plain-text 500 FastAPI sends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if started:
                raise
            _log.info("unhandled exception, answered 500 as the service would", exc_info=True)
            await PlainTextResponse("Internal Server Error", 500)(scope, receive, send)
