"""Generation 2's operations on both clients: tasks, ``/v1/process``, providers, readiness.

``Gen2Base`` holds what the two clients share (argument checks, the call's scope, no I/O);
``Gen2Methods`` and ``AsyncGen2Methods`` add the lines that send, and ``ClaudeClient`` /
``AsyncClaudeClient`` inherit them. On a generation-1 service these paths do not exist: its
generic 404 becomes ``UnsupportedByServiceError`` here, and the WebSocket's ``Unknown message
type: agentic_task`` too (``_error_mapping``).

Who pays: ``/v1/task`` and ``/v1/process`` charge the ``project_id`` named in the body (the
service's default ``"default"``), not the key's project, so the client names the key's own
project (learned once, as ``stream`` does) unless the caller names another.
"""

from __future__ import annotations

import abc
from collections.abc import Awaitable
from typing import TYPE_CHECKING, TypeVar, Unpack

import httpx

from claude_client._base_client import _H, _T, ClientBase

# Only the base class is imported here: each operation imports its generated module, its
# models and the generation-2 results on its first call (``_gen2_ops``), so a program that
# never calls generation 2 never loads them.
if TYPE_CHECKING:
    from claude_code_api import models as g

    from claude_client._calls import Op
    from claude_client._gen2_args import (
        ProcessArgs,
        ProcessOptions,
        StreamTaskOptions,
        TaskArgs,
        TaskOptions,
    )
    from claude_client._gen2_models import (
        Capabilities,
        ProcessResponse,
        ProviderList,
        ProviderModels,
        Readiness,
        TaskResult,
    )
    from claude_client._gen2_ops import Gen2Scope
    from claude_client._models import UsageStats
    from claude_client._streaming import AsyncTaskStream, TaskSpec, TaskStream

__all__ = ["AsyncGen2Methods", "Gen2Base", "Gen2Methods"]

_G = TypeVar("_G")
_R = TypeVar("_R")


class Gen2Base(ClientBase[_H, _T], abc.ABC):
    """The generation-2 operations' shared, I/O-free part."""

    @staticmethod
    def _finished(result: TaskResult, where: str) -> TaskResult:
        """``result`` if the task completed; else its typed ``TaskError``."""
        from claude_client._gen2_ops import finished

        return finished(result, where)

    def _task_scope(self, args: TaskArgs) -> Gen2Scope[g.AgenticTaskResponse, TaskResult]:
        from claude_client._gen2_args import task_wait
        from claude_client._gen2_ops import TASK, Gen2Scope

        return Gen2Scope(TASK, task_wait(args.timeout), "execute_task() (POST /v1/task)")

    def _process_scope(self, args: ProcessArgs) -> Gen2Scope[g.AIServiceResponse, ProcessResponse]:
        from claude_client._gen2_ops import PROCESS, Gen2Scope

        return Gen2Scope(PROCESS, args.wait, "process() (POST /v1/process)")

    def _scope(self, op: Op[_G, _R], operation: str) -> Gen2Scope[_G, _R]:
        from claude_client._gen2_ops import Gen2Scope

        return Gen2Scope(op, self._timeout, operation)

    def _task_stream_spec(self, args: TaskArgs) -> TaskSpec:
        from claude_client._gen2_args import task_wait
        from claude_client._streaming import TaskSpec

        return TaskSpec(args=args, wait=task_wait(args.timeout))


class Gen2Methods(Gen2Base[httpx.Client, httpx.BaseTransport]):
    """The generation-2 operations of ``ClaudeClient``."""

    @abc.abstractmethod
    def get_usage(self, period: str = "month") -> UsageStats:
        """Defined by ``ClaudeClient``."""

    def _key_project(self, project_id: str | None) -> str:
        if project_id is not None:
            return project_id
        return self._project.project_id or self._project.learn(self.get_usage())

    def execute_task(self, description: str, **options: Unpack[TaskOptions]) -> TaskResult:
        """Run an agentic task (``POST /v1/task``, generation 2) and return its result.

        The key needs a permission profile on the service, which bounds the tools, agents,
        skills, ``timeout`` and ``max_cost`` it may ask for. Never retried after it may have
        run (a 500, a 502/504 from a gateway, a timeout), unless ``retry_on_task_failure``.

        Args:
            description: What to do (not empty).
            **options: ``allow_tools``, ``allow_agents``, ``allow_skills``, ``timeout`` (whole
                seconds), ``max_cost`` (USD), ``working_directory``, ``model``, ``project_id``
                (default: the key's own project; the service would charge ``"default"``); see
                ``TaskOptions``.

        Returns:
            The completed task's result (status, output, log, artifacts, usage, cost).

        Raises:
            ValueError: empty description, unknown model, a limit out of range, or a tool name
                or working directory a shell would interpret (before anything is sent).
            TypeError: an argument of the wrong type, or an unknown option.
            TaskBudgetExceededError: the project's budget is spent (a ``BudgetExceededError``;
                nothing ran).
            TaskCostExceededError, TaskTimeoutError, TaskExecutionError: the task ended
                ``cost_exceeded``, ``timeout`` or ``failed`` (each a ``TaskError`` with
                ``.result``).
            PermissionDeniedError: no permission profile, or more asked than it allows.
            ServerError: the service failed (500 ``Task execution failed: ...``; the task may
                have run).
            UnsupportedByServiceError: the service is older than generation 2.
            ClaudeAPIError: as for ``complete()``.
        """
        from claude_client import _gen2_ops as ops
        from claude_client._gen2_args import task_args

        args = task_args(description, **options)
        body = args.request(self._key_project(args.project_id))
        with self._task_scope(args) as scope:
            result = scope.result(
                ops.execute_task_op.sync_detailed(client=self._low_level, body=body)
            )
        return self._finished(result, f"POST {self._base_url}/v1/task")

    def stream_task(self, description: str, **options: Unpack[StreamTaskOptions]) -> TaskStream:
        """An agentic task over the WebSocket (``agentic_task``, generation 2), as a context
        manager: ``ThinkingEvent``s, then a ``TaskDoneEvent``.

        The socket sends the client's key for the service's permission check. Whatever the
        client asks, the service chooses the model and charges the project ``"default"``
        (use ``execute_task()`` to charge the key's project). Streams are never retried.
        Arguments are checked now, as for ``execute_task()`` (options: ``allow_tools``,
        ``allow_agents``, ``allow_skills``, ``timeout``, ``max_cost``); the socket opens on
        entering.

        Returns:
            A ``TaskStream``; ``get_final_result()`` gives the ``TaskResult``.

        Raises:
            ValueError, TypeError: as for ``execute_task()`` (before anything is sent).
            ClaudeAPIError: entering or iterating, as ``TaskStream`` raises.
        """
        from claude_client._gen2_args import task_args
        from claude_client._streaming import TaskStream

        spec = self._task_stream_spec(task_args(description, **options))
        return TaskStream(self._http, spec, self._api_key or "")

    def process(
        self, provider: str, model_name: str, **options: Unpack[ProcessOptions]
    ) -> ProcessResponse:
        """Run a prompt through ``POST /v1/process`` (generation 2's "AI services" format).

        Args:
            provider: Any provider name (echoed back; see ``providers()``).
            model_name: A model name, mapped by the service to haiku, sonnet or opus.
            **options: ``messages``, ``system_message``, ``user_message`` or ``content`` (at
                least one message), ``max_tokens`` (also the service's CLI limit,
                ``max(30, max_tokens / 10)`` s), ``temperature``, ``use_cli`` (without it the
                service's SDK path fails when it has no Anthropic key), ``project_id``
                (default: the key's own project); see ``ProcessOptions``.

        Raises:
            ValueError: no message in any form, or a bad number (before anything is sent).
            TypeError: an argument of the wrong type, or an unknown option.
            BudgetExceededError: the project's budget is spent (the service's 403).
            TaskFailedError: the CLI failed on the server.
            ServerError: a 504 (the CLI timed out: it ran; never retried) or another failure.
            UnsupportedByServiceError: the service is older than generation 2.
            ClaudeAPIError: as for ``complete()``.
        """
        from claude_client import _gen2_ops as ops
        from claude_client._gen2_args import process_args

        args = process_args(provider, model_name, **options)
        body = args.request(self._key_project(args.project_id))
        with self._process_scope(args) as scope:
            return scope.result(ops.process_op.sync_detailed(client=self._low_level, body=body))

    def providers(self) -> ProviderList:
        """The providers ``process()`` knows (``GET /v1/providers``, no key needed).

        Raises:
            UnsupportedByServiceError: the service is older than generation 2.
            ClaudeAPIError: any other failure.
        """
        from claude_client import _gen2_ops as ops

        with self._scope(ops.PROVIDERS, "providers() (GET /v1/providers)") as scope:
            return scope.result(ops.list_providers.sync_detailed(client=self._low_level))

    def provider_models(self, provider: str) -> ProviderModels:
        """The models of one provider (``GET /v1/providers/{provider}/models``, no key).

        Raises:
            ValueError: an empty provider name, or one holding ``/``.
            NotFoundError: the service does not support that provider.
            UnsupportedByServiceError: the service is older than generation 2.
            ClaudeAPIError: any other failure.
        """
        from claude_client import _gen2_ops as ops
        from claude_client._gen2_args import provider_name

        name = provider_name(provider)
        with self._scope(ops.PROVIDER_MODELS, "provider_models() (GET /v1/providers/...)") as scope:
            return scope.result(ops.get_provider_models.sync_detailed(name, client=self._low_level))

    def capabilities(self) -> Capabilities:
        """The agents and skills installed on the service (``GET /v1/capabilities``).

        Raises:
            UnsupportedByServiceError: the service is older than generation 2.
            ClaudeAPIError: as for ``get_usage()``.
        """
        from claude_client import _gen2_ops as ops

        with self._scope(ops.CAPABILITIES, "capabilities() (GET /v1/capabilities)") as scope:
            return scope.result(ops.get_capabilities.sync_detailed(client=self._low_level))

    def ready(self) -> Readiness:
        """Whether the service takes work (``GET /ready``, no key). It answers 200 either
        way: read ``Readiness.ready``.

        Raises:
            UnsupportedByServiceError: the service is older than generation 2.
            ClaudeAPIError: any other failure.
        """
        from claude_client import _gen2_ops as ops

        with self._scope(ops.READY, "ready() (GET /ready)") as scope:
            return scope.result(ops.get_readiness.sync_detailed(client=self._low_level))


class AsyncGen2Methods(Gen2Base[httpx.AsyncClient, httpx.AsyncBaseTransport]):
    """The generation-2 operations of ``AsyncClaudeClient``."""

    @abc.abstractmethod
    def get_usage(self, period: str = "month") -> Awaitable[UsageStats]:
        """Defined by ``AsyncClaudeClient``."""

    async def _key_project(self, project_id: str | None) -> str:
        if project_id is not None:
            return project_id
        return self._project.project_id or self._project.learn(await self.get_usage())

    async def execute_task(self, description: str, **options: Unpack[TaskOptions]) -> TaskResult:
        """Run an agentic task; see ``ClaudeClient.execute_task`` (same arguments, errors)."""
        from claude_client import _gen2_ops as ops
        from claude_client._gen2_args import task_args

        args = task_args(description, **options)
        body = args.request(await self._key_project(args.project_id))
        with self._task_scope(args) as scope:
            detailed = await ops.execute_task_op.asyncio_detailed(client=self._low_level, body=body)
            result = scope.result(detailed)
        return self._finished(result, f"POST {self._base_url}/v1/task")

    def stream_task(
        self, description: str, **options: Unpack[StreamTaskOptions]
    ) -> AsyncTaskStream:
        """An agentic task over the WebSocket, as an async context manager; see
        ``ClaudeClient.stream_task``."""
        from claude_client._gen2_args import task_args
        from claude_client._streaming import AsyncTaskStream

        spec = self._task_stream_spec(task_args(description, **options))
        return AsyncTaskStream(self._http, spec, self._api_key or "")

    async def process(
        self, provider: str, model_name: str, **options: Unpack[ProcessOptions]
    ) -> ProcessResponse:
        """Run a prompt through ``/v1/process``; see ``ClaudeClient.process``."""
        from claude_client import _gen2_ops as ops
        from claude_client._gen2_args import process_args

        args = process_args(provider, model_name, **options)
        body = args.request(await self._key_project(args.project_id))
        with self._process_scope(args) as scope:
            detailed = await ops.process_op.asyncio_detailed(client=self._low_level, body=body)
            return scope.result(detailed)

    async def providers(self) -> ProviderList:
        """The providers ``process()`` knows; see ``ClaudeClient.providers``."""
        from claude_client import _gen2_ops as ops

        with self._scope(ops.PROVIDERS, "providers() (GET /v1/providers)") as scope:
            return scope.result(await ops.list_providers.asyncio_detailed(client=self._low_level))

    async def provider_models(self, provider: str) -> ProviderModels:
        """The models of one provider; see ``ClaudeClient.provider_models``."""
        from claude_client import _gen2_ops as ops
        from claude_client._gen2_args import provider_name

        name = provider_name(provider)
        with self._scope(ops.PROVIDER_MODELS, "provider_models() (GET /v1/providers/...)") as scope:
            detailed = await ops.get_provider_models.asyncio_detailed(name, client=self._low_level)
            return scope.result(detailed)

    async def capabilities(self) -> Capabilities:
        """The agents and skills installed; see ``ClaudeClient.capabilities``."""
        from claude_client import _gen2_ops as ops

        with self._scope(ops.CAPABILITIES, "capabilities() (GET /v1/capabilities)") as scope:
            return scope.result(await ops.get_capabilities.asyncio_detailed(client=self._low_level))

    async def ready(self) -> Readiness:
        """Whether the service takes work; see ``ClaudeClient.ready``."""
        from claude_client import _gen2_ops as ops

        with self._scope(ops.READY, "ready() (GET /ready)") as scope:
            return scope.result(await ops.get_readiness.asyncio_detailed(client=self._low_level))
