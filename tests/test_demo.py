"""The README's demo runs end to end against the local service double and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_demo_tours_every_feature_against_the_double() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CLAUDE_CODE_API_BASE_URL", "CLAUDE_CODE_API_KEY")
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py")],
        env={**env, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "against the local service double" in out
    for model in ("haiku", "sonnet", "opus"):
        assert f"on {model}" in out or f"{model} '" in out
    assert "complete(AUTO) ran on" in out
    assert "first chunk after" in out
    assert "3/3 completed" in out
    assert "120 completed, 0 failed, 0 skipped" in out
    assert "caught BudgetExceededError: Budget exceeded for project" in out
    assert "cc_" not in out  # no key is ever printed
