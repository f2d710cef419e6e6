"""Benchmark: time to first chunk and per-chunk overhead of streaming, against the local double.

``versus_raw()`` (``--versus-raw``): time to first chunk of ``stream()`` (sync and async)
against a raw ``websockets`` client (sync and async) sending the same chat frame, the double
in its own process (token delay 0), the four taking turns; median of each. Every contender
opens its own socket per stream and reads the stream to its end.

Run ``python -m bench.streaming`` (``--runs``, ``--delays``, ``--model``); it prints one table
row per client (sync, async) and per token delay of the double (in this process):

- ttfc: from calling ``stream()`` (project already learned, explicit model: no REST call
  before the socket) to holding the first chunk: handshake + chat frame + stand-in run +
  first token delay.
- gap: mean time between two consecutive chunks as the caller sees them.
- overhead/chunk: ``gap - token_delay``, what the client (and the double's sending) add per
  chunk on top of the time the service spaces them by.
- vs pace: ``gap - complete()/chunks``: the same against the double's real pace, which
  ``complete()`` measures (the stand-in sleeps ``token_delay`` per slice over REST too, and
  timers overshoot), so the double's timer slack is not counted as client overhead.
- total: the whole stream; ``complete()``: the same prompt and model over REST, for reference.

Not a test: numbers depend on the machine. Importing this module runs nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from collections.abc import Callable, Sequence

import attrs
import httpx

from bench._server import running
from claude_client import AsyncClaudeClient, ClaudeClient, Model
from claude_client.testing import ServiceDouble

PROMPT = "Tell me a story about a whale"


@attrs.frozen
class Run:
    """Timings of one stream, in seconds from the call."""

    arrivals: tuple[float, ...]
    total: float


@attrs.frozen
class Row:
    """One line of the table: a client kind and a token delay, over several runs."""

    client: str
    token_delay: float
    runs: int
    chunks: float
    ttfc_median: float
    ttfc_p90: float
    gap_mean: float
    overhead_per_chunk: float
    over_pace: float
    total_median: float
    complete_median: float


def _p90(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def summarize(
    client: str, token_delay: float, runs: Sequence[Run], completes: Sequence[float]
) -> Row:
    """Reduce raw runs to a table row."""
    ttfc = [r.arrivals[0] for r in runs if r.arrivals]
    gaps = [b - a for r in runs for a, b in zip(r.arrivals, r.arrivals[1:], strict=False)]
    gap_mean = statistics.fmean(gaps) if gaps else 0.0
    chunks = statistics.fmean(len(r.arrivals) for r in runs)
    complete_median = statistics.median(completes)
    return Row(
        client=client,
        token_delay=token_delay,
        runs=len(runs),
        chunks=chunks,
        ttfc_median=statistics.median(ttfc),
        ttfc_p90=_p90(ttfc),
        gap_mean=gap_mean,
        overhead_per_chunk=gap_mean - token_delay,
        over_pace=gap_mean - complete_median / chunks if chunks else 0.0,
        total_median=statistics.median(r.total for r in runs),
        complete_median=complete_median,
    )


def bench_sync(double: ServiceDouble, runs: int, model: Model) -> tuple[list[Run], list[float]]:
    """Stream ``runs`` times with ``ClaudeClient`` (after a warm-up), and complete as often."""
    with ClaudeClient(double.base_url, double.api_key) as client:
        for _ in range(2):  # learn the project, warm the pool
            "".join(client.stream(PROMPT, model=model))
        results = []
        for _ in range(runs):
            arrivals = []
            start = time.perf_counter()
            for _chunk in client.stream(PROMPT, model=model):
                arrivals.append(time.perf_counter() - start)
            results.append(Run(tuple(arrivals), time.perf_counter() - start))
        completes = []
        for _ in range(runs):
            start = time.perf_counter()
            client.complete(PROMPT, model=model)
            completes.append(time.perf_counter() - start)
    return results, completes


async def bench_async(
    double: ServiceDouble, runs: int, model: Model
) -> tuple[list[Run], list[float]]:
    """Stream ``runs`` times with ``AsyncClaudeClient`` (after a warm-up), and complete."""
    async with AsyncClaudeClient(double.base_url, double.api_key) as client:
        for _ in range(2):
            [c async for c in client.stream(PROMPT, model=model)]
        results = []
        for _ in range(runs):
            arrivals = []
            start = time.perf_counter()
            async for _chunk in client.stream(PROMPT, model=model):
                arrivals.append(time.perf_counter() - start)
            results.append(Run(tuple(arrivals), time.perf_counter() - start))
        completes = []
        for _ in range(runs):
            start = time.perf_counter()
            await client.complete(PROMPT, model=model)
            completes.append(time.perf_counter() - start)
    return results, completes


def run(delays: Sequence[float], runs: int, model: Model = Model.HAIKU) -> list[Row]:
    """Measure every (client, delay) pair against one local double."""
    rows = []
    with ServiceDouble(rate_limit=1_000_000) as double:
        for delay in delays:
            double.reset()
            double.token_delay = delay
            streams, completes = bench_sync(double, runs, model)
            rows.append(summarize("sync", delay, streams, completes))
            double.reset()
            double.token_delay = delay
            streams, completes = asyncio.run(bench_async(double, runs, model))
            rows.append(summarize("async", delay, streams, completes))
    return rows


def table(rows: Sequence[Row]) -> str:
    """The rows as a fixed-width text table (milliseconds, overhead in microseconds)."""
    head = (
        f"{'client':<6} {'delay ms':>8} {'runs':>5} {'chunks':>6} {'ttfc ms':>8} "
        f"{'p90 ms':>7} {'gap ms':>7} {'overhead/chunk us':>17} {'vs pace us':>10} {'total ms':>9} "
        f"{'complete() ms':>13}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        # Without a token delay there is no pace to compare with (frames come back to back).
        pace = f"{r.over_pace * 1e6:.0f}" if r.token_delay > 0 else "-"
        lines.append(
            f"{r.client:<6} {r.token_delay * 1e3:>8.1f} {r.runs:>5} {r.chunks:>6.1f} "
            f"{r.ttfc_median * 1e3:>8.2f} {r.ttfc_p90 * 1e3:>7.2f} {r.gap_mean * 1e3:>7.3f} "
            f"{r.overhead_per_chunk * 1e6:>17.0f} {pace:>10} "
            f"{r.total_median * 1e3:>9.2f} "
            f"{r.complete_median * 1e3:>13.2f}"
        )
    return "\n".join(lines)


_KEY = "cc_" + "d" * 40


def _raw_frame(project_id: str, model: Model) -> str:
    messages = [{"role": "user", "content": PROMPT}]
    frame = {"type": "chat", "model": model.value, "messages": messages, "project_id": project_id}
    return json.dumps(frame)


def versus_raw(runs: int, model: Model = Model.HAIKU, warmup: int = 5) -> dict[str, float]:
    """Median seconds to the first chunk: ours sync / async, raw websockets sync / async."""
    from websockets.asyncio.client import connect as aconnect
    from websockets.sync.client import connect

    options = ("--port", "0", "--api-key", _KEY, "--rate-limit", "100000000")
    with running("claude_client.testing", *options) as base_url:
        headers = {"Authorization": f"Bearer {_KEY}"}
        project = httpx.get(f"{base_url}/v1/usage", headers=headers).json()["project_id"]
        frame = _raw_frame(project, model)
        ws_url = base_url.replace("http://", "ws://", 1) + "/v1/stream"

        def raw_sync() -> float:
            start = time.perf_counter()
            with connect(ws_url, additional_headers=headers) as ws:
                ws.send(frame)
                first = json.loads(ws.recv())
                taken = time.perf_counter() - start
                while first.get("type") != "done":
                    first = json.loads(ws.recv())
            return taken

        async def raw_async() -> float:
            start = time.perf_counter()
            async with aconnect(ws_url, additional_headers=headers) as ws:
                await ws.send(frame)
                first = json.loads(await ws.recv())
                taken = time.perf_counter() - start
                while first.get("type") != "done":
                    first = json.loads(await ws.recv())
            return taken

        with (
            ClaudeClient(base_url, _KEY) as ours,
            asyncio.Runner() as runner,
        ):
            aours = AsyncClaudeClient(base_url, _KEY)

            def ours_sync() -> float:
                start = time.perf_counter()
                taken = 0.0
                for _chunk in ours.stream(PROMPT, model=model):
                    taken = taken or time.perf_counter() - start
                return taken

            async def ours_async() -> float:
                start = time.perf_counter()
                taken = 0.0
                async for _chunk in aours.stream(PROMPT, model=model):
                    taken = taken or time.perf_counter() - start
                return taken

            contenders: dict[str, Callable[[], float]] = {
                "ours sync": ours_sync,
                "raw websockets sync": raw_sync,
                "ours async": lambda: runner.run(ours_async()),
                "raw websockets async": lambda: runner.run(raw_async()),
            }
            times: dict[str, list[float]] = {name: [] for name in contenders}
            order = list(contenders)
            for i in range(runs + warmup):
                shift = i % len(order)
                for name in order[shift:] + order[:shift]:
                    taken = contenders[name]()
                    if i >= warmup:
                        times[name].append(taken)
            runner.run(aours.aclose())
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=30, help="streams per row (default 30)")
    parser.add_argument(
        "--delays",
        default="0,0.01",
        help="comma-separated token delays of the double, in seconds (default 0,0.01)",
    )
    parser.add_argument("--model", default="haiku", help="model to stream (default haiku)")
    parser.add_argument("--versus-raw", action="store_true", help="time to first chunk vs raw")
    args = parser.parse_args(argv)
    if args.versus_raw:
        before = os.getloadavg()[0]
        found = versus_raw(args.runs, Model.parse(args.model))
        print(f"load average {before:.2f} before, {os.getloadavg()[0]:.2f} after")
        for name, seconds in found.items():
            print(f"{name:<22} time to first chunk {seconds * 1e3:7.3f} ms")
        for kind in ("sync", "async"):
            ratio = found[f"ours {kind}"] / found[f"raw websockets {kind}"]
            print(f"{kind:<5} ours / raw websockets: {ratio:.3f} (target <= 1.15)")
        return 0
    delays = [float(d) for d in args.delays.split(",") if d.strip()]
    rows = run(delays, args.runs, Model.parse(args.model))
    print(f"Streaming {PROMPT!r} against the local double ({args.runs} runs per row)\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
