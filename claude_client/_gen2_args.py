"""Generation 2's arguments, checked, and the request bodies built from them.

Arguments are checked before any request, including the strings generation 2 pastes into a
shell command line (``check_shell_inert``): bad input is a typed error before anything is sent.
The results those requests answer with live in ``_gen2_models``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, TypedDict, Unpack

import attrs
from claude_code_api import models as g
from claude_code_api.types import UNSET, Unset

from claude_client._models import Message, Model, check_text, messages_for, model_name_for

__all__ = ["ProcessOptions", "StreamTaskOptions", "TaskOptions"]

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
