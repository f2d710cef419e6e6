"""The public names live at ``claude_client``: their module, tracebacks, pickling and copying."""

from __future__ import annotations

import copy
import json
import pickle
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from claude_code_api import models as g

import claude_client
from claude_client import (
    BatchItem,
    ClaudeAPIError,
    DoneEvent,
    ErrorEvent,
    FieldError,
    Message,
    Model,
    StreamedResponse,
    StreamError,
    TokenEvent,
    Usage,
)
from claude_client._error_mapping import (
    connection_error_from,
    error_from_response,
    malformed_response,
)
from claude_client._models import (
    batch_response_from,
    health_from,
    route_from,
    usage_stats_from,
)
from tests.unit.conftest import (
    BATCH_BODY,
    BUDGET_EXCEEDED,
    CHAT_RESULT,
    HEALTH_BODY,
    RATE_LIMITED,
    ROUTE_BODY,
    TASK_FAILED,
    USAGE_BODY,
)

URL = "http://service.test/v1/chat/completions"
JSON = {"content-type": "application/json"}

_CLASSES = sorted(
    name for name in claude_client.__all__ if isinstance(getattr(claude_client, name), type)
)


def _status_error(status: int, body: Any) -> ClaudeAPIError:
    return error_from_response(status, json.dumps(body).encode(), JSON, "POST", URL)


#: One error of each kind a call can raise, as the client builds them.
_ERRORS: list[ClaudeAPIError] = [
    _status_error(400, {"detail": "Invalid period: year"}),
    _status_error(401, {"detail": "Invalid or revoked API key"}),
    _status_error(403, {"detail": "Not authenticated"}),
    _status_error(404, {"detail": "Not Found"}),
    _status_error(422, {"detail": [{"loc": ["body", "timeout"], "msg": "too small"}]}),
    _status_error(429, RATE_LIMITED),
    _status_error(429, BUDGET_EXCEEDED),
    _status_error(500, TASK_FAILED),
    _status_error(503, {"detail": "Service Unavailable"}),
    connection_error_from(httpx.ConnectError("[Errno 111] Connection refused"), "POST", URL),
    connection_error_from(httpx.ReadTimeout("timed out"), "POST", URL),
    malformed_response(200, "POST", URL, b"<html>oops</html>", ValueError("not JSON")),
    StreamError("the socket closed before done"),
]

#: Results and events (``UsageStats`` and ``HealthStatus`` hold read-only dicts, which pickle).
_RESULTS: list[object] = [
    CHAT_RESULT,
    batch_response_from(g.BatchResponse.from_dict(BATCH_BODY)),
    route_from(g.RouteResponse.from_dict(ROUTE_BODY)),
    usage_stats_from(g.UsageResponse.from_dict(USAGE_BODY)),
    health_from(g.HealthResponse.from_dict(HEALTH_BODY)),
    Message("user", "hi"),
    Usage(7, 38, 45),
    BatchItem("a", "hi"),
    FieldError(("body", "timeout"), "too small", ""),
    TokenEvent("Hel"),
    DoneEvent(Usage(7, 38, 45), 0.001, "haiku"),
    ErrorEvent("Budget exceeded for project p"),
    StreamedResponse("haiku", "Hello", Usage(7, 38, 45), 0.001, "p"),
    Model.HAIKU,
]

_COPIES: dict[str, Callable[[Any], Any]] = {
    "pickle": lambda value: pickle.loads(pickle.dumps(value)),
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
}


@pytest.mark.parametrize("name", _CLASSES)
def test_each_exported_class_shows_the_package_as_its_module(name: str) -> None:
    cls = getattr(claude_client, name)
    assert cls.__module__ == "claude_client"
    # pickle looks a class up by module and qualified name: it must be found there.
    assert getattr(claude_client, cls.__qualname__) is cls


def test_a_traceback_shows_the_public_name() -> None:
    error = _status_error(429, RATE_LIMITED)
    last_line = traceback.format_exception_only(error)[-1]
    assert last_line.startswith("claude_client.RateLimitError: ")
    assert repr(claude_client.ClaudeClient) == "<class 'claude_client.ClaudeClient'>"


@pytest.mark.parametrize("how", sorted(_COPIES))
@pytest.mark.parametrize("error", _ERRORS, ids=lambda error: type(error).__name__)
def test_errors_survive_pickling_and_copying(error: ClaudeAPIError, how: str) -> None:
    twin = _COPIES[how](error)
    assert type(twin) is type(error)
    assert str(twin) == str(error)
    assert vars(twin) == vars(error)


@pytest.mark.parametrize("how", sorted(_COPIES))
@pytest.mark.parametrize("result", _RESULTS, ids=lambda result: type(result).__name__)
def test_results_survive_pickling_and_copying(result: object, how: str) -> None:
    twin = _COPIES[how](result)
    assert type(twin) is type(result)
    assert twin == result
