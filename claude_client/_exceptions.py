"""The exception hierarchy: every public error class, and what each one means.

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

Which answer, text or failure becomes which of these is decided in ``_error_mapping`` (which
also says what an error keeps, never the API key).
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any, Final

import attrs

import claude_client
from claude_client._config import ENV_API_KEY

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
]

#: How a library user passes a key (the CLI says it its own way).
LIBRARY_KEY_HINT: Final = f"pass api_key=... to the client or set {ENV_API_KEY}"


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


# Show the public names here as claude_client.X (the package adopts them; see its _adopt).
claude_client._adopt(__name__)
