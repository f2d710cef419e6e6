"""The pytest plugin: fixtures work in a fresh pytest run, and loading it imports nothing heavy."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

INNER_TESTS = textwrap.dedent(
    """
    import httpx

    PORTS = []

    def test_first(claude_double):
        PORTS.append(claude_double.port)
        claude_double.faults.fail(503, times=5)
        claude_double.add_key("probe", key="cc_probe")
        assert httpx.get(claude_double.base_url + "/health").status_code == 503

    def test_second_sees_a_reset_double(claude_double, claude_double_server):
        assert claude_double is claude_double_server
        PORTS.append(claude_double.port)
        assert PORTS[0] == PORTS[1]
        assert httpx.get(claude_double.base_url + "/health").status_code == 200
        headers = {"Authorization": "Bearer cc_probe"}
        assert httpx.get(claude_double.base_url + "/v1/usage", headers=headers).status_code == 401
    """
)


def _pytest(directory: Path, config: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:claude_client",
        "-p",
        "claude_client.testing.pytest_plugin",
        "-c",
        str(config) if config is not None else os.devnull,
        "--rootdir",
        str(directory),
        str(directory),
    ]
    return subprocess.run(
        command, cwd=directory, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_fixtures_in_a_users_test_suite(tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text(INNER_TESTS)
    result = _pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_ini_options_configure_the_session_double(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nclaude_double_rate_limit = 1\nclaude_double_token_delay = 0.01\n"
    )
    (tmp_path / "test_inner.py").write_text(
        textwrap.dedent(
            """
            import httpx

            def test_limits(claude_double):
                assert claude_double.token_delay == 0.01
                claude_double.clock.freeze()
                headers = {"Authorization": "Bearer " + claude_double.api_key}
                url = claude_double.base_url + "/v1/usage"
                assert [httpx.get(url, headers=headers).status_code for _ in range(2)] == [200, 429]
            """
        )
    )
    result = _pytest(tmp_path, config=tmp_path / "pytest.ini")
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_extra_fails_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("import sys\nsys.modules['uvicorn'] = None\n")
    (tmp_path / "test_inner.py").write_text("def test_needs_it(claude_double):\n    pass\n")
    result = _pytest(tmp_path)
    assert result.returncode != 0
    assert "pip install 'claude-code-client[testing]'" in result.stdout


def test_loading_the_plugin_imports_no_server_stack() -> None:
    code = (
        "import sys, claude_client.testing, claude_client.testing.pytest_plugin\n"
        "heavy = {'starlette', 'uvicorn', 'wsproto'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
