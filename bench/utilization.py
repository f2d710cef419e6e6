"""Benchmark: how much of the service's capacity each calling pattern keeps busy.

A stand-in service (``bench._server --workers 5 --task-seconds 0.1``, its own process) runs at
most 5 tasks at once, each 100 ms: 50 tasks a second at best, so 500 prompts take at least
10 s. Each calling pattern runs the same prompts through each contender:

- ``ours``: ``ClaudeClient`` / ``AsyncClaudeClient`` (``complete()``, ``run_batch()``);
- ``raw httpx``: ``httpx.Client`` / ``httpx.AsyncClient`` posting to the full URL and decoding
  the JSON, one ``/v1/batch`` request of every prompt for the batch pattern;
- ``seed-like``: a thin wrapper as the seed client was (a ``base_url`` httpx client, a dict
  built per call, ``raise_for_status``, the JSON dict returned; its ``batch()`` one request).

Patterns: one call at a time (sync); ``asyncio.gather`` of N calls on one async client; N
threads (a ``ThreadPoolExecutor`` of N) sharing one sync client, one call each; the batch
helper. N is 50 and 500: the client's CPU per call should not grow with N.

Figures: wall time, the fraction of the ideal capacity kept (ideal wall / wall: 1.0 keeps all
5 workers busy all the time; one call at a time can keep at most 1/5), the client process's CPU
(``process_time``, every thread; the service runs in its own process) and CPU per call. The
gather and thread patterns run ``rounds`` times for ours (default 3; the other contenders in
the first round only), the sizes taking turns, each round with fresh clients; a row gives the
median wall and the median CPU of its runs, so that one run disturbed by the machine does not
make the figure. Both raw
contenders get a 120 s timeout so that none fails while queued. Not a test: figures depend on
the machine. ``python -m bench.utilization`` prints the table.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import httpx

from bench._server import running
from claude_client import AsyncClaudeClient, ClaudeClient

KEY = "cc_" + "b" * 40
WORKERS = 5
TASK_SECONDS = 0.1
_WAIT = 120.0


def _prompt(i: int) -> str:
    return f"utilization prompt {i}: list three colors"


def _payload(prompt: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": prompt}], "model": "haiku", "timeout": 30.0}


class SeedLike:
    """The seed client's shape, thin: dicts in, dicts out, over a ``base_url`` httpx client."""

    def __init__(self, base_url: str, api_key: str) -> None:
        headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}
        self._http = httpx.Client(base_url=base_url, headers=headers, timeout=_WAIT)

    def complete(self, prompt: str, model: str = "haiku") -> dict[str, Any]:
        data = {"messages": [{"role": "user", "content": prompt}], "model": model}
        response = self._http.post("/v1/chat/completions", json=data)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def batch(self, prompts: Sequence[str], model: str = "haiku") -> dict[str, Any]:
        data = {"prompts": [{"id": str(i), "prompt": p} for i, p in enumerate(prompts)]}
        response = self._http.post("/v1/batch", json={**data, "model": model})
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def close(self) -> None:
        self._http.close()


class AsyncSeedLike:
    """``SeedLike`` over ``httpx.AsyncClient``."""

    def __init__(self, base_url: str, api_key: str) -> None:
        headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}
        self._http = httpx.AsyncClient(base_url=base_url, headers=headers, timeout=_WAIT)

    async def complete(self, prompt: str, model: str = "haiku") -> dict[str, Any]:
        data = {"messages": [{"role": "user", "content": prompt}], "model": model}
        response = await self._http.post("/v1/chat/completions", json=data)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    async def close(self) -> None:
        await self._http.aclose()


@attrs.frozen
class Row:
    """One pattern run by one contender."""

    pattern: str
    contender: str
    prompts: int
    wall: float
    cpu: float
    failed: int
    #: How many runs the row is the median of.
    runs: int = 1

    @property
    def ideal(self) -> float:
        return self.prompts * TASK_SECONDS / WORKERS

    @property
    def capacity(self) -> float:
        """Fraction of the service's capacity kept busy."""
        return self.ideal / self.wall

    @property
    def cpu_per_call_ms(self) -> float:
        return self.cpu / self.prompts * 1e3


def _measured(pattern: str, contender: str, prompts: int, run: Callable[[], int]) -> Row:
    cpu, wall = time.process_time(), time.perf_counter()
    failed = run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return Row(pattern, contender, prompts, wall, cpu, failed)


# --- the contenders' single calls -------------------------------------------------------------


def _sync_calls(base_url: str) -> dict[str, tuple[Callable[[str], object], Callable[[], None]]]:
    """Each sync contender's call and its close."""
    ours = ClaudeClient(base_url, KEY)
    raw = httpx.Client(headers={"Authorization": f"Bearer {KEY}"}, timeout=_WAIT)
    seed = SeedLike(base_url, KEY)
    url = f"{base_url}/v1/chat/completions"
    return {
        "ours": (lambda p: ours.complete(p, model="haiku"), ours.close),
        "raw httpx": (lambda p: raw.post(url, json=_payload(p)).json(), raw.close),
        "seed-like": (seed.complete, seed.close),
    }


def _failures(outcomes: Sequence[object]) -> int:
    return sum(isinstance(o, BaseException) for o in outcomes)


def sequential(base_url: str, prompts: int) -> list[Row]:
    """One call at a time, sync."""
    rows = []
    for name, (call, close) in _sync_calls(base_url).items():
        call(_prompt(-1))

        def run(call: Callable[[str], object] = call) -> int:
            for i in range(prompts):
                call(_prompt(i))
            return 0

        rows.append(_measured("sequential (sync)", name, prompts, run))
        close()
    return rows


def _runs_in(turn: int, names: Sequence[str]) -> list[str]:
    """The contenders of round ``turn``: every one in the first round, then ours alone (the
    targets are on ours; one run shows where the others stand, and raw httpx's 500 threads
    take minutes)."""
    return list(names) if turn == 0 else ["ours"]


def threads(base_url: str, count: int, turn: int = 0) -> list[Row]:
    """``count`` threads sharing one sync client, one call each, all submitted at once."""
    rows = []
    calls = _sync_calls(base_url)
    for name in _runs_in(turn, list(calls)):
        call, close = calls[name]
        call(_prompt(-1))

        def run(call: Callable[[str], object] = call) -> int:
            with ThreadPoolExecutor(count) as pool:
                futures = [pool.submit(call, _prompt(i)) for i in range(count)]
            return sum(f.exception() is not None for f in futures)

        rows.append(_measured(f"{count} threads, one sync client", name, count, run))
    for _, close in calls.values():
        close()
    return rows


def gather(base_url: str, prompts: int, turn: int = 0) -> list[Row]:
    """``asyncio.gather`` of every call at once on one async client."""

    async def measure() -> list[Row]:
        ours = AsyncClaudeClient(base_url, KEY)
        raw = httpx.AsyncClient(headers={"Authorization": f"Bearer {KEY}"}, timeout=_WAIT)
        seed = AsyncSeedLike(base_url, KEY)
        url = f"{base_url}/v1/chat/completions"

        async def raw_call(prompt: str) -> object:
            return (await raw.post(url, json=_payload(prompt))).json()

        calls: dict[str, Callable[[str], Any]] = {
            "ours": lambda p: ours.complete(p, model="haiku"),
            "raw httpx": raw_call,
            "seed-like": seed.complete,
        }
        rows = []
        for name in _runs_in(turn, list(calls)):
            call = calls[name]
            await call(_prompt(-1))
            cpu, wall = time.process_time(), time.perf_counter()
            outcomes = await asyncio.gather(
                *(call(_prompt(i)) for i in range(prompts)), return_exceptions=True
            )
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            rows.append(Row(f"gather of {prompts}", name, prompts, wall, cpu, _failures(outcomes)))
        await ours.aclose()
        await raw.aclose()
        await seed.close()
        return rows

    return asyncio.run(measure())


def batch(base_url: str, prompts: int) -> list[Row]:
    """The batch helper (ours: ``run_batch`` with its defaults); raw and seed-like: one
    ``/v1/batch`` request of every prompt."""
    texts = [_prompt(i) for i in range(prompts)]
    rows = []
    with ClaudeClient(base_url, KEY) as ours:
        ours.health()

        def ours_run() -> int:
            summary = ours.run_batch(texts, model="haiku")
            return summary.failed + summary.skipped

        rows.append(_measured("batch helper", "ours (run_batch)", prompts, ours_run))
    with httpx.Client(headers={"Authorization": f"Bearer {KEY}"}, timeout=_WAIT) as raw:
        body = {"prompts": [{"id": str(i), "prompt": p} for i, p in enumerate(texts)]}

        def raw_run() -> int:
            answer = raw.post(f"{base_url}/v1/batch", json={**body, "model": "haiku"}).json()
            return int(answer["failed"])

        rows.append(_measured("batch helper", "raw httpx (one /v1/batch)", prompts, raw_run))
    seed = SeedLike(base_url, KEY)
    rows.append(
        _measured(
            "batch helper", "seed-like (one /v1/batch)", prompts,
            lambda: int(seed.batch(texts)["failed"]),
        )
    )  # fmt: skip
    seed.close()
    return rows


@attrs.frozen
class Settings:
    """How many prompts each pattern runs, and how often the gather and thread patterns run."""

    sequential: int = 100
    gather: tuple[int, ...] = (50, 500)
    threads: tuple[int, ...] = (50, 500)
    batch: int = 500
    rounds: int = 3


QUICK = Settings(sequential=20, gather=(50, 200), threads=(50, 200), batch=100, rounds=1)


def _median(runs: Sequence[Row]) -> Row:
    """One row for several runs of a pattern: the median wall and the median CPU."""
    first = runs[0]
    return attrs.evolve(
        first,
        wall=statistics.median(r.wall for r in runs),
        cpu=statistics.median(r.cpu for r in runs),
        failed=max(r.failed for r in runs),
        runs=len(runs),
    )


def in_rounds(
    sizes: Sequence[int], rounds: int, pattern: Callable[[int, int], Iterable[Row]]
) -> list[Row]:
    """``pattern(size, turn)`` for each size, ``rounds`` times, the order of the sizes changing
    each round; the median of each row's runs."""
    runs: dict[tuple[str, str], list[Row]] = {}
    for turn in range(rounds):
        for size in sizes if turn % 2 == 0 else sizes[::-1]:
            for row in pattern(size, turn):
                runs.setdefault((row.pattern, row.contender), []).append(row)
    order = {size: i for i, size in enumerate(sizes)}
    medians = [_median(found) for found in runs.values()]
    return sorted(medians, key=lambda r: order[r.prompts])


def run(settings: Settings = Settings()) -> list[Row]:
    """Every pattern and contender against one stand-in service."""
    options = ("--workers", str(WORKERS), "--task-seconds", str(TASK_SECONDS))
    rows: list[Row] = []
    with running("bench._server", *options) as base_url:
        if settings.sequential:
            rows += sequential(base_url, settings.sequential)
        rows += in_rounds(
            settings.gather, settings.rounds, lambda n, turn: gather(base_url, n, turn)
        )
        rows += in_rounds(
            settings.threads, settings.rounds, lambda n, turn: threads(base_url, n, turn)
        )
        if settings.batch:
            rows += batch(base_url, settings.batch)
    return rows


def table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| calling pattern | contender | prompts | wall s | ideal s | capacity kept "
        "| client CPU s | CPU per call ms | failed | runs |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r.pattern} | {r.contender} | {r.prompts} | {r.wall:.2f} | {r.ideal:.1f} "
            f"| {r.capacity:.2f} | {r.cpu:.2f} | {r.cpu_per_call_ms:.2f} | {r.failed} "
            f"| {r.runs} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Run every pattern; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer prompts (smoke run)")
    parser.add_argument(
        "--only", choices=("gather", "threads"), help="run only that pattern (its sizes, rounds)"
    )
    parser.add_argument("--rounds", type=int, help="rounds of the gather and thread patterns")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else Settings()
    if args.rounds is not None:
        settings = attrs.evolve(settings, rounds=args.rounds)
    if args.only is not None:
        gather = settings.gather if args.only == "gather" else ()
        threads = settings.threads if args.only == "threads" else ()
        settings = attrs.evolve(settings, sequential=0, batch=0, gather=gather, threads=threads)
    print(table(run(settings)))


if __name__ == "__main__":
    main()
