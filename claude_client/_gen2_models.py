"""Generation 2's public results, and their conversion from the generated answers.

The rule of ``_models`` holds here: every result is a frozen attrs class with type validators,
built once from the generated answer, so a field of the wrong type fails while it is converted
(``MalformedResponseError``) instead of reaching the caller. The arguments are checked in
``_gen2_args``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs
from attrs import validators as v
from claude_code_api import models as g
from claude_code_api.types import Unset

import claude_client
from claude_client._models import Usage
from claude_client._result_base import (
    _dataclass_compatible,
    _frozen_mapping,
    _int,
    _mapping_repr,
    _opt_int,
    _opt_request_id,
    _opt_str,
    _Result,
    _str,
    _to_float,
    _to_opt_float,
)

__all__ = [
    "Agent",
    "Artifact",
    "Capabilities",
    "ExecutionStep",
    "ModelInfo",
    "ProcessResponse",
    "Provider",
    "ProviderList",
    "ProviderModels",
    "Readiness",
    "Skill",
    "TaskResult",
    "TaskStatus",
    "TaskUsage",
]

_bool = v.instance_of(bool)
_strs = v.deep_iterable(_str, v.instance_of(tuple))


# --- public types ----------------------------------------------------------------------------


class TaskStatus(enum.StrEnum):
    """How an agentic task ended.

    Only ``COMPLETED`` is returned; ``execute_task()`` raises the others as ``TaskError``
    subclasses carrying the result.
    """

    COMPLETED = "completed"
    FAILED = "failed"
    TIMEOUT = "timeout"
    COST_EXCEEDED = "cost_exceeded"


@_dataclass_compatible
@attrs.frozen
class ExecutionStep(_Result):
    """One entry of a task's execution log.

    Attributes:
        step: The step number, from 1.
        timestamp: When (the service's naive UTC ISO text).
        action: What, e.g. ``"task_completed"``.
        details: The service's details (read-only), e.g. ``{"output_length": 421}``.
    """

    step: int = attrs.field(validator=_int)
    timestamp: str = attrs.field(validator=_str)
    action: str = attrs.field(validator=_str)
    details: Mapping[str, Any] = attrs.field(
        converter=_frozen_mapping, hash=False, repr=_mapping_repr
    )


@_dataclass_compatible
@attrs.frozen
class Artifact(_Result):
    """A file a task produced.

    Attributes:
        type: Its kind.
        path: Where, on the service's machine.
        size_bytes: Its size.
        created_at: When (the service's ISO text).
    """

    type: str = attrs.field(validator=_str)
    path: str = attrs.field(validator=_str)
    size_bytes: int = attrs.field(validator=_int)
    created_at: str = attrs.field(validator=_str)


@_dataclass_compatible
@attrs.frozen
class TaskUsage(_Result):
    """Tokens of a task. A task that ran has the token counts and the model; a task refused
    for its budget has only ``estimated_tokens``.

    Attributes:
        input_tokens: Tokens of the prompt, ``None`` when nothing ran.
        output_tokens: Tokens of the answer, ``None`` when nothing ran.
        total_tokens: Their sum, ``None`` when nothing ran.
        model_used: The model that ran, ``None`` when nothing ran.
        duration_seconds: How long it ran (completed tasks), else ``None``.
        estimated_tokens: The service's estimate when it refused the task for its budget.
    """

    input_tokens: int | None = attrs.field(default=None, validator=_opt_int)
    output_tokens: int | None = attrs.field(default=None, validator=_opt_int)
    total_tokens: int | None = attrs.field(default=None, validator=_opt_int)
    model_used: str | None = attrs.field(default=None, validator=_opt_str)
    duration_seconds: float | None = attrs.field(default=None, converter=_to_opt_float)
    estimated_tokens: int | None = attrs.field(default=None, validator=_opt_int)


@_dataclass_compatible
@attrs.frozen
class TaskResult(_Result):
    """The result of ``execute_task()`` (and the end of ``stream_task()``).

    Attributes:
        task_id: The task's id (``None`` from the WebSocket, which sends none).
        status: How it ended (``TaskStatus.COMPLETED`` when returned).
        output: The task's whole output (for ``cost_exceeded``: its first 500 characters).
        summary: The first 1000 characters of the output (completed tasks), else ``None``.
        error: Why it did not complete, e.g. ``"Insufficient budget"``, else ``None``.
        workspace_directory: The task's directory on the service's machine, else ``None``.
        execution_log: What the task did, step by step.
        artifacts: The files it produced.
        usage: Its tokens and model.
        cost: Its cost in USD (0.0 when nothing ran; a ``cost_exceeded`` task is not charged).
        request_id: The request's ``X-Request-ID`` (``None`` from the WebSocket).
    """

    task_id: str | None = attrs.field(validator=_opt_str)
    status: TaskStatus = attrs.field(converter=TaskStatus)
    output: str | None = attrs.field(validator=_opt_str)
    summary: str | None = attrs.field(validator=_opt_str)
    error: str | None = attrs.field(validator=_opt_str)
    workspace_directory: str | None = attrs.field(validator=_opt_str)
    execution_log: tuple[ExecutionStep, ...] = attrs.field(
        validator=v.deep_iterable(v.instance_of(ExecutionStep), v.instance_of(tuple))
    )
    artifacts: tuple[Artifact, ...] = attrs.field(
        validator=v.deep_iterable(v.instance_of(Artifact), v.instance_of(tuple))
    )
    usage: TaskUsage = attrs.field(validator=v.instance_of(TaskUsage))
    cost: float = attrs.field(converter=_to_float)
    request_id: str | None = _opt_request_id


@_dataclass_compatible
@attrs.frozen
class ProcessResponse(_Result):
    """The result of ``process()``.

    Attributes:
        content: The completion text.
        model: The model name as sent (``model_name``).
        provider: The provider as sent.
        actual_model: The model that ran (haiku, sonnet or opus), mapped from ``model``.
        usage: Token counts, ``None`` when the service sent none.
        cost: Cost in USD (0.0 when the service sent none).
        finish_reason: Why it stopped, e.g. ``"stop"``, else ``None``.
        mapped_from: How ``model`` was mapped, e.g.
            ``"anthropic:claude-3-haiku → claudecode:haiku"``.
        request_id: The request's ``X-Request-ID``.
    """

    content: str = attrs.field(validator=_str)
    model: str = attrs.field(validator=_str)
    provider: str = attrs.field(validator=_str)
    actual_model: str | None = attrs.field(validator=_opt_str)
    usage: Usage | None = attrs.field(validator=v.optional(v.instance_of(Usage)))
    cost: float = attrs.field(converter=_to_float)
    finish_reason: str | None = attrs.field(validator=_opt_str)
    mapped_from: str | None = attrs.field(validator=_opt_str)
    request_id: str | None = _opt_request_id


@_dataclass_compatible
@attrs.frozen
class Provider(_Result):
    """One provider ``/v1/process`` accepts.

    Attributes:
        name: Its name, e.g. ``"anthropic"``.
        available: Whether the service offers it now.
        models: The model names it lists.
    """

    name: str = attrs.field(validator=_str)
    available: bool = attrs.field(validator=_bool)
    models: tuple[str, ...] = attrs.field(validator=_strs)


@_dataclass_compatible
@attrs.frozen
class ProviderList(_Result):
    """The result of ``providers()``: iterate it (or read ``providers``) for each ``Provider``.

    Attributes:
        providers: The providers, in the service's order.
        request_id: The request's ``X-Request-ID``.
    """

    providers: tuple[Provider, ...] = attrs.field(
        validator=v.deep_iterable(v.instance_of(Provider), v.instance_of(tuple))
    )
    request_id: str | None = _opt_request_id

    def __iter__(self) -> Iterator[Provider]:
        return iter(self.providers)

    def __len__(self) -> int:
        return len(self.providers)


@_dataclass_compatible
@attrs.frozen
class ModelInfo(_Result):
    """What a provider says of one model.

    Attributes:
        max_tokens: Its output limit.
        context_window: Its context size.
        supports_functions: Whether it calls functions.
        supports_vision: Whether it reads images.
    """

    max_tokens: int = attrs.field(validator=_int)
    context_window: int = attrs.field(validator=_int)
    supports_functions: bool = attrs.field(validator=_bool)
    supports_vision: bool = attrs.field(validator=_bool)


@_dataclass_compatible
@attrs.frozen
class ProviderModels(_Result):
    """The result of ``provider_models()``.

    Attributes:
        provider: The provider as asked.
        models: Each model's ``ModelInfo`` by name (read-only).
        request_id: The request's ``X-Request-ID``.
    """

    provider: str = attrs.field(validator=_str)
    models: Mapping[str, ModelInfo] = attrs.field(
        converter=_frozen_mapping,
        validator=v.deep_mapping(_str, v.instance_of(ModelInfo)),
        hash=False,
        repr=_mapping_repr,
    )
    request_id: str | None = _opt_request_id


@_dataclass_compatible
@attrs.frozen
class Agent(_Result):
    """An agent a task may use (``allow_agents``).

    Attributes:
        name: Its name.
        description: What it does.
        tools: The tools it uses.
        model: The model it runs on.
    """

    name: str = attrs.field(validator=_str)
    description: str = attrs.field(validator=_str)
    tools: tuple[str, ...] = attrs.field(validator=_strs)
    model: str = attrs.field(validator=_str)


@_dataclass_compatible
@attrs.frozen
class Skill(_Result):
    """A skill a task may use (``allow_skills``).

    Attributes:
        name: Its name.
        description: What it does.
        command: How it is invoked.
    """

    name: str = attrs.field(validator=_str)
    description: str = attrs.field(validator=_str)
    command: str = attrs.field(validator=_str)


@_dataclass_compatible
@attrs.frozen
class Capabilities(_Result):
    """The result of ``capabilities()``: the agents and skills installed on the service.

    Attributes:
        agents: The agents, by name.
        skills: The skills, by name.
        request_id: The request's ``X-Request-ID``.
    """

    agents: tuple[Agent, ...] = attrs.field(
        validator=v.deep_iterable(v.instance_of(Agent), v.instance_of(tuple))
    )
    skills: tuple[Skill, ...] = attrs.field(
        validator=v.deep_iterable(v.instance_of(Skill), v.instance_of(tuple))
    )
    request_id: str | None = _opt_request_id


@_dataclass_compatible
@attrs.frozen
class Readiness(_Result):
    """The result of ``ready()``. The service answers 200 either way: read ``ready``.

    Attributes:
        ready: Whether the service takes work.
        reason: Why not (``"starting"``, ``"shutting_down"``, ...), else ``None``.
        request_id: The request's ``X-Request-ID``.
    """

    ready: bool = attrs.field(validator=_bool)
    reason: str | None = attrs.field(validator=_opt_str)
    request_id: str | None = _opt_request_id


# --- generated response models -> public results (the only conversion) -------------------------


def _opt(value: Any) -> Any:
    return None if isinstance(value, Unset) else value


def _details(details: object) -> Mapping[str, Any]:
    if isinstance(details, g.ExecutionLogEntryDetails):
        return details.additional_properties
    raise TypeError(f"expected execution details, got {details!r}")


def task_result_from(
    task_id: str | None,
    status: g.TaskStatus,
    result: g.TaskResult,
    log: Sequence[g.ExecutionLogEntry],
    artifacts: Sequence[g.Artifact],
    usage: g.TaskUsage,
) -> TaskResult:
    """``TaskResult`` from the fields of ``/v1/task``'s answer or of a ``result`` frame."""
    for value, cls in ((result, g.TaskResult), (usage, g.TaskUsage)):
        if not isinstance(value, cls):
            raise TypeError(f"expected a {cls.__name__} object, got {value!r}")
    full = _opt(result.full_output)
    return TaskResult(
        task_id=task_id,
        status=status.value if isinstance(status, g.TaskStatus) else status,
        output=full if full is not None else _opt(result.output),
        summary=_opt(result.summary),
        error=_opt(result.error),
        workspace_directory=_opt(result.workspace_directory),
        execution_log=tuple(
            ExecutionStep(
                step=e.step, timestamp=e.timestamp, action=e.action, details=_details(e.details)
            )
            for e in log
        ),
        artifacts=tuple(
            Artifact(type=a.type_, path=a.path, size_bytes=a.size_bytes, created_at=a.created_at)
            for a in artifacts
        ),
        usage=TaskUsage(
            input_tokens=_opt(usage.input_tokens),
            output_tokens=_opt(usage.output_tokens),
            total_tokens=_opt(usage.total_tokens),
            model_used=_opt(usage.model_used),
            duration_seconds=_opt(usage.duration_seconds),
            estimated_tokens=_opt(usage.estimated_tokens),
        ),
        cost=_opt(usage.total_cost) or 0.0,
    )


def agentic_task_from(r: g.AgenticTaskResponse) -> TaskResult:
    """``TaskResult`` from the generated ``/v1/task`` answer."""
    return task_result_from(r.task_id, r.status, r.result, r.execution_log, r.artifacts, r.usage)


def process_response_from(r: g.AIServiceResponse) -> ProcessResponse:
    """``ProcessResponse`` from the generated ``/v1/process`` answer."""
    m = r.metadata
    if not isinstance(m, g.ProcessMetadata):
        raise TypeError(f"expected process metadata, got {m!r}")
    u = _opt(m.usage)
    return ProcessResponse(
        content=r.content,
        model=r.model,
        provider=_opt(r.provider) or "",
        actual_model=_opt(m.actual_model),
        usage=None
        if u is None
        else Usage(
            input_tokens=u.input_tokens,
            output_tokens=u.output_tokens,
            total_tokens=u.total_tokens,
        ),
        cost=_opt(m.cost_usd) or 0.0,
        finish_reason=_opt(m.finish_reason),
        mapped_from=_opt(m.mapped_from),
    )


def providers_from(r: list[g.Provider]) -> ProviderList:
    """``ProviderList`` from the generated ``/v1/providers`` answer."""
    return ProviderList(
        providers=tuple(
            Provider(name=p.name, available=p.available, models=tuple(p.models)) for p in r
        )
    )


def provider_models_from(r: g.ProviderModels) -> ProviderModels:
    """``ProviderModels`` from the generated ``/v1/providers/{provider}/models`` answer."""
    models: dict[str, ModelInfo] = {}
    for name, info in r.models.additional_properties.items():
        models[name] = ModelInfo(
            max_tokens=info.max_tokens,
            context_window=info.context_window,
            supports_functions=info.supports_functions,
            supports_vision=info.supports_vision,
        )
    return ProviderModels(provider=r.provider, models=MappingProxyType(models))


def capabilities_from(r: g.CapabilitiesResponse) -> Capabilities:
    """``Capabilities`` from the generated ``/v1/capabilities`` answer."""
    return Capabilities(
        agents=tuple(
            Agent(name=a.name, description=a.description, tools=tuple(a.tools), model=a.model)
            for a in r.agents
        ),
        skills=tuple(
            Skill(name=s.name, description=s.description, command=s.command) for s in r.skills
        ),
    )


def readiness_from(r: g.ReadyResponse) -> Readiness:
    """``Readiness`` from the generated ``/ready`` answer."""
    return Readiness(ready=r.ready, reason=_opt(r.reason))


# Show the public names here as claude_client.X (the package adopts them; see its _adopt).
claude_client._adopt(__name__)
