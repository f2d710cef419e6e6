"""The API key never shows: not in a repr, an error (text, args, attributes, the traceback of
every chained cause with its frames' locals), a log record at DEBUG (every logger), a batch
result, or the command line's output (in process and as a real process), on every error path.

Every path of the fault table (``test_faults.FAULTS``) against every method, then the paths only
real keys, real timeouts, streams, batches and the command line reach.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from claude_client import AsyncClaudeClient, ClaudeAPIError, _config
from claude_client.cli import app
from claude_client.testing import ServiceDouble
from tests.integration.conftest import CHAT, Factory, RecordingClock
from tests.reliability.conftest import leaks, log_texts, shown_by
from tests.reliability.test_faults import FAULTS, METHODS
from tests.unit.conftest import Caller


class Seen(list[str]):
    """Texts a user could see; ``hidden`` adds every log record of the test (DEBUG and up)."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        super().__init__()
        self.caplog = caplog

    def hidden(self, keys: tuple[str, ...]) -> bool:
        records = log_texts(self.caplog.records)
        assert any("DEBUG" in record for record in records)
        return not leaks([*self, *records], keys)


@pytest.fixture
def seen(caplog: pytest.LogCaptureFixture) -> Seen:
    """Texts to search for the key; records of every logger at DEBUG are captured."""
    caplog.set_level(logging.DEBUG)
    return Seen(caplog)


@pytest.fixture
def keys(claude_double: ServiceDouble) -> tuple[str, ...]:
    """The double's two keys, and one that the double will have revoked."""
    revoked = claude_double.add_key("revoked-project")
    claude_double.revoke_key(revoked)
    return claude_double.api_key, claude_double.exhausted_key, revoked


async def _attempt(call: Any, texts: list[str]) -> None:
    try:
        result = await call
    except ClaudeAPIError as error:
        texts.append(shown_by(error))
    else:
        texts.append(repr(result))


def _reprs(caller: Caller) -> list[str]:
    client = caller.client
    copy = client.with_options(timeout=5, max_retries=0)
    return [repr(client), str(client), repr(copy), repr(client.low_level), str(client.low_level)]


async def test_no_fault_on_any_method_shows_the_key(
    make: Factory,
    claude_double: ServiceDouble,
    retry_clock: RecordingClock,
    seen: Seen,
    keys: tuple[str, ...],
) -> None:
    client = make(max_retries=1)
    seen.extend(_reprs(client))
    for fault in FAULTS:
        for method in METHODS:
            claude_double.reset()
            fault.program(claude_double.faults, method.path, None)
            await _attempt(method.call(client), seen)
    assert len(seen) > len(FAULTS) * len(METHODS)
    assert seen.hidden(keys)


async def test_real_refusals_timeouts_and_broken_streams_never_show_the_key(
    make: Factory,
    claude_double: ServiceDouble,
    seen: Seen,
    keys: tuple[str, ...],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    busy = claude_double.add_key("busy-project", rate_limit=1)
    monkeypatch.setattr(_config, "READ_TIMEOUT_MARGIN", -0.7)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{sock.getsockname()[1]}"
    for key in (*keys, busy):
        for base_url in (claude_double.base_url, nowhere):
            client = make(base_url=base_url, api_key=key, max_retries=0, timeout=1)
            seen.extend(_reprs(client))
            await _attempt(client.complete("list three colors"), seen)  # 401, 429s, refused
            await _attempt(client.complete("[[fail]]", model="haiku"), seen)  # task failed
            await _attempt(client.complete("[[sleep:1.5]]", model="haiku"), seen)  # timeout
            await _attempt(client.get_usage(), seen)
            claude_double.faults.hang(path=CHAT)
            await _attempt(client.complete("hi", model="haiku"), seen)  # client-side timeout
            claude_double.faults.clear()
            await _attempt(client.batch(["ok", "[[fail]]"], model="haiku"), seen)
            await _attempt(_run_batch(client), seen)
            await _attempt(_stream(client, "tell me a story"), seen)
            claude_double.faults.ws_close_after(2, abrupt=True)
            await _attempt(_stream(client, "tell me a story"), seen)
            claude_double.faults.ws_reject()
            await _attempt(_stream(client, "tell me a story"), seen)
            await _attempt(_stream(client, "[[sleep:1]] hi", timeout=0.1), seen)
    assert len(seen) > 100
    assert seen.hidden(keys)


async def _run_batch(caller: Caller) -> str:
    run = await caller.run_batch(["a", "b [[fail]]", "c"], chunk_size=1)
    return repr(run) + "".join(repr(result) for result in run.results)


async def _stream(caller: Caller, prompt: str, timeout: float | None = None) -> str:
    client = caller.client
    if isinstance(client, AsyncClaudeClient):
        async with client.stream_events(prompt, "haiku", timeout) as stream:
            return repr(stream) + (await stream.get_final_text())
    with client.stream_events(prompt, "haiku", timeout) as sync_stream:
        return repr(sync_stream) + sync_stream.get_final_text()


# --- the command line --------------------------------------------------------------------------


def _cli(args: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    result = CliRunner().invoke(app, args, env=env, input=stdin)
    shown = result.stdout + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        shown += shown_by(result.exception)
    return shown


def _commands(
    double: ServiceDouble, tmp_path: Path
) -> list[tuple[Callable[[], object], list[str]]]:
    """(fault, command) pairs: every command plainly, then under each fault it can meet
    without waiting for the client's full timeout."""
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text('"list three colors"\n"x [[fail]]"\n', encoding="utf-8")
    results = str(tmp_path / "out.jsonl")
    rest = [
        ["complete", "hi"],
        ["complete", "[[fail]]", "--model", "haiku"],
        ["usage"],
        ["usage", "--period", "year"],
        ["route", "hi"],
        ["health"],
        ["batch", str(prompts), "-o", results, "--no-resume", "--no-progress"],
    ]
    streams = [["stream", "hi", "--model", "haiku"], ["stream", "hi"]]
    in_time = ["complete", "hi", "--model", "haiku", "--timeout", "1"]
    faults = double.faults
    pairs: list[tuple[Callable[[], object], list[str]]] = [
        (lambda: None, command) for command in [*rest, *streams, in_time]
    ]
    for fault in (
        lambda: faults.fail(500, times=None),
        lambda: faults.html_error(502, times=None),
        lambda: faults.malformed_json(times=None),
        lambda: faults.drop_mid_body(times=None),
    ):
        pairs.extend((fault, command) for command in rest)
    pairs.append((lambda: faults.hang(times=None), in_time))
    pairs.extend((lambda: faults.ws_close_after(1), command) for command in streams)
    pairs.extend((lambda: faults.ws_reject(), command) for command in streams)
    return pairs


def test_no_command_line_error_shows_the_key(
    claude_double: ServiceDouble,
    retry_clock: RecordingClock,
    seen: Seen,
    keys: tuple[str, ...],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_config, "READ_TIMEOUT_MARGIN", -0.7)  # --timeout 1: waits 0.3 s
    pairs = _commands(claude_double, tmp_path)
    for key in keys:
        for n, (fault, command) in enumerate(pairs):
            # Alternately: the key from the environment, or as an option with JSON output.
            args, env = (
                (command, {_config.ENV_API_KEY: key})
                if n % 2
                else (["--json", "--api-key", key, *command], {})
            )
            claude_double.reset()
            fault()
            seen.append(_cli(args, {_config.ENV_BASE_URL: claude_double.base_url, **env}))
    assert len(seen) > 100
    assert seen.hidden(keys)


def test_the_installed_command_never_shows_the_key(
    claude_double: ServiceDouble, keys: tuple[str, ...]
) -> None:
    command = str(Path(sys.executable).with_name("claude-client"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_CODE_API")}
    env[_config.ENV_BASE_URL] = claude_double.base_url
    shown = []
    for key in keys:
        for args in (["complete", "hi"], ["--json", "usage"], ["--api-key", key, "stream", "hi"]):
            run = subprocess.run(
                [command, *args],
                env={**env, _config.ENV_API_KEY: key},
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            shown.append(run.stdout + run.stderr)
    assert not leaks(shown, keys)
