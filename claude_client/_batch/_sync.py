"""The sync runner: chunks go to a thread pool, results come back as each chunk finishes.

Only the sending and waiting is here; what to send and how to book it is the scheduler's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Protocol, Unpack

from claude_client import _clock
from claude_client._batch._job import BatchOptions, _file_run, _Job, _memory_job, _Run
from claude_client._batch._scheduler import Chunk
from claude_client._batch._types import (
    BatchItemResult,
    BatchRunResult,
    BatchSummary,
    PromptInput,
)
from claude_client._models import BatchResponse, Model, UsageStats

if TYPE_CHECKING:
    # Imported where it runs: concurrent.futures costs time at import, which code that never
    # runs a sync batch should not pay.
    from concurrent.futures import Future


class SyncBatchClient(Protocol):
    """What the sync runner needs of a client (``ClaudeClient`` has it)."""

    def get_usage(self, period: str = ...) -> UsageStats: ...

    def batch(
        self,
        prompts: Sequence[str | tuple[str, str]],
        model: Model | str = ...,
        *,
        timeout: float | None = ...,
    ) -> BatchResponse: ...


class BatchIterator(_Run, Iterator[BatchItemResult]):
    """Results as their chunks finish (not in input order); `summary` has the totals.

    Close it (or use it as a context manager) to stop early; chunks in flight are abandoned.
    """

    def __init__(self, job: _Job, results: Callable[[_Run], Iterator[BatchItemResult]]) -> None:
        super().__init__(job)
        self._results = results(self)

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

    settings = run._job.settings
    remaining = client.get_usage().remaining if settings.budget_guard else None
    with run._started(remaining) as scheduler:
        pool = ThreadPoolExecutor(settings.concurrency, thread_name_prefix="claude-batch")
        running: dict[Future[BatchResponse], Chunk] = {}
        try:
            while True:
                for chunk in scheduler.startable(settings.concurrency - len(running)):
                    future = pool.submit(
                        run._observed.call,
                        partial(client.batch, timeout=settings.timeout),
                        chunk.pairs,
                        settings.model,
                    )
                    running[future] = chunk
                yield from scheduler.rejected()
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield from scheduler.record(running.pop(future), future.result)
                if pause := scheduler.pause():  # a rate-limit window: nothing starts before it
                    _clock.SYSTEM_CLOCK.sleep(pause)
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
    return BatchIterator(_memory_job(prompts, options), partial(_sync_results, client))


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
    ``resume=False`` starts the output afresh. An item that cannot be sent (a lone surrogate)
    is booked failed and the rest run. Raises as `iter_batch` and `read_prompts_jsonl`, and
    `BatchInputError` for a missing input, an output that is the input or a directory, or an
    output another run holds, all before any request.
    """
    with _file_run(input_path, output_path, resume, options) as (run, writer):
        for result in _sync_results(client, run):
            writer.write(result)
    return run.summary
