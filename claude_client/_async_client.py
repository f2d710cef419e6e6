"""``AsyncClaudeClient``: the methods of ``ClaudeClient`` (``_client``), awaitable.

Everything that does not send lives in the shared base (``_base_client``); this class adds its
httpx plumbing (the ``_make_*`` factory methods) and the one line per method that sends,
awaited. The generated chat operation is bound once, in ``_client``, for both classes.
"""

from __future__ import annotations

import functools
import os
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Self, TypeVar, Unpack

import httpx

import claude_client
from claude_client import _client
from claude_client._base_client import ClientBase
from claude_client._gen2_client import AsyncGen2Methods
from claude_client._model_choice import Model

# Only what the class statement needs is imported here, as in ``_client``: each method imports
# the rest on its first call, so ``from claude_client import AsyncClaudeClient`` stays cheap.
if TYPE_CHECKING:
    from claude_code_api import AuthenticatedClient
    from claude_code_api import models as g

    from claude_client import _batch
    from claude_client._base_client import BatchPrompts, Prompt
    from claude_client._calls import Scope
    from claude_client._models import (
        BatchResponse,
        HealthStatus,
        Response,
        RouteRecommendation,
        UsageStats,
    )
    from claude_client._streaming import AsyncChatStream

__all__ = ["AsyncClaudeClient"]

_X = TypeVar("_X")


class AsyncClaudeClient(AsyncGen2Methods, ClientBase[httpx.AsyncClient, httpx.AsyncBaseTransport]):
    """The async client: the same methods as ``ClaudeClient``, awaitable.

    Use it as an async context manager (``async with AsyncClaudeClient() as client:``) or
    call ``aclose()``. The arguments are those of ``ClaudeClient``; ``http_client`` must be an
    ``httpx.AsyncClient``. It runs on asyncio; under trio every call and stream works too
    (httpx and the retry waits go through anyio), except the batch runner (``run_batch``,
    ``iter_batch``, ``run_batch_file``), which raises ``RuntimeError`` there.

    Raises:
        ValueError: ``timeout`` is not a positive number of seconds, or a retry setting is
            negative, not finite or over its bound.
        TypeError: ``http_client`` is not an ``httpx.AsyncClient``.
    """

    _httpx_client_class = httpx.AsyncClient

    def _make_pool_transport(self) -> httpx.AsyncBaseTransport:
        from claude_client import _pool
        from claude_client._fork import AsyncForkSafeTransport

        return AsyncForkSafeTransport(
            functools.partial(
                _pool.async_pool_transport, proxy=self._proxy, trust_env=self._trust_env
            )
        )

    def _make_client_transport(self, http_client: httpx.AsyncClient) -> httpx.AsyncBaseTransport:
        from claude_client._retry_transport import AsyncClientTransport

        return AsyncClientTransport(http_client)

    def _make_limited_transport(
        self, inner: httpx.AsyncBaseTransport, limit: int
    ) -> httpx.AsyncBaseTransport:
        from claude_client._limits import AsyncLimitedTransport

        return AsyncLimitedTransport(inner, limit)

    def _make_retry_transport(self, inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
        from claude_client import _http_clients
        from claude_client._retry_transport import AsyncRetryTransport

        retry = AsyncRetryTransport(
            inner, self._policy, owns_transport=self._owner, max_bytes=self._max_response_bytes
        )
        # A caller's client may have any transport; httpcore's pool (ours, or httpx's default
        # under a caller's client) closes a body shielded itself.
        caller = self._cookies_from
        retry.shield_close = caller is not None and not _http_clients.closes_shielded(caller)
        return retry

    def _make_http_client(self, transport: httpx.AsyncBaseTransport) -> httpx.AsyncClient:
        from claude_client import _http_clients

        return _http_clients.AsyncClient(transport=transport, **self._http_options())

    def _attach_low_level(self, low_level: AuthenticatedClient) -> AuthenticatedClient:
        return low_level.set_async_httpx_client(self._http)

    @property
    def client(self) -> httpx.AsyncClient:
        """The ``httpx.AsyncClient`` every call goes through; see ``ClaudeClient.client``."""
        return self._http

    async def aclose(self) -> None:
        """Close the connection pool (a ``with_options`` copy leaves it open)."""
        if self._owner:
            await self._http.aclose()

    async def close(self) -> None:
        """The seed client's name for ``aclose()``, kept so ``await client.close()`` works."""
        await self.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def complete(
        self,
        prompt: Prompt,
        model: Model | str = Model.AUTO,
        project_id: str | None = None,
        timeout: float | None = None,
        *,
        max_tokens: int | None = None,
        allowed_tools: Sequence[str] | None = None,
        working_directory: str | None = None,
        cache: bool = True,
    ) -> Response:
        """Run one prompt; see ``ClaudeClient.complete`` (same arguments, result, errors)."""
        if not _client._chat_bound:
            _client._bind_chat()
        scope, body = self._chat(
            prompt, model, project_id, timeout, max_tokens, allowed_tools, working_directory
        )
        lookup = self._lookup(body, cache)
        if lookup is not None and (route_args := lookup.route_args) is not None:
            lookup.routed(await self.route(*route_args))
        with scope:
            if lookup is not None and (hit := await lookup.aget()) is not None:
                return scope.cached(hit)
            detailed = await _client.create_chat_completion.asyncio_detailed(
                client=self._low_level, body=body
            )
            result = scope.result(detailed)
            if lookup is not None:
                await lookup.aput(result)
            return result

    async def batch(
        self,
        prompts: BatchPrompts,
        model: Model | str = Model.AUTO,
        parallel: bool | str | None = True,
        timeout: float | bool | None = None,
        *seed_order: float | None,
        project_id: str | None = None,
        cache: bool = True,
    ) -> BatchResponse:
        """Run several prompts in one request; see ``ClaudeClient.batch``."""
        from claude_client._models import merged_batch

        requests = self._batch(prompts, model, parallel, timeout, seed_order, project_id)
        return merged_batch([await self._send_batch(s, body, cache) for s, body in requests])

    async def _send_batch(
        self, scope: Scope[g.BatchResponse, BatchResponse], body: g.BatchRequest, cache: bool
    ) -> BatchResponse:
        from claude_code_api.api.batch import process_batch

        lookup = self._batch_lookup(body, cache)
        with scope:
            if lookup is not None:
                misses = await lookup.afind()
                if misses is None:  # every prompt was in the cache: nothing is sent
                    return scope.cached(lookup.merged(None))
                body = misses
            result = scope.result(
                await process_batch.asyncio_detailed(client=self._low_level, body=body)
            )
            if lookup is not None:
                await lookup.astore(result)
                return scope.cached(lookup.merged(result))
            return result

    async def run_batch(
        self, prompts: Iterable[_batch.PromptInput], **options: Unpack[_batch.BatchOptions]
    ) -> _batch.BatchRunResult:
        """Run prompts in chunks within the budget; see ``ClaudeClient.run_batch``."""
        from claude_client import _batch

        return await _batch.arun_batch(self, prompts, **options)

    def iter_batch(
        self, prompts: Iterable[_batch.PromptInput], **options: Unpack[_batch.BatchOptions]
    ) -> _batch.AsyncBatchIterator:
        """``async for`` each result as its chunk finishes; see ``ClaudeClient.iter_batch``."""
        from claude_client import _batch

        return _batch.aiter_batch(self, prompts, **options)

    async def run_batch_file(
        self,
        input_path: str | os.PathLike[str],
        output_path: str | os.PathLike[str],
        *,
        resume: bool = True,
        **options: Unpack[_batch.BatchOptions],
    ) -> _batch.BatchSummary:
        """Run a JSONL file of prompts, resumably; see ``ClaudeClient.run_batch_file``."""
        from claude_client import _batch

        return await _batch.arun_batch_file(self, input_path, output_path, resume=resume, **options)

    async def get_usage(self, period: str = "month", project_id: str | None = None) -> UsageStats:
        """Usage of the key's project; see ``ClaudeClient.get_usage``."""
        from claude_code_api.api.usage import get_usage

        scope, value = self._usage(period, project_id)
        with scope:
            return scope.result(
                await get_usage.asyncio_detailed(client=self._low_level, period=value)
            )

    async def route(self, prompt: str, context_size: int = 0) -> RouteRecommendation:
        """Model recommendation (runs no task); see ``ClaudeClient.route``."""
        from claude_code_api.api.routing import recommend_model

        scope, body = self._route(prompt, context_size)
        with scope:
            return scope.result(
                await recommend_model.asyncio_detailed(client=self._low_level, body=body)
            )

    async def health(self) -> HealthStatus:
        """The service's health; see ``ClaudeClient.health``."""
        from claude_code_api.api.service import get_health

        with self._health() as scope:
            return scope.result(await get_health.asyncio_detailed(client=self._low_level))

    async def call(self, operation: Callable[..., Awaitable[_X]], /, **arguments: Any) -> _X:
        """Run a generated ``asyncio`` / ``asyncio_detailed`` operation; see ``ClaudeClient.call``.

        Raises:
            MalformedResponseError: the answer's body breaks the contract.
            ClaudeAPIError: as for the high-level methods (same retries and typed errors).
        """
        with self._low_level_scope():
            return await operation(client=self._low_level, **arguments)

    def stream(
        self,
        prompt: Prompt,
        model: Model | str = Model.AUTO,
        project_id: str | None = None,
        *,
        timeout: float | None = None,
    ) -> AsyncGenerator[str, None]:
        """Stream a completion: an async iterator of text chunks; see ``ClaudeClient.stream``.

        Not awaited: ``async for chunk in client.stream(...)``. Cancelling the task closes the
        socket; so does leaving the loop early (at once with ``contextlib.aclosing()``, else
        when the event loop finalizes the generator).

        Raises:
            ValueError: unknown model, empty message list, or a timeout that is not positive.
            TypeError: ``prompt`` or ``timeout`` of the wrong type.
            ClaudeAPIError: while iterating, as ``stream_events()`` raises.
        """
        self._ignore_project_id(project_id)
        from claude_client._streaming import aiter_text

        return aiter_text(self.stream_events(prompt, model, timeout))

    def stream_events(
        self,
        prompt: Prompt,
        model: Model | str = Model.AUTO,
        timeout: float | None = None,
    ) -> AsyncChatStream:
        """A streamed completion as an async context manager; see ``ClaudeClient.stream_events``.

        ```python
        async with client.stream_events("Tell me a story") as stream:
            async for chunk in stream.aiter_text():
                print(chunk, end="", flush=True)
            reply = await stream.get_final_response()
        ```

        Raises:
            ValueError: unknown model, empty message list, or a timeout that is not positive.
            TypeError: ``prompt`` or ``timeout`` of the wrong type.
            ClaudeAPIError: entering or iterating, as ``ClaudeClient.stream_events`` raises.
        """
        spec = self._stream_spec(prompt, model, timeout)
        from claude_client._streaming import AsyncChatStream

        return AsyncChatStream(self._http, spec, self.route, self.get_usage, self._project)


# Show the public names here as claude_client.X (the package adopts them; see its _adopt).
claude_client._adopt(__name__)
