"""OpenTelemetry's SDK with in-memory exporters, as the client's providers for one test.

The global providers can be set once per process, so instead of setting them the fixture
points ``_telemetry._providers`` at a fresh pair; everything else (tracer, meters, the W3C
propagator) is the real SDK.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from claude_client import _telemetry


@attrs.define
class Otel:
    """The exporters of one test."""

    spans: InMemorySpanExporter
    metrics: InMemoryMetricReader

    def finished(self) -> list[ReadableSpan]:
        return list(self.spans.get_finished_spans())

    def points(self) -> dict[str, list[Any]]:
        """Data points by metric name."""
        data = self.metrics.get_metrics_data()
        out: dict[str, list[Any]] = {}
        if data is None:
            return out
        for resource in data.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    out.setdefault(metric.name, []).extend(metric.data.data_points)
        return out


@contextlib.contextmanager
def sdk_providers(monkeypatch: pytest.MonkeyPatch) -> Iterator[Otel]:
    """The SDK's providers with in-memory exporters, as the client's, until the block ends."""
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader])
    monkeypatch.setattr(_telemetry, "_providers", lambda: (tracer_provider, meter_provider))
    monkeypatch.setattr(_telemetry, "_current", None)
    yield Otel(exporter, reader)
    tracer_provider.shutdown()
    meter_provider.shutdown()


@pytest.fixture
def otel(monkeypatch: pytest.MonkeyPatch) -> Iterator[Otel]:
    with sdk_providers(monkeypatch) as exporters:
        yield exporters
