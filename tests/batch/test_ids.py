"""The duplicate-id check in 8 bytes per id (`claude_client._batch._ids`): digests that collide
are told apart by the ids themselves, so distinct ids are never merged and real duplicates are
still refused, with their first place, before any request."""

from __future__ import annotations

from pathlib import Path

import pytest

from claude_client._batch import BatchInputError, _input, run_batch, run_batch_file
from claude_client._batch._ids import DigestSet
from tests.batch.fakes import FakeClient
from tests.batch.test_core import write_jsonl


def test_digest_set_tells_new_from_seen_and_grows() -> None:
    digests = DigestSet()
    assert all(digests.add(d) for d in range(2, 10_002))  # past its first 1024 slots
    assert all(digests.add(-d) for d in range(2, 10_002))
    assert len(digests) == 20_000
    assert not any(digests.add(d) for d in (2, -2, 10_001, -10_001))
    assert digests.add(0) and not digests.add(1)  # 0 marks an empty slot: stored as 1
    assert DigestSet(expected=100_000).add(42)


def _all_collide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every id gets the same digest (the module's ``hash``)."""
    monkeypatch.setattr(_input, "hash", lambda _id: 7, raising=False)


def test_colliding_digests_of_distinct_ids_are_not_duplicates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _all_collide(monkeypatch)
    client = FakeClient()
    result = run_batch(client, [("a", "x"), ("b", "y"), ("c", "z")], budget_guard=False)
    assert [r.id for r in result.results] == ["a", "b", "c"] and result.completed == 3
    source = write_jsonl(tmp_path / "in.jsonl", [["a", "x"], ["b", "y"], ["c", "z"]])
    summary = run_batch_file(client, source, tmp_path / "out.jsonl", budget_guard=False)
    assert summary.total == 3 and summary.completed == 3


def test_a_duplicate_among_colliding_digests_is_found_with_its_first_place(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _all_collide(monkeypatch)
    client = FakeClient()
    source = write_jsonl(tmp_path / "in.jsonl", [["a", "x"], ["b", "y"], ["c", "z"], ["b", "w"]])
    with pytest.raises(BatchInputError, match=r"in.jsonl:4: duplicate id 'b' \(first used at "
                       r".*in.jsonl:2\)") as caught:  # fmt: skip
        run_batch_file(client, source, tmp_path / "out.jsonl")
    assert caught.value.line == 4 and client.chunks == []


def test_resume_skips_completed_ids_of_the_input_only(tmp_path: Path) -> None:
    client = FakeClient()
    source = write_jsonl(tmp_path / "in.jsonl", [["a", "x"], ["b", "y"]])
    output = tmp_path / "out.jsonl"
    assert run_batch_file(client, source, output, budget_guard=False).completed == 2
    write_jsonl(source, [["a", "x"], ["b", "y"], ["c", "z"]])
    summary = run_batch_file(client, source, output, budget_guard=False)
    assert (summary.already_completed, summary.completed, summary.total) == (2, 1, 3)
