"""The ``claude-client`` command against the service double: every subcommand, its JSON form,
bad input, and the exit code of each kind of failure (one line on stderr, never the key)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from claude_client._exceptions import RateLimitError
from claude_client.cli import ExitCode, app
from claude_client.cli._output import exit_code_for
from claude_client.testing import ServiceDouble


@pytest.fixture
def double(claude_double: ServiceDouble) -> Iterator[ServiceDouble]:
    yield claude_double


def cli(double: ServiceDouble, *args: str, key: str | None = None, stdin: str | None = None,
        ) -> Result:  # fmt: skip
    env = {
        "CLAUDE_CODE_API_BASE_URL": double.base_url,
        "CLAUDE_CODE_API_KEY": double.api_key if key is None else key,
    }
    return CliRunner().invoke(app, list(args), env=env, input=stdin)


def one_error_line(result: Result, code: ExitCode, *fragments: str) -> str:
    """The exit code is ``code`` and stderr ends with one error line holding ``fragments``
    (a batch prints its progress and summary before it)."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith(("claude-client: ", '{"error"'))]
    assert errors == lines[-1:], result.stderr
    for fragment in fragments:
        assert fragment in lines[-1]
    return lines[-1]


def write_jsonl(path: Path, values: list[Any]) -> Path:
    path.write_text("".join(json.dumps(v) + "\n" for v in values), encoding="utf-8")
    return path


# --- health, complete, stream, route, usage -------------------------------------------------


def test_health_text_and_json(double: ServiceDouble) -> None:
    text = cli(double, "health")
    assert text.exit_code == 0 and text.stdout.startswith("ok (version ")
    assert "worker_pool: running" in text.stdout
    data = json.loads(cli(double, "--json", "health").stdout)
    assert data["status"] == "ok" and data["services"]["worker_pool"] == "running"


def test_complete_from_argument_and_stdin(double: ServiceDouble) -> None:
    text = cli(double, "complete", "list three colors", "--model", "haiku")
    assert text.exit_code == 0 and "list three colors" in text.stdout
    piped = cli(double, "--json", "complete", "--model", "haiku", stdin="list three colors\n")
    data = json.loads(piped.stdout)
    assert data["model"] == "haiku" and data["usage"]["total_tokens"] > 0
    assert data["content"] + "\n" != text.stdout or data["content"]


def test_complete_bad_input_is_a_usage_error(double: ServiceDouble) -> None:
    one_error_line(cli(double, "complete", stdin=""), ExitCode.USAGE, "prompt")
    one_error_line(cli(double, "complete", "hi", "-m", "gpt-4"), ExitCode.USAGE, "gpt-4")
    one_error_line(cli(double, "complete", "hi", "--timeout", "0.5"), ExitCode.USAGE, "timeout")
    assert double.stats.requests("/v1/chat/completions") == 0


def test_stream_prints_tokens_as_they_arrive(double: ServiceDouble) -> None:
    text = cli(double, "stream", "Tell me a story about a whale", "--model", "haiku")
    assert text.exit_code == 0, text.stderr
    reply = cli(double, "complete", "Tell me a story about a whale", "--model", "haiku")
    assert text.stdout == reply.stdout
    lines = cli(double, "--json", "stream", "-m", "haiku", stdin="Tell me a story").stdout
    tokens = [json.loads(line)["token"] for line in lines.splitlines()]
    assert len(tokens) > 5 and "Tell me a story" in "".join(tokens)


def test_route_and_usage(double: ServiceDouble) -> None:
    routed = cli(double, "route", "list three colors")
    assert routed.exit_code == 0 and routed.stdout.startswith("haiku: ")
    big = json.loads(cli(double, "--json", "route", "x", "--context-size", "20000").stdout)
    assert big["recommended_model"] == "opus"
    cli(double, "complete", "list three colors", "-m", "haiku")
    table = cli(double, "usage", "--period", "day")
    assert table.exit_code == 0 and "haiku" in table.stdout and "budget: no limit" in table.stdout
    data = json.loads(cli(double, "--json", "usage").stdout)
    assert data["by_model"]["haiku"]["tokens"] > 0 and data["limit"] is None
    one_error_line(cli(double, "usage", "--period", "year"), ExitCode.USAGE, "--period")
    assert cli(double, "route", "x", "--context-size", "-1").exit_code == ExitCode.USAGE


# --- failures and exit codes -----------------------------------------------------------------


def test_auth_failures_exit_3_without_printing_the_key(double: ServiceDouble) -> None:
    bad = "cc_" + "0" * 40
    line = one_error_line(cli(double, "complete", "hi", key=bad), ExitCode.AUTH, "401")
    assert bad not in line
    one_error_line(cli(double, "usage", key=""), ExitCode.AUTH)
    result = cli(double, "--json", "--api-key", bad, "usage")
    error = json.loads(result.stderr)
    assert error["exit_code"] == ExitCode.AUTH and bad not in result.stderr + result.stdout


def test_budget_and_connection_failures(double: ServiceDouble) -> None:
    one_error_line(
        cli(double, "complete", "hi", key=double.exhausted_key), ExitCode.BUDGET, "Budget"
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    one_error_line(cli(double, "--base-url", closed, "health"), ExitCode.CONNECTION)


def test_other_errors_map_to_their_codes() -> None:
    assert exit_code_for(RateLimitError("Rate limit exceeded")) == ExitCode.RATE_LIMIT
    assert exit_code_for(RuntimeError("?")) == ExitCode.ERROR


def test_help_never_shows_the_key(double: ServiceDouble) -> None:
    result = cli(double, "--help")
    assert result.exit_code == 0 and double.api_key not in result.stdout
    assert "CLAUDE_CODE_API_KEY" in result.stdout


# --- batch -------------------------------------------------------------------------------------


def test_batch_writes_results_and_resumes(double: ServiceDouble, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [f"q {i}" for i in range(6)] + ["x [[fail]]"])
    first = cli(double, "batch", str(source), "--chunk-size", "3", "--concurrency", "2")
    one_error_line(first, ExitCode.INCOMPLETE, "1 prompts failed")
    out = tmp_path / "in.results.jsonl"
    assert len(out.read_text().splitlines()) == 7
    source.write_text(source.read_text().replace(" [[fail]]", ""))
    second = cli(double, "--json", "batch", str(source), "-o", str(out), "--no-progress")
    assert second.exit_code == 0, second.stderr
    summary = json.loads(second.stdout)
    assert (summary["already_completed"], summary["completed"]) == (6, 1)
    statuses = [json.loads(line)["status"] for line in out.read_text().splitlines()]
    assert statuses == ["completed"] * 7


def test_batch_shows_a_progress_bar_and_a_summary(double: ServiceDouble, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"p{i}", "prompt": "hi"} for i in range(4)])
    result = cli(double, "batch", str(source), "-o", str(tmp_path / "out.jsonl"), "-m", "haiku")
    assert result.exit_code == 0
    assert "batch" in result.stderr and "4 completed, 0 failed, 0 skipped of 4" in result.stderr


def test_batch_stops_at_the_budget_and_the_cap(double: ServiceDouble, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [f"question {i}" for i in range(10)])
    key = double.add_key("small")
    double.set_budget("small", 300)  # one prompt is estimated at 4 + 256 tokens
    budget = cli(double, "batch", str(source), "--chunk-size", "1", key=key)
    one_error_line(budget, ExitCode.BUDGET, "prompts not run: budget: ")
    capped = cli(
        double, "batch", str(source), "-o", str(tmp_path / "capped.jsonl"), "--max-cost",
        "0.002", "--chunk-size", "1", "--no-progress",
    )  # fmt: skip
    one_error_line(capped, ExitCode.BUDGET, "max_cost")


def test_batch_bad_input(double: ServiceDouble, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('"fine"\n{"prompt": oops}\n')
    one_error_line(
        cli(double, "batch", str(source)), ExitCode.USAGE, "in.jsonl:2: line is not valid JSON"
    )
    write_jsonl(source, [["a", "x"], ["a", "y"]])
    one_error_line(cli(double, "batch", str(source)), ExitCode.USAGE, "duplicate id 'a'")
    source.write_text("\n")
    one_error_line(cli(double, "batch", str(source)), ExitCode.USAGE, "empty")
    one_error_line(cli(double, "batch", str(tmp_path / "missing.jsonl")), ExitCode.USAGE)
    write_jsonl(source, ["x"])
    one_error_line(cli(double, "batch", str(source), "-m", "gpt-4"), ExitCode.USAGE, "gpt-4")
    one_error_line(cli(double, "batch", str(source), "--chunk-size", "0"), ExitCode.USAGE)
    assert double.stats.requests("/v1/batch") == 0


# --- serve-double and the console script ---------------------------------------------------------


def test_serve_double_help_and_bad_arguments(double: ServiceDouble) -> None:
    assert "service double" in cli(double, "serve-double", "--help").stdout
    assert cli(double, "serve-double", "--port", "nope").exit_code == 2


def test_console_script_serves_the_double_and_talks_to_it(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("claude-client")
    key = "cc_" + "c" * 40
    server = subprocess.Popen(
        [str(script), "serve-double", "--port", "0", "--api-key", key],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().rsplit("listening on ", 1)[1].strip()
        env = {**os.environ, "CLAUDE_CODE_API_KEY": key, "CLAUDE_CODE_API_BASE_URL": base_url}
        run = subprocess.run(
            [str(script), "--json", "complete", "-m", "haiku", "list three colors"],
            env=env, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout)["model"] == "haiku"
        bad = subprocess.run(
            [str(script), "usage"], env={**env, "CLAUDE_CODE_API_KEY": "cc_" + "1" * 40},
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert bad.returncode == ExitCode.AUTH and len(bad.stderr.splitlines()) == 1
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(10) == 0
