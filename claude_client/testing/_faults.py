"""Programmable misbehaviour: what a proxy, a flaky network or an overloaded service would do.

A test queues faults on ``double.faults``; each matching request (optionally only for one
path and method) consumes one use, first queued first. Faults never touch the double's state:
a faulted request is not rate-limited, billed or recorded, except where a fault deliberately
lets the service handle it (``slow`` after its delay; ``drop_mid_body`` and ``malformed_json``
without a body, which cut the service's real answer). Queued faults are forgotten on
``reset()``; requests a fault is holding are then released.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Literal

FaultKind = Literal[
    "respond",
    "slow",
    "drop_mid_body",
    "malformed_json",
    "disconnect",
    "hang",
    "ws_close_after",
    "ws_reject",
]

RATE_LIMIT_BODY = {"detail": "Rate limit exceeded. Please try again later."}

_HTML_PAGE = (
    "<html>\r\n<head><title>{code} {phrase}</title></head>\r\n<body>\r\n"
    "<center><h1>{code} {phrase}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass
class Fault:
    """One programmed fault; ``hits`` counts the requests it has been applied to."""

    kind: FaultKind
    remaining: int | None = 1
    path: str | None = None
    method: str | None = None
    status: int = 200
    body: bytes | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0
    after_tokens: int = 0
    close_code: int = 1011
    abrupt: bool = False
    hits: int = 0

    @property
    def exhausted(self) -> bool:
        """True once every programmed use has been consumed."""
        return self.remaining is not None and self.remaining <= 0

    def _matches(self, method: str, path: str) -> bool:
        return (self.path is None or self.path == path) and (
            self.method is None or self.method.upper() == method
        )


def _json_body(body: str | bytes | dict[str, object] | None, default: object) -> bytes:
    """Bytes to send: ``body`` as given (a dict is rendered as the service renders JSON)."""
    if body is None:
        return json.dumps(default, separators=(",", ":"), ensure_ascii=False).encode()
    if isinstance(body, dict):
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return body.encode() if isinstance(body, str) else body


def _check_times(times: int | None) -> None:
    if times is not None and times < 1:
        raise ValueError("times must be at least 1 (or None for every request)")


class Faults:
    """The fault queue of one double. Thread-safe: program it from the test thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[Fault] = []

    # -- HTTP faults ---------------------------------------------------------------------
    def respond(
        self,
        status: int,
        body: str | bytes | dict[str, object] = b"",
        *,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        times: int | None = 1,
        path: str | None = None,
        method: str | None = None,
    ) -> Fault:
        """Answer with exactly this status, body and headers instead of the service."""
        extra = [("content-type", content_type), *(headers or {}).items()]
        return self._add(Fault("respond", times, path, method, status, _json_body(body, {}), extra))

    def fail(
        self,
        status: int = 503,
        *,
        body: str | bytes | dict[str, object] | None = None,
        retry_after: float | str | None = None,
        times: int | None = 1,
        path: str | None = None,
        method: str | None = None,
    ) -> Fault:
        """Answer ``status`` (e.g. 500, 502, 503, 504) with a JSON ``detail`` body.

        The default body is ``{"detail": "<reason phrase>"}``; ``retry_after`` adds a
        ``Retry-After`` header (which the real service never sends).
        """
        default = {"detail": HTTPStatus(status).phrase}
        headers = {} if retry_after is None else {"retry-after": str(retry_after)}
        return self.respond(
            status,
            _json_body(body, default),
            headers=headers,
            times=times,
            path=path,
            method=method,
        )

    def rate_limit(
        self,
        *,
        body: str | bytes | dict[str, object] | None = None,
        retry_after: float | str | None = None,
        times: int | None = 1,
        path: str | None = None,
        method: str | None = None,
    ) -> Fault:
        """Answer 429 with the service's rate-limit body (or ``body``), no ``Retry-After``
        unless ``retry_after`` is given."""
        return self.fail(
            429,
            body=_json_body(body, RATE_LIMIT_BODY),
            retry_after=retry_after,
            times=times,
            path=path,
            method=method,
        )

    def html_error(
        self,
        status: int = 502,
        *,
        times: int | None = 1,
        path: str | None = None,
        method: str | None = None,
    ) -> Fault:
        """Answer with a proxy's HTML error page (``text/html``), as nginx would."""
        phrase = HTTPStatus(status).phrase
        page = _HTML_PAGE.format(code=status, phrase=phrase)
        return self.respond(
            status, page, content_type="text/html", times=times, path=path, method=method
        )

    def malformed_json(
        self,
        body: str | bytes | None = None,
        *,
        times: int | None = 1,
        path: str | None = None,
        method: str | None = None,
    ) -> Fault:
        """Answer 200 ``application/json`` with a body that is not valid JSON.

        By default the service handles the request and its real body is cut in half (a
        complete HTTP message carrying truncated JSON); with ``body`` that body is sent
        instead and the service is not asked.
        """
        raw = None if body is None else _json_body(body, None)
        return self._add(Fault("malformed_json", times, path, method, 200, raw))

    def slow(
        self,
        delay: float,
        *,
        times: int | None = 1,
        path: str | None = None,
        method: str | None = None,
    ) -> Fault:
        """Wait ``delay`` seconds before the service handles the request."""
        return self._add(Fault("slow", times, path, method, delay=delay))

    def drop_mid_body(
        self, *, times: int | None = 1, path: str | None = None, method: str | None = None
    ) -> Fault:
        """Let the service answer, send its headers (with the full ``content-length``) and
        half of the body, then close the connection."""
        return self._add(Fault("drop_mid_body", times, path, method))

    def disconnect(
        self, *, times: int | None = 1, path: str | None = None, method: str | None = None
    ) -> Fault:
        """Close the connection without sending any response."""
        return self._add(Fault("disconnect", times, path, method))

    def hang(
        self, *, times: int | None = 1, path: str | None = None, method: str | None = None
    ) -> Fault:
        """Accept the request and never answer; the connection is closed on reset or stop."""
        return self._add(Fault("hang", times, path, method))

    # -- WebSocket faults ----------------------------------------------------------------
    def ws_close_after(
        self,
        tokens: int,
        *,
        code: int = 1011,
        abrupt: bool = False,
        times: int | None = 1,
    ) -> Fault:
        """End the next stream(s) after ``tokens`` token frames, before ``done``.

        The server sends a close frame with ``code``, or with ``abrupt=True`` drops the TCP
        connection without one. No usage is recorded for a stream cut this way.
        """
        if tokens < 0:
            raise ValueError("tokens must be >= 0")
        return self._add(
            Fault("ws_close_after", times, after_tokens=tokens, close_code=code, abrupt=abrupt)
        )

    def ws_reject(self, *, times: int | None = 1) -> Fault:
        """Refuse the next WebSocket handshake(s): the client gets HTTP 403."""
        return self._add(Fault("ws_reject", times))

    # -- bookkeeping ---------------------------------------------------------------------
    def clear(self) -> None:
        """Forget every queued fault."""
        with self._lock:
            self._queue.clear()

    @property
    def pending(self) -> list[Fault]:
        """Faults with uses left, in the order they will be considered."""
        with self._lock:
            return [f for f in self._queue if not f.exhausted]

    def take_http(self, method: str, path: str) -> Fault | None:
        """Consume one use of the first HTTP fault matching this request (server side)."""
        return self._take(lambda f: not f.kind.startswith("ws_") and f._matches(method, path))

    def take_ws(self, kind: Literal["ws_close_after", "ws_reject"]) -> Fault | None:
        """Consume one use of the first WebSocket fault of this kind (server side)."""
        return self._take(lambda f: f.kind == kind)

    def _take(self, wanted: Callable[[Fault], bool]) -> Fault | None:
        with self._lock:
            for fault in self._queue:
                if not fault.exhausted and wanted(fault):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                    fault.hits += 1
                    return fault
            return None

    def _add(self, fault: Fault) -> Fault:
        _check_times(fault.remaining)
        with self._lock:
            self._queue.append(fault)
        return fault
