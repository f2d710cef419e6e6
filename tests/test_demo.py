"""The README's demo runs end to end against the local service double and exits 0."""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from rich.console import Console

from claude_client.testing import ServiceDouble

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


def _demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("demo", ROOT / "scripts" / "demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["demo"] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


def test_demo_prints_service_text_as_it_is(claude_double: ServiceDouble) -> None:
    # Rich reads "[haiku]" as a style (it vanished) and "[/b]" as a closing tag (it crashed).
    demo = _demo()
    text = "[haiku] three colors: red [/b] green [bold]blue"
    body = {
        "id": "x",
        "model": "haiku",
        "content": text,
        "usage": {"input_tokens": 3, "output_tokens": 9, "total_tokens": 12},
        "cost": 0.00001,
        "project_id": "[/]team",
    }
    claude_double.faults.respond(200, body, times=None, path="/v1/chat/completions")
    out = io.StringIO()
    console = Console(file=out, width=200, highlight=False, color_system=None)
    where = demo.Target(claude_double.base_url, claude_double.api_key, None, "the [/b] double")
    demo.tour(console, where)
    printed = out.getvalue()
    assert f"haiku {text!r}" in printed
    assert "against the [/b] double" in printed
