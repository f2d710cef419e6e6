"""Every example in examples/ runs against the service double and prints what the docs promise.

Each example is run as a user runs it: a subprocess with CLAUDE_CODE_API_BASE_URL and
CLAUDE_CODE_API_KEY pointing at a local double. An example that stops working fails here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from claude_client import ClaudeClient
from claude_client.testing import ServiceDouble
from tests.docs.conftest import DOCS, EXAMPLES, ROOT, RunExample, example_env

#: Every file of examples/ and the test below that runs it (a new example needs a test).
TESTED = {
    "agentic_tasks.py",
    "async_basics.py",
    "async_streaming.py",
    "batch_jsonl.py",
    "caching.py",
    "cli_tour.sh",
    "configuration.py",
    "error_handling.py",
    "low_level.py",
    "models_and_routing.py",
    "my_app.py",
    "observability.py",
    "streaming.py",
    "sync_basics.py",
    "test_my_app.py",
}


def _lines(text: str) -> list[str]:
    return text.strip("\n").splitlines()


def test_every_example_has_a_test() -> None:
    present = {p.name for p in EXAMPLES.iterdir() if p.is_file() and p.suffix in (".py", ".sh")}
    assert present == TESTED


def test_every_example_is_shown_in_the_docs() -> None:
    pages = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md"))
    included = set(re.findall(r'--8<-- "examples/([^":]+)(?::\w+)?"', pages))
    assert included >= TESTED, sorted(TESTED - included)


def test_sync_basics(run_example: RunExample, docs_double: ServiceDouble) -> None:
    out = run_example("sync_basics.py").stdout
    lines = _lines(out)
    assert lines[0] == "service up (ok), version 0.1.0"
    for model in ("haiku", "sonnet", "opus"):
        assert re.search(rf"^{model}: \d+ tokens, \$0\.\d{{6}}$", out, re.M), model
    assert re.search(r'^auto chose haiku: .*"list three colors"', out, re.M)
    assert re.search(r"^conversation: .+docstrings", out, re.M)
    # The usage the example printed is the double's own book-keeping for the key's project.
    usage = docs_double.usage(docs_double.project_id)
    assert f"project {docs_double.project_id}: {usage.total_tokens} tokens" in out
    assert usage.total_tokens > 0
    assert "  haiku: " in out and "  sonnet: " in out and "  opus: " in out
    assert docs_double.api_key not in out


def test_agentic_tasks(run_example2: RunExample, docs_double2: ServiceDouble) -> None:
    out = run_example2("agentic_tasks.py").stdout
    assert "ready: True" in out
    assert re.search(r"^provider anthropic: .*haiku", out, re.M)
    assert re.search(r"^task completed: \w+, \$0\.\d{6}$", out, re.M)
    assert re.search(r"^stopped: Cost \$", out, re.M)
    assert "thinking: Starting task execution..." in out
    assert "streamed task completed" in out
    assert re.search(r"^process ran haiku: \$0\.\d{6}$", out, re.M)
    # The task and process() were billed to the key's project, not to "default".
    usage = docs_double2.usage(docs_double2.project_id)
    assert f"project {docs_double2.project_id}: {usage.total_tokens} tokens" in out
    assert usage.total_tokens > 0


def test_async_basics(run_example: RunExample, docs_double: ServiceDouble) -> None:
    out = run_example("async_basics.py").stdout
    for question in ("list three colors", "count to five", "show a greeting"):
        # The stand-in model's reply names the prompt: each answer went to its question.
        assert re.search(rf"^'{question}' -> .*\"{question}\"", out, re.M), question
    assert docs_double.stats.tasks_started == 3
    today = docs_double.usage(docs_double.project_id, "day")
    assert f"today: {today.total_tokens} tokens, ${today.total_cost:.6f}" in out


def test_low_level(run_example: RunExample, docs_double: ServiceDouble) -> None:
    out = run_example("low_level.py").stdout
    lines = _lines(out)
    assert lines[0] == "Claude Code API Service 0.1.0"
    assert "  chat: /v1/chat/completions" in lines
    assert "  usage: /v1/usage" in lines
    assert "HTTP 200, application/json" in lines
    assert re.search(r'^haiku: .*"list three colors".* \(\$0\.\d{6}\)$', out, re.M)
    # The low-level call was billed to the key's project, like a high-level one.
    tokens, _cost = docs_double.usage(docs_double.project_id).by_model["haiku"]
    assert tokens > 0


def test_models_and_routing(run_example: RunExample, docs_double: ServiceDouble) -> None:
    out = run_example("models_and_routing.py").stdout
    expected = [
        ("'list three colors' (context 0) -> haiku", "Simple prompt with basic keywords → Haiku"),
        (
            "'analyze this architecture' (context 0) -> sonnet",
            "Complex reasoning keywords with sufficient budget → Sonnet",
        ),
        (
            "'Tell me a story about a whale' (context 0) -> sonnet",
            "Medium complexity task → Sonnet (default)",
        ),
        (
            "'Summarise the attached document' (context 20000) -> opus",
            "Context constraint: Large context requires Opus",
        ),
    ]
    lines = _lines(out)
    for route, reasoning in expected:
        index = lines.index(route)
        assert lines[index + 1].strip() == reasoning
    assert "complete() with AUTO ran on sonnet" in lines
    assert "ValueError: Unknown model 'gpt-4'" in out
    assert "Model('Opus') is Model.OPUS: True" in lines
    # route() ran nothing; only the one AUTO completion did (the typo never left the client).
    assert docs_double.stats.tasks_started == 1
    assert docs_double.stats.requests("/v1/chat/completions") == 1


def test_configuration(run_example: RunExample, docs_double: ServiceDouble) -> None:
    out = run_example("configuration.py").stdout
    lines = _lines(out)
    assert lines[0] == f"CLAUDE_CODE_API_BASE_URL={docs_double.base_url}"
    assert lines[1] == (
        f"ClaudeClient(base_url='{docs_double.base_url}', "
        f"api_key='cc_…{docs_double.api_key[-4:]}', timeout=60.0, max_retries=2)"
    )
    assert docs_double.api_key not in out
    assert "waits 60 s, up to 2 retries" in lines
    assert "copy: waits 300 s, up to 0 retries" in lines
    assert re.search(r"^haiku answered \(\d+ characters\)$", out, re.M)
    assert "requests through my httpx client: ['GET /health', 'GET /v1/usage']" in lines
    assert "my httpx client is still open: True" in lines


def test_error_handling(run_example: RunExample, docs_double: ServiceDouble) -> None:
    out = run_example("error_handling.py").stdout
    lines = _lines(out)
    assert lines[0].startswith("ok: ")
    assert "ValueError: Unknown model 'gpt-4'" in out
    assert "ValueError: Invalid period 'year'" in out
    assert "wrong key: AuthenticationError (HTTP 401): check CLAUDE_CODE_API_KEY" in lines
    assert (
        f"  401 GET {docs_double.base_url}/v1/usage?period=month: 'Invalid or revoked API key'"
        in lines
    )
    assert "  the key is not in the message: True" in lines
    assert "no service: APIConnectionError: is the service running?" in lines
    assert docs_double.api_key not in out
    # Only the first, valid call ran a task.
    assert docs_double.stats.tasks_started == 1


def test_my_app_as_a_program(run_example: RunExample, docs_double: ServiceDouble) -> None:
    ok = run_example("my_app.py", "The quarterly report shows growth.")
    assert "Summarise in one line" in ok.stdout
    broke = run_example("my_app.py", "anything", api_key=docs_double.exhausted_key, check=False)
    assert broke.returncode == 1
    assert broke.stdout.strip() == "no summary: budget"


def test_the_users_pytest_suite_passes_with_the_plugin_fixture(
    docs_double: ServiceDouble,
) -> None:
    # Run as a user runs it: pytest on the file, the claude_double fixture from the plugin.
    command = [sys.executable, "-m", "pytest", str(EXAMPLES / "test_my_app.py")]
    result = subprocess.run(
        [*command, "-o", "addopts=", "-p", "no:cacheprovider", "-v"],
        cwd=ROOT,
        env=example_env(docs_double),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    source = (EXAMPLES / "test_my_app.py").read_text(encoding="utf-8")
    tests = re.findall(r"^def (test_\w+)", source, re.M)
    assert len(tests) == 8
    for name in tests:
        assert re.search(rf"test_my_app\.py::{name} PASSED", result.stdout), name
    assert re.search(r"\b8 passed\b", result.stdout), result.stdout


def test_streaming(run_example: RunExample, docs_double: ServiceDouble) -> None:
    out = run_example("streaming.py").stdout
    lines = _lines(out)
    with ClaudeClient(docs_double.base_url, docs_double.api_key) as client:
        story = client.complete("Tell me a story about a whale", model="sonnet").content
        colors = client.complete("list three colors", model="haiku").content
    assert lines[0] == story  # the chunks, joined, are exactly the REST answer
    assert re.fullmatch(r"done after \d+ chunks on haiku", lines[1])  # AUTO: routed first
    assert lines[2] == f"haiku: {colors}"
    project = docs_double.project_id
    assert re.fullmatch(rf"\d+ tokens, \$0\.\d{{6}}, charged to project {project}", lines[3])
    assert re.fullmatch(rf"project {project}: [1-9]\d* tokens this month", lines[4])
    assert lines[5].startswith("first chunk only: ")
    assert lines[6] == colors
    assert docs_double.usage("default").total_tokens == 0  # billed to the key's project
    assert docs_double.stats.wait_until(lambda s: s.ws_opened == 4 and s.ws_open == 0)
    assert docs_double.api_key not in out


def test_async_streaming(run_example: RunExample, docs_double: ServiceDouble) -> None:
    out = run_example("async_streaming.py").stdout
    for question in ("list three colors", "count to five", "show a greeting"):
        assert re.search(rf"^'{question}' -> .*\"{question}\"", out, re.M), question
    assert re.search(r'^.*"Tell me a story about a whale".*$', out, re.M)
    assert re.search(r"^sonnet: \d+ tokens, \$0\.\d{6}$", out, re.M)  # AUTO chose sonnet
    assert "first chunk only: " in out
    assert docs_double.stats.wait_until(lambda s: s.ws_opened == 5 and s.ws_open == 0)


def test_batch_jsonl(run_example: RunExample, docs_double: ServiceDouble, tmp_path: Path) -> None:
    out = run_example("batch_jsonl.py", str(EXAMPLES / "prompts.jsonl"), "results.jsonl").stdout
    lines = _lines(out)
    progress = [line for line in lines if line.startswith("  progress: ")]
    assert progress[0].startswith("  progress: 4/10 done")  # chunks of 4
    assert progress[-1].startswith("  progress: 10/10 done")
    assert re.search(r"^first run: 10 completed, 0 failed, 3 requests, \d+ tokens", out, re.M)
    assert "stopped early" not in out
    # Lines are written in the order chunks finish (two run at once): any id may come first.
    line_one = re.search(r"^results\.jsonl line 1: id=(\w+) status=completed$", out, re.M)
    assert line_one is not None
    assert "second run: 10 already completed, 0 requests sent" in lines
    # The results file: one line per prompt, in the documented shape.
    written = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    prompts = [json.loads(line) for line in (EXAMPLES / "prompts.jsonl").read_text().splitlines()]
    assert sorted(r["id"] for r in written) == sorted(p["id"] for p in prompts)
    assert written[0]["id"] == line_one[1]
    assert all(r["status"] == "completed" and r["usage"]["total_tokens"] > 0 for r in written)
    assert set(written[0]) == {"id", "prompt", "status", "content", "usage", "cost", "error"}
    # The spend cap: some chunks ran, the rest were skipped, and the cap held.
    capped = re.search(r"^capped run: (\d+) completed, (\d+) skipped, \$(\S+) spent$", out, re.M)
    assert capped is not None
    completed, skipped, spent = int(capped[1]), int(capped[2]), float(capped[3])
    assert completed > 0 and skipped > 0 and completed + skipped == 40
    assert spent <= 0.05
    assert re.search(
        r"^  why: max_cost \$0\.05 would be exceeded: the next prompt may cost ", out, re.M
    )
    # Batch requests: 3 for the file, none for the resumed run, some for the capped run.
    assert docs_double.stats.requests("/v1/batch") == 3 + completed // 5 + (completed % 5 > 0)


def test_batch_jsonl_stops_at_the_projects_budget(
    run_example: RunExample, docs_double: ServiceDouble, tmp_path: Path
) -> None:
    # The service's batch endpoint ignores budgets; the helper checks before every chunk.
    key = docs_double.add_key("small-budget")
    docs_double.set_budget("small-budget", 1000)
    out = run_example("batch_jsonl.py", str(EXAMPLES / "prompts.jsonl"), "out.jsonl", api_key=key)
    first = re.search(r"^first run: (\d+) completed, 0 failed", out.stdout, re.M)
    assert first is not None and 0 < int(first[1]) < 10
    assert re.search(
        r"^stopped early, \d+ not run: the project.s token budget would run out: ", out.stdout, re.M
    )
    assert docs_double.usage("small-budget").total_tokens <= 1000


def test_cli_tour(run_example: RunExample, docs_double: ServiceDouble, tmp_path: Path) -> None:
    # The console script lives next to this interpreter (the venv's bin/).
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    result = run_example(
        "cli_tour.sh", command=["env", f"PATH={path}", "bash", str(EXAMPLES / "cli_tour.sh")]
    )
    out, err = result.stdout, result.stderr
    lines = _lines(out)
    assert lines[0] == "ok (version 0.1.0)"
    assert re.search(r'^.*"list three colors".*$', out, re.M)
    assert re.search(r'^.*"count to five".*$', out, re.M)  # read from stdin
    with ClaudeClient(docs_double.base_url, docs_double.api_key) as client:
        story = client.complete("Tell me a story about a whale", model="sonnet").content
    assert story in lines  # the streamed tokens, joined
    assert "sonnet: Complex reasoning keywords with sufficient budget → Sonnet" in lines
    route = json.loads(next(line for line in lines if line.startswith("{")))
    assert route["recommended_model"] == "opus"
    assert f"Usage of {docs_double.project_id} this month" in lines
    assert "budget: no limit" in lines
    assert "results.jsonl has 10 lines" in lines
    assert re.search(r"^10 completed, 0 failed, 0 skipped of 10; ", err, re.M)
    assert re.search(r"^0 completed, 0 failed, 0 skipped, 10 already completed of 10; ", err, re.M)
    assert "unknown model: exit code 2" in lines
    assert "wrong key: exit code 3" in lines
    assert "no service: exit code 5" in lines
    assert "claude-client: input error: Unknown model 'gpt-4'" in err
    assert "claude-client: authentication error: Invalid or revoked API key" in err
    assert "cc_not_a_key" not in err
    assert docs_double.api_key not in out + err


def test_caching(run_example: RunExample, docs_double: ServiceDouble) -> None:
    out = run_example("caching.py").stdout
    lines = _lines(out)
    assert [line.split(" '")[0] for line in lines[:3]] == ["run 1: sent "] * 3
    assert [line.split(" '")[0] for line in lines[4:7]] == ["run 2: cache"] * 3
    assert all(line.endswith(": 0 tokens billed") for line in lines[4:7])
    spent = re.search(r"^run 1: spent \$(\S+), saved \$0\.000000$", out, re.M)
    saved = re.search(r"^run 2: spent \$0\.000000, saved \$(\S+)$", out, re.M)
    assert spent and saved and spent[1] == saved[1]
    assert "cache=False sends it again: cached=False" in out
    assert "auto ran on haiku; naming haiku hits it: cached=True" in out
    # Three prompts, one re-sent with cache=False, one auto call: 5 tasks, not 8.
    assert docs_double.stats.tasks_started == 5


def test_observability(run_example: RunExample, docs_double: ServiceDouble) -> None:
    out = run_example("observability.py").stdout
    records = [json.loads(line) for line in _lines(out) if line.startswith("{")]
    assert [(r["operation"], r.get("cache_hit", False)) for r in records] == [
        ("chat", False),
        ("chat", True),
        ("usage", False),
        ("chat", False),
    ]
    assert records[0]["status"] == 200 and records[0]["input_tokens"] > 0
    assert records[1]["saved_cost"] == records[0]["cost"] and records[1]["cost"] == 0.0
    assert records[3]["path"] == "/v1/stream"
    spans = out.split("spans:\n", 1)[1].split("metrics:\n", 1)[0]
    assert _lines(spans)[0] == "  POST (child): output tokens -"
    assert "  chat haiku: output tokens 0" in spans  # the cache hit
    assert _lines(out.split("metrics:\n", 1)[1]) == [
        "  claude_client.cost",
        "  gen_ai.client.operation.duration",
        "  gen_ai.client.operation.time_to_first_chunk",
        "  gen_ai.client.token.usage",
    ]
    assert docs_double.api_key not in out
