"""The scheduler: plans chunks within the guard and books their outcomes, without any I/O.

The sync and async runners share it whole; they only send the chunks it hands out and give it
back what each one returned or raised.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from claude_client._batch._guard import _NOTHING, BudgetGuard, Estimate
from claude_client._batch._types import (
    BatchItemResult,
    BatchSummary,
    ItemStatus,
    ProgressHook,
    _Entry,
)
from claude_client._config import BATCH_RATE_LIMIT_WAIT, BATCH_RATE_LIMIT_WAITS
from claude_client._exceptions import (
    AuthenticationError,
    BadRequestError,
    BudgetExceededError,
    ClaudeAPIError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ValidationError,
)
from claude_client._models import BatchResponse


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
        self._entries = self._screened(entries)
        self._rejected: list[BatchItemResult] = []
        self._chunk_size = chunk_size
        self._guard = guard
        self._on_progress = on_progress
        self._held: list[_Entry] = []
        self._numbers = itertools.count()
        self._in_flight = 0
        self._exhausted = False
        self._again: list[Chunk] = []  # refused by the rate limit: sent again after a wait
        self._pause = 0.0
        self._summary = BatchSummary(total=total, already_completed=already_completed)
        self._cost = Decimal()  # the exact total behind summary.total_cost

    @property
    def summary(self) -> BatchSummary:
        """Totals so far."""
        return self._summary

    def _screened(self, entries: Iterable[_Entry]) -> Iterator[_Entry]:
        """The entries that can be sent; the others wait in `rejected` as failed results."""
        for entry in entries:
            if entry.problem is None:
                yield entry
            else:
                self._rejected.append(_result(entry, "failed", error=entry.problem))

    def rejected(self) -> list[BatchItemResult]:
        """Items met while planning that cannot be sent: booked failed, never sent.

        Runners take them after each `startable`; `skipped_results` yields the rest.
        """
        results, self._rejected = self._rejected, []
        self._count(results, requests=0)
        return results

    def startable(self, free_slots: int) -> list[Chunk]:
        """Up to ``free_slots`` chunks that may start now, each reserved against the guard.

        Returns fewer when the input is used up, when the next chunk must wait for chunks in
        flight to settle, or when the guard stops the run (see `BatchSummary.stop_reason`).
        """
        chunks: list[Chunk] = []
        while len(chunks) < free_slots and self._again:
            self._in_flight += 1  # still reserved against the guard
            chunks.append(self._again.pop(0))
        while len(chunks) < free_slots and (chunk := self._next_chunk()) is not None:
            chunks.append(chunk)
        return chunks

    def pause(self) -> float:
        """Seconds the runner waits before starting more chunks (a rate-limit window), once."""
        pause, self._pause = self._pause, 0.0
        return pause

    def _wait_for_window(self, chunk: Chunk, error: RateLimitError) -> bool:
        """Queue a chunk the rate limit refused to be sent again after its window opens (up to
        ``BATCH_RATE_LIMIT_WAITS`` times a run); False once those waits are used up."""
        if self._summary.rate_limit_waits >= BATCH_RATE_LIMIT_WAITS:
            return False
        window = error.retry_after if error.retry_after is not None else BATCH_RATE_LIMIT_WAIT
        self._pause = max(self._pause, min(window + 1.0, BATCH_RATE_LIMIT_WAIT))
        self._again.append(chunk)
        waits = self._summary.rate_limit_waits + 1
        self._summary = attrs.evolve(self._summary, rate_limit_waits=waits)
        if self._on_progress is not None:
            self._on_progress(self._summary)
        return True

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
        if fitting < len(entries) and self._in_flight:
            self._held = entries  # those in flight may spend less than reserved: wait for them
            return None
        estimate = sum(estimates[:fitting], _NOTHING)
        self._guard.reserve(estimate)
        if fitting < len(entries):  # stop: say why the first prompt left out does not fit
            reason = self._guard.shortfall(estimates[fitting])
            self._summary = attrs.evolve(self._summary, stop_reason=reason)
            self._held = entries[fitting:]
            if not fitting:
                return None
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

        A chunk that failed as a whole (timeout, 5xx, connection) marks its items failed. One
        the rate limit refused (nothing ran) is sent again once its window opens (``pause()``
        says how long to wait), a bounded number of times. Re-raises errors every chunk would
        meet (authentication, permission, not found, bad request, budget) and anything that is
        not a `ClaudeAPIError`.
        """
        self._in_flight -= 1
        try:
            response = outcome()
        except ClaudeAPIError as error:
            if isinstance(error, _FATAL):
                raise
            if isinstance(error, RateLimitError) and self._wait_for_window(chunk, error):
                return []
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
                results.append(_result(entry, "completed", cached=item.cached, **fields))
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
        yield from self.rejected()

    def _count(self, results: Sequence[BatchItemResult], *, requests: int) -> None:
        spent = _spent(results)
        # Summed as the decimals the service sent: float sums drift (0.009452000000000006).
        self._cost += sum((Decimal(repr(r.cost)) for r in results if r.cost), Decimal())
        s = self._summary
        self._summary = attrs.evolve(
            s,
            completed=s.completed + sum(r.status == "completed" for r in results),
            failed=s.failed + sum(r.status == "failed" for r in results),
            skipped=s.skipped + sum(r.status == "skipped" for r in results),
            total_tokens=s.total_tokens + spent.tokens,
            total_cost=float(round(self._cost, 10)),  # 1e-10 dollars: below any price
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
