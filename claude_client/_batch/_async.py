"""The async runner: chunks run as asyncio tasks, results come back as each chunk finishes.

The twin of the sync runner over the same scheduler; asyncio only (see `NEEDS_ASYNCIO`).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Final, Protocol, Unpack

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
    # Imported where it runs: asyncio costs time at import, which code that never runs an
    # async batch should not pay.
    import asyncio


class AsyncBatchClient(Protocol):
    """What the async runner needs of a client (``AsyncClaudeClient`` has it)."""

    async def get_usage(self, period: str = ...) -> UsageStats: ...

    async def batch(
        self,
        prompts: Sequence[str | tuple[str, str]],
        model: Model | str = ...,
        *,
        timeout: float | None = ...,
    ) -> BatchResponse: ...


class AsyncBatchIterator(_Run, AsyncIterator[BatchItemResult]):
    """Async results as their chunks finish; `summary` has the totals.

    ``await aclose()`` (or ``async with``) to stop early; chunks in flight are cancelled.
    """

    def __init__(
        self, job: _Job, results: Callable[[_Run], AsyncIterator[BatchItemResult]]
    ) -> None:
        super().__init__(job)
        self._results = results(self)

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
    settings = run._job.settings
    remaining = (await client.get_usage()).remaining if settings.budget_guard else None
    with run._started(remaining) as scheduler:
        running: dict[asyncio.Task[BatchResponse], Chunk] = {}
        try:
            while True:
                for chunk in scheduler.startable(settings.concurrency - len(running)):
                    coroutine = client.batch(chunk.pairs, settings.model, timeout=settings.timeout)
                    running[asyncio.ensure_future(run._observed.traced(coroutine))] = chunk
                for result in scheduler.rejected():
                    yield result
                if not running:
                    break
                finished, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in finished:
                    for result in scheduler.record(running.pop(task), task.result):
                        yield result
                if pause := scheduler.pause():  # a rate-limit window: nothing starts before it
                    await _clock.SYSTEM_CLOCK.asleep(pause)
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
    return AsyncBatchIterator(_memory_job(prompts, options), partial(_async_results, client))


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
    with _file_run(input_path, output_path, resume, options) as (run, writer):
        async for result in _async_results(client, run):
            writer.write(result)
    return run.summary
