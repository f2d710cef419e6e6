"""A caller's own ``http_client=``: requests go straight to its transport while it has nothing
to apply, and whatever it has (auth, event hooks, redirects, cookies, mounts, proxies, default
headers), set before or after our client was made, still applies."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, cast

import httpx
import pytest

from claude_client import AsyncClaudeClient, ClaudeClient, ClientClosedError, _http_clients
from tests.unit.conftest import BASE, CHAT, CHAT_BODY, KEY


class Recorder:
    """A service answering every chat completion, keeping the requests it saw."""

    def __init__(self, **headers: str) -> None:
        self.seen: list[httpx.Request] = []
        self.headers = headers

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if request.url.path == "/moved":
            return httpx.Response(307, headers={"location": CHAT})
        return httpx.Response(200, json=CHAT_BODY, headers=self.headers)

    def header(self, name: str) -> list[str]:
        """The last request's values of header ``name``."""
        return self.seen[-1].headers.get_list(name)


def test_a_plain_callers_client_sends_its_headers_once_under_ours() -> None:
    service = Recorder()
    base = "http://theirs.test/prefix"  # the caller's base URL does not apply: ours does
    mine = httpx.Client(
        transport=httpx.MockTransport(service),
        base_url=base,
        headers={"X-Team": "blue", "authorization": "Basic theirs", "USER-AGENT": "theirs/1"},
    )
    with ClaudeClient(BASE, KEY, http_client=mine) as client:
        client.complete("hi")
    assert str(service.seen[-1].url) == BASE + CHAT
    assert service.header("x-team") == ["blue"]
    assert service.header("authorization") == [f"Bearer {KEY}"]
    assert (
        len(service.header("user-agent")) == 1
        and "claude-code-client" in service.header("user-agent")[0]
    )
    assert len(service.header("accept")) == 1
    mine.close()


def test_cookies_are_the_callers_jar() -> None:
    service = Recorder(**{"set-cookie": "served=1; Path=/"})
    mine = httpx.Client(transport=httpx.MockTransport(service), cookies={"session": "s1"})
    with ClaudeClient(BASE, KEY, http_client=mine) as client:
        client.complete("hi")
        assert service.header("cookie") == ["session=s1"]
        assert mine.cookies["served"] == "1"
        client.with_options(timeout=5).complete("hi")
        assert service.header("cookie") == ["session=s1; served=1"]
        mine.cookies = {"replaced": "2"}  # a new jar, taken up at the next call
        service.headers = {}
        client.complete("hi")
        assert service.header("cookie") == ["replaced=2"]
    mine.close()


class _Signed(httpx.Auth):
    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Signed"] = "yes"
        yield request


def test_hooks_auth_and_redirects_added_after_construction_apply() -> None:
    service = Recorder()
    mine = httpx.Client(transport=httpx.MockTransport(service))
    hooked: list[str] = []
    with ClaudeClient(BASE, KEY, http_client=mine) as client:
        client.complete("hi")  # plain: straight to the transport
        mine.event_hooks["request"].append(lambda request: hooked.append(request.url.path))
        client.complete("hi")
        assert hooked == [CHAT]
        mine.event_hooks = {}
        mine.auth = _Signed()
        client.complete("hi")
        assert service.header("x-signed") == ["yes"] and hooked == [CHAT]
        mine.auth = cast(Any, None)  # httpx accepts None (no auth), its annotation does not
        client.complete("hi")
        assert service.header("x-signed") == []
        mine.follow_redirects = True
        low = client.low_level.get_httpx_client()
        assert low.post("/moved", json={}).status_code == 200
        assert [r.url.path for r in service.seen[-2:]] == ["/moved", CHAT]
    mine.close()


def test_mounts_and_proxies_of_the_callers_client_are_used() -> None:
    default, mounted = Recorder(), Recorder()
    mine = httpx.Client(
        transport=httpx.MockTransport(default),
        mounts={BASE: httpx.MockTransport(mounted)},
    )
    with ClaudeClient(BASE, KEY, http_client=mine) as client:
        client.complete("hi")
    assert len(mounted.seen) == 1 and not default.seen
    mine.close()


def test_a_proxy_of_the_callers_client_carries_the_requests(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mine = httpx.Client(proxy="http://proxy.test:3128")
    proxy = mine._transport_for_url(httpx.URL(BASE))
    assert proxy is not mine._transport  # httpx mounted the proxy's transport
    carried = Recorder()
    monkeypatch.setattr(proxy, "handle_request", carried)
    with ClaudeClient(BASE, KEY, http_client=mine) as client:
        client.complete("hi")
    assert len(carried.seen) == 1
    mine.close()


def test_a_closed_callers_client_is_a_typed_error() -> None:
    mine = httpx.Client(transport=httpx.MockTransport(Recorder()))
    with ClaudeClient(BASE, KEY, http_client=mine) as client:
        mine.close()
        with pytest.raises(ClientClosedError, match="http_client"):
            client.complete("hi")


async def test_the_async_callers_client_alike() -> None:
    service = Recorder(**{"set-cookie": "served=1; Path=/"})
    mine = httpx.AsyncClient(
        transport=httpx.MockTransport(service), cookies={"session": "s1"}, headers={"X-T": "1"}
    )
    hooked: list[str] = []

    async def hook(request: httpx.Request) -> None:
        hooked.append(request.url.path)

    async with AsyncClaudeClient(BASE, KEY, http_client=mine) as client:
        await client.complete("hi")
        assert service.header("cookie") == ["session=s1"] and mine.cookies["served"] == "1"
        assert service.header("x-t") == ["1"] and len(service.header("user-agent")) == 1
        mine.event_hooks["response"].append(hook)
        await client.complete("hi")
        assert hooked == [CHAT] and service.header("cookie") == ["session=s1; served=1"]
        await mine.aclose()
        with pytest.raises(ClientClosedError, match="http_client"):
            await client.complete("hi")


class _Counting(httpx.Client):
    """A caller's client with a ``send`` of its own (instrumentation, say)."""

    sent = 0

    def send(self, request: httpx.Request, **options: Any) -> httpx.Response:
        _Counting.sent += 1
        return super().send(request, **options)


def test_a_send_of_the_callers_own_runs_for_every_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = Recorder()
    with (
        _Counting(transport=httpx.MockTransport(service)) as mine,
        ClaudeClient(BASE, KEY, http_client=mine) as client,
    ):
        client.complete("hi")
        client.complete("hi")
    assert _Counting.sent == 2 and len(service.seen) == 2
    patched: list[str] = []
    original = httpx.Client.send

    def instrumented(self: httpx.Client, request: httpx.Request, **options: Any) -> httpx.Response:
        patched.append(request.url.path)
        return original(self, request, **options)

    monkeypatch.setattr(httpx.Client, "send", instrumented)  # as an instrumentation does
    with (
        httpx.Client(transport=httpx.MockTransport(service)) as plain,
        ClaudeClient(BASE, KEY, http_client=plain) as client,
    ):
        client.complete("hi")
    assert patched == [CHAT]


async def test_a_body_is_closed_shielded_unless_httpx_own_pool_does_it() -> None:
    assert _http_clients.closes_shielded(httpx.AsyncClient())
    assert _http_clients.closes_shielded(httpx.AsyncClient(proxy="http://proxy.test:3128"))
    mocked = httpx.MockTransport(Recorder())
    assert not _http_clients.closes_shielded(httpx.AsyncClient(transport=mocked))
    assert not _http_clients.closes_shielded(httpx.AsyncClient(mounts={BASE: mocked}))
    for mine, shielded in (
        (httpx.AsyncClient(), False),
        (httpx.AsyncClient(transport=mocked), True),
    ):
        async with mine, AsyncClaudeClient(BASE, KEY, http_client=mine) as client:
            assert client._http._sender.shield_close is shielded  # type: ignore[attr-defined]
