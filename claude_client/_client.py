"""``ClaudeClient`` and ``AsyncClaudeClient``: the ergonomic layer over the generated calls.

A call goes: arguments -> generated request model (``_ClientBase``, shared) -> the generated
operation, sent through the shared ``httpx`` client whose ``RetryTransport`` applies the retry
policy and raises typed errors -> the generated response model -> the public result
(``_models``). Only the line that sends differs between the two classes.
"""

from __future__ import annotations

import copy
import os
from collections.abc import (
    AsyncGenerator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Mapping,
    Sequence,
)
from types import TracebackType
from typing import Any, Final, Generic, Self, TypeVar, Unpack

import attrs
import httpx
from claude_code_api import AuthenticatedClient
from claude_code_api import models as g
from claude_code_api.api.batch import process_batch
from claude_code_api.api.chat import create_chat_completion
from claude_code_api.api.routing import recommend_model
from claude_code_api.api.service import get_health
from claude_code_api.api.usage import get_usage
from claude_code_api.types import UNSET
from claude_code_api.types import Response as Detailed

from claude_client import _batch, _config, _http_clients
from claude_client._exceptions import malformed_response
from claude_client._models import (
    BatchResponse,
    HealthStatus,
    Message,
    Model,
    Response,
    RouteRecommendation,
    UsageStats,
    batch_prompts_for,
    batch_response_from,
    health_from,
    messages_for,
    model_name_for,
    response_from,
    route_from,
    usage_stats_from,
)
from claude_client._retries import (
    CURRENT_CALL,
    AsyncClientTransport,
    AsyncRetryTransport,
    Call,
    ClientTransport,
    RetryPolicy,
    RetryTransport,
)
from claude_client._streaming import (
    AsyncChatStream,
    ChatStream,
    ProjectCache,
    StreamSpec,
    aiter_text,
    iter_text,
    stream_spec,
)
from claude_client._version import __version__

__all__ = ["AsyncClaudeClient", "ClaudeClient"]

_G = TypeVar("_G")
_R = TypeVar("_R")
_X = TypeVar("_X")
_H = TypeVar("_H", httpx.Client, httpx.AsyncClient)
_T = TypeVar("_T", httpx.BaseTransport, httpx.AsyncBaseTransport)

Prompt = str | Sequence[Message | Mapping[str, str]]
BatchPrompts = Sequence[str | tuple[str, str]]

#: What generated parsing and our validators raise on a body that breaks the contract.
_MALFORMED: Final = (LookupError, TypeError, ValueError, AttributeError, httpx.DecodingError)


class _SecretStr(str):
    """The API key as handed to the generated client: its repr never shows the key."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(_config.redact_key(str(self)) if self else "")


@attrs.frozen
class _Op(Generic[_G, _R]):
    """One wrapped operation: the generated answer type and its conversion."""

    expected: type[_G]
    convert: Callable[[_G], _R]


_CHAT: Final = _Op(g.ChatCompletionResponse, response_from)
_BATCH: Final = _Op(g.BatchResponse, batch_response_from)
_USAGE: Final = _Op(g.UsageResponse, usage_stats_from)
_ROUTE: Final = _Op(g.RouteResponse, route_from)
_HEALTH: Final = _Op(g.HealthResponse, health_from)
#: A generated call made through ``call()``: any answer, returned as the generated code gives it.
_LOW_LEVEL: Final = _Op(object, lambda parsed: parsed)


class _Scope(Generic[_G, _R]):
    """Runs one generated call with its ``Call`` options in context, and converts the answer.

    A body that breaks the contract (generated parsing or our validators fail) leaves as
    ``MalformedResponseError``.
    """

    __slots__ = ("call", "op", "token")

    def __init__(self, op: _Op[_G, _R], call: Call) -> None:
        self.op = op
        self.call = call

    def __enter__(self) -> Self:
        self.token = CURRENT_CALL.set(self.call)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        CURRENT_CALL.reset(self.token)
        call = self.call
        if isinstance(exc, _MALFORMED) and call.status_code:
            raise malformed_response(
                call.status_code, call.method, str(call.url), call.content, exc
            ) from exc

    def result(self, detailed: Detailed[Any]) -> _R:
        """The public result for the generated answer."""
        parsed = detailed.parsed
        if not isinstance(parsed, self.op.expected):
            raise TypeError(f"no {self.op.expected.__name__} in the answer")
        return self.op.convert(parsed)


@attrs.frozen
class _HttpKind(Generic[_H, _T]):
    """The httpx classes of one flavour (sync or async): the only plumbing that differs."""

    client: type[_H]
    #: Our own client class (a subclass of ``client``), made with the pool.
    own_client: Callable[..., _H]
    #: The pooled transport made when the caller brings no client of their own.
    transport: Callable[[], _T]
    #: A transport sending through the caller's own client.
    through: Callable[[_H], _T]
    #: RetryTransport or AsyncRetryTransport (typed loosely: mypy checks the constrained type
    #: variables' combinations independently, sync client with async transport included).
    retry: Callable[..., Any]
    attach: Callable[[AuthenticatedClient, _H], AuthenticatedClient]


class _ClientBase(Generic[_H, _T]):
    """Configuration, request building and conversion shared by the sync and async clients."""

    _kind: _HttpKind[_H, _T]
    _http: _H
    _low_level: AuthenticatedClient

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        timeout: float = _config.DEFAULT_TIMEOUT,
        max_retries: int = _config.DEFAULT_MAX_RETRIES,
        retry_delay: float = _config.DEFAULT_RETRY_DELAY,
        max_retry_delay: float = _config.DEFAULT_MAX_RETRY_DELAY,
        retry_on_task_failure: bool = False,
        retry_deadline: float | None = None,
        http_client: _H | None = None,
    ) -> None:
        self._base_url = _config.resolve_base_url(base_url)
        self._api_key = _config.resolve_api_key(api_key)
        self._timeout = _config.check_task_timeout(timeout)
        self._policy = RetryPolicy(
            max_retries=max_retries,
            retry_delay=retry_delay,
            max_retry_delay=max_retry_delay,
            retry_on_task_failure=retry_on_task_failure,
            retry_deadline=retry_deadline,
        )
        self._owner = True
        # The key's project, learned on the first stream; with_options() copies share it.
        self._project = ProjectCache()
        self._headers = {"User-Agent": f"claude-code-client/{__version__}"}
        if http_client is not None:
            self._headers = {**http_client.headers, **self._headers}
        if self._api_key:
            self._headers["Authorization"] = f"Bearer {self._api_key}"
        self._inner: _T = self._inner_for(http_client)
        self._connect(self._inner)

    # -- what the subclasses provide (their only differences besides awaiting) --

    def _inner_for(self, http_client: _H | None) -> _T:
        kind = self._kind
        if http_client is None:
            return kind.transport()
        if not isinstance(http_client, kind.client):
            raise TypeError(
                f"http_client must be an httpx.{kind.client.__name__}, got {http_client!r}"
            )
        return kind.through(http_client)

    def _connect(self, inner: _T) -> None:
        kind = self._kind
        transport = kind.retry(inner, self._policy, owns_transport=self._owner)
        self._http = kind.own_client(transport=transport, **self._http_options())
        self._low_level = kind.attach(self._new_low_level(), self._http)

    # -- shared plumbing --

    def _http_options(self) -> dict[str, Any]:
        return {
            "base_url": self._base_url,
            "headers": self._headers,
            "timeout": httpx.Timeout(
                _config.read_timeout_for(self._timeout), connect=_config.CONNECT_TIMEOUT
            ),
            "trust_env": False,
        }

    def _new_low_level(self) -> AuthenticatedClient:
        return AuthenticatedClient(base_url=self._base_url, token=_SecretStr(self._api_key or ""))

    @property
    def low_level(self) -> AuthenticatedClient:
        """The generated ``claude_code_api.AuthenticatedClient``, sharing this client's pool.

        Pass it as ``client=`` to any generated operation (``claude_code_api.api.*``): the call
        uses this client's connection pool, API key, timeouts, retry policy and typed errors
        (a non-2xx answer raises the same ``ClaudeAPIError`` subclasses as the high-level
        methods). Use the ``sync*`` functions with ``ClaudeClient`` and the ``asyncio*`` ones
        with ``AsyncClaudeClient``. The generated functions parse a 2xx body themselves: a body
        that breaks the contract escapes from them as ``KeyError`` / ``ValueError``; run them
        with ``call()`` to get ``MalformedResponseError`` instead.
        """
        return self._low_level

    @property
    def base_url(self) -> str:
        """The service's base URL."""
        return self._base_url

    @property
    def timeout(self) -> float:
        """The default server-side task limit in seconds (the HTTP wait is 10 s longer)."""
        return self._timeout

    @property
    def max_retries(self) -> int:
        """How many retries (not attempts) a call may make."""
        return self._policy.max_retries

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._base_url!r}, "
            f"api_key={_config.redact_key(self._api_key)!r}, timeout={self._timeout!r}, "
            f"max_retries={self._policy.max_retries!r})"
        )

    def with_options(
        self,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
        retry_delay: float | None = None,
        max_retry_delay: float | None = None,
        retry_on_task_failure: bool | None = None,
        retry_deadline: float | None = None,
    ) -> Self:
        """A copy with other defaults, sharing this client's connection pool.

        Arguments left as ``None`` keep this client's value. The copy does not own the pool:
        closing or discarding it leaves the pool open, and it works as long as this client
        is open.

        Raises:
            ValueError: ``timeout`` is outside 1..300 seconds, or a retry setting is negative.
        """
        clone = copy.copy(self)
        clone._owner = False
        if timeout is not None:
            clone._timeout = _config.check_task_timeout(timeout)
        policy = self._policy
        clone._policy = attrs.evolve(
            policy,
            max_retries=policy.max_retries if max_retries is None else max_retries,
            retry_delay=policy.retry_delay if retry_delay is None else retry_delay,
            max_retry_delay=policy.max_retry_delay if max_retry_delay is None else max_retry_delay,
            retry_on_task_failure=(
                policy.retry_on_task_failure
                if retry_on_task_failure is None
                else retry_on_task_failure
            ),
            retry_deadline=policy.retry_deadline if retry_deadline is None else retry_deadline,
        )
        clone._connect(self._inner)
        return clone

    # -- request building (no I/O) --

    def _task_timeout(self, timeout: float | None) -> float:
        return self._timeout if timeout is None else _config.check_task_timeout(timeout)

    def _chat(
        self,
        prompt: Prompt,
        model: Model | str,
        timeout: float | None,
        max_tokens: int | None,
    ) -> tuple[_Scope[g.ChatCompletionResponse, Response], g.ChatCompletionRequest]:
        if max_tokens is not None and (
            isinstance(max_tokens, bool) or not isinstance(max_tokens, int)
        ):
            raise TypeError(f"max_tokens must be an integer or None, got {max_tokens!r}")
        task_timeout = self._task_timeout(timeout)
        body = g.ChatCompletionRequest(
            messages=messages_for(prompt),
            model=model_name_for(model),
            timeout=task_timeout,
            max_tokens=UNSET if max_tokens is None else max_tokens,
        )
        read = None if timeout is None else _config.read_timeout_for(task_timeout)
        return _Scope(_CHAT, Call(read)), body

    def _batch(
        self, prompts: BatchPrompts, model: Model | str, timeout: float | None
    ) -> tuple[_Scope[g.BatchResponse, BatchResponse], g.BatchRequest]:
        items = batch_prompts_for(prompts)
        task_timeout = self._task_timeout(timeout)
        body = g.BatchRequest(prompts=items, model=model_name_for(model), timeout=task_timeout)
        read = _config.read_timeout_for(task_timeout, len(items))
        return _Scope(_BATCH, Call(read)), body

    @staticmethod
    def _usage(period: str) -> tuple[_Scope[g.UsageResponse, UsageStats], g.Period]:
        name = period.lower() if isinstance(period, str) else period
        if name not in _config.PERIODS:
            raise ValueError(f"Invalid period {period!r}: use 'month', 'week' or 'day'")
        return _Scope(_USAGE, Call()), g.Period(name)

    @staticmethod
    def _route(
        prompt: str, context_size: int
    ) -> tuple[_Scope[g.RouteResponse, RouteRecommendation], g.RouteRequest]:
        if not isinstance(prompt, str):
            raise TypeError(f"prompt must be a string, got {prompt!r}")
        if isinstance(context_size, bool) or not isinstance(context_size, int):
            raise TypeError(f"context_size must be an integer, got {context_size!r}")
        if context_size < 0:
            raise ValueError(f"context_size must be >= 0, got {context_size}")
        body = g.RouteRequest(prompt=prompt, context_size=context_size)
        return _Scope(_ROUTE, Call(runs_no_task=True)), body

    @staticmethod
    def _health() -> _Scope[g.HealthResponse, HealthStatus]:
        return _Scope(_HEALTH, Call())

    @staticmethod
    def _low_level_scope() -> _Scope[object, object]:
        return _Scope(_LOW_LEVEL, Call())

    def _stream_spec(self, prompt: Prompt, model: Model | str, timeout: float | None) -> StreamSpec:
        # By default a stream waits for each frame as long as complete() waits for its answer.
        return stream_spec(prompt, model, timeout, _config.read_timeout_for(self._timeout))


class ClaudeClient(_ClientBase[httpx.Client, httpx.BaseTransport]):
    """The synchronous client of the Claude Code API Service.

    Use it as a context manager (``with ClaudeClient() as client:``) or call ``close()``;
    one client is safe to share between threads and keeps one connection pool.

    Args:
        base_url: The service's URL; default ``$CLAUDE_CODE_API_BASE_URL``, else
            ``http://localhost:8080``.
        api_key: The API key (it decides the project billed); default ``$CLAUDE_CODE_API_KEY``.
            Without one the service answers ``PermissionDeniedError`` (403).
        timeout: The default server-side task limit in seconds (1 to 300; default 30, as the
            service's), sent with every completion and batch. The client waits 10 s longer
            for the answer, so it never gives up on a task the server still finishes and bills.
        max_retries: Retries (not attempts) per call; see "Retries" below. Default 3.
        retry_delay: Base of the exponential backoff, in seconds. Default 0.5.
        max_retry_delay: Cap of one backoff delay, in seconds. Default 8.
        retry_on_task_failure: Also retry a 500 ``Task failed`` and a read timeout of a
            completion or batch. Off by default: the task may have run and been billed.
        retry_deadline: Seconds from the start of a call after which no retry starts.
        http_client: Your own ``httpx.Client`` (proxies, TLS, limits, event hooks). Requests
            go through it with this client's base URL, key, timeouts and retries; its own
            headers are sent too. It is never closed by this library.

    Retries: connection failures before sending, 429 rate limit (waiting for the next
    calendar minute) and 502/503/504 are retried; budget exceeded, other 4xx, and by
    default 500 / read timeouts of task-running calls are not.

    Raises:
        ValueError: ``timeout`` is outside 1..300, or a retry setting is negative.
        TypeError: ``http_client`` is not an ``httpx.Client``.
    """

    _kind = _HttpKind(
        client=httpx.Client,
        own_client=_http_clients.Client,
        transport=httpx.HTTPTransport,
        through=ClientTransport,
        retry=RetryTransport,
        attach=AuthenticatedClient.set_httpx_client,
    )

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
        timeout: float | None = None,
        max_tokens: int | None = None,
    ) -> Response:
        """Run one prompt and return the completion.

        Args:
            prompt: A string (sent as one user message) or a list of messages
                (``Message`` or ``{"role": ..., "content": ...}``).
            model: A ``Model`` or a model name; ``Model.AUTO`` lets the service choose.
            timeout: The server-side task limit for this call (1 to 300 s); the client waits
                10 s longer for the answer. Default: the client's ``timeout``.
            max_tokens: Estimated context size; the service uses it to auto-select a model.

        Returns:
            The completion, its usage and cost.

        Raises:
            ValueError: unknown model, ``timeout`` outside 1..300, or an empty message list.
            TypeError: ``prompt`` or ``max_tokens`` of the wrong type.
            BudgetExceededError: the project's budget is spent (not retried).
            RateLimitError: still rate limited after the retries.
            TaskFailedError: the task failed or timed out on the server (500).
            AuthenticationError: the key is unknown or revoked (401).
            PermissionDeniedError: no key was sent (403).
            ValidationError: the service rejected the request body (422).
            APIConnectionError: no answer (``TimeoutError`` when it timed out).
            MalformedResponseError: the answer's body breaks the contract.
        """
        scope, body = self._chat(prompt, model, timeout, max_tokens)
        with scope:
            return scope.result(
                create_chat_completion.sync_detailed(client=self._low_level, body=body)
            )

    def batch(
        self,
        prompts: BatchPrompts,
        model: Model | str = Model.AUTO,
        timeout: float | None = None,
    ) -> BatchResponse:
        """Run several prompts in one request of the service's batch endpoint.

        A failing prompt is reported in its ``BatchResult`` (``status == "failed"``), not
        raised. The service does not check the budget for batches. The client waits for as
        many task limits as the service's 5 workers need rounds, plus 10 s.

        Args:
            prompts: Strings (ids ``"0"``..``"n-1"``) or ``(id, prompt)`` pairs.
            model: A ``Model`` or a model name for every prompt; ``Model.AUTO`` lets the
                service choose.
            timeout: The server-side limit per prompt (1 to 300 s); default the client's.

        Returns:
            One result per prompt in request order, with totals.

        Raises:
            ValueError: empty ``prompts``, unknown model, or ``timeout`` outside 1..300.
            TypeError: a prompt is neither a string nor an ``(id, prompt)`` pair.
            ClaudeAPIError: as for ``complete()`` (a 500 is a ``ServerError``).
        """
        scope, body = self._batch(prompts, model, timeout)
        with scope:
            return scope.result(process_batch.sync_detailed(client=self._low_level, body=body))

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
        return _batch.run_batch(self, prompts, **options)

    def iter_batch(
        self, prompts: Iterable[_batch.PromptInput], **options: Unpack[_batch.BatchOptions]
    ) -> _batch.BatchIterator:
        """Like ``run_batch``, but yield each result as its chunk finishes (any order).

        Results are not kept: memory stays flat however many prompts run. The iterator's
        ``summary`` has the totals. Raises as ``run_batch``.
        """
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
                duplicate id or an empty file (before any request).
            OSError: a file cannot be read or written.
            ValueError, ClaudeAPIError: as for ``run_batch``.
        """
        return _batch.run_batch_file(self, input_path, output_path, resume=resume, **options)

    def get_usage(self, period: str = "month") -> UsageStats:
        """Usage, cost and budget of the key's project for ``period``.

        Args:
            period: ``"month"`` (default), ``"week"`` or ``"day"``.

        Raises:
            ValueError: any other period (checked before any request).
            ClaudeAPIError: as for ``complete()``.
        """
        scope, value = self._usage(period)
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
        scope, body = self._route(prompt, context_size)
        with scope:
            return scope.result(recommend_model.sync_detailed(client=self._low_level, body=body))

    def health(self) -> HealthStatus:
        """The service's health (needs no key).

        Raises:
            APIConnectionError: the service is unreachable.
            ClaudeAPIError: any other failure.
        """
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
            timeout: The longest wait in seconds for the handshake and for each frame (any
                positive number). Default: the client's ``timeout`` plus 10 s.

        Returns:
            A generator of text chunks (``close()`` it to stop early without a loop).

        Raises:
            ValueError: unknown model, empty message list, or a timeout that is not positive.
            TypeError: ``prompt`` or ``timeout`` of the wrong type.
            ClaudeAPIError: while iterating, as ``stream_events()`` raises.
        """
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
        return ChatStream(self._http, spec, self.route, self.get_usage, self._project)


class AsyncClaudeClient(_ClientBase[httpx.AsyncClient, httpx.AsyncBaseTransport]):
    """The async client: the same methods as ``ClaudeClient``, awaitable.

    Use it as an async context manager (``async with AsyncClaudeClient() as client:``) or
    call ``aclose()``. The arguments are those of ``ClaudeClient``; ``http_client`` must be an
    ``httpx.AsyncClient``. It runs on asyncio; under trio every call and stream works too
    (httpx and the retry waits go through anyio), except the batch runner (``run_batch``,
    ``iter_batch``, ``run_batch_file``), which raises ``RuntimeError`` there.

    Raises:
        ValueError: ``timeout`` is outside 1..300, or a retry setting is negative.
        TypeError: ``http_client`` is not an ``httpx.AsyncClient``.
    """

    _kind = _HttpKind(
        client=httpx.AsyncClient,
        own_client=_http_clients.AsyncClient,
        transport=httpx.AsyncHTTPTransport,
        through=AsyncClientTransport,
        retry=AsyncRetryTransport,
        attach=AuthenticatedClient.set_async_httpx_client,
    )

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
        timeout: float | None = None,
        max_tokens: int | None = None,
    ) -> Response:
        """Run one prompt; see ``ClaudeClient.complete`` (same arguments, result, errors)."""
        scope, body = self._chat(prompt, model, timeout, max_tokens)
        with scope:
            detailed = await create_chat_completion.asyncio_detailed(
                client=self._low_level, body=body
            )
            return scope.result(detailed)

    async def batch(
        self,
        prompts: BatchPrompts,
        model: Model | str = Model.AUTO,
        timeout: float | None = None,
    ) -> BatchResponse:
        """Run several prompts in one request; see ``ClaudeClient.batch``."""
        scope, body = self._batch(prompts, model, timeout)
        with scope:
            return scope.result(
                await process_batch.asyncio_detailed(client=self._low_level, body=body)
            )

    async def run_batch(
        self, prompts: Iterable[_batch.PromptInput], **options: Unpack[_batch.BatchOptions]
    ) -> _batch.BatchRunResult:
        """Run prompts in chunks within the budget; see ``ClaudeClient.run_batch``."""
        return await _batch.arun_batch(self, prompts, **options)

    def iter_batch(
        self, prompts: Iterable[_batch.PromptInput], **options: Unpack[_batch.BatchOptions]
    ) -> _batch.AsyncBatchIterator:
        """``async for`` each result as its chunk finishes; see ``ClaudeClient.iter_batch``."""
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
        return await _batch.arun_batch_file(self, input_path, output_path, resume=resume, **options)

    async def get_usage(self, period: str = "month") -> UsageStats:
        """Usage of the key's project; see ``ClaudeClient.get_usage``."""
        scope, value = self._usage(period)
        with scope:
            return scope.result(
                await get_usage.asyncio_detailed(client=self._low_level, period=value)
            )

    async def route(self, prompt: str, context_size: int = 0) -> RouteRecommendation:
        """Model recommendation (runs no task); see ``ClaudeClient.route``."""
        scope, body = self._route(prompt, context_size)
        with scope:
            return scope.result(
                await recommend_model.asyncio_detailed(client=self._low_level, body=body)
            )

    async def health(self) -> HealthStatus:
        """The service's health; see ``ClaudeClient.health``."""
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
        return AsyncChatStream(self._http, spec, self.route, self.get_usage, self._project)
