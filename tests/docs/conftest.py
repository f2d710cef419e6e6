"""Fixtures of the documentation tests: a service double and a runner for the examples."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from claude_client.testing import ServiceDouble

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DOCS = ROOT / "docs"
#: Generous: an example that hangs fails the test instead of the run.
EXAMPLE_TIMEOUT = 120.0

RunExample = Callable[..., subprocess.CompletedProcess[str]]


def _serve(generation: int) -> Iterator[ServiceDouble]:
    with ServiceDouble(generation=generation) as double:
        yield double


def _fresh(server: ServiceDouble) -> Iterator[ServiceDouble]:
    server.reset()
    yield server
    server.reset()


@pytest.fixture(scope="session")
def docs_double_server() -> Iterator[ServiceDouble]:
    """One double for the documentation tests (generation 1: what most examples show)."""
    yield from _serve(1)


@pytest.fixture
def docs_double(docs_double_server: ServiceDouble) -> Iterator[ServiceDouble]:
    """The double in its starting state for this test."""
    yield from _fresh(docs_double_server)


@pytest.fixture(scope="session")
def docs_double2_server() -> Iterator[ServiceDouble]:
    """A generation-2 double, for the examples of what generation 2 added."""
    yield from _serve(2)


@pytest.fixture
def docs_double2(docs_double2_server: ServiceDouble) -> Iterator[ServiceDouble]:
    """The generation-2 double in its starting state for this test."""
    yield from _fresh(docs_double2_server)


def example_env(double: ServiceDouble, api_key: str | None = None) -> dict[str, str]:
    """The environment a user would set: the two variables pointing at the double."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_CODE_API_")}
    env["CLAUDE_CODE_API_BASE_URL"] = double.base_url
    env["CLAUDE_CODE_API_KEY"] = api_key if api_key is not None else double.api_key
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "120"
    return env


@pytest.fixture
def run_example(docs_double: ServiceDouble, tmp_path: Path) -> RunExample:
    """Run ``examples/<name>`` as a user would, in a scratch folder, against the double."""
    return example_runner(docs_double, tmp_path)


@pytest.fixture
def run_example2(docs_double2: ServiceDouble, tmp_path: Path) -> RunExample:
    """``run_example`` against the generation-2 double."""
    return example_runner(docs_double2, tmp_path)


def example_runner(docs_double: ServiceDouble, tmp_path: Path) -> RunExample:
    """A runner of ``examples/<name>`` as a user runs it, in ``tmp_path``, against the double."""

    def run(
        name: str,
        *args: str,
        api_key: str | None = None,
        command: Sequence[str] | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        argv = [*(command or [sys.executable, str(EXAMPLES / name)]), *args]
        result = subprocess.run(
            argv,
            cwd=tmp_path,
            env=example_env(docs_double, api_key),
            capture_output=True,
            text=True,
            timeout=EXAMPLE_TIMEOUT,
            check=False,
        )
        if check:
            assert result.returncode == 0, (
                f"{name} exited {result.returncode}\n"
                f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
            )
        return result

    return run
