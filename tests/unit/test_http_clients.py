"""The httpx clients that merge each path with the base URL once: what they send is exactly
what httpx's own merge sends, for any base URL and path, sync and async."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claude_client import ClientClosedError, _http_clients
from claude_client._http_clients import AsyncClient, Client

BASES = [
    "",
    "/api",
    "localhost:8080/api",
    "//host.test/api",
    "unix:/socket/",
    "http://service.test",
    "http://service.test/",
    "http://127.0.0.1:8080",
    "https://example.com/api",
    "https://example.com/api/v2/",
    "http://[::1]:9000/sub%20path/",
]
PATHS = [
    "/v1/chat/completions",
    "/v1/usage",
    "/",
    "/health",
    "/a%20b/c",
    "/ä/ö",
    "/with space",
    "v1/no-leading-slash",
    "/v1/usage?period=day",
    "/page#part",
    "http://other.test/absolute",
    "//other.test/network-path",
]


def _httpx_url(base: str, path: str, **kwargs: object) -> httpx.URL:
    with httpx.Client(base_url=base) as plain:
        return plain.build_request("POST", path, **kwargs).url  # type: ignore[arg-type]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("path", PATHS)
def test_the_url_sent_is_httpx_own_merge(base: str, path: str) -> None:
    with Client(base_url=base) as ours:
        first = ours.build_request("POST", path).url
        again = ours.build_request("POST", path).url
    assert first == again == _httpx_url(base, path)


@pytest.mark.parametrize("base", BASES)
async def test_the_async_client_sends_the_same(base: str) -> None:
    async with AsyncClient(base_url=base) as ours:
        for path in PATHS:
            assert ours.build_request("GET", path).url == _httpx_url(base, path)


# No deadline: a timed assertion, which failed the suite on a loaded 2-core machine.
@settings(deadline=None)
@given(
    path=st.lists(
        st.text(st.characters(exclude_categories=["Cs"]), max_size=8), min_size=1, max_size=4
    ).map(lambda parts: "/" + "/".join(parts))
)
def test_any_path_is_merged_as_httpx_merges_it(path: str) -> None:
    base = "https://example.com/api/"
    try:
        expected: httpx.URL | str = _httpx_url(base, path)
    except httpx.InvalidURL as exc:
        expected = f"InvalidURL: {exc}"
    with Client(base_url=base) as ours:
        try:
            sent: httpx.URL | str = ours.build_request("POST", path).url
        except httpx.InvalidURL as exc:
            sent = f"InvalidURL: {exc}"
        assert sent == expected
        # An invalid path is not remembered: it fails the same way every time.
        assert all(isinstance(url, httpx.URL) for url in ours._merged_paths.urls.values())


def test_query_parameters_still_merge_into_a_remembered_path() -> None:
    with Client(base_url="http://service.test", params={"fixed": "1"}) as ours:
        ours.build_request("GET", "/v1/usage")
        sent = ours.build_request("GET", "/v1/usage", params={"period": "day"}).url
    with httpx.Client(base_url="http://service.test", params={"fixed": "1"}) as plain:
        expected = plain.build_request("GET", "/v1/usage", params={"period": "day"}).url
    assert sent == expected
    assert sent.params["period"] == "day"
    assert sent.params["fixed"] == "1"


def test_plain_paths_are_remembered_and_the_rest_left_to_httpx() -> None:
    with Client(base_url="http://service.test") as ours:
        for path in PATHS:
            ours.build_request("GET", path)
        remembered = set(ours._merged_paths.urls)
    assert remembered == {p for p in PATHS if p.startswith("/") and not p.startswith("//")} - {
        "/v1/usage?period=day",
        "/page#part",
    }


def test_a_new_base_url_forgets_what_was_merged_with_the_old_one() -> None:
    with Client(base_url="http://one.test/a/") as ours:
        assert str(ours.build_request("GET", "/x").url) == "http://one.test/a/x"
        ours.base_url = httpx.URL("http://two.test/b/")
        assert str(ours.build_request("GET", "/x").url) == "http://two.test/b/x"


def test_no_more_than_max_paths_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_http_clients, "MAX_PATHS", 3)
    with Client(base_url="http://service.test") as ours:
        urls = [ours.build_request("GET", f"/p{i}").url for i in range(6)]
        assert len(ours._merged_paths.urls) == 3
    assert [str(u) for u in urls] == [f"http://service.test/p{i}" for i in range(6)]


def test_threads_sharing_one_client_get_the_same_urls_as_httpx() -> None:
    paths = [f"/v1/p{i % 10}" for i in range(400)]
    with Client(base_url="http://service.test/api") as ours, ThreadPoolExecutor(16) as pool:
        sent = list(pool.map(lambda path: ours.build_request("GET", path).url, paths))
    assert sent == [_httpx_url("http://service.test/api", path) for path in paths]


# --- the direct send ---------------------------------------------------------------------------


def _answer(request: httpx.Request) -> httpx.Response:
    headers = {"set-cookie": "seen=1; Path=/"} if request.url.path == "/cookie" else {}
    return httpx.Response(200, headers=headers, json={"path": request.url.path})


def test_direct_send_does_what_httpx_send_does(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="httpx")
    with Client(base_url="http://service.test", transport=httpx.MockTransport(_answer)) as ours:
        response = ours.get("/v1/usage")
        assert response.json() == {"path": "/v1/usage"} and response.request.method == "GET"
        assert response.elapsed.total_seconds() >= 0 and response.is_closed
        assert 'HTTP Request: GET http://service.test/v1/usage "HTTP/1.1 200 OK"' in caplog.text
        ours.get("/cookie")
        assert ours.cookies["seen"] == "1"
        assert ours.get("/v1/usage").request.headers["cookie"] == "seen=1"
    with pytest.raises(RuntimeError, match="client is closed"):  # ClientClosedError
        ours.get("/v1/usage")


def test_hooks_auth_and_redirects_go_through_httpx_send() -> None:
    seen: list[str] = []
    transport = httpx.MockTransport(_answer)
    with Client(base_url="http://service.test", transport=transport) as ours:
        ours.event_hooks["response"].append(lambda r: seen.append(r.url.path))
        ours.get("/hooked")
        ours.get("/authed", auth=("user", "pass"))
        assert seen == ["/hooked", "/authed"]
        streamed = ours.send(ours.build_request("GET", "/streamed"), stream=True)
        assert streamed.read() == b'{"path":"/streamed"}'
        streamed.close()


async def test_async_direct_send_reads_the_body() -> None:
    transport = httpx.MockTransport(_answer)
    async with AsyncClient(base_url="http://service.test", transport=transport) as ours:
        response = await ours.get("/cookie")
        assert response.json() == {"path": "/cookie"} and ours.cookies["seen"] == "1"
        seen: list[str] = []

        async def hook(request: httpx.Request) -> None:
            seen.append(request.url.path)

        ours.event_hooks["request"].append(hook)
        await ours.get("/hooked")
        assert seen == ["/hooked"]


def test_a_callers_client_is_used_directly_or_through_its_send() -> None:
    mounted = httpx.MockTransport(lambda r: httpx.Response(200, text="via mount"))
    theirs = httpx.Client(
        transport=httpx.MockTransport(_answer), mounts={"http://proxied.test": mounted}
    )
    request = httpx.Request("GET", "http://proxied.test/x")
    assert _http_clients.send_unread(theirs, request).read() == b"via mount"
    plain = _http_clients.send_unread(theirs, httpx.Request("GET", "http://service.test/plain"))
    assert plain.read() == b'{"path":"/plain"}'
    seen: list[str] = []
    theirs.event_hooks["request"].append(lambda r: seen.append(r.url.path))
    _http_clients.send_unread(theirs, httpx.Request("GET", "http://service.test/hooked")).close()
    assert seen == ["/hooked"]
    theirs.close()
    with pytest.raises(ClientClosedError, match="http_client given to this client is closed"):
        _http_clients.send_unread(theirs, httpx.Request("GET", "http://service.test/"))


async def test_a_callers_async_client_is_used_directly() -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(_answer)) as theirs:
        request = httpx.Request("GET", "http://service.test/plain")
        response = await _http_clients.asend_unread(theirs, request)
        assert await response.aread() == b'{"path":"/plain"}'
