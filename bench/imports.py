"""Benchmark: import time of ``claude_client`` and of ``httpx`` alone, each in a fresh process.

The two alternate, run after run; each figure is the median of the runs. Only the ``import``
statement is timed (not the interpreter's start). ``claude_client`` imports httpx too.
Not a test: numbers depend on the machine. ``python -m bench.imports`` prints the figures.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

_TIMED = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"


def import_seconds(module: str) -> float:
    """Seconds ``import module`` takes in a new interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _TIMED.format(module)], check=True, capture_output=True, text=True
    )
    return float(out.stdout.strip())


def import_times(
    modules: tuple[str, ...] = ("claude_client", "httpx"), runs: int = 15
) -> dict[str, float]:
    """Median import time of each module over ``runs`` fresh processes, alternating."""
    times: dict[str, list[float]] = {module: [] for module in modules}
    for i in range(runs):
        for module in modules if i % 2 == 0 else tuple(reversed(modules)):
            times[module].append(import_seconds(module))
    return {module: statistics.median(values) for module, values in times.items()}


if __name__ == "__main__":
    for name, seconds in import_times().items():
        print(f"import {name:<14} {seconds * 1e3:7.1f} ms")
