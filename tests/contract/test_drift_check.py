"""scripts/check-generated fails when generated/ was edited by hand, and passes on a clean tree."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests._tools import tools_env
from tests.contract._repo import copy_repo


def _check(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "scripts/check-generated"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=tools_env(),
    )


def test_check_generated_passes_on_the_committed_tree(tmp_path: Path) -> None:
    copy_repo(tmp_path)
    result = _check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_generated_fails_with_a_diff_after_a_hand_edit(tmp_path: Path) -> None:
    copy_repo(tmp_path)
    target = tmp_path / "generated" / "claude_code_api" / "models" / "usage.py"
    target.write_text(target.read_text() + "\n# edited by hand\n")
    result = _check(tmp_path)
    assert result.returncode == 1
    assert "# edited by hand" in result.stdout
    assert "run scripts/generate" in result.stderr


def test_check_generated_fails_after_a_hand_edit_of_the_contract(tmp_path: Path) -> None:
    copy_repo(tmp_path)
    target = tmp_path / "openapi.yaml"
    target.write_text(target.read_text() + "x-edited-by-hand: true\n")
    result = _check(tmp_path)
    assert result.returncode == 1
    assert "x-edited-by-hand" in result.stdout
    assert "run scripts/build-contract" in result.stderr
