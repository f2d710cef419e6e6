"""A short tour of claude-code-client (run it with ``bash scripts/demo``).

Against the local service double by default; against a real Claude Code API Service when
``CLAUDE_CODE_API_BASE_URL`` and ``CLAUDE_CODE_API_KEY`` are set (then the budget step needs
``CLAUDE_CODE_API_EXHAUSTED_KEY``, a key whose project's budget is spent, or is skipped).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claude_client import BudgetExceededError, ClaudeClient, Model


@dataclass(frozen=True)
class Target:
    """Where the tour runs: its base URL, a working key and, if known, a spent key."""

    base_url: str
    api_key: str
    exhausted_key: str | None
    description: str


@contextlib.contextmanager
def target() -> Iterator[Target]:
    """A real service from the environment, else a local double started for the tour."""
    base_url = os.environ.get("CLAUDE_CODE_API_BASE_URL")
    api_key = os.environ.get("CLAUDE_CODE_API_KEY")
    if base_url and api_key:
        exhausted = os.environ.get("CLAUDE_CODE_API_EXHAUSTED_KEY")
        yield Target(base_url, api_key, exhausted, f"the service at {base_url}")
        return
    from claude_client.testing import ServiceDouble

    # A small per-token delay so the stream below is visibly live.
    with ServiceDouble(token_delay=0.03) as double:
        yield Target(
            double.base_url,
            double.api_key,
            double.exhausted_key,
            f"the local service double at {double.base_url}",
        )


def tour(console: Console, where: Target) -> None:
    """Every feature once, printing what comes back.

    Text from the service (replies, reasons, names) goes through ``escape``: Rich would read
    ``[haiku]`` in a reply as markup and drop it, and fail on a reply holding ``[/b]``.
    """
    console.rule(f"[bold]claude-code-client tour[/] against {escape(where.description)}")
    with ClaudeClient(base_url=where.base_url, api_key=where.api_key) as client:
        health = client.health()
        colour, state = ("green", "up") if health.ok else ("red", "down")
        console.print(
            f"health: [{colour}]{state}[/], status {escape(health.status)}"
            f" (service {escape(health.version)})"
        )

        console.rule("one completion per model")
        for model in (Model.HAIKU, Model.SONNET, Model.OPUS):
            reply = client.complete("List three colors.", model=model)
            console.print(
                f"[cyan]{escape(f'{reply.model:>6}')}[/] {escape(repr(reply.content))}\n"
                f"       {reply.usage.total_tokens} tokens, ${reply.cost:.6f}"
            )

        console.rule("auto-routing")
        prompt = "Analyze this architecture and suggest improvements."
        advice = client.route(prompt)
        console.print(f"route: {advice.recommended_model.value} ({escape(advice.reasoning)})")
        reply = client.complete(prompt)  # Model.AUTO: the service chooses
        console.print(
            f"complete(AUTO) ran on [cyan]{escape(reply.model)}[/]: {escape(repr(reply.content))}"
        )

        console.rule("a live stream")
        started = time.perf_counter()
        first: float | None = None
        with client.stream_events("Tell me a story about a whale.", model=Model.HAIKU) as stream:
            for chunk in stream.iter_text():
                first = first or time.perf_counter() - started
                console.print(chunk, end="", markup=False, highlight=False)
            final = stream.get_final_response()
        console.print()
        console.print(
            f"first chunk after {(first or 0) * 1000:.0f} ms, done after "
            f"{(time.perf_counter() - started) * 1000:.0f} ms; "
            f"{final.usage.total_tokens} tokens, ${final.cost:.6f} on {escape(final.model)}"
        )

        console.rule("a batch (one request)")
        batch = client.batch(["Name a fruit.", "Name a planet.", "Count to five."], model="haiku")
        for item in batch.results:
            console.print(f"  {item.id}: {item.status}: {item.content!r}", markup=False)
        console.print(f"  {batch.completed}/{batch.total} completed, ${batch.total_cost:.6f}")

        console.rule("a batch at scale (chunks, concurrency, budget guard, progress bar)")
        prompts = [(f"q{n:03d}", f"Give me fact number {n} about the sea.") for n in range(120)]
        run = client.run_batch(prompts, model=Model.HAIKU, chunk_size=10, progress=True)
        console.print(
            f"  {run.completed} completed, {run.failed} failed, {run.skipped} skipped; "
            f"{run.total_tokens} tokens, ${run.total_cost:.6f}"
        )

        console.rule("usage this month, by model")
        usage = client.get_usage("month")
        table = Table("model", "tokens", "cost ($)")
        for name, spent in sorted(usage.by_model.items()):
            table.add_row(escape(name), str(spent.tokens), f"{spent.cost:.6f}")
        table.add_row("[bold]total", f"[bold]{usage.total_tokens}", f"[bold]{usage.total_cost:.6f}")
        console.print(f"project {escape(usage.project_id)}")
        console.print(table)

    console.rule("a spent budget")
    if where.exhausted_key is None:
        console.print("skipped: set CLAUDE_CODE_API_EXHAUSTED_KEY to a key whose budget is spent")
    else:
        with ClaudeClient(base_url=where.base_url, api_key=where.exhausted_key) as broke:
            try:
                broke.complete("Write a long essay about budgets.")
            except BudgetExceededError as error:
                console.print(
                    f"caught {type(error).__name__}: {escape(str(error.detail))} (not retried)"
                )
    console.rule("[bold green]done")


def main() -> int:
    console = Console(highlight=False)
    with target() as where:
        tour(console, where)
    return 0


if __name__ == "__main__":
    sys.exit(main())
