"""The wheel users install holds everything the code needs: both packages, their type markers,
the double's package data, the entry points. Built offline from the tracked files (a copy, so
the work tree is left as it was)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    source = tmp_path_factory.mktemp("source")
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, tracked):
        target = source / name.decode()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((ROOT / name.decode()).read_bytes())
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps"]
    subprocess.run(
        [*command, "--disable-pip-version-check", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("claude_code_client-*.whl")
    return zipfile.ZipFile(built)


def _modules(package: Path) -> set[str]:
    return {p.relative_to(package.parent).as_posix() for p in package.rglob("*.py")}


def test_every_module_of_both_packages_is_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    expected = _modules(ROOT / "claude_client") | _modules(ROOT / "generated" / "claude_code_api")
    assert expected - names == set()


def test_type_markers_and_package_data_are_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert {
        "claude_client/py.typed",
        "claude_code_api/py.typed",
        "claude_client/testing/service-openapi.observed.json",
    } <= names


def test_the_cli_and_the_pytest_plugin_are_registered(wheel: zipfile.ZipFile) -> None:
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(entry_points).decode()
    assert "claude-client = claude_client.cli:main" in text
    assert "claude_client = claude_client.testing.pytest_plugin" in text
