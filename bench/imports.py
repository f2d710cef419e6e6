"""Benchmark: import time of the client against ``import httpx`` alone, each in a fresh process.

The headline is what a program really runs, ``from claude_client import ClaudeClient`` (and
``AsyncClaudeClient``), against ``import httpx``, target at most ``TARGET`` (1.25x: our own
import work fits in a quarter of httpx's); ``import claude_client`` (names bound lazily) is
shown beside it. The statements alternate, run after run; each figure is the median of the
runs. Only the statement is timed (not the interpreter's start). The client imports httpx too.
``breakdown()`` runs ``python -X importtime -c "from claude_client import ClaudeClient"`` and
sums the self time of every module by group (our own modules, the generated package, attrs,
httpx and what its import loads, httpcore and what only a first request loads, the rest), so
the figure says what to make lazy.

Not a test: numbers depend on the machine. ``python -m bench.imports`` prints the figures.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from typing import Any

_TIMED = "import time; t = time.perf_counter(); {0}; print(time.perf_counter() - t)"
#: What a program first runs: ``import claude_client`` binds names lazily, so the import of
#: the client class is what a caller really pays (the headline).
CLIENT = "from claude_client import ClaudeClient"
ASYNC_CLIENT = "from claude_client import AsyncClaudeClient"
#: The most the client's import may cost, as a multiple of ``import httpx`` (issue 18).
TARGET = 1.25


#: The environment of the timed processes: bytecode is written and read (an installed wheel
#: has its ``.pyc`` compiled by pip, as httpx's are; without them every run would time the
#: compiling of our sources, which ``PYTHONDONTWRITEBYTECODE=1`` in a shell otherwise forces).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the interpreter with ``args`` in a new process, in ``_ENV``."""
    return subprocess.run(
        [sys.executable, *args], check=True, capture_output=True, text=True, env=_ENV
    )


def warm(statements: tuple[str, ...]) -> None:
    """Run each statement once, untimed, so that its modules' bytecode is cached."""
    for statement in statements:
        _python("-c", statement if " " in statement else f"import {statement}")


def import_seconds(module: str) -> float:
    """Seconds ``import module`` (or a whole ``from ... import`` statement) takes in a new
    interpreter."""
    statement = module if " " in module else f"import {module}"
    return float(_python("-c", _TIMED.format(statement)).stdout.strip())


def import_times(
    modules: tuple[str, ...] = ("claude_client", "httpx"), runs: int = 15
) -> dict[str, float]:
    """Median import time of each module over ``runs`` fresh processes, alternating."""
    warm(modules)
    times: dict[str, list[float]] = {module: [] for module in modules}
    for i in range(runs):
        for module in modules if i % 2 == 0 else tuple(reversed(modules)):
            times[module].append(import_seconds(module))
    return {module: statistics.median(values) for module, values in times.items()}


#: Module groups of the breakdown: the first whose prefix matches a module's top-level name.
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("claude_client (own modules)", ("claude_client",)),
    ("claude_code_api (generated)", ("claude_code_api",)),
    ("attrs", ("attr", "attrs")),
    # What ``import httpx`` itself loads (rich, click and pygments: its CLI, when installed).
    ("httpx and its dependencies", ("httpx", "idna", "certifi", "ssl", "_ssl", "rich", "click",
                                    "pygments")),
    # Not loaded by ``import httpx`` (httpx 0.28 imports httpcore on its first transport).
    ("httpcore, anyio, trio (first request)", ("httpcore", "h11", "h2", "hpack", "hyperframe",
                                               "anyio", "sniffio", "trio", "outcome",
                                               "sortedcontainers")),
    ("wsproto", ("wsproto",)),
    ("dateutil", ("dateutil", "six")),
)  # fmt: skip


def _group(module: str) -> str | None:
    top = module.split(".", 1)[0]
    for group, names in _GROUPS:
        if top in names:
            return group
    return None


def _grouped(importtime: str) -> dict[str, float]:
    """Self time by group from ``-X importtime`` output. A module outside the groups (the
    stdlib, most often) counts for the group of the nearest grouped module that imported it:
    the email package that httpx pulls in is httpx's cost."""
    # The output lists each module after the ones it imported, indented one level deeper.
    pending: dict[int, list[tuple[str, int, list[Any]]]] = {}
    for line in importtime.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        own, _cumulative, name = line[12:].split("|", 2)
        if not own.strip().isdigit():
            continue
        stripped = name.lstrip()
        level = (len(name) - len(stripped)) // 2
        node = (stripped.rstrip(), int(own), pending.pop(level + 1, []))
        pending.setdefault(level, []).append(node)
    groups: dict[str, float] = {}
    stack = [(node, "stdlib and other") for nodes in pending.values() for node in nodes]
    while stack:
        (module_name, self_us, children), inherited = stack.pop()
        group = _group(module_name) or inherited
        groups[group] = groups.get(group, 0.0) + self_us * 1e-6
        stack.extend((child, group) for child in children)
    groups["total"] = sum(groups.values())  # everything the statement imported
    return groups


def breakdown(module: str = "claude_client", runs: int = 5) -> dict[str, float]:
    """Seconds of ``import module`` (or a ``from module import ...`` statement) by group (median
    self time over ``runs`` fresh processes), largest first; the key ``"total"`` holds the
    sum of every group: all the statement imported."""
    statement = module if " " in module else f"import {module}"
    warm((statement,))
    per_run = []
    for _ in range(runs):
        err = _python("-X", "importtime", "-c", statement).stderr
        per_run.append(_grouped(err))
    names = {name for groups in per_run for name in groups}
    medians = {n: statistics.median(g.get(n, 0.0) for g in per_run) for n in names}
    return dict(sorted(medians.items(), key=lambda item: -item[1]))


#: A fresh process's first steps, each timed: the import, making a client, its first call.
_FIRST_CALL = """
import time
t0 = time.perf_counter()
from claude_client import {cls}
t1 = time.perf_counter()
client = {cls}({url!r}, "bench-key")
t2 = time.perf_counter()
{run}
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""
_RUN = {
    "ClaudeClient": "client.complete('hi', 'haiku')",
    "AsyncClaudeClient": "import asyncio; asyncio.run(client.complete('hi', 'haiku'))",
}


def first_call(url: str, runs: int = 9) -> dict[str, tuple[float, float, float]]:
    """Median seconds, in fresh processes, of the client's import, of making a client, and of
    its first ``complete()`` against the server at ``url`` (which loads what the import left
    out): the other side of a lazy import, stated with it."""
    scripts = {cls: _FIRST_CALL.format(cls=cls, url=url, run=run) for cls, run in _RUN.items()}
    warm(tuple(scripts.values()))
    found: dict[str, list[tuple[float, ...]]] = {cls: [] for cls in _RUN}
    for _ in range(runs):
        for cls, script in scripts.items():
            out = _python("-c", script).stdout
            found[cls].append(tuple(float(x) for x in out.split()))
    medians: dict[str, tuple[float, float, float]] = {}
    for cls, values in found.items():
        a, b, c = (statistics.median(v[i] for v in values) for i in range(3))
        medians[cls] = (a, b, c)
    return medians


def ratios(runs: int = 15) -> dict[str, tuple[float, float]]:
    """Seconds and ratio to ``import httpx`` of the client's statements (headline first) and
    of ``import claude_client``; ``"httpx"`` holds the baseline."""
    statements = (CLIENT, ASYNC_CLIENT, "import claude_client")
    times = import_times(("httpx", *statements), runs)
    raw = times["httpx"]
    return {"httpx": (raw, 1.0)} | {s: (times[s], times[s] / raw) for s in statements}


if __name__ == "__main__":
    for name, (seconds, ratio) in ratios().items():
        target = f"(target <= {TARGET})" if name in (CLIENT, ASYNC_CLIENT) else ""
        print(f"{name:<45} {seconds * 1e3:7.1f} ms  {ratio:5.3f}x httpx {target}")
    from bench import _server

    with _server.running() as url:
        print("fresh process against bench._server: import, make a client, first complete():")
        for cls, (load, make, call) in first_call(url).items():
            total = (load + make + call) * 1e3
            print(f"  {cls:<18} {load * 1e3:6.1f} + {make * 1e3:6.1f} + {call * 1e3:6.1f}"
                  f" = {total:6.1f} ms")  # fmt: skip
    print(f"python -X importtime -c '{CLIENT}', self time by group (median of 5):")
    for group, seconds in breakdown(CLIENT).items():
        print(f"  {group:<38} {seconds * 1e3:7.1f} ms")
