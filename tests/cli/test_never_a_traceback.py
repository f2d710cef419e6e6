"""Issue 14 item 11: whatever fails, ``claude-client`` prints one stderr line and exits with a
code, never a traceback (an 83-line one before, on a deeply nested body or a MemoryError)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from claude_client import ClaudeClient
from claude_client.cli import ExitCode, app
from tests.reliability.flood import FloodServer

DEEP = b"[" * 200_000 + b"]" * 200_000


def _run(base_url: str, *args: str) -> tuple[int, list[str]]:
    env = {"CLAUDE_CODE_API_BASE_URL": base_url, "CLAUDE_CODE_API_KEY": "cc_" + "a" * 40}
    result = CliRunner().invoke(app, list(args), env=env)
    assert "Traceback" not in result.stderr + result.stdout
    return result.exit_code, result.stderr.splitlines()


@pytest.mark.parametrize("as_json", [False, True])
def test_a_deeply_nested_answer_is_one_line(as_json: bool) -> None:
    with FloodServer(0, answers={"/v1/chat/completions": DEEP}) as server:
        flags = ["--json"] if as_json else []
        code, lines = _run(server.url, *flags, "complete", "--model", "haiku", "hi")
    assert code == ExitCode.ERROR and len(lines) == 1, lines
    if as_json:
        assert json.loads(lines[0])["type"] == "MalformedResponseError"
    else:
        assert lines[0].startswith("claude-client: error: Malformed response")


@pytest.mark.parametrize("as_json", [False, True])
@pytest.mark.parametrize(
    "failure", [MemoryError(), RecursionError("maximum recursion depth"), RuntimeError("a bug")]
)
def test_any_failure_is_one_line_with_an_exit_code(
    monkeypatch: pytest.MonkeyPatch, failure: Exception, as_json: bool
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(ClaudeClient, "complete", fail)
    flags = ["--json"] if as_json else []
    code, lines = _run("http://127.0.0.1:9", *flags, "complete", "--model", "haiku", "hi")
    assert code == ExitCode.ERROR and len(lines) == 1, lines
    name = type(failure).__name__
    if as_json:
        error = json.loads(lines[0])
        assert (error["type"], error["exit_code"]) == (name, ExitCode.ERROR)
    else:
        assert lines[0].startswith("claude-client: error: ")
        assert (str(failure) or name) in lines[0]
