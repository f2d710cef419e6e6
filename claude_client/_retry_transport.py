"""The httpx transports that apply ``RetryPolicy`` to every request of the client.

``RetryTransport`` / ``AsyncRetryTransport`` wrap the real transport of the client's
``httpx.Client`` / ``httpx.AsyncClient``, so the generated low-level calls get exactly the same
retries as the high-level methods. The transport reads the whole body itself, so a connection
dropped mid-body is seen (and classified) here, and a body past ``max_response_bytes`` is
refused (``_body``). A final error status is raised as the typed
error of ``claude_client`` (see ``_error_mapping.error_from_response``), and a network failure
that survives the retries as ``APIConnectionError`` / ``TimeoutError``: never a raw httpx
exception. Requests with an ``Upgrade`` header (WebSocket handshakes) pass through untouched.
Every attempt and every retry is logged at DEBUG on the ``claude_client`` logger (method, URL,
status, attempt, delay; never a header).
"""

from __future__ import annotations

import logging
import os
from collections import deque
from typing import Final, Generic, TypeVar, cast

import anyio
import httpx

from claude_client import _clock, _config, _http_clients, _logging, _telemetry
from claude_client._body import aread_within, read_within
from claude_client._calls import CURRENT_CALL, runs_task
from claude_client._clock import Clock
from claude_client._error_mapping import TASK_MAY_RUN, connection_error_from, error_from_response
from claude_client._exceptions import ClaudeAPIError, RateLimitError
from claude_client._pool import check_deadline, deadline
from claude_client._retries import ExceptionKind, Outcome, RetryPolicy, exception_kind

__all__ = [
    "AsyncClientTransport",
    "AsyncRetryTransport",
    "Attempt",
    "ClientTransport",
    "RetryTransport",
]

logger = logging.getLogger("claude_client")

#: A uuid4's fixed bits (RFC 9562): the version, 4, and the variant, 0b10.
_UUID4_KEEP = ~((0xF << 76) | (0x3 << 62))
_UUID4_SET = (0x4 << 76) | (0x2 << 62)


#: Ids made ahead, from one ``os.urandom`` read a batch (one system call for 256 ids, not one
#: each). A deque, whose appends and pops are atomic across threads; emptied in a forked child,
#: which must never send its parent's ids.
_made: deque[str] = deque()
_BATCH: Final = 256
os.register_at_fork(after_in_child=_made.clear)


def _uuid4_text(n: int) -> str:
    h = "%032x" % (n & _UUID4_KEEP | _UUID4_SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def new_request_id() -> str:
    """A new uuid4 string, as ``str(uuid.uuid4())`` makes it (16 bytes of ``os.urandom``, the
    same bits fixed), at a fraction of its CPU on every call: no ``UUID`` object, and the
    random bytes read for a batch of ids at once."""
    while True:
        try:
            return _made.popleft()
        except IndexError:
            raw = os.urandom(16 * _BATCH)
            _made.extend(
                _uuid4_text(int.from_bytes(raw[i : i + 16])) for i in range(0, len(raw), 16)
            )


class Attempt:
    """The bookkeeping of one request across its attempts; shared by both transports."""

    __slots__ = (
        "call",
        "clock",
        "policy",
        "replayable",
        "request",
        "request_id",
        "retries",
        "runs_task",
        "sent",
        "span",
        "start",
        "wait",
    )

    def __init__(self, request: httpx.Request, policy: RetryPolicy, clock: Clock) -> None:
        self.request = request
        self.policy = policy
        self.clock = clock
        self.retries = 0
        self.start = self.sent = clock.monotonic()
        self.span: _telemetry.AttemptSpan | None = None
        # A streamed (generator) body cannot be sent twice.
        self.replayable = isinstance(request.stream, httpx.ByteStream)
        call = self.call = CURRENT_CALL.get()
        # One X-Request-ID for every attempt of the request: the caller's, else a new one.
        # (``in`` first: a third of the cost of ``get`` when it is not there, as on every call.)
        headers = request.headers
        if _config.REQUEST_ID_HEADER in headers:
            request_id = headers[_config.REQUEST_ID_HEADER]
        else:
            request_id = headers[_config.REQUEST_ID_HEADER] = new_request_id()
        self.request_id: str = request_id
        if call is not None:
            call.request_id = request_id
        self.runs_task = runs_task(request.method, call)
        self.wait = None if call is None else call.wait
        if self.wait is not None:
            request.extensions["timeout"] = _config.timeouts_for(self.wait)

    def begin(self) -> None:
        """An attempt starts: its span (whose ``traceparent`` goes out with it) and its clock."""
        request = self.request
        self.sent = self.clock.monotonic()
        self.span = _telemetry.attempt_span(
            request.method, request.url.path, self.retries, request.headers
        )
        if self.call is not None:
            self.call.method = request.method
            self.call.url = request.url
            self.call.attempts = self.retries + 1

    def _ended(
        self,
        status: int | None,
        failure: str | None,
        headers: httpx.Headers | None,
        retry_in: float | None = None,
    ) -> None:
        """One attempt's span ends and its DEBUG record is written."""
        # The service's echo, or the id sent (one header lookup: results carry it).
        request_id = self._request_id(headers)
        if self.call is not None:
            self.call.request_id = request_id
        if self.span is None and not logger.isEnabledFor(logging.INFO):
            return  # nobody observes: no span to end, no record to write
        if self.span is not None:
            self.span.end(status, failure)
        _logging.attempt_record(
            method=self.request.method,
            path=self.request.url.path,
            attempt=self.retries + 1,
            duration=self.clock.monotonic() - self.sent,
            status=status,
            error=failure,
            request_id=request_id,
            retry_in=retry_in,
        )

    def _request_id(self, headers: httpx.Headers | None) -> str:
        """The service's echo of the request id, else the one sent."""
        echoed = None if headers is None else headers.get(_config.REQUEST_ID_HEADER)
        return echoed or self.request_id

    def answered(
        self, response: httpx.Response, content: bytes
    ) -> httpx.Response | float | ClaudeAPIError:
        """The response to hand back, the delay before the next attempt, or the error to raise."""
        status = response.status_code
        if status < 300:
            self._ended(status, None, response.headers)
            if self.call is not None:
                self.call.status_code = status
                self.call.content = content
            # The network stream is closed; the client reads the body from memory.
            response.stream = httpx.ByteStream(content)
            return response
        decoded = httpx.Response(status, headers=response.headers, stream=httpx.ByteStream(content))
        try:
            body = decoded.read()
        except httpx.DecodingError:  # a body that breaks its Content-Encoding: keep the status
            body = content
        error = error_from_response(
            status, body, response.headers, self.request.method, str(self.request.url)
        )
        outcome = Outcome(status_code=status, detail=error.detail, headers=response.headers)
        return self._next(outcome, error, response.headers)

    def failed(self, exc: httpx.RequestError) -> float | ClaudeAPIError:
        """The delay before the next attempt, or the error to raise."""
        error = connection_error_from(exc, self.request.method, str(self.request.url))
        return self._next(Outcome(error=exception_kind(exc)), error, None, type(exc).__name__)

    def _next(
        self,
        outcome: Outcome,
        error: ClaudeAPIError,
        headers: httpx.Headers | None,
        failure: str | None = None,
    ) -> float | ClaudeAPIError:
        clock = self.clock
        decision = self.policy.decide(
            outcome,
            retries_done=self.retries if self.replayable else self.policy.max_retries,
            runs_task=self.runs_task,
            now=clock.time(),
            elapsed=clock.monotonic() - self.start,
            rand=clock.random(),
        )
        delay = decision.delay if decision.retry else None
        self._ended(outcome.status_code, failure, headers, delay)
        error.request_id = self._request_id(headers)
        debug = logger.isEnabledFor(logging.DEBUG)
        if not decision.retry:
            if isinstance(error, RateLimitError):
                error.set_retry_after(self.policy.rate_limit_window(outcome, clock.time()))
            elif self.runs_task and _may_have_run(outcome):
                error._amend(TASK_MAY_RUN)
            if debug:
                logger.debug(
                    "Not retrying %s %s: %s", self.request.method, self.request.url, decision.reason
                )
            return error
        self.retries += 1
        if debug:
            logger.debug(
                "Retrying %s %s in %.2f s (retry %d of %d): %s",
                self.request.method,
                self.request.url,
                decision.delay,
                self.retries,
                self.policy.max_retries,
                decision.reason,
            )
        return float(decision.delay)


def _may_have_run(outcome: Outcome) -> bool:
    """Whether the request may have started a task that goes on without the client."""
    return outcome.error is ExceptionKind.MAYBE_SENT or outcome.status_code in (502, 504)


def _raise_or_return(step: httpx.Response | ClaudeAPIError) -> httpx.Response:
    if isinstance(step, ClaudeAPIError):
        raise step
    return step


_T = TypeVar("_T", httpx.BaseTransport, httpx.AsyncBaseTransport)


class _RetryBase(Generic[_T]):
    """What the sync and async transports share: construction, the policy, pass-through rules.

    Args:
        transport: The transport that really sends (default: a new ``httpx.HTTPTransport``,
            or ``httpx.AsyncHTTPTransport`` for the async twin).
        policy: The retry rules (default: ``RetryPolicy()``).
        clock: Time, randomness and sleeping (default: the system clock).
        owns_transport: Whether closing this transport closes ``transport`` too.
        max_bytes: The largest body read (``max_response_bytes``); past it
            ``ResponseTooLargeError`` (``_body``). Default 64 MiB.
    """

    transport: _T

    def __init__(
        self,
        transport: _T | None = None,
        policy: RetryPolicy | None = None,
        *,
        clock: Clock | None = None,
        owns_transport: bool = True,
        max_bytes: int = _config.DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.transport = transport if transport is not None else self._default_transport()
        self.max_bytes = max_bytes
        self.policy = policy if policy is not None else RetryPolicy()
        self.clock = clock if clock is not None else _clock.SYSTEM_CLOCK
        self.owns_transport = owns_transport

    def _default_transport(self) -> _T:
        raise NotImplementedError

    def _begin(self, request: httpx.Request) -> Attempt | None:
        if "upgrade" in request.headers:
            _telemetry.inject(request.headers)  # a WebSocket handshake joins the stream's trace
            return None
        return Attempt(request, self.policy, self.clock)


class RetryTransport(_RetryBase[httpx.BaseTransport], httpx.BaseTransport):
    """An ``httpx.BaseTransport`` applying ``RetryPolicy`` and raising typed errors.

    ``RetryTransport(transport=None, policy=None, *, clock=None, owns_transport=True,
    max_bytes=64 MiB)``: wraps
    ``transport`` (default a new ``httpx.HTTPTransport``); closing it closes ``transport``
    only when ``owns_transport``.
    """

    def _default_transport(self) -> httpx.BaseTransport:
        return httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, retrying per the policy; return a fully read 2xx response.

        Raises:
            APIStatusError: the final answer has an error status.
            APIConnectionError: no answer (``TimeoutError`` for timeouts).
        """
        attempt = self._begin(request)
        if attempt is None:
            return self.transport.handle_request(request)
        while True:
            attempt.begin()
            try:
                with deadline(attempt.wait):
                    response = self.transport.handle_request(request)
                    step = attempt.answered(response, _read(response, request, self.max_bytes))
            except httpx.RequestError as exc:
                step = attempt.failed(exc)
            if not isinstance(step, float):
                return _raise_or_return(step)
            self.clock.sleep(step)

    def close(self) -> None:
        """Close the wrapped transport if this transport owns it."""
        if self.owns_transport:
            self.transport.close()


class AsyncRetryTransport(_RetryBase[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport):
    """The ``httpx.AsyncBaseTransport`` twin of ``RetryTransport`` (same policy and errors).

    Same arguments as ``RetryTransport``; the default ``transport`` is a new
    ``httpx.AsyncHTTPTransport``.
    """

    #: Whether a body is closed in a shielded cancel scope, so that a call cancelled (by an
    #: anyio or trio scope) while it closes still gives its connection back. Any transport may
    #: need it; the client turns it off over its own pool, where httpcore already closes a body
    #: shielded (``PoolByteStream.aclose``) and the scope would cost ~5 us on every call.
    shield_close: bool = True

    def _default_transport(self) -> httpx.AsyncBaseTransport:
        return httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, retrying per the policy; return a fully read 2xx response.

        Raises:
            APIStatusError: the final answer has an error status.
            APIConnectionError: no answer (``TimeoutError`` for timeouts).
        """
        attempt = self._begin(request)
        if attempt is None:
            return await self.transport.handle_async_request(request)
        while True:
            attempt.begin()
            try:
                with deadline(attempt.wait):
                    response = await self.transport.handle_async_request(request)
                    step = attempt.answered(
                        response,
                        await _aread(response, request, self.max_bytes, self.shield_close),
                    )
            except httpx.RequestError as exc:
                step = attempt.failed(exc)
            if not isinstance(step, float):
                return _raise_or_return(step)
            await self.clock.asleep(step)

    async def aclose(self) -> None:
        """Close the wrapped transport if this transport owns it."""
        if self.owns_transport:
            await self.transport.aclose()


def _read(response: httpx.Response, request: httpx.Request, limit: int) -> bytes:
    stream = cast(httpx.SyncByteStream, response.stream)
    try:
        chunks = (check_deadline(chunk) for chunk in stream)
        return read_within(response, chunks, limit, request)
    finally:
        stream.close()


async def _aread(
    response: httpx.Response, request: httpx.Request, limit: int, shield: bool
) -> bytes:
    stream = cast(httpx.AsyncByteStream, response.stream)
    try:
        chunks = (check_deadline(chunk) async for chunk in stream)
        return await aread_within(response, chunks, limit, request)
    finally:
        if shield:
            with anyio.CancelScope(shield=True):  # a cancelled call gives its connection back
                await stream.aclose()
        else:
            await stream.aclose()


# --- sending through a caller's own httpx client ------------------------------------------


class ClientTransport(httpx.BaseTransport):
    """Sends through a caller-supplied ``httpx.Client`` (its pool, proxies, TLS, hooks).

    Closing it does not close that client: the caller owns it.
    """

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` with the caller's client, unread."""
        return _http_clients.send_unread(self.client, request)


class AsyncClientTransport(httpx.AsyncBaseTransport):
    """Sends through a caller-supplied ``httpx.AsyncClient``; never closes it."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` with the caller's client, unread."""
        return await _http_clients.asend_unread(self.client, request)
