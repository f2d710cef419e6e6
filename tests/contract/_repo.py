"""A scratch copy of what the contract scripts need, for tests that run them (they rewrite
``openapi.yaml``, ``generated/`` and ``contract/`` in place)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("scripts", "generated", "contract", "codegen-templates")
FILES = ("openapi.yaml", "openapi-python-client.yaml")


def copy_repo(dest: Path, *folders: str) -> Path:
    """``dest`` holding the scripts, the contract and generated/ (and ``folders``)."""
    for name in (*FOLDERS, *folders):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in FILES:
        shutil.copy(ROOT / name, dest / name)
    return dest
