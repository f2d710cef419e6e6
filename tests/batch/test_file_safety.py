"""Batch files that must not bill by mistake (issue 14 items 8, 9 and 14, issue 15), against the
service double over real sockets: the output is the input, a prompt that cannot be sent, two
runners on one output, a results line without its newline, a byte order mark, a missing input."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from claude_client import AsyncClaudeClient, ClaudeClient
from claude_client._batch import BatchInputError
from claude_client.testing import ServiceDouble
from tests.batch.test_against_double import start_file_run


@pytest.fixture
def client(claude_double: ServiceDouble) -> Iterator[ClaudeClient]:
    with ClaudeClient(base_url=claude_double.base_url, api_key=claude_double.api_key) as client:
        yield client


def write_prompts(path: Path, count: int, bad: dict[int, str] | None = None) -> Path:
    prompts = {i: f"question {i}" for i in range(count)} | (bad or {})
    lines = (json.dumps({"id": f"p{i}", "prompt": prompts[i]}) for i in range(count))
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- item 8: the output is the input -----------------------------------------------------------


def _same_file(kind: str, source: Path) -> Path:
    if kind == "same path":
        return source
    if kind == "another spelling":
        return source.parent / "." / source.name
    other = source.with_name("results.jsonl")
    if kind == "symlink":
        other.symlink_to(source)
    else:
        os.link(source, other)
    return other


@pytest.mark.parametrize("kind", ["same path", "another spelling", "symlink", "hard link"])
def test_an_output_that_is_the_input_is_refused_before_any_request(
    client: ClaudeClient, claude_double: ServiceDouble, tmp_path: Path, kind: str
) -> None:
    # Before: the results were read back as prompts: 101 batch requests in 5 s on the double
    # (7,308 billed in 15 s on the real service), without end.
    source = write_prompts(tmp_path / "p.jsonl", 10)
    content = source.read_bytes()
    output = _same_file(kind, source)
    for resume in (True, False):
        with pytest.raises(BatchInputError, match="the output is the input file"):
            # the cap bounds this test if the check is missing (about 30 haiku prompts)
            client.run_batch_file(source, output, resume=resume, model="haiku", max_cost=0.01)
    assert claude_double.stats.requests() == 0
    assert source.read_bytes() == content


def test_an_output_that_is_a_directory_or_in_none_is_refused(
    client: ClaudeClient, claude_double: ServiceDouble, tmp_path: Path
) -> None:
    source = write_prompts(tmp_path / "p.jsonl", 3)
    with pytest.raises(BatchInputError, match="the output is a directory"):
        client.run_batch_file(source, tmp_path)
    with pytest.raises(BatchInputError, match=r"typo does not exist$"):
        client.run_batch_file(source, tmp_path / "typo" / "out.jsonl")
    assert not (tmp_path / "typo").exists()
    assert claude_double.stats.requests() == 0


def test_a_missing_input_is_a_batch_input_error(client: ClaudeClient, tmp_path: Path) -> None:
    # Before: a bare FileNotFoundError, though the batch guide promises BatchInputError.
    with pytest.raises(BatchInputError, match=r"missing\.jsonl: no such input file"):
        client.run_batch_file(tmp_path / "missing.jsonl", tmp_path / "out.jsonl")
    with pytest.raises(BatchInputError, match="the input is a directory"):
        client.run_batch_file(tmp_path, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


# --- item 9: a prompt that cannot be sent ------------------------------------------------------


def test_an_unencodable_prompt_in_a_file_is_booked_failed_and_the_rest_run(
    client: ClaudeClient, claude_double: ServiceDouble, tmp_path: Path
) -> None:
    # Before: UnicodeEncodeError after 2 requests, nothing recorded for the id: 10 of 60 ids
    # done after 3 runs, every run failing the same way.
    source = write_prompts(tmp_path / "in.jsonl", 60, {10: "bad \ud800 one"})
    out = tmp_path / "out.jsonl"
    summaries = [client.run_batch_file(source, out, chunk_size=5, concurrency=1) for _ in range(3)]
    assert (summaries[0].completed, summaries[0].failed, summaries[0].requests) == (59, 1, 12)
    assert [(s.already_completed, s.failed, s.requests) for s in summaries[1:]] == [(59, 1, 0)] * 2
    lines = {line["id"]: line for line in lines_of(out)}
    assert sorted(lines) == sorted(f"p{i}" for i in range(60))
    bad = lines.pop("p10")
    assert bad["status"] == "failed" and bad["prompt"] == "bad \ud800 one"  # read back the same
    assert "lone surrogate '\\ud800' at position 4" in bad["error"]
    assert {line["status"] for line in lines.values()} == {"completed"}
    assert claude_double.stats.requests("/v1/batch") == 12


async def test_the_async_file_runner_books_it_failed_too(
    claude_double: ServiceDouble, tmp_path: Path
) -> None:
    source = write_prompts(tmp_path / "in.jsonl", 6, {0: "\udfff"})
    out = tmp_path / "out.jsonl"
    async with AsyncClaudeClient(
        base_url=claude_double.base_url, api_key=claude_double.api_key
    ) as client:
        summary = await client.run_batch_file(source, out, chunk_size=2)
    assert (summary.completed, summary.failed, summary.requests) == (5, 1, 3)


def test_an_unencodable_prompt_in_memory_is_refused_naming_the_item(
    client: ClaudeClient, claude_double: ServiceDouble
) -> None:
    with pytest.raises(BatchInputError, match=r"^item 2: prompt holds a lone surrogate"):
        client.run_batch(["fine", "fine too", "not \ud800 fine"])
    with pytest.raises(BatchInputError, match=r"^item 1: id holds a lone surrogate"):
        client.run_batch([("a", "x"), ("b\udc00", "y")])
    assert claude_double.stats.requests() == 0


def test_every_call_refuses_unencodable_text_before_sending(
    client: ClaudeClient, claude_double: ServiceDouble
) -> None:
    # Before: a raw UnicodeEncodeError from complete, route and batch (once the request was
    # being written); stream sent its frame and the server dropped the socket.
    bad = "why \ud800?"
    calls: dict[str, Callable[[], object]] = {
        "complete": lambda: client.complete(bad),
        "messages": lambda: client.complete([{"role": "user", "content": bad}]),
        "route": lambda: client.route(bad),
        "batch": lambda: client.batch(["ok", bad]),
        "batch id": lambda: client.batch([("ok\ud800", "fine")]),
        "stream": lambda: list(client.stream(bad)),
        "stream_events": lambda: client.stream_events(bad).__enter__(),
    }
    for name, call in calls.items():
        with pytest.raises(ValueError, match=r"holds a lone surrogate '\\ud800'") as caught:
            call()
        assert not isinstance(caught.value, UnicodeError), name
    assert claude_double.stats.requests() == 0 and claude_double.stats.ws_opened == 0


async def test_every_async_call_refuses_unencodable_text_before_sending(
    claude_double: ServiceDouble,
) -> None:
    bad = "why \ud800?"
    async with AsyncClaudeClient(
        base_url=claude_double.base_url, api_key=claude_double.api_key
    ) as client:
        with pytest.raises(ValueError, match="lone surrogate"):
            await client.complete(bad)
        with pytest.raises(ValueError, match="lone surrogate"):
            await client.route(bad)
        with pytest.raises(ValueError, match="lone surrogate"):
            await client.batch([bad])
        with pytest.raises(ValueError, match="lone surrogate"):
            async for _ in client.stream(bad):
                pass
    assert claude_double.stats.requests() == 0 and claude_double.stats.ws_opened == 0


# --- item 14: two runners, a line without its newline, a byte order mark -----------------------


def test_a_second_runner_on_the_same_output_is_refused(
    client: ClaudeClient, claude_double: ServiceDouble, tmp_path: Path
) -> None:
    # Before: the second process read the same resume state and billed every prompt still to
    # do a second time.
    claude_double.token_delay = 0.01  # about 0.2 s per prompt: the first run is still going
    source = write_prompts(tmp_path / "in.jsonl", 60)
    out = tmp_path / "out.jsonl"
    first = start_file_run(claude_double, source, out)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (out.exists() and out.read_bytes()):
            time.sleep(0.02)
        assert first.poll() is None, "the first run ended before the second started"
        usage_calls = claude_double.stats.requests("/v1/usage")
        with pytest.raises(BatchInputError, match="another batch run is writing to this output"):
            client.run_batch_file(source, out)
        assert claude_double.stats.requests("/v1/usage") == usage_calls  # nothing sent
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    claude_double.token_delay = 0.0
    summary = client.run_batch_file(source, out)  # the dead run's lock is gone with it
    assert summary.already_completed + summary.completed == 60


def test_a_complete_last_line_without_its_newline_is_kept(
    client: ClaudeClient, claude_double: ServiceDouble, tmp_path: Path
) -> None:
    # Before: the line was cut and its prompt sent (and billed) again.
    source = write_prompts(tmp_path / "in.jsonl", 5)
    out = tmp_path / "out.jsonl"
    client.run_batch_file(source, out)
    written = out.read_bytes()
    out.write_bytes(written.rstrip(b"\n"))
    summary = client.run_batch_file(source, out)
    assert (summary.already_completed, summary.requests) == (5, 0)
    assert out.read_bytes() == written
    out.write_bytes(written[:-20])  # a line a killed run never finished is still cut
    assert client.run_batch_file(source, out).completed == 1


def test_a_byte_order_mark_is_accepted(client: ClaudeClient, tmp_path: Path) -> None:
    # Before: "line is not valid JSON (Unexpected UTF-8 BOM ...)".
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'\xef\xbb\xbf{"id": "a", "prompt": "hello"}\n"plain"\n')
    summary = client.run_batch_file(source, tmp_path / "out.jsonl")
    assert (summary.completed, summary.failed) == (2, 0)
    assert [line["id"] for line in lines_of(tmp_path / "out.jsonl")] == ["a", "1"]
