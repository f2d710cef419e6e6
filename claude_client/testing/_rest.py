"""The service's HTTP endpoints: routing, authentication, and each handler's logic.

Order of work per request is the service's (FastAPI's): route and method first (404, 405,
trailing-slash 307), then the JSON body is decoded (422 ``json_invalid`` even without a key),
then the bearer key is checked and counted against the rate limit (403, 401, 429), then the
body is validated (422), then the handler runs. Which routes exist, and the few rules that
differ between the service's generations, come from the double's `Generation`.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from claude_client.testing import _agentic, _catalog, _health, _openapi, _permissions, _process
from claude_client.testing._generation import Generation
from claude_client.testing._http import HTTPError
from claude_client.testing._router import auto_select_model, budget_remaining, reasoning
from claude_client.testing._state import InvalidPeriodError, ProjectUsage, ServiceState
from claude_client.testing._tasks import TaskRunner
from claude_client.testing._validation import (
    AGENTIC_REQUEST,
    BATCH_REQUEST,
    PROCESS_REQUEST,
    ROUTE_REQUEST,
    BodyParseError,
    RequestValidationError,
    Validator,
    decode_body,
    validate_body,
)

Handler = Callable[[Request], Awaitable[Response]]

_log = logging.getLogger("claude_client.testing")
_PARAMETER = re.compile(r"\{(\w+)\}")


def _template(path: str) -> re.Pattern[str]:
    """A route path with ``{name}`` segments as a regular expression."""
    return re.compile("^" + _PARAMETER.sub(r"(?P<\1>[^/]+)", path) + "$")


def _bearer(request: Request) -> tuple[str, str, str | None]:
    """(scheme, credentials, raw header) of the Authorization header."""
    authorization = request.headers.get("authorization")
    scheme, _, credentials = (authorization or "").partition(" ")
    return scheme, credentials, authorization


def _usage_body(stats: ProjectUsage) -> dict[str, Any]:
    return {
        "total_tokens": stats.total_tokens,
        "total_cost": stats.total_cost,
        "limit": stats.limit,
        "remaining": stats.remaining,
    }


class RestService:
    """ASGI app for every HTTP path the service serves (CORS and 500s are handled outside)."""

    def __init__(
        self,
        state: ServiceState,
        runner: Callable[[], TaskRunner],
        generation: Generation,
        uptime: Callable[[], float],
        process_timeout_floor: Callable[[], float],
    ) -> None:
        self._state = state
        self._runner = runner
        self._generation = generation
        self._uptime = uptime
        self._process_timeout_floor = process_timeout_floor
        self.routes: dict[str, dict[str, Handler]] = {
            path: {method: getattr(self, name) for method, name in methods.items()}
            for path, methods in generation.routes.items()
        }
        self._templates = [(_template(path), path) for path in self.routes if "{" in path]

    def _match(self, path: str) -> tuple[dict[str, Handler], dict[str, str]] | None:
        """The methods of the route serving ``path``, and its path parameters."""
        methods = self.routes.get(path)
        if methods is not None and "{" not in path:
            return methods, {}
        for pattern, template in self._templates:
            found = pattern.match(path)
            if found is not None:
                return self.routes[template], found.groupdict()
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self._respond(request)
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        matched = self._match(request.url.path)
        if matched is None:
            return self._redirect_or_404(request)
        methods, params = matched
        request.scope["path_params"] = params
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
            if self._match(other) is not None:
                scope = dict(request.scope)
                scope["path"] = other
                return RedirectResponse(str(URL(scope=scope)))
        return JSONResponse({"detail": "Not Found"}, 404)

    # -- the steps every /v1 request goes through ----------------------------------------
    def _authenticate(self, request: Request) -> str:
        """The key's project, after the bearer check and the rate-limit count."""
        scheme, credentials, authorization = _bearer(request)
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
        project, body = await self._accept(request, self._generation.chat_request)
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
        if self._generation.number == 1:
            return JSONResponse(_health.HEALTH_1)
        pool = self._runner()
        return JSONResponse(
            _health.health_2(self._uptime(), pool.active, pool.workers, pool.queued)
        )

    async def _ready(self, request: Request) -> Response:
        return JSONResponse(_health.READY)

    async def _root(self, request: Request) -> Response:
        return JSONResponse(_health.root(self._generation.number))

    async def _openapi(self, request: Request) -> Response:
        document = _openapi.document(self._generation.openapi_file)
        return Response(document, media_type="application/json")

    # -- generation 2 ----------------------------------------------------------------------
    async def _process(self, request: Request) -> Response:
        _, body = await self._accept(request, PROCESS_REQUEST)
        floor = self._process_timeout_floor()
        return JSONResponse(await _process.process(body, self._state, self._runner(), floor))

    async def _providers(self, request: Request) -> Response:
        return JSONResponse(_catalog.PROVIDERS)

    async def _provider_models(self, request: Request) -> Response:
        provider: str = request.path_params["provider"]
        models = _catalog.provider_models(provider)
        if models is None:
            supported = "Only 'anthropic' and 'claudecode' available."
            raise HTTPError(404, f"Provider {provider} not supported. {supported}")
        return JSONResponse(models)

    async def _capabilities(self, request: Request) -> Response:
        self._authenticate(request)
        return JSONResponse(_catalog.CAPABILITIES)

    async def _task(self, request: Request) -> Response:
        _, body = await self._accept(request, AGENTIC_REQUEST)
        profile = self._state.permissions_of(_bearer(request)[1])
        reason = _permissions.refusal(
            profile,
            body["allow_tools"],
            body["allow_agents"],
            body["allow_skills"],
            body["timeout"],
            body["max_cost"],
        )
        if reason is not None:
            raise HTTPError(403, f"Permission denied: {reason}")
        try:
            answer = await _agentic.execute(body, self._state, self._runner())
        except _agentic.TaskExecutionError as exc:
            raise HTTPError(500, f"Task execution failed: {exc}") from exc
        return JSONResponse(answer)

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
