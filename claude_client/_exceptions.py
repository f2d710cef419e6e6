"""The exception hierarchy, and the one place where an HTTP answer becomes an error.

```
ClaudeAPIError
├── APIStatusError (status_code, body, detail, method, url, headers)
│   ├── BadRequestError (400)
│   ├── AuthenticationError (401)
│   │   └── MissingCredentialsError (403 "Not authenticated": no usable key sent)
│   ├── PermissionDeniedError (403)
│   ├── NotFoundError (404)
│   │   └── UnsupportedByServiceError (a generation-2 operation on an older service)
│   ├── ValidationError (422, .errors)
│   ├── BudgetExceededError (429 "Budget exceeded for project ...", /v1/process's 403)
│   │   └── TaskBudgetExceededError (also a TaskError: /v1/task's 200 "failed")
│   ├── RateLimitError (429 "Rate limit exceeded. ...")
│   └── ServerError (5xx)
│       └── TaskFailedError (500 "Task failed: ...")
├── APIConnectionError (no HTTP answer: refused, reset, dropped)
│   └── APITimeoutError (alias TimeoutError; also a builtins.TimeoutError)
│       └── PoolTimeoutError (no free pooled connection within the wait)
├── ClientClosedError (a call on a closed client; also a RuntimeError)
├── TaskError (an agentic task ended without completing; .result)
│   ├── TaskExecutionError ("failed")
│   ├── TaskTimeoutError ("timeout")
│   └── TaskCostExceededError ("cost_exceeded": it ran, over max_cost, not charged)
├── MalformedResponseError (a 2xx body that is not what the contract says)
│   └── ResponseTooLargeError (a body past max_response_bytes)
└── StreamError (WebSocket protocol failures)
    └── MalformedFrameError (a frame that breaks the contract; also a MalformedResponseError)
```

The WebSocket's texts map here too: its ``error`` frames (``error_for_frame``) and its
failures (refused handshake, silence, close or loss before ``done``).

No error carries or prints the API key: errors keep the method, the URL (the key never travels
in it) and the response, never the request headers.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Mapping
from typing import Any, Final, Protocol

import attrs
import httpx

from claude_client._config import ENV_API_KEY, redact_secrets

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BudgetExceededError",
    "ClaudeAPIError",
    "ClientClosedError",
    "FieldError",
    "MalformedFrameError",
    "MalformedResponseError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "PoolTimeoutError",
    "ProjectIdIgnoredWarning",
    "RateLimitError",
    "ResponseTooLargeError",
    "ServerError",
    "StreamError",
    "TaskBudgetExceededError",
    "TaskCostExceededError",
    "TaskError",
    "TaskExecutionError",
    "TaskFailedError",
    "TaskTimeoutError",
    "TimeoutError",
    "UnsupportedByServiceError",
    "ValidationError",
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
#: How a library user passes a key (the CLI says it its own way).
LIBRARY_KEY_HINT: Final = f"pass api_key=... to the client or set {ENV_API_KEY}"
#: What a timeout or a gateway's 502/504 of a call that runs a task means for the bill.
TASK_MAY_RUN: Final = "the task may still run on the service and be billed"


class ClaudeAPIError(Exception):
    """Base class of every error this library raises about the service.

    Catch this to handle any failure of a call (an HTTP error status, no answer at all, or an
    answer that does not follow the contract). Invalid arguments raise plain ``ValueError`` /
    ``TypeError`` before any request instead.

    Attributes:
        message: The human-readable explanation (also ``str(error)``).
        request_id: The failed request's ``X-Request-ID`` (the service's echo, else the one
            the client sent; ``None`` for the WebSocket, which has none): quote it when you
            ask the service's operators about a failure.
    """

    request_id: str | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def _amend(self, text: str) -> None:
        """Add ``text`` to the message (and ``str()``), once the client knows more."""
        self.message = f"{self.message}; {text}"
        self.args = (self.message,)


class APIStatusError(ClaudeAPIError):
    """The service answered with an error status (after any retries the policy allowed).

    Attributes:
        status_code: The HTTP status, e.g. ``429``.
        body: The parsed JSON body, or the body text when it is not JSON.
        detail: The service's ``detail`` text (for 422: a summary of the field errors).
        method: The request method, e.g. ``"POST"``.
        url: The request URL.
        headers: The response headers.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 0,
        body: Any = None,
        detail: str = "",
        method: str = "",
        url: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self.detail = detail
        self.method = method
        self.url = url
        self.headers: Mapping[str, str] = headers if headers is not None else {}


class BadRequestError(APIStatusError):
    """400: the service rejected the request, e.g. ``Invalid period: year. ...``."""


class AuthenticationError(APIStatusError):
    """401: the API key is unknown or revoked (``Invalid or revoked API key``)."""


class MissingCredentialsError(AuthenticationError):
    """403 ``Not authenticated`` (or ``Invalid authentication credentials``): no usable API
    key was sent.

    An ``AuthenticationError``, so ``except AuthenticationError`` catches every "your
    credentials are wrong" answer. Pass ``api_key=...`` or set the ``CLAUDE_CODE_API_KEY``
    environment variable (the command line: ``--api-key`` or the variable).

    Attributes:
        hint: How to pass a key, as the message says it.
    """

    hint: str = LIBRARY_KEY_HINT

    def with_hint(self, hint: str) -> str:
        """The message with another hint (the command line's own way to pass a key)."""
        return self.message.replace(self.hint, hint, 1)


class PermissionDeniedError(APIStatusError):
    """403: the service refused the request for another reason than a missing key."""


class NotFoundError(APIStatusError):
    """404: no such path on the service (a wrong base URL, or an older service)."""


class UnsupportedByServiceError(NotFoundError):
    """A generation-2 operation (``execute_task``, ``process``, ...) sent to an older service.

    The service answered 404 ``Not Found`` for a path (or ``Unknown message type`` for a
    WebSocket message) that generation 2 serves: it runs generation 1, which lacks it.
    """


@attrs.frozen
class FieldError:
    """One entry of a 422 answer: which field failed and why.

    Attributes:
        loc: Where the error is, e.g. ``("body", "timeout")``.
        msg: What is wrong, e.g. ``"Input should be greater than or equal to 1"``.
        type: The validator's error type, e.g. ``"greater_than_equal"``.
    """

    loc: tuple[str | int, ...]
    msg: str
    type: str


class ValidationError(APIStatusError):
    """422: the service's schema validation rejected the request.

    Attributes:
        errors: The field errors, in the service's order.
    """

    def __init__(self, message: str, *, errors: tuple[FieldError, ...] = (), **kw: Any) -> None:
        super().__init__(message, **kw)
        self.errors = errors


class BudgetExceededError(APIStatusError):
    """The project's monthly token budget is spent: never retried (it will not change before
    the budget is raised or the month ends).

    The service says so differently on each path, all of them this error: 429 ``Budget
    exceeded for project ...`` (chat), 403 with the same text (``/v1/process``), an ``error``
    frame (WebSocket chat), and a task that ends ``failed`` with ``Insufficient budget``
    (``TaskBudgetExceededError``, which also carries the task's result).
    """


class RateLimitError(APIStatusError):
    """429 ``Rate limit exceeded``: the key's per-minute request limit is used up.

    Retried only when the window opens within ``max_retry_delay`` (the limit resets at the
    next calendar minute); otherwise raised at once.

    Attributes:
        retry_after: Seconds until the rate-limit window opens (from the answer's
            ``Retry-After`` or ``Date``), when the client knows.
    """

    retry_after: float | None = None

    def set_retry_after(self, seconds: float) -> None:
        """Record when the window opens, and say it in the message."""
        self.retry_after = seconds
        self._amend(f"the rate-limit window opens in {seconds:.1f} s (retry_after)")


class ServerError(APIStatusError):
    """5xx: the service (or a gateway before it) failed.

    503 is retried; 502 and 504 too, except for calls that run a task (the task may still run
    behind the gateway); see ``TaskFailedError`` for 500.
    """


class TaskFailedError(ServerError):
    """500 ``Task failed: ...``: the task ran on the server and failed or timed out there.

    Not retried unless ``retry_on_task_failure=True``: a retry runs (and bills) the task again.
    """


class TaskError(ClaudeAPIError):
    """An agentic task (``execute_task``, ``stream_task``) ended without completing.

    Attributes:
        result: The task's ``TaskResult`` (its status, error, output, usage and cost).
    """

    result: Any = None


class TaskExecutionError(TaskError):
    """The task ended ``failed`` (for a budget refusal: ``TaskBudgetExceededError``)."""


class TaskTimeoutError(TaskError):
    """The task ended ``timeout``: it ran out of its time limit on the service."""


class TaskCostExceededError(TaskError):
    """The task ran, cost more than its ``max_cost``, and was not charged (``cost_exceeded``).

    Its output so far (at most 500 characters) is in ``result.output``.
    """


class TaskBudgetExceededError(BudgetExceededError, TaskError):
    """The task was refused for its project's budget (``failed``, ``Insufficient budget``);
    nothing ran. A ``BudgetExceededError`` and a ``TaskError`` (with ``result``)."""


class APIConnectionError(ClaudeAPIError):
    """No HTTP answer: connection refused or reset, or the connection dropped mid-answer.

    Attributes:
        method: The request method.
        url: The request URL.
    """

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        super().__init__(message)
        self.method = method
        self.url = url


class APITimeoutError(APIConnectionError, builtins.TimeoutError):
    """The request timed out (connecting, sending, or waiting for the answer).

    Also importable as ``TimeoutError`` (the seed client's name, the same class), and a
    ``builtins.TimeoutError``, so ``except TimeoutError`` works either way.
    """


TimeoutError = APITimeoutError
"""The seed client's name of ``APITimeoutError``: the same class."""


class PoolTimeoutError(APITimeoutError):
    """No free pooled connection within the call's wait: every connection is busy.

    Never retried (a retry at once meets the same full pool): lower the concurrency, or give
    your own ``http_client`` larger ``httpx.Limits``.
    """


class ClientClosedError(ClaudeAPIError, RuntimeError):
    """A call on a client after ``close()`` (or a ``with_options`` copy of a closed client).

    Also a ``RuntimeError``, as httpx's own error for it was.
    """


class MalformedResponseError(ClaudeAPIError):
    """A successful status whose body does not follow the contract.

    HTML instead of JSON, truncated JSON, a missing field or a field of the wrong type.

    Attributes:
        status_code: The HTTP status (2xx).
        method: The request method.
        url: The request URL.
        body_excerpt: The start of the body (at most 200 characters).
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int = 0,
        method: str = "",
        url: str = "",
        body_excerpt: str = "",
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.method = method
        self.url = url
        self.body_excerpt = body_excerpt


class ResponseTooLargeError(MalformedResponseError):
    """An answer larger than the client's ``max_response_bytes`` (default 64 MiB).

    The service's answers are kilobytes, so such a body does not come from it (a proxy, a
    wrong URL, a hostile server). The client reads no more of it than the limit: it refuses a
    ``Content-Length`` over the limit before reading, and stops a body that grows past it.
    Never retried. ``status_code`` is the answer's status (any, not only 2xx).

    Attributes:
        limit: The limit in bytes that was exceeded.
    """

    def __init__(self, message: str, *, limit: int = 0, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.limit = limit


class StreamError(ClaudeAPIError):
    """The WebSocket stream broke its protocol (closed before ``done``, a malformed frame)."""


class MalformedFrameError(StreamError, MalformedResponseError):
    """A stream frame that breaks the contract (not JSON, too deeply nested, an unknown type, a
    missing field, a count or cost that is negative or not finite).

    Both a ``StreamError`` (the stream broke) and a ``MalformedResponseError`` (the service's
    data broke the contract, as on the REST path), so either ``except`` catches it.
    """


class ProjectIdIgnoredWarning(UserWarning):
    """A ``project_id`` was given (as the seed client took it), but the key's project is billed.

    The service bills the API key's project and ignores a ``project_id`` in a request, so the
    client accepts the seed's argument, never sends it, and warns once per client and value.
    To bill another project, use a key of that project. Silence it with
    ``warnings.simplefilter("ignore", claude_client.ProjectIdIgnoredWarning)``.
    """


# --- the mapping --------------------------------------------------------------------------

_BY_STATUS: Final[Mapping[int, type[APIStatusError]]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: ValidationError,
}


def error_class_for(status_code: int, detail: str) -> type[APIStatusError]:
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
            return BudgetExceededError
        return RateLimitError
    if status_code == 403 and detail.startswith(BUDGET_EXCEEDED_PREFIX):
        return BudgetExceededError  # /v1/process words its budget refusal as a 403
    if status_code >= 500:
        if status_code == 500 and detail.startswith(TASK_FAILED_PREFIX):
            return TaskFailedError
        return ServerError
    if status_code == 403 and detail in NO_KEY_DETAILS:
        return MissingCredentialsError
    return _BY_STATUS.get(status_code, APIStatusError)


def parse_body(content: bytes) -> Any:
    """The body as JSON when it is JSON, else as text; a key or bearer token in it (a body
    echoing the request's ``Authorization``) is redacted."""
    text = redact_secrets(content.decode("utf-8", errors="replace"))
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to read: the text
        return text


def _field_errors(body: Any) -> tuple[FieldError, ...]:
    items = body.get("detail") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return ()
    errors = []
    for item in items:
        if isinstance(item, dict):
            loc = item.get("loc")
            errors.append(
                FieldError(
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


def _message(cls: type[APIStatusError], status_code: int, detail: str, where: str) -> str:
    text = detail or httpx.codes.get_reason_phrase(status_code) or "error"
    if cls is MissingCredentialsError:
        text = f"{text}: no usable API key was sent; {LIBRARY_KEY_HINT}"
    elif cls is AuthenticationError:
        text = f"{text}: check the key you passed or {ENV_API_KEY}"
    elif cls is ValidationError:
        text = f"The service rejected the request: {text}"
    return f"{text} (HTTP {status_code} from {where})"


def error_from_response(
    status_code: int,
    content: bytes,
    headers: Mapping[str, str],
    method: str,
    url: str,
) -> APIStatusError:
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
    if cls is ValidationError:
        return ValidationError(message, errors=_field_errors(body), **common)
    return cls(message, **common)


_TIMEOUT_WORDS: Final[Mapping[type[httpx.TimeoutException], str]] = {
    httpx.ConnectTimeout: "Timed out connecting for",
    httpx.ReadTimeout: "Timed out waiting for the answer to",
    httpx.WriteTimeout: "Timed out sending",
    httpx.PoolTimeout: "No free connection in the pool within the wait for",
}


def connection_error_from(exc: httpx.RequestError, method: str, url: str) -> APIConnectionError:
    """Turn an httpx transport failure into ``APITimeoutError`` or ``APIConnectionError``, caused
    by it (a request httpx could not encode: neither quoted nor chained, see below)."""
    error: APIConnectionError
    if isinstance(exc, httpx.LocalProtocolError):
        # h11 quotes the offending header value, which may be a credential.
        error = APIConnectionError(
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
        cls = PoolTimeoutError if isinstance(exc, httpx.PoolTimeout) else APITimeoutError
        error = cls(f"{words} {method} {url} ({reason})", method=method, url=url)
    else:
        error = APIConnectionError(
            f"Connection failed for {method} {url}: {type(exc).__name__}: {reason}",
            method=method,
            url=url,
        )
    # Raised later, outside the ``except``: chain explicitly so tracebacks show httpx's error.
    error.__cause__ = exc
    return error


def malformed_response(
    status_code: int, method: str, url: str, content: bytes, cause: BaseException
) -> MalformedResponseError:
    """Build the error for a 2xx answer whose body could not be read as the contract says."""
    excerpt = redact_secrets(content[:EXCERPT_CHARS].decode("utf-8", errors="replace"))
    reason = redact_secrets(f"{type(cause).__name__}: {cause}")
    return MalformedResponseError(
        f"Malformed response to {method} {url} (HTTP {status_code}): {reason}; "
        f"body starts {excerpt!r}",
        status_code=status_code,
        method=method,
        url=url,
        body_excerpt=excerpt,
    )


def response_too_large(
    status_code: int, method: str, url: str, limit: int, declared: int | None = None
) -> ResponseTooLargeError:
    """Build the error for an answer past the client's body limit (``declared``: its
    ``Content-Length``, when that alone was over the limit)."""
    size = f"Content-Length {declared} bytes" if declared is not None else "the body"
    return ResponseTooLargeError(
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
_ERROR_FRAMES: Final[tuple[tuple[str, type[APIStatusError], int], ...]] = (
    (BUDGET_EXCEEDED_PREFIX, BudgetExceededError, 429),
    # Generation 1 does not know the agentic message.
    (f"{UNKNOWN_MESSAGE_PREFIX} agentic_task", UnsupportedByServiceError, 404),
    ("api_key required", PermissionDeniedError, 403),
    ("Permission denied:", PermissionDeniedError, 403),
    ("Task execution error:", TaskFailedError, 500),
    ("Invalid model", ValidationError, 422),
    ("No messages provided", ValidationError, 422),
    ("Invalid JSON format", ValidationError, 422),
    (UNKNOWN_MESSAGE_PREFIX, ValidationError, 422),
    (STREAM_FAILED_PREFIX, TaskFailedError, 500),
    ("Server error:", ServerError, 500),
)


class _ErrorFrame(Protocol):
    """An ``error`` frame's event (``ErrorEvent``), as far as mapping it needs."""

    @property
    def message(self) -> str: ...


def error_for_frame(event: _ErrorFrame, url: str) -> APIStatusError:
    """The typed error for an ``error`` frame: the same classes as the HTTP path.

    ``Budget exceeded ...`` -> ``BudgetExceededError``; ``Invalid model ...`` and the other
    rejected-request texts -> ``ValidationError``; ``Streaming error: ...`` (the CLI failed)
    -> ``TaskFailedError``, a ``ServerError``; ``Server error: ...`` and unknown texts ->
    ``ServerError``. ``status_code`` is the status the REST path answers for the same case.
    """
    message = event.message
    cls: type[APIStatusError] = ServerError
    status = 500
    for prefix, frame_cls, frame_status in _ERROR_FRAMES:
        if message.startswith(prefix):
            cls, status = frame_cls, frame_status
            break
    if cls is UnsupportedByServiceError:
        message = f"{message}: the service is older than generation 2, which added it"
    return cls(
        f"{message} (error frame from {url})",
        status_code=status,
        body={"type": "error", "error": message},
        detail=message,
        method=WEBSOCKET_METHOD,
        url=url,
    )


def websocket_refusal(response: httpx.Response, content: bytes, url: str) -> ClaudeAPIError:
    """The error for a handshake answered with something else than ``101``."""
    status = response.status_code
    if status >= 400:
        return error_from_response(status, content, response.headers, WEBSOCKET_METHOD, url)
    return StreamError(f"The service answered HTTP {status} instead of a WebSocket ({url})")


def websocket_lost_refusal(
    response: httpx.Response, exc: httpx.RequestError, url: str
) -> ClaudeAPIError:
    """The error for a refused handshake whose body could not be read in full."""
    if isinstance(exc, httpx.DecodingError):  # the status still says what went wrong
        return websocket_refusal(response, b"", url)
    return connection_error_from(exc, WEBSOCKET_METHOD, url)


def websocket_closed(code: int | None, url: str) -> StreamError:
    """The error for a socket the peer closed (or that ended) before the stream finished."""
    return StreamError(
        f"The WebSocket closed before the stream finished (close code {code}) ({url})"
    )


def websocket_timeout(wait: float, url: str) -> APITimeoutError:
    """The error for a socket silent for longer than ``wait`` seconds."""
    return APITimeoutError(
        f"No stream frame within {wait:g} s ({WEBSOCKET_METHOD} {url})",
        method=WEBSOCKET_METHOD,
        url=url,
    )


def websocket_dropped(exc: BaseException, url: str) -> StreamError:
    """The error for a socket whose connection was lost before the stream finished."""
    return StreamError(
        f"The WebSocket connection was lost before the stream finished "
        f"({type(exc).__name__}: {exc}) ({url})"
    )


# --- generation 2 ----------------------------------------------------------------------------


def unsupported_by_service(error: NotFoundError, operation: str) -> UnsupportedByServiceError:
    """The error for a generation-2 operation answered by a generic 404 (no such route)."""
    fields = ("status_code", "body", "detail", "method", "url", "headers")
    unsupported = UnsupportedByServiceError(
        f"The service does not offer {operation}: it answered 404 Not Found for "
        f"{error.method} {error.url}, so it is older than generation 2 (which added it)",
        **{name: getattr(error, name) for name in fields},
    )
    unsupported.request_id = error.request_id
    return unsupported


#: A task's status -> its error class (``failed`` for a budget refusal: see ``task_error``).
_TASK_ERRORS: Final[Mapping[str, type[TaskError]]] = {
    "failed": TaskExecutionError,
    "timeout": TaskTimeoutError,
    "cost_exceeded": TaskCostExceededError,
}


def task_error(status: str, error: str | None, result: Any, where: str) -> TaskError:
    """The typed error of a task that did not complete, carrying its result.

    ``failed`` with ``Insufficient budget`` (nothing ran) is a ``TaskBudgetExceededError``,
    which is also a ``BudgetExceededError``.
    """
    text = error or status
    message = f"The task ended {status!r}: {text} ({where})"
    exc: TaskError
    if status == "failed" and text.startswith(TASK_BUDGET_TEXT):
        exc = TaskBudgetExceededError(
            message, status_code=200, body=None, detail=text, method="", url=where
        )
    else:
        exc = _TASK_ERRORS.get(status, TaskExecutionError)(message)
    exc.result = result
    exc.request_id = getattr(result, "request_id", None)
    return exc
