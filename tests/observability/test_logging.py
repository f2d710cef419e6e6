"""CLAUDE_CLIENT_LOG and the structured records: fields, levels, and the key never shown."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator

import pytest

from claude_client import _logging

KEY = "cc_" + "0123456789abcdef" * 2 + "deadbeef"
OTHER_KEY = "cc_" + "f" * 40


@pytest.fixture
def clean_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger("claude_client")
    level, handlers = logger.level, list(logger.handlers)
    yield logger
    logger.setLevel(level)
    logger.handlers[:] = handlers


@pytest.mark.parametrize(("value", "level"), [("info", logging.INFO), (" DEBUG ", logging.DEBUG)])
def test_env_switches_the_logger_on_once(
    clean_logger: logging.Logger, value: str, level: int
) -> None:
    assert _logging.setup_from_env({"CLAUDE_CLIENT_LOG": value}) == level
    assert _logging.setup_from_env({"CLAUDE_CLIENT_LOG": value}) == level
    assert clean_logger.level == level
    added = [h for h in clean_logger.handlers if isinstance(h, logging.StreamHandler)]
    assert len(added) == 1


@pytest.mark.parametrize("environ", [{}, {"CLAUDE_CLIENT_LOG": "off"}, {"CLAUDE_CLIENT_LOG": "x"}])
def test_env_unset_or_other_leaves_logging_alone(
    clean_logger: logging.Logger, environ: dict[str, str]
) -> None:
    before = (clean_logger.level, list(clean_logger.handlers))
    assert _logging.setup_from_env(environ) is None
    assert (clean_logger.level, list(clean_logger.handlers)) == before


def test_redact() -> None:
    text = f"key {KEY} and Bearer {OTHER_KEY}"
    out = _logging.redact(text, KEY)
    assert KEY not in out and OTHER_KEY not in out
    assert "cc_…beef" in out and "cc_…ffff" in out
    assert _logging.redact("short secret here", "secret") == "short *** here"


def test_attempt_record(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="claude_client"):
        _logging.attempt_record(
            method="POST",
            path="/v1/chat/completions",
            attempt=2,
            duration=0.0123,
            status=503,
            request_id="req-1",
            retry_in=0.5,
            secret=KEY,
        )
        _logging.attempt_record(
            method="GET", path="/health", attempt=1, duration=0.001, error="ConnectError"
        )
    first, second = caplog.records
    assert first.levelno == logging.DEBUG
    assert first.getMessage() == (
        "POST /v1/chat/completions -> 503 (attempt 2, 12.3 ms) request_id=req-1, retrying in 0.50 s"
    )
    assert getattr(first, _logging.FIELDS) == {
        "event": "attempt",
        "method": "POST",
        "path": "/v1/chat/completions",
        "status": 503,
        "attempt": 2,
        "request_id": "req-1",
        "duration_ms": 12.3,
        "retry_in": 0.5,
    }
    assert getattr(second, _logging.FIELDS)["error"] == "ConnectError"
    assert "status" not in getattr(second, _logging.FIELDS)


def test_call_record_fields_and_levels(caplog: pytest.LogCaptureFixture) -> None:
    record = functools.partial(
        _logging.call_record, operation="chat", method="POST", path="/v1/chat/completions"
    )
    with caplog.at_level(logging.INFO, logger="claude_client"):
        record(duration=0.2, status=200, attempts=1, model="haiku", input_tokens=7)
        record(duration=2e-5, cache_hit=True, saved_cost=4.925e-05, model="haiku", cost=0.0)
        record(duration=1.5, status=429, error=f"BudgetExceededError: {KEY}", secret=KEY)
    ok, hit, failed = caplog.records
    assert ok.levelno == logging.INFO
    assert ok.getMessage() == ("chat POST /v1/chat/completions -> 200 model=haiku in 200.0 ms")
    fields = getattr(ok, _logging.FIELDS)
    assert "cache_hit" not in fields and "cost" not in fields
    assert fields["attempts"] == 1 and fields["input_tokens"] == 7
    assert "(cache hit)" in hit.getMessage()
    assert getattr(hit, _logging.FIELDS)["saved_cost"] == 4.925e-05
    assert failed.levelno == logging.INFO
    assert KEY not in failed.getMessage() and KEY not in str(getattr(failed, _logging.FIELDS))


def test_nothing_is_built_when_the_level_is_off(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> dict[str, object]:
        raise AssertionError("fields built while the logger is off")

    monkeypatch.setattr(_logging, "_clean", fail)
    with caplog.at_level(logging.WARNING, logger="claude_client"):
        _logging.attempt_record(method="GET", path="/health", attempt=1, duration=0.0)
        _logging.call_record(operation="health", method="GET", path="/health", duration=0.0)
    assert caplog.records == []
