"""The defaults that docstrings state in words ("Default 3.") are the defaults the code uses:
the reference site shows the words, since signatures show only constant names."""

from __future__ import annotations

import inspect
import re

import attrs
import pytest

from claude_client import ClaudeClient, RetryPolicy

_ENTRY = re.compile(r"^    (\w+): (.*)$")
_DEFAULT = re.compile(r"[Dd]efault (\d+(?:\.\d+)?)\b")


def _stated(doc: str | None) -> dict[str, float]:
    """``{name: value}`` of each ``Args``/``Attributes`` entry that says "Default <number>"."""
    entries: dict[str, str] = {}
    name = ""
    for line in inspect.cleandoc(doc or "").splitlines():
        entry = _ENTRY.match(line)
        if entry:
            name = entry[1]
            entries[name] = entry[2]
        elif name and line.startswith("        "):
            entries[name] += " " + line.strip()
        else:
            name = ""
    found = {name: _DEFAULT.search(text) for name, text in entries.items()}
    return {name: float(match[1]) for name, match in found.items() if match}


def test_retry_policy_states_its_defaults() -> None:
    stated = _stated(RetryPolicy.__doc__)
    assert set(stated) == {"max_retries", "retry_delay", "max_retry_delay", "max_retry_after"}
    for field in attrs.fields(RetryPolicy):
        if field.name in stated:
            assert stated[field.name] == field.default, field.name


@pytest.mark.parametrize("name", ["timeout", "max_retries", "retry_delay", "max_retry_delay"])
def test_the_client_states_its_defaults(name: str) -> None:
    stated = _stated(ClaudeClient.__doc__)
    assert stated[name] == inspect.signature(ClaudeClient).parameters[name].default
