"""The documentation site builds in strict mode (a broken link or reference fails), and its API
reference documents every public name of the package."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import claude_client
from tests._tools import tools_env
from tests.docs.conftest import ROOT

BUILD_TIMEOUT = 300.0
#: The repository link the site is built with (scripts/docs takes it from the clone's origin).
REPO = "https://github.com/example/claude-code-client"


def _without_a_virtualenv() -> dict[str, str]:
    """The environment of a shell where no virtualenv is activated: ``scripts/docs`` must find
    mkdocs itself (the project's ``.venv``), as ``scripts/test`` does."""
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    venv_bins = {str(Path(sys.executable).parent), str(ROOT / ".venv" / "bin")}
    path = env.get("PATH", "").split(os.pathsep)
    env["PATH"] = os.pathsep.join(p for p in path if p and p not in venv_bins)
    return env


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    # Without the project's .venv, scripts/docs would install into it first: not in a test.
    has_venv = (ROOT / ".venv" / "bin" / "mkdocs").exists()
    env = {**(_without_a_virtualenv() if has_venv else tools_env()), "CLAUDE_CLIENT_REPO_URL": REPO}
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "docs"), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
        env=env,
    )
    assert result.returncode == 0, f"scripts/docs failed:\n{result.stdout}\n{result.stderr}"
    assert "WARNING" not in result.stderr, result.stderr
    return out


def _anchors(site: Path) -> set[str]:
    ids: set[str] = set()
    for page in (site / "reference").rglob("index.html"):
        ids.update(re.findall(r'id="([\w.]+)"', page.read_text(encoding="utf-8")))
    return ids


def test_the_site_builds_strict(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert (site / "migration" / "index.html").is_file()


def test_every_page_is_built(site: Path) -> None:
    for page in (ROOT / "docs").rglob("*.md"):
        rel = page.relative_to(ROOT / "docs").with_suffix("")
        folder = rel.parent if rel.name == "index" else rel
        assert (site / folder / "index.html").is_file(), rel


@pytest.mark.parametrize("name", sorted(set(claude_client.__all__) - {"__version__"}))
def test_every_public_name_is_in_the_api_reference(site: Path, name: str) -> None:
    assert f"claude_client.{name}" in _anchors(site)


def test_the_service_double_is_in_the_api_reference(site: Path) -> None:
    anchors = _anchors(site)
    for name in ("ServiceDouble", "Faults", "Stats", "Clock"):
        assert f"claude_client.testing.{name}" in anchors


def _text(page: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


#: Where an example's part for the docs starts (a pymdownx.snippets section).
SECTION = "# --8<-- [start:example]\n"


def test_the_examples_are_included_verbatim(site: Path) -> None:
    # pymdownx.snippets pulls examples/ into the pages: what the tests run is what users read.
    text = _text(site / "quickstart" / "index.html")
    for example in ("sync_basics.py", "async_basics.py"):
        source = (ROOT / "examples" / example).read_text(encoding="utf-8")
        head, shown = source.split(SECTION)
        for line in shown.splitlines():
            if line.strip():
                assert line in text, (example, line)
        # The part that matters: no module docstring (how to run the file) or __future__ import.
        assert head.splitlines()[0].strip('"') not in text
        assert "from __future__" not in text and "--8<--" not in text


def test_every_included_python_example_is_included_from_its_section() -> None:
    pages = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    included = re.findall(r'--8<-- "examples/([^"]+\.py)(:\w+)?"', pages)
    assert included
    for name, section in included:
        assert section == ":example", name
        assert SECTION in (ROOT / "examples" / name).read_text(encoding="utf-8"), name


def test_code_blocks_fit_or_wrap(site: Path) -> None:
    # At 1280 px the code column holds the examples' 100 columns (the page's contents are in the
    # left navigation); narrower, long lines wrap (checked by eye on a headless Chromium
    # screenshot at 1280 px). Both come from the configuration this checks is in the build.
    page = (site / "quickstart" / "index.html").read_text(encoding="utf-8")
    assert "stylesheets/extra.css" in page and 'id="__span-' in page
    css = (site / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert "white-space: pre-wrap" in css
    assert "toc.integrate" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_the_header_links_the_repository(site: Path) -> None:
    assert f'href="{REPO}"' in (site / "index.html").read_text(encoding="utf-8")


def _signatures(site: Path) -> list[str]:
    found = []
    for page in (site / "reference").rglob("index.html"):
        markup = page.read_text(encoding="utf-8")
        for block in re.findall(r'<div class="doc-signature[^"]*"[^>]*>(.*?)</div>', markup, re.S):
            found.append(" ".join(html.unescape(re.sub(r"<[^>]+>", "", block)).split()))
    return found


def test_signatures_show_values_and_public_types(site: Path) -> None:
    signatures = _signatures(site)
    assert len(signatures) > 50
    for signature in signatures:
        assert not re.search(r"= [A-Z][A-Z0-9_]{2,}\b", signature), signature  # a constant's name
        assert not re.search(r"\b_[A-Z]\w*\b", signature), signature  # a private type variable
    sync = next(s for s in signatures if s.startswith("ClaudeClient("))
    assert "timeout: float = 40.0" in sync and "max_retries: int = 3" in sync
    assert "http_client: httpx.Client | None = None" in sync
    asynchronous = next(s for s in signatures if s.startswith("AsyncClaudeClient("))
    assert "http_client: httpx.AsyncClient | None = None" in asynchronous
    assert any("model: Model | str = Model.AUTO" in s for s in signatures)


def test_the_install_section_names_the_real_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[<>=\[ ;]", r, maxsplit=1)[0] for r in requirements}

    lines = {
        "": next(line for line in index.splitlines() if line.startswith("pip install . ")),
        "cli": next(line for line in index.splitlines() if '".[cli]"' in line),
        "testing": next(line for line in index.splitlines() if '".[testing]"' in line),
    }
    extras = project["optional-dependencies"]
    assert names(project["dependencies"]) <= set(re.findall(r"[\w-]+", lines[""]))
    assert names(extras["cli"]) <= set(re.findall(r"[\w-]+", lines["cli"]))
    wanted = names(extras["testing"]) - names(project["dependencies"])
    assert wanted <= set(re.findall(r"[\w-]+", lines["testing"]))


def test_the_readme_links_into_the_docs_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    local = [t for t in targets if "://" not in t]
    assert any(t.startswith("docs/") for t in local)
    for target in local:
        assert (ROOT / target).exists(), target
