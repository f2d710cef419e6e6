"""The one place where what the service says becomes a typed error.

An HTTP error status and its body (``error_from_response``: the two 429s, ``Task failed:``,
the 403s without a key), a network failure (``connection_error_from``), a body that breaks
the contract or the size limit, the WebSocket's ``error`` frames (``error_for_frame``) and its
failures (refused handshake, silence, close or loss before ``done``), and a generation-2 task
that did not complete. The classes themselves are in ``_exceptions``.

No error carries or prints the API key: errors keep the method, the URL (the key never travels
in it) and the response, never the request headers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final, Protocol

import httpx

from claude_client import _exceptions as err
from claude_client._config import ENV_API_KEY, redact_secrets

__all__ = [
    "connection_error_from",
    "error_class_for",
    "error_for_frame",
    "error_from_response",
    "task_error",
    "unsupported_by_service",
]

#: How the service words its two 429s and its failed tasks (service-behaviour.md, section 2).
BUDGET_EXCEEDED_PREFIX: Final = "Budget exceeded"
RATE_LIMIT_PREFIX: Final = "Rate limit exceeded"
TASK_FAILED_PREFIX: Final = "Task failed:"
#: How a WebSocket error frame words a CLI failure (the REST path's "Task failed:").
STREAM_FAILED_PREFIX: Final = "Streaming error:"
#: How the WebSocket words a message type it does not know.
UNKNOWN_MESSAGE_PREFIX: Final = "Unknown message type:"
#: How a task's result words a budget refusal (``status: failed``).
TASK_BUDGET_TEXT: Final = "Insufficient budget"
#: The method of the WebSocket handshake, which every socket error reports.
WEBSOCKET_METHOD: Final = "GET"
#: How much of an unexpected body or frame an error message quotes.
EXCERPT_CHARS: Final = 200
#: The service's two 403 texts for a request without a usable bearer key.
NO_KEY_DETAILS: Final = frozenset({"Not authenticated", "Invalid authentication credentials"})
#: What a timeout or a gateway's 502/504 of a call that runs a task means for the bill.
TASK_MAY_RUN: Final = "the task may still run on the service and be billed"


# --- the mapping --------------------------------------------------------------------------

_BY_STATUS: Final[Mapping[int, type[err.APIStatusError]]] = {
    400: err.BadRequestError,
    401: err.AuthenticationError,
    403: err.PermissionDeniedError,
    404: err.NotFoundError,
    422: err.ValidationError,
}


def error_class_for(status_code: int, detail: str) -> type[err.APIStatusError]:
    """The error class for an error status and its ``detail`` text.

    The only place that tells the two 429s apart: ``Budget exceeded ...`` is a
    ``BudgetExceededError`` (also as a 403, ``/v1/process``'s word for it); any other 429
    (the service says ``Rate limit exceeded. ...``) is a ``RateLimitError``. A 500 whose
    detail starts ``Task failed:`` is a ``TaskFailedError``. A 403 ``Not authenticated`` (or
    ``Invalid authentication credentials``) is a ``MissingCredentialsError``, any other 403 a
    ``PermissionDeniedError``.
    """
    if status_code == 429:
        if detail.startswith(BUDGET_EXCEEDED_PREFIX):
            return err.BudgetExceededError
        return err.RateLimitError
    if status_code == 403 and detail.startswith(BUDGET_EXCEEDED_PREFIX):
        return err.BudgetExceededError  # /v1/process words its budget refusal as a 403
    if status_code >= 500:
        if status_code == 500 and detail.startswith(TASK_FAILED_PREFIX):
            return err.TaskFailedError
        return err.ServerError
    if status_code == 403 and detail in NO_KEY_DETAILS:
        return err.MissingCredentialsError
    return _BY_STATUS.get(status_code, err.APIStatusError)


def parse_body(content: bytes) -> Any:
    """The body as JSON when it is JSON, else as text; a key or bearer token in it (a body
    echoing the request's ``Authorization``) is redacted."""
    text = redact_secrets(content.decode("utf-8", errors="replace"))
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to read: the text
        return text


def _field_errors(body: Any) -> tuple[err.FieldError, ...]:
    items = body.get("detail") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return ()
    errors = []
    for item in items:
        if isinstance(item, dict):
            loc = item.get("loc")
            errors.append(
                err.FieldError(
                    loc=tuple(loc) if isinstance(loc, list) else (),
                    msg=str(item.get("msg", "")),
                    type=str(item.get("type", "")),
                )
            )
    return tuple(errors)


def detail_of(body: Any) -> str:
    """The service's ``detail`` text (or the plain-text body); 422 lists are summarised."""
    if isinstance(body, dict):
        detail = body.get("detail")
        if isinstance(detail, str):
            return detail
        if isinstance(detail, list):
            return "; ".join(
                f"{'.'.join(str(part) for part in e.loc)}: {e.msg}" for e in _field_errors(body)
            )
        return ""
    if isinstance(body, str):
        return body.strip()[:EXCERPT_CHARS]
    return ""


def _message(cls: type[err.APIStatusError], status_code: int, detail: str, where: str) -> str:
    text = detail or httpx.codes.get_reason_phrase(status_code) or "error"
    if cls is err.MissingCredentialsError:
        text = f"{text}: no usable API key was sent; {err.LIBRARY_KEY_HINT}"
    elif cls is err.AuthenticationError:
        text = f"{text}: check the key you passed or {ENV_API_KEY}"
    elif cls is err.ValidationError:
        text = f"The service rejected the request: {text}"
    return f"{text} (HTTP {status_code} from {where})"


def error_from_response(
    status_code: int,
    content: bytes,
    headers: Mapping[str, str],
    method: str,
    url: str,
) -> err.APIStatusError:
    """Build the typed error for an error status and its body (JSON or plain text)."""
    body = parse_body(content)
    detail = detail_of(body)
    cls = error_class_for(status_code, detail)
    message = _message(cls, status_code, detail, f"{method} {url}")
    common: dict[str, Any] = {
        "status_code": status_code,
        "body": body,
        "detail": detail,
        "method": method,
        "url": url,
        "headers": dict(headers),
    }
    if cls is err.ValidationError:
        return err.ValidationError(message, errors=_field_errors(body), **common)
    return cls(message, **common)


_TIMEOUT_WORDS: Final[Mapping[type[httpx.TimeoutException], str]] = {
    httpx.ConnectTimeout: "Timed out connecting for",
    httpx.ReadTimeout: "Timed out waiting for the answer to",
    httpx.WriteTimeout: "Timed out sending",
    httpx.PoolTimeout: "No free connection in the pool within the wait for",
}


def connection_error_from(exc: httpx.RequestError, method: str, url: str) -> err.APIConnectionError:
    """Turn an httpx transport failure into ``APITimeoutError`` or ``APIConnectionError``, caused
    by it (a request httpx could not encode: neither quoted nor chained, see below)."""
    error: err.APIConnectionError
    if isinstance(exc, httpx.LocalProtocolError):
        # h11 quotes the offending header value, which may be a credential.
        error = err.APIConnectionError(
            f"Could not send {method} {url}: the request is not valid HTTP (LocalProtocolError, "
            "e.g. a header value with a character HTTP forbids; details withheld: they may quote "
            "a credential)",
            method=method,
            url=url,
        )
        error.__suppress_context__ = True
        return error
    reason = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        words = _TIMEOUT_WORDS.get(type(exc), "Timed out on")
        cls = err.PoolTimeoutError if isinstance(exc, httpx.PoolTimeout) else err.APITimeoutError
        error = cls(f"{words} {method} {url} ({reason})", method=method, url=url)
    else:
        error = err.APIConnectionError(
            f"Connection failed for {method} {url}: {type(exc).__name__}: {reason}",
            method=method,
            url=url,
        )
    # Raised later, outside the ``except``: chain explicitly so tracebacks show httpx's error.
    error.__cause__ = exc
    return error


def malformed_response(
    status_code: int, method: str, url: str, content: bytes, cause: BaseException
) -> err.MalformedResponseError:
    """Build the error for a 2xx answer whose body could not be read as the contract says."""
    excerpt = redact_secrets(content[:EXCERPT_CHARS].decode("utf-8", errors="replace"))
    reason = redact_secrets(f"{type(cause).__name__}: {cause}")
    return err.MalformedResponseError(
        f"Malformed response to {method} {url} (HTTP {status_code}): {reason}; "
        f"body starts {excerpt!r}",
        status_code=status_code,
        method=method,
        url=url,
        body_excerpt=excerpt,
    )


def response_too_large(
    status_code: int, method: str, url: str, limit: int, declared: int | None = None
) -> err.ResponseTooLargeError:
    """Build the error for an answer past the client's body limit (``declared``: its
    ``Content-Length``, when that alone was over the limit)."""
    size = f"Content-Length {declared} bytes" if declared is not None else "the body"
    return err.ResponseTooLargeError(
        f"The answer to {method} {url} (HTTP {status_code}) is larger than max_response_bytes "
        f"({size}, over {limit} bytes): not the service's (its answers are kilobytes); "
        "raise max_response_bytes= if such answers are expected",
        status_code=status_code,
        method=method,
        url=url,
        limit=limit,
    )


# --- the WebSocket ---------------------------------------------------------------------------

#: Error frame prefixes -> (error class, the HTTP status the REST path uses for the same).
_ERROR_FRAMES: Final[tuple[tuple[str, type[err.APIStatusError], int], ...]] = (
    (BUDGET_EXCEEDED_PREFIX, err.BudgetExceededError, 429),
    # Generation 1 does not know the agentic message.
    (f"{UNKNOWN_MESSAGE_PREFIX} agentic_task", err.UnsupportedByServiceError, 404),
    ("api_key required", err.PermissionDeniedError, 403),
    ("Permission denied:", err.PermissionDeniedError, 403),
    ("Task execution error:", err.TaskFailedError, 500),
    ("Invalid model", err.ValidationError, 422),
    ("No messages provided", err.ValidationError, 422),
    ("Invalid JSON format", err.ValidationError, 422),
    (UNKNOWN_MESSAGE_PREFIX, err.ValidationError, 422),
    (STREAM_FAILED_PREFIX, err.TaskFailedError, 500),
    ("Server error:", err.ServerError, 500),
)


class _ErrorFrame(Protocol):
    """An ``error`` frame's event (``ErrorEvent``), as far as mapping it needs."""

    @property
    def message(self) -> str: ...


def error_for_frame(event: _ErrorFrame, url: str) -> err.APIStatusError:
    """The typed error for an ``error`` frame: the same classes as the HTTP path.

    ``Budget exceeded ...`` -> ``BudgetExceededError``; ``Invalid model ...`` and the other
    rejected-request texts -> ``ValidationError``; ``Streaming error: ...`` (the CLI failed)
    -> ``TaskFailedError``, a ``ServerError``; ``Server error: ...`` and unknown texts ->
    ``ServerError``. ``status_code`` is the status the REST path answers for the same case.
    """
    message = event.message
    cls: type[err.APIStatusError] = err.ServerError
    status = 500
    for prefix, frame_cls, frame_status in _ERROR_FRAMES:
        if message.startswith(prefix):
            cls, status = frame_cls, frame_status
            break
    if cls is err.UnsupportedByServiceError:
        message = f"{message}: the service is older than generation 2, which added it"
    return cls(
        f"{message} (error frame from {url})",
        status_code=status,
        body={"type": "error", "error": message},
        detail=message,
        method=WEBSOCKET_METHOD,
        url=url,
    )


def websocket_refusal(response: httpx.Response, content: bytes, url: str) -> err.ClaudeAPIError:
    """The error for a handshake answered with something else than ``101``."""
    status = response.status_code
    if status >= 400:
        return error_from_response(status, content, response.headers, WEBSOCKET_METHOD, url)
    return err.StreamError(f"The service answered HTTP {status} instead of a WebSocket ({url})")


def websocket_lost_refusal(
    response: httpx.Response, exc: httpx.RequestError, url: str
) -> err.ClaudeAPIError:
    """The error for a refused handshake whose body could not be read in full."""
    if isinstance(exc, httpx.DecodingError):  # the status still says what went wrong
        return websocket_refusal(response, b"", url)
    return connection_error_from(exc, WEBSOCKET_METHOD, url)


def websocket_closed(code: int | None, url: str) -> err.StreamError:
    """The error for a socket the peer closed (or that ended) before the stream finished."""
    return err.StreamError(
        f"The WebSocket closed before the stream finished (close code {code}) ({url})"
    )


def websocket_timeout(wait: float, url: str) -> err.APITimeoutError:
    """The error for a socket silent for longer than ``wait`` seconds."""
    return err.APITimeoutError(
        f"No stream frame within {wait:g} s ({WEBSOCKET_METHOD} {url})",
        method=WEBSOCKET_METHOD,
        url=url,
    )


def websocket_dropped(exc: BaseException, url: str) -> err.StreamError:
    """The error for a socket whose connection was lost before the stream finished."""
    return err.StreamError(
        f"The WebSocket connection was lost before the stream finished "
        f"({type(exc).__name__}: {exc}) ({url})"
    )


# --- generation 2 ----------------------------------------------------------------------------


def unsupported_by_service(
    error: err.NotFoundError, operation: str
) -> err.UnsupportedByServiceError:
    """The error for a generation-2 operation answered by a generic 404 (no such route)."""
    fields = ("status_code", "body", "detail", "method", "url", "headers")
    unsupported = err.UnsupportedByServiceError(
        f"The service does not offer {operation}: it answered 404 Not Found for "
        f"{error.method} {error.url}, so it is older than generation 2 (which added it)",
        **{name: getattr(error, name) for name in fields},
    )
    unsupported.request_id = error.request_id
    return unsupported


#: A task's status -> its error class (``failed`` for a budget refusal: see ``task_error``).
_TASK_ERRORS: Final[Mapping[str, type[err.TaskError]]] = {
    "failed": err.TaskExecutionError,
    "timeout": err.TaskTimeoutError,
    "cost_exceeded": err.TaskCostExceededError,
}


def task_error(status: str, error: str | None, result: Any, where: str) -> err.TaskError:
    """The typed error of a task that did not complete, carrying its result.

    ``failed`` with ``Insufficient budget`` (nothing ran) is a ``TaskBudgetExceededError``,
    which is also a ``BudgetExceededError``.
    """
    text = error or status
    message = f"The task ended {status!r}: {text} ({where})"
    exc: err.TaskError
    if status == "failed" and text.startswith(TASK_BUDGET_TEXT):
        exc = err.TaskBudgetExceededError(
            message, status_code=200, body=None, detail=text, method="", url=where
        )
    else:
        exc = _TASK_ERRORS.get(status, err.TaskExecutionError)(message)
    exc.result = result
    exc.request_id = getattr(result, "request_id", None)
    return exc
