"""Every Python snippet in README.md and docs/ runs as written, against the service double, with
the two environment variables a user sets; and no shell snippet starts the double in the
foreground and then goes on as if the terminal were free.

A snippet that cannot run here says why on the line before its fence: ``<!-- norun: reason -->``.
That list stays tiny (a proxy the test machine has not, the seed client's own code).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import attrs
import pytest

from tests.docs.conftest import DOCS, ROOT, RunExample

PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
#: A fenced block, its language, and the comment line just before it (if any).
FENCE = re.compile(
    r"(?:^[ \t]*<!--\s*(?P<mark>[^>]*?)\s*-->[ \t]*\n)?"
    r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```",
    re.M | re.S,
)
#: How many snippets may be marked ``norun`` (each with its reason).
MAX_NOT_RUN = 3
#: The prompts file the README's batch snippet reads, as a user would have one.
PROMPTS = '"Name a fruit."\n{"id": "planet", "prompt": "Name a planet."}\n'


@attrs.frozen
class Snippet:
    page: Path
    line: int
    lang: str
    code: str
    mark: str | None

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def _snippets() -> list[Snippet]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            indent = match["indent"]
            code = "".join(line.removeprefix(indent) for line in match["body"].splitlines(True))
            line = text.count("\n", 0, match.start("indent")) + 1
            found.append(Snippet(page, line, match["lang"], code, match["mark"]))
    return found


SNIPPETS = _snippets()
#: Python snippets written in the page (an included example, ``--8<--``, runs in test_examples).
PYTHON = [
    s for s in SNIPPETS if s.lang in ("python", "py") and not s.code.lstrip().startswith("--8<--")
]
RUNNABLE = [s for s in PYTHON if not (s.mark or "").startswith("norun")]


def test_the_snippets_are_found() -> None:
    assert len(PYTHON) > 15
    assert any(s.page.name == "README.md" for s in RUNNABLE)


def test_few_snippets_are_not_run_and_each_says_why() -> None:
    skipped = [s for s in PYTHON if s not in RUNNABLE]
    assert len(skipped) <= MAX_NOT_RUN, [s.name for s in skipped]
    for snippet in skipped:
        assert re.fullmatch(r"norun: \S.{10,}", snippet.mark or ""), snippet.name


@pytest.mark.parametrize("snippet", RUNNABLE, ids=lambda s: s.name)
def test_the_python_snippet_runs_as_written(
    snippet: Snippet, run_example: RunExample, tmp_path: Path
) -> None:
    # run_example runs in tmp_path, with the environment pointing at the double.
    (tmp_path / "prompts.jsonl").write_text(PROMPTS, encoding="utf-8")
    script = tmp_path / "snippet.py"
    script.write_text(snippet.code, encoding="utf-8")
    result = run_example(snippet.name, command=[sys.executable, str(script)])
    assert "Traceback" not in result.stderr, f"{snippet.name}\n{result.stderr}"


#: A command that serves until stopped: the double, by either of its names.
SERVES = re.compile(r"^\s*(python -m claude_client\.testing|claude-client serve-double)\b")


@pytest.mark.parametrize(
    "snippet", [s for s in SNIPPETS if s.lang in ("bash", "sh", "console")], ids=lambda s: s.name
)
def test_no_shell_snippet_waits_on_the_double_then_goes_on(snippet: Snippet) -> None:
    # The double runs in the foreground until Ctrl-C: the lines after it would never run.
    lines = [
        line for line in snippet.code.splitlines() if line.strip() and not line.startswith("#")
    ]
    for n, line in enumerate(lines):
        command = line.split("#", 1)[0].rstrip()
        if SERVES.match(command) and not command.endswith("&"):
            assert n == len(lines) - 1, f"{snippet.name}: {line!r} blocks the lines after it"
