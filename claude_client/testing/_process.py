"""Generation 2's ``POST /v1/process``: the "AI services" compatible completion.

The request names a provider and a model of any vendor; the model is mapped onto haiku,
sonnet or opus by substring. Checks in the service's order: no messages (400), streaming or
async asked (501), budget of the body's ``project_id`` (403, not the chat's 429), then the
SDK path (fails offline, as observed without an API key) or, with ``use_cli``, the worker
pool with a CLI timeout of ``max(30, max_tokens / 10)`` seconds (504 when it runs out).
Usage is charged to the body's ``project_id``; a null one fails after the run (a plain-text
500, as the service's usage insert does).
"""

from __future__ import annotations

from typing import Any, Final

from claude_client.testing._http import HTTPError
from claude_client.testing._state import ServiceState
from claude_client.testing._tasks import TaskRunner

_SDK_FAILURE: Final = (
    'SDK completion failed: Direct completion error: "Could not resolve authentication method. '
    "Expected one of api_key, auth_token, or credentials to be set. Or for the `Authorization` "
    'header to be explicitly omitted"'
)
_PREFIXES: Final = {"system": "System", "user": "User", "assistant": "Assistant"}
#: (substrings, model): the first row with a substring of the lower-cased name wins.
_MAPPING: Final = (
    (("haiku",), "haiku"),
    (("opus",), "opus"),
    (("sonnet", "claude"), "sonnet"),
    (("gpt-3.5", "mini", "nano"), "haiku"),
    (("gpt-4-turbo", "gpt-4o", "o1"), "opus"),
    (("gpt-4", "gpt-5"), "sonnet"),
)


def map_model(model_name: str) -> str:
    """The Claude model a vendor's model name runs on.

    Every ``gemini`` name contains "mini", so all of them map to haiku, as observed.
    """
    lowered = model_name.lower()
    for needles, model in _MAPPING:
        if any(needle in lowered for needle in needles):
            return model
    return "sonnet"


def _messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    if body["messages"]:
        return [{"role": m["role"], "content": m["content"]} for m in body["messages"]]
    messages: list[dict[str, Any]] = []
    if body["system_message"]:
        messages.append({"role": "system", "content": body["system_message"]})
    content = body["content"]
    if body["user_message"]:
        messages.append({"role": "user", "content": body["user_message"]})
    elif isinstance(content, str) and content:
        messages.append({"role": "user", "content": content})
    elif isinstance(content, list) and content:
        # part.get() on a non-object part raises, as in the service: a plain-text 500.
        texts = [p.get("text", p.get("content", "")) for p in content if p.get("type") == "text"]
        messages.append({"role": "user", "content": " ".join(texts)})
    return messages


def _prompt(messages: list[dict[str, Any]]) -> str:
    parts = [f"{_PREFIXES[m['role']]}: {m['content']}" for m in messages if m["role"] in _PREFIXES]
    return "\n\n".join(parts)


async def process(
    body: dict[str, Any], state: ServiceState, runner: TaskRunner, timeout_floor: float
) -> dict[str, Any]:
    """Answer one validated ``ProcessRequest`` (``HTTPError`` for the error statuses)."""
    model = map_model(body["model_name"])
    messages = _messages(body)
    if not messages:
        raise HTTPError(400, "No messages provided")
    if body["additional_params"] and body["additional_params"].get("stream", False):
        detail = "Streaming via /v1/process not yet implemented. Use /v1/stream WebSocket instead."
        raise HTTPError(501, detail)
    if body["async_processing"]:
        raise HTTPError(501, "Async processing not yet implemented")
    prompt = _prompt(messages)
    project: str | None = body["project_id"]
    if project is not None and not state.within_budget(project, len(prompt.split()) * 2):
        raise HTTPError(403, f"Budget exceeded for project {project}")
    if not body["use_cli"]:
        if not any(m["role"] in ("user", "assistant") for m in messages):
            raise HTTPError(500, "SDK completion failed: No user or assistant messages provided")
        raise HTTPError(500, _SDK_FAILURE)
    timeout = max(timeout_floor, (body["max_tokens"] or 1000) / 10)
    run = await runner.run(prompt, model, timeout)
    if run.timed_out:
        raise HTTPError(504, f"Task timeout: {run.error}")
    if not run.completed:
        raise HTTPError(500, f"Task failed: {run.error}")
    if project is None:
        raise RuntimeError("NOT NULL constraint failed: usage_log.project_id")
    state.track_usage(project, model, run.total_tokens, run.cost)
    return {
        "content": run.text,
        "model": body["model_name"],
        "provider": body["provider"],
        "metadata": {
            "actual_model": model,
            "usage": run.usage(),
            "cost_usd": run.cost,
            "processing_time": 0,
            "finish_reason": "stop",
            "mapped_from": f"{body['provider']}:{body['model_name']} → claudecode:{model}",
        },
    }
