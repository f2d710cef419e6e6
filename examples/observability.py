"""Observability: the client's log records as JSON lines, and its OpenTelemetry spans and metrics.

CLAUDE_CODE_API_BASE_URL=... CLAUDE_CODE_API_KEY=... python examples/observability.py
(needs the otel extra and the SDK: pip install "claude-code-client[otel]" opentelemetry-sdk)
"""

from __future__ import annotations

# --8<-- [start:example]
import json
import logging
import sys

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from claude_client import ClaudeClient, Model


class JSONFormatter(logging.Formatter):
    """One JSON object per record: the message plus the client's structured fields."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "claude_client", {})
        return json.dumps({"level": record.levelname, "message": record.getMessage(), **fields})


def main() -> None:
    # 1. Logs: INFO gives one record per call, DEBUG also one per HTTP attempt.
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JSONFormatter())
    logger = logging.getLogger("claude_client")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    # 2. OpenTelemetry: any SDK setup works; in-memory exporters here, to print what they got.
    spans = InMemorySpanExporter()
    tracing = TracerProvider()
    tracing.add_span_processor(SimpleSpanProcessor(spans))
    trace.set_tracer_provider(tracing)
    reader = InMemoryMetricReader()
    metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))

    with ClaudeClient(cache=True) as client:
        client.complete("list three colors", model=Model.HAIKU)
        client.complete("list three colors", model=Model.HAIKU)  # a cache hit
        for _ in client.stream("count to five", model=Model.HAIKU):
            pass
    logger.removeHandler(handler)

    print("spans:")
    for span in spans.get_finished_spans():
        parent = "" if span.parent is None else " (child)"
        attributes = dict(span.attributes or {})
        tokens = attributes.get("gen_ai.usage.output_tokens", "-")
        print(f"  {span.name}{parent}: output tokens {tokens}")
    print("metrics:")
    data = reader.get_metrics_data()
    names = sorted(
        {m.name for rm in data.resource_metrics for sm in rm.scope_metrics for m in sm.metrics}
        if data is not None
        else set()
    )
    for name in names:
        print(f"  {name}")


if __name__ == "__main__":
    main()
