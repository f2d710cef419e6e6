"""JSONL results files: one result a line, flushed as it comes, read back to resume a run.

A killed run leaves at most a half-written last line; resuming cuts it (a complete result that
only lacks its newline is kept) and sends again every id without a completed line, and
compaction keeps each id's newest line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from claude_client._batch._input import _json_lines
from claude_client._batch._types import BatchInputError, BatchItemResult


@attrs.frozen
class ResumeState:
    """What an earlier run left in a results file: the ids completed, and its result lines."""

    completed_ids: frozenset[str]
    lines: int


def _repair_tail(path: Path) -> None:
    """End a last line left without its newline: a complete result gets its newline, anything
    else (a line a killed run never finished) is cut."""
    with path.open("rb+") as file:
        size = file.seek(0, os.SEEK_END)
        if size == 0:
            return
        end = _last_line_start(file, size)
        if end == size:
            return
        file.seek(end)
        if _is_result(file.read()):
            file.write(b"\n")
        else:
            file.truncate(end)


def _last_line_start(file: BinaryIO, size: int) -> int:
    """Where the last line of ``file`` (of ``size`` bytes) starts: after its last newline."""
    position = size
    while position > 0:
        step = min(4096, position)
        file.seek(position - step)
        newline = file.read(step).rfind(b"\n")
        if newline >= 0:
            return position - step + newline + 1
        position -= step
    return 0


def _is_result(raw: bytes) -> bool:
    """Whether ``raw`` is a whole result line as `ResultWriter` writes it (without newline)."""
    try:
        value = json.loads(raw.decode("utf-8-sig"))
    except ValueError:  # not UTF-8 or not JSON: cut short
        return False
    return isinstance(value, dict) and isinstance(value.get("id"), str) and "status" in value


def _result_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for line_no, value in _json_lines(path, "results file line"):
        if not isinstance(value, dict) or not isinstance(value.get("id"), str):
            raise BatchInputError(
                f"{path}:{line_no}: results file line has no string 'id'", line=line_no
            )
        yield line_no, value


def load_resume_state(path: str | os.PathLike[str]) -> ResumeState:
    """Read a results file for a resumed run, first cutting a half-written last line.

    A missing file is an empty state. Raises `BatchInputError` for a line in the middle
    that is not a JSON result object (the file is not one this module wrote).
    """
    file = Path(path)
    if not file.exists():
        return ResumeState(frozenset(), 0)
    _repair_tail(file)
    completed: set[str] = set()
    lines = 0
    for _, value in _result_lines(file):
        lines += 1
        if value.get("status") == "completed":
            completed.add(value["id"])
        else:
            completed.discard(value["id"])
    return ResumeState(frozenset(completed), lines)


def compact_results(path: str | os.PathLike[str]) -> bool:
    """Keep only the last line of each id (a retried item's newest outcome); atomic.

    Returns whether the file changed. The lines kept stay in file order.
    """
    file = Path(path)
    last: dict[str, int] = {}
    lines = 0
    for line_no, value in _result_lines(file):
        last[value["id"]] = line_no
        lines += 1
    if len(last) == lines:
        return False
    keep = set(last.values())
    temporary = file.with_name(file.name + ".compacting")
    with file.open(encoding="utf-8") as source, temporary.open("w", encoding="utf-8") as target:
        for line_no, line in enumerate(source, 1):
            if line_no in keep:
                target.write(line)
    temporary.replace(file)
    return True


class ResultWriter:
    """Appends results to a JSONL file, one object a line, flushed as each arrives.

    ``append=False`` starts the file afresh. Use as a context manager; raises `OSError`.
    """

    def __init__(self, path: str | os.PathLike[str], *, append: bool = True) -> None:
        # A lone surrogate (in a prompt booked failed for it) can only stand inside a JSON
        # string, where "backslashreplace" writes it as the JSON escape it came from.
        self._file = Path(path).open(  # noqa: SIM115
            "a" if append else "w", encoding="utf-8", errors="backslashreplace"
        )

    def write(self, result: BatchItemResult) -> None:
        """Write one result line and flush it to the operating system."""
        self._file.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        self._file.flush()

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
