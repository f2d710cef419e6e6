"""One ``complete()``'s way through the cache: ``auto`` routed first, then the key, get, put.

``Model.AUTO`` sends no model and lets the service choose, and its choice depends on the
project's remaining budget, not only on the prompt. A key without the model could then hand
back another model's answer. So with the cache on, an ``auto`` call first asks ``route()``
(it runs no task and bills nothing) with the context size the service would use, then keys,
and on a miss sends, the request with that model named: the key always holds the model that
answers, and an ``auto`` call shares its entry with the same call naming that model.
"""

from __future__ import annotations

import anyio.to_thread
from claude_code_api import models as g
from claude_code_api.types import Unset

from claude_client._models import BatchResponse, BatchResult, Response, RouteRecommendation
from claude_client.cache._responses import ResponseCache

__all__ = ["BatchLookup", "ChatLookup"]

#: The chat endpoint, as the key names it.
CHAT_METHOD = "POST"
CHAT_PATH = "/v1/chat/completions"
#: The batch endpoint: each item is keyed as a one-prompt batch request (without its id).
BATCH_PATH = "/v1/batch"


class ChatLookup:
    """The cache's part in one chat completion (a miss stores the answer under the same key)."""

    __slots__ = ("body", "cache", "key")

    def __init__(self, cache: ResponseCache, body: g.ChatCompletionRequest) -> None:
        self.cache = cache
        self.body = body
        self.key = ""

    @property
    def route_args(self) -> tuple[str, int] | None:
        """``route()``'s arguments when the model is ``auto``: the prompt as the service joins
        it and the context size it would use (``max_tokens``, else the prompt's words)."""
        body = self.body
        if not isinstance(body.model, Unset):
            return None
        joined = "\n\n".join(f"{m.role}: {m.content}" for m in body.messages)
        size = body.max_tokens if isinstance(body.max_tokens, int) else 0
        return joined, size or len(joined.split())

    def routed(self, recommendation: RouteRecommendation) -> None:
        """Name the routed model in the request (it is sent and keyed with it)."""
        self.body.model = g.ModelName(recommendation.recommended_model.value)

    def _keyed(self) -> str:
        body = self.body
        ident = (
            tuple((m.role, m.content) for m in body.messages),
            body.model,
            body.timeout,
            body.max_tokens,
            None if isinstance(body.allowed_tools, Unset) else tuple(body.allowed_tools or ()),
            body.working_directory,
        )
        self.key = self.cache.remembered_key(
            ident, lambda: self.cache.key(CHAT_METHOD, CHAT_PATH, body.to_dict())
        )
        return self.key

    def get(self) -> Response | None:
        """The cached answer (``cached=True``), or ``None``."""
        return self.cache.get(self._keyed())

    def put(self, response: Response) -> None:
        """Store the fresh answer under the key ``get`` made."""
        self.cache.put(self.key, response)

    async def aget(self) -> Response | None:
        """``get`` without blocking the event loop."""
        return await self.cache.aget(self._keyed())

    async def aput(self, response: Response) -> None:
        """``put`` without blocking the event loop."""
        await self.cache.aput(self.key, response)


class BatchLookup:
    """The cache's part in one ``batch()``: each prompt is looked up on its own; only the
    misses are sent, and the answer is put back together in request order.

    Only with a named model: with ``auto`` the service picks one model for the whole request
    from its first prompt and its answer does not say which, so nothing is cached.
    """

    __slots__ = ("body", "cache", "hits", "keys")

    def __init__(self, cache: ResponseCache, body: g.BatchRequest) -> None:
        self.cache = cache
        self.body = body
        self.keys = [self._key(item) for item in body.prompts]
        self.hits: list[BatchResult | None] = []

    def _key(self, item: g.BatchPrompt) -> str:
        one = g.BatchRequest(
            prompts=[g.BatchPrompt(prompt=item.prompt)],
            model=self.body.model,
            timeout=self.body.timeout,
        )
        return self.cache.key("POST", BATCH_PATH, one.to_dict())

    def find(self) -> g.BatchRequest | None:
        """Look every prompt up; the request of the misses, ``None`` when all were hits."""
        self.hits = [
            self.cache.get_item(key, _id(item), item.prompt)
            for key, item in zip(self.keys, self.body.prompts, strict=True)
        ]
        misses = [item for item, hit in zip(self.body.prompts, self.hits, strict=True) if not hit]
        if not misses:
            return None
        return g.BatchRequest(prompts=misses, model=self.body.model, timeout=self.body.timeout)

    async def afind(self) -> g.BatchRequest | None:
        """``find`` without blocking the event loop."""
        if not self.cache.blocking:
            return self.find()
        return await anyio.to_thread.run_sync(self.find)

    def merged(self, sent: BatchResponse | None) -> BatchResponse:
        """The whole answer: hits and the misses' results in request order (totals: sent)."""
        answers = iter(() if sent is None else sent.results)
        results = tuple(hit if hit is not None else next(answers) for hit in self.hits)
        return BatchResponse(
            total=len(results),
            completed=sum(r.status == "completed" for r in results),
            failed=sum(r.status == "failed" for r in results),
            results=results,
            total_cost=0.0 if sent is None else sent.total_cost,
            total_tokens=0 if sent is None else sent.total_tokens,
        )

    def store(self, sent: BatchResponse) -> None:
        """Store the completed results of the misses."""
        keys = [key for key, hit in zip(self.keys, self.hits, strict=True) if hit is None]
        for key, result in zip(keys, sent.results, strict=False):
            self.cache.put_item(key, result)

    async def astore(self, sent: BatchResponse) -> None:
        """``store`` without blocking the event loop."""
        if self.cache.blocking:
            await anyio.to_thread.run_sync(self.store, sent)
        else:
            self.store(sent)


def _id(item: g.BatchPrompt) -> str | None:
    return item.id if isinstance(item.id, str) else None
