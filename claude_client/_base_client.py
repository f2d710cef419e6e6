"""What ``ClaudeClient`` and ``AsyncClaudeClient`` share: configuration and request building.

A call goes: arguments -> generated request model and the call's ``Scope`` (built here, no
I/O) -> the generated operation, sent through the client's ``httpx`` client whose
``RetryTransport`` applies the retry policy and raises typed errors -> the generated response
model -> the public result (``_models``, via the scope). The two client classes (``_client``)
add only the lines that send, and the factory methods that make their sync or async httpx
plumbing.
"""

from __future__ import annotations

import abc
import copy
import os
import sys
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import httpx

from claude_client import _config
from claude_client._model_choice import Model
from claude_client._version import __version__

# Only configuration is imported here: the generated package, the results, the retry and
# streaming modules and the cache load when a client is made or a call first needs them
# (``from claude_client import ClaudeClient`` stays cheap; see ``bench/imports.py``).
if TYPE_CHECKING:
    from claude_code_api import AuthenticatedClient
    from claude_code_api import models as g
    from claude_code_api.types import UNSET

    from claude_client import _calls
    from claude_client._calls import Scope
    from claude_client._models import (
        BatchResponse,
        HealthStatus,
        Message,
        Response,
        RouteRecommendation,
        UsageStats,
        batch_prompts_for,
        check_text,
        messages_for,
        model_name_for,
    )
    from claude_client._streaming import StreamSpec
    from claude_client.cache._backend import CacheBackend
    from claude_client.cache._lookup import BatchLookup, ChatLookup
    from claude_client.cache._responses import ResponseCache

__all__ = ["BatchPrompts", "ClientBase", "Prompt"]

_H = TypeVar("_H", httpx.Client, httpx.AsyncClient)
_T = TypeVar("_T", httpx.BaseTransport, httpx.AsyncBaseTransport)

Prompt = str | Sequence["Message | Mapping[str, str]"]
BatchPrompts = Sequence[str | tuple[str, str]]

_bound = False


def _bind_call_modules() -> None:
    """Bind the names the calls build their requests with into this module, once (the first
    client's construction, which loads their modules anyway): an import statement in each
    call would cost ~0.5 us apiece, through importlib's ``_handle_fromlist``."""
    global _bound, g, UNSET, _calls, Scope
    global batch_prompts_for, check_text, messages_for, model_name_for
    from claude_code_api import models as g
    from claude_code_api.types import UNSET

    from claude_client import _calls
    from claude_client._calls import Scope
    from claude_client._models import batch_prompts_for, check_text, messages_for, model_name_for

    _bound = True


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _user_stacklevel() -> int:
    """The ``stacklevel`` that makes a warning raised by our caller point at the user's line.

    The first frame outside this package, however deep the call went (Python 3.12's
    ``skip_file_prefixes``, for 3.11).
    """
    level, frame = 1, sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        level, frame = level + 1, frame.f_back
    return level


def seed_batch_order(
    parallel: bool | str | None,
    timeout: float | bool | None,
    extra: tuple[float | None, ...],
    project_id: str | None,
) -> tuple[bool, float | None, str | None]:
    """``batch()``'s positional arguments after ``model``, in either order of the seed.

    The seed's summary documents ``batch(prompts, model, parallel, timeout)``; the seed's code
    took ``batch(prompts, model, project_id, parallel, timeout)``. The third argument tells
    which: a ``bool`` is ``parallel``, a string or ``None`` is ``project_id``. Returns
    ``(parallel, timeout, project_id)``.

    Raises:
        TypeError: an argument of neither order, or ``project_id`` given twice.
    """
    if isinstance(parallel, bool):
        if extra:
            raise TypeError("batch() takes at most 4 positional arguments when parallel is third")
        if isinstance(timeout, bool):
            raise TypeError(f"timeout must be a number or None, got {timeout!r}")
        return parallel, timeout, project_id
    if parallel is not None and not isinstance(parallel, str):
        raise TypeError(f"parallel must be True or False, got {parallel!r}")
    if project_id is not None:
        raise TypeError("batch() got project_id both by position and by keyword")
    if len(extra) > 1:
        raise TypeError("batch() takes at most 5 positional arguments")
    if timeout is None or isinstance(timeout, bool):
        # The seed code's fourth argument: parallel; its fifth: the timeout.
        return timeout is not False, (extra[0] if extra else None), parallel
    if extra:
        raise TypeError(f"parallel must be True or False, got {timeout!r}")
    return True, timeout, parallel


class _SecretStr(str):
    """The API key as handed to the generated client: its repr never shows the key."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(_config.redact_key(str(self)) if self else "")


class ClientBase(Generic[_H, _T], abc.ABC):
    """Configuration, request building and conversion shared by the sync and async clients."""

    _http: _H
    _low_level: AuthenticatedClient

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        project_id: str | None = None,
        timeout: float = _config.DEFAULT_TIMEOUT,
        max_retries: int = _config.DEFAULT_MAX_RETRIES,
        retry_delay: float = _config.DEFAULT_RETRY_DELAY,
        *,
        max_retry_delay: float = _config.DEFAULT_MAX_RETRY_DELAY,
        retry_on_task_failure: bool = False,
        retry_deadline: float | None = None,
        http_client: _H | None = None,
        cache: bool | CacheBackend = False,
        max_concurrency: int = _config.DEFAULT_MAX_CONCURRENCY,
        max_response_bytes: int = _config.DEFAULT_MAX_RESPONSE_BYTES,
        trust_env: bool = True,
    ) -> None:
        from claude_client._limits import check_limit
        from claude_client._project import ProjectCache
        from claude_client._retries import RetryPolicy

        if not _bound:
            _bind_call_modules()
        self._base_url = _config.resolve_base_url(base_url)
        self._max_response_bytes = _config.check_max_response_bytes(max_response_bytes)
        self._api_key = _config.resolve_api_key(api_key)
        self._cache: ResponseCache | None = None
        if cache is not None and cache is not False:  # the cache's modules load only if used
            from claude_client.cache._responses import ResponseCache, backend_for, scope_for

            backend = backend_for(cache)
            if backend is not None:
                self._cache = ResponseCache(backend, scope_for(self._base_url, self._api_key))
        self._ignored_projects: set[str] = set()
        self._project_id = self._ignore_project_id(project_id)
        self._timeout = _config.check_wait(timeout)
        self._policy = RetryPolicy(
            max_retries=max_retries,
            retry_delay=retry_delay,
            max_retry_delay=max_retry_delay,
            retry_on_task_failure=retry_on_task_failure,
            retry_deadline=retry_deadline,
        )
        self._owner = True
        # The httpx client whose pool this one shares (a with_options copy's original's).
        self._pool_owner: _H | None = None
        # The key's project, learned on the first stream; with_options() copies share it.
        self._project = ProjectCache()
        self._headers = {"User-Agent": f"claude-code-client/{__version__}"}
        if not isinstance(trust_env, bool):
            raise TypeError(f"trust_env must be True or False, got {trust_env!r}")
        self._trust_env = trust_env
        self._proxy = _config.environment_proxy(self._base_url) if trust_env else None
        inner = self._inner_for(http_client)  # checks its type before its headers are read
        self._cookies_from: _H | None = http_client  # its cookie jar is ours (_http_clients)
        if self._api_key:
            self._headers["Authorization"] = f"Bearer {self._api_key}"
        if http_client is not None:  # its headers too; ours replace theirs, whatever the case
            own = {name.lower() for name in self._headers}
            theirs = {k: v for k, v in http_client.headers.items() if k not in own}
            self._headers = {**theirs, **self._headers}
        # One bound on requests in flight, shared with every with_options() copy (_limits).
        limit = check_limit(max_concurrency)
        self._inner: _T = self._make_limited_transport(inner, limit)
        self._connect(self._inner)

    # -- what each client class provides (its only differences besides awaiting) --

    #: The httpx client class a caller's own ``http_client`` must be an instance of.
    _httpx_client_class: type[_H]

    @abc.abstractmethod
    def _make_pool_transport(self) -> _T:
        """The pooled transport, when the caller brings no client of their own."""

    @abc.abstractmethod
    def _make_client_transport(self, http_client: _H) -> _T:
        """A transport sending through the caller's own client."""

    @abc.abstractmethod
    def _make_limited_transport(self, inner: _T, limit: int) -> _T:
        """``inner`` with at most ``limit`` requests in flight (``_limits``)."""

    @abc.abstractmethod
    def _make_retry_transport(self, inner: _T) -> _T:
        """The retry transport over ``inner``, applying this client's policy."""

    @abc.abstractmethod
    def _make_http_client(self, transport: _T) -> _H:
        """The httpx client every call goes through (one of ``_http_clients``)."""

    @abc.abstractmethod
    def _attach_low_level(self, low_level: AuthenticatedClient) -> AuthenticatedClient:
        """``low_level``, sending through ``self._http``."""

    def _inner_for(self, http_client: _H | None) -> _T:
        if http_client is None:
            return self._make_pool_transport()
        expected = self._httpx_client_class
        if not isinstance(http_client, expected):
            raise TypeError(
                f"http_client must be an httpx.{expected.__name__}, got {http_client!r}"
            )
        return self._make_client_transport(http_client)

    def _connect(self, inner: _T) -> None:
        self._http = self._make_http_client(self._make_retry_transport(inner))
        self._low_level = self._attach_low_level(self._new_low_level())

    # -- shared plumbing --

    def _http_options(self) -> dict[str, Any]:
        return {
            "base_url": self._base_url,
            "headers": self._headers,
            "timeout": httpx.Timeout(
                self._timeout, connect=min(self._timeout, _config.CONNECT_TIMEOUT)
            ),
            "trust_env": False,
            "pool_owner": self._pool_owner,
            "cookies_from": self._cookies_from,
        }

    def _new_low_level(self) -> AuthenticatedClient:
        from claude_code_api import AuthenticatedClient

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
        """How long a call waits for its answer, in seconds (never sent to the service)."""
        return self._timeout

    @property
    def max_retries(self) -> int:
        """How many retries (not attempts) a call may make."""
        return self._policy.max_retries

    @property
    def retry_delay(self) -> float:
        """The base of the exponential backoff, in seconds."""
        return self._policy.retry_delay

    @property
    def api_key(self) -> str | None:
        """The API key this client sends (its project is the one billed); never in a repr."""
        return self._api_key

    @property
    def project_id(self) -> str | None:
        """The ``project_id`` given to the constructor, as the seed client kept it.

        The service ignores it: every call bills the API key's project, which each
        ``Response.project_id`` and ``get_usage().project_id`` name.
        """
        return self._project_id

    def _ignore_project_id(self, project_id: str | None) -> str | None:
        """``project_id`` as given, after one ``ProjectIdIgnoredWarning`` per client and value.

        Raises:
            TypeError: ``project_id`` is neither a string nor ``None``.
        """
        if project_id is None:
            return None
        if not isinstance(project_id, str):
            raise TypeError(
                f"project_id must be a string or None, got {project_id!r} (positional "
                "arguments follow the seed client's order: pass timeout= by keyword)"
            )
        if project_id not in self._ignored_projects:
            from claude_client._exceptions import ProjectIdIgnoredWarning

            self._ignored_projects.add(project_id)
            warnings.warn(
                f"project_id={project_id!r} is ignored: the service bills the API key's "
                "project (see Response.project_id); to bill another project, use its key",
                ProjectIdIgnoredWarning,
                stacklevel=_user_stacklevel(),
            )
        return project_id

    def __repr__(self) -> str:
        # getattr: a constructor that failed part-way leaves a client that a debugger or
        # ``unittest --locals`` still shows.
        policy = getattr(self, "_policy", None)
        return (
            f"{type(self).__name__}(base_url={getattr(self, '_base_url', None)!r}, "
            f"api_key={_config.redact_key(getattr(self, '_api_key', None))!r}, "
            f"timeout={getattr(self, '_timeout', None)!r}, "
            f"max_retries={getattr(policy, 'max_retries', None)!r})"
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
            ValueError: ``timeout`` is not a positive number of seconds (a day at most), or a
                retry setting is negative, not finite or too large.
        """
        import attrs

        clone = copy.copy(self)
        clone._owner = False
        clone._pool_owner = self._pool_owner or self._http
        if timeout is not None:
            clone._timeout = _config.check_wait(timeout)
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

    def _chat(
        self,
        prompt: Prompt,
        model: Model | str,
        project_id: str | None,
        timeout: float | None,
        max_tokens: int | None,
        allowed_tools: Sequence[str] | None = None,
        working_directory: str | None = None,
    ) -> tuple[Scope[g.ChatCompletionResponse, Response], g.ChatCompletionRequest]:
        self._ignore_project_id(project_id)
        if max_tokens is not None and (
            isinstance(max_tokens, bool) or not isinstance(max_tokens, int)
        ):
            raise TypeError(f"max_tokens must be an integer or None, got {max_tokens!r}")
        # A task limit is sent only when the call names one; the client's wait is its own.
        task_limit = None if timeout is None else _config.check_task_timeout(timeout)
        body = g.ChatCompletionRequest(
            messages=messages_for(prompt),
            model=model_name_for(model),
            timeout=UNSET if task_limit is None else task_limit,
            max_tokens=UNSET if max_tokens is None else max_tokens,
        )
        if allowed_tools is not None or working_directory is not None:
            _chat_tools(body, allowed_tools, working_directory)
        return Scope(_calls.CHAT, self._wait_for(task_limit), Model.parse(model).value), body

    def _lookup(self, body: g.ChatCompletionRequest, cache: bool) -> ChatLookup | None:
        """The cache's part in one completion, ``None`` when the client or the call has none."""
        if not _caching(self._cache, cache):
            return None
        from claude_client.cache._lookup import ChatLookup

        assert self._cache is not None
        return ChatLookup(self._cache, body)

    def _batch_lookup(self, body: g.BatchRequest, cache: bool) -> BatchLookup | None:
        """The cache's part in one batch: ``None`` without a cache or with ``auto``."""
        from claude_code_api.types import Unset

        if not _caching(self._cache, cache) or isinstance(body.model, Unset):
            return None
        from claude_client.cache._lookup import BatchLookup

        assert self._cache is not None
        return BatchLookup(self._cache, body)

    def _batch(
        self,
        prompts: BatchPrompts,
        model: Model | str,
        parallel: bool | str | None,
        timeout: float | bool | None,
        extra: tuple[float | None, ...],
        project_id: str | None,
    ) -> list[tuple[Scope[g.BatchResponse, BatchResponse], g.BatchRequest]]:
        """The requests of one ``batch()`` call; ``merged_batch`` joins their answers."""
        in_parallel, task_limit, project_id = seed_batch_order(parallel, timeout, extra, project_id)
        self._ignore_project_id(project_id)
        items = batch_prompts_for(prompts)
        name = model_name_for(model)
        limit = None if task_limit is None else _config.check_task_timeout(task_limit)
        # parallel=False: one request a prompt, sent one after another (the seed's flag, which
        # it never sent; the service runs one request's prompts on all its workers at once).
        groups = [items] if in_parallel else [[item] for item in items]
        return [
            (
                Scope(_calls.BATCH, self._wait_for(limit, len(group)), Model.parse(model).value),
                g.BatchRequest(
                    prompts=group, model=name, timeout=UNSET if limit is None else limit
                ),
            )
            for group in groups
        ]

    def _wait_for(self, task_limit: float | None, tasks: int = 1) -> float:
        """How long a call running ``tasks`` tasks waits: the client's wait per round of the
        service's workers, or longer than the call's own task limit when it names one."""
        if task_limit is None:
            return self._timeout * _config.rounds_for(tasks)
        return _config.read_timeout_for(task_limit, tasks)

    def _usage(
        self, period: str, project_id: str | None
    ) -> tuple[Scope[g.UsageResponse, UsageStats], g.Period]:
        self._ignore_project_id(project_id)
        name = period.lower() if isinstance(period, str) else period
        if name not in _config.PERIODS:
            raise ValueError(f"Invalid period {period!r}: use 'month', 'week' or 'day'")
        return Scope(_calls.USAGE, self._timeout), g.Period(name)

    def _route(
        self, prompt: str, context_size: int
    ) -> tuple[Scope[g.RouteResponse, RouteRecommendation], g.RouteRequest]:
        if not isinstance(prompt, str):
            raise TypeError(f"prompt must be a string, got {prompt!r}")
        if isinstance(context_size, bool) or not isinstance(context_size, int):
            raise TypeError(f"context_size must be an integer, got {context_size!r}")
        if context_size < 0:
            raise ValueError(f"context_size must be >= 0, got {context_size}")
        body = g.RouteRequest(prompt=check_text(prompt, "prompt"), context_size=context_size)
        return Scope(_calls.ROUTE, self._timeout), body

    def _health(self) -> Scope[g.HealthResponse, HealthStatus]:
        return Scope(_calls.HEALTH, self._timeout)

    def _low_level_scope(self) -> Scope[object, object]:
        return Scope(_calls.LOW_LEVEL, self._timeout)

    def _stream_spec(self, prompt: Prompt, model: Model | str, timeout: float | None) -> StreamSpec:
        from claude_client._streaming import stream_spec

        # By default a stream waits for each frame as long as complete() waits for its answer.
        return stream_spec(prompt, model, timeout, self._timeout, self._max_response_bytes)


def _caching(cache: ResponseCache | None, wanted: bool) -> bool:
    """Whether a call uses the client's cache (``wanted``: the call's ``cache=`` argument)."""
    if not isinstance(wanted, bool):
        raise TypeError(f"cache must be True or False, got {wanted!r}")
    return cache is not None and wanted


def _chat_tools(
    body: g.ChatCompletionRequest,
    allowed_tools: Sequence[str] | None,
    working_directory: str | None,
) -> None:
    """Generation 2's chat options, checked before anything is sent: the service pastes both
    into a shell command line unquoted (service-behaviour.latest.md, section 2)."""
    # Imported here: only these calls need generation 2's argument checks.
    from claude_client._gen2_args import check_shell_inert, tool_names

    body.allowed_tools = tool_names(allowed_tools, "allowed_tools")
    if working_directory is not None:
        body.working_directory = check_shell_inert(working_directory, "working_directory")
