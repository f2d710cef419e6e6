"""Every public method of both clients against a running service: a pass/fail table.

Run by ``scripts/live-check``. Each check calls one method with the sync client and with the
async client and says what it verified. On a generation-1 service the generation-2 methods must
raise ``UnsupportedByServiceError``; on generation 2 they must work. A public method without a
check here is a failure of its own, so a new method cannot be missed. Nothing here sends a task
timeout shorter than the work (server-side timeouts wedge the real service's workers for good).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import attrs

from claude_client import (
    AsyncClaudeClient,
    BudgetExceededError,
    ClaudeClient,
    Model,
    TaskBudgetExceededError,
    TaskStatus,
    UnsupportedByServiceError,
)

#: Methods that need no check of their own: context-manager plumbing.
_PLUMBING = frozenset({"close", "aclose"})
#: Every task this script starts may take this long on the service (its stand-in answers at
#: once); never less than the work takes.
_TASK_SECONDS = 60


@attrs.frozen
class Settings:
    """Where the service is and which keys to use."""

    url: str
    key: str
    budget_key: str | None
    agentic_key: str | None
    project: str | None
    budget_project: str | None


@attrs.define
class Row:
    """One method's outcome for each client."""

    method: str
    sync: str = "-"
    async_: str = "-"
    note: str = ""


class Failed(Exception):
    """A check that did not hold."""


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise Failed(what)


async def run(value: Any) -> Any:
    """Await ``value`` when the async client returned an awaitable."""
    return await value if inspect.isawaitable(value) else value


class Checks:
    """The checks, each ``async def check_<method>(client, env) -> note``."""

    def __init__(self, settings: Settings, generation: int) -> None:
        self.s = settings
        self.generation = generation

    def client(self, kind: type[Any], key: str | None = None, **options: Any) -> Any:
        return kind(self.s.url, key or self.s.key, **options)

    def agent(self, kind: type[Any]) -> Any:
        return self.client(kind, self.s.agentic_key or self.s.key)

    async def refused(self, kind: type[Any], call: Callable[[Any], Any]) -> str:
        """``call`` with the spent budget key must raise ``BudgetExceededError``."""
        if not self.s.budget_key:
            return ""
        async with Closing(self.client(kind, self.s.budget_key)) as broke:
            try:
                await run(call(broke))
            except BudgetExceededError as e:
                return f"; spent budget: BudgetExceededError ({e.status_code})"
        raise Failed("the spent budget was not refused")

    async def gen2(self, call: Callable[[], Awaitable[Any]], check: Callable[[Any], str]) -> str:
        """Generation 2: the result's check; generation 1: UnsupportedByServiceError."""
        if self.generation < 2:
            try:
                await call()
            except UnsupportedByServiceError:
                return "UnsupportedByServiceError (generation 1)"
            raise Failed("a generation-2 method worked on generation 1")
        return check(await call())

    # -- generation 1 and 2 --

    async def check_health(self, c: Any) -> str:
        h = await run(c.health())
        expect(h.status in ("ok", "degraded"), f"status {h.status!r}")
        return f"status {h.status}, {len(h.services)} services"

    async def check_get_usage(self, c: Any) -> str:
        u = await run(c.get_usage())
        if self.s.project:
            expect(u.project_id == self.s.project, f"project {u.project_id!r}")
        return f"project {u.project_id}, {u.total_tokens} tokens"

    async def check_route(self, c: Any) -> str:
        r = await run(c.route("list three colors"))
        return f"recommends {r.recommended_model}"

    async def check_complete(self, c: Any) -> str:
        r = await run(c.complete("list three colors", model=Model.HAIKU))
        expect(bool(r.content) and r.model == "haiku", f"answer {r!r}")
        note = f"{r.usage.total_tokens} tokens, ${r.cost:g}"
        return note + await self.refused(type(c), lambda b: b.complete("hi", model=Model.HAIKU))

    async def check_batch(self, c: Any) -> str:
        r = await run(c.batch(["first q", "second q"], model=Model.HAIKU))
        expect(r.completed == 2, f"completed {r.completed}")
        return f"2 completed, ${r.total_cost:g}"

    async def check_run_batch(self, c: Any) -> str:
        r = await run(c.run_batch(["a q", "b q", "c q"], model=Model.HAIKU, chunk_size=2))
        expect(len(r.results) == 3, f"results {len(r.results)}")
        return f"{len(r.results)} results"

    async def check_iter_batch(self, c: Any) -> str:
        it = c.iter_batch(["a q", "b q"], model=Model.HAIKU)
        got = [x async for x in it] if isinstance(c, AsyncClaudeClient) else list(it)
        expect(len(got) == 2, f"results {len(got)}")
        return f"{len(got)} results"

    async def check_run_batch_file(self, c: Any) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            src, out = Path(tmp, "in.jsonl"), Path(tmp, "out.jsonl")
            src.write_text('"first q"\n"second q"\n')
            summary = await run(c.run_batch_file(src, out, model=Model.HAIKU))
            lines = out.read_text().splitlines()
        expect(len(lines) == 2, f"{len(lines)} lines")
        return f"{summary.completed} completed, 2 lines written"

    async def check_stream(self, c: Any) -> str:
        if isinstance(c, AsyncClaudeClient):
            text = "".join([x async for x in c.stream("list three colors", model=Model.HAIKU)])
        else:
            text = "".join(c.stream("list three colors", model=Model.HAIKU))
        rest = await run(c.complete("list three colors", model=Model.HAIKU))
        expect(text == rest.content, "streamed text differs from complete()'s")
        return f"{len(text)} chars, equal to complete()"

    async def check_stream_events(self, c: Any) -> str:
        if isinstance(c, AsyncClaudeClient):
            async with c.stream_events("hello there", model=Model.HAIKU) as s:
                final = await s.get_final_response()
        else:
            with c.stream_events("hello there", model=Model.HAIKU) as s:
                final = s.get_final_response()
        expect(bool(final.content), "no content")
        return f"billed to {final.project_id}"

    async def check_call(self, c: Any) -> str:
        from claude_code_api.api.usage import get_usage
        from claude_code_api.models import Period

        op = get_usage.asyncio if isinstance(c, AsyncClaudeClient) else get_usage.sync
        u = await run(c.call(op, period=Period.DAY))
        return f"low-level usage of {u.project_id}"

    async def check_with_options(self, c: Any) -> str:
        copy = c.with_options(max_retries=1)
        h = await run(copy.health())
        return f"copy answers ({h.status})"

    # -- generation 2 --

    async def check_ready(self, c: Any) -> str:
        return await self.gen2(lambda: run(c.ready()), lambda r: f"ready={r.ready}")

    async def check_providers(self, c: Any) -> str:
        return await self.gen2(lambda: run(c.providers()), lambda r: ", ".join(p.name for p in r))

    async def check_provider_models(self, c: Any) -> str:
        return await self.gen2(
            lambda: run(c.provider_models("anthropic")), lambda r: ", ".join(r.models)
        )

    async def check_capabilities(self, c: Any) -> str:
        return await self.gen2(
            lambda: run(c.capabilities()),
            lambda r: f"{len(r.agents)} agents, {len(r.skills)} skills",
        )

    async def check_process(self, c: Any) -> str:
        async def call() -> Any:
            return await run(
                c.process("anthropic", "claude-3-haiku", user_message="hello cli",
                          use_cli=True, max_tokens=300)
            )  # fmt: skip

        note = await self.gen2(call, lambda r: f"ran {r.actual_model}, ${r.cost:g}")
        if self.generation < 2:
            return note
        return note + await self.refused(
            type(c), lambda b: b.process("anthropic", "haiku", user_message="hi", use_cli=True)
        )

    async def check_execute_task(self, c: Any) -> str:
        async with Closing(self.agent(type(c))) as agent:

            async def call() -> Any:
                return await run(agent.execute_task("summarize the repo", timeout=_TASK_SECONDS))

            def done(r: Any) -> str:
                expect(r.status is TaskStatus.COMPLETED, f"status {r.status}")
                return f"{r.status}, {r.usage.model_used}, ${r.cost:g}"

            note = await self.gen2(call, done)
            if self.generation >= 2 and self.s.budget_project:
                try:
                    await run(
                        agent.execute_task(
                            "summarize", timeout=_TASK_SECONDS, project_id=self.s.budget_project
                        )
                    )
                except TaskBudgetExceededError as e:
                    note += f"; budget: {type(e).__name__} ({e.result.error})"
                else:
                    raise Failed("the budget project's task was not refused")
        return note

    async def check_stream_task(self, c: Any) -> str:
        async with Closing(self.agent(type(c))) as agent:

            async def call() -> Any:
                if isinstance(agent, AsyncClaudeClient):
                    async with agent.stream_task("summarize", timeout=_TASK_SECONDS) as s:
                        kinds = [type(e).__name__ async for e in s]
                        return kinds, await s.get_final_result()
                with agent.stream_task("summarize", timeout=_TASK_SECONDS) as s:
                    return [type(e).__name__ for e in s], s.get_final_result()

            def done(r: Any) -> str:
                kinds, result = r
                expect(result.status is TaskStatus.COMPLETED, f"status {result.status}")
                return f"{' -> '.join(kinds)}; {result.usage.model_used}"

            return await self.gen2(call, done)


class Closing:
    """``async with`` for either client kind: closes it at the end."""

    def __init__(self, client: Any) -> None:
        self.client = client

    async def __aenter__(self) -> Any:
        return self.client

    async def __aexit__(self, *exc: object) -> None:
        await run(self.client.aclose() if hasattr(self.client, "aclose") else self.client.close())


def public_methods() -> list[str]:
    """Every public method of both clients."""
    names: set[str] = set()
    for cls in (ClaudeClient, AsyncClaudeClient):
        for name, member in inspect.getmembers(cls):
            if not name.startswith("_") and callable(member) and not isinstance(member, type):
                names.add(name)
    return sorted(names - _PLUMBING)


async def check_one(checks: Checks, name: str, kind: type[Any]) -> tuple[str, str]:
    check = getattr(checks, f"check_{name}", None)
    if check is None:
        return "FAIL", "no check for this method in scripts/live_check.py"
    if not hasattr(kind, name):
        return "-", ""
    started = time.monotonic()
    try:
        async with Closing(checks.client(kind)) as client:
            note = await check(client)
    except Exception as exc:  # every failure is a row, not a crash
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return "FAIL", f"{type(exc).__name__}: {exc} (line {where.lineno})"
    return f"ok {time.monotonic() - started:.2f}s", note


def detect_generation(url: str) -> int:
    with ClaudeClient(url) as c:
        return 2 if c.health().uptime_seconds is not None else 1


async def main_async(settings: Settings, generation: int) -> int:
    checks = Checks(settings, generation)
    rows = []
    for name in public_methods():
        row = Row(name)
        row.sync, sync_note = await check_one(checks, name, ClaudeClient)
        row.async_, async_note = await check_one(checks, name, AsyncClaudeClient)
        row.note = (
            sync_note
            if sync_note == async_note or not async_note
            else (f"{sync_note} | async: {async_note}")
        )
        rows.append(row)
        print(f"  {name:<16} sync {row.sync:<9} async {row.async_:<9} {row.note}", file=sys.stderr)
    width = max(len(r.method) for r in rows)
    print(f"\nlive check against {settings.url} (generation {generation})\n")
    print(f"| {'method':<{width}} | sync | async | what was checked |")
    print(f"|{'-' * (width + 2)}|------|-------|------------------|")
    for r in rows:
        sync = "pass" if r.sync.startswith("ok") else r.sync
        asyn = "pass" if r.async_.startswith("ok") else r.async_
        print(f"| {r.method:<{width}} | {sync} | {asyn} | {r.note} |")
    failed = [r.method for r in rows if "FAIL" in (r.sync, r.async_)]
    passed = len(rows) - len(failed)
    print(
        f"\n{passed} of {len(rows)} methods pass, sync and async"
        + (f"; failing: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


def main() -> int:
    env = os.environ.get
    parser = argparse.ArgumentParser(
        prog="scripts/live-check",
        description="Call every public method, sync and async, against a running service.",
    )
    parser.add_argument("--url", default=env("CLAUDE_SERVICE_URL"))
    parser.add_argument("--key", default=env("CLAUDE_SERVICE_KEY"))
    parser.add_argument("--budget-key", default=env("CLAUDE_SERVICE_BUDGET_KEY"))
    parser.add_argument("--agentic-key", default=env("CLAUDE_SERVICE_AGENTIC_KEY"))
    parser.add_argument("--project", default=env("CLAUDE_SERVICE_PROJECT"))
    parser.add_argument("--budget-project", default=env("CLAUDE_SERVICE_BUDGET_PROJECT"))
    parser.add_argument(
        "--generation", type=int, choices=(1, 2), default=None,
        help="the service's generation (default: read from /health)",
    )  # fmt: skip
    args = parser.parse_args()
    if not args.url or not args.key:
        parser.error('give --url and --key, or eval "$(run-service up N)" first')
    settings = Settings(
        **{field.name: getattr(args, field.name) for field in attrs.fields(Settings)}
    )
    generation = args.generation or detect_generation(args.url)
    return asyncio.run(main_async(settings, generation))


if __name__ == "__main__":
    sys.exit(main())
