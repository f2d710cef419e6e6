"""Every third-party module the library imports is a declared dependency of the distribution.

A module that only arrives through another package's dependencies can vanish with that
package's next release (anyio stopped installing sniffio, and a fresh ``bash scripts/demo`` then
failed at the first client), so each one our code imports is named in ``pyproject.toml``.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "claude_client"
#: Modules of extras, imported only where their extra is used (cli/, testing/, the caches, otel).
EXTRAS_DIRS = {"cli", "testing"}
OUR_OWN = {"claude_client", "claude_code_api"}


def _requirement_names(requirements: list[str]) -> set[str]:
    return {
        re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements
    }


def _top_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_every_third_party_import_of_the_core_is_a_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = _requirement_names(project["dependencies"])
    optional = {
        name
        for extra in project["optional-dependencies"].values()
        for name in _requirement_names(extra)
    }
    distributions = packages_distributions()
    undeclared: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        if EXTRAS_DIRS & set(path.relative_to(PACKAGE).parts[:-1]):
            continue
        for module in _top_level_imports(path) - OUR_OWN - set(sys.stdlib_module_names):
            dists = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
            if not dists & (declared | optional):
                undeclared[module] = str(path.relative_to(ROOT))
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
