"""Benchmark: 10,000 prompts through the batch helper against the local double.

Run ``python -m bench.batch`` from the repository root (``--prompts``, ``--chunk-size``,
``--concurrency``). The double runs in its own process (token_delay 0, no rate limit in the
way); each form of the helper runs in a fresh client process, so its memory figure is its own.
One table row per form:

- memory: ``client.run_batch(prompts)``, every result kept and returned in input order.
- file: ``client.run_batch_file(in.jsonl, out.jsonl)``, results streamed to disk as they come.

Columns: wall time, requests and requests/s, prompts/s, and peak RSS growth of the client
process over its RSS just before the run (sampled every 5 ms). Target: under 100 MB for the
file form.

``--memory-sizes 10000,100000,1000000``: peak RSS growth of ``run_batch_file`` alone at each
size, each in a fresh process, with the service answered in memory: an ``httpx.MockTransport``
under the caller's ``httpx.Client`` (``http_client=``) answers ``/v1/usage`` and every
``/v1/batch`` request with each prompt completed. Everything the client does is real (reading
and checking the file, chunks, budget guard, parsing, writing each result line); only the
network and the service's work are left out, so a million prompts take a minute or two on
2 cores instead of most of an hour. Target: at most 32 MB at 1,000,000 prompts.

Not a test: numbers depend on the machine. Importing this module runs nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import psutil

from bench._server import USAGE_BYTES, batch_bytes, running
from claude_client import BatchSummary, ClaudeClient

_KEY = "cc_" + "b" * 40
_MB = 1024 * 1024


def _prompts(count: int) -> Iterator[str]:
    return (f"benchmark prompt number {i}: list three colors" for i in range(count))


def _double() -> contextlib.AbstractContextManager[str]:
    """The double in its own process (no rate limit in the way); yields its base URL."""
    options = ("--port", "0", "--api-key", _KEY, "--rate-limit", "100000000")
    return running("claude_client.testing", *options)


class _PeakRss:
    """Samples this process's RSS in a thread; ``growth`` is the peak over the start."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self.start = self.peak = self._process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._process.memory_info().rss)
        return (self.peak - self.start) / _MB


def _in_memory_service(request: httpx.Request) -> httpx.Response:
    """The service's answers, made in memory: usage without a budget, batches completed."""
    headers = {"content-type": "application/json"}
    if request.url.path == "/v1/batch":
        prompts = json.loads(request.content)["prompts"]
        body = batch_bytes([p["id"] for p in prompts], [p["prompt"] for p in prompts])
        return httpx.Response(200, headers=headers, content=body)
    return httpx.Response(200, headers=headers, content=USAGE_BYTES)


def _memory_child(args: argparse.Namespace) -> None:
    """Run ``run_batch_file`` in memory; print its figures as one JSON line."""
    http = httpx.Client(transport=httpx.MockTransport(_in_memory_service))
    with ClaudeClient(base_url="http://bench.test", api_key=_KEY, http_client=http) as client:
        client.get_usage()  # warm every layer before measuring
        rss = _PeakRss()
        started = time.perf_counter()
        summary = client.run_batch_file(args.input, args.output, resume=False)
        wall = time.perf_counter() - started
        growth = rss.stop()
    print(json.dumps({"prompts": summary.total, "completed": summary.completed, "wall": wall,
                      "requests": summary.requests, "rss_growth_mb": growth}))  # fmt: skip


def memory(sizes: Sequence[int]) -> list[dict[str, float]]:
    """Peak RSS growth of ``run_batch_file`` at each size (a fresh process each)."""
    rows = []
    with tempfile.TemporaryDirectory() as work:
        source, target = Path(work, "in.jsonl"), Path(work, "out.jsonl")
        for size in sizes:
            with source.open("w", encoding="utf-8") as file:
                for i, prompt in enumerate(_prompts(size)):
                    file.write(json.dumps({"id": f"p{i}", "prompt": prompt}) + "\n")
            command = [sys.executable, "-m", "bench.batch", "--child", "in-memory"]
            command += ["--input", str(source), "--output", str(target)]
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            rows.append(json.loads(out.strip().splitlines()[-1]))
    return rows


def memory_table(rows: Sequence[dict[str, float]]) -> str:
    """The memory rows as a Markdown table."""
    lines = [
        "| prompts | wall s | prompts/s | peak RSS growth MB | bytes per prompt |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        grown = r["rss_growth_mb"]
        lines.append(
            f"| {int(r['prompts']):,} | {r['wall']:.1f} | {r['prompts'] / r['wall']:,.0f} "
            f"| {grown:.1f} | {grown * _MB / r['prompts']:.0f} |"
        )
    return "\n".join(lines)


def _child(args: argparse.Namespace) -> None:
    """Run one form and print its figures as one JSON line."""
    chunk_size, concurrency = args.chunk_size, args.concurrency
    with ClaudeClient(base_url=args.base_url, api_key=_KEY) as client:
        client.health()  # connect before measuring
        summary: BatchSummary
        if args.form == "memory":
            prompts = list(_prompts(args.prompts))
            rss = _PeakRss()
            started = time.perf_counter()
            summary = client.run_batch(prompts, chunk_size=chunk_size, concurrency=concurrency)
        else:
            rss = _PeakRss()
            started = time.perf_counter()
            summary = client.run_batch_file(
                args.input, args.output, resume=False, chunk_size=chunk_size,
                concurrency=concurrency,
            )  # fmt: skip
        wall = time.perf_counter() - started
        growth = rss.stop()
    print(
        json.dumps(
            {
                "form": args.form,
                "wall": wall,
                "requests": summary.requests,
                "completed": summary.completed,
                "failed": summary.failed,
                "rss_growth_mb": growth,
            }
        )
    )


def _row(figures: dict[str, float | str], prompts: int) -> str:
    wall = float(figures["wall"])
    requests = int(figures["requests"])
    return (
        f"{figures['form']:<7} {wall:>8.2f} {requests:>9} {requests / wall:>10.1f}"
        f" {prompts / wall:>10.1f} {float(figures['rss_growth_mb']):>15.1f}"
        f"   completed {figures['completed']}, failed {figures['failed']}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the arguments, start the double, run each form in its own process, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--prompts", type=int, default=10_000)
    parser.add_argument("--chunk-size", type=int, default=25)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--memory-sizes", help="comma-separated prompt counts: RSS growth only")
    parser.add_argument(
        "--child", dest="form", choices=("memory", "file", "in-memory"), help=argparse.SUPPRESS
    )
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.form == "in-memory":
        _memory_child(args)
        return
    if args.form:
        _child(args)
        return
    if args.memory_sizes:
        print(memory_table(memory([int(n) for n in args.memory_sizes.split(",")])))
        return
    common = [f"--prompts={args.prompts}", f"--chunk-size={args.chunk_size}"]
    common.append(f"--concurrency={args.concurrency}")
    with tempfile.TemporaryDirectory() as work, _double() as base_url:
        source, target = Path(work, "in.jsonl"), Path(work, "out.jsonl")
        with source.open("w", encoding="utf-8") as file:
            for i, prompt in enumerate(_prompts(args.prompts)):
                file.write(json.dumps({"id": f"p{i}", "prompt": prompt}) + "\n")
        print(
            f"{args.prompts} prompts, chunk size {args.chunk_size}, concurrency "
            f"{args.concurrency}, double token_delay 0"
        )
        print(f"{'form':<7} {'wall s':>8} {'requests':>9} {'requests/s':>10} {'prompts/s':>10}"
              f" {'RSS growth MB':>15}")  # fmt: skip
        for form in ("memory", "file"):
            command = [sys.executable, "-m", "bench.batch", "--child", form, "--base-url", base_url]
            command += ["--input", str(source), "--output", str(target), *common]
            line = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            print(_row(json.loads(line.strip().splitlines()[-1]), args.prompts), flush=True)


if __name__ == "__main__":
    main()
