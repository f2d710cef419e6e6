"""Logs and OpenTelemetry from real calls against the double: one record and one span per call,
each attempt visible, streams with their first chunk, traceparent on the wire, key never shown."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from opentelemetry.trace import StatusCode

from claude_client import ClaudeClient, TaskFailedError, _logging
from claude_client.testing import ServiceDouble
from tests.integration.conftest import CHAT, Factory, RecordingClock
from tests.observability.conftest import Otel, sdk_providers

PROMPT = "list three colors"


@pytest.fixture
def otel(monkeypatch: pytest.MonkeyPatch) -> Iterator[Otel]:
    with sdk_providers(monkeypatch) as exporters:
        yield exporters


def _fields(records: list[logging.LogRecord], event: str) -> list[dict[str, object]]:
    return [
        getattr(r, _logging.FIELDS)
        for r in records
        if getattr(r, _logging.FIELDS, {}).get("event") == event
    ]


async def test_records_per_attempt_and_per_call(
    make: Factory,
    claude_double: ServiceDouble,
    retry_clock: RecordingClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    claude_double.faults.fail(503, times=1, path=CHAT)
    client = make(cache=True)
    with caplog.at_level(logging.DEBUG, logger="claude_client"):
        reply = await client.complete(PROMPT, model="haiku")
        await client.complete(PROMPT, model="haiku")
    attempts = _fields(caplog.records, "attempt")
    assert [(a["status"], a["attempt"]) for a in attempts] == [(503, 1), (200, 2)]
    assert attempts[0]["retry_in"] == retry_clock.sleeps[0]
    assert all(a["method"] == "POST" and a["path"] == CHAT for a in attempts)
    sent, hit = _fields(caplog.records, "call")
    assert sent["operation"] == "chat" and sent["status"] == 200 and sent["attempts"] == 2
    assert sent["model"] == "haiku" and sent["cost"] == reply.cost
    assert sent["input_tokens"] == reply.usage.input_tokens
    assert sent["output_tokens"] == reply.usage.output_tokens
    assert "cache_hit" not in sent
    assert hit["cache_hit"] is True and hit["cost"] == 0.0 and hit["saved_cost"] == reply.cost
    assert "attempts" not in hit  # nothing was sent
    text = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    assert claude_double.api_key not in text


async def test_a_failed_call_is_recorded_with_its_error(
    make: Factory, claude_double: ServiceDouble, caplog: pytest.LogCaptureFixture
) -> None:
    claude_double.faults.fail(500, body={"detail": "Task failed: boom"}, path=CHAT)
    client = make()
    with caplog.at_level(logging.INFO, logger="claude_client"), pytest.raises(TaskFailedError):
        await client.complete(PROMPT, model="haiku")
    (call,) = _fields(caplog.records, "call")
    assert call["status"] == 500 and str(call["error"]).startswith("TaskFailedError")


async def test_one_span_per_call_with_its_attempts(
    make: Factory, claude_double: ServiceDouble, retry_clock: RecordingClock, otel: Otel
) -> None:
    claude_double.faults.fail(503, times=1, path=CHAT)
    reply = await make().complete(PROMPT, model="sonnet")
    first, second, call = otel.finished()
    assert call.name == "chat sonnet"
    attributes = dict(call.attributes or {})
    assert attributes["gen_ai.operation.name"] == "chat"
    assert attributes["gen_ai.response.model"] == "sonnet"
    assert attributes["gen_ai.response.id"] == reply.id
    assert attributes["gen_ai.usage.input_tokens"] == reply.usage.input_tokens
    assert attributes["gen_ai.usage.output_tokens"] == reply.usage.output_tokens
    assert attributes["server.address"] == "127.0.0.1"
    assert call.context is not None
    for attempt in (first, second):
        assert attempt.parent is not None and attempt.parent.span_id == call.context.span_id
    assert (first.attributes or {})["http.response.status_code"] == 503
    assert (second.attributes or {})["http.request.resend_count"] == 1
    points = otel.points()
    assert {"gen_ai.client.operation.duration", "gen_ai.client.token.usage"} <= set(points)
    assert "claude_client.cost" in points


async def test_a_failed_call_span(make: Factory, claude_double: ServiceDouble, otel: Otel) -> None:
    claude_double.faults.fail(500, body={"detail": "Task failed: boom"}, path=CHAT)
    with pytest.raises(TaskFailedError):
        await make().complete(PROMPT, model="haiku")
    spans = {s.name: s for s in otel.finished()}
    call = spans["chat haiku"]
    assert call.status.status_code is StatusCode.ERROR
    assert (call.attributes or {})["error.type"] == "TaskFailedError"


def test_traceparent_goes_out_with_each_request(claude_double: ServiceDouble, otel: Otel) -> None:
    seen: list[str | None] = []
    own = httpx.Client(
        event_hooks={"request": [lambda r: seen.append(r.headers.get("traceparent"))]}
    )
    with ClaudeClient(claude_double.base_url, claude_double.api_key, http_client=own) as client:
        client.complete(PROMPT, model="haiku")
    own.close()
    attempt, _call = otel.finished()
    assert attempt.context is not None
    (header,) = seen
    assert header is not None
    assert header.startswith(f"00-{attempt.context.trace_id:032x}-{attempt.context.span_id:016x}-")


async def test_a_stream_span_with_its_first_chunk(
    make: Factory, claude_double: ServiceDouble, otel: Otel
) -> None:
    raw = make().client
    if isinstance(raw, ClaudeClient):
        chunks = list(raw.stream(PROMPT))
    else:
        chunks = [chunk async for chunk in raw.stream(PROMPT)]
    assert chunks
    spans = {s.name: s for s in otel.finished()}
    stream = spans["chat auto"]
    attributes = dict(stream.attributes or {})
    assert attributes["gen_ai.response.model"] == "haiku"
    assert isinstance(attributes["gen_ai.response.time_to_first_chunk"], float)
    output_tokens = attributes["gen_ai.usage.output_tokens"]
    assert isinstance(output_tokens, int) and output_tokens > 0
    assert [e.name for e in stream.events] == ["gen_ai.first_chunk"]
    assert stream.context is not None
    route = spans["route"]  # Model.AUTO was resolved inside the stream's span
    assert route.parent is not None and route.parent.span_id == stream.context.span_id
    assert "gen_ai.client.operation.time_to_first_chunk" in otel.points()


async def test_off_by_default(make: Factory, claude_double: ServiceDouble) -> None:
    from claude_client import _observe

    assert _observe.begin("chat", "haiku") is None  # no SDK provider, logger below INFO
    reply = await make().complete(PROMPT, model="haiku")
    assert reply.cached is False


async def test_a_batch_run_is_one_span_with_a_child_per_chunk(
    make: Factory, claude_double: ServiceDouble, otel: Otel
) -> None:
    prompts = [f"list item {n}" for n in range(5)]
    result = await make().run_batch(prompts, model="haiku", chunk_size=2, concurrency=2)
    assert result.completed == 5
    spans = otel.finished()
    (run,) = [s for s in spans if s.name == "run_batch haiku"]
    chunks = [s for s in spans if s.name == "batch haiku"]
    assert len(chunks) == 3
    assert run.context is not None
    for chunk in chunks:
        assert chunk.parent is not None and chunk.parent.span_id == run.context.span_id
    assert (run.attributes or {})["claude_client.cost"] == pytest.approx(result.total_cost)
    (usage,) = [s for s in spans if s.name == "usage"]  # the budget guard's lookup
    assert "claude_client.cost" not in (usage.attributes or {})  # usage is not a cost


def test_claude_client_log_env_switches_logging_on(claude_double: ServiceDouble) -> None:
    import os
    import subprocess
    import sys

    code = "from claude_client import ClaudeClient\n"
    code += "with ClaudeClient() as c: c.complete('list three colors', model='haiku')\n"
    env = {**os.environ, "CLAUDE_CLIENT_LOG": "debug"}
    env["CLAUDE_CODE_API_BASE_URL"] = claude_double.base_url
    env["CLAUDE_CODE_API_KEY"] = claude_double.api_key
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "DEBUG claude_client: POST /v1/chat/completions -> 200 (attempt 1," in done.stderr
    assert "INFO claude_client: chat POST /v1/chat/completions -> 200 model=haiku" in done.stderr
    assert claude_double.api_key not in done.stderr


def test_the_stream_handshake_carries_the_streams_traceparent(
    claude_double: ServiceDouble, otel: Otel
) -> None:
    seen: dict[str, str | None] = {}

    def hook(request: httpx.Request) -> None:
        seen[request.url.path] = request.headers.get("traceparent")

    own = httpx.Client(event_hooks={"request": [hook]})
    with ClaudeClient(claude_double.base_url, claude_double.api_key, http_client=own) as client:
        assert "".join(client.stream(PROMPT, model="haiku"))
    own.close()
    (stream,) = [s for s in otel.finished() if s.name == "chat haiku"]
    assert stream.context is not None
    header = seen["/v1/stream"]
    assert header is not None
    assert header.startswith(f"00-{stream.context.trace_id:032x}-{stream.context.span_id:016x}-")


def test_records_carry_the_request_id(caplog: pytest.LogCaptureFixture) -> None:
    with (
        ServiceDouble(generation=2) as double,  # generation 2 answers with X-Request-ID
        ClaudeClient(double.base_url, double.api_key) as client,
        caplog.at_level(logging.DEBUG, logger="claude_client"),
    ):
        client.complete(PROMPT, model="haiku")
    (attempt,) = _fields(caplog.records, "attempt")
    (call,) = _fields(caplog.records, "call")
    assert isinstance(attempt["request_id"], str) and attempt["request_id"]
    assert call["request_id"] == attempt["request_id"]
