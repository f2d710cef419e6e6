"""OpenTelemetry tracing and metrics on the GenAI semantic conventions (the ``otel`` extra).

Nothing here imports OpenTelemetry. ``call_span`` and ``attempt_span`` look for
``opentelemetry.trace`` in ``sys.modules`` (an application that configured OpenTelemetry has
imported it) and then at the global providers: with OpenTelemetry absent, or present with no
SDK provider set, they return ``None`` after a dictionary lookup or two and the caller does
nothing more. Instruments are made once per provider.

What is emitted (conventions of ``gen_ai`` and ``http``, status development):

- one CLIENT span per call, named ``"{gen_ai.operation.name} {gen_ai.request.model}"``, with
  ``gen_ai.operation.name``, ``gen_ai.provider.name``, ``gen_ai.request.model``,
  ``gen_ai.response.model``, ``gen_ai.response.id``, ``gen_ai.usage.input_tokens``,
  ``gen_ai.usage.output_tokens``, ``server.address`` / ``server.port``, ``error.type`` on
  failure, and ``claude_client.cost`` / ``claude_client.cache.hit``; a stream adds
  ``gen_ai.response.time_to_first_chunk`` and a ``gen_ai.first_chunk`` event;
- one CLIENT child span per HTTP attempt (``http.request.method``, ``url.path``,
  ``http.response.status_code``, ``http.request.resend_count`` on a retry, ``error.type``);
  the attempt's W3C ``traceparent`` goes out with the request (the global propagator);
- the metrics ``gen_ai.client.operation.duration`` (s), ``gen_ai.client.token.usage``
  ({token}, by ``gen_ai.token.type``), ``gen_ai.client.operation.time_to_first_chunk`` (s,
  streams) and ``claude_client.cost`` (USD, a counter). A cache hit records its duration
  (with ``claude_client.cache.hit``) but no tokens and no cost: nothing was used.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, MutableMapping
from typing import Any, Final

__all__ = ["PROVIDER", "AttemptSpan", "CallSpan", "attempt_span", "call_span", "enabled", "inject"]

#: ``gen_ai.provider.name``: not one of the conventions' well-known providers, so our own name.
PROVIDER: Final = "claude_code_api"
_SCOPE: Final = "claude_client"
_DURATION_BUCKETS: Final = (
    0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
)  # fmt: skip
_TOKEN_BUCKETS: Final = (
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
)  # fmt: skip
#: The conventions' client histograms: name, unit, description, advised bucket boundaries.
_HISTOGRAMS: Final = (
    ("gen_ai.client.operation.duration", "s", "GenAI operation duration", _DURATION_BUCKETS),
    ("gen_ai.client.token.usage", "{token}", "Input and output tokens used", _TOKEN_BUCKETS),
    (
        "gen_ai.client.operation.time_to_first_chunk",
        "s",
        "Time to receive the first chunk of a streamed answer",
        _DURATION_BUCKETS,
    ),
)
_NO_SDK: Final = frozenset(
    {"ProxyTracerProvider", "NoOpTracerProvider", "_ProxyMeterProvider", "NoOpMeterProvider"}
)


def _providers() -> tuple[Any, Any] | None:
    """The global tracer and meter providers, or ``None`` when OpenTelemetry is not imported."""
    trace = sys.modules.get("opentelemetry.trace")
    metrics = sys.modules.get("opentelemetry.metrics")
    if trace is None or metrics is None:
        return None
    return trace.get_tracer_provider(), metrics.get_meter_provider()


class _Instruments:
    """A tracer and the four metric instruments of one pair of providers."""

    def __init__(self, tracer_provider: Any, meter_provider: Any) -> None:
        from opentelemetry import propagate, trace

        from claude_client._version import __version__

        self.keys = (tracer_provider, meter_provider)
        self.trace = trace
        self.propagate = propagate
        self.tracer = None
        if type(tracer_provider).__name__ not in _NO_SDK:
            self.tracer = tracer_provider.get_tracer(_SCOPE, __version__)
        self.metered = type(meter_provider).__name__ not in _NO_SDK
        if not self.metered:
            return
        meter = meter_provider.get_meter(_SCOPE, __version__)
        self.duration, self.tokens, self.first_chunk = (
            meter.create_histogram(name, unit, text, explicit_bucket_boundaries_advisory=buckets)
            for name, unit, text, buckets in _HISTOGRAMS
        )
        self.cost = meter.create_counter(
            "claude_client.cost", unit="USD", description="Cost the service reported, in USD"
        )

    @property
    def active(self) -> bool:
        return self.tracer is not None or self.metered


_current: _Instruments | None = None


def _instruments() -> _Instruments | None:
    """The instruments for the current global providers, ``None`` when there is no SDK."""
    global _current
    providers = _providers()
    if providers is None:
        return None
    tracer_provider, meter_provider = providers
    current = _current
    if (
        current is None
        or current.keys[0] is not tracer_provider
        or (current.keys[1] is not meter_provider)
    ):
        if type(tracer_provider).__name__ in _NO_SDK and type(meter_provider).__name__ in _NO_SDK:
            return None
        current = _current = _Instruments(tracer_provider, meter_provider)
    return current if current.active else None


def enabled() -> bool:
    """Whether an OpenTelemetry SDK provider (traces or metrics) is configured."""
    return _instruments() is not None


class CallSpan:
    """One call's span and metrics. Make it with ``call_span``; ``end`` it exactly once.

    While ``attach`` is in effect the span is the current one, so attempts become its
    children. Streams and generators, which cannot hold a context across yields, pass the
    span's context explicitly instead (``context``).
    """

    def __init__(
        self,
        inst: _Instruments,
        operation: str,
        model: str | None,
        server: tuple[str, int | None] | None,
        parent: Any = None,
    ) -> None:
        self._inst = inst
        self._start = time.monotonic()
        self._first_chunk: float | None = None
        self._token: Any = None
        attrs: dict[str, Any] = {
            "gen_ai.operation.name": operation,
            "gen_ai.provider.name": PROVIDER,
        }
        if model is not None:
            attrs["gen_ai.request.model"] = model
        if server is not None:
            attrs["server.address"] = server[0]
            if server[1] is not None:
                attrs["server.port"] = server[1]
        self.metric_attributes = dict(attrs)
        self.span: Any = None
        if inst.tracer is not None:
            self.span = inst.tracer.start_span(
                operation if model is None else f"{operation} {model}",
                context=parent,
                kind=inst.trace.SpanKind.CLIENT,
                attributes=attrs,
            )

    def server(self, host: str, port: int | None) -> None:
        """Name the service's address (known once a request went out)."""
        self.metric_attributes["server.address"] = host
        if port is not None:
            self.metric_attributes["server.port"] = port

    @property
    def context(self) -> Any:
        """An OpenTelemetry context holding this span (the parent for its children)."""
        if self.span is None:
            return None
        return self._inst.trace.set_span_in_context(self.span)

    def attach(self) -> None:
        """Make the span current (in this thread or task) until ``end``."""
        if self.span is not None:
            from opentelemetry import context

            self._token = context.attach(self.context)

    def child(self, name: str, attributes: Mapping[str, Any] | None = None) -> Any:
        """A started child span (e.g. one batch chunk); the caller ends it."""
        if self.span is None:
            return None
        return self._inst.tracer.start_span(  # type: ignore[union-attr]
            name, context=self.context, attributes=dict(attributes or {})
        )

    def first_chunk(self) -> None:
        """Stamp the time to the first chunk of a stream (once)."""
        if self._first_chunk is not None:
            return
        self._first_chunk = elapsed = time.monotonic() - self._start
        if self.span is not None:
            self.span.set_attribute("gen_ai.response.time_to_first_chunk", elapsed)
            self.span.add_event("gen_ai.first_chunk")

    def end(
        self,
        *,
        response_model: str | None = None,
        response_id: str | None = None,
        input_tokens: int | None = None,
        output_tokens: int | None = None,
        cost: float | None = None,
        cache_hit: bool = False,
        error: BaseException | None = None,
    ) -> None:
        """Finish the span and record the metrics."""
        inst = self._inst
        duration = time.monotonic() - self._start
        attrs = self.metric_attributes
        if response_model:
            attrs["gen_ai.response.model"] = response_model
        if cache_hit:
            attrs["claude_client.cache.hit"] = True
        if error is not None:
            attrs["error.type"] = type(error).__qualname__
        span = self.span
        if span is not None:
            extra: dict[str, Any] = {
                "gen_ai.response.id": response_id,
                "gen_ai.usage.input_tokens": input_tokens,
                "gen_ai.usage.output_tokens": output_tokens,
                "claude_client.cost": cost,
            }
            span.set_attributes(attrs)
            span.set_attributes({k: v for k, v in extra.items() if v is not None})
            if error is not None:
                span.set_status(inst.trace.Status(inst.trace.StatusCode.ERROR, str(error)[:200]))
            span.end()
            if self._token is not None:
                from opentelemetry import context

                context.detach(self._token)
                self._token = None
        if not inst.metered:
            return
        inst.duration.record(duration, attrs)
        if self._first_chunk is not None:
            inst.first_chunk.record(self._first_chunk, attrs)
        if cache_hit or error is not None:
            return
        if input_tokens is not None:
            inst.tokens.record(input_tokens, {**attrs, "gen_ai.token.type": "input"})
        if output_tokens is not None:
            inst.tokens.record(output_tokens, {**attrs, "gen_ai.token.type": "output"})
        if cost is not None:
            inst.cost.add(cost, attrs)


def call_span(
    operation: str,
    model: str | None,
    server: tuple[str, int | None] | None = None,
    parent: Any = None,
) -> CallSpan | None:
    """A started ``CallSpan``, or ``None`` when OpenTelemetry is absent or not configured."""
    inst = _instruments()
    if inst is None:
        return None
    return CallSpan(inst, operation, model, server, parent)


class AttemptSpan:
    """The span of one HTTP attempt; ``end`` it with the status or the failure."""

    __slots__ = ("_inst", "span")

    def __init__(self, inst: _Instruments, span: Any) -> None:
        self._inst = inst
        self.span = span

    def end(self, status: int | None = None, error: str | None = None) -> None:
        """Finish the attempt: its HTTP status, or the failure's type name."""
        span = self.span
        if status is not None:
            span.set_attribute("http.response.status_code", status)
            if status >= 400:
                error = error or str(status)
        if error is not None:
            span.set_attribute("error.type", error)
            span.set_status(self._inst.trace.Status(self._inst.trace.StatusCode.ERROR))
        span.end()


def attempt_span(
    method: str,
    path: str,
    resend_count: int,
    headers: MutableMapping[str, str],
    parent: Any = None,
) -> AttemptSpan | None:
    """Start an attempt's span and put its ``traceparent`` into ``headers``; ``None`` when off.

    Args:
        method: The HTTP method.
        path: The URL path (never the query).
        resend_count: 0 for the first attempt, n for the n-th retry.
        headers: The request's headers; the propagator writes into them.
        parent: The parent context (default: the current one).
    """
    inst = _instruments()
    if inst is None or inst.tracer is None:
        return None
    attrs: dict[str, Any] = {"http.request.method": method, "url.path": path}
    if resend_count:
        attrs["http.request.resend_count"] = resend_count
    span = inst.tracer.start_span(
        method, context=parent, kind=inst.trace.SpanKind.CLIENT, attributes=attrs
    )
    inst.propagate.inject(headers, context=inst.trace.set_span_in_context(span, parent))
    return AttemptSpan(inst, span)


def inject(headers: MutableMapping[str, str]) -> None:
    """Put the current context's ``traceparent`` into ``headers`` (only when tracing is on)."""
    inst = _instruments()
    if inst is not None and inst.tracer is not None:
        inst.propagate.inject(headers)
