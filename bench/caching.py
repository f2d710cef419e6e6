"""Benchmark: what caching and observability cost, and what a cache hit saves.

- hooks: CPU per ``complete()`` over ``httpx.MockTransport`` (network out) with logging and
  OpenTelemetry off, as shipped, against the same client with the hooks stubbed out (what a
  call cost before they existed), alternating blocks, median of blocks. Also with logging on
  (INFO, to a ``NullHandler``) and with an OpenTelemetry SDK configured (no exporter), to show
  what switching them on costs.
- hit: the median time of ``complete()`` answered by the service double (a real loopback call
  to ``python -m claude_client.testing`` in its own process, ``cache=False``) against the same
  call answered from ``MemoryCache`` and from ``SQLiteCache``; the target is a hit of the
  default backend (``cache=True``, a ``MemoryCache``) at least 50x faster than the call.

Not a test: the figures depend on the machine. ``python -m bench.caching`` prints them.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

from bench.overhead import KEY, PROMPT, _alternate_all, _cpu_block, _take_turns, on_mock
from claude_client import ClaudeClient, _logging, _observe, _telemetry
from claude_client.cache import MemoryCache, SQLiteCache

#: A hit must be at least this many times faster than a call to the double.
HIT_TARGET = 50.0


@contextlib.contextmanager
def _hooks_stubbed() -> Iterator[None]:
    """The client as it was before the hooks: they return at once, doing nothing."""
    saved = (_observe.begin, _telemetry.attempt_span, _logging.attempt_record)
    _observe.begin = lambda *a, **k: None
    _telemetry.attempt_span = lambda *a, **k: None
    _logging.attempt_record = lambda **k: None
    try:
        yield
    finally:
        _observe.begin, _telemetry.attempt_span, _logging.attempt_record = saved


@contextlib.contextmanager
def _logging_on() -> Iterator[None]:
    logger = logging.getLogger("claude_client")
    handler = logging.NullHandler()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@contextlib.contextmanager
def _otel_on() -> Iterator[None]:
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.trace import TracerProvider

    saved = _telemetry._providers
    tracer, meter = TracerProvider(), MeterProvider()
    _telemetry._providers = lambda: (tracer, meter)
    try:
        yield
    finally:
        _telemetry._providers = saved


def _in(
    context: Callable[[], contextlib.AbstractContextManager[None]], call: Callable[[], float]
) -> Callable[[], float]:
    def measure() -> float:
        with context():
            return call()

    return measure


def hooks(blocks: int, calls: int) -> dict[str, float]:
    """CPU seconds per ``complete()`` over the in-memory transport, by configuration."""
    client = on_mock()

    def one() -> None:
        client.complete(PROMPT, model="haiku")

    block = _cpu_block(one, calls)
    for _ in range(calls):  # warm up
        one()
    figures = _alternate_all(
        {
            "hooks stubbed (before)": _in(_hooks_stubbed, block),
            "all off (shipped)": block,
            "logging at INFO": _in(_logging_on, block),
            "OpenTelemetry SDK on": _in(_otel_on, block),
        },
        blocks,
    )
    client.close()
    return figures


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def double() -> Iterator[str]:
    """The service double in its own process; yields its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", "claude_client.testing", "--port", str(port)]
    command += ["--api-key", KEY, "--rate-limit", "100000000"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/health", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the service double did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def hit(rounds: int) -> dict[str, float]:
    """Median seconds of one ``complete()``: sent to the double, and answered by each cache."""
    with double() as url, tempfile.TemporaryDirectory() as tmp:
        memory = ClaudeClient(url, KEY, cache=MemoryCache())
        sqlite = ClaudeClient(url, KEY, cache=SQLiteCache(Path(tmp) / "bench.db"))
        plain = ClaudeClient(url, KEY, cache=True)
        memory.complete(PROMPT, model="haiku")
        sqlite.complete(PROMPT, model="haiku")
        figures = _take_turns(
            {
                "call to the double": lambda: plain.complete(PROMPT, model="haiku", cache=False),
                "MemoryCache hit": lambda: memory.complete(PROMPT, model="haiku"),
                "SQLiteCache hit": lambda: sqlite.complete(PROMPT, model="haiku"),
            },
            rounds,
            warmup=20,
        )
        for client in (memory, sqlite, plain):
            client.close()
    return figures


def main() -> None:
    quick = "--quick" in sys.argv
    cpu = hooks(blocks=5 if quick else 15, calls=200 if quick else 1000)
    before = cpu["hooks stubbed (before)"]
    print("CPU per complete() over an in-memory transport (median of alternating blocks):")
    for name, seconds in cpu.items():
        print(f"  {name:<24} {seconds * 1e6:8.1f} us  ({seconds / before:5.3f} x before)")
    times = hit(rounds=50 if quick else 300)
    call = times["call to the double"]
    print("complete() wall time, median (sent to the double vs answered by the cache):")
    for name, seconds in times.items():
        speedup = call / seconds
        mark = "" if name == "call to the double" else f"  {speedup:7.1f}x faster"
        if name == "MemoryCache hit":  # the default backend (cache=True) carries the target
            mark += " (target >= 50x: " + ("met" if speedup >= HIT_TARGET else "MISSED") + ")"
        print(f"  {name:<24} {seconds * 1e6:8.1f} us{mark}")


if __name__ == "__main__":
    main()
