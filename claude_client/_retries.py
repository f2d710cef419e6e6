"""The retry policy: pure (no I/O), the one place the retry rules are written down.

``RetryPolicy`` decides, without I/O, whether an attempt's outcome is retried and after how
long. The retry table (what is retried, never retried or only on opt-in, and how long the
client waits) is written once, in ``RetryPolicy``'s docstring (on the reference site:
API reference > Clients > RetryPolicy). ``_retry_transport`` applies it to every request.
"""

from __future__ import annotations

import enum
import math
import ssl
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Final

import attrs
import httpx

import claude_client
from claude_client import _config
from claude_client._error_mapping import error_class_for
from claude_client._exceptions import RateLimitError

__all__ = [
    "ExceptionKind",
    "Outcome",
    "RetryDecision",
    "RetryPolicy",
]

#: The service counts rate limits per calendar minute.
RATE_LIMIT_WINDOW: Final = 60.0
#: Spread of the extra wait after a rate-limit window boundary, in seconds.
RATE_LIMIT_JITTER: Final = 1.0


class ExceptionKind(enum.Enum):
    """What a network failure says about whether the server saw the request."""

    NOT_SENT = "not sent"
    """The request never reached the server (connect error or timeout)."""
    MAYBE_SENT = "maybe sent"
    """The request may have run (read/write timeout, connection dropped after sending)."""
    POOL_FULL = "pool full"
    """No free pooled connection within the wait: every connection is busy (never sent, but
    retrying at once meets the same full pool)."""
    FATAL = "fatal"
    """Retrying cannot help: not a network problem (bad URL scheme, client protocol error), or
    a server certificate that fails TLS verification."""


def exception_kind(exc: httpx.RequestError) -> ExceptionKind:
    """Classify an httpx transport failure."""
    if isinstance(exc, httpx.ConnectError) and _certificate_rejected(exc):
        return ExceptionKind.FATAL
    if isinstance(exc, httpx.PoolTimeout):
        return ExceptionKind.POOL_FULL
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return ExceptionKind.NOT_SENT
    if isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError):
        return ExceptionKind.MAYBE_SENT
    return ExceptionKind.FATAL


def _certificate_rejected(exc: BaseException) -> bool:
    """Whether the server's TLS certificate failed verification (retrying cannot help).

    Walks the explicit causes, and the implicit context only where httpcore maps an error
    (``httpx -> httpcore -> ssl``, or ``-> trio.BrokenResourceError -> ssl`` under trio): an
    older failure that a caller happens to be handling is not this request's.
    """
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return True
        seen.add(id(cause))
        if cause.__cause__ is not None:
            cause = cause.__cause__
        elif type(cause).__module__.startswith("httpcore"):
            cause = cause.__context__
        else:
            cause = None
    return False


@attrs.frozen
class Outcome:
    """How one attempt ended: an error status (with its detail text) or a network failure.

    Attributes:
        status_code: The HTTP status, or ``None`` for a network failure.
        detail: The error's ``detail`` text (tells the two 429s apart).
        headers: The response headers (``Retry-After``, ``Date``).
        error: The kind of network failure, or ``None`` for an HTTP answer.
    """

    status_code: int | None = None
    detail: str = ""
    headers: Mapping[str, str] = attrs.field(factory=dict)
    error: ExceptionKind | None = None


@attrs.frozen
class RetryDecision:
    """The policy's answer: retry or not, after how long, and why (for the logs)."""

    retry: bool
    delay: float = 0.0
    reason: str = ""


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds to wait per a ``Retry-After`` value (seconds or HTTP date), ``None`` if absent."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - now
        except (TypeError, ValueError, IndexError):
            return None
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def seconds_to_next_minute(date_header: str | None, now: float) -> float:
    """Seconds from the answer's ``Date`` (else ``now``) to the next calendar-minute boundary."""
    stamp = now
    if date_header:
        try:
            stamp = parsedate_to_datetime(date_header).timestamp()
        except (TypeError, ValueError, IndexError):
            stamp = now
    return RATE_LIMIT_WINDOW - (stamp % RATE_LIMIT_WINDOW)


@attrs.frozen
class RetryPolicy:
    """The retry rules, the one place they are written down; pure (no I/O, no own clock).

    On this service a careless retry costs money and can break the server: a retried 500 runs
    the task again (and bills it again), a gateway's 502 or 504 may come while the task still
    runs behind it, and after a server-side timeout every retry leaves one of the service's 5
    worker slots stuck for good. So only what surely did not run is retried, unless
    ``retry_on_task_failure`` says otherwise. Calls are of two kinds: those that run a task
    (``complete()``, ``batch()``, the task endpoints; any ``POST`` sent outside an operation)
    and those that run none (``get_usage()``, ``health()``, ``route()``; any ``GET``):

    | outcome | call that runs a task | call that runs none | why |
    |---|---|---|---|
    | connection refused, connect timeout | retried | retried | never sent |
    | 503 | retried, with backoff | retried, with backoff | the service refused it |
    | 429 ``Rate limit exceeded`` | retried if the window opens within ``max_retry_delay``, else raised at once with ``retry_after`` | same | nothing ran |
    | 502, 504 | **only on opt-in** | retried, with backoff | a gateway gave up: the task may still run |
    | 500 ``Task failed: ...`` or a plain 500 | **only on opt-in** | retried, with backoff | the task ran and failed |
    | read/write timeout, connection dropped after sending | **only on opt-in** | retried | it may have run |
    | 429 ``Budget exceeded for project ...`` | **never** | **never** | not before the budget changes |
    | 400, 401, 403, 404, 422, every other 4xx; 501, 505+ | **never** | **never** | same request, same answer |
    | no free pooled connection within the wait | **never** | **never** | the pool is full: fail fast |
    | the server's TLS certificate fails verification | **never** | **never** | fails the same way again |
    | not a network failure (unsupported URL scheme, client protocol error) | **never** | **never** | no help |

    "Only on opt-in" rows are retried with ``retry_on_task_failure=True`` (each retry may be a
    new task, billed again).

    How long the client waits before a retry:

    - A 429 rate limit: the service counts requests in fixed calendar-minute windows and sends
      no ``Retry-After``, so the window opens at the next minute boundary computed from the
      answer's ``Date`` header (else the local clock); a ``Retry-After`` (seconds or an HTTP
      date) is obeyed instead when a proxy sends one. The call waits for the window (plus up
      to 1 s of jitter after a minute boundary) only if it opens within ``max_retry_delay``
      (8 s by default);
      otherwise ``RateLimitError`` is raised at once, its ``retry_after`` saying how many
      seconds until the window opens. Raise ``max_retry_delay`` (say to 61) to wait windows
      out on single calls; the batch runners wait them out themselves.
    - Another answer with ``Retry-After``: obeyed, capped at ``max_retry_after`` (60 s).
    - Everything else: exponential backoff with full jitter, a random delay between 0 and
      ``min(max_retry_delay, retry_delay * 2 ** n)`` before the n-th retry (n from 0): by
      default at most 0.5 s, 1 s, 2 s.

    ``max_retries`` counts retries, not attempts: at most ``max_retries + 1`` requests per call.
    With ``retry_deadline``, no retry starts whose wait would end after the deadline (seconds
    from the start of the call): the last error is raised instead.

    Attributes:
        max_retries: Retries after the first attempt (0 disables retries; at most 100).
            Default 3.
        retry_delay: Base of the exponential backoff, in seconds. Default 0.5.
        max_retry_delay: Cap of one backoff delay, and the longest rate-limit window a call
            waits for, in seconds. Default 8.
        retry_on_task_failure: Also retry a 500, a 502 or 504, and a read timeout / dropped
            connection of a request that runs a task (it may run, and be billed, twice).
            Default off.
        retry_deadline: Seconds from the start of the call after which no retry starts.
            Default none.
        max_retry_after: Cap of a server-requested ``Retry-After`` wait, in seconds.
            Default 60.

    Raises:
        TypeError: ``max_retries`` is not an integer, or a delay not a number.
        ValueError: a setting is negative, not finite, or over its bound (100 retries; an
            hour for a delay or the deadline).
    """  # noqa: E501 - a table row is one line

    max_retries: int = _config.DEFAULT_MAX_RETRIES
    retry_delay: float = _config.DEFAULT_RETRY_DELAY
    max_retry_delay: float = _config.DEFAULT_MAX_RETRY_DELAY
    retry_on_task_failure: bool = False
    retry_deadline: float | None = None
    max_retry_after: float = _config.MAX_RETRY_AFTER

    def __attrs_post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise TypeError(f"max_retries must be an integer, got {self.max_retries!r}")
        if not 0 <= self.max_retries <= _config.MAX_RETRIES_LIMIT:
            raise ValueError(
                f"max_retries must be between 0 and {_config.MAX_RETRIES_LIMIT}, "
                f"got {self.max_retries}"
            )
        for name in ("retry_delay", "max_retry_delay", "max_retry_after", "retry_deadline"):
            value = getattr(self, name)
            if value is None and name == "retry_deadline":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{name} must be a number of seconds, got {value!r}")
            if not 0 <= value <= _config.MAX_RETRY_SECONDS:
                raise ValueError(
                    f"{name} must be between 0 and {_config.MAX_RETRY_SECONDS:g} seconds, "
                    f"got {value!r}"
                )

    def backoff(self, retries_done: int, rand: float) -> float:
        """Full-jitter exponential backoff before retry number ``retries_done + 1``."""
        ceiling = min(self.max_retry_delay, self.retry_delay * 2.0 ** min(retries_done, 30))
        return ceiling * rand

    @staticmethod
    def rate_limit_window(outcome: Outcome, now: float) -> float:
        """Seconds until a 429's rate-limit window opens: its ``Retry-After``, else the next
        calendar minute of its ``Date`` (else of ``now``)."""
        after = retry_after_seconds(outcome.headers.get("retry-after"), now)
        if after is not None:
            return after
        return seconds_to_next_minute(outcome.headers.get("date"), now)

    def _retryable(self, outcome: Outcome, runs_task: bool) -> tuple[bool, str]:
        task_ok = not runs_task or self.retry_on_task_failure
        if outcome.error is not None:
            if outcome.error is ExceptionKind.NOT_SENT:
                return True, "the request was not sent"
            if outcome.error is ExceptionKind.MAYBE_SENT:
                if task_ok:
                    return True, "no answer"
                return False, "the request may have run (retry_on_task_failure is off)"
            if outcome.error is ExceptionKind.POOL_FULL:
                return False, "no free connection in the pool"
            return False, "not a network failure"
        status = outcome.status_code or 0
        if status == 429:
            if error_class_for(status, outcome.detail) is RateLimitError:
                return True, "rate limited"
            return False, "budget exceeded"
        if status == 503:
            return True, "HTTP 503"
        if status in (502, 504):
            if task_ok:
                return True, f"HTTP {status}"
            return False, f"HTTP {status}: the task may still run (retry_on_task_failure is off)"
        if status == 500:
            if task_ok:
                return True, "HTTP 500"
            return False, "the task ran and failed (retry_on_task_failure is off)"
        return False, f"HTTP {status} is not retried"

    def decide(
        self,
        outcome: Outcome,
        *,
        retries_done: int,
        runs_task: bool,
        now: float,
        elapsed: float,
        rand: float,
    ) -> RetryDecision:
        """Whether to retry after ``outcome``, and after how many seconds.

        Args:
            outcome: How the last attempt ended.
            retries_done: Retries already made for this request (0 after the first attempt).
            runs_task: The request may run a task (see the table above).
            now: Wall-clock time (epoch seconds), for HTTP dates and the rate-limit window.
            elapsed: Seconds since the call started (for ``retry_deadline``).
            rand: A uniform random number in [0, 1), for jitter.
        """
        retryable, reason = self._retryable(outcome, runs_task)
        if not retryable:
            return RetryDecision(False, reason=reason)
        if retries_done >= self.max_retries:
            return RetryDecision(False, reason=f"{reason}; {self.max_retries} retries used")
        if outcome.status_code == 429:
            window = self.rate_limit_window(outcome, now)
            if window > self.max_retry_delay:
                return RetryDecision(
                    False,
                    window,
                    f"{reason}; the window opens in {window:.1f} s, after max_retry_delay",
                )
            delay = window
            if "retry-after" not in outcome.headers:  # many clients wait for the same minute
                delay += rand * RATE_LIMIT_JITTER
        elif (after := retry_after_seconds(outcome.headers.get("retry-after"), now)) is not None:
            delay = min(after, self.max_retry_after)
        else:
            delay = self.backoff(retries_done, rand)
        if self.retry_deadline is not None and elapsed + delay > self.retry_deadline:
            return RetryDecision(False, delay, f"{reason}; the retry would pass the deadline")
        return RetryDecision(True, delay, reason)


# Show the public names here as claude_client.X (the package adopts them; see its _adopt).
claude_client._adopt(__name__)
