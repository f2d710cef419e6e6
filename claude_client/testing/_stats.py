"""Counters a test can read to prove what the double saw (requests, sockets, task runs)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

CounterName = Literal[
    "ws_opened",
    "ws_closed",
    "ws_rejected",
    "ws_messages",
    "tasks_started",
    "http_disconnects",
    "faults_applied",
]


@dataclass(frozen=True)
class StatsSnapshot:
    """A consistent copy of every counter at one moment."""

    requests: dict[str, int] = field(default_factory=dict)
    ws_opened: int = 0
    ws_closed: int = 0
    ws_rejected: int = 0
    ws_messages: int = 0
    tasks_started: int = 0
    http_disconnects: int = 0
    faults_applied: int = 0

    @property
    def total_requests(self) -> int:
        """HTTP requests seen on every path (WebSocket handshakes excluded)."""
        return sum(self.requests.values())

    @property
    def ws_open(self) -> int:
        """WebSocket connections accepted and not yet ended."""
        return self.ws_opened - self.ws_closed


class Stats:
    """Thread-safe counters; every change wakes threads blocked in `wait_until`.

    Counters cover what happened since the last reset: an event that belongs to a connection
    opened before it (a socket a previous test closed late) passes its ``generation`` and is
    not counted.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._open_connections: Callable[[], int] | None = None
        self._requests: Counter[str] = Counter()
        self._counts: Counter[str] = Counter()
        self._generation = 0

    @property
    def generation(self) -> int:
        """Increases at every reset; tag long-lived connections with it."""
        return self._generation

    def attach_connection_counter(self, counter: Callable[[], int] | None) -> None:
        """Let `open_connections` ask the running server (None when it stops)."""
        self._open_connections = counter

    # -- recording (server thread) -------------------------------------------------------
    def count_request(self, path: str) -> None:
        """One HTTP request arrived on ``path`` (before faults, auth or routing)."""
        with self._cond:
            self._requests[path] += 1
            self._cond.notify_all()

    def bump(self, name: CounterName, generation: int | None = None) -> None:
        """Increment a counter, unless ``generation`` says the event predates the last reset."""
        with self._cond:
            if generation is not None and generation != self._generation:
                return
            self._counts[name] += 1
            self._cond.notify_all()

    def reset(self) -> None:
        """Back to zero."""
        with self._cond:
            self._requests.clear()
            self._counts.clear()
            self._generation += 1
            self._cond.notify_all()

    # -- reading (any thread) ------------------------------------------------------------
    def snapshot(self) -> StatsSnapshot:
        """Every counter, read under one lock."""
        with self._cond:
            return self._snapshot()

    def requests(self, path: str | None = None) -> int:
        """Requests seen on ``path``, or on all paths."""
        with self._cond:
            return self._requests[path] if path is not None else sum(self._requests.values())

    @property
    def ws_opened(self) -> int:
        """WebSocket connections accepted."""
        return self.snapshot().ws_opened

    @property
    def ws_closed(self) -> int:
        """WebSocket connections that ended (either side closed, or the peer vanished)."""
        return self.snapshot().ws_closed

    @property
    def ws_open(self) -> int:
        """WebSocket connections currently open."""
        return self.snapshot().ws_open

    @property
    def tasks_started(self) -> int:
        """Stand-in CLI runs started (REST tasks and WebSocket streams)."""
        return self.snapshot().tasks_started

    @property
    def http_disconnects(self) -> int:
        """Clients that hung up on a request the double was holding (``hang`` fault)."""
        return self.snapshot().http_disconnects

    @property
    def open_connections(self) -> int:
        """TCP connections the server holds open right now (HTTP keep-alive and WebSocket)."""
        return self._open_connections() if self._open_connections is not None else 0

    def wait_until(self, predicate: Callable[[StatsSnapshot], bool], timeout: float = 5.0) -> bool:
        """Block until ``predicate(snapshot)`` holds; False if ``timeout`` seconds pass first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self._snapshot()):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def _snapshot(self) -> StatsSnapshot:
        c = self._counts
        return StatsSnapshot(
            requests=dict(self._requests),
            ws_opened=c["ws_opened"],
            ws_closed=c["ws_closed"],
            ws_rejected=c["ws_rejected"],
            ws_messages=c["ws_messages"],
            tasks_started=c["tasks_started"],
            http_disconnects=c["http_disconnects"],
            faults_applied=c["faults_applied"],
        )
