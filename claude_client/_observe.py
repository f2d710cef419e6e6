"""One call, observed: its INFO log record and its span, begun and ended at one place.

``Scope`` (every REST call) and the streams call ``begin`` and ``Watch.end``; with logging
below INFO and no OpenTelemetry SDK, ``begin`` returns ``None`` after two cheap checks and
the call pays nothing more. What a result says (model, tokens, cost, cache hit) is read here,
so the call sites stay one line each.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from claude_client import _logging, _telemetry
from claude_client._exceptions import APIStatusError
from claude_client._models import BatchResponse, Response, Usage

if TYPE_CHECKING:
    from claude_client._calls import Call

__all__ = ["RunWatch", "StreamWatch", "Watch", "batch_run", "begin"]

#: The service's WebSocket path, as stream records name it.
STREAM_PATH = "/v1/stream"

logger = logging.getLogger("claude_client")
_T = TypeVar("_T")


def begin(operation: str, model: str | None, attach: bool = True) -> Watch | None:
    """A started ``Watch`` for one call, or ``None`` when nothing observes calls.

    Args:
        operation: ``chat``, ``batch``, ``route``, ``usage``, ``health`` or ``call``.
        model: The model asked for (``auto`` included), ``None`` for calls without one.
        attach: Make the span current until ``end`` (not for streams: see ``Watch.attached``).
    """
    span = _telemetry.call_span(operation, model)
    if span is None and not logger.isEnabledFor(logging.INFO):
        return None
    if span is not None and attach:
        span.attach()
    return Watch(operation, model, span)


def _figures(value: object) -> dict[str, Any]:
    """What a call's result tells: model, id, tokens, cost, cache hit."""
    usage: Usage | None = None
    out: dict[str, Any] = {}
    if isinstance(value, Response):
        out.update(response_model=value.model, response_id=value.id, cost=value.cost)
        out.update(cache_hit=value.cached, saved_cost=value.saved_cost)
        usage = value.usage
    elif isinstance(value, BatchResponse):
        out["cost"] = value.total_cost
        done = [r.usage for r in value.results if r.usage is not None]
        usage = Usage(
            input_tokens=sum(u.input_tokens for u in done),
            output_tokens=sum(u.output_tokens for u in done),
            total_tokens=value.total_tokens,
        )
    elif value is not None and hasattr(value, "usage") and hasattr(value, "cost"):
        out.update(response_model=getattr(value, "model", None), cost=value.cost)
        usage = value.usage
    if isinstance(usage, Usage):
        out.update(input_tokens=usage.input_tokens, output_tokens=usage.output_tokens)
    return out


class Watch:
    """The observation of one call: a span (maybe), a start time, the model asked for."""

    __slots__ = ("model", "operation", "span", "start")

    def __init__(self, operation: str, model: str | None, span: _telemetry.CallSpan | None):
        self.operation = operation
        self.model = model
        self.span = span
        self.start = time.monotonic()

    def attached(self) -> Any:
        """A context manager making the span current (streams, around their requests)."""
        if self.span is None:
            return contextlib.nullcontext()
        from opentelemetry import trace

        return trace.use_span(self.span.span, end_on_exit=False)

    def first_chunk(self) -> None:
        """A stream's first chunk arrived."""
        if self.span is not None:
            self.span.first_chunk()

    def end(
        self,
        call: Call | None,
        error: BaseException | None,
        value: object,
        *,
        method: str = "",
        path: str = "",
        figures: dict[str, Any] | None = None,
    ) -> None:
        """Finish the span and write the call's record (``error`` set when the call failed);
        ``figures`` (cost, tokens) when the result is not a type ``_figures`` reads."""
        if figures is None:
            figures = _figures(value) if error is None else {}
        url = None if call is None else call.url
        status = None if call is None or not call.status_code else call.status_code
        if isinstance(error, APIStatusError):
            status = error.status_code
        if self.span is not None:
            if url is not None:
                self.span.server(url.host, url.port)
            saved = {k: v for k, v in figures.items() if k != "saved_cost"}
            self.span.end(error=error, **saved)
        _logging.call_record(
            operation=self.operation,
            method=(call.method if call is not None and call.method else method),
            path=(url.path if url is not None else path),
            duration=time.monotonic() - self.start,
            status=status,
            attempts=None if call is None or not call.attempts else call.attempts,
            request_id=None if call is None else call.request_id,
            model=figures.get("response_model") or self.model,
            input_tokens=figures.get("input_tokens"),
            output_tokens=figures.get("output_tokens"),
            cost=figures.get("cost"),
            cache_hit=figures.get("cache_hit") or None,
            saved_cost=figures.get("saved_cost"),
            error=None if error is None else f"{type(error).__name__}: {error}",
        )


class StreamWatch:
    """A stream's observation, held by its exchange: begun on entering, ended exactly once
    (done, failed, or closed early); its span is current only while the stream is entered,
    so the route and usage calls and the WebSocket handshake join it."""

    __slots__ = ("first", "watch")

    def __init__(self) -> None:
        self.watch: Watch | None = None
        self.first = True

    @contextlib.contextmanager
    def entering(self, model: str) -> Iterator[None]:
        """Begin the watch around entering; a failure to enter ends it with the error."""
        watch = self.watch = begin("chat", model, attach=False)
        if watch is None:
            yield
            return
        try:
            with watch.attached():
                yield
        except BaseException as error:
            self.end(error, None)
            raise

    def token(self) -> None:
        """A chunk arrived (the first one is stamped)."""
        if self.first and self.watch is not None:
            self.first = False
            self.watch.first_chunk()

    def end(self, error: BaseException | None, value: object) -> None:
        """The stream ended: done (``value`` the done event), failed, or closed early."""
        watch, self.watch = self.watch, None
        if watch is not None:
            watch.end(None, error, value, method="GET", path=STREAM_PATH)


class RunWatch:
    """A batch run's span, whose context its chunks' ``batch()`` calls run in (their spans
    become its children, one per chunk), in the runner's worker threads or tasks."""

    __slots__ = ("context",)

    def __init__(self, watch: Watch | None = None) -> None:
        self.context = None if watch is None or watch.span is None else watch.span.context

    def call(self, function: Callable[..., _T], *args: Any) -> _T:
        """``function(*args)`` with the run's span current (in this thread)."""
        if self.context is None:
            return function(*args)
        from opentelemetry import context

        token = context.attach(self.context)
        try:
            return function(*args)
        finally:
            context.detach(token)

    async def traced(self, coroutine: Awaitable[_T]) -> _T:
        """Await ``coroutine`` with the run's span current (in this task)."""
        if self.context is None:
            return await coroutine
        from opentelemetry import context

        token = context.attach(self.context)
        try:
            return await coroutine
        finally:
            context.detach(token)


@contextlib.contextmanager
def batch_run(model: str, total_cost: Callable[[], float]) -> Iterator[RunWatch]:
    """Observe a batch run (one span, one record); ``total_cost`` gives its cost at the end."""
    watch = begin("run_batch", model, attach=False)
    if watch is None:
        yield RunWatch()
        return
    end = functools.partial(watch.end, None, method="POST", path="/v1/batch")
    try:
        yield RunWatch(watch)
    except GeneratorExit:  # the caller stopped reading: not a failure
        end(None, None, figures={"cost": total_cost()})
        raise
    except BaseException as error:
        end(error, None)
        raise
    end(None, None, figures={"cost": total_cost()})
