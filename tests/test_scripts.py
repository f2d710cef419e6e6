"""The repository's scripts work as a new user runs them: in a fresh clone, without an
activated virtualenv, and saying why a test was skipped."""

from __future__ import annotations

import pytest


def test_pytest_shows_why_a_test_was_skipped(pytestconfig: pytest.Config) -> None:
    # scripts/test runs pytest with -q (pyproject's addopts); -rs adds the skip reasons to the
    # short summary, which -q would otherwise hide.
    assert "s" in pytestconfig.option.reportchars or "a" in pytestconfig.option.reportchars
