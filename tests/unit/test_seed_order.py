"""``batch()``'s positional arguments after ``model``: the seed documented one order and shipped
another; a ``bool`` third argument is the documented ``parallel``, a string or ``None`` the
code's ``project_id`` (``seed_batch_order``, no I/O)."""

from __future__ import annotations

from typing import Any

import pytest

from claude_client._base_client import seed_batch_order


@pytest.mark.parametrize(
    ("parallel", "timeout", "extra", "project_id", "expected"),
    [
        # The summary's batch(prompts, model, parallel, timeout), and keywords.
        (True, None, (), None, (True, None, None)),
        (False, 60, (), None, (False, 60, None)),
        (True, 60, (), "p", (True, 60, "p")),
        # The code's batch(prompts, model, project_id, parallel, timeout).
        ("p", None, (), None, (True, None, "p")),
        ("p", False, (), None, (False, None, "p")),
        (None, False, (60,), None, (False, 60, None)),
        ("p", True, (60,), None, (True, 60, "p")),
        (None, None, (60,), None, (True, 60, None)),
        # batch(prompts, model, "p", timeout=60): a number fourth can only be the timeout.
        ("p", 60, (), None, (True, 60, "p")),
    ],
)
def test_either_seed_order_is_read(
    parallel: Any, timeout: Any, extra: tuple[Any, ...], project_id: Any, expected: Any
) -> None:
    assert seed_batch_order(parallel, timeout, extra, project_id) == expected


@pytest.mark.parametrize(
    ("parallel", "timeout", "extra", "project_id"),
    [
        (60, None, (), None),  # a timeout third: neither order has one there
        (True, None, (60,), None),  # five positionals with parallel third
        (True, False, (), None),  # a bool timeout
        ("p", None, (), "q"),  # project_id by position and by keyword
        ("p", True, (60, 70), None),  # six positionals
        ("p", 60, (70,), None),  # a number where the code's parallel goes
    ],
)
def test_anything_else_is_a_type_error(
    parallel: Any, timeout: Any, extra: tuple[Any, ...], project_id: Any
) -> None:
    with pytest.raises(TypeError):
        seed_batch_order(parallel, timeout, extra, project_id)
