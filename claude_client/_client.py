"""``ClaudeClient``: the ergonomic layer over the generated calls (its async twin,
``AsyncClaudeClient``, is in ``_async_client``).

Everything that does not send lives in their shared base (``_base_client``); the class here
adds its httpx plumbing (the ``_make_*`` factory methods, as httpx's ``_init_transport``) and
the one line per method that sends.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Generator, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Self, TypeVar, Unpack

import httpx

import claude_client
from claude_client._base_client import ClientBase
from claude_client._gen2_client import Gen2Methods
from claude_client._model_choice import Model

# Only what the class statement needs is imported here: each method imports the rest (the
# generated operation and models, results, streaming, batch, the transports) on its first
# call, so ``from claude_client import ClaudeClient`` costs little beyond httpx itself.
if TYPE_CHECKING:
    from claude_code_api import AuthenticatedClient
    from claude_code_api import models as g

    # Bound by _bind_chat(); _async_client reads it here too (hence the explicit re-export).
    from claude_code_api.api.chat import create_chat_completion as create_chat_completion

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
    from claude_client._streaming import ChatStream

__all__ = ["ClaudeClient"]

_chat_bound = False


def _bind_chat() -> None:
    """Bind the generated chat operation into this module on the first ``complete()``: an
    import statement in each call would go through importlib's ``_handle_fromlist``."""
    global _chat_bound, create_chat_completion
    from claude_code_api.api.chat import create_chat_completion

    _chat_bound = True


_X = TypeVar("_X")


class ClaudeClient(Gen2Methods, ClientBase[httpx.Client, httpx.BaseTransport]):
    """The synchronous client of the Claude Code API Service.

    Use it as a context manager (``with ClaudeClient() as client:``) or call ``close()``;
    one client is safe to share between threads and keeps one connection pool. A client used
    before ``os.fork()`` works in the child too: the child makes a pool of its own on its
    first request and never touches the parent's connections.

    Args:
        base_url: The service's URL; default ``$CLAUDE_CODE_API_BASE_URL``, else
            ``http://localhost:8080``.
        api_key: The API key (it decides the project billed); default ``$CLAUDE_CODE_API_KEY``.
            Without one the service answers ``MissingCredentialsError`` (403).
        project_id: Accepted as the seed client took it, and kept as ``client.project_id``,
            but never sent: the service bills the key's project. Giving one warns
            (``ProjectIdIgnoredWarning``, once per client and value).
        timeout: How long a call waits for its answer, in seconds (default 40: longer than
            the service's own 30 s task limit). Never sent to the service: a task limit goes
            out only when a call passes ``timeout=``. A wall-clock deadline per attempt
            (connect, send, headers and body); a batch waits it once per round of the
            service's 5 workers.
        max_retries: Retries (not attempts) per call; see "Retries" below. Default 3.
        retry_delay: Base of the exponential backoff, in seconds. Default 0.5.
        max_retry_delay: Cap of one backoff delay, and the longest rate-limit window a call
            waits for (else ``RateLimitError`` at once, with ``retry_after``), in seconds.
            Default 8.
        retry_on_task_failure: Also retry a 500 ``Task failed``, a gateway's 502 or 504 and a
            read timeout of a completion or batch. Off by default: the task may have run (or
            still run) and been billed.
        retry_deadline: Seconds from the start of a call after which no retry starts.
        http_client: Your own ``httpx.Client`` (proxies, TLS, limits, event hooks). Requests
            go through it with this client's base URL, key, timeouts and retries; its own
            headers are sent too. It is never closed by this library.
        cache: Response caching of ``complete()``: ``True`` for an in-memory LRU, or a backend
            from ``claude_client.cache`` (``MemoryCache``, ``SQLiteCache``, ``RedisCache``).
            Default off. See the caching guide.
        max_concurrency: Requests this client keeps in flight at most (default 32), shared by
            its calls, its ``with_options`` copies and the batch helpers; more wait, each at
            most its pool timeout, for a free slot. ``asyncio.gather`` of any number of calls
            then keeps the service busy without the client's CPU per call growing with it.
        max_response_bytes: The largest answer body read, in bytes (default 64 MiB; the
            service's answers are kilobytes). A larger one raises ``ResponseTooLargeError``
            without being read past the limit: refused at once by its ``Content-Length``,
            else dropped as it passes the limit.
        trust_env: Read the environment as httpx does (default ``True``): ``HTTPS_PROXY`` /
            ``HTTP_PROXY`` / ``ALL_PROXY`` and ``NO_PROXY`` choose a proxy for ``base_url``,
            ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` the CA certificates. ``False`` ignores them.
            (With ``http_client=``, that client's own settings apply.)

    The first six arguments may be given by position, in the seed client's order; the
    others only by keyword. The seed client's attributes are there, read-only: ``base_url``,
    ``api_key`` (never shown in a repr), ``project_id``, ``timeout``, ``max_retries``,
    ``retry_delay`` and ``client`` (the ``httpx.Client``).

    Retries: only what surely did not run is retried unless ``retry_on_task_failure`` is
    set; the retry table (what is retried, and how long the client waits) is written once,
    in [`RetryPolicy`][claude_client.RetryPolicy].

    Raises:
        ValueError: ``timeout`` is not a positive number of seconds, a retry setting is
            negative, not finite or over its bound, or ``max_response_bytes`` is not positive.
        TypeError: ``http_client`` is not an ``httpx.Client``, or ``project_id`` not a string.
    """

    _httpx_client_class = httpx.Client

    def _make_pool_transport(self) -> httpx.BaseTransport:
        from claude_client import _pool
        from claude_client._fork import ForkSafeTransport

        return ForkSafeTransport(
            functools.partial(_pool.pool_transport, proxy=self._proxy, trust_env=self._trust_env)
        )

    def _make_client_transport(self, http_client: httpx.Client) -> httpx.BaseTransport:
        from claude_client._retry_transport import ClientTransport

        return ClientTransport(http_client)

    def _make_limited_transport(
        self, inner: httpx.BaseTransport, limit: int
    ) -> httpx.BaseTransport:
        from claude_client._limits import LimitedTransport

        return LimitedTransport(inner, limit)

    def _make_retry_transport(self, inner: httpx.BaseTransport) -> httpx.BaseTransport:
        from claude_client._retry_transport import RetryTransport

        return RetryTransport(
            inner, self._policy, owns_transport=self._owner, max_bytes=self._max_response_bytes
        )

    def _make_http_client(self, transport: httpx.BaseTransport) -> httpx.Client:
        from claude_client import _http_clients

        return _http_clients.Client(transport=transport, **self._http_options())

    def _attach_low_level(self, low_level: AuthenticatedClient) -> AuthenticatedClient:
        return low_level.set_httpx_client(self._http)

    @property
    def client(self) -> httpx.Client:
        """The ``httpx.Client`` every call goes through (the seed client's ``client``), with
        this client's retries and typed errors; to configure httpx, pass ``http_client=``."""
        return self._http

    def close(self) -> None:
        """Close the connection pool (a ``with_options`` copy leaves it open)."""
        if self._owner:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def complete(
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
        """Run one prompt and return the completion.

        Args:
            prompt: A string (sent as one user message) or a list of messages
                (``Message`` or ``{"role": ..., "content": ...}``).
            model: A ``Model`` or a model name; ``Model.AUTO`` lets the service choose.
            project_id: The seed client's argument: accepted, never sent (the key's project
                is billed), warned about once (``ProjectIdIgnoredWarning``).
            timeout: The server-side task limit for this call (1 to 300 s), sent with it; the
                client then waits 10 s longer for the answer. Default: none sent (the
                service's own limit), and the client waits its ``timeout``.
            max_tokens: Estimated context size; the service uses it to auto-select a model.
            allowed_tools: Generation 2: tools the CLI may use for this prompt (e.g.
                ``["Read", "Grep"]``; the service runs them without asking). Plain names
                only: the service pastes them into a shell command line. Generation 1
                ignores it.
            working_directory: Generation 2: the directory the CLI runs in (it loads that
                project's ``CLAUDE.md``), a plain path on the service's machine; the service
                ignores a directory that does not exist there. Generation 1 ignores it.
            cache: ``False`` bypasses the client's cache for this call (neither read nor
                written). Without a client cache it changes nothing.

        Returns:
            The completion, its usage and cost; from the cache, ``cached=True`` with zero
            usage and cost, and ``saved_usage`` / ``saved_cost`` (see the caching guide).

        Raises:
            ValueError: unknown model, ``timeout`` outside 1..300, an empty message list, or
                a tool name or directory a shell would interpret.
            TypeError: an argument of the wrong type (``allowed_tools`` a string, say).
            BudgetExceededError: the project's budget is spent (not retried).
            RateLimitError: rate limited, and the window opens after ``max_retry_delay``
                (``retry_after`` says when), or still limited after the retries.
            TaskFailedError: the task failed or timed out on the server (500).
            AuthenticationError: the key is unknown or revoked (401), or no key was sent
                (403, ``MissingCredentialsError``).
            ValidationError: the service rejected the request body (422).
            APIConnectionError: no answer (``TimeoutError`` when the wait ran out: the task
                may still run and be billed).
            ServerError: a 5xx; a gateway's 502 or 504 is not retried (the task may still run).
            ClientClosedError: the client is closed.
            MalformedResponseError: the answer's body breaks the contract.
        """
        if not _chat_bound:
            _bind_chat()
        scope, body = self._chat(
            prompt, model, project_id, timeout, max_tokens, allowed_tools, working_directory
        )
        lookup = self._lookup(body, cache)
        if lookup is not None and (route_args := lookup.route_args) is not None:
            lookup.routed(self.route(*route_args))
        with scope:
            if lookup is not None and (hit := lookup.get()) is not None:
                return scope.cached(hit)
            detailed = create_chat_completion.sync_detailed(client=self._low_level, body=body)
            result = scope.result(detailed)
            if lookup is not None:
                lookup.put(result)
            return result

    def batch(
        self,
        prompts: BatchPrompts,
        model: Model | str = Model.AUTO,
        parallel: bool | str | None = True,
        timeout: float | bool | None = None,
        *seed_order: float | None,
        project_id: str | None = None,
        cache: bool = True,
    ) -> BatchResponse:
        """Run several prompts in one request of the service's batch endpoint.

        A failing prompt is reported in its ``BatchResult`` (``status == "failed"``), not
        raised. The service does not check the budget for batches. The client waits for as
        many task limits as the service's 5 workers need rounds, plus 10 s.

        Positional arguments after ``model`` follow either order of the seed client:
        ``batch(prompts, model, parallel, timeout)`` (its documentation) or
        ``batch(prompts, model, project_id, parallel, timeout)`` (its code); a ``bool``
        third argument is ``parallel``, a string or ``None`` is ``project_id``.

        Args:
            prompts: Strings (ids ``"0"``..``"n-1"``) or ``(id, prompt)`` pairs.
            model: A ``Model`` or a model name for every prompt; ``Model.AUTO`` lets the
                service choose.
            parallel: ``True`` (default): one request, whose prompts the service runs on its
                workers at once. ``False``: one request a prompt, one after another.
            timeout: The server-side limit per prompt (1 to 300 s), sent with it. Default:
                none sent (the service's own), and the client waits its ``timeout`` per round.
            seed_order: The timeout, when given fifth in the seed code's order.
            project_id: The seed client's argument: accepted, never sent (the key's project
                is billed), warned about once (``ProjectIdIgnoredWarning``).
            cache: ``False`` bypasses the client's cache. With a cache and a named model,
                each prompt is looked up on its own and only the misses are sent (the batch
                helpers, which send through ``batch()``, get this too); ``auto`` batches are
                not cached.

        Returns:
            One result per prompt in request order, with totals (of what was sent; a cached
            result has ``cached=True``, zero usage and cost, and ``saved_usage`` / ``saved_cost``).

        Raises:
            ValueError: empty ``prompts``, unknown model, or ``timeout`` outside 1..300.
            TypeError: a prompt is neither a string nor an ``(id, prompt)`` pair, or an
                argument fits neither of the seed's orders.
            ClaudeAPIError: as for ``complete()`` (a 500 is a ``ServerError``); with
                ``parallel=False``, the first failing request's (later prompts are not sent).
        """
        from claude_client._models import merged_batch

        requests = self._batch(prompts, model, parallel, timeout, seed_order, project_id)
        return merged_batch([self._send_batch(scope, body, cache) for scope, body in requests])

    def _send_batch(
        self, scope: Scope[g.BatchResponse, BatchResponse], body: g.BatchRequest, cache: bool
    ) -> BatchResponse:
        from claude_code_api.api.batch import process_batch

        lookup = self._batch_lookup(body, cache)
        with scope:
            if lookup is not None:
                misses = lookup.find()
                if misses is None:  # every prompt was in the cache: nothing is sent
                    return scope.cached(lookup.merged(None))
                body = misses
            result = scope.result(process_batch.sync_detailed(client=self._low_level, body=body))
            if lookup is not None:
                lookup.store(result)
                return scope.cached(lookup.merged(result))
            return result

    def run_batch(
        self, prompts: Iterable[_batch.PromptInput], **options: Unpack[_batch.BatchOptions]
    ) -> _batch.BatchRunResult:
        """Run any number of prompts safely: in chunks, a few at once, within the budget.

        ``prompts`` are strings (id = position), ``(id, prompt)`` pairs, ``BatchItem`` s or
        ``{"id", "prompt"}`` mappings. They go out in requests of ``chunk_size``,
        ``concurrency`` at once. A chunk that fails as a whole (timeout, 5xx) marks its items
        ``failed`` and the rest go on. Before each chunk the project's remaining token budget
        (read once from the usage endpoint, then reduced by each chunk's tokens) and
        ``max_cost`` are checked: items that would overrun them never run and come back
        ``skipped``. Options: see ``BatchOptions``.

        Returns:
            Every result in input order, with totals.

        Raises:
            BatchInputError: no prompts, a duplicate id or a malformed item (before any
                request).
            ValueError: an unknown model or a bad option (before any request).
            AuthenticationError, PermissionDeniedError, NotFoundError: the run stops, as
                every further chunk would fail the same way.
        """
        from claude_client import _batch

        return _batch.run_batch(self, prompts, **options)

    def iter_batch(
        self, prompts: Iterable[_batch.PromptInput], **options: Unpack[_batch.BatchOptions]
    ) -> _batch.BatchIterator:
        """Like ``run_batch``, but yield each result as its chunk finishes (any order).

        Results are not kept: memory stays flat however many prompts run. The iterator's
        ``summary`` has the totals. Raises as ``run_batch``.
        """
        from claude_client import _batch

        return _batch.iter_batch(self, prompts, **options)

    def run_batch_file(
        self,
        input_path: str | os.PathLike[str],
        output_path: str | os.PathLike[str],
        *,
        resume: bool = True,
        **options: Unpack[_batch.BatchOptions],
    ) -> _batch.BatchSummary:
        """Run the prompts of a JSONL file, appending one result line per prompt as it comes.

        Each input line is a prompt string, ``[id, prompt]`` or ``{"id", "prompt"}``. With
        ``resume`` (default) ids already completed in ``output_path`` are not sent again and
        failed or skipped ones are retried, so a killed run loses nothing it wrote; at the
        end each id keeps only its newest line. ``resume=False`` starts the output afresh.

        Raises:
            BatchInputError: a line that is not valid JSON (with its line number), a
                duplicate id, an empty or missing file, an output that is the input or a
                directory, or one another run is writing (before any request).
            OSError: a file cannot be read or written.
            ValueError, ClaudeAPIError: as for ``run_batch``.
        """
        from claude_client import _batch

        return _batch.run_batch_file(self, input_path, output_path, resume=resume, **options)

    def get_usage(self, period: str = "month", project_id: str | None = None) -> UsageStats:
        """Usage, cost and budget of the key's project for ``period``.

        Args:
            period: ``"month"`` (default), ``"week"`` or ``"day"``.
            project_id: The seed client's argument: accepted, never sent (the key's project
                is reported), warned about once (``ProjectIdIgnoredWarning``).

        Raises:
            ValueError: any other period (checked before any request).
            ClaudeAPIError: as for ``complete()``.
        """
        from claude_code_api.api.usage import get_usage

        scope, value = self._usage(period, project_id)
        with scope:
            return scope.result(get_usage.sync_detailed(client=self._low_level, period=value))

    def route(self, prompt: str, context_size: int = 0) -> RouteRecommendation:
        """Ask the service which model it would choose for ``prompt`` (runs no task).

        Args:
            prompt: The prompt to route.
            context_size: Estimated context size in tokens (>= 0).

        Raises:
            ValueError: ``context_size`` is negative.
            TypeError: ``prompt`` is not a string or ``context_size`` not an integer.
            ClaudeAPIError: as for ``complete()``.
        """
        from claude_code_api.api.routing import recommend_model

        scope, body = self._route(prompt, context_size)
        with scope:
            return scope.result(recommend_model.sync_detailed(client=self._low_level, body=body))

    def health(self) -> HealthStatus:
        """The service's health (needs no key).

        Raises:
            APIConnectionError: the service is unreachable.
            ClaudeAPIError: any other failure.
        """
        from claude_code_api.api.service import get_health

        with self._health() as scope:
            return scope.result(get_health.sync_detailed(client=self._low_level))

    def call(self, operation: Callable[..., _X], /, **arguments: Any) -> _X:
        """Run a generated operation through this client, with a malformed answer typed.

        ``operation`` is any ``sync`` / ``sync_detailed`` function of
        ``claude_code_api.api``; it gets ``client=self.low_level`` and ``arguments``. Unlike
        calling it with ``low_level`` directly, a 2xx body that breaks the contract (not JSON,
        a missing or wrong field) raises ``MalformedResponseError`` instead of the generated
        parser's ``KeyError`` / ``ValueError``:

        ```python
        from claude_code_api.api.usage import get_usage
        from claude_code_api.models import Period

        usage = client.call(get_usage.sync, period=Period.DAY)
        ```

        Raises:
            MalformedResponseError: the answer's body breaks the contract.
            ClaudeAPIError: as for the high-level methods (same retries and typed errors).
        """
        with self._low_level_scope():
            return operation(client=self._low_level, **arguments)

    def stream(
        self,
        prompt: Prompt,
        model: Model | str = Model.AUTO,
        project_id: str | None = None,
        *,
        timeout: float | None = None,
    ) -> Generator[str, None, None]:
        """Stream a completion over the service's WebSocket: text chunks as they arrive.

        Each chunk is handed over the moment its frame arrives (chunks are slices of the reply
        and may split words); joined, they equal ``complete()``'s content for the same prompt
        and model. Leaving the loop early, or an exception in it, closes the socket. Arguments
        are checked now; the request starts with the first ``next()``. Streams are never
        retried. See ``stream_events()`` for usage, cost and model.

        Args:
            prompt: A string (one user message) or a list of messages, as for ``complete()``.
            model: A ``Model`` or a model name. The socket cannot auto-select, so with
                ``Model.AUTO`` the client first asks ``route()`` and streams on its answer.
            project_id: The seed client's argument: accepted, never sent (the socket bills
                the project its frame names, and the client always names the key's), warned
                about once (``ProjectIdIgnoredWarning``).
            timeout: The longest wait in seconds for the handshake (a wall-clock deadline) and
                for each frame (any positive number). Default: the client's ``timeout``.

        Returns:
            A generator of text chunks (``close()`` it to stop early without a loop).

        Raises:
            ValueError: unknown model, empty message list, or a timeout that is not positive.
            TypeError: ``prompt`` or ``timeout`` of the wrong type.
            ClaudeAPIError: while iterating, as ``stream_events()`` raises.
        """
        self._ignore_project_id(project_id)
        from claude_client._streaming import iter_text

        return iter_text(self.stream_events(prompt, model, timeout))

    def stream_events(
        self,
        prompt: Prompt,
        model: Model | str = Model.AUTO,
        timeout: float | None = None,
    ) -> ChatStream:
        """A streamed completion as a context manager: events, then usage, cost and model.

        ```python
        with client.stream_events("Tell me a story") as stream:
            for chunk in stream.iter_text():
                print(chunk, end="", flush=True)
            reply = stream.get_final_response()
        ```

        Entering it resolves ``Model.AUTO`` with ``route()``, learns the key's project once
        per client (``GET /v1/usage``; the socket bills the project named in the frame, so
        streamed usage then shows in ``get_usage()``), opens the socket through this client's
        connection pool with its key, and sends the chat frame. Arguments are as for
        ``stream()``.

        Returns:
            A ``ChatStream``; iterate it for ``TokenEvent``s, then one ``DoneEvent`` (or an
            ``ErrorEvent``, after which it raises the typed error).

        Raises:
            ValueError: unknown model, empty message list, or a timeout that is not positive.
            TypeError: ``prompt`` or ``timeout`` of the wrong type.
            BudgetExceededError: the project's budget is spent (an error frame).
            ValidationError: the service rejected the request (e.g. ``Invalid model``).
            TaskFailedError: the CLI failed on the server (``Streaming error: ...``).
            ServerError: the service's stream handler failed (``Server error: ...``).
            StreamError: a malformed frame, or the socket closed before ``done``.
            TimeoutError: no frame (or no handshake) within ``timeout``.
            APIConnectionError: no connection to the service.
            ClaudeAPIError: the route or usage lookup failed (e.g. 403 without a key).
        """
        spec = self._stream_spec(prompt, model, timeout)
        from claude_client._streaming import ChatStream

        return ChatStream(self._http, spec, self.route, self.get_usage, self._project)


# Show the public names here as claude_client.X (the package adopts them; see its _adopt).
claude_client._adopt(__name__)
