"""``python -m claude_client.testing``: prints its URL when ready, serves, stops cleanly."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.double.support import bearer, chat_body

ROOT = Path(__file__).resolve().parents[2]


def _first_line(process: subprocess.Popen[str], timeout: float = 30.0) -> str:
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    return lines.get(timeout=timeout)


@contextlib.contextmanager
def _serving(*arguments: str) -> Iterator[subprocess.Popen[str]]:
    """``python -m claude_client.testing ARGUMENTS``, killed if the test leaves it running."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "claude_client.testing", *arguments]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serves_until_signalled(stop_signal: signal.Signals) -> None:
    with _serving("--port", "0", "--api-key", "cc_test", "--exhausted-key", "cc_broke") as process:
        line = _first_line(process)
        match = re.fullmatch(
            r"Claude Code API double listening on (http://127\.0\.0\.1:\d+)\n", line
        )
        assert match, line
        base_url = match.group(1)
        assert httpx.get(f"{base_url}/health").status_code == 200
        ok = httpx.post(
            f"{base_url}/v1/chat/completions",
            json=chat_body("hi", "haiku"),
            headers=bearer("cc_test"),
        )
        assert ok.status_code == 200
        broke = httpx.post(
            f"{base_url}/v1/chat/completions",
            json=chat_body("hi", "haiku"),
            headers=bearer("cc_broke"),
        )
        assert broke.json() == {"detail": "Budget exceeded for project exhausted-project"}
        process.send_signal(stop_signal)
        assert process.wait(timeout=30) == 0


@pytest.mark.parametrize(("flag", "generation"), [([], "2"), (["--generation", "1"], "1")])
def test_the_generation_flag(flag: list[str], generation: str) -> None:
    with _serving("--port", "0", *flag) as process:
        base_url = _first_line(process).rsplit(" ", 1)[1].strip()
        assert _first_line(process).split() == ["service", "generation:", generation]
        ready = httpx.get(f"{base_url}/ready")
        assert ready.status_code == (200 if generation == "2" else 404)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_an_unknown_generation_is_a_usage_error() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "claude_client.testing", "--generation", "3"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "invalid choice: 3" in result.stderr
