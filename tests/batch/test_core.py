"""The batch core without a network: input checks, chunking, the budget guard, the spend cap,
bookkeeping, JSONL files and resume. The clients are in-process fakes (tests/batch/fakes.py)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from claude_client._batch import (
    BatchInputError,
    BatchItem,
    BatchItemResult,
    BatchRunResult,
    BatchSummary,
    BudgetGuard,
    Estimate,
    ResultWriter,
    arun_batch,
    arun_batch_file,
    compact_results,
    iter_batch,
    iter_batch_items,
    load_resume_state,
    read_prompts_jsonl,
    run_batch,
    run_batch_file,
)
from claude_client._batch._paths import output_lock
from claude_client._batch._types import format_cost
from claude_client._exceptions import AuthenticationError, TimeoutError
from claude_client._models import Model, Usage
from tests.batch.fakes import OUTPUT_TOKENS, AsyncFakeClient, FakeClient


def prompts(n: int) -> list[str]:
    return [f"prompt number {i}" for i in range(n)]


def write_jsonl(path: Path, values: list[Any]) -> Path:
    path.write_text("".join(json.dumps(v) + "\n" for v in values), encoding="utf-8")
    return path


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- input ------------------------------------------------------------------------------------


def test_items_accept_strings_pairs_objects_and_mappings() -> None:
    batch: list[Any] = ["plain", ("a", "pair"), BatchItem("b", "object")]
    batch += [{"id": 7, "prompt": "map"}, {"prompt": "no id"}, ["c", "list pair"]]
    items = list(iter_batch_items(batch))
    assert [(i.id, i.prompt) for i in items] == [
        ("0", "plain"),
        ("a", "pair"),
        ("b", "object"),
        ("7", "map"),
        ("4", "no id"),
        ("c", "list pair"),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (42, "item 0: expected a prompt string"),
        (("a", 1), "item 0: prompt must be a string"),
        (("", "x"), "item 0: id must not be empty"),
        ((True, "x"), "item 0: id must be a string"),
        ({"id": "x"}, "item 0: object has no 'prompt'"),
    ],
)
def test_malformed_items_are_named(value: Any, message: str) -> None:
    with pytest.raises(BatchInputError, match=message):
        list(iter_batch_items([value]))


@pytest.mark.parametrize(
    ("batch", "options", "error", "message"),
    [
        ([], {}, BatchInputError, "the batch is empty"),
        ([("a", "x"), ("b", "y"), ("a", "z")], {}, BatchInputError, "item 2: duplicate id 'a'"),
        (["x", ("0", "y")], {}, BatchInputError, r"duplicate id '0' \(first used at item 0\)"),
        (["x"], {"model": "gpt-4"}, ValueError, "Unknown model 'gpt-4'"),
        (["x"], {"chunk_size": 0}, ValueError, "chunk_size must be a positive integer"),
        (["x"], {"concurrency": -1}, ValueError, "concurrency must be a positive integer"),
        (["x"], {"max_cost": -1.0}, ValueError, "max_cost must be >= 0"),
        (["x"], {"colour": "red"}, TypeError, "unknown batch option"),
    ],
)
def test_bad_input_fails_before_any_request(
    batch: list[Any], options: dict[str, Any], error: type[Exception], message: str
) -> None:
    client = FakeClient()
    with pytest.raises(error, match=message):
        run_batch(client, batch, **options)
    assert client.chunks == [] and client.usage_calls == 0


def test_jsonl_reading_names_the_bad_line(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "prompt": "x"}\n\n"plain"\n{"id": "b", prompt: 1}\n')
    with pytest.raises(BatchInputError, match=r"in.jsonl:4: line is not valid JSON") as caught:
        list(read_prompts_jsonl(source))
    assert caught.value.line == 4
    assert [i.id for i in read_prompts_jsonl(write_jsonl(source, ["p", {"prompt": "q"}]))] == [
        "0",
        "1",
    ]


def test_jsonl_rejects_non_utf8_and_duplicate_ids_by_line(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'"ok"\n"\xff"\n')
    with pytest.raises(BatchInputError, match=r"in.jsonl:2: line is not UTF-8") as caught:
        list(read_prompts_jsonl(source))
    assert caught.value.line == 2
    write_jsonl(source, [["a", "x"], ["b", "y"], ["a", "z"]])
    client = FakeClient()
    with pytest.raises(BatchInputError, match=r"in.jsonl:3: duplicate id 'a'") as caught:
        run_batch_file(client, source, tmp_path / "out.jsonl")
    assert caught.value.line == 3 and client.chunks == []
    assert not (tmp_path / "out.jsonl").exists()


# --- chunks, order, totals ---------------------------------------------------------------------


def test_chunks_keep_input_order_and_ids() -> None:
    client = FakeClient()
    result = run_batch(client, prompts(7), chunk_size=3, concurrency=3, budget_guard=False)
    assert sorted(len(c) for c in client.chunks) == [1, 3, 3]
    assert sorted(client.chunks)[0] == [(str(i), f"prompt number {i}") for i in range(3)]
    assert [(r.index, r.id, r.prompt) for r in result.results] == [
        (i, str(i), f"prompt number {i}") for i in range(7)
    ]
    assert all(r.content == f"re: {r.prompt}" for r in result.results)
    cost = sum(r.cost or 0.0 for r in result.results)
    assert attrs.evolve(result, results=()) == BatchRunResult(
        total=7, completed=7, total_tokens=7 * (6 + OUTPUT_TOKENS), total_cost=9.8e-05, requests=3
    )
    assert cost == 9.800000000000001e-05  # a float sum drifts; the summary's is exact
    assert client.usage_calls == 0


def test_partial_failure_marks_items_and_chunks_and_goes_on() -> None:
    batch = ["fine", "this will FAIL", "fine too", "BOOM goes the chunk", "after", "last"]
    client = FakeClient(error=TimeoutError("read timed out"))
    result = run_batch(client, batch, chunk_size=2, budget_guard=False)
    assert [r.status for r in result.results] == [
        "completed",
        "failed",
        "failed",
        "failed",
        "completed",
        "completed",
    ]
    assert result.results[1].error == "exit 1"
    assert result.results[2].error == result.results[3].error == "APITimeoutError: read timed out"
    assert (result.completed, result.failed, result.skipped) == (3, 3, 0)


def test_errors_every_chunk_would_meet_stop_the_run() -> None:
    client = FakeClient(error=AuthenticationError("Invalid or revoked API key", status_code=401))
    with pytest.raises(AuthenticationError):
        run_batch(client, ["BOOM", *prompts(5)], chunk_size=1, concurrency=1)


def test_iterator_yields_as_chunks_finish_and_reports_progress() -> None:
    seen: list[BatchSummary] = []
    iterator = iter_batch(
        FakeClient(), prompts(5), chunk_size=2, concurrency=1, on_progress=seen.append,
        budget_guard=False,
    )  # fmt: skip
    assert iterator.summary == BatchSummary(total=5)
    results = list(iterator)
    assert sorted(r.id for r in results) == ["0", "1", "2", "3", "4"]
    assert [s.done for s in seen] == [2, 4, 5, 5]
    assert iterator.summary.completed == 5 and iterator.summary.requests == 3


def test_progress_bar_draws_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_batch(FakeClient(), prompts(4), chunk_size=2, progress=True, budget_guard=False)
    assert result.completed == 4
    assert "batch" in capsys.readouterr().err


# --- budget guard and spend cap ------------------------------------------------------------


def test_guard_estimate_is_the_services_rule_plus_the_allowance() -> None:
    guard = BudgetGuard(remaining_tokens=100, max_cost=None, model=Model.HAIKU)
    assert guard.estimate("three little words") == Estimate(6 + 256, (6 * 0.25 + 256 * 1.25) / 1e6)
    assert BudgetGuard(None, None, Model.AUTO, 0).estimate("a b").cost == pytest.approx(4 * 15e-6)
    assert guard.shortfall(Estimate(100, 0.0)) is None
    assert guard.shortfall(Estimate(101, 0.0)) == (
        "the project's token budget would run out: the next prompt needs up to 101 tokens "
        "and 100 are left"
    )
    guard.reserve(Estimate(60, 0.0))
    assert guard.shortfall(Estimate(41, 0.0)) is not None
    guard.settle(Estimate(60, 0.0), Estimate(20, 0.0), largest_output=300)
    assert (guard.spent, guard.reserved, guard.output_allowance) == (
        Estimate(20, 0.0),
        Estimate(0, 0.0),
        300,
    )
    guard.settle(Estimate(0, 0.0), None, 0)  # nothing reserved, nothing spent
    assert guard.shortfall(Estimate(80, 0.0)) is None


def test_budget_stop_runs_what_fits_and_reports_the_rest_skipped() -> None:
    # each prompt: 6 input + 4 allowance = 10 estimated, 6 + 10 = 16 actual; after the first
    # chunk the allowance rises to the 10 seen: 32 spent + 16 fits in 50, + 32 does not
    client = FakeClient(remaining=50)
    result = run_batch(client, prompts(10), chunk_size=2, concurrency=1, output_allowance=4)
    sent = [item for chunk in client.chunks for item in chunk]
    assert [item_id for item_id, _ in sent] == ["0", "1", "2"]
    assert [r.status for r in result.results] == ["completed"] * 3 + ["skipped"] * 7
    assert result.results[3].error == result.stop_reason
    assert result.stop_reason is not None
    # after the 3 sent (48 tokens, 2 reserved for the third), one more needs 16 of the 50
    assert result.stop_reason == (
        "the project's token budget would run out: the next prompt needs up to 16 tokens "
        "and 2 are left"
    )
    assert (result.completed, result.skipped, result.total_tokens) == (3, 7, 48)


def test_a_spent_budget_sends_nothing() -> None:
    client = FakeClient(remaining=-36)
    result = run_batch(client, prompts(3))
    assert client.chunks == [] and result.skipped == 3 and client.usage_calls == 1


def test_no_budget_or_no_guard_means_no_limit() -> None:
    assert run_batch(FakeClient(remaining=None), prompts(3)).completed == 3
    client = FakeClient(remaining=0)
    assert run_batch(client, prompts(3), budget_guard=False).completed == 3
    assert client.usage_calls == 0


def test_guard_waits_for_chunks_in_flight_before_stopping() -> None:
    # 2 in flight reserve 2 x 2 x 262; once they settle at 2 x 2 x 16 the rest fits
    result = run_batch(FakeClient(remaining=1200), prompts(8), chunk_size=2, concurrency=2)
    assert result.completed == 8 and result.stop_reason is None


def test_failed_chunks_count_their_whole_estimate() -> None:
    client = FakeClient(remaining=30)
    batch = ["BOOM a b", "x y", "z w"]
    result = run_batch(client, batch, chunk_size=1, concurrency=1, output_allowance=4)
    # BOOM: estimated 6 + 4 = 10, counted as spent; "x y" 14 actual; 24 + (4 + 10) > 30
    assert [r.status for r in result.results] == ["failed", "completed", "skipped"]


def test_spend_cap_stops_like_the_budget() -> None:
    per_prompt = (6 * 0.25 + 10 * 1.25) / 1e6
    client = FakeClient()
    result = run_batch(
        client, prompts(6), model="haiku", chunk_size=1, concurrency=1, output_allowance=10,
        max_cost=per_prompt * 4.5, budget_guard=False,
    )  # fmt: skip
    assert (result.completed, result.skipped) == (4, 2)
    assert result.total_cost <= per_prompt * 4.5
    assert result.stop_reason is not None
    # plain words, dollars without float noise (was "may cost $0.000014 and $0.000007 of
    # max_cost $6.3e-05 are left")
    assert result.stop_reason == (
        "max_cost $0.000063 would be exceeded: the next prompt may cost up to $0.000014 and "
        "$0.000007 of it is left"
    )
    assert run_batch(FakeClient(), prompts(2), max_cost=0.0).skipped == 2


# --- files and resume --------------------------------------------------------------------------


def test_results_file_has_one_flushed_line_per_result(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with ResultWriter(out, append=False) as writer:
        usage = Usage(1, 2, 3)
        writer.write(BatchItemResult(0, "a", "p", "completed", "c", usage, 0.5))
        assert lines_of(out) == [
            {
                "id": "a",
                "prompt": "p",
                "status": "completed",
                "content": "c",
                "usage": {"input_tokens": 1, "output_tokens": 2, "total_tokens": 3},
                "cost": 0.5,
                "error": None,
            }
        ]


def test_file_run_then_resume_retries_only_what_did_not_complete(tmp_path: Path) -> None:
    source = write_jsonl(
        tmp_path / "in.jsonl", [{"id": f"p{i}", "prompt": f"q {i}"} for i in range(5)]
    )
    out = tmp_path / "out.jsonl"
    flaky = FakeClient()
    source.write_text(source.read_text().replace("q 3", "q 3 FAIL"))
    summary = run_batch_file(flaky, source, out, chunk_size=2, budget_guard=False)
    assert (summary.completed, summary.failed) == (4, 1)
    assert sorted(line["id"] for line in lines_of(out)) == ["p0", "p1", "p2", "p3", "p4"]

    source.write_text(source.read_text().replace("q 3 FAIL", "q 3"))
    client = FakeClient()
    summary = run_batch_file(client, source, out, chunk_size=2, budget_guard=False)
    assert client.chunks == [[("p3", "q 3")]]
    assert (summary.total, summary.already_completed, summary.completed) == (5, 4, 1)
    lines = lines_of(out)
    assert len(lines) == 5 and {line["status"] for line in lines} == {"completed"}

    again = FakeClient()
    assert run_batch_file(again, source, out, budget_guard=False).already_completed == 5
    assert again.chunks == []


def test_resume_after_a_killed_run_keeps_every_written_line(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", prompts(6))
    out = tmp_path / "out.jsonl"

    class Killed(BaseException):
        pass

    class DiesOnThirdChunk(FakeClient):
        def batch(self, prompts: Any, model: Any = None, timeout: Any = None) -> Any:
            if len(self.chunks) == 2:
                raise Killed
            return super().batch(prompts, model, timeout)

    with pytest.raises(Killed):
        run_batch_file(DiesOnThirdChunk(), source, out, chunk_size=2, concurrency=1)
    assert [line["id"] for line in lines_of(out)] == ["0", "1", "2", "3"]
    with out.open("a") as file:  # a line the kill cut short
        file.write('{"id": "4", "prompt": "prompt num')

    client = FakeClient()
    summary = run_batch_file(client, source, out, chunk_size=2)
    assert client.chunks == [[("4", "prompt number 4"), ("5", "prompt number 5")]]
    assert summary.already_completed == 4 and summary.done == 6
    assert [line["id"] for line in lines_of(out)] == ["0", "1", "2", "3", "4", "5"]


def test_no_resume_starts_the_output_afresh(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", prompts(2))
    out = tmp_path / "out.jsonl"
    run_batch_file(FakeClient(), source, out)
    client = FakeClient()
    run_batch_file(client, source, out, resume=False)
    assert len(client.chunks) == 1 and len(lines_of(out)) == 2


def test_resume_state_and_compaction(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert load_resume_state(out).completed_ids == frozenset()
    write_jsonl(
        out,
        [
            {"id": "a", "status": "failed"},
            {"id": "b", "status": "completed"},
            {"id": "a", "status": "completed"},
            {"id": "c", "status": "skipped"},
        ],
    )
    assert load_resume_state(out).completed_ids == {"a", "b"}
    assert compact_results(out) is True
    assert [(line["id"], line["status"]) for line in lines_of(out)] == [
        ("b", "completed"),
        ("a", "completed"),
        ("c", "skipped"),
    ]
    assert compact_results(out) is False
    out.write_text('{"id": "a", "status": "completed"}\nnot json\n{"id": "b"}\n')
    with pytest.raises(BatchInputError, match=r"out.jsonl:2: results file line is not valid"):
        load_resume_state(out)
    out.write_text('{"id": "a", "status": "completed"}\n{"no": "id"}\n')
    with pytest.raises(BatchInputError, match=r"out.jsonl:2: results file line has no string"):
        load_resume_state(out)
    out.write_text('{"id": "a", "sta')
    assert load_resume_state(out).lines == 0 and out.read_text() == ""


# --- async -------------------------------------------------------------------------------------


async def test_async_run_keeps_order_and_partial_failures() -> None:
    client = AsyncFakeClient()
    batch = [*prompts(5), "BOOM", *prompts(3)]
    result = await arun_batch(client, batch, chunk_size=2, concurrency=3, budget_guard=False)
    assert [r.index for r in result.results] == list(range(9))
    assert [r.status for r in result.results].count("failed") == 2
    assert result.completed == 7


async def test_async_budget_stop_and_file_resume(tmp_path: Path) -> None:
    options: dict[str, Any] = {"chunk_size": 2, "concurrency": 1, "output_allowance": 4}
    result = await arun_batch(AsyncFakeClient(remaining=50), prompts(10), **options)
    assert (result.completed, result.skipped) == (3, 7)

    source = write_jsonl(tmp_path / "in.jsonl", prompts(4))
    out = tmp_path / "out.jsonl"
    summary = await arun_batch_file(AsyncFakeClient(remaining=50), source, out, **options)
    assert (summary.completed, summary.skipped) == (3, 1)
    rerun = AsyncFakeClient()
    summary = await arun_batch_file(rerun, source, out)
    assert rerun.chunks == [[("3", "prompt number 3")]]
    assert summary.already_completed == 3 and len(lines_of(out)) == 4


# --- costs for people, the output lock ------------------------------------------------------


def test_costs_read_without_float_noise() -> None:
    assert [format_cost(c) for c in (0.019410, 0.01, 1234.5, 3.225e-05, 0.0)] == [
        "$0.01941", "$0.01", "$1,234.50", "$0.000032", "$0.00"
    ]  # fmt: skip
    noisy = 0.004726 + 0.004726 + 0.000000000000000006
    item = BatchItemResult(0, "a", "p", "completed", cost=noisy)
    assert "cost=0.009452," in repr(item)  # was cost=0.009452000000000006
    assert "total_cost=0.009452," in repr(BatchSummary(total=1, total_cost=noisy))


def test_a_held_output_lock_refuses_both_runners(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", prompts(2))
    out = tmp_path / "out.jsonl"
    client = FakeClient()
    with output_lock(out):
        with pytest.raises(BatchInputError, match="another batch run is writing"):
            run_batch_file(client, source, out)
        with pytest.raises(BatchInputError, match="another batch run is writing"):
            asyncio.run(arun_batch_file(AsyncFakeClient(), source, out))
    assert client.chunks == [] and client.usage_calls == 0 and not out.exists()
    assert run_batch_file(client, source, out).completed == 2  # released


def test_unsendable_items_in_a_file_fail_alone_even_past_a_stop(tmp_path: Path) -> None:
    values: list[Any] = ["a b", "\ud800", "c d", ["x", "e \udfff f"], "g h"]
    source = write_jsonl(tmp_path / "in.jsonl", values)
    out = tmp_path / "out.jsonl"
    client = FakeClient(remaining=20)  # room for one prompt (4 + 4 estimated, 14 spent)
    summary = run_batch_file(client, source, out, chunk_size=1, concurrency=1, output_allowance=4)
    assert client.chunks == [[("0", "a b")]]
    assert (summary.completed, summary.failed, summary.skipped) == (1, 2, 2)
    statuses = {line["id"]: line["status"] for line in lines_of(out)}
    assert statuses == {"0": "completed", "1": "failed", "2": "skipped", "x": "failed",
                        "4": "skipped"}  # fmt: skip
