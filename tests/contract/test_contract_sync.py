"""scripts/sync-contract: reads a served document from a URL or a file, keeps it as a new
generation only when it is new, rebuilds and regenerates, and prints the change report."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import respx
from contract_sync import SyncError, fetch, point_overlay, store

from tests._tools import tools_env
from tests.contract._repo import copy_repo

ROOT = Path(__file__).resolve().parents[2]
SERVED_2 = ROOT / "contract" / "served" / "generation-2.json"


@respx.mock
def test_fetch_reads_a_running_services_document() -> None:
    respx.get("http://service.test/openapi.json").respond(200, content=SERVED_2.read_bytes())
    assert fetch("http://service.test/openapi.json") == SERVED_2.read_bytes()


@respx.mock
def test_fetch_refuses_an_error_answer_and_a_non_openapi_body(tmp_path: Path) -> None:
    respx.get("http://service.test/openapi.json").respond(404, json={"detail": "Not Found"})
    with pytest.raises(SyncError, match="404"):
        fetch("http://service.test/openapi.json")
    other = tmp_path / "other.json"
    other.write_text('{"detail": "Not Found"}')
    with pytest.raises(SyncError, match="not an OpenAPI document"):
        fetch(str(other))
    with pytest.raises(SyncError, match="cannot read"):
        fetch(str(tmp_path / "missing.json"))


def test_store_reuses_an_identical_generation_and_numbers_a_new_one(tmp_path: Path) -> None:
    shutil.copy(SERVED_2, tmp_path / "generation-2.json")
    # Same JSON, other bytes: still the same generation.
    same = json.dumps(json.loads(SERVED_2.read_bytes()), indent=1).encode()
    assert store(same, tmp_path) == (tmp_path / "generation-2.json", False)
    changed = json.loads(SERVED_2.read_bytes())
    changed["info"]["version"] = "0.2.0"
    raw = json.dumps(changed).encode()
    assert store(raw, tmp_path) == (tmp_path / "generation-3.json", True)
    assert (tmp_path / "generation-3.json").read_bytes() == raw


def test_point_overlay_rewrites_only_the_extends_line(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text("# extends: kept\noverlay: 1.0.0\nextends: served/generation-2.json\n")
    (tmp_path / "served").mkdir()
    point_overlay(tmp_path / "served" / "generation-3.json", overlay)
    assert overlay.read_text() == (
        "# extends: kept\noverlay: 1.0.0\nextends: served/generation-3.json\n"
    )


def _sync(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "scripts/sync-contract", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=tools_env(),
        timeout=300,
    )


#: The last commit whose openapi.yaml was the hand-merged generation-1 contract.
GENERATION_1_CONTRACT = "7743971:openapi.yaml"


def test_the_generation_1_to_2_change_reproduces(tmp_path: Path) -> None:
    """The worked example of docs/guides/regenerating.md."""
    shown = subprocess.run(
        ["git", "-C", str(ROOT), "show", GENERATION_1_CONTRACT],
        capture_output=True,
        text=True,
        check=False,
    )
    if shown.returncode != 0:
        pytest.skip(f"no git history with {GENERATION_1_CONTRACT}: {shown.stderr.strip()}")
    (tmp_path / "previous.yaml").write_text(shown.stdout)
    repo = copy_repo(tmp_path / "repo", "claude_client")
    result = _sync(
        repo,
        "--previous",
        str(tmp_path / "previous.yaml"),
        "--report",
        str(tmp_path / "report.txt"),
        "contract/served/generation-2.json",
    )
    assert result.returncode == 0, result.stderr
    report = result.stdout
    assert (tmp_path / "report.txt").read_text() == report
    assert "Operations added (6):" in report
    assert "POST /v1/task (execute_task)" in report
    assert "Operations removed: none" in report
    assert "BREAKING for existing calls of claude_client (1):\n  HealthResponse.services" in report
    assert "contract/served/generation-2.json (already stored)" in report
    # Nothing else moved: the committed contract and client are what the sync rebuilt.
    assert (repo / "openapi.yaml").read_text() == (ROOT / "openapi.yaml").read_text()
    diff = subprocess.run(
        ["diff", "-r", "-x", "__pycache__", str(ROOT / "generated"), str(repo / "generated")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert diff.returncode == 0, diff.stdout


def test_a_service_that_moved_a_curated_path_stops_the_rebuild(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path, "claude_client")
    moved = json.loads(SERVED_2.read_bytes())
    moved["paths"]["/v2/task"] = moved["paths"].pop("/v1/task")
    source = tmp_path / "served.json"
    source.write_text(json.dumps(moved))
    result = _sync(repo, str(source))
    assert result.returncode == 1
    assert "POST /v2/task" in result.stdout
    assert "Overlay targets that match nothing (1): openapi.yaml NOT rebuilt" in result.stdout
    assert "$.paths['/v1/task'].post" in result.stdout
    # The client calls /v1/task (execute_task): its removal breaks it, and the report says so.
    assert "operation removed: POST /v1/task (execute_task)" in result.stdout
    assert (repo / "contract" / "served" / "generation-3.json").read_bytes() == source.read_bytes()
    assert "extends: served/generation-3.json" in (repo / "contract" / "overlay.yaml").read_text()
    assert (repo / "openapi.yaml").read_text() == (ROOT / "openapi.yaml").read_text()
