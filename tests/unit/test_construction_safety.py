"""Issue 14 item 12 and the constructor's small ones of item 14: what the constructor refuses,
typed and without echoing a secret, and a client half-made by a failing constructor that
still has a repr (``python -m unittest --locals`` prints it)."""

from __future__ import annotations

import traceback
from typing import Any

import pytest

from claude_client import AsyncClaudeClient, ClaudeClient, _config

CLIENTS = [ClaudeClient, AsyncClaudeClient]


@pytest.mark.parametrize("kind", CLIENTS)
@pytest.mark.parametrize(
    "url",
    [
        "http://user:s3cretpw@service.test",
        "https://s3cretpw@service.test:8443/",
        "http://user:s3cretpw@service.test/prefix",
    ],
)
def test_user_info_in_the_base_url_is_refused_without_showing_it(
    kind: type[Any], url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for explicit in (url, None):
        monkeypatch.setenv(_config.ENV_BASE_URL, url)
        with pytest.raises(ValueError, match="user name or password") as info:
            kind(base_url=explicit)
        shown = "".join(traceback.format_exception(info.value)) + repr(info.value.args)
        assert "s3cretpw" not in shown
        assert "user:" not in shown


@pytest.mark.parametrize("kind", CLIENTS)
@pytest.mark.parametrize(
    "url",
    ["http://service.test/?token=abc", "http://service.test?x=1", "http://service.test/#frag"],
)
def test_a_base_url_with_a_query_or_fragment_is_refused(kind: type[Any], url: str) -> None:
    with pytest.raises(ValueError, match="query string or fragment") as info:
        kind(base_url=url)
    assert "token=abc" not in str(info.value)


@pytest.mark.parametrize("kind", CLIENTS)
@pytest.mark.parametrize(
    "url",
    ["http://[::1", "http://service.test:99999", "http://service.test:port", "http://[::1]x/"],
)
def test_a_base_url_httpx_cannot_parse_is_a_value_error(kind: type[Any], url: str) -> None:
    with pytest.raises(ValueError, match="base URL") as info:
        kind(base_url=url)
    assert type(info.value) is ValueError


@pytest.mark.parametrize("kind", CLIENTS)
@pytest.mark.parametrize("url", ["http://[::1]:8080", "https://service.test:8443/prefix/"])
def test_good_base_urls_still_work(kind: type[Any], url: str) -> None:
    assert kind(base_url=url).base_url == url


@pytest.mark.parametrize("kind", CLIENTS)
@pytest.mark.parametrize("http_client", [object(), "http://x", 1])
def test_an_http_client_of_the_wrong_type_is_a_type_error(
    kind: type[Any], http_client: object
) -> None:
    with pytest.raises(TypeError, match="http_client must be an httpx"):
        kind(base_url="http://service.test", http_client=http_client)


@pytest.mark.parametrize("kind", CLIENTS)
@pytest.mark.parametrize(
    "options",
    [
        {"timeout": -1},
        {"max_retries": -1},
        {"http_client": object()},
        {"max_response_bytes": 0},
        {"api_key": "cc_ bad key"},
    ],
)
def test_a_client_whose_constructor_failed_part_way_still_has_a_repr(
    kind: type[Any], options: dict[str, Any]
) -> None:
    with pytest.raises((TypeError, ValueError)) as info:
        kind(base_url="http://service.test", **options)
    tb = info.value.__traceback__
    half_made = []
    while tb is not None:
        candidate = tb.tb_frame.f_locals.get("self")
        if isinstance(candidate, kind):
            half_made.append(candidate)
        tb = tb.tb_next
    assert half_made
    for client in half_made:
        text = repr(client)
        assert text.startswith(kind.__name__)
        assert "bad key" not in text
