"""Request ids: every call sends one ``X-Request-ID``, the same on each retry; results and
errors carry the service's echo, or the client's own id where the service sends none."""

from __future__ import annotations

import logging
import os
import uuid

import httpx
import pytest
import respx

from claude_client import APIConnectionError, BudgetExceededError, MalformedResponseError
from claude_client._logging import FIELDS
from claude_client._retry_transport import new_request_id
from tests.unit.conftest import BUDGET_EXCEEDED, CHAT, CHAT_BODY, USAGE_BODY, Caller

HEADER = "X-Request-ID"


def ids_sent(route: respx.Route) -> list[str]:
    return [call.request.headers[HEADER] for call in route.calls]


async def test_one_id_for_every_retry_of_a_call_and_the_result_carries_it(
    client: Caller, service: respx.MockRouter
) -> None:
    route = service.get("/v1/usage").mock(
        side_effect=[httpx.Response(503), httpx.Response(502), httpx.Response(200, json=USAGE_BODY)]
    )
    usage = await client.get_usage()
    sent = ids_sent(route)
    assert len(sent) == 3 and len(set(sent)) == 1
    parsed = uuid.UUID(sent[0])  # a uuid4 string, like the service's own
    assert (str(parsed), parsed.version) == (sent[0], 4)
    assert usage.request_id == sent[0]  # generation 1 echoes nothing: ours


async def test_each_call_has_its_own_id(client: Caller, service: respx.MockRouter) -> None:
    route = service.get("/v1/usage").mock(return_value=httpx.Response(200, json=USAGE_BODY))
    await client.get_usage()
    await client.get_usage()
    first, second = ids_sent(route)
    assert first != second


async def test_the_services_echo_is_the_results_id(
    client: Caller, service: respx.MockRouter
) -> None:
    service.post(CHAT).mock(
        return_value=httpx.Response(200, json=CHAT_BODY, headers={HEADER: "svc-id-1"})
    )
    assert (await client.complete("hi")).request_id == "svc-id-1"


async def test_errors_carry_the_id(client: Caller, service: respx.MockRouter) -> None:
    route = service.post(CHAT).mock(
        return_value=httpx.Response(429, json=BUDGET_EXCEEDED, headers={HEADER: "svc-id-2"})
    )
    with pytest.raises(BudgetExceededError) as info:
        await client.complete("hi")
    assert info.value.request_id == "svc-id-2"
    service.post(CHAT).mock(return_value=httpx.Response(200, text="<html>"))
    with pytest.raises(MalformedResponseError) as malformed:
        await client.complete("hi")
    assert malformed.value.request_id == ids_sent(route)[-1]


async def test_a_connection_failure_carries_the_id_sent(
    client: Caller, service: respx.MockRouter
) -> None:
    route = service.get("/health").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as info:
        await client.health()
    assert info.value.request_id == ids_sent(route)[0]


async def test_the_log_records_name_the_id(
    client: Caller, service: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    route = service.get("/v1/usage").mock(return_value=httpx.Response(200, json=USAGE_BODY))
    with caplog.at_level(logging.DEBUG, logger="claude_client"):
        await client.get_usage()
    (sent,) = ids_sent(route)
    # Each record names it, in its structured fields and in its text.
    assert [getattr(r, FIELDS)["request_id"] for r in caplog.records] == [sent, sent]
    assert all(f"request_id={sent}" in r.getMessage() for r in caplog.records)


def test_a_new_id_is_a_uuid4_string_with_its_fixed_bits_and_random_ones() -> None:
    made = [new_request_id() for _ in range(2000)]
    assert len(set(made)) == len(made)
    parsed = [uuid.UUID(text) for text in made]
    assert {(str(p) == t, p.version, p.variant) for p, t in zip(parsed, made, strict=True)} == {
        (True, 4, uuid.RFC_4122)
    }
    # Every other bit is random: each one is 1 in some ids and 0 in others.
    all_bits = (1 << 128) - 1
    set_somewhere = clear_somewhere = 0
    for p in parsed:
        set_somewhere |= p.int
        clear_somewhere |= ~p.int & all_bits
    fixed = (0xF << 76) | (0x3 << 62)
    assert set_somewhere & clear_somewhere == all_bits & ~fixed


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")
def test_a_forked_child_never_sends_its_parents_next_ids() -> None:
    new_request_id()  # the parent now holds ids made ahead
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next ids, then out at once
        os.write(write, " ".join(new_request_id() for _ in range(3)).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        childs = pipe.read().split()
    os.waitpid(pid, 0)
    parents = [new_request_id() for _ in range(300)]
    assert len(childs) == 3 and not set(childs) & set(parents)
