"""Issue 14 item 5: a client used before ``os.fork()`` and then in the child (multiprocessing's
fork start method, gunicorn ``--preload``) never shares a pooled connection with its parent.

Before the fix parent and child wrote their requests on the same kept-alive socket and read
each other's answers (5 of 20 rounds swapped). Each round here: the parent makes a call (its
connection goes back to the pool), forks, and both call at once with their own prompt; each
checks that the answer is to its own prompt.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection

import httpx
import pytest

from claude_client import ClaudeClient, Model, _fork
from claude_client.testing import ServiceDouble

ROUNDS = 50


def _own_answer(client: ClaudeClient, prompt: str) -> str:
    """``"ok"`` if the answer is to ``prompt``, ``"swapped"`` if to another, else the error."""
    try:
        content = client.complete(prompt, model=Model.HAIKU).content
    except Exception as exc:  # reported to the test, which fails on it
        return f"{type(exc).__name__}: {exc}"
    return "ok" if prompt in content else "swapped"


def _child(client: ClaudeClient, prompt: str, report: Connection) -> None:
    report.send(_own_answer(client, prompt))
    report.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")
def test_a_forked_child_never_shares_the_parents_connections() -> None:
    context = multiprocessing.get_context("fork")
    outcomes: list[str] = []
    with (
        ServiceDouble(rate_limit=10 * ROUNDS) as double,  # 3 calls a round within one minute
        ClaudeClient(base_url=double.base_url, api_key=double.api_key) as client,
    ):
        for n in range(ROUNDS):
            # The answer's connection, kept alive, goes back to the pool.
            outcomes.append(_own_answer(client, f"warm {n}"))
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(client, f"child prompt {n}", send))
            child.start()
            send.close()
            outcomes.append(_own_answer(client, f"parent prompt {n}"))
            outcomes.append(receive.recv() if receive.poll(30) else "no report from the child")
            child.join(30)
            if child.is_alive():
                child.kill()
            receive.close()
    failed = [outcome for outcome in outcomes if outcome != "ok"]
    assert not failed, f"{failed.count('swapped')} swapped, {len(failed)} failed: {failed[:3]}"


class _Pool(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A stand-in pool that records what was sent on it and whether it was closed."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.closed = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(str(request.url))
        return httpx.Response(200)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self.handle_request(request)

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.close()


async def test_after_a_fork_each_transport_makes_its_own_pool_and_leaves_the_parents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pools: list[_Pool] = []

    def make() -> _Pool:
        pools.append(_Pool())
        return pools[-1]

    sync, async_ = _fork.ForkSafeTransport(make), _fork.AsyncForkSafeTransport(make)
    request = httpx.Request("GET", "http://service.test/health")
    sync.handle_request(request)
    await async_.handle_async_request(request)
    assert [len(pool.sent) for pool in pools] == [1, 1]
    monkeypatch.setattr(_fork, "_forks", _fork._forks + 1)  # what os.fork's child hook does
    sync.close()  # a child closing before any use there: the parent's pools stay open
    await async_.aclose()
    assert not any(pool.closed for pool in pools)
    sync.handle_request(request)
    await async_.handle_async_request(request)
    assert [len(pool.sent) for pool in pools] == [1, 1, 1, 1]  # the new pools, not the old
    sync.close()
    await async_.aclose()
    assert [pool.closed for pool in pools] == [False, False, True, True]
