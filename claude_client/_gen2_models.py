"""Generation 2's operations: their public results, their argument checks, their conversions.

The rule of ``_models`` holds here: every result is a frozen attrs class with type validators,
built once from the generated answer, so a field of the wrong type fails while it is converted
(``MalformedResponseError``) instead of reaching the caller. Arguments are checked before any
request, including the strings generation 2 pastes into a shell command line.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, TypedDict, Unpack

import attrs
from attrs import validators as v
from claude_code_api import models as g
from claude_code_api.types import UNSET, Unset

import claude_client
from claude_client._models import (
    Message,
    Model,
    Usage,
    _dataclass_compatible,
    _frozen_mapping,
    _int,
    _mapping_repr,
    _opt_int,
    _Result,
    _to_float,
    _to_opt_float,
    check_text,
    messages_for,
    model_name_for,
)

__all__ = [
    "Agent",
    "Artifact",
    "Capabilities",
    "ExecutionStep",
    "ModelInfo",
    "ProcessOptions",
    "ProcessResponse",
    "Provider",
    "ProviderList",
    "ProviderModels",
    "Readiness",
    "Skill",
    "StreamTaskOptions",
    "TaskOptions",
    "TaskResult",
    "TaskStatus",
    "TaskUsage",
]

_str = v.instance_of(str)
_opt_str = v.optional(_str)
_bool = v.instance_of(bool)
_strs = v.deep_iterable(_str, v.instance_of(tuple))
_opt_request_id = attrs.field(default=None, validator=_opt_str, kw_only=True, eq=False)

#: The service's limits of a task (``/v1/task`` answers 500 over them, after the permission
#: profile's own limits, which are lower: 403).
MAX_TASK_SECONDS: Final = 600
MAX_TASK_COST: Final = 10.0
#: What generation 2 uses when a task names no timeout.
DEFAULT_TASK_SECONDS: Final = 300
#: How much longer than the server the client waits for a task: the service waits up to
#: ``timeout`` + 10 s for its worker pool, then answers.
TASK_WAIT_MARGIN: Final = 20.0
#: ``/v1/process`` runs the CLI for ``max(30, max_tokens / 10)`` s and answers 2 s after it.
PROCESS_MIN_SECONDS: Final = 30.0
PROCESS_DEFAULT_MAX_TOKENS: Final = 1000


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


# --- arguments -> generated request models ---------------------------------------------------

#: Characters no POSIX shell gives a meaning to outside quotes. Generation 2 builds its CLI
#: command as a shell string and pastes ``allowed_tools`` into it unescaped (and runs in
#: ``working_directory``), so anything else could run commands on the service's machine.
_SHELL_INERT: Final = re.compile(r"[A-Za-z0-9_./@+=:%-]+")


def check_shell_inert(value: str, what: str, *, allow_comma: bool = False) -> str:
    """``value`` if a shell would read it as one plain word; else a ``ValueError`` saying why.

    Raises:
        TypeError: ``value`` is not a string.
        ValueError: it is empty, starts with ``-``, or holds a character a shell interprets.
    """
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, got {value!r}")
    if not value:
        raise ValueError(f"{what} must not be empty")
    for char in value:
        if not (_SHELL_INERT.fullmatch(char) or (allow_comma and char == ",")):
            raise ValueError(
                f"{what} {value!r} holds {char!r}, which a shell would interpret: the service "
                "(generation 2) pastes it into a shell command line unquoted, so it could run "
                "commands there. Use plain names and paths (letters, digits, _ . / @ + = : % -)"
            )
    if value.startswith("-"):
        raise ValueError(f"{what} {value!r} starts with '-', which the CLI would read as a flag")
    return value


def tool_names(tools: Sequence[str] | None, what: str) -> list[str] | Unset:
    """The checked tool names to send, ``UNSET`` for none.

    Raises:
        TypeError: ``tools`` is a string or not a sequence of strings.
        ValueError: a name a shell would interpret (see ``check_shell_inert``).
    """
    if tools is None:
        return UNSET
    if isinstance(tools, str) or not isinstance(tools, Sequence):
        raise TypeError(f"{what} must be a list of names, got {tools!r}")
    return [check_shell_inert(name, f"{what}[{i}]") for i, name in enumerate(tools)]


def _names(names: Sequence[str] | None, what: str) -> list[str] | Unset:
    if names is None:
        return UNSET
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise TypeError(f"{what} must be a list of names, got {names!r}")
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"{what} must hold strings, got {name!r}")
        check_text(name, what)
    return list(names)


def task_seconds(timeout: int | None) -> int | None:
    """A task's server-side limit, checked (whole seconds, 1 to 600), or ``None``.

    Raises:
        TypeError: not an integer (the service refuses fractions).
        ValueError: outside 1..600.
    """
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, int):
        raise TypeError(f"timeout must be whole seconds (an int), got {timeout!r}")
    if not 1 <= timeout <= MAX_TASK_SECONDS:
        raise ValueError(
            f"timeout must be between 1 and {MAX_TASK_SECONDS} seconds (the service's limits; "
            f"the key's permission profile may allow less), got {timeout}"
        )
    return timeout


def task_wait(timeout: int | None) -> float:
    """How long the client waits for a task's answer: longer than the service can take."""
    return float(DEFAULT_TASK_SECONDS if timeout is None else timeout) + TASK_WAIT_MARGIN


def _max_cost(max_cost: float | None) -> float | Unset:
    if max_cost is None:
        return UNSET
    if isinstance(max_cost, bool) or not isinstance(max_cost, int | float):
        raise TypeError(f"max_cost must be a number of USD, got {max_cost!r}")
    if not (math.isfinite(max_cost) and 0 < max_cost <= MAX_TASK_COST):
        raise ValueError(
            f"max_cost must be above 0 and at most {MAX_TASK_COST:g} USD (the service's "
            f"limit; the key's permission profile may allow less), got {max_cost!r}"
        )
    return float(max_cost)


def _description(description: str) -> str:
    if not isinstance(description, str):
        raise TypeError(f"description must be a string, got {description!r}")
    if not description.strip():
        raise ValueError("description must not be empty (the service fails such a task)")
    return check_text(description, "description")


def _project(project_id: str) -> str:
    if not isinstance(project_id, str):
        raise TypeError(f"project_id must be a string, got {project_id!r}")
    if not project_id:
        raise ValueError("project_id must not be empty")
    return check_text(project_id, "project_id")


class StreamTaskOptions(TypedDict, total=False):
    """Keyword options of ``stream_task()`` (and of ``execute_task()``).

    - ``allow_tools``: tools the task may use, e.g. ``["Read", "Grep"]`` (plain names only).
    - ``allow_agents``, ``allow_skills``: agents and skills it may use (see ``capabilities()``).
    - ``timeout``: its limit in whole seconds (1 to 600, and the key's profile's); default the
      service's 300 (a ``free`` profile allows 60: name one). The client waits 20 s longer.
    - ``max_cost``: its cost limit in USD (up to 10, and the profile's); default 1.0.
    """

    allow_tools: Sequence[str] | None
    allow_agents: Sequence[str] | None
    allow_skills: Sequence[str] | None
    timeout: int | None
    max_cost: float | None


class TaskOptions(StreamTaskOptions, total=False):
    """Keyword options of ``execute_task()``: those of ``StreamTaskOptions``, and

    - ``working_directory``: the directory named to the task (a plain path).
    - ``model``: a ``Model`` or name; ``Model.AUTO`` (default) lets the service choose.
    - ``project_id``: the project checked and charged; default the key's own (the service
      would charge ``"default"``).
    """

    working_directory: str | None
    model: Model | str
    project_id: str | None


class ProcessOptions(TypedDict, total=False):
    """Keyword options of ``process()``: at least one message in some form.

    - ``messages``: the conversation (roles system, user, assistant, tool).
    - ``system_message``, ``user_message``, ``content``: texts.
    - ``max_tokens``: answer size; also sets the service's CLI limit, ``max(30,
      max_tokens / 10)`` s (default 1000: 100 s). The client waits 20 s longer.
    - ``temperature``: sampling temperature.
    - ``use_cli``: run the Claude CLI; without it the service uses its Anthropic SDK path,
      which fails (500) when the service has no API key.
    - ``project_id``: the project checked and charged; default the key's own.
    """

    messages: str | Sequence[Message | Mapping[str, str]] | None
    system_message: str | None
    user_message: str | None
    content: str | None
    max_tokens: int | None
    temperature: float | None
    use_cli: bool
    project_id: str | None


@attrs.frozen
class TaskArgs:
    """``execute_task()``'s and ``stream_task()``'s arguments, checked (no I/O)."""

    description: str
    allow_tools: list[str] | Unset
    allow_agents: list[str] | Unset
    allow_skills: list[str] | Unset
    working_directory: str | Unset
    timeout: int | None
    max_cost: float | Unset
    model: g.ModelName | Unset
    project_id: str | None

    def shared(self) -> dict[str, Any]:
        """The fields ``/v1/task`` and the WebSocket's ``agentic_task`` message share."""
        return {
            "description": self.description,
            "allow_tools": self.allow_tools,
            "allow_agents": self.allow_agents,
            "allow_skills": self.allow_skills,
            "timeout": UNSET if self.timeout is None else self.timeout,
            "max_cost": self.max_cost,
        }

    def request(self, project_id: str) -> g.AgenticTaskRequest:
        """The ``/v1/task`` body, billed to ``project_id``."""
        return g.AgenticTaskRequest(
            **self.shared(),
            working_directory=self.working_directory,
            model=self.model,
            project_id=_project(project_id),
        )


def task_args(description: str, **options: Unpack[TaskOptions]) -> TaskArgs:
    """Check a task's arguments before anything is sent.

    Raises:
        ValueError: empty description, unknown model, a value out of the service's limits, or
            a tool name or working directory a shell would interpret.
        TypeError: an argument of the wrong type, or an unknown option.
    """
    unknown = options.keys() - TaskOptions.__optional_keys__
    if unknown:
        raise TypeError(f"unknown task option(s): {', '.join(sorted(unknown))}")
    directory = options.get("working_directory")
    project_id = options.get("project_id")
    return TaskArgs(
        description=_description(description),
        allow_tools=tool_names(options.get("allow_tools"), "allow_tools"),
        allow_agents=_names(options.get("allow_agents"), "allow_agents"),
        allow_skills=_names(options.get("allow_skills"), "allow_skills"),
        working_directory=(
            UNSET if directory is None else check_shell_inert(directory, "working_directory")
        ),
        timeout=task_seconds(options.get("timeout")),
        max_cost=_max_cost(options.get("max_cost")),
        model=model_name_for(options.get("model", Model.AUTO)),
        project_id=None if project_id is None else _project(project_id),
    )


@attrs.frozen
class ProcessArgs:
    """``process()``'s arguments, checked (no I/O)."""

    body: g.ProcessRequest
    wait: float
    project_id: str | None

    def request(self, project_id: str) -> g.ProcessRequest:
        """The ``/v1/process`` body, billed to ``project_id``."""
        body = attrs.evolve(self.body, project_id=_project(project_id))
        body.additional_properties = {}
        return body


def _opt_message(value: str | None, what: str) -> str | Unset:
    if value is None:
        return UNSET
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, got {value!r}")
    return check_text(value, what)


def _process_messages(
    messages: str | Sequence[Message | Mapping[str, str]] | None,
) -> list[g.ProcessMessage] | Unset:
    if messages is None:
        return UNSET
    out = []
    for m in messages_for(messages):
        try:
            role = g.MessageRole(m.role)
        except ValueError:
            roles = ", ".join(r.value for r in g.MessageRole)
            raise ValueError(f"message role {m.role!r} is not one of {roles}") from None
        out.append(g.ProcessMessage(role=role, content=m.content))
    return out


def process_args(provider: str, model_name: str, **options: Unpack[ProcessOptions]) -> ProcessArgs:
    """Check ``process()``'s arguments before anything is sent.

    Raises:
        ValueError: no message in any form, an empty provider or model name, a bad number.
        TypeError: an argument of the wrong type, or an unknown option.
    """
    unknown = options.keys() - ProcessOptions.__optional_keys__
    if unknown:
        raise TypeError(f"unknown process() option(s): {', '.join(sorted(unknown))}")
    for name, value in (("provider", provider), ("model_name", model_name)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {value!r}")
        if not value:
            raise ValueError(f"{name} must not be empty")
        check_text(value, name)
    max_tokens = options.get("max_tokens")
    if max_tokens is not None and (
        isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1
    ):
        raise ValueError(f"max_tokens must be a positive integer or None, got {max_tokens!r}")
    temperature = options.get("temperature")
    if temperature is not None and (
        isinstance(temperature, bool)
        or not isinstance(temperature, int | float)
        or not math.isfinite(temperature)
    ):
        raise ValueError(f"temperature must be a finite number or None, got {temperature!r}")
    use_cli = options.get("use_cli", False)
    if not isinstance(use_cli, bool):
        raise TypeError(f"use_cli must be True or False, got {use_cli!r}")
    body = g.ProcessRequest(
        provider=provider,
        model_name=model_name,
        messages=_process_messages(options.get("messages")),
        system_message=_opt_message(options.get("system_message"), "system_message"),
        user_message=_opt_message(options.get("user_message"), "user_message"),
        content=_opt_message(options.get("content"), "content"),
        max_tokens=PROCESS_DEFAULT_MAX_TOKENS if max_tokens is None else max_tokens,
        temperature=UNSET if temperature is None else float(temperature),
        use_cli=use_cli,
    )
    sent = (body.messages, body.user_message, body.content)
    if not any(value for value in sent if not isinstance(value, Unset)):
        raise ValueError(
            "process() needs a message: messages=, user_message= or content= "
            "(the service answers 400 'No messages provided', or fails a system prompt alone)"
        )
    cli_seconds = max(PROCESS_MIN_SECONDS, (body.max_tokens or PROCESS_DEFAULT_MAX_TOKENS) / 10)
    project_id = options.get("project_id")
    return ProcessArgs(
        body=body,
        wait=cli_seconds + TASK_WAIT_MARGIN,
        project_id=None if project_id is None else _project(project_id),
    )


def provider_name(provider: str) -> str:
    """A provider name that can go into a URL path as one segment.

    Raises:
        TypeError: not a string.
        ValueError: empty, or holding ``/`` (it would name another path).
    """
    if not isinstance(provider, str):
        raise TypeError(f"provider must be a string, got {provider!r}")
    if not provider or "/" in provider or provider in (".", ".."):
        raise ValueError(f"provider must be one name (no '/'), got {provider!r}")
    return check_text(provider, "provider")


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
