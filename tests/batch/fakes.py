"""In-process stand-ins for the clients, for testing the batch core without a network.

They answer ``batch()`` like the service: results in request order, ids echoed, input tokens
``2 x words``, a fixed number of output tokens, haiku prices. A prompt containing ``FAIL`` fails
as an item; a chunk containing ``BOOM`` fails as a whole with ``error``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

from claude_client._exceptions import ClaudeAPIError, ServerError
from claude_client._models import BatchResponse, BatchResult, Model, Usage, UsageStats

OUTPUT_TOKENS = 10


def _answer(pairs: Sequence[tuple[str, str]]) -> BatchResponse:
    results: list[BatchResult] = []
    for item_id, prompt in pairs:
        if "FAIL" in prompt:
            results.append(BatchResult(item_id, prompt, "failed", None, None, None, "exit 1"))
            continue
        tokens_in = 2 * len(prompt.split())
        usage = Usage(tokens_in, OUTPUT_TOKENS, tokens_in + OUTPUT_TOKENS)
        cost = tokens_in / 1e6 * 0.25 + OUTPUT_TOKENS / 1e6 * 1.25
        results.append(
            BatchResult(item_id, prompt, "completed", f"re: {prompt}", usage, cost, None)
        )
    completed = [r for r in results if r.status == "completed"]
    return BatchResponse(
        total=len(results),
        completed=len(completed),
        failed=len(results) - len(completed),
        results=tuple(results),
        total_cost=sum(r.cost or 0.0 for r in completed),
        total_tokens=sum(r.usage.total_tokens for r in completed if r.usage is not None),
    )


def _usage(remaining: int | None) -> UsageStats:
    limit = None if remaining is None else remaining
    return UsageStats("p", "month", 0, 0.0, {}, limit, remaining)


class FakeClient:
    """Sync stand-in: records each chunk it was sent (thread-safe)."""

    def __init__(
        self, *, remaining: int | None = None, error: ClaudeAPIError | None = None
    ) -> None:
        self.remaining = remaining
        self.error = error or ServerError("Internal Server Error", status_code=500)
        self.chunks: list[list[tuple[str, str]]] = []  # each chunk as (id, prompt) pairs
        self.usage_calls = 0
        self._lock = threading.Lock()

    def get_usage(self, period: str = "month") -> UsageStats:
        self.usage_calls += 1
        return _usage(self.remaining)

    def batch(
        self,
        prompts: Sequence[str | tuple[str, str]],
        model: Model | str = Model.AUTO,
        timeout: float | None = None,
    ) -> BatchResponse:
        pairs = [(str(i), p) if isinstance(p, str) else p for i, p in enumerate(prompts)]
        with self._lock:
            self.chunks.append(pairs)
        if any("BOOM" in prompt for _, prompt in pairs):
            raise self.error
        return _answer(pairs)


class AsyncFakeClient(FakeClient):
    """Async stand-in with the same answers."""

    async def get_usage(self, period: str = "month") -> UsageStats:  # type: ignore[override]
        return FakeClient.get_usage(self, period)

    async def batch(  # type: ignore[override]
        self,
        prompts: Sequence[str | tuple[str, str]],
        model: Model | str = Model.AUTO,
        timeout: float | None = None,
    ) -> BatchResponse:
        await asyncio.sleep(0)
        return FakeClient.batch(self, prompts, model, timeout)
