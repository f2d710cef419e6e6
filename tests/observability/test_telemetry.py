"""Spans and metrics on the GenAI conventions, traceparent, no cost with OpenTelemetry off."""

from __future__ import annotations

import sys

import pytest
from opentelemetry import trace
from opentelemetry.trace import SpanKind, StatusCode

from claude_client import _telemetry
from tests.observability.conftest import Otel

SERVER = ("service.test", 8080)


def test_a_call_with_a_retried_attempt(otel: Otel) -> None:
    call = _telemetry.call_span("chat", "haiku", SERVER)
    assert call is not None
    call.attach()
    sent: list[dict[str, str]] = []
    for resend, status in ((0, 503), (1, 200)):
        headers: dict[str, str] = {}
        attempt = _telemetry.attempt_span("POST", "/v1/chat/completions", resend, headers)
        assert attempt is not None
        sent.append(headers)
        attempt.end(status=status)
    call.end(
        response_model="haiku",
        response_id="task-1",
        input_tokens=7,
        output_tokens=38,
        cost=4.925e-05,
    )
    assert trace.get_current_span() is trace.INVALID_SPAN  # detached
    first, second, parent = otel.finished()
    assert parent.name == "chat haiku" and parent.kind is SpanKind.CLIENT
    assert dict(parent.attributes or {}) == {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "claude_code_api",
        "gen_ai.request.model": "haiku",
        "server.address": "service.test",
        "server.port": 8080,
        "gen_ai.response.model": "haiku",
        "gen_ai.response.id": "task-1",
        "gen_ai.usage.input_tokens": 7,
        "gen_ai.usage.output_tokens": 38,
        "claude_client.cost": 4.925e-05,
    }
    assert parent.context is not None
    for child, headers in zip((first, second), sent, strict=True):
        assert child.parent is not None and child.parent.span_id == parent.context.span_id
        assert child.context is not None
        ids = child.context
        flags = int(ids.trace_flags)
        assert flags & 1  # sampled
        assert headers["traceparent"] == f"00-{ids.trace_id:032x}-{ids.span_id:016x}-{flags:02x}"
    assert first.name == "POST" and first.status.status_code is StatusCode.ERROR
    assert (first.attributes or {})["error.type"] == "503"
    assert "http.request.resend_count" not in (first.attributes or {})
    assert (second.attributes or {})["http.request.resend_count"] == 1
    assert (second.attributes or {})["http.response.status_code"] == 200

    points = otel.points()
    assert set(points) == {
        "gen_ai.client.operation.duration",
        "gen_ai.client.token.usage",
        "claude_client.cost",
    }
    tokens = {p.attributes["gen_ai.token.type"]: p.sum for p in points["gen_ai.client.token.usage"]}
    assert tokens == {"input": 7, "output": 38}
    (duration,) = points["gen_ai.client.operation.duration"]
    assert duration.count == 1 and duration.attributes["gen_ai.response.model"] == "haiku"
    (cost,) = points["claude_client.cost"]
    assert cost.value == pytest.approx(4.925e-05)


def test_a_failed_call(otel: Otel) -> None:
    call = _telemetry.call_span("chat", "sonnet")
    assert call is not None
    call.end(error=ValueError("Budget exceeded for project p"))
    (span,) = otel.finished()
    assert span.status.status_code is StatusCode.ERROR
    assert (span.attributes or {})["error.type"] == "ValueError"
    points = otel.points()
    assert set(points) == {"gen_ai.client.operation.duration"}
    assert points["gen_ai.client.operation.duration"][0].attributes["error.type"] == "ValueError"


def test_a_cache_hit_records_no_tokens_and_no_cost(otel: Otel) -> None:
    call = _telemetry.call_span("chat", "haiku")
    assert call is not None
    call.end(response_model="haiku", input_tokens=0, output_tokens=0, cost=0.0, cache_hit=True)
    (span,) = otel.finished()
    assert (span.attributes or {})["claude_client.cache.hit"] is True
    points = otel.points()
    assert set(points) == {"gen_ai.client.operation.duration"}
    assert points["gen_ai.client.operation.duration"][0].attributes["claude_client.cache.hit"]


def test_a_stream_stamps_the_first_chunk_once(otel: Otel) -> None:
    call = _telemetry.call_span("chat", "haiku")
    assert call is not None
    call.first_chunk()
    call.first_chunk()
    call.end(response_model="haiku", input_tokens=3, output_tokens=4, cost=1e-6)
    (span,) = otel.finished()
    assert [e.name for e in span.events] == ["gen_ai.first_chunk"]
    first = (span.attributes or {})["gen_ai.response.time_to_first_chunk"]
    assert isinstance(first, float) and first >= 0
    (point,) = otel.points()["gen_ai.client.operation.time_to_first_chunk"]
    assert point.count == 1


def test_children_by_explicit_context(otel: Otel) -> None:
    run = _telemetry.call_span("batch", "auto")
    assert run is not None
    chunk = run.child("chunk 1", {"claude_client.batch.size": 3})
    headers: dict[str, str] = {}
    attempt = _telemetry.attempt_span("POST", "/v1/batch", 0, headers, parent=run.context)
    assert attempt is not None
    attempt.end(error="ConnectError")
    chunk.end()
    run.end()
    spans = {s.name: s for s in otel.finished()}
    root = spans["batch auto"].context
    assert root is not None
    assert spans["chunk 1"].parent is not None
    assert spans["chunk 1"].parent.span_id == root.span_id
    assert spans["POST"].parent is not None and spans["POST"].parent.span_id == root.span_id
    assert (spans["POST"].attributes or {})["error.type"] == "ConnectError"


def test_off_without_an_sdk_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = (trace.ProxyTracerProvider(), _no_op_meter_provider())
    monkeypatch.setattr(_telemetry, "_providers", lambda: proxy)
    monkeypatch.setattr(_telemetry, "_current", None)
    headers: dict[str, str] = {}
    assert _telemetry.call_span("chat", "haiku") is None
    assert _telemetry.attempt_span("POST", "/v1/chat/completions", 0, headers) is None
    assert headers == {}
    assert not _telemetry.enabled()


def test_off_when_opentelemetry_is_not_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "opentelemetry.trace")
    monkeypatch.setattr(_telemetry, "_current", None)
    assert _telemetry._providers() is None
    assert _telemetry.call_span("chat", "haiku") is None


def test_importing_the_client_imports_no_opentelemetry() -> None:
    import subprocess

    code = (
        "import sys, claude_client; print(any(m.startswith('opentelemetry') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _no_op_meter_provider() -> object:
    from opentelemetry.metrics import NoOpMeterProvider

    return NoOpMeterProvider()
