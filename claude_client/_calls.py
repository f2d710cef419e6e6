"""The context of one call: its options for the transport, and the conversion of its answer.

The generated operations take no per-request options and return the generated models, so a
high-level call runs inside a ``Scope``: it puts the call's ``Call`` in ``CURRENT_CALL`` (a
context variable, which follows threads' and asyncio tasks' contexts), where the retry
transport reads how long the call may wait and whether it runs a task, and writes what it
received; on the way out the scope turns the generated answer into the public result (``Op``),
and a body that breaks the contract into ``MalformedResponseError``. Shared by the sync and
async clients; no I/O.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from types import TracebackType
from typing import Any, Final, Generic, Self, TypeVar

import attrs
import httpx
from claude_code_api import models as g
from claude_code_api.types import Response as Detailed

from claude_client import _observe
from claude_client._error_mapping import malformed_response
from claude_client._exceptions import ClaudeAPIError
from claude_client._models import (
    batch_response_from,
    health_from,
    response_from,
    route_from,
    usage_stats_from,
)

__all__ = ["CURRENT_CALL", "MALFORMED", "SAFE_METHODS", "Call", "Op", "Scope", "runs_task"]

_G = TypeVar("_G")
_R = TypeVar("_R")

#: Methods that run no task on this service.
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
#: What generated parsing and our validators raise on a body that breaks the contract
#: (RecursionError: JSON nested too deep for Python's reader).
MALFORMED: Final = (
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
    RecursionError,
    httpx.DecodingError,
)


class Call:
    """Options of one high-level call, and what the transport saw; set in ``CURRENT_CALL``.

    ``wait`` is how long one attempt may take in all (connect, send, headers, body; ``None``:
    the httpx client's timeout); ``runs_task`` is the operation's flag (``None``: decided by
    the HTTP method, see ``runs_task()``).
    """

    __slots__ = (
        "attempts",
        "content",
        "method",
        "request_id",
        "runs_task",
        "status_code",
        "url",
        "wait",
    )

    def __init__(self, wait: float | None = None, runs_task: bool | None = None) -> None:
        self.wait = wait
        self.runs_task = runs_task
        self.attempts = 0
        self.request_id: str | None = None
        self.status_code = 0
        self.content = b""
        self.method = ""
        self.url: httpx.URL | None = None


CURRENT_CALL: contextvars.ContextVar[Call | None] = contextvars.ContextVar(
    "claude_client_call", default=None
)


def runs_task(method: str, call: Call | None) -> bool:
    """Whether a request may run (and bill) a task: the one place this is decided.

    The operation says so (``Op.runs_task``); a request outside any operation, or of an
    operation that leaves it open, runs one unless its method is safe (GET, HEAD, OPTIONS).
    """
    if call is not None and call.runs_task is not None:
        return call.runs_task
    return method not in SAFE_METHODS


@attrs.frozen
class Op(Generic[_G, _R]):
    """One wrapped operation: the generated answer type and its conversion, its name, method
    and path (for the logs, spans and cache keys), and whether it runs a task on the service
    (``None``: decided by the HTTP method).

    ``runs_task`` decides retries: a request that runs a task is never retried after an
    outcome that says it may have run (a 500, a 502 or 504 from a gateway, a read timeout),
    unless ``retry_on_task_failure`` is set. A new operation declares it here, once.
    """

    expected: type[_G]
    convert: Callable[[_G], _R]
    name: str = "call"
    method: str = ""
    path: str = ""
    runs_task: bool | None = None


CHAT: Final = Op(
    g.ChatCompletionResponse, response_from, "chat", "POST", "/v1/chat/completions", True
)
BATCH: Final = Op(g.BatchResponse, batch_response_from, "batch", "POST", "/v1/batch", True)
USAGE: Final = Op(g.UsageResponse, usage_stats_from, "usage", "GET", "/v1/usage", False)
ROUTE: Final = Op(g.RouteResponse, route_from, "route", "POST", "/v1/route", False)
HEALTH: Final = Op(g.HealthResponse, health_from, "health", "GET", "/health", False)
#: A generated call made through ``call()``: any answer, returned as the generated code gives it.
LOW_LEVEL: Final = Op(object, lambda parsed: parsed)


class Scope(Generic[_G, _R]):
    """Runs one generated call with its ``Call`` options in context, and converts the answer.

    A body that breaks the contract (generated parsing or our validators fail) leaves as
    ``MalformedResponseError``. The call is observed (``_observe``: its log record and span)
    from entering to leaving.
    """

    __slots__ = ("call", "model", "op", "token", "value", "watch")

    def __init__(self, op: Op[_G, _R], wait: float | None = None, model: str | None = None) -> None:
        self.op = op
        self.call = Call(wait, op.runs_task)
        self.model = model
        self.value: _R | None = None

    def __enter__(self) -> Self:
        self.watch = _observe.begin(self.op.name, self.model)
        self.token = CURRENT_CALL.set(self.call)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        CURRENT_CALL.reset(self.token)
        call = self.call
        error = exc
        if isinstance(exc, MALFORMED) and call.status_code:
            error = malformed_response(
                call.status_code, call.method, str(call.url), call.content, exc
            )
        if self.watch is not None:
            op = self.op
            self.watch.end(call, error, self.value, method=op.method, path=op.path)
        if isinstance(error, ClaudeAPIError) and error.request_id is None:
            error.request_id = call.request_id
        if error is not exc and error is not None:
            raise error from exc

    def result(self, detailed: Detailed[Any]) -> _R:
        """The public result for the generated answer."""
        parsed = detailed.parsed
        if not isinstance(parsed, self.op.expected):
            raise TypeError(f"no {self.op.expected.__name__} in the answer")
        value = self.op.convert(parsed)
        request_id = self.call.request_id
        if request_id is not None and hasattr(value, "request_id"):
            # The result was made just above and is nobody else's yet, and the id is a string
            # (the header's or ours): set in place, instead of making and validating the whole
            # result again (attrs.evolve).
            object.__setattr__(value, "request_id", request_id)
        self.value = value
        return value

    def cached(self, value: _R) -> _R:
        """Hand back a cache hit as this call's result (nothing was sent)."""
        self.value = value
        return value
