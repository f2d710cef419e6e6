"""The ``claude-client`` command against the service double: every subcommand, its JSON form,
bad input, and the exit code of each kind of failure (one line on stderr, never the key)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from claude_client import ClaudeClient
from claude_client._exceptions import RateLimitError
from claude_client.cli import ExitCode, app
from claude_client.cli._output import exit_code_for
from claude_client.testing import ServiceDouble
from tests.integration.conftest import RecordingClock, retry_clock  # noqa: F401 - fixture


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


def only_error(result: Result, code: ExitCode) -> str:
    """The exit code is ``code`` and stderr is exactly one line (no word twice in a row)."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert not re.search(r"\b(\w+) \1\b", lines[0]), lines[0]
    return lines[0]


def json_error(result: Result, code: ExitCode) -> dict[str, Any]:
    """Under ``--json``: the one stderr line is ``{"error", "type", "exit_code"}``."""
    error = json.loads(only_error(result, code))
    assert isinstance(error, dict) and sorted(error) == ["error", "exit_code", "type"], error
    assert error["exit_code"] == code
    return error


def write_jsonl(path: Path, values: list[Any]) -> Path:
    path.write_text("".join(json.dumps(v) + "\n" for v in values), encoding="utf-8")
    return path


# --- health, complete, stream, route, usage -------------------------------------------------


@pytest.mark.claude_double_generation(1)
def test_health_text_and_json(double: ServiceDouble) -> None:
    text = cli(double, "health")
    assert text.exit_code == 0 and text.stdout.startswith("ok (version ")
    assert "worker_pool: running" in text.stdout
    data = json.loads(cli(double, "--json", "health").stdout)
    assert data["status"] == "ok" and data["services"]["worker_pool"] == "running"


@pytest.mark.claude_double_generation(2)
def test_health_says_up_when_generation_2_only_lacks_redis(double: ServiceDouble) -> None:
    """Generation 2 says "degraded" in its normal, Redis-less setup: the CLI shows the
    service's word, says why it is up anyway, and exits 0."""
    text = cli(double, "health")
    assert text.exit_code == 0
    assert text.stdout.startswith(
        "degraded (version 0.1.0) (up: the components not ok are optional)\n"
    )
    assert "  redis: unavailable\n" in text.stdout and "  worker_pool: ok\n" in text.stdout
    data = json.loads(cli(double, "--json", "health").stdout)
    assert (data["status"], data["services"]["redis"]) == ("degraded", "unavailable")


@pytest.mark.claude_double_generation(2)
def test_complete_takes_generation_2_tools_and_directory(double: ServiceDouble) -> None:
    args = ("complete", "list three colors", "-m", "haiku", "--allowed-tool", "Read")
    done = cli(double, *args, "--allowed-tool", "Grep", "--working-directory", "/srv/repo")
    assert done.exit_code == 0 and "list three colors" in done.stdout
    before = double.stats.requests("/v1/chat/completions")
    refused = cli(double, "complete", "hi", "--allowed-tool", "Read;id")
    assert "allowed_tools[0] 'Read;id' holds ';'" in only_error(refused, ExitCode.USAGE)
    assert double.stats.requests("/v1/chat/completions") == before  # nothing was sent


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


def test_stream_unknown_model_and_empty_stdin_are_usage_errors(double: ServiceDouble) -> None:
    unknown = (
        "Unknown model 'gpt-4': use one of 'haiku', 'sonnet', 'opus', 'auto' (or Model.<NAME>)"
    )
    text = cli(double, "stream", "hi", "-m", "gpt-4")
    assert only_error(text, ExitCode.USAGE) == f"claude-client: input error: {unknown}"
    assert text.stdout == ""
    error = json_error(cli(double, "--json", "stream", "hi", "-m", "gpt-4"), ExitCode.USAGE)
    assert error == {"error": unknown, "type": "ValueError", "exit_code": 2}
    # No argument (or '-'): the prompt is read from stdin, and a blank one is refused.
    empty = "the prompt read from stdin is empty"
    assert only_error(cli(double, "stream", stdin=""), ExitCode.USAGE) == (
        f"claude-client: input error: {empty}"
    )
    blank = cli(double, "--json", "stream", "-", "-m", "haiku", stdin=" \n\t\n")
    assert json_error(blank, ExitCode.USAGE) == {"error": empty, "type": "input", "exit_code": 2}
    assert double.stats.requests() == 0 and double.stats.ws_opened == 0


def test_stream_with_a_spent_budget_exits_4(double: ServiceDouble) -> None:
    spent = f"Budget exceeded for project exhausted-project (error frame from {double.ws_url})"
    text = cli(double, "stream", "hi", "-m", "haiku", key=double.exhausted_key)
    assert only_error(text, ExitCode.BUDGET) == f"claude-client: budget error: {spent}"
    assert text.stdout == ""
    result = cli(double, "--json", "stream", "hi", key=double.exhausted_key)
    error = json_error(result, ExitCode.BUDGET)
    assert error == {"error": spent, "type": "BudgetExceededError", "exit_code": 4}
    assert double.exhausted_key not in text.stderr + result.stderr


def test_stream_error_frame_is_one_line_without_a_doubled_word(double: ServiceDouble) -> None:
    failed = f"Streaming error: Claude CLI exited with code 1 (error frame from {double.ws_url})"
    text = cli(double, "stream", "[[fail]]", "-m", "haiku")
    # Not "claude-client: error error: ...": an error without a kind of its own says "error:".
    assert only_error(text, ExitCode.ERROR) == f"claude-client: error: {failed}"
    error = json_error(cli(double, "--json", "stream", "[[fail]]", "-m", "haiku"), ExitCode.ERROR)
    assert error == {"error": failed, "type": "TaskFailedError", "exit_code": 1}


def test_health_non_2xx_and_not_ok(
    double: ServiceDouble,
    retry_clock: RecordingClock,  # noqa: F811 - the fixture: retries without waiting
) -> None:
    double.faults.fail(503, times=None, path="/health")
    unavailable = f"Service Unavailable (HTTP 503 from GET {double.base_url}/health)"
    text = cli(double, "health")
    assert only_error(text, ExitCode.ERROR) == f"claude-client: error: {unavailable}"
    assert text.stdout == ""
    error = json_error(cli(double, "--json", "health"), ExitCode.ERROR)
    assert error == {"error": unavailable, "type": "ServerError", "exit_code": 1}
    assert double.stats.requests("/health") > 2  # retried before giving up
    # A 200 whose status is not "ok": the status on stdout, one error line on stderr.
    double.reset()
    body: dict[str, object] = {"status": "degraded", "version": "0.1.0", "services": {}}
    double.faults.respond(200, body, times=None, path="/health")
    degraded = "the service reports status 'degraded'"
    text = cli(double, "health")
    assert only_error(text, ExitCode.ERROR) == f"claude-client: error: {degraded}"
    assert text.stdout == "degraded (version 0.1.0)\n"
    result = cli(double, "--json", "health")
    assert json_error(result, ExitCode.ERROR) == {"error": degraded, "type": "error",
                                                  "exit_code": 1}  # fmt: skip
    assert json.loads(result.stdout)["status"] == "degraded"


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


def test_no_key_says_how_to_pass_one_on_the_command_line(double: ServiceDouble) -> None:
    """Issue 14 item 2: the hint fits where the user is (``--api-key``, not ``api_key=``)."""
    line = one_error_line(
        cli(double, "usage", key=""), ExitCode.AUTH, "--api-key", "CLAUDE_CODE_API_KEY"
    )
    assert "api_key=" not in line
    assert line.startswith("claude-client: authentication error: Not authenticated")


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


#: Arguments click rejects, its message, and the type of its error.
USAGE_ERRORS = [
    (["complete", "hi", "--bogus"], "No such option: --bogus", "NoSuchOption"),
    (
        ["route", "x", "--context-size", "-1"],
        "Invalid value for '--context-size': -1 is not in the range x>=0.",
        "BadParameter",
    ),
    (["batch"], "Missing argument 'INPUT'.", "MissingParameter"),
    (["complete", "--model"], "Option '--model' requires an argument.", "BadOptionUsage"),
    (["nosuch"], "No such command 'nosuch'.", "UsageError"),
    (["--bogus", "health"], "No such option: --bogus", "NoSuchOption"),
]


@pytest.mark.parametrize(("args", "message", "error_type"), USAGE_ERRORS)
def test_usage_errors_are_one_line_exit_2(
    double: ServiceDouble, args: list[str], message: str, error_type: str
) -> None:
    text = cli(double, *args)
    assert only_error(text, ExitCode.USAGE) == f"claude-client: usage error: {message}"
    assert text.stdout == ""
    error = json_error(cli(double, "--json", *args), ExitCode.USAGE)
    assert error == {"error": message, "type": error_type, "exit_code": 2}
    assert double.stats.requests() == 0


def test_usage_errors_in_global_options_honour_json(double: ServiceDouble) -> None:
    # click stops at --bogus before it reads --json: the error is JSON all the same.
    error = json_error(cli(double, "--bogus", "--json", "health"), ExitCode.USAGE)
    assert error == {"error": "No such option: --bogus", "type": "NoSuchOption", "exit_code": 2}
    # --json after the command is the global option too: a usage error there is JSON as well.
    error = json_error(cli(double, "health", "--bogus", "--json"), ExitCode.USAGE)
    assert error == {"error": "No such option: --bogus", "type": "NoSuchOption", "exit_code": 2}


def test_usage_errors_never_show_the_key(double: ServiceDouble) -> None:
    key, bad = double.api_key, "cc_" + "9" * 40
    # click quotes a bad value: the key from the environment, or from --api-key, is masked.
    masked = "Invalid value for '--max-tokens': '***' is not a valid int"
    from_env = only_error(cli(double, "complete", "x", "--max-tokens", key), ExitCode.USAGE)
    assert from_env.startswith(f"claude-client: usage error: {masked}") and key not in from_env
    as_option = cli(double, "--json", "--api-key", bad, "complete", "x", "--max-tokens", bad)
    error = json_error(as_option, ExitCode.USAGE)
    assert error["error"].startswith(masked) and bad not in as_option.stderr
    command = cli(double, "--api-key", bad, bad, key="")  # the key where the command goes
    assert (
        only_error(command, ExitCode.USAGE) == "claude-client: usage error: No such command '***'."
    )


def test_an_abort_is_one_line(double: ServiceDouble, monkeypatch: pytest.MonkeyPatch) -> None:
    def end_of_input(self: ClaudeClient) -> None:
        raise EOFError  # click turns it into its Abort ("Aborted!", exit code 1)

    monkeypatch.setattr(ClaudeClient, "health", end_of_input)
    text = cli(double, "health")
    assert text.exit_code == ExitCode.ERROR
    # click writes an empty line for the EOF first; the error is the one line with text.
    assert [line for line in text.stderr.splitlines() if line] == ["claude-client: error: aborted"]
    result = cli(double, "--json", "health")
    assert [json.loads(line) for line in result.stderr.splitlines() if line] == [
        {"error": "aborted", "type": "Abort", "exit_code": 1}
    ]


def test_help_still_works(double: ServiceDouble) -> None:
    for args in (["--help"], ["--json", "--help"], ["stream", "--help"], ["health", "--help"]):
        result = cli(double, *args)
        assert result.exit_code == 0 and result.stderr == "", args
        assert "Usage: claude-client " in result.stdout and "--help" in result.stdout
    assert "Exit codes: 0 ok" in cli(double, "--help").stdout
    bare = cli(double)  # no arguments at all: the help, and exit code 2 (as click does)
    assert bare.exit_code == ExitCode.USAGE and "Usage: claude-client " in bare.stdout


def test_console_script_usage_error_is_one_line() -> None:
    script = Path(sys.executable).with_name("claude-client")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_CODE_API")}
    for args, line in (
        (["complete", "hi", "--bogus"], "claude-client: usage error: No such option: --bogus"),
        (
            ["--json", "batch"],
            '{"error": "Missing argument \'INPUT\'.", "type": "MissingParameter", "exit_code": 2}',
        ),
    ):
        run = subprocess.run(
            [str(script), *args], env=env, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert (run.returncode, run.stdout, run.stderr) == (ExitCode.USAGE, "", line + "\n")
    shown = subprocess.run(
        [str(script), "--help"], env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert shown.returncode == 0 and "Usage: claude-client " in shown.stdout


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
    one_error_line(
        budget, ExitCode.BUDGET, "prompts were not sent (nor billed), because the project's"
    )
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
