"""Benchmark: what ``complete()`` costs on top of raw httpx, measured side by side in one run.

Two raw baselines, because they differ: raw httpx posting the full URL (the faster one: no
path merge) and raw httpx with a ``base_url`` (merges the path on every request). Each figure
is headlined against the faster of the two, i.e. the worse ratio for us.

- latency: median time of one ``complete()``, one ``complete()`` through ``http_client=`` (a
  caller's own httpx client), and the two raw POSTs + ``.json()`` of the same request, over
  loopback against a minimal uvicorn app answering a fixed valid body (its own process), sync
  and async; the four take turns call by call.
- cpu: CPU time per call with the network taken out: the same four over
  ``httpx.MockTransport`` (ours on it under its retry layer; the ``http_client=`` one with the
  caller's client on it, async on httpx's default transport answering in memory), median of
  many short blocks taking turns (a burst of load from elsewhere spoils few of them); and ours
  with 64 tasks at once.
- profile: where the client's extra CPU goes (pyinstrument, self time by module).

Not a test: numbers depend on the machine. Importing this module runs nothing; ``python -m
bench.overhead`` prints the figures.
"""

from __future__ import annotations

import asyncio
import inspect
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx

from bench._server import CHAT_BYTES, running
from claude_client import AsyncClaudeClient, ClaudeClient, Model

KEY = "cc_" + "b" * 40
PROMPT = "list three colors"
#: The body ``complete(PROMPT, model="haiku")`` sends (the client's default task limit).
PAYLOAD: dict[str, Any] = {
    "messages": [{"role": "user", "content": PROMPT}],
    "model": "haiku",
    "timeout": 30.0,
}
CHAT = "/v1/chat/completions"
#: Tasks sharing one async client in the throughput and concurrent-CPU figures.
CONCURRENCY = 64


@attrs.frozen
class Figure:
    """One comparison: our figure, raw httpx's, and the target on their ratio."""

    name: str
    unit: str
    ours: float
    raw: float
    #: The ratio ours / raw must be at most this (``lower``) or at least this (not ``lower``).
    target: float | None = None
    lower: bool = True

    @property
    def ratio(self) -> float:
        return self.ours / self.raw

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.ratio <= self.target if self.lower else self.ratio >= self.target


# --- clients -----------------------------------------------------------------------------------


def _raw_options(base_url: str | None, transport: object) -> dict[str, Any]:
    """Raw httpx's options: the key, and ``base_url`` and ``transport`` when given."""
    options: dict[str, Any] = {"headers": {"Authorization": f"Bearer {KEY}"}}
    if base_url is not None:
        options["base_url"] = base_url
    if transport is not None:
        options["transport"] = transport
    return options


def _raw_sync(base_url: str | None, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """Raw httpx: with ``base_url`` (paths merged on each request) or without (full URLs)."""
    return httpx.Client(**_raw_options(base_url, transport))


def _raw_async(
    base_url: str | None, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """``_raw_sync`` for async."""
    return httpx.AsyncClient(**_raw_options(base_url, transport))


def _mock() -> httpx.MockTransport:
    """An in-memory transport answering the fixed chat completion."""
    headers = {"content-type": "application/json"}
    return httpx.MockTransport(lambda _: httpx.Response(200, headers=headers, content=CHAT_BYTES))


def _async_default_in_memory() -> httpx.AsyncHTTPTransport:
    """httpx's default async transport, the one a caller's ``httpx.AsyncClient()`` has (the
    client treats it as such: no shielded close of its own), answering like ``_mock()``."""
    transport = httpx.AsyncHTTPTransport()
    transport.handle_async_request = _mock().handle_async_request  # type: ignore[method-assign]
    return transport


def _takes_transport(cls: type[Any]) -> bool:
    return "transport" in inspect.signature(cls.__init__).parameters


class _OnTransport(ClaudeClient):
    """``ClaudeClient`` whose transport (under its retry layer) is the given one, for a
    client without a public way to hand one in."""

    transport: httpx.BaseTransport

    def _inner_for(self, http_client: httpx.Client | None) -> httpx.BaseTransport:
        return self.transport


class _AsyncOnTransport(AsyncClaudeClient):
    """``AsyncClaudeClient`` whose transport (under its retry layer) is the given one."""

    transport: httpx.AsyncBaseTransport

    def _inner_for(self, http_client: httpx.AsyncClient | None) -> httpx.AsyncBaseTransport:
        return self.transport


def on_mock() -> ClaudeClient:
    """``ClaudeClient`` over the in-memory transport (its public ``transport=`` if it has one)."""
    if _takes_transport(ClaudeClient):
        return ClaudeClient("http://bench.test", KEY, transport=_mock())  # type: ignore[call-arg,unused-ignore]
    _OnTransport.transport = _mock()
    return _OnTransport("http://bench.test", KEY)


def async_on_mock() -> AsyncClaudeClient:
    """``AsyncClaudeClient`` over the in-memory transport."""
    if _takes_transport(AsyncClaudeClient):
        return AsyncClaudeClient("http://bench.test", KEY, transport=_mock())  # type: ignore[call-arg,unused-ignore]
    _AsyncOnTransport.transport = _mock()
    return _AsyncOnTransport("http://bench.test", KEY)


# --- timing helpers ----------------------------------------------------------------------------


def _cpu_block(call: Callable[[], object], calls: int) -> Callable[[], float]:
    def measure() -> float:
        start = time.process_time()
        for _ in range(calls):
            call()
        return (time.process_time() - start) / calls

    return measure


def _cpu_block_async(
    runner: asyncio.Runner, call: Callable[[], Awaitable[object]], calls: int
) -> Callable[[], float]:
    async def block() -> float:
        start = time.process_time()
        for _ in range(calls):
            await call()
        return (time.process_time() - start) / calls

    return lambda: runner.run(block())


def _cpu_concurrent(
    runner: asyncio.Runner, call: Callable[[], Awaitable[object]], calls: int
) -> Callable[[], float]:
    """CPU per call of ``calls`` calls made by ``CONCURRENCY`` tasks at once."""

    async def block() -> float:
        start = time.process_time()
        await _throughput(call, CONCURRENCY, calls)
        return (time.process_time() - start) / calls

    return lambda: runner.run(block())


# --- (a) latency over loopback --------------------------------------------------------------------


def _turns(names: list[str], rounds: int) -> Iterator[str]:
    """Each name once a round, the order rotating, so drifts of the machine hit each alike."""
    for i in range(rounds):
        shift = i % len(names)
        yield from names[shift:] + names[:shift]


def _medians(times: dict[str, list[float]], warmup: int) -> dict[str, float]:
    """Each call's median time, its first ``warmup`` rounds left out."""
    return {name: statistics.median(taken[warmup:]) for name, taken in times.items()}


def _take_turns(
    calls: dict[str, Callable[[], object]], rounds: int, warmup: int
) -> dict[str, float]:
    """Median time of each call; they take turns call by call (``_turns``)."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    for name in _turns(list(calls), rounds + warmup):
        start = time.perf_counter()
        calls[name]()
        times[name].append(time.perf_counter() - start)
    return _medians(times, warmup)


async def _take_turns_async(
    calls: dict[str, Callable[[], Awaitable[object]]], rounds: int, warmup: int
) -> dict[str, float]:
    """``_take_turns`` for coroutines."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    for name in _turns(list(calls), rounds + warmup):
        start = time.perf_counter()
        await calls[name]()
        times[name].append(time.perf_counter() - start)
    return _medians(times, warmup)


def compared(title: str, unit: str, figures: dict[str, float], target: float) -> list[Figure]:
    """Ours against each raw baseline, and the headline: ours against the faster of the two
    (the worse ratio); then the ``http_client=`` path against our own client."""
    ours = figures["ours"]
    full, base = figures["raw full URL"], figures["raw base_url"]
    return [
        Figure(f"{title} (vs the faster raw baseline)", unit, ours, min(full, base), target),
        Figure(f"{title}: vs raw httpx, full URL", unit, ours, full),
        Figure(f"{title}: vs raw httpx, base_url", unit, ours, base),
        Figure(f"{title}: via http_client= vs ours", unit, figures["via http_client="], ours, 1.02),
    ]


def latency(base_url: str, calls: int, warmup: int = 200) -> list[Figure]:
    """Median latency per call, sync then async: ours, ours through ``http_client=``, raw httpx
    posting the full URL, raw httpx with a ``base_url`` (both decode the JSON)."""
    url = base_url + CHAT
    with (
        ClaudeClient(base_url, KEY) as ours,
        ClaudeClient(base_url, KEY, http_client=httpx.Client()) as via,
        _raw_sync(None) as full,
        _raw_sync(base_url) as base,
    ):
        sync = _take_turns(
            {
                "ours": lambda: ours.complete(PROMPT, model=Model.HAIKU),
                "via http_client=": lambda: via.complete(PROMPT, model=Model.HAIKU),
                "raw full URL": lambda: full.post(url, json=PAYLOAD).json(),
                "raw base_url": lambda: base.post(CHAT, json=PAYLOAD).json(),
            },
            calls,
            warmup,
        )

    async def measure_async() -> dict[str, float]:
        async with (
            AsyncClaudeClient(base_url, KEY) as ours,
            AsyncClaudeClient(base_url, KEY, http_client=httpx.AsyncClient()) as via,
            _raw_async(None) as full,
            _raw_async(base_url) as base,
        ):

            async def full_call() -> object:
                return (await full.post(url, json=PAYLOAD)).json()

            async def base_call() -> object:
                return (await base.post(CHAT, json=PAYLOAD)).json()

            return await _take_turns_async(
                {
                    "ours": lambda: ours.complete(PROMPT, model=Model.HAIKU),
                    "via http_client=": lambda: via.complete(PROMPT, model=Model.HAIKU),
                    "raw full URL": full_call,
                    "raw base_url": base_call,
                },
                calls,
                warmup,
            )

    aio = asyncio.run(measure_async())
    us = 1e6
    return [
        *compared("latency sync, median", "us", {k: v * us for k, v in sync.items()}, 1.05),
        *compared("latency async, median", "us", {k: v * us for k, v in aio.items()}, 1.05),
    ]


# --- (b) CPU per call, no network -----------------------------------------------------------------


def _alternate_all(measures: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Median of ``rounds`` measurements of each, the order rotating each round."""
    taken: dict[str, list[float]] = {name: [] for name in measures}
    order = list(measures)
    for i in range(rounds):
        shift = i % len(order)
        for name in order[shift:] + order[:shift]:
            taken[name].append(measures[name]())
    return {name: statistics.median(values) for name, values in taken.items()}


def cpu(blocks: int, calls: int) -> list[Figure]:
    """CPU per call over ``httpx.MockTransport``, sync and async: ours, ours through
    ``http_client=`` (the caller's client on the same transport), raw httpx with the full URL
    and with a ``base_url``; then ours with ``CONCURRENCY`` tasks at once."""
    ours = on_mock()
    via = ClaudeClient("http://bench.test", KEY, http_client=httpx.Client(transport=_mock()))
    full = _raw_sync(None, _mock())
    base = _raw_sync("http://bench.test", _mock())
    url = "http://bench.test" + CHAT
    sync_calls: dict[str, Callable[[], object]] = {
        "ours": lambda: ours.complete(PROMPT, model=Model.HAIKU),
        "via http_client=": lambda: via.complete(PROMPT, model=Model.HAIKU),
        "raw full URL": lambda: full.post(url, json=PAYLOAD).json(),
        "raw base_url": lambda: base.post(CHAT, json=PAYLOAD).json(),
    }
    _alternate_all({n: _cpu_block(c, 200) for n, c in sync_calls.items()}, 2)
    sync = _alternate_all({n: _cpu_block(c, calls) for n, c in sync_calls.items()}, blocks)
    with asyncio.Runner() as runner:
        aours = async_on_mock()
        avia = AsyncClaudeClient(
            "http://bench.test",
            KEY,
            http_client=httpx.AsyncClient(transport=_async_default_in_memory()),
        )
        afull = _raw_async(None, _mock())
        abase = _raw_async("http://bench.test", _mock())

        async def aours_call() -> None:
            await aours.complete(PROMPT, model=Model.HAIKU)

        async def avia_call() -> None:
            await avia.complete(PROMPT, model=Model.HAIKU)

        async def afull_call() -> None:
            (await afull.post(url, json=PAYLOAD)).json()

        async def abase_call() -> None:
            (await abase.post(CHAT, json=PAYLOAD)).json()

        async_calls: dict[str, Callable[[], Awaitable[object]]] = {
            "ours": aours_call,
            "via http_client=": avia_call,
            "raw full URL": afull_call,
            "raw base_url": abase_call,
        }
        _alternate_all({n: _cpu_block_async(runner, c, 200) for n, c in async_calls.items()}, 2)
        aio = _alternate_all(
            {n: _cpu_block_async(runner, c, calls) for n, c in async_calls.items()}, blocks
        )
        crowd = _alternate_all(
            {
                "ours": _cpu_concurrent(runner, aours_call, calls * 2),
                "raw full URL": _cpu_concurrent(runner, afull_call, calls * 2),
            },
            blocks,
        )
    us = 1e6
    return [
        *compared("CPU per call, sync", "us", {k: v * us for k, v in sync.items()}, 1.10),
        *compared("CPU per call, async", "us", {k: v * us for k, v in aio.items()}, 1.10),
        Figure(
            f"CPU per call, async, {CONCURRENCY} tasks: vs raw httpx, full URL",
            "us",
            crowd["ours"] * us,
            crowd["raw full URL"] * us,
        ),
    ]


async def _throughput(call: Callable[[], Awaitable[object]], concurrency: int, total: int) -> float:
    left = total

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await call()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return total / (time.perf_counter() - start)


# --- where the CPU goes ------------------------------------------------------------------------


def _group(file_path: str) -> str:
    """A module group for a frame's file: our modules one by one, packages, stdlib modules."""
    if file_path.startswith("<attrs generated"):
        return "attrs (generated __init__ / validators)"
    path = Path(file_path)
    parts = path.parts
    for package in ("claude_client", "claude_code_api", "httpx", "httpcore", "attr", "anyio"):
        if package in parts:
            if package == "claude_client":
                return "claude_client/" + path.name
            if package == "claude_code_api":
                return "claude_code_api (generated)"
            return package
    if "site-packages" in parts:
        return "other packages"
    return "stdlib " + (path.parent.name + "/" if path.name == "__init__.py" else "") + path.stem


def _self_times(frame: Any) -> Iterator[tuple[str, float]]:
    """(group, self time) of every frame; a synthetic frame (pyinstrument's ``[self]``,
    ``[await]``...) counts for the frame it belongs to."""
    stack = [(frame, "interpreter")]
    while stack:
        node, parent = stack.pop()
        group = parent if node.is_synthetic or not node.file_path else _group(node.file_path)
        yield group, float(node.total_self_time)
        stack.extend((child, group) for child in node.children)


def _profile(call: Callable[[], object], calls: int) -> dict[str, float]:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0001)
    profiler.start()
    for _ in range(calls):
        call()
    session = profiler.stop()
    root = session.root_frame()
    seconds: dict[str, float] = {}
    if root is not None:
        for group, spent in _self_times(root):
            seconds[group] = seconds.get(group, 0.0) + spent
    return {group: spent / calls for group, spent in seconds.items()}


@attrs.frozen
class Profile:
    """Self time per call by module group, ours and raw (seconds)."""

    ours: dict[str, float]
    raw: dict[str, float]

    def extra(self) -> list[tuple[str, float, float, float]]:
        """(group, ours, raw, ours - raw) per call, largest difference first."""
        groups = set(self.ours) | set(self.raw)
        rows = [(g, self.ours.get(g, 0.0), self.raw.get(g, 0.0)) for g in groups]
        return sorted(((g, o, r, o - r) for g, o, r in rows), key=lambda row: -row[3])


def profile(calls: int) -> Profile:
    """Profile ``complete()`` and the raw call (full URL) over the in-memory transport."""
    ours = on_mock()
    raw = _raw_sync(None, _mock())
    url = "http://bench.test" + CHAT
    for _ in range(200):
        ours.complete(PROMPT, model=Model.HAIKU)
        raw.post(url, json=PAYLOAD).json()
    return Profile(
        ours=_profile(lambda: ours.complete(PROMPT, model=Model.HAIKU), calls),
        raw=_profile(lambda: raw.post(url, json=PAYLOAD).json(), calls),
    )


def main() -> None:
    """Run (a), (b) and the profile; print them."""
    with running() as base_url:
        figures = [*latency(base_url, 2000), *cpu(35, 200)]
    for f in figures:
        print(f"{f.name:<60} ours {f.ours:9.1f} {f.unit:<3} raw {f.raw:9.1f}  x{f.ratio:.3f}")
    for group, ours, raw, extra in profile(3000).extra()[:10]:
        print(f"{group:<32} ours {ours * 1e6:7.1f} us  raw {raw * 1e6:7.1f} us  +{extra * 1e6:.1f}")


if __name__ == "__main__":
    main()
