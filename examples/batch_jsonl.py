"""Batch at scale: a JSONL file of prompts in chunks, results to JSONL, resume, a spend cap.

    CLAUDE_CODE_API_BASE_URL=... CLAUDE_CODE_API_KEY=... \
        python examples/batch_jsonl.py examples/prompts.jsonl results.jsonl
"""

from __future__ import annotations

# --8<-- [start:example]
import json
import sys
from pathlib import Path

from claude_client import BatchSummary, ClaudeClient

HERE = Path(__file__).resolve().parent


def show_progress(summary: BatchSummary) -> None:
    print(f"  progress: {summary.done}/{summary.total} done, ${summary.total_cost:.6f} so far")


def main(argv: list[str]) -> None:
    source = Path(argv[0]) if argv else HERE / "prompts.jsonl"
    target = Path(argv[1]) if len(argv) > 1 else Path("results.jsonl")

    with ClaudeClient() as client:
        # Chunks of 4 prompts, 2 requests at once. Each result line is written (and flushed)
        # as its chunk finishes, so a killed run loses nothing it already received.
        summary = client.run_batch_file(
            source, target, model="haiku", chunk_size=4, concurrency=2, on_progress=show_progress
        )
        print(
            f"first run: {summary.completed} completed, {summary.failed} failed, "
            f"{summary.requests} requests, {summary.total_tokens} tokens, "
            f"${summary.total_cost:.6f}"
        )
        if summary.stop_reason is not None:  # the project's budget (or max_cost) ran out
            print(f"stopped early, {summary.skipped} not run: {summary.stop_reason}")
        with target.open(encoding="utf-8") as lines:
            first = json.loads(next(lines))
        print(f"{target.name} line 1: id={first['id']} status={first['status']}")

        # Run it again on the same output: ids already completed are not sent again.
        again = client.run_batch_file(source, target, model="haiku", chunk_size=4)
        print(
            f"second run: {again.already_completed} already completed, "
            f"{again.requests} requests sent"
        )

        # In memory, with a spend cap: a chunk whose estimate could overrun max_cost never
        # starts. The estimate is conservative: 2 x words in, output_allowance tokens out (256
        # by default, raised to the longest answer seen), at the model's price.
        prompts = [f"list {n} animals" for n in range(1, 41)]
        capped = client.run_batch(
            prompts, model="opus", chunk_size=5, max_cost=0.05, output_allowance=64
        )
        print(
            f"capped run: {capped.completed} completed, {capped.skipped} skipped, "
            f"${capped.total_cost:.6f} spent"
        )
        print(f"  why: {capped.stop_reason}")
        skipped = [r.id for r in capped.results if r.status == "skipped"]
        print(f"  first skipped ids: {skipped[:3]}")


if __name__ == "__main__":
    main(sys.argv[1:])
