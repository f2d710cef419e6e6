"""Options and preparation, shared by the sync and async runners: checked settings, the job
(validated input and what a resumed run skips), the run state and the progress bar.

Everything here happens before the first request or beside the run, without I/O of its own
beyond reading the input and resetting the output file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Final, TypedDict

import attrs

from claude_client._batch._files import ResultWriter, compact_results, load_resume_state
from claude_client._batch._guard import BudgetGuard
from claude_client._batch._input import (
    _check_entries,
    _entries,
    _jsonl_values,
    _line_count,
    _located,
)
from claude_client._batch._paths import check_paths, output_lock
from claude_client._batch._scheduler import BatchScheduler
from claude_client._batch._types import (
    BatchSummary,
    ProgressHook,
    PromptInput,
    _Entry,
    format_cost,
)
from claude_client._config import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_CONCURRENCY,
    DEFAULT_OUTPUT_ALLOWANCE,
)
from claude_client._models import Model
from claude_client._observe import RunWatch, batch_run


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
    total = _check_entries(lambda: iter(entries), len(entries))
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
        return _entries(_jsonl_values(source), lenient=True)  # unsendable items: booked failed

    total = _check_entries(entries, _line_count(source))
    if not resume:
        Path(output_path).write_bytes(b"")
        return _Job(entries, total, settings)
    state = load_resume_state(output_path)
    done = state.completed_ids
    skip = frozenset(e.item.id for e in entries() if e.item.id in done) if done else frozenset()
    return _Job(entries, total, settings, skip, state.lines)


@contextlib.contextmanager
def _file_run(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    resume: bool,
    options: BatchOptions,
) -> Iterator[tuple[_Run, ResultWriter]]:
    """A file run and its results writer, with the paths checked and the output locked first;
    on a clean end, a resumed output is compacted (each id keeps its newest line)."""
    check_paths(input_path, output_path)
    with output_lock(output_path):
        run = _Run(_file_job(input_path, output_path, resume, options))
        with ResultWriter(output_path) as writer:
            yield run, writer
        if run._job.earlier_lines:
            compact_results(output_path)


class _Run:
    """One run: its job and, once started, its scheduler.

    The runners drive it; the iterators are runs themselves, so that their `summary` follows the
    run while they are read, and a file runner reads the same totals when it is done.
    """

    def __init__(self, job: _Job) -> None:
        self._job = job
        self._scheduler: BatchScheduler | None = None
        self._observed = RunWatch()

    @property
    def summary(self) -> BatchSummary:
        """Totals so far (final once the run is over)."""
        if self._scheduler is None:
            return BatchSummary(total=self._job.total, already_completed=len(self._job.skip_ids))
        return self._scheduler.summary

    @contextlib.contextmanager
    def _started(self, remaining_tokens: int | None) -> Iterator[BatchScheduler]:
        """Start the scheduler; the progress bar, if asked for, shows until the block ends."""
        model = self._job.settings.model.value
        with (
            _progress_hook(self._job.settings, self._job.total) as hook,
            batch_run(model, lambda: self.summary.total_cost) as self._observed,
        ):
            self._scheduler = self._job.scheduler(remaining_tokens, hook)
            yield self._scheduler


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
                f" skipped {summary.skipped} {format_cost(summary.total_cost)}"
                + (
                    f" rate-limit waits {summary.rate_limit_waits}"
                    if summary.rate_limit_waits
                    else ""
                ),
            )
            if user_hook is not None:
                user_hook(summary)

        yield hook
