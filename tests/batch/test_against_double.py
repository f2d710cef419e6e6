"""Batch runs against the service double over real sockets: order and ids, partial failure,
the budget stop, the spend cap, and resume after a run killed mid-way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claude_client import AsyncClaudeClient, ClaudeClient
from claude_client._batch import BatchItemResult
from claude_client.testing import ServiceDouble


@pytest.fixture
def client(claude_double: ServiceDouble) -> Iterator[ClaudeClient]:
    with ClaudeClient(base_url=claude_double.base_url, api_key=claude_double.api_key) as client:
        yield client


def batch_requests(double: ServiceDouble) -> int:
    return double.stats.requests("/v1/batch")


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_results_come_back_in_input_order_with_their_ids(
    client: ClaudeClient, claude_double: ServiceDouble
) -> None:
    prompts: list[Any] = [f"question {i}" for i in range(7)]
    prompts += [("alpha", "what is alpha"), {"id": "beta", "prompt": "and beta"}]
    result = client.run_batch(prompts, model="haiku", chunk_size=2, concurrency=3)
    assert [r.id for r in result.results] == [str(i) for i in range(7)] + ["alpha", "beta"]
    assert [r.index for r in result.results] == list(range(9))
    assert {r.status for r in result.results} == {"completed"}
    assert all(r.content and r.usage and r.cost for r in result.results)
    assert batch_requests(claude_double) == 5
    usage = client.get_usage()
    assert result.total_tokens == usage.total_tokens
    assert result.total_cost == pytest.approx(usage.total_cost)


def test_iterator_form_streams_results_as_chunks_finish(client: ClaudeClient) -> None:
    seen: list[int] = []
    with client.iter_batch(
        (f"q {i}" for i in range(12)), chunk_size=5, on_progress=lambda s: seen.append(s.done)
    ) as results:
        ids = sorted(int(r.id) for r in results)
    assert ids == list(range(12))
    assert seen[-1] == 12 and results.summary.completed == 12


def test_a_failed_item_and_a_failed_chunk_lose_nothing_else(
    client: ClaudeClient, claude_double: ServiceDouble
) -> None:
    claude_double.faults.fail(500, path="/v1/batch", times=1)  # the first chunk fails whole
    prompts = ["a", "b", "c", "d [[fail]]", "e", "f"]
    result = client.run_batch(prompts, chunk_size=2, concurrency=1)
    statuses = [r.status for r in result.results]
    assert statuses == ["failed", "failed", "completed", "failed", "completed", "completed"]
    assert result.results[0].error == result.results[1].error
    assert (result.results[0].error or "").startswith("ServerError: ")
    assert "Process exited with code 1" in (result.results[3].error or "")
    assert (result.completed, result.failed) == (3, 3)


def test_a_prompt_over_its_time_limit_fails_alone(client: ClaudeClient) -> None:
    result = client.run_batch(["slow [[sleep:3]]", "quick"], timeout=1, chunk_size=2)
    assert [r.status for r in result.results] == ["failed", "completed"]
    assert "timed out" in (result.results[0].error or "")


def test_budget_stop_with_a_small_budget(claude_double: ServiceDouble) -> None:
    key = claude_double.add_key("small-budget")
    claude_double.set_budget("small-budget", 700)
    with ClaudeClient(base_url=claude_double.base_url, api_key=key) as client:
        result = client.run_batch([f"question {i}" for i in range(20)], chunk_size=2)
        usage = client.get_usage()
    assert result.completed >= 2 and result.skipped > 0
    assert result.completed + result.skipped == 20
    assert [r.status for r in result.results] == ["completed"] * result.completed + [
        "skipped"
    ] * result.skipped
    assert (result.stop_reason or "").startswith("the project's token budget would run out: ")
    assert all(r.error == result.stop_reason for r in result.results[result.completed :])
    assert usage.remaining is not None and usage.remaining >= 0  # the service would not stop


def test_an_exhausted_budget_sends_no_batch_at_all(claude_double: ServiceDouble) -> None:
    with ClaudeClient(
        base_url=claude_double.base_url, api_key=claude_double.exhausted_key
    ) as client:
        result = client.run_batch(["a", "b", "c"])
    assert result.skipped == 3 and batch_requests(claude_double) == 0


def test_spend_cap_stops_before_the_cap(client: ClaudeClient) -> None:
    cap = 0.02  # about 33 sonnet prompts, but each is estimated with 256 output tokens
    result = client.run_batch(
        [f"question {i}" for i in range(40)], model="sonnet", chunk_size=1, max_cost=cap
    )
    assert 0 < result.completed < 40 and result.skipped == 40 - result.completed
    assert result.total_cost <= cap
    assert (result.stop_reason or "").startswith("max_cost $0.02 would be exceeded: ")


async def test_async_runner_orders_fails_and_stops_like_the_sync_one(
    claude_double: ServiceDouble,
) -> None:
    claude_double.faults.fail(500, path="/v1/batch", times=1)
    async with AsyncClaudeClient(
        base_url=claude_double.base_url, api_key=claude_double.api_key
    ) as client:
        # haiku, 256 output tokens allowed: about $0.00032 a prompt; the failed chunk counts
        # its whole estimate, then 2 more prompts fit under the cap
        result = await client.run_batch(
            [f"q {i}" for i in range(9)], model="haiku", chunk_size=3, concurrency=1,
            max_cost=0.0018,
        )  # fmt: skip
        streamed: list[BatchItemResult] = [r async for r in client.iter_batch(["x", "y"])]
    assert [r.index for r in result.results] == list(range(9))
    assert [r.status for r in result.results][:3] == ["failed"] * 3
    assert (result.failed, result.completed, result.skipped) == (3, 2, 4)
    assert sorted(r.id for r in streamed) == ["0", "1"]


async def test_async_file_run_resumes(claude_double: ServiceDouble, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(f"q {i} [[fail]]" if i == 2 else f"q {i}") + "\n"
                              for i in range(5)))  # fmt: skip
    out = tmp_path / "out.jsonl"
    async with AsyncClaudeClient(
        base_url=claude_double.base_url, api_key=claude_double.api_key
    ) as client:
        first = await client.run_batch_file(source, out, chunk_size=2)
        source.write_text(source.read_text().replace(" [[fail]]", ""))
        second = await client.run_batch_file(source, out, chunk_size=2)
    assert (first.completed, first.failed) == (4, 1)
    assert (second.already_completed, second.completed) == (4, 1)
    lines = lines_of(out)
    assert sorted(line["id"] for line in lines) == ["0", "1", "2", "3", "4"]
    assert {line["status"] for line in lines} == {"completed"} and lines[-1]["id"] == "2"


_KILLED_RUN = textwrap.dedent(
    """
    import sys
    from claude_client import ClaudeClient

    base_url, key, source, out = sys.argv[1:]
    with ClaudeClient(base_url=base_url, api_key=key) as client:
        client.run_batch_file(source, out, chunk_size=5, concurrency=1)
    """
)


def start_file_run(double: ServiceDouble, source: Path, out: Path) -> subprocess.Popen[bytes]:
    """``run_batch_file(source, out)`` in another process (chunks of 5, one at a time)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", _KILLED_RUN, double.base_url, double.api_key, str(source),
         str(out)], env=env,
    )  # fmt: skip


def test_resume_after_a_killed_run_does_not_rerun_written_results(
    client: ClaudeClient, claude_double: ServiceDouble, tmp_path: Path
) -> None:
    claude_double.token_delay = 0.01  # about 0.2 s per prompt: the kill lands mid-run
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"p{i}", "prompt": f"q {i}"}) + "\n"
                              for i in range(60)))  # fmt: skip
    out = tmp_path / "out.jsonl"
    run = start_file_run(claude_double, source, out)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if out.exists() and len(out.read_bytes().splitlines()) >= 10:
                break
            time.sleep(0.02)
        run.send_signal(signal.SIGKILL)
    finally:
        run.wait(10)
    before = {line["id"] for line in lines_of(out) if line["status"] == "completed"}
    assert 10 <= len(before) < 60

    claude_double.token_delay = 0.0
    summary = client.run_batch_file(source, out, chunk_size=5)
    assert summary.already_completed == len(before)
    assert summary.completed == 60 - len(before) and summary.failed == 0
    lines = lines_of(out)
    assert sorted(line["id"] for line in lines) == sorted(f"p{i}" for i in range(60))
    assert lines[: len(before)] == [line for line in lines if line["id"] in before]
