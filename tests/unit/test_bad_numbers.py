"""Issue 14 item 10: a non-finite or negative token count or cost in an answer is a
``MalformedResponseError`` (REST answers and stream frames), and a spend cap never loosens on
such numbers. Before the fix a ``NaN`` cost switched ``max_cost`` off: all 100 prompts ran
instead of about 10.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest
import respx

from claude_client import MalformedResponseError, StreamError
from claude_client._streaming import parse_frame
from tests.unit.conftest import BATCH_BODY, CHAT, CHAT_BODY, USAGE_BODY, Factory

BAD_NUMBERS = [float("nan"), float("inf"), float("-inf"), -1]


def _with(body: dict[str, Any], path: tuple[str | int, ...], value: object) -> bytes:
    changed = copy.deepcopy(body)
    target: Any = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return json.dumps(changed).encode()  # json writes NaN and Infinity as Python reads them


@pytest.mark.parametrize("bad", BAD_NUMBERS)
@pytest.mark.parametrize(
    ("method", "route", "body", "path"),
    [
        ("complete", CHAT, CHAT_BODY, ("cost",)),
        ("complete", CHAT, CHAT_BODY, ("usage", "output_tokens")),
        ("batch", "/v1/batch", BATCH_BODY, ("total_cost",)),
        ("batch", "/v1/batch", BATCH_BODY, ("results", 0, "cost")),
        ("batch", "/v1/batch", BATCH_BODY, ("results", 0, "usage", "input_tokens")),
        ("get_usage", "/v1/usage", USAGE_BODY, ("total_cost",)),
        ("get_usage", "/v1/usage", USAGE_BODY, ("by_model", "haiku", "cost")),
        ("get_usage", "/v1/usage", USAGE_BODY, ("total_tokens",)),
    ],
)
async def test_a_bad_count_or_cost_in_an_answer_is_malformed(
    make: Factory,
    service: respx.MockRouter,
    bad: float,
    method: str,
    route: str,
    body: dict[str, Any],
    path: tuple[str | int, ...],
) -> None:
    tokens = str(path[-1]).endswith("tokens")
    value = int(bad) if bad == -1 and tokens else bad
    service.route(path=route).respond(200, content=_with(body, path, value))
    argument = ["a", "b"] if method == "batch" else "month" if method == "get_usage" else "hi"
    with pytest.raises(MalformedResponseError, match=r"finite|>= 0|integer"):
        await getattr(make(), method)(argument)


def test_a_negative_remaining_budget_is_still_read() -> None:
    assert USAGE_BODY["remaining"] < 0  # the service answers that for an overspent project


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "-0.5"])
@pytest.mark.parametrize("field", ["cost", "usage"])
def test_a_done_frame_with_a_bad_number_is_malformed(bad: str, field: str) -> None:
    usage = '{"input_tokens":1,"output_tokens":2,"total_tokens":3}'
    if field == "usage":
        usage = usage.replace(":2", ":-2")
        bad = "0.1"
    frame = f'{{"type":"done","usage":{usage},"cost":{bad},"model":"haiku"}}'
    with pytest.raises(MalformedResponseError) as info:
        parse_frame(frame)
    assert isinstance(info.value, StreamError)  # still what a broken stream raises


async def test_a_spend_cap_holds_when_every_answer_costs_nan(
    make: Factory, service: respx.MockRouter
) -> None:
    sent: list[str] = []

    def batch(request: httpx.Request) -> httpx.Response:
        prompts = json.loads(request.content)["prompts"]
        sent.extend(p["id"] for p in prompts)
        results = [
            {**BATCH_BODY["results"][0], "id": p["id"], "prompt": p["prompt"], "cost": "NaN"}
            for p in prompts
        ]
        answer = {**BATCH_BODY, "total": len(prompts), "completed": len(prompts), "failed": 0}
        body = json.dumps({**answer, "results": results, "total_cost": float("nan")})
        return httpx.Response(200, content=body.replace('"NaN"', "NaN"))

    service.get("/v1/usage").respond(200, json={**USAGE_BODY, "limit": None, "remaining": None})
    service.post("/v1/batch").mock(side_effect=batch)
    # haiku with 256 output tokens allowed: about $0.00032 a prompt, so about 10 fit in $0.0033
    result = await make().run_batch(
        [f"q {i}" for i in range(100)], model="haiku", chunk_size=1, concurrency=1, max_cost=0.0033
    )
    assert 0 < len(sent) <= 11, len(sent)
    assert result.skipped == 100 - len(sent)
