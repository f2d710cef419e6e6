"""The double's ASGI application: counters and faults on top, the service underneath.

Layers for HTTP, outermost first: request counter, fault injection, plain-text 500 for
unhandled errors, CORS, request ids (generation 2), the service's routes. WebSocket
connections go to ``/v1/stream``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from claude_client.testing._cors import ServiceCORS
from claude_client.testing._faults import Faults
from claude_client.testing._generation import Generation
from claude_client.testing._inject import apply_http_fault
from claude_client.testing._release import Releaser
from claude_client.testing._requestid import RequestId
from claude_client.testing._rest import RestService, ServerErrors
from claude_client.testing._state import ServiceState
from claude_client.testing._stats import Stats
from claude_client.testing._stream import StreamEndpoint
from claude_client.testing._tasks import TaskRunner


class DoubleApp:
    """ASGI 3 application reproducing the Claude Code API Service."""

    def __init__(
        self,
        state: ServiceState,
        faults: Faults,
        stats: Stats,
        releaser: Releaser,
        token_delay: Callable[[], float],
        generation: Generation,
        process_timeout_floor: Callable[[], float],
        workers: int = 5,
    ) -> None:
        self._faults = faults
        self._stats = stats
        self._releaser = releaser
        self._token_delay = token_delay
        self._generation = generation
        self._workers = workers
        self._runner: TaskRunner | None = None
        self._started = time.monotonic()
        self.rest = RestService(
            state, self._task_runner, generation, self._uptime, process_timeout_floor
        )
        routes: ASGIApp = RequestId(self.rest) if generation.request_ids else self.rest
        self._http = ServerErrors(ServiceCORS(routes))
        self._ws = StreamEndpoint(
            state, faults, stats, releaser, token_delay, generation, self._task_runner
        )

    def _uptime(self) -> float:
        return time.monotonic() - self._started

    def _task_runner(self) -> TaskRunner:
        if self._runner is None:
            self._runner = TaskRunner(
                self._workers,
                self._token_delay,
                lambda: self._stats.bump("tasks_started"),
                self._generation.pricing,
                self._generation.stderr_after_output,
            )
        return self._runner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            path: str = scope["path"]
            self._stats.count_request(path)
            fault = self._faults.take_http(scope["method"], path)
            if fault is None:
                await self._http(scope, receive, send)
                return
            self._stats.bump("faults_applied")
            await apply_http_fault(
                fault, self._http, scope, receive, send, self._releaser, self._stats
            )
        elif kind == "websocket":
            await self._ws(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._releaser.bind(asyncio.get_running_loop())
                self._runner = None  # a fresh worker pool for this event loop
                self._started = time.monotonic()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self._releaser.bind(None)
                await send({"type": "lifespan.shutdown.complete"})
                return
