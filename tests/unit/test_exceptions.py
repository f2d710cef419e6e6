"""The one mapping from an HTTP answer to a typed error, fed with the service's real bodies."""

from __future__ import annotations

import builtins
import json
import pickle
from typing import Any

import httpx
import pytest

from claude_client import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    BudgetExceededError,
    ClaudeAPIError,
    FieldError,
    MissingCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TaskFailedError,
    TimeoutError,
    ValidationError,
)
from claude_client._error_mapping import (
    connection_error_from,
    error_class_for,
    error_from_response,
)
from tests.unit.conftest import INVALID_JSON, MISSING_MESSAGES, TIMEOUT_TOO_SMALL

URL = "http://service.test/v1/chat/completions"
JSON = {"content-type": "application/json"}

# (status, body, expected class, expected detail): every text in service-behaviour.md.
REAL_ERRORS: list[tuple[int, Any, type[APIStatusError], str]] = [
    (403, {"detail": "Not authenticated"}, MissingCredentialsError, "Not authenticated"),
    (
        403,
        {"detail": "Invalid authentication credentials"},
        MissingCredentialsError,
        "Invalid authentication credentials",
    ),
    (403, {"detail": "Project is suspended"}, PermissionDeniedError, "Project is suspended"),
    (
        401,
        {"detail": "Invalid or revoked API key"},
        AuthenticationError,
        "Invalid or revoked API key",
    ),
    (
        429,
        {"detail": "Rate limit exceeded. Please try again later."},
        RateLimitError,
        "Rate limit exceeded. Please try again later.",
    ),
    (
        429,
        {"detail": "Budget exceeded for project probe-budget"},
        BudgetExceededError,
        "Budget exceeded for project probe-budget",
    ),
    (
        500,
        {"detail": "Task failed: Process exited with code 1\nStderr: boom"},
        TaskFailedError,
        "Task failed: Process exited with code 1\nStderr: boom",
    ),
    (
        500,
        {
            "detail": "Task failed: Failed to parse JSON output: Expecting value: line 1 column 1"
            " (char 0)\nOutput: this is not json\n"
        },
        TaskFailedError,
        "Task failed: Failed to parse JSON output: Expecting value: line 1 column 1 (char 0)\n"
        "Output: this is not json\n",
    ),
    (
        500,
        {"detail": "Task failed: Task timed out after 2.0 seconds"},
        TaskFailedError,
        "Task failed: Task timed out after 2.0 seconds",
    ),
    (500, "Internal Server Error", ServerError, "Internal Server Error"),
    (
        400,
        {"detail": "Invalid period: year. Use 'month', 'week', or 'day'"},
        BadRequestError,
        "Invalid period: year. Use 'month', 'week', or 'day'",
    ),
    (404, {"detail": "Not Found"}, NotFoundError, "Not Found"),
    (405, {"detail": "Method Not Allowed"}, APIStatusError, "Method Not Allowed"),
    (502, "Bad Gateway", ServerError, "Bad Gateway"),
    (503, {"detail": "Service Unavailable"}, ServerError, "Service Unavailable"),
    (422, MISSING_MESSAGES, ValidationError, "body.messages: Field required"),
]


def _error(status: int, body: Any, method: str = "POST") -> APIStatusError:
    content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    return error_from_response(status, content, JSON, method, URL)


@pytest.mark.parametrize(("status", "body", "cls", "detail"), REAL_ERRORS)
def test_each_real_answer_maps_to_its_class(
    status: int, body: Any, cls: type[APIStatusError], detail: str
) -> None:
    error = _error(status, body)
    assert type(error) is cls
    assert isinstance(error, ClaudeAPIError)
    assert (error.status_code, error.body, error.detail) == (status, body, detail)
    assert (error.method, error.url) == ("POST", URL)
    assert f"HTTP {status} from POST {URL}" in str(error)


def test_budget_text_is_a_budget_error() -> None:
    assert error_class_for(429, "Budget exceeded for project probe-budget") is BudgetExceededError


def test_rate_limit_text_is_a_rate_limit_error() -> None:
    assert error_class_for(429, "Rate limit exceeded. Please try again later.") is RateLimitError


def test_task_failed_is_a_server_error() -> None:
    assert issubclass(TaskFailedError, ServerError)
    assert error_class_for(500, "Task failed: x") is TaskFailedError
    assert error_class_for(500, "Internal Server Error") is ServerError
    assert error_class_for(504, "Task failed: x") is ServerError


def test_no_key_hint_names_the_environment_variable() -> None:
    error = _error(403, {"detail": "Not authenticated"})
    assert "CLAUDE_CODE_API_KEY" in str(error)
    assert "api_key=" in str(error)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (MISSING_MESSAGES, (FieldError(("body", "messages"), "Field required", "missing"),)),
        (
            TIMEOUT_TOO_SMALL,
            (
                FieldError(
                    ("body", "timeout"),
                    "Input should be greater than or equal to 1",
                    "greater_than_equal",
                ),
            ),
        ),
        (INVALID_JSON, (FieldError(("body", 1), "JSON decode error", "json_invalid"),)),
        ({"detail": "odd"}, ()),
        ("not json", ()),
    ],
)
def test_validation_error_carries_the_field_errors(
    body: Any, expected: tuple[FieldError, ...]
) -> None:
    error = _error(422, body)
    assert isinstance(error, ValidationError)
    assert error.errors == expected


def test_status_errors_survive_pickling() -> None:
    error = _error(422, TIMEOUT_TOO_SMALL)
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, ValidationError) and isinstance(error, ValidationError)
    assert (copy.status_code, copy.errors, str(copy)) == (422, error.errors, str(error))


@pytest.mark.parametrize(
    ("exc", "cls"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), APIConnectionError),
        (httpx.RemoteProtocolError("Server disconnected"), APIConnectionError),
        (httpx.ReadTimeout("timed out"), TimeoutError),
        (httpx.ConnectTimeout("timed out"), TimeoutError),
    ],
)
def test_transport_failures_become_library_errors(
    exc: httpx.TransportError, cls: type[APIConnectionError]
) -> None:
    error = connection_error_from(exc, "GET", URL)
    assert type(error) is cls
    assert (error.method, error.url) == ("GET", URL)
    assert str(exc) in str(error)


def test_our_timeout_is_also_the_builtin_one() -> None:
    error = connection_error_from(httpx.ReadTimeout("slow"), "POST", URL)
    assert isinstance(error, builtins.TimeoutError)
    assert isinstance(error, APIConnectionError)
    with pytest.raises(builtins.TimeoutError):
        raise error
