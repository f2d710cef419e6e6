"""What a new user meets in the CLI's first hour: the help, global options after the command,
one name per option, configuration mistakes found before anything is sent, Ctrl-C in a batch,
``serve-double`` (its options, and without the ``testing`` extra), service text printed as is."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from claude_client import ClaudeClient
from claude_client.cli import ExitCode, app
from claude_client.testing import ServiceDouble
from claude_client.testing.__main__ import _parser as module_parser
from tests.cli.test_cli import cli, json_error, only_error, write_jsonl


@pytest.fixture
def double(claude_double: ServiceDouble) -> ServiceDouble:
    return claude_double


COMMANDS = ["complete", "stream", "batch", "usage", "route", "health", "serve-double"]


def _help(double: ServiceDouble, *args: str) -> str:
    result = cli(double, *args, "--help")
    assert result.exit_code == 0, result.stderr
    return result.stdout


# --- the help ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_shows_no_type_tags_on_flags_and_no_braces(
    double: ServiceDouble, command: str | None
) -> None:
    text = _help(double, *([command] if command else []))
    assert "<bool>" not in text  # typer 0.29 tags every flag, --help included
    assert not re.search(r"\{[A-Z]+\}", text)  # typer's braces around required arguments
    assert "--help" in text


def test_option_names_are_lowercase_and_metavars_say_what_to_give() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    for name, command in group.commands.items():
        for param in command.params:
            for opt in param.opts:
                assert not opt.startswith("--") or opt == opt.lower(), (name, opt)
    assert "Usage: claude-client batch [OPTIONS] INPUT " in cli_help("batch")
    complete = cli_help("complete")
    assert "--timeout" in complete and "SECONDS" in complete and "[PROMPT]" in complete


def cli_help(*args: str) -> str:
    from typer.testing import CliRunner

    return CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "120"}).stdout


def test_context_size_is_one_name_with_a_hidden_alias(double: ServiceDouble) -> None:
    for command in ("complete", "route"):
        text = _help(double, command)
        assert "--context-size" in text and "--max-tokens" not in text, command
    # The same option on both commands steers the choice of model the same way.
    routed = json.loads(cli(double, "--json", "route", "x", "--context-size", "20000").stdout)
    done = json.loads(cli(double, "complete", "x", "--context-size", "20000", "--json").stdout)
    alias = json.loads(cli(double, "complete", "x", "--max-tokens", "20000", "--json").stdout)
    assert routed["recommended_model"] == done["model"] == alias["model"] == "opus"
    both = cli(double, "complete", "x", "--context-size", "1", "--max-tokens", "1")
    assert only_error(both, ExitCode.USAGE).endswith(
        "give --context-size or --max-tokens, not both"
    )


# --- global options after the command -------------------------------------------------------------


def test_global_options_work_after_the_command(double: ServiceDouble) -> None:
    usage = cli(double, "usage", "--json")
    assert usage.exit_code == 0 and json.loads(usage.stdout)["limit"] is None
    health = cli(double, "health", "--json")
    assert health.exit_code == 0 and json.loads(health.stdout)["version"] == "0.1.0"
    done = cli(double, "complete", "list three colors", "--json", "-m", "haiku")
    assert json.loads(done.stdout)["model"] == "haiku"
    # --api-key after the command wins over the environment, and is never printed.
    bad = "cc_" + "5" * 40
    result = cli(double, "usage", "--api-key", bad, "--json")
    error = json_error(result, ExitCode.AUTH)
    assert error["type"] == "AuthenticationError" and bad not in result.stderr
    # --base-url after the command too.
    moved = cli(double, "health", "--base-url", double.base_url + "/v1")
    assert only_error(moved, ExitCode.USAGE).startswith("claude-client: configuration error: ")


def test_serve_double_keeps_its_own_api_key_option(double: ServiceDouble) -> None:
    text = _help(double, "serve-double")
    assert "Global options" not in text and "--json" not in text


# --- configuration mistakes: exit code 2 before anything is sent ----------------------------------


def test_an_empty_api_key_is_an_error_not_the_environment(double: ServiceDouble) -> None:
    for args in (["--api-key", "", "usage"], ["usage", "--api-key", ""], ["--api-key= ", "usage"]):
        line = only_error(cli(double, *args), ExitCode.USAGE)
        assert line == (
            "claude-client: configuration error: --api-key is empty: give the key, or leave the"
            " option out to use $CLAUDE_CODE_API_KEY"
        ), args
    assert double.stats.requests() == 0


def test_a_base_url_ending_in_v1_is_named_as_such(double: ServiceDouble) -> None:
    url = double.base_url + "/v1"
    line = only_error(cli(double, "--base-url", url, "usage"), ExitCode.USAGE)
    assert line == (
        f"claude-client: configuration error: base URL '{url}' ends in /v1: give the service's"
        f" root ('{double.base_url}'); the client adds /v1 to each path itself"
    )
    error = json_error(cli(double, "--json", "--base-url", url + "/", "health"), ExitCode.USAGE)
    assert error["type"] == "ValueError" and "ends in /v1" in error["error"]
    assert double.stats.requests() == 0


def test_a_base_url_without_a_scheme_is_a_configuration_error(double: ServiceDouble) -> None:
    bare = double.base_url.removeprefix("http://")
    line = only_error(cli(double, "--base-url", bare, "health"), ExitCode.USAGE)
    assert line == (
        f"claude-client: configuration error: base URL '{bare}' is not an http:// or https://"
        " URL (for example http://localhost:8080)"
    )


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://localhost:8080/v1", "ends in /v1"),
        ("https://claude.example/api/v1/", "ends in /v1"),
        ("localhost:8080", "not an http:// or https:// URL"),
        ("ftp://claude.example", "not an http:// or https:// URL"),
        ("http://", "not an http:// or https:// URL"),
    ],
)
def test_the_library_checks_the_base_url(url: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=re.escape(fragment)):
        ClaudeClient(base_url=url)


def test_the_base_url_check_never_shows_a_password() -> None:
    with pytest.raises(ValueError) as caught:
        ClaudeClient(base_url="http://user:s3cret@claude.example/v1")
    assert "s3cret" not in str(caught.value) and "***@claude.example" in str(caught.value)


def test_good_base_urls_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUDE_CODE_API_BASE_URL", " http://127.0.0.1:8765\n")
    with ClaudeClient() as client:
        assert client.base_url == "http://127.0.0.1:8765"
    with ClaudeClient(base_url="https://claude.example/v1x") as client:
        assert client.base_url == "https://claude.example/v1x"


# --- Ctrl-C in a batch --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "advice"), [([], "again"), (["--no-resume"], "without --no-resume")]
)
def test_ctrl_c_in_a_batch_says_how_to_resume(
    double: ServiceDouble,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flag: list[str],
    advice: str,
) -> None:
    def interrupted(self: ClaudeClient, *args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ClaudeClient, "run_batch_file", interrupted)
    source = write_jsonl(tmp_path / "in.jsonl", ["a", "b"])
    line = only_error(cli(double, "batch", str(source), *flag), ExitCode.INTERRUPTED)
    target = tmp_path / "in.results.jsonl"
    assert line.startswith(
        f"claude-client: interrupted error: stopped by Ctrl-C; the results so far are in {target}:"
        f" run the same command {advice}"
    )
    assert line.endswith("to resume (completed prompts are not sent again)")


# --- serve-double ---------------------------------------------------------------------------------


def test_serve_double_lists_the_options_of_the_module(double: ServiceDouble) -> None:
    text = _help(double, "serve-double")
    module = {opt for action in module_parser()._actions for opt in action.option_strings} - {
        "-h",
        "--help",
    }
    assert module == {"--generation", "--host", "--port", "--api-key", "--exhausted-key",
                      "--rate-limit", "--token-delay"}  # fmt: skip
    for option in module:
        assert option in text
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    ours = {opt for p in group.commands["serve-double"].params for opt in p.opts}
    assert ours == module


#: The double's serve command called two ways, and the start of its one stderr line.
WITHOUT_THE_EXTRA = [
    ('from claude_client.cli import main; main(["serve-double", "--port", "0"])',
     ExitCode.ERROR, "claude-client: error: "),
    ('from claude_client.testing.__main__ import main; sys.exit(main(["--port", "0"]))',
     2, "python -m claude_client.testing: "),
]  # fmt: skip


@pytest.mark.parametrize(("call", "code", "prefix"), WITHOUT_THE_EXTRA)
def test_serve_double_without_the_testing_extra(
    tmp_path: Path, call: str, code: int, prefix: str
) -> None:
    # As with only the cli extra installed: the double's web stack cannot be imported.
    blocked = "import sys\n" + "".join(
        f"sys.modules[{name!r}] = None\n" for name in ("starlette", "uvicorn", "wsproto")
    )
    run = subprocess.run(
        [sys.executable, "-c", blocked + call], capture_output=True, text=True, timeout=60,
        cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == code, run.stderr
    assert run.stdout == ""
    [line] = run.stderr.splitlines()
    assert line.startswith(prefix + "the service double needs the testing extra (")
    assert line.endswith(
        "pip install 'claude-code-client[testing]' (from a clone: pip install -e '.[testing]')"
    )


# --- service text is printed as it is, never as Rich markup ------------------------------------


def test_the_usage_table_prints_names_as_they_are(double: ServiceDouble) -> None:
    body = {
        "project_id": "[bold]team[/b]",
        "period": "month",
        "total_tokens": 39,
        "total_cost": 4.575e-05,
        "by_model": {"[haiku]": {"tokens": 39, "cost": 4.575e-05}},
        "limit": None,
        "remaining": None,
    }
    double.faults.respond(200, body, times=None, path="/v1/usage")
    result = cli(double, "usage")
    assert result.exit_code == 0, result.stderr
    assert "Usage of [bold]team[/b] this month" in result.stdout
    assert "[haiku]" in result.stdout
