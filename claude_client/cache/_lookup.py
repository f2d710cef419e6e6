"""One ``complete()``'s way through the cache: ``auto`` routed first, then the key, get, put.

``Model.AUTO`` sends no model and lets the service choose, and its choice depends on the
project's remaining budget, not only on the prompt. A key without the model could then hand
back another model's answer. So with the cache on, an ``auto`` call first asks ``route()``
(it runs no task and bills nothing) with the context size the service would use, then keys,
and on a miss sends, the request with that model named: the key always holds the model that
answers, and an ``auto`` call shares its entry with the same call naming that model.
"""

from __future__ import annotations

from claude_code_api import models as g
from claude_code_api.types import Unset

from claude_client._models import Response, RouteRecommendation
from claude_client.cache._responses import ResponseCache

__all__ = ["ChatLookup"]

#: The chat endpoint, as the key names it.
CHAT_METHOD = "POST"
CHAT_PATH = "/v1/chat/completions"


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
        self.key = self.cache.key(CHAT_METHOD, CHAT_PATH, self.body.to_dict())
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
