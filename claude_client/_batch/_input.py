"""Reading and checking batch input: prompts in memory or a JSONL file become `BatchItem` s.

Lazy, so that a large file is read once to check it and again, line by line, to send it; every
fault is a `BatchInputError` naming the item or line, raised before any request.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from claude_client._batch._ids import DigestSet, first_place
from claude_client._batch._types import BatchInputError, BatchItem, PromptInput, _Entry
from claude_client._models import check_text


def _as_id(value: object, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BatchInputError(f"{where}: id must be a string, got {type(value).__name__}")
    text = str(value)
    if not text:
        raise BatchInputError(f"{where}: id must not be empty")
    return text


def _to_item(value: object, index: int, where: str) -> BatchItem:
    """One input value as a `BatchItem`; a missing id becomes the item's position."""
    if isinstance(value, BatchItem):
        return value
    if isinstance(value, str):
        return BatchItem(str(index), value)
    raw_id: object
    prompt: object
    if isinstance(value, Mapping):
        if "prompt" not in value:
            raise BatchInputError(f"{where}: object has no 'prompt'")
        raw_id, prompt = value.get("id"), value["prompt"]
    elif isinstance(value, Sequence) and len(value) == 2:
        raw_id, prompt = value
    else:
        raise BatchInputError(
            f"{where}: expected a prompt string, an (id, prompt) pair or an object with "
            f"'prompt' and optional 'id', got {type(value).__name__}"
        )
    if not isinstance(prompt, str):
        raise BatchInputError(f"{where}: prompt must be a string, got {type(prompt).__name__}")
    item_id = str(index) if raw_id is None else _as_id(raw_id, where)
    return BatchItem(item_id, prompt)


def _unsendable(item: BatchItem) -> str | None:
    """Why ``item`` cannot be sent (its id or prompt is not valid Unicode text), or ``None``."""
    try:
        check_text(item.id, "id")
        check_text(item.prompt, "prompt")
    except ValueError as exc:
        return str(exc)
    return None


def _entries(values: Iterable[tuple[str, object]], *, lenient: bool = False) -> Iterator[_Entry]:
    """The entries of ``values``; an item that cannot be sent raises `BatchInputError`, or with
    ``lenient`` comes with its ``problem`` (a file's run books it failed and runs the rest)."""
    for index, (where, value) in enumerate(values):
        item = _to_item(value, index, where)
        problem = _unsendable(item)
        if problem is not None and not lenient:
            raise BatchInputError(f"{where}: {problem}", line=_line_of(where))
        yield _Entry(index, item, where, problem)


def _located(prompts: Iterable[object]) -> Iterator[tuple[str, object]]:
    return ((f"item {index}", value) for index, value in enumerate(prompts))


def _json_lines(path: Path, what: str) -> Iterator[tuple[int, object]]:
    """``(line number, JSON value)`` of each non-blank line of ``path``, read lazily.

    Raises `BatchInputError` naming the line (and ``what`` it is) if it is not UTF-8
    text or not valid JSON.
    """
    with path.open("rb") as lines:
        for line_no, raw in enumerate(lines, 1):
            try:
                line = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")  # a BOM is fine
            except UnicodeDecodeError:
                raise BatchInputError(
                    f"{path}:{line_no}: {what} is not UTF-8 text", line=line_no
                ) from None
            if not line.strip():
                continue
            try:
                yield line_no, json.loads(line)
            except json.JSONDecodeError as exc:
                raise BatchInputError(
                    f"{path}:{line_no}: {what} is not valid JSON ({exc.msg}, column {exc.colno})",
                    line=line_no,
                ) from None


def _jsonl_values(path: Path) -> Iterator[tuple[str, object]]:
    return ((f"{path}:{line_no}", value) for line_no, value in _json_lines(path, "line"))


def iter_batch_items(prompts: Iterable[PromptInput]) -> Iterator[BatchItem]:
    """Normalise prompts to `BatchItem` s, lazily and without checking for duplicates.

    Accepts strings (id = their position), ``(id, prompt)`` pairs, `BatchItem` s and
    mappings with ``"prompt"`` and optional ``"id"``. Raises `BatchInputError` on an item
    of another shape, a non-string prompt, an empty id, or an id or prompt that cannot be
    sent (a lone surrogate: not valid Unicode text).
    """
    return (entry.item for entry in _entries(_located(prompts)))


def read_prompts_jsonl(path: str | os.PathLike[str]) -> Iterator[BatchItem]:
    """Read the prompts of a JSONL file lazily, one item per non-blank line.

    A line is a JSON string (id = its position among the items), a ``[id, prompt]`` array or an
    object ``{"id": ..., "prompt": ...}`` (``id`` optional); a UTF-8 byte order mark is
    skipped. Raises `BatchInputError` naming the line for invalid JSON, a malformed item or
    text that cannot be sent, `OSError` if unreadable.
    """
    return (entry.item for entry in _entries(_jsonl_values(Path(path))))


def _check_entries(entries: Callable[[], Iterable[_Entry]], expected: int = 0) -> int:
    """How many entries there are; raises `BatchInputError` on a duplicate id or none at all.

    ``entries`` gives the entries afresh on each call: it is read once, and again only up to an
    id whose digest was seen before (see `_ids`). ``expected`` (an upper bound of the count)
    sizes the digest table once.
    """
    seen = DigestSet(expected)
    count = 0
    for entry in entries():
        if not seen.add(hash(entry.item.id)):
            first = first_place(entries(), entry)
            if first is not None:
                raise BatchInputError(
                    f"{entry.where}: duplicate id {entry.item.id!r} (first used at {first})",
                    line=_line_of(entry.where),
                )
        count += 1
    if not count:
        raise BatchInputError("no prompts: the batch is empty")
    return count


def _line_count(path: Path) -> int:
    """The lines of ``path`` (an upper bound of its items), counted in blocks."""
    count, last = 0, b"\n"
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def _line_of(where: str) -> int | None:
    head, _, tail = where.rpartition(":")
    return int(tail) if head and tail.isdigit() else None
