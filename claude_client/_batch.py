"""Batch at scale: chunking, a budget guard, JSONL files with resume, sync and async runners.

The service's ``/v1/batch`` endpoint answers only when every prompt in the request is done, runs
them on 5 workers with a per-prompt timeout and does not check the project's budget at all. This
module makes large batches safe by sending them in chunks, a few at once, and by refusing to start
a chunk whose estimated cost would overrun the project's token budget or a dollar cap.

Everything that decides is plain code without I/O and shared by the sync and async runners:
input normalisation (`iter_batch_items`, `read_prompts_jsonl`), the guard
(`BudgetGuard`), the scheduler that plans chunks and books their outcomes
(`BatchScheduler`), and the JSONL result file (`ResultWriter`,
`load_resume_state`). The runners only send chunks and wait for them.

Budget estimate (documented, conservative): a prompt is estimated at ``2 x words`` input tokens
(the service's own rule for its budget check) plus an output allowance of
`DEFAULT_OUTPUT_ALLOWANCE` tokens, raised during a run to the largest output a prompt has
actually produced. A chunk that fails as a whole counts as if it spent its full estimate, since the
service may have run and billed some of its prompts. Dollar estimates use the model's price; with
``auto`` the most expensive model's price, because the service may choose it.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from collections.abc import (
    AsyncIterator,
    Callable,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    Sequence,
)
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    Final,
    Literal,
    NamedTuple,
    Protocol,
    TypeAlias,
    TypedDict,
    Unpack,
)

import attrs

from claude_client._exceptions import (
    AuthenticationError,
    BadRequestError,
    BudgetExceededError,
    ClaudeAPIError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from claude_client._models import BatchResponse, Model, Usage, UsageStats

if TYPE_CHECKING:
    # Imported where they run: asyncio and concurrent.futures cost ~30 ms at import, which
    # code that never runs a batch (or only the other flavour of it) should not pay.
    import asyncio
    from concurrent.futures import Future

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_OUTPUT_ALLOWANCE",
    "AsyncBatchClient",
    "AsyncBatchIterator",
    "BatchInputError",
    "BatchItem",
    "BatchItemResult",
    "BatchIterator",
    "BatchOptions",
    "BatchRunResult",
    "BatchScheduler",
    "BatchSummary",
    "BudgetGuard",
    "Chunk",
    "ResultWriter",
    "ResumeState",
    "SyncBatchClient",
    "aiter_batch",
    "arun_batch",
    "arun_batch_file",
    "compact_results",
    "iter_batch",
    "iter_batch_items",
    "load_resume_state",
    "read_prompts_jsonl",
    "run_batch",
    "run_batch_file",
]

DEFAULT_CHUNK_SIZE: Final = 25
"""Prompts per request: 5 rounds of the service's 5 workers, well inside any sensible timeout."""
DEFAULT_CONCURRENCY: Final = 2
"""Requests in flight at once: enough to keep the service's 5 workers busy between chunks."""
DEFAULT_OUTPUT_ALLOWANCE: Final = 256
"""Output tokens budgeted per prompt before any completion has shown a larger one."""

# Prices per million (input, output) tokens, as the service bills them.
_PRICES: Final[Mapping[str, tuple[float, float]]] = {
    "haiku": (0.25, 1.25),
    "sonnet": (3.0, 15.0),
    "opus": (15.0, 75.0),
}

ItemStatus: TypeAlias = Literal["completed", "failed", "skipped"]
PromptInput: TypeAlias = "str | BatchItem | tuple[str, str] | Sequence[str] | Mapping[str, Any]"
ProgressHook: TypeAlias = Callable[["BatchSummary"], None]


class BatchInputError(ValueError):
    """Batch input that cannot be sent: empty, a duplicate id, a malformed item or JSONL line.

    Raised before any request is made. ``line`` is the 1-based line of a JSONL file, if any.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


# --------------------------------------------------------------------------------------------
# Input


@attrs.frozen
class BatchItem:
    """One prompt of a batch and its id (unique within the batch)."""

    id: str = attrs.field(validator=attrs.validators.instance_of(str))
    prompt: str = attrs.field(validator=attrs.validators.instance_of(str))


class _Entry(NamedTuple):
    position: int  # index in the input, counting every item
    item: BatchItem
    where: str  # "item 3" or "in.jsonl:4", for error messages


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


def _entries(values: Iterable[tuple[str, object]]) -> Iterator[_Entry]:
    for index, (where, value) in enumerate(values):
        yield _Entry(index, _to_item(value, index, where), where)


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
                line = raw.decode("utf-8")
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
    of another shape, a non-string prompt or an empty id.
    """
    return (entry.item for entry in _entries(_located(prompts)))


def read_prompts_jsonl(path: str | os.PathLike[str]) -> Iterator[BatchItem]:
    """Read the prompts of a JSONL file lazily, one item per non-blank line.

    A line is a JSON string (id = its position among the items), a ``[id, prompt]`` array or an
    object ``{"id": ..., "prompt": ...}`` (``id`` optional). Raises `BatchInputError`
    naming the line for invalid JSON or a malformed item, `OSError` if unreadable.
    """
    return (entry.item for entry in _entries(_jsonl_values(Path(path))))


def _check_entries(entries: Iterable[_Entry]) -> KeysView[str]:
    """The ids of the entries; raises `BatchInputError` on a duplicate id or none at all."""
    first_seen: dict[str, str] = {}
    for entry in entries:
        if entry.item.id in first_seen:
            raise BatchInputError(
                f"{entry.where}: duplicate id {entry.item.id!r} "
                f"(first used at {first_seen[entry.item.id]})",
                line=_line_of(entry.where),
            )
        first_seen[entry.item.id] = entry.where
    if not first_seen:
        raise BatchInputError("no prompts: the batch is empty")
    return first_seen.keys()


def _line_of(where: str) -> int | None:
    head, _, tail = where.rpartition(":")
    return int(tail) if head and tail.isdigit() else None


# --------------------------------------------------------------------------------------------
# Budget guard


@attrs.frozen
class Estimate:
    """Estimated tokens and dollars of some prompts."""

    tokens: int
    cost: float

    def __add__(self, other: Estimate) -> Estimate:
        return Estimate(self.tokens + other.tokens, self.cost + other.cost)


_NOTHING: Final = Estimate(0, 0.0)


@attrs.define
class BudgetGuard:
    """Decides whether the next chunk may run, from what is left of a token budget and a cap.

    ``remaining_tokens`` is the project's remaining budget from the usage endpoint when the run
    starts (``None``: no budget); ``max_cost`` a client-side spend cap in dollars (``None``: none).
    Each chunk reserves its estimate when scheduled and settles to what it actually reported.
    """

    remaining_tokens: int | None
    max_cost: float | None
    model: Model
    output_allowance: int = DEFAULT_OUTPUT_ALLOWANCE
    spent: Estimate = _NOTHING
    reserved: Estimate = _NOTHING

    def estimate(self, prompt: str) -> Estimate:
        """Conservative tokens and dollars for one prompt (see the module docstring)."""
        input_tokens = 2 * len(prompt.split())
        price_in, price_out = _PRICES.get(self.model.value, max(_PRICES.values()))
        cost = (input_tokens * price_in + self.output_allowance * price_out) / 1e6
        return Estimate(input_tokens + self.output_allowance, cost)

    def shortfall(self, estimate: Estimate) -> str | None:
        """Why ``estimate`` does not fit beside what is spent and reserved; ``None`` if it does."""
        committed = self.spent + self.reserved
        if self.remaining_tokens is not None:
            left = self.remaining_tokens - committed.tokens
            if estimate.tokens > left:
                return (
                    f"budget: the next prompts need about {estimate.tokens} tokens and "
                    f"{max(left, 0)} of the project's budget are left"
                )
        if self.max_cost is not None:
            left_cost = self.max_cost - committed.cost
            if estimate.cost > left_cost:
                return (
                    f"max_cost: the next prompts may cost ${estimate.cost:.6f} and "
                    f"${max(left_cost, 0.0):.6f} of max_cost ${self.max_cost:g} are left"
                )
        return None

    def reserve(self, estimate: Estimate) -> None:
        """Hold ``estimate`` for a chunk that was just scheduled."""
        self.reserved += estimate

    def settle(self, estimate: Estimate, actual: Estimate | None, largest_output: int) -> None:
        """Replace a chunk's reservation by what it reported (its estimate if it failed)."""
        self.reserved = Estimate(
            self.reserved.tokens - estimate.tokens, self.reserved.cost - estimate.cost
        )
        self.spent += estimate if actual is None else actual
        self.output_allowance = max(self.output_allowance, largest_output)


# --------------------------------------------------------------------------------------------
# Results


@attrs.frozen
class BatchItemResult:
    """The outcome of one prompt: ``completed``, ``failed`` (with ``error``) or ``skipped``.

    ``skipped`` items never ran; ``error`` says why (budget or spend cap). ``index`` is the
    prompt's position in the input.
    """

    index: int
    id: str
    prompt: str
    status: ItemStatus
    content: str | None = None
    usage: Usage | None = None
    cost: float | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The result as the JSON object written to a JSONL results file."""
        line = attrs.asdict(self, recurse=True)
        del line["index"]
        return line


@attrs.frozen
class BatchSummary:
    """Totals of a batch run so far (passed to ``on_progress``) or at its end.

    ``total`` counts every input item; ``already_completed`` those a resumed run found completed
    in its results file and did not send again. ``stop_reason`` says why scheduling stopped early
    (budget or spend cap), if it did. Tokens and cost are those of this run.
    """

    total: int
    completed: int = 0
    failed: int = 0
    skipped: int = 0
    already_completed: int = 0
    total_tokens: int = 0
    total_cost: float = 0.0
    requests: int = 0
    stop_reason: str | None = None

    @property
    def done(self) -> int:
        """Items with an outcome: completed (now or before), failed or skipped."""
        return self.completed + self.failed + self.skipped + self.already_completed


@attrs.frozen
class BatchRunResult(BatchSummary):
    """The totals of a finished run (see `BatchSummary`) and every result in input order."""

    results: tuple[BatchItemResult, ...] = ()

    @classmethod
    def of(cls, summary: BatchSummary, results: Iterable[BatchItemResult]) -> BatchRunResult:
        """``summary`` with ``results`` sorted into input order."""
        ordered = tuple(sorted(results, key=lambda result: result.index))
        return cls(**attrs.asdict(summary, recurse=False), results=ordered)


# --------------------------------------------------------------------------------------------
# Scheduling


@attrs.frozen
class Chunk:
    """One request's worth of prompts, in input order, with its reserved estimate."""

    number: int
    entries: tuple[_Entry, ...]
    estimate: Estimate

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """The ``(id, prompt)`` pairs to send."""
        return [(entry.item.id, entry.item.prompt) for entry in self.entries]


# Errors that every further chunk would meet too: stop the run instead of failing each chunk.
_FATAL: Final = (
    AuthenticationError,
    PermissionDeniedError,
    NotFoundError,
    BadRequestError,
    ValidationError,
    BudgetExceededError,
)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


class BatchScheduler:
    """The pure heart of a run: plans chunks, applies the guard, books outcomes.

    Runners call `startable` for chunks to send, `record` with each chunk's outcome,
    and at the end `skipped_results` for the items that never ran. It is not thread-safe:
    the runners call it from one thread (or one event loop) only.
    """

    def __init__(
        self,
        entries: Iterable[_Entry],
        *,
        total: int,
        chunk_size: int,
        guard: BudgetGuard,
        already_completed: int = 0,
        on_progress: ProgressHook | None = None,
    ) -> None:
        self._entries = iter(entries)
        self._chunk_size = chunk_size
        self._guard = guard
        self._on_progress = on_progress
        self._held: list[_Entry] = []
        self._numbers = itertools.count()
        self._in_flight = 0
        self._exhausted = False
        self._summary = BatchSummary(total=total, already_completed=already_completed)

    @property
    def summary(self) -> BatchSummary:
        """Totals so far."""
        return self._summary

    def startable(self, free_slots: int) -> list[Chunk]:
        """Up to ``free_slots`` chunks that may start now, each reserved against the guard.

        Returns fewer when the input is used up, when the next chunk must wait for chunks in
        flight to settle, or when the guard stops the run (see `BatchSummary.stop_reason`).
        """
        chunks: list[Chunk] = []
        while len(chunks) < free_slots and (chunk := self._next_chunk()) is not None:
            chunks.append(chunk)
        return chunks

    def _next_chunk(self) -> Chunk | None:
        if self._exhausted or self._summary.stop_reason is not None:
            return None
        entries = self._held or list(itertools.islice(self._entries, self._chunk_size))
        self._held = []
        if not entries:
            self._exhausted = True
            return None
        estimates = [self._guard.estimate(entry.item.prompt) for entry in entries]
        fitting = self._fitting_prefix(estimates)
        if fitting < len(entries):
            if self._in_flight:  # they may spend less than reserved: decide once they settle
                self._held = entries
                return None
            reason = self._guard.shortfall(sum(estimates[: fitting + 1], _NOTHING))
            self._summary = attrs.evolve(self._summary, stop_reason=reason)
            self._held = entries[fitting:]
            if not fitting:
                return None
        estimate = sum(estimates[:fitting], _NOTHING)
        self._guard.reserve(estimate)
        self._in_flight += 1
        return Chunk(next(self._numbers), tuple(entries[:fitting]), estimate)

    def _fitting_prefix(self, estimates: Sequence[Estimate]) -> int:
        total = _NOTHING
        for count, estimate in enumerate(estimates):
            total += estimate
            if self._guard.shortfall(total) is not None:
                return count
        return len(estimates)

    def record(self, chunk: Chunk, outcome: Callable[[], BatchResponse]) -> list[BatchItemResult]:
        """Book a finished chunk; ``outcome`` returns its response or raises its error.

        A chunk that failed as a whole (timeout, 5xx, connection) marks its items failed.
        Re-raises errors every chunk would meet (authentication, permission, not found, bad
        request, budget) and anything that is not a `ClaudeAPIError`.
        """
        self._in_flight -= 1
        try:
            response = outcome()
        except ClaudeAPIError as error:
            if isinstance(error, _FATAL):
                raise
            self._guard.settle(chunk.estimate, None, 0)
            message = _describe(error)
            results = [_result(entry, "failed", error=message) for entry in chunk.entries]
        else:
            results = self._book_response(chunk, response)
        self._count(results, requests=1)
        return results

    def _book_response(self, chunk: Chunk, response: BatchResponse) -> list[BatchItemResult]:
        by_id = {item.id: item for item in response.results}
        results: list[BatchItemResult] = []
        for entry in chunk.entries:
            item = by_id.get(entry.item.id)
            if item is None:
                results.append(_result(entry, "failed", error="no result for this id in reply"))
            elif item.status == "completed":
                fields = {"content": item.content, "usage": item.usage, "cost": item.cost}
                results.append(_result(entry, "completed", **fields))
            else:
                results.append(_result(entry, "failed", error=item.error or "failed"))
        actual = _spent(results)
        largest = max((r.usage.output_tokens for r in results if r.usage is not None), default=0)
        self._guard.settle(chunk.estimate, actual, largest)
        return results

    def skipped_results(self) -> Iterator[BatchItemResult]:
        """The items that never ran, lazily, once scheduling has stopped; else nothing."""
        reason = self._summary.stop_reason
        if reason is None or self._in_flight:
            return
        for entry in itertools.chain(self._held, self._entries):
            result = _result(entry, "skipped", error=reason)
            self._count([result], requests=0)
            yield result
        self._held = []

    def _count(self, results: Sequence[BatchItemResult], *, requests: int) -> None:
        spent = _spent(results)
        s = self._summary
        self._summary = attrs.evolve(
            s,
            completed=s.completed + sum(r.status == "completed" for r in results),
            failed=s.failed + sum(r.status == "failed" for r in results),
            skipped=s.skipped + sum(r.status == "skipped" for r in results),
            total_tokens=s.total_tokens + spent.tokens,
            total_cost=s.total_cost + spent.cost,
            requests=s.requests + requests,
        )
        if self._on_progress is not None and requests:
            self._on_progress(self._summary)

    def finish(self) -> None:
        """Report the final totals to the progress hook (after the skipped items)."""
        if self._on_progress is not None:
            self._on_progress(self._summary)


def _result(entry: _Entry, status: ItemStatus, **fields: Any) -> BatchItemResult:
    return BatchItemResult(entry.position, entry.item.id, entry.item.prompt, status, **fields)


def _spent(results: Iterable[BatchItemResult]) -> Estimate:
    tokens, cost = 0, 0.0
    for result in results:
        if result.usage is not None:
            tokens += result.usage.total_tokens
        cost += result.cost or 0.0
    return Estimate(tokens, cost)


# --------------------------------------------------------------------------------------------
# Results files and resume


@attrs.frozen
class ResumeState:
    """What an earlier run left in a results file: the ids completed, and its result lines."""

    completed_ids: frozenset[str]
    lines: int


def _repair_tail(path: Path) -> None:
    """Cut a last line left without its newline by a killed run (it was never fully written)."""
    with path.open("rb+") as file:
        size = file.seek(0, os.SEEK_END)
        if size == 0:
            return
        position = size
        while position > 0:
            step = min(4096, position)
            file.seek(position - step)
            block = file.read(step)
            newline = block.rfind(b"\n")
            if newline >= 0:
                end = position - step + newline + 1
                if end != size:
                    file.truncate(end)
                return
            position -= step
        file.truncate(0)


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
        self._file = Path(path).open("a" if append else "w", encoding="utf-8")  # noqa: SIM115

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


# --------------------------------------------------------------------------------------------
# Options and preparation (shared by the sync and async runners)


class BatchOptions(TypedDict, total=False):
    """Keyword options of the batch methods.

    - ``model``: model for every prompt (default ``auto``: the service chooses per prompt).
    - ``chunk_size``: prompts per request (default `DEFAULT_CHUNK_SIZE`).
    - ``concurrency``: requests in flight at once (default `DEFAULT_CONCURRENCY`).
    - ``timeout``: the service's per-prompt time limit in seconds (1-300).
    - ``max_cost``: a client-side spend cap in dollars for this run.
    - ``budget_guard``: read the project's remaining budget first and never start a chunk that
      would overrun it (default ``True``; the service's batch endpoint does not check).
    - ``output_allowance``: output tokens budgeted per prompt (default 256, raised as seen).
    - ``on_progress``: called with a `BatchSummary` after each chunk and at the end.
    - ``progress``: show a progress bar on stderr (needs ``rich``, the ``cli`` extra).
    """

    model: Model | str
    chunk_size: int
    concurrency: int
    timeout: float | None
    max_cost: float | None
    budget_guard: bool
    output_allowance: int
    on_progress: ProgressHook | None
    progress: bool


_DEFAULTS: Final[BatchOptions] = {
    "model": Model.AUTO,
    "chunk_size": DEFAULT_CHUNK_SIZE,
    "concurrency": DEFAULT_CONCURRENCY,
    "timeout": None,
    "max_cost": None,
    "budget_guard": True,
    "output_allowance": DEFAULT_OUTPUT_ALLOWANCE,
    "on_progress": None,
    "progress": False,
}


class _Settings:
    """Every batch option, checked, with its default where it was not given."""

    def __init__(self, options: BatchOptions) -> None:
        unknown = set(options) - set(_DEFAULTS)
        if unknown:
            raise TypeError(f"unknown batch option(s): {', '.join(sorted(unknown))}")
        merged: BatchOptions = {**_DEFAULTS, **options}
        self.model = Model.parse(merged["model"])
        self.chunk_size = _positive(merged["chunk_size"], "chunk_size")
        self.concurrency = _positive(merged["concurrency"], "concurrency")
        self.timeout = merged["timeout"]
        self.max_cost = merged["max_cost"]
        self.budget_guard = merged["budget_guard"]
        self.output_allowance = merged["output_allowance"]
        self.on_progress = merged["on_progress"]
        self.progress = merged["progress"]
        if self.output_allowance < 0:
            raise ValueError(f"output_allowance must be >= 0, got {self.output_allowance!r}")
        if self.max_cost is not None and self.max_cost < 0:
            raise ValueError(f"max_cost must be >= 0, got {self.max_cost!r}")


def _positive(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return value


@attrs.frozen
class _Job:
    """A validated batch, ready to run: its entries (re-iterable) and what to skip."""

    entries: Callable[[], Iterator[_Entry]]
    total: int
    settings: _Settings
    skip_ids: frozenset[str] = frozenset()
    earlier_lines: int = 0  # result lines an earlier run left in the output file

    def pending(self) -> Iterator[_Entry]:
        return (e for e in self.entries() if e.item.id not in self.skip_ids)

    def scheduler(self, remaining_tokens: int | None, hook: ProgressHook | None) -> BatchScheduler:
        settings = self.settings
        guard = BudgetGuard(
            remaining_tokens=remaining_tokens,
            max_cost=settings.max_cost,
            model=settings.model,
            output_allowance=settings.output_allowance,
        )
        return BatchScheduler(
            self.pending(),
            total=self.total,
            chunk_size=settings.chunk_size,
            guard=guard,
            already_completed=len(self.skip_ids),
            on_progress=hook,
        )


def _memory_job(prompts: Iterable[PromptInput], options: BatchOptions) -> _Job:
    settings = _Settings(options)
    entries = list(_entries(_located(prompts)))
    total = len(_check_entries(entries))
    return _Job(lambda: iter(entries), total, settings)


def _file_job(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    resume: bool,
    options: BatchOptions,
) -> _Job:
    settings = _Settings(options)
    source = Path(input_path)

    def entries() -> Iterator[_Entry]:
        return _entries(_jsonl_values(source))

    ids = _check_entries(entries())
    if not resume:
        Path(output_path).write_bytes(b"")
        return _Job(entries, len(ids), settings)
    state = load_resume_state(output_path)
    skip = frozenset(state.completed_ids & ids)
    return _Job(entries, len(ids), settings, skip, state.lines)


class _Run:
    """A job and, once it has started, its scheduler: where an iterator reads its totals."""

    def __init__(self, job: _Job) -> None:
        self.job = job
        self.scheduler: BatchScheduler | None = None

    @property
    def summary(self) -> BatchSummary:
        if self.scheduler is None:
            return BatchSummary(total=self.job.total, already_completed=len(self.job.skip_ids))
        return self.scheduler.summary

    def start(self, remaining_tokens: int | None, hook: ProgressHook | None) -> BatchScheduler:
        self.scheduler = self.job.scheduler(remaining_tokens, hook)
        return self.scheduler


@contextlib.contextmanager
def _progress_hook(settings: _Settings, total: int) -> Iterator[ProgressHook | None]:
    """The user's hook, plus a rich progress bar on stderr when asked for."""
    user_hook = settings.on_progress
    if not settings.progress:
        yield user_hook
        return
    try:
        from rich.progress import Progress
    except ImportError as exc:  # pragma: no cover - rich is in the dev environment
        raise ImportError(
            "progress=True needs rich: pip install 'claude-code-client[cli]'"
        ) from exc
    from rich.console import Console

    with Progress(console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("batch", total=total)

        def hook(summary: BatchSummary) -> None:
            bar.update(
                task,
                completed=summary.done,
                description=f"batch ok {summary.completed} failed {summary.failed}"
                f" skipped {summary.skipped}",
            )
            if user_hook is not None:
                user_hook(summary)

        yield hook


# --------------------------------------------------------------------------------------------
# Sync runner


class SyncBatchClient(Protocol):
    """What the sync runner needs of a client (``ClaudeClient`` has it)."""

    def get_usage(self, period: str = ...) -> UsageStats: ...

    def batch(
        self,
        prompts: Sequence[str | tuple[str, str]],
        model: Model | str = ...,
        timeout: float | None = ...,
    ) -> BatchResponse: ...


class _Totals:
    """The live totals of a run, for its iterator."""

    def __init__(self, run: _Run) -> None:
        self._run = run

    @property
    def summary(self) -> BatchSummary:
        """Totals so far (final once the iterator is exhausted)."""
        return self._run.summary


class BatchIterator(_Totals, Iterator[BatchItemResult]):
    """Results as their chunks finish (not in input order); `summary` has the totals.

    Close it (or use it as a context manager) to stop early; chunks in flight are abandoned.
    """

    def __init__(self, results: Iterator[BatchItemResult], run: _Run) -> None:
        super().__init__(run)
        self._results = results

    def __next__(self) -> BatchItemResult:
        return next(self._results)

    def close(self) -> None:
        """Stop the run; results not yet received are lost (a resumed run sends them again)."""
        close = getattr(self._results, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> BatchIterator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _sync_results(client: SyncBatchClient, run: _Run) -> Iterator[BatchItemResult]:
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    settings = run.job.settings
    remaining = client.get_usage().remaining if settings.budget_guard else None
    with _progress_hook(settings, run.job.total) as hook:
        scheduler = run.start(remaining, hook)
        pool = ThreadPoolExecutor(settings.concurrency, thread_name_prefix="claude-batch")
        running: dict[Future[BatchResponse], Chunk] = {}
        try:
            while True:
                for chunk in scheduler.startable(settings.concurrency - len(running)):
                    future = pool.submit(
                        client.batch, chunk.pairs, settings.model, settings.timeout
                    )
                    running[future] = chunk
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield from scheduler.record(running.pop(future), future.result)
            yield from scheduler.skipped_results()
            scheduler.finish()
        finally:
            pool.shutdown(wait=False, cancel_futures=True)


def iter_batch(
    client: SyncBatchClient, prompts: Iterable[PromptInput], **options: Unpack[BatchOptions]
) -> BatchIterator:
    """Run a batch, yielding each result as its chunk finishes; see `BatchOptions`.

    The input is checked before any request: raises `BatchInputError` (empty, duplicate
    id, malformed item) or `ValueError` (unknown model, bad option). While running,
    raises the client's errors that every chunk would meet (authentication, permission).
    """
    run = _Run(_memory_job(prompts, options))
    return BatchIterator(_sync_results(client, run), run)


def run_batch(
    client: SyncBatchClient, prompts: Iterable[PromptInput], **options: Unpack[BatchOptions]
) -> BatchRunResult:
    """Run a batch and return every result in input order; see `iter_batch`."""
    iterator = iter_batch(client, prompts, **options)
    results = list(iterator)
    return BatchRunResult.of(iterator.summary, results)


def run_batch_file(
    client: SyncBatchClient,
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    resume: bool = True,
    **options: Unpack[BatchOptions],
) -> BatchSummary:
    """Run the prompts of a JSONL file, appending one result line per prompt to ``output_path``.

    With ``resume`` (the default) ids already completed in ``output_path`` are not sent again and
    failed or skipped ones are retried; afterwards only the newest line of each id is kept.
    ``resume=False`` starts the output afresh. Raises as `iter_batch` and
    `read_prompts_jsonl`, before any request for bad input.
    """
    run = _Run(_file_job(input_path, output_path, resume, options))
    with ResultWriter(output_path) as writer:
        for result in _sync_results(client, run):
            writer.write(result)
    if run.job.earlier_lines:
        compact_results(output_path)
    return run.summary


# --------------------------------------------------------------------------------------------
# Async runner


class AsyncBatchClient(Protocol):
    """What the async runner needs of a client (``AsyncClaudeClient`` has it)."""

    async def get_usage(self, period: str = ...) -> UsageStats: ...

    async def batch(
        self,
        prompts: Sequence[str | tuple[str, str]],
        model: Model | str = ...,
        timeout: float | None = ...,
    ) -> BatchResponse: ...


class AsyncBatchIterator(_Totals, AsyncIterator[BatchItemResult]):
    """Async results as their chunks finish; `summary` has the totals.

    ``await aclose()`` (or ``async with``) to stop early; chunks in flight are cancelled.
    """

    def __init__(self, results: AsyncIterator[BatchItemResult], run: _Run) -> None:
        super().__init__(run)
        self._results = results

    async def __anext__(self) -> BatchItemResult:
        return await self._results.__anext__()

    async def aclose(self) -> None:
        """Stop the run; results not yet received are lost (a resumed run sends them again)."""
        aclose = getattr(self._results, "aclose", None)
        if aclose is not None:
            await aclose()

    async def __aenter__(self) -> AsyncBatchIterator:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


#: Why the async runner refuses to run outside asyncio.
NEEDS_ASYNCIO: Final = (
    "AsyncClaudeClient's batch runner (run_batch, iter_batch, run_batch_file) runs on asyncio "
    "only; under trio, send chunks with batch() or run ClaudeClient.run_batch in a worker "
    "thread (trio.to_thread.run_sync)"
)


def _require_asyncio() -> None:
    """Raise unless this code runs in an asyncio task (not trio, nor trio guest mode).

    The runner's tasks are asyncio tasks: an anyio task group would have to stay open across
    the ``yield``, which breaks when an abandoned iterator is finalized in another task.
    """
    import asyncio

    try:
        running = asyncio.current_task() is not None
    except RuntimeError:  # no asyncio loop at all
        running = False
    if not running:
        raise RuntimeError(NEEDS_ASYNCIO)


async def _async_results(client: AsyncBatchClient, run: _Run) -> AsyncIterator[BatchItemResult]:
    import asyncio

    _require_asyncio()
    settings = run.job.settings
    remaining = (await client.get_usage()).remaining if settings.budget_guard else None
    with _progress_hook(settings, run.job.total) as hook:
        scheduler = run.start(remaining, hook)
        running: dict[asyncio.Task[BatchResponse], Chunk] = {}
        try:
            while True:
                for chunk in scheduler.startable(settings.concurrency - len(running)):
                    coroutine = client.batch(chunk.pairs, settings.model, settings.timeout)
                    running[asyncio.ensure_future(coroutine)] = chunk
                if not running:
                    break
                finished, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in finished:
                    for result in scheduler.record(running.pop(task), task.result):
                        yield result
            for result in scheduler.skipped_results():
                yield result
            scheduler.finish()
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)


def aiter_batch(
    client: AsyncBatchClient, prompts: Iterable[PromptInput], **options: Unpack[BatchOptions]
) -> AsyncBatchIterator:
    """Async `iter_batch`: ``async for`` results as their chunks finish."""
    run = _Run(_memory_job(prompts, options))
    return AsyncBatchIterator(_async_results(client, run), run)


async def arun_batch(
    client: AsyncBatchClient, prompts: Iterable[PromptInput], **options: Unpack[BatchOptions]
) -> BatchRunResult:
    """Async `run_batch`: every result in input order."""
    iterator = aiter_batch(client, prompts, **options)
    results = [result async for result in iterator]
    return BatchRunResult.of(iterator.summary, results)


async def arun_batch_file(
    client: AsyncBatchClient,
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    resume: bool = True,
    **options: Unpack[BatchOptions],
) -> BatchSummary:
    """Async `run_batch_file`."""
    _require_asyncio()  # before the output file is touched
    run = _Run(_file_job(input_path, output_path, resume, options))
    with ResultWriter(output_path) as writer:
        async for result in _async_results(client, run):
            writer.write(result)
    if run.job.earlier_lines:
        compact_results(output_path)
    return run.summary
