"""Run every benchmark, print the figures, and write ``bench/RESULTS.md`` (``scripts/bench``).

- per call (``bench.overhead``): ``complete()`` latency over loopback and CPU per call in
  memory against raw httpx with a full URL and with a ``base_url``, headlined against the
  faster of the two; the ``http_client=`` path against our own client;
- service utilization by calling pattern (``bench.utilization``);
- ``run_batch_file`` memory at 10,000 / 100,000 / 1,000,000 prompts (``bench.batch``);
- streaming time to first chunk against a raw ``websockets`` client (``bench.streaming``);
- import time against ``import httpx``, with a breakdown (``bench.imports``).

``--quick`` runs fewer iterations and smaller sizes (a smoke run, noisier figures).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import attrs

from bench import batch as batch_bench
from bench import imports, overhead, utilization
from bench import streaming as streaming_bench
from bench._server import running

RESULTS = Path(__file__).with_name("RESULTS.md")


@attrs.frozen
class Row:
    """One line of the table: a figure of ours, raw httpx's when compared, and the target."""

    name: str
    unit: str
    ours: float
    raw: float | None = None
    target: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> str:
        return f"{self.ours / self.raw:.3f}" if self.raw else "-"

    @property
    def verdict(self) -> str:
        return {True: "met", False: "MISSED", None: ""}[self.met]


@attrs.frozen
class Settings:
    """Iterations of each benchmark."""

    latency_calls: int = 3000
    cpu_blocks: int = 45  # many short blocks: a burst of load elsewhere spoils few of them
    cpu_calls: int = 200
    import_runs: int = 15
    profile_calls: int = 3000
    stream_runs: int = 20
    ttfc_runs: int = 100
    batch_prompts: int = 10_000
    memory_sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)
    patterns: utilization.Settings = attrs.field(factory=utilization.Settings)


QUICK = Settings(300, 3, 200, 3, 300, 3, 10, 500, (1000, 10_000), utilization.QUICK)


def _compared(figure: overhead.Figure) -> Row:
    target = ""
    if figure.target is not None:
        target = f"{'<=' if figure.lower else '>='} {figure.target:g}"
    return Row(figure.name, figure.unit, figure.ours, figure.raw, target, figure.met)


def _imports(runs: int) -> tuple[list[Row], str]:
    found_times = imports.ratios(runs)
    raw = found_times["httpx"][0] * 1e3
    target = imports.TARGET
    rows = [
        Row(f"{statement} vs import httpx (fresh process, median)", "ms", seconds * 1e3, raw,
            f"<= {target:g}" if statement != "import claude_client" else "",
            ratio <= target if statement != "import claude_client" else None)
        for statement, (seconds, ratio) in found_times.items() if statement != "httpx"
    ]  # fmt: skip
    found = imports.breakdown(imports.CLIENT, 5)
    lines = ["| group | self ms |", "| --- | ---: |"]
    lines += [f"| {group} | {seconds * 1e3:.1f} |" for group, seconds in found.items()]
    return rows, "\n".join(lines)


def _ttfc(runs: int) -> list[Row]:
    found = streaming_bench.versus_raw(runs)
    return [
        Row(f"stream {kind}: time to first chunk vs raw websockets {kind}", "ms",
            found[f"ours {kind}"] * 1e3, found[f"raw websockets {kind}"] * 1e3, "<= 1.15",
            found[f"ours {kind}"] <= 1.15 * found[f"raw websockets {kind}"])
        for kind in ("async", "sync")
    ]  # fmt: skip


def _utilization(rows: list[utilization.Row]) -> list[Row]:
    """The targets on the gather and thread rows (ours): capacity kept at the largest N, CPU
    per call flat in N (the largest N against the smallest)."""
    out = []
    for kind in ("gather", "threads"):
        ours = {r.prompts: r for r in rows if r.contender == "ours" and kind in r.pattern}
        if len(ours) < 2:
            continue
        small, large = ours[min(ours)], ours[max(ours)]
        out += [
            Row(f"{large.pattern}: capacity kept (ours)", "fraction", large.capacity, None,
                ">= 0.9", large.capacity >= 0.9),
            Row(f"{large.pattern} vs {small.prompts}: CPU per call (ours, flat in N, median of"
                f" {large.runs})", "ms", large.cpu_per_call_ms, small.cpu_per_call_ms, "<= 1.25",
                large.cpu_per_call_ms <= 1.25 * small.cpu_per_call_ms),
        ]  # fmt: skip
    return out


def _memory(sizes: tuple[int, ...]) -> tuple[list[Row], str]:
    found = batch_bench.memory(sizes)
    largest = found[-1]
    grown = float(largest["rss_growth_mb"])
    row = Row(f"run_batch_file peak RSS growth, {int(largest['prompts']):,} prompts", "MB",
              grown, None, "<= 32", grown <= 32)  # fmt: skip
    return [row], batch_bench.memory_table(found)


def _streaming(runs: int) -> tuple[list[Row], str]:
    rows = streaming_bench.run([0.0, 0.01], runs)
    out = []
    for r in rows:
        where = f"stream {r.client}, token delay {r.token_delay * 1e3:g} ms"
        out.append(Row(f"{where}: time to first chunk", "ms", r.ttfc_median * 1e3))
        out.append(Row(f"{where}: overhead per chunk", "us", r.overhead_per_chunk * 1e6))
    return out, streaming_bench.table(rows)


_BATCH_LINE = re.compile(r"^(memory|file)\s+([\d.]+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)")


def _batch(prompts: int) -> tuple[list[Row], str]:
    command = [sys.executable, "-m", "bench.batch", f"--prompts={prompts}"]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rows = []
    for line in text.splitlines():
        match = _BATCH_LINE.match(line)
        if match is None:
            continue
        form, _, _, _, per_second, rss = match.groups()
        where = f"batch {prompts} prompts, {form} form"
        rows.append(Row(f"{where}: throughput", "prompts/s", float(per_second)))
        if form == "file":
            grown = float(rss)
            rows.append(Row(f"{where}: RSS growth", "MB", grown, None, "< 100", grown < 100))
        else:
            rows.append(Row(f"{where}: RSS growth", "MB", float(rss)))
    return rows, text.strip()


def _number(value: float) -> str:
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"


def table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table (also readable as plain text)."""
    lines = [
        "| benchmark | unit | ours | baseline | ratio | target | |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for r in rows:
        raw = _number(r.raw) if r.raw is not None else "-"
        lines.append(
            f"| {r.name} | {r.unit} | {_number(r.ours)} | {raw} | {r.ratio} | {r.target} "
            f"| {r.verdict} |"
        )
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def machine(load_before: str, load_after: str) -> str:
    """The machine, its load and the versions the figures come from."""
    packages = ", ".join(
        f"{name} {version(name)}"
        for name in ("httpx", "httpcore", "h11", "uvicorn", "attrs", "websockets")
    )
    return "\n".join(
        [
            f"- CPUs: {os.cpu_count()} ({_cpu_model()})",
            f"- Load average (1 / 5 / 15 min): {load_before} before the run, {load_after} after"
            " (other processes share the CPUs: absolute figures move with it, ratios taken"
            " side by side much less)",
            f"- OS: {platform.platform()}",
            f"- Python: {platform.python_implementation()} {platform.python_version()}",
            f"- Packages: {packages}",
            f"- claude-code-client: {version('claude-code-client')}, commit {_commit()}",
        ]
    )


def _commit() -> str:
    try:
        head = ["git", "rev-parse", "--short", "HEAD"]
        cwd = Path(__file__).parent
        return subprocess.run(
            head, capture_output=True, text=True, check=True, cwd=cwd
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _profile_table(found: overhead.Profile, cpu_per_call: float) -> str:
    """Self time per call by module, scaled to the measured CPU per call (the profiler slows
    every frame down alike), ours against raw httpx, largest extra first."""
    total = sum(found.ours.values())
    scale = cpu_per_call / total if total else 0.0
    lines = ["| where | ours us | raw httpx us | extra us |", "| --- | ---: | ---: | ---: |"]
    for group, ours, raw, extra in found.extra():
        if max(ours, raw) * scale * 1e6 >= 0.5:
            lines.append(
                f"| {group} | {ours * scale * 1e6:.1f} | {raw * scale * 1e6:.1f} "
                f"| {extra * scale * 1e6:+.1f} |"
            )
    return "\n".join(lines)


NOTES = """\
How each figure is taken (each module's docstring says more):

- latency (`bench/overhead.py`): `complete()`, `complete()` through `http_client=` (a caller's
  own httpx client), raw httpx posting the full URL, and raw httpx with a `base_url` (both
  decode the JSON), taking turns call by call against a minimal uvicorn app (`bench/_server.py`,
  its own process) answering a fixed chat completion; median of each. The headline row compares
  with the faster raw baseline (the worse ratio for us); the two rows under it with each.
- CPU per call: `process_time` per call over `httpx.MockTransport` (ours on it under its retry
  layer, the `http_client=` one with the caller's client on it, raw httpx on it), median of
  45 short blocks (200 calls) in rotating order; "64 tasks" runs the calls 64 at a time.
- service utilization (`bench/utilization.py`): a stand-in service (`bench/_server.py
  --workers 5 --task-seconds 0.1`, its own process; every chat completion and every batch prompt
  takes one of 5 workers for 100 ms, so 500 prompts take at least 10 s). Capacity kept = ideal
  wall / wall; client CPU is the client process's `process_time` (every thread; the service is
  another process). Gather and thread rows of ours: the median wall and CPU of `runs` runs, the
  sizes taking turns, fresh clients each run; the other rows one run.
- memory (`bench/batch.py --memory-sizes`): `run_batch_file` (defaults, `resume=False`) in a
  fresh process per size, the service answered in memory by an `httpx.MockTransport` under
  `http_client=` (all the client's work is real: file, checks, chunks, parsing, writing); peak
  RSS over the RSS just before the call, sampled every 5 ms.
- streaming (`bench/streaming.py`): time to first chunk of `stream()` against a raw
  `websockets` client sending the same frame, the double (`claude_client.testing`, token delay
  0) in its own process; each opens a socket per stream and reads to the end; the four take
  turns; median.
- import (`bench/imports.py`): `from claude_client import ClaudeClient` (the headline),
  `... AsyncClaudeClient`, `import claude_client` and `import httpx` alternating in fresh
  processes, median, bytecode cached (one untimed run first, as pip compiles an installed
  wheel's; `PYTHONDONTWRITEBYTECODE` is dropped for them); the breakdown sums
  `python -X importtime` self times by group (a stdlib module counts for the group that
  imported it).
"""


FINDINGS = """\
Issue 18: what each target missed before (commit 2550b73, same harness, load 7-8), the cause
found, and the fix.

- Calling patterns (gather of 500 kept 0.93 of the capacity here but CPU per call was 3.05x the
  gather-of-50 figure, growing with N; raw httpx and the seed-like wrapper alike). Cause:
  without a bound every call enters httpcore's connection pool at once and the pool re-scans
  its queued requests on every connection event. Fix: each client bounds its own requests in
  flight (`max_concurrency=`, default 32, `claude_client/_limits.py`): a transport under the
  retry layer holding a threading semaphore (sync) or an anyio one (async; a fast
  `acquire_nowait` first) until the body is read, waiting at most the pool timeout; shared by
  calls, `with_options` copies and the batch helpers; handshakes take no slot.
- Memory (181 MB peak RSS growth at 1,000,000 prompts, about 190 bytes per prompt). Cause: the
  duplicate-id check before the first request kept a dict of every id and its place. Fix:
  `claude_client/_batch/_ids.py` keeps each id's 64-bit `hash()` in a flat `array('q')`
  open-addressing table sized once from the file's line count (16 MB at a million). A digest
  seen before is checked against the ids themselves by reading the input again up to that
  entry, so distinct ids are never merged (a collision costs one extra read) and a real
  duplicate is still refused with its first place before any request.
- Per-call cost (CPU per call 1.13 sync / 1.17 async against raw httpx with a full URL;
  `http_client=` 1.30 over our own). Cause (pyinstrument): `httpx.Client.send` runs an auth-flow
  generator, a redirect loop, hook loops and a cookie extraction through the stdlib
  `http.cookiejar` (a `urllib.request.Request` wrapper, `email` header parsing) on every
  response, about 30-35 us a call, which our layers (generated operation, typed results, retry
  transport) came on top of; with `http_client=` our client's send ran on top of the caller's.
  Fix (`claude_client/_http_clients.py`): while our client has no auth, hooks or redirects (a
  caller may add them through `low_level.get_httpx_client()`; then httpx's send runs), `send`
  hands the request to the transport and does only what httpx still would (request, elapsed,
  a Set-Cookie, the `httpx` log line, reading the body). A caller's client is used directly: its
  own transport for the URL (pool, proxies, TLS) when it has nothing to apply, else its send.
- `http_client=` against our own client (CPU per call 1.035x sync, 1.096x async in the run
  before, 1.02-1.04x in alternating runs). Cause (cProfile call counts, per call): each request
  through the caller's client ran httpx's leftovers twice (a second `Set-Cookie` scan and
  log-level check for the caller's client besides ours), checked the caller's client through
  generic helpers, and carried one header more: the caller's default headers were merged
  case-sensitively under ours, so every such request sent two `User-Agent` headers (two
  `Authorization` if the caller set one). Fix (`claude_client/_http_clients.py`): the caller's
  client is looked at in a few attribute reads per call (closed, auth, redirects, event hooks,
  then httpx's own mount lookup), so a hook or auth added later still applies, and the request
  goes to its transport; our client does the leftovers once, with the caller's cookie jar as its
  own (its cookies are now sent, answers' stored there once); its headers go under ours
  case-insensitively; a `send` of the caller's own (a subclass's, an instrumentation's patch)
  still runs. Async, the retry transport closes a body in a shielded scope of its own (~5 us)
  only when a transport of the caller's client is not httpx's default one (httpcore's pool
  closes shielded itself, as under our own client). Left per call: those reads, about 1 us
  (0.98-1.01x in alternating runs against 1.01-1.04x before, same machine and load).
- Import (`import claude_client` 2.09x `import httpx`). Cause: the package imported every public
  name at once: httpx, the generated client and models, attrs, streaming, batch. Fix:
  `claude_client/__init__.py` binds each public name on first use (module `__getattr__`;
  `TYPE_CHECKING` imports keep mypy and `from claude_client import X` as they were; exported
  classes still show as `claude_client.X`). `from claude_client import ClaudeClient` then still
  loaded all of it (2.8x `import httpx`): `_client` and `_base_client` imported the generated
  package (whose `models/__init__` loaded all 63 models), attrs, results, retries (and so
  httpcore and trio, which `import httpx` itself does not load: httpx 0.28 imports httpcore on
  its first transport), streaming, batch, generation 2 and the cache; and each result built a
  shadow dataclass whose compiled `__init__`/`__repr__`/`__eq__` were most of `_models` and
  `_gen2_models`' import time. Fix: the client modules import only httpx, `_config` and
  `Model` (`_model_choice`); every other module loads when a client is made or a call first
  needs it (`_gen2_ops` for generation 2); our template `codegen-templates/models_init.py.jinja`
  makes the generated models load one by one on first use; the shadow dataclasses generate no
  methods. Lazily loaded classes still show as `claude_client.X` (each home module calls
  `claude_client._adopt`), and `tests/unit/test_lazy_imports.py` checks by module name what
  loads when.
- Streaming (async time to first chunk 1.57x a raw `websockets` client; 1.58x again before the
  fix at load 1.4: 3.49 against 2.21 ms; sync 0.44-0.69x). Cause (cProfile over 500 streams
  against the double, token delay 0; client CPU per stream 2.9 ms against 1.6 ms raw): opening
  the socket and the upgrade through httpx's send, our retry, limit and fork-safety transports,
  httpcore's pool and connection and anyio (`connect_tcp` runs a task group even for one
  address; a cancel scope, a timer and sniffio lookups on every read and write, so every chunk
  paid them too). Not frame parsing, JSON, a background task (there is none) or a REST call
  (the project is learned once, the model is explicit). Fix
  (`claude_client/_streaming/_direct.py`): under asyncio, on the client's own pool (no caller
  `http_client=`, no proxy, no auth or hooks), the handshake opens the socket with
  `loop.create_connection` and an asyncio protocol and speaks the upgrade with h11, as httpcore
  would, with the pool's own TLS context and the same request headers, within the same
  deadline; it hands back an `httpx.Response` (the `101` with its network stream, or a refusal
  with its body), so refusals, body limits and typed errors go through the same code. Each
  later read or write waits on a future with a loop timer (no task, no cancel scope); reading
  pauses past 256 KiB unread. Under trio, through a proxy or a caller's client, the httpx path
  stays. After (same harness, load 2.6-4.5): 1.08-1.13x (3.34 against 3.09 ms), client CPU
  per stream 2.1 against 1.9 ms raw; per chunk at token delay 0: async 30-50 us (was 58-81),
  sync 21-44 us (unchanged code; the spread is the machine's).
- CPU per call flat in N (gather of 500 against 50: 1.265x in one run, 0.82x in a rerun of
  the same code). Cause: the figure, not the client: one run of each size, each contender once,
  on a loaded machine. `bench/utilization.py` now runs ours in the gather and thread patterns
  in 3 rounds (the sizes taking turns, fresh clients each run) and reports the median wall and
  CPU of each row; the client's CPU is its own process's (the service is another).
  Measured that way (ours, loaded machine): gather of 500 1.57 ms a call against 2.00 ms at 50
  (with 20 ms tasks 1.48 against 1.67): nothing grows with N, since at most `max_concurrency`
  requests reach httpcore's pool and the rest wait in an O(1) semaphore; the small N pays its
  connections' setup over fewer calls. Threads on the sync client (N threads, one call each)
  are measured the same way, with their own targets.
"""


def write_results(
    rows: Sequence[Row], sections: Sequence[tuple[str, str]], took: float, load: tuple[str, str]
) -> None:
    """Write ``bench/RESULTS.md``: machine, targets, the sections, notes and findings."""
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = [
        "# Benchmark results",
        "",
        f"Written by `scripts/bench` on {when} ({took:.0f} s), one run. Figures depend on the"
        " machine; compare ratios, which are taken side by side in the same run.",
        "",
        "## Machine",
        "",
        machine(*load),
        "",
        "## Targets and figures",
        "",
        table(rows),
        "",
    ]
    for title, body in sections:
        text += [f"## {title}", "", body, ""]
    text += [NOTES, "## Findings", "", FINDINGS]
    RESULTS.write_text("\n".join(text), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run everything; print the tables; write RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="few iterations (smoke run)")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    s = QUICK if args.quick else Settings()
    load_before = _load()
    started = time.perf_counter()
    print("per call against raw httpx...", file=sys.stderr, flush=True)
    with running() as base_url:
        compared = overhead.latency(base_url, s.latency_calls)
    cpu = overhead.cpu(s.cpu_blocks, s.cpu_calls)
    compared += cpu
    rows = [_compared(f) for f in compared]
    print("profile...", file=sys.stderr, flush=True)
    profile_md = _profile_table(overhead.profile(s.profile_calls), cpu[0].ours * 1e-6)
    print("service utilization by calling pattern...", file=sys.stderr, flush=True)
    patterns = utilization.run(s.patterns)
    rows += _utilization(patterns)
    print("batch memory...", file=sys.stderr, flush=True)
    memory_rows, memory_md = _memory(s.memory_sizes)
    rows += memory_rows
    print("streaming...", file=sys.stderr, flush=True)
    rows += _ttfc(s.ttfc_runs)
    stream_rows, stream_text = _streaming(s.stream_runs)
    print("imports...", file=sys.stderr, flush=True)
    import_rows, import_md = _imports(s.import_runs)
    rows += import_rows
    print("batch throughput...", file=sys.stderr, flush=True)
    batch_rows, batch_text = _batch(s.batch_prompts)
    rows += stream_rows + batch_rows
    took = time.perf_counter() - started
    sections = [
        ("Service utilization by calling pattern", utilization.table(patterns)),
        ("run_batch_file memory by prompt count", memory_md),
        ("Import time by group", f"`python -X importtime -c '{imports.CLIENT}'`, self"
         " time by group, median of 5 fresh processes:\n\n" + import_md),
        ("Where the client's extra CPU goes", "pyinstrument, `complete()` vs raw httpx (full"
         " URL) over `httpx.MockTransport` (sync), self time per call by module, scaled to the"
         " measured CPU per call:\n\n" + profile_md),
        ("Raw output of the streaming and batch benchmarks",
         f"```\n{stream_text}\n```\n\n```\n{batch_text}\n```"),
    ]  # fmt: skip
    print(table(rows))
    for title, body in sections:
        print(f"\n## {title}\n\n{body}")
    print(f"\n({took:.0f} s)")
    if not args.no_write:
        write_results(rows, sections, took, (load_before, _load()))
        print(f"wrote {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
