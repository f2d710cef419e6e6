"""Shared pieces of the reliability suite: the integration fixtures (a sync or an async client
against the double over real sockets, fast retries, recorded retry waits), the process's own
resource counters, and a search for the API key in everything a user could see.

The suite proves properties across many cases at once (every fault against every method, ten
thousand requests, generated answers); single behaviours are tested in ``tests/integration``,
``tests/unit`` and ``tests/streaming``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import time
import traceback
from collections.abc import Callable, Iterable, Iterator

import attrs
import psutil
import pytest

from claude_client import _config
from claude_client.testing import ServiceDouble, StatsSnapshot
from tests.integration.conftest import (  # noqa: F401 - fixtures shared with the integration tests
    clean_environment,
    client,
    make,
    pytest_generate_tests,
    retry_clock,
)

#: Margin of the client's read timeout over the task limit in these tests (+10 s in the library):
#: with the smallest task limit (1 s) a client waits 0.4 s for an answer, and a fault that
#: never answers costs the suite that, not 11 s.
SHORT_MARGIN = -0.6


@pytest.fixture
def short_margin(monkeypatch: pytest.MonkeyPatch) -> float:
    """Clients made after this fixture wait ``timeout + SHORT_MARGIN`` seconds for an answer
    (the faults that use it never run a task, so the server needs no time of its own)."""
    monkeypatch.setattr(_config, "READ_TIMEOUT_MARGIN", SHORT_MARGIN)
    return SHORT_MARGIN


# --- the process's own resources ------------------------------------------------------------------


@attrs.frozen
class Resources:
    """Open file descriptors and TCP sockets of this process (client and in-process double)."""

    fds: int
    tcp: int

    @classmethod
    def now(cls) -> Resources:
        gc.collect()
        process = psutil.Process()
        return cls(process.num_fds(), len(process.net_connections(kind="tcp")))

    def within(self, baseline: Resources, tolerance: int) -> bool:
        return self.fds <= baseline.fds + tolerance and self.tcp <= baseline.tcp + tolerance


def settled(baseline: Resources, tolerance: int, timeout: float = 10.0) -> Resources:
    """The resources once back within ``tolerance`` of ``baseline`` (the double closes its side
    of a connection a moment after the client); the last reading if they never are."""
    deadline = time.monotonic() + timeout
    while True:
        current = Resources.now()
        if current.within(baseline, tolerance) or time.monotonic() > deadline:
            return current
        time.sleep(0.05)


async def until(double: ServiceDouble, predicate: Callable[[StatsSnapshot], bool]) -> bool:
    """Wait for the double's counters without blocking the event loop (10 s at most)."""
    for _ in range(500):
        if predicate(double.stats.snapshot()):
            return True
        await asyncio.sleep(0.02)
    return predicate(double.stats.snapshot())


# --- secrets --------------------------------------------------------------------------------------


def forms_of(key: str) -> tuple[str, ...]:
    """What would betray a key: the key, and its secret part without the ``cc_`` prefix."""
    return (key, key.removeprefix("cc_")[:24])


def _library_locals(error: BaseException) -> Iterator[str]:
    """The repr of each local of the library's frames (and httpx's...) in the traceback, as a
    crash reporter capturing locals would show them; the tests' own frames are left out."""
    tb = error.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if f"{os.sep}tests{os.sep}" not in frame.f_code.co_filename:
            for name, value in frame.f_locals.items():
                with contextlib.suppress(Exception):
                    yield f"{name}={value!r}"
        tb = tb.tb_next


def shown_by(error: BaseException) -> str:
    """Everything an error shows: text, repr, args, attributes, the formatted traceback, and
    the locals of the library's frames, for the error and every chained cause."""
    parts = [str(error), repr(error), repr(error.args), repr(getattr(error, "__dict__", {}))]
    parts.extend(traceback.format_exception(error))
    parts.extend(_library_locals(error))
    cause = error.__cause__ or error.__context__
    if cause is not None:
        parts.append(shown_by(cause))
    return "\n".join(parts)


def leaks(texts: Iterable[str], keys: Iterable[str]) -> list[str]:
    """The texts that show any form of any key."""
    forms = [form for key in keys for form in forms_of(key)]
    return [text for text in texts if any(form in text for form in forms)]


def log_texts(records: Iterable[logging.LogRecord]) -> list[str]:
    """Each record as a handler would write it (message, arguments, exception)."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [formatter.format(record) + repr(record.args) for record in records]
