"""The public value types, and the one place where generated models become public results.

Every result is a frozen attrs class with type validators: a field of the wrong type in a
server answer fails while it is converted here, and the client reports it as a
``MalformedResponseError`` instead of handing out a half-valid object.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
from attrs import validators as v
from claude_code_api import models as g
from claude_code_api.types import UNSET, Unset

import claude_client
from claude_client._model_choice import Model

# Re-exported: pickles of results made before ReadOnlyDict moved to _result_base name it here.
from claude_client._result_base import ReadOnlyDict as ReadOnlyDict
from claude_client._result_base import (
    _dataclass_compatible,
    _frozen_mapping,
    _frozen_mappings,
    _int,
    _mapping_repr,
    _opt_int,
    _opt_request_id,
    _opt_str,
    _ReadsAsDict,
    _Result,
    _str,
    _to_float,
    _to_opt_float,
)

__all__ = [
    "BatchResponse",
    "BatchResult",
    "BudgetStatus",
    "HealthStatus",
    "Message",
    "Model",
    "ModelUsage",
    "Response",
    "RouteRecommendation",
    "Usage",
    "UsageStats",
]


_MODEL_NAMES: Final[Mapping[Model, g.ModelName | Unset]] = {
    Model.HAIKU: g.ModelName.HAIKU,
    Model.SONNET: g.ModelName.SONNET,
    Model.OPUS: g.ModelName.OPUS,
    Model.AUTO: UNSET,
}


def model_name_for(model: Model | str) -> g.ModelName | Unset:
    """The generated request value for ``model``: ``UNSET`` (no model sent) for ``AUTO``.

    Raises:
        ValueError: ``model`` names no model.
    """
    return _MODEL_NAMES[Model.parse(model)]


# --- public types --------------------------------------------------------------------------


@_dataclass_compatible
@attrs.frozen
class Message(_Result):
    """One message of a conversation; plain ``{"role": ..., "content": ...}`` dicts work too.

    Attributes:
        role: ``"user"``, ``"assistant"`` or ``"system"`` (the service joins all messages as
            ``role: content`` paragraphs into one prompt).
        content: The message text.
    """

    role: str = attrs.field(validator=_str)
    content: str = attrs.field(validator=_str)


@_dataclass_compatible
@attrs.frozen
class Usage(_Result):
    """Token counts of one completion.

    Attributes:
        input_tokens: Tokens of the prompt.
        output_tokens: Tokens of the answer.
        total_tokens: Their sum.
    """

    input_tokens: int = attrs.field(validator=_int)
    output_tokens: int = attrs.field(validator=_int)
    total_tokens: int = attrs.field(validator=_int)


@_dataclass_compatible
@attrs.frozen
class Response(_Result):
    """The result of ``complete()``.

    Attributes:
        id: The task id (a UUID4).
        model: The model that ran (``"haiku"``, ``"sonnet"`` or ``"opus"``).
        content: The completion text.
        usage: Token counts.
        cost: Cost in USD.
        project_id: The project that was charged (always the API key's project).
        cached: Whether the answer came from the client's cache (nothing was sent; ``usage``
            is then all zeros and ``cost`` 0.0).
        saved_usage: On a cache hit, the token counts the call would have used, else ``None``.
        saved_cost: On a cache hit, the cost in USD the call would have had, else ``None``.
        request_id: The request's ``X-Request-ID`` (the service's echo, else the one the
            client sent; ``None`` when nothing was sent). Not compared by ``==``.
    """

    id: str = attrs.field(validator=_str)
    model: str = attrs.field(validator=_str)
    content: str = attrs.field(validator=_str)
    usage: Usage = attrs.field(validator=v.instance_of(Usage))
    cost: float = attrs.field(converter=_to_float)
    project_id: str = attrs.field(validator=_str)
    cached: bool = attrs.field(default=False, validator=v.instance_of(bool))
    saved_usage: Usage | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Usage))
    )
    saved_cost: float | None = attrs.field(default=None, converter=_to_opt_float)
    request_id: str | None = _opt_request_id


@_dataclass_compatible
@attrs.frozen
class BatchResult(_Result):
    """One prompt's outcome in a ``batch()`` answer.

    Attributes:
        id: The prompt's id (``"0"``, ``"1"``, ... unless given).
        prompt: The prompt as sent.
        status: ``"completed"`` or ``"failed"``.
        content: The completion text, ``None`` when failed.
        usage: Token counts, ``None`` when failed.
        cost: Cost in USD, ``None`` when failed.
        error: Why it failed (e.g. ``"Task timed out after 2.0 seconds"``), else ``None``.
        cached: Whether the answer came from the client's cache (not sent; ``usage`` is then
            all zeros and ``cost`` 0.0).
        saved_usage: On a cache hit, the token counts it would have used, else ``None``.
        saved_cost: On a cache hit, the cost in USD it would have had, else ``None``.
    """

    id: str | None = attrs.field(validator=_opt_str)
    prompt: str = attrs.field(validator=_str)
    status: str = attrs.field(validator=v.in_(("completed", "failed")))
    content: str | None = attrs.field(default=None, validator=_opt_str)
    usage: Usage | None = attrs.field(default=None, validator=v.optional(v.instance_of(Usage)))
    cost: float | None = attrs.field(default=None, converter=_to_opt_float)
    error: str | None = attrs.field(default=None, validator=_opt_str)
    cached: bool = attrs.field(default=False, validator=v.instance_of(bool))
    saved_usage: Usage | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(Usage))
    )
    saved_cost: float | None = attrs.field(default=None, converter=_to_opt_float)


@_dataclass_compatible
@attrs.frozen
class BatchResponse(_Result):
    """The result of ``batch()``: one ``BatchResult`` per prompt, in request order.

    Attributes:
        total: Number of prompts.
        completed: How many completed.
        failed: How many failed.
        results: The results, in request order.
        total_cost: Cost of the batch in USD.
        total_tokens: Tokens of the batch.
        request_id: The request's ``X-Request-ID`` (the service's echo, else the one the
            client sent; ``None`` when nothing was sent). Not compared by ``==``.
    """

    total: int = attrs.field(validator=_int)
    completed: int = attrs.field(validator=_int)
    failed: int = attrs.field(validator=_int)
    results: tuple[BatchResult, ...] = attrs.field(
        validator=v.deep_iterable(v.instance_of(BatchResult), v.instance_of(tuple))
    )
    total_cost: float = attrs.field(converter=_to_float)
    total_tokens: int = attrs.field(validator=_int)
    request_id: str | None = _opt_request_id


@_dataclass_compatible
@attrs.frozen
class ModelUsage(_Result, _ReadsAsDict):
    """Usage of one model within ``UsageStats.by_model``.

    Also readable as the seed client's dict: ``by_model["haiku"]["tokens"]``.

    Attributes:
        tokens: Tokens used.
        cost: Cost in USD.
    """

    tokens: int = attrs.field(validator=_int)
    cost: float = attrs.field(converter=_to_float)

    def _seed_dict(self) -> Mapping[str, Any]:
        return {"tokens": self.tokens, "cost": self.cost}


@_dataclass_compatible
@attrs.frozen
class UsageStats(_Result):
    """The result of ``get_usage()``: usage, cost and budget of the key's project.

    Attributes:
        project_id: The key's project.
        period: ``"month"``, ``"week"`` or ``"day"``.
        total_tokens: Tokens used in the period.
        total_cost: Cost in USD in the period.
        by_model: Usage per model name (a read-only dict; each value also reads as the seed's
            dict, ``by_model["haiku"]["tokens"]``).
        limit: The monthly token limit, ``None`` when the project has none.
        remaining: ``limit`` minus this month's tokens (can be negative), ``None`` without limit.
        request_id: The request's ``X-Request-ID`` (the service's echo, else the one the
            client sent; ``None`` when nothing was sent). Not compared by ``==``.
    """

    project_id: str = attrs.field(validator=_str)
    period: str = attrs.field(validator=_str)
    total_tokens: int = attrs.field(validator=_int)
    total_cost: float = attrs.field(converter=_to_float)
    by_model: Mapping[str, ModelUsage] = attrs.field(
        converter=_frozen_mapping,
        validator=v.deep_mapping(_str, v.instance_of(ModelUsage)),
        hash=False,
        repr=_mapping_repr,
    )
    limit: int | None = attrs.field(validator=_opt_int)
    remaining: int | None = attrs.field(validator=_opt_int)
    request_id: str | None = _opt_request_id


@_dataclass_compatible
@attrs.frozen
class BudgetStatus(_Result):
    """The project's budget as reported by ``route()``.

    Attributes:
        total_tokens: Tokens used this month.
        total_cost: Cost in USD this month.
        limit: The monthly token limit, ``None`` when the project has none.
        remaining: Tokens left (can be negative), ``None`` without limit.
    """

    total_tokens: int = attrs.field(validator=_int)
    total_cost: float = attrs.field(converter=_to_float)
    limit: int | None = attrs.field(validator=_opt_int)
    remaining: int | None = attrs.field(validator=_opt_int)


@_dataclass_compatible
@attrs.frozen
class RouteRecommendation(_Result):
    """The result of ``route()``: the model the service would pick, and why.

    Attributes:
        recommended_model: The recommended model (never ``Model.AUTO``).
        reasoning: The service's explanation, e.g. ``"Simple prompt with basic keywords → Haiku"``.
        budget_status: The project's budget.
        request_id: The request's ``X-Request-ID`` (the service's echo, else the one the
            client sent; ``None`` when nothing was sent). Not compared by ``==``.
    """

    recommended_model: Model = attrs.field(validator=v.instance_of(Model))
    reasoning: str = attrs.field(validator=_str)
    budget_status: BudgetStatus = attrs.field(validator=v.instance_of(BudgetStatus))
    request_id: str | None = _opt_request_id


#: Components generation 2 reports but runs without: it tries Redis once at startup and,
#: without it, says ``"degraded"`` with nothing else changed.
RUNS_WITHOUT = frozenset({"redis"})


@_dataclass_compatible
@attrs.frozen
class HealthStatus(_Result, _ReadsAsDict):
    """The result of ``health()``.

    Reads both generations of the service: generation 1 names each component's state as a
    string, generation 2 as an object with a ``status`` and a ``detail``. Also readable as the
    seed client's dict (the service's generation-1 JSON): ``health["status"]`` (``"ok"``
    whenever ``ok``, as generation 1 said),
    ``health.get("version")``, ``health["services"]["worker_pool"]``, and on generation 2
    ``health["uptime_seconds"]``.

    Attributes:
        status: The service's word: ``"ok"`` when the service is up; generation 2 says
            ``"degraded"`` whenever it runs without Redis (its normal setup): ``ok`` reads
            ``services`` for you.
        version: The service's version.
        services: State of each component, e.g. ``{"worker_pool": "running"}`` (generation 1)
            or ``{"worker_pool": "ok", "redis": "unavailable"}`` (generation 2) (read-only).
        details: Generation 2's detail of each component that has one, e.g. ``worker_pool``'s
            ``active_workers`` and ``queued_tasks`` (read-only; empty on generation 1).
        uptime_seconds: Seconds since the service started (``None`` on generation 1).
        request_id: The request's ``X-Request-ID`` (the service's echo, else the one the
            client sent; ``None`` when nothing was sent). Not compared by ``==``.
    """

    status: str = attrs.field(validator=_str)
    version: str = attrs.field(validator=_str)
    services: Mapping[str, str] = attrs.field(
        converter=_frozen_mapping,
        validator=v.deep_mapping(_str, _str),
        hash=False,
        repr=_mapping_repr,
    )
    details: Mapping[str, Mapping[str, Any]] = attrs.field(
        factory=dict,
        converter=_frozen_mappings,
        validator=v.deep_mapping(_str, v.instance_of(ReadOnlyDict)),
        hash=False,
        repr=_mapping_repr,
    )
    uptime_seconds: float | None = attrs.field(default=None, converter=_to_opt_float)
    request_id: str | None = _opt_request_id

    @property
    def ok(self) -> bool:
        """Whether the service is up and takes work: ``status == "ok"``, or generation 2's
        ``"degraded"`` when the only components not ``"ok"`` are ones it runs without.

        Generation 2 says ``"degraded"`` whenever Redis is absent, its normal setup, in which
        nothing else changes (service-behaviour.latest.md); ``status`` keeps the service's word.
        """
        if self.status == "ok":
            return True
        not_ok = {name for name, state in self.services.items() if state != "ok"}
        # Only a degradation the components explain, all of them optional, counts as up.
        return self.status == "degraded" and bool(not_ok) and not_ok <= RUNS_WITHOUT

    def _seed_dict(self) -> Mapping[str, Any]:
        # The seed read generation 1, which said "ok" where generation 2 says "degraded" only
        # for lack of Redis: its users' ``health["status"] == "ok"`` keeps its meaning.
        status = "ok" if self.ok else self.status
        seed: dict[str, Any] = {"status": status, "version": self.version}
        seed["services"] = self.services
        if self.uptime_seconds is not None:
            seed["uptime_seconds"] = self.uptime_seconds
        return seed


# --- arguments -> generated request models ------------------------------------------------


def check_text(text: str, what: str) -> str:
    """``text`` unchanged if it can be sent; else a `ValueError` naming ``what``.

    Every string the client sends is encoded as UTF-8, which a lone surrogate (``"\\ud800"``,
    from a JSON escape or a lenient decoder) cannot be. Checked before anything is sent, so
    that the call fails at once instead of mid-request (or mid-batch, after other requests).
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"{what} holds a lone surrogate {text[exc.start]!r} at position {exc.start}: "
            "not valid Unicode text, so it cannot be encoded as UTF-8 and sent"
        ) from None
    return text


def messages_for(prompt: str | Sequence[Message | Mapping[str, str]]) -> list[g.Message]:
    """The generated messages for a prompt string or a list of messages.

    Raises:
        TypeError: ``prompt`` is neither a string nor a sequence of messages / mappings.
        ValueError: a mapping lacks ``role`` or ``content``, the list is empty, or a text
            cannot be sent (see `check_text`).
    """
    if isinstance(prompt, str):
        return [g.Message(role="user", content=check_text(prompt, "prompt"))]
    if not isinstance(prompt, Sequence):
        raise TypeError(f"prompt must be a string or a list of messages, got {prompt!r}")
    if not prompt:
        raise ValueError("prompt is an empty list of messages")
    out: list[g.Message] = []
    for item in prompt:
        if isinstance(item, Message):
            role, content = item.role, item.content
        elif isinstance(item, Mapping):
            try:
                role, content = item["role"], item["content"]
            except KeyError as exc:
                raise ValueError(f"message {item!r} lacks {exc.args[0]!r}") from None
        else:
            raise TypeError(f"a message must be a Message or a mapping, got {item!r}")
        if not isinstance(role, str) or not isinstance(content, str):
            raise TypeError(f"message role and content must be strings, got {item!r}")
        where = f"message {len(out)}"
        check_text(role, f"{where} role")
        out.append(g.Message(role=role, content=check_text(content, f"{where} content")))
    return out


def batch_prompts_for(prompts: Sequence[str | tuple[str, str]]) -> list[g.BatchPrompt]:
    """The generated batch prompts: strings get ids ``"0"``..``"n-1"``, pairs are (id, prompt).

    Raises:
        TypeError: ``prompts`` is a string, or an item is neither a string nor an (id, prompt).
        ValueError: ``prompts`` is empty, or an id or prompt cannot be sent (see `check_text`).
    """
    if isinstance(prompts, str) or not isinstance(prompts, Sequence):
        raise TypeError("prompts must be a list of strings or (id, prompt) pairs")
    if not prompts:
        raise ValueError("batch() needs at least one prompt")
    out = []
    for index, item in enumerate(prompts):
        if isinstance(item, str):
            item_id, text = str(index), item
        elif (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], str)
        ):
            item_id, text = item
        else:
            raise TypeError(f"prompt {index} must be a string or an (id, prompt) pair: {item!r}")
        check_text(item_id, f"the id of prompt {index}")
        out.append(g.BatchPrompt(prompt=check_text(text, f"prompt {index}"), id=item_id))
    return out


# --- generated response models -> public results (the only conversion) -----------------


def _usage(u: g.Usage) -> Usage:
    return Usage(
        input_tokens=u.input_tokens, output_tokens=u.output_tokens, total_tokens=u.total_tokens
    )


def _generated(value: object, cls: type[Any]) -> None:
    if not isinstance(value, cls):
        raise TypeError(f"expected a {cls.__name__} object, got {value!r}")


def response_from(r: g.ChatCompletionResponse) -> Response:
    """``Response`` from the generated chat completion answer."""
    _generated(r.usage, g.Usage)
    return Response(
        id=r.id,
        model=r.model,
        content=r.content,
        usage=_usage(r.usage),
        cost=r.cost,
        project_id=r.project_id,
    )


def _batch_result(r: g.BatchResult) -> BatchResult:
    if r.usage is not None:
        _generated(r.usage, g.Usage)
    return BatchResult(
        id=r.id,
        prompt=r.prompt,
        status=r.status.value,
        content=r.content,
        usage=None if r.usage is None else _usage(r.usage),
        cost=r.cost,
        error=r.error,
    )


def batch_response_from(r: g.BatchResponse) -> BatchResponse:
    """``BatchResponse`` from the generated batch answer."""
    return BatchResponse(
        total=r.total,
        completed=r.completed,
        failed=r.failed,
        results=tuple(_batch_result(item) for item in r.results),
        total_cost=r.total_cost,
        total_tokens=r.total_tokens,
    )


def merged_batch(answers: Sequence[BatchResponse]) -> BatchResponse:
    """One ``BatchResponse`` from the answers of consecutive requests, in their order."""
    if len(answers) == 1:
        return answers[0]
    return BatchResponse(
        total=sum(a.total for a in answers),
        completed=sum(a.completed for a in answers),
        failed=sum(a.failed for a in answers),
        results=tuple(result for a in answers for result in a.results),
        total_cost=math.fsum(a.total_cost for a in answers),
        total_tokens=sum(a.total_tokens for a in answers),
    )


def usage_stats_from(r: g.UsageResponse) -> UsageStats:
    """``UsageStats`` from the generated usage answer."""
    return UsageStats(
        project_id=r.project_id,
        period=r.period.value,
        total_tokens=r.total_tokens,
        total_cost=r.total_cost,
        by_model={
            name: ModelUsage(tokens=u.tokens, cost=u.cost)
            for name, u in r.by_model.additional_properties.items()
        },
        limit=r.limit,
        remaining=r.remaining,
    )


def route_from(r: g.RouteResponse) -> RouteRecommendation:
    """``RouteRecommendation`` from the generated route answer."""
    b = r.budget_status
    return RouteRecommendation(
        recommended_model=Model(r.recommended_model.value),
        reasoning=r.reasoning,
        budget_status=BudgetStatus(
            total_tokens=b.total_tokens,
            total_cost=b.total_cost,
            limit=b.limit,
            remaining=b.remaining,
        ),
    )


def health_from(r: g.HealthResponse) -> HealthStatus:
    """``HealthStatus`` from the generated health answer, of either generation."""
    services: dict[str, str] = {}
    details: dict[str, Mapping[str, Any]] = {}
    for name, state in r.services.additional_properties.items():
        if isinstance(state, g.ServiceHealth):
            services[name] = state.status
            if isinstance(state.detail, g.ServiceHealthDetailType0):
                details[name] = state.detail.additional_properties
        else:
            services[name] = state
    uptime = None if isinstance(r.uptime_seconds, Unset) else r.uptime_seconds
    return HealthStatus(
        status=r.status,
        version=r.version,
        services=services,
        details=details,
        uptime_seconds=uptime,
    )


# Show the public names here as claude_client.X (the package adopts them; see its _adopt).
claude_client._adopt(__name__)
