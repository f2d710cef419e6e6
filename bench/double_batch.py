"""Benchmark: the service double's ``/v1/batch`` throughput with ``auto`` and with a fixed model.

Run ``python -m bench.double_batch`` from the repository root (``--prompts``, ``--chunk-size``).
The double runs in its own process, as users run their tests against it; this process sends
plain ``httpx`` batch requests one after another, so the figure is the double's own. With no
model, every batch request routes by the project's monthly usage (the service's rule), which
the double once computed by rescanning its whole usage log: quadratic in the prompts sent.
Prints prompts/s per model and the ratio auto / fixed. Not a test: numbers depend on the
machine. Importing this module runs nothing.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

import httpx

from bench._server import running

_KEY = "cc_" + "d" * 40


def _rate(model: str | None, prompts: int, chunk: int) -> float:
    """Prompts per second through a fresh double, ``chunk`` prompts per request."""
    options = ("--port", "0", "--api-key", _KEY, "--rate-limit", "100000000")
    with (
        running("claude_client.testing", *options) as base_url,
        httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {_KEY}"}) as http,
    ):
        started = time.perf_counter()
        for first in range(0, prompts, chunk):
            items = [
                {"prompt": f"prompt {n}: list three colors"} for n in range(first, first + chunk)
            ]
            body: dict[str, object] = {"prompts": items}
            if model is not None:
                body["model"] = model
            response = http.post("/v1/batch", json=body, timeout=120)
            response.raise_for_status()
        return prompts / (time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> None:
    """Run both forms and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.double_batch")
    parser.add_argument("--prompts", type=int, default=100_000)
    parser.add_argument("--chunk-size", type=int, default=25)
    args = parser.parse_args(argv)
    fixed = _rate("haiku", args.prompts, args.chunk_size)
    auto = _rate(None, args.prompts, args.chunk_size)
    print(f"double /v1/batch, {args.prompts:,} prompts in chunks of {args.chunk_size}")
    print(f"  model haiku: {fixed:8.0f} prompts/s")
    print(f"  model auto:  {auto:8.0f} prompts/s  ({auto / fixed:.2f} of fixed)")


if __name__ == "__main__":
    main()
