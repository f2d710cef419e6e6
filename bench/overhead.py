"""Benchmark: what ``complete()`` costs on top of raw httpx, measured side by side in one run.

- latency: median time of one ``complete()`` vs one raw ``httpx`` POST + ``.json()`` of the same
  request, over loopback against a minimal uvicorn app answering a fixed valid body (in its own
  process), sync and async; the two alternate call by call.
- cpu: CPU time per call with the network taken out: ``complete()`` with an
  ``httpx.MockTransport`` as its transport vs raw ``httpx`` over the same transport (alternating
  blocks; median of blocks). Also through the public ``http_client=`` argument, which adds the
  caller's own ``httpx.Client`` as a second layer.
- throughput: requests per second of 64 concurrent tasks sharing one async client.
- profile: where the client's extra CPU goes (pyinstrument, self time by module).

Not a test: numbers depend on the machine. Importing this module runs nothing; ``python -m
bench.overhead`` prints the figures.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
from claude_code_api.api.chat import create_chat_completion
from claude_code_api.models import ChatCompletionRequest

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


def _raw_sync(base_url: str, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {KEY}"}
    if transport is None:
        return httpx.Client(base_url=base_url, headers=headers)
    return httpx.Client(base_url=base_url, headers=headers, transport=transport)


def _raw_async(
    base_url: str, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {KEY}"}
    if transport is None:
        return httpx.AsyncClient(base_url=base_url, headers=headers)
    return httpx.AsyncClient(base_url=base_url, headers=headers, transport=transport)


def _mock() -> httpx.MockTransport:
    """An in-memory transport answering the fixed chat completion."""
    headers = {"content-type": "application/json"}
    return httpx.MockTransport(lambda _: httpx.Response(200, headers=headers, content=CHAT_BYTES))


class _OnTransport(ClaudeClient):
    """``ClaudeClient`` whose transport (under its retry layer) is the given one."""

    transport: httpx.BaseTransport

    def _inner_for(self, http_client: httpx.Client | None) -> httpx.BaseTransport:
        return self.transport


class _AsyncOnTransport(AsyncClaudeClient):
    """``AsyncClaudeClient`` whose transport (under its retry layer) is the given one."""

    transport: httpx.AsyncBaseTransport

    def _inner_for(self, http_client: httpx.AsyncClient | None) -> httpx.AsyncBaseTransport:
        return self.transport


def on_mock() -> ClaudeClient:
    """``ClaudeClient`` over the in-memory transport."""
    _OnTransport.transport = _mock()
    return _OnTransport("http://bench.test", KEY)


def async_on_mock() -> AsyncClaudeClient:
    """``AsyncClaudeClient`` over the in-memory transport."""
    _AsyncOnTransport.transport = _mock()
    return _AsyncOnTransport("http://bench.test", KEY)


# --- timing helpers ----------------------------------------------------------------------------


def _alternate(a: Callable[[], float], b: Callable[[], float], rounds: int) -> tuple[float, float]:
    """Medians of ``rounds`` measurements of ``a`` and ``b``, taken alternately (ABBA...)."""
    first: list[float] = []
    second: list[float] = []
    for i in range(rounds):
        if i % 2:
            second.append(b())
            first.append(a())
        else:
            first.append(a())
            second.append(b())
    return statistics.median(first), statistics.median(second)


def _timed(call: Callable[[], object]) -> Callable[[], float]:
    def measure() -> float:
        start = time.perf_counter()
        call()
        return time.perf_counter() - start

    return measure


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


class _OnPlainHttpx(ClaudeClient):
    """``ClaudeClient`` on a plain ``httpx.Client`` (httpx merges each path on every call)."""

    def _make_http_client(self, transport: httpx.BaseTransport) -> httpx.Client:
        return httpx.Client(transport=transport, **self._http_options())


class _AsyncOnPlainHttpx(AsyncClaudeClient):
    """``AsyncClaudeClient`` on a plain ``httpx.AsyncClient``."""

    def _make_http_client(self, transport: httpx.AsyncBaseTransport) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=transport, **self._http_options())


#: What each contender of the sync latency benchmark is (raw httpx is the reference).
_SYNC_LAYERS: dict[str, str] = {
    "ours": "latency sync, median",
    "transport": "latency sync, layers: plain httpx + retry transport",
    "generated": "latency sync, layers: + generated operation",
    "plain": "latency sync, layers: + complete() (all, on plain httpx)",
}


def _take_turns(
    calls: dict[str, Callable[[], object]], rounds: int, warmup: int
) -> dict[str, float]:
    """Median time of each call; they take turns call by call, the order rotating, so drifts
    of the machine hit each alike."""
    times: dict[str, list[float]] = {name: [] for name in calls}
    order = list(calls)
    for i in range(rounds + warmup):
        shift = i % len(order)
        for name in order[shift:] + order[:shift]:
            start = time.perf_counter()
            calls[name]()
            taken = time.perf_counter() - start
            if i >= warmup:
                times[name].append(taken)
    return {name: statistics.median(taken) for name, taken in times.items()}


def latency(base_url: str, calls: int, warmup: int = 200) -> list[Figure]:
    """Median latency per call, sync then async: ours, raw, and our layers one by one.

    "plain" is ``complete()`` on a plain httpx client, without our path-merging subclass
    (``claude_client/_http_clients.py``): the cost of our layers alone. In the sync run the
    layers are also added one at a time on that plain client: our retry transport under a
    bare POST, then the generated operation (a prepared request model), then ``complete()``.
    """
    with (
        ClaudeClient(base_url, KEY) as ours,
        _OnPlainHttpx(base_url, KEY) as plain,
        _raw_sync(base_url) as raw,
    ):
        body = ChatCompletionRequest.from_dict(PAYLOAD)
        sync = _take_turns(
            {
                "raw": lambda: raw.post(CHAT, json=PAYLOAD).json(),
                "transport": lambda: (
                    plain.low_level.get_httpx_client().post(CHAT, json=PAYLOAD).json()
                ),
                "generated": lambda: create_chat_completion.sync_detailed(
                    client=plain.low_level, body=body
                ),
                "plain": lambda: plain.complete(PROMPT, model=Model.HAIKU),
                "ours": lambda: ours.complete(PROMPT, model=Model.HAIKU),
            },
            calls,
            warmup,
        )

    async def measure_async() -> dict[str, list[float]]:
        async with (
            AsyncClaudeClient(base_url, KEY) as ours,
            _AsyncOnPlainHttpx(base_url, KEY) as plain,
            _raw_async(base_url) as raw,
        ):

            async def raw_call() -> object:
                return (await raw.post(CHAT, json=PAYLOAD)).json()

            async_calls: dict[str, Callable[[], Awaitable[object]]] = {
                "ours": lambda: ours.complete(PROMPT, model=Model.HAIKU),
                "plain": lambda: plain.complete(PROMPT, model=Model.HAIKU),
                "raw": raw_call,
            }
            times: dict[str, list[float]] = {name: [] for name in async_calls}
            order = list(async_calls)
            for i in range(calls + warmup):
                for name in order[i % 3 :] + order[: i % 3]:
                    start = time.perf_counter()
                    await async_calls[name]()
                    taken = time.perf_counter() - start
                    if i >= warmup:
                        times[name].append(taken)
            return times

    aio = {name: statistics.median(taken) for name, taken in asyncio.run(measure_async()).items()}
    figures = [
        Figure(title, "us", sync[name] * 1e6, sync["raw"] * 1e6, 1.05 if name == "ours" else None)
        for name, title in _SYNC_LAYERS.items()
    ]
    return [
        *figures,
        Figure("latency async, median", "us", aio["ours"] * 1e6, aio["raw"] * 1e6, 1.05),
        Figure(
            "latency async, complete() on plain httpx (all layers)",
            "us",
            aio["plain"] * 1e6,
            aio["raw"] * 1e6,
        ),
    ]


# --- (b) CPU per call, no network -----------------------------------------------------------------


def cpu(blocks: int, calls: int) -> list[Figure]:
    """CPU per call over ``httpx.MockTransport``: sync, async, and sync through ``http_client``."""
    transport = _mock()
    ours = on_mock()
    raw = _raw_sync("http://bench.test", transport)
    layered = ClaudeClient("http://bench.test", KEY, http_client=httpx.Client(transport=transport))

    def ours_call() -> None:
        ours.complete(PROMPT, model=Model.HAIKU)

    def layered_call() -> None:
        layered.complete(PROMPT, model=Model.HAIKU)

    def raw_call() -> None:
        raw.post(CHAT, json=PAYLOAD).json()

    _alternate(_cpu_block(ours_call, 200), _cpu_block(raw_call, 200), 2)
    sync = _alternate(_cpu_block(ours_call, calls), _cpu_block(raw_call, calls), blocks)
    via = _alternate(_cpu_block(layered_call, calls), _cpu_block(raw_call, calls), blocks)
    with asyncio.Runner() as runner:
        aours = async_on_mock()
        araw = _raw_async("http://bench.test", _mock())

        async def aours_call() -> None:
            await aours.complete(PROMPT, model=Model.HAIKU)

        async def araw_call() -> None:
            (await araw.post(CHAT, json=PAYLOAD)).json()

        _alternate(
            _cpu_block_async(runner, aours_call, 200), _cpu_block_async(runner, araw_call, 200), 2
        )
        aio = _alternate(
            _cpu_block_async(runner, aours_call, calls),
            _cpu_block_async(runner, araw_call, calls),
            blocks,
        )
        crowd = _alternate(
            _cpu_concurrent(runner, aours_call, calls * 2),
            _cpu_concurrent(runner, araw_call, calls * 2),
            blocks,
        )
    return [
        Figure("CPU per call, sync (MockTransport)", "us", sync[0] * 1e6, sync[1] * 1e6, 1.5),
        Figure("CPU per call, async (MockTransport)", "us", aio[0] * 1e6, aio[1] * 1e6, 1.5),
        Figure(
            f"CPU per call, async, {CONCURRENCY} tasks (MockTransport)",
            "us",
            crowd[0] * 1e6,
            crowd[1] * 1e6,
        ),
        Figure("CPU per call, sync via http_client=", "us", via[0] * 1e6, via[1] * 1e6),
    ]


# --- (c) async throughput ------------------------------------------------------------------------


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


def throughput(base_url: str, concurrency: int, total: int, rounds: int) -> Figure:
    """Requests per second of ``concurrency`` tasks sharing one async client (median of rounds)."""

    async def measure() -> tuple[float, float]:
        async with AsyncClaudeClient(base_url, KEY) as ours, _raw_async(base_url) as raw:

            async def ours_call() -> None:
                await ours.complete(PROMPT, model=Model.HAIKU)

            async def raw_call() -> None:
                (await raw.post(CHAT, json=PAYLOAD)).json()

            await _throughput(ours_call, concurrency, concurrency * 4)  # open the pools
            await _throughput(raw_call, concurrency, concurrency * 4)
            results: dict[str, list[float]] = {"ours": [], "raw": []}
            for i in range(rounds):
                pair = [("ours", ours_call), ("raw", raw_call)]
                for name, call in pair if i % 2 == 0 else reversed(pair):
                    results[name].append(await _throughput(call, concurrency, total))
            return statistics.median(results["ours"]), statistics.median(results["raw"])

    ours, raw = asyncio.run(measure())
    name = f"async throughput, concurrency {concurrency}"
    return Figure(name, "req/s", ours, raw, 0.9, lower=False)


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
    """Profile ``complete()`` and the raw call over the in-memory transport."""
    ours = on_mock()
    raw = _raw_sync("http://bench.test", _mock())
    for _ in range(200):
        ours.complete(PROMPT, model=Model.HAIKU)
        raw.post(CHAT, json=PAYLOAD).json()
    return Profile(
        ours=_profile(lambda: ours.complete(PROMPT, model=Model.HAIKU), calls),
        raw=_profile(lambda: raw.post(CHAT, json=PAYLOAD).json(), calls),
    )


def main() -> None:
    """Run (a), (b), (c) and the profile; print them."""
    with running() as base_url:
        figures = [
            *latency(base_url, 2000),
            *cpu(7, 1000),
            throughput(base_url, CONCURRENCY, 3000, 3),
        ]
    for f in figures:
        print(f"{f.name:<40} ours {f.ours:10.1f} {f.unit:<5} raw {f.raw:10.1f}  x{f.ratio:.3f}")
    for group, ours, raw, extra in profile(3000).extra()[:10]:
        print(f"{group:<32} ours {ours * 1e6:7.1f} us  raw {raw * 1e6:7.1f} us  +{extra * 1e6:.1f}")


if __name__ == "__main__":
    main()
