"""Issue 14 item 14: the client honours ``HTTP_PROXY`` / ``NO_PROXY`` as httpx does (before, its
own httpx client was made with ``trust_env=False`` and ignored them), and ``trust_env=False``
turns that off. The proxy here is a loopback server answering the absolute-form request."""

from __future__ import annotations

from typing import Any

import pytest

from claude_client import APIConnectionError, AsyncClaudeClient, ClaudeClient
from tests.reliability.flood import USAGE_JSON, FloodServer
from tests.unit.conftest import KEY, USAGE_BODY, Caller

#: Nothing listens there: a call that does not go through the proxy fails to connect.
SERVICE = "http://127.0.0.1:9"


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> type[Any]:
    return ClaudeClient if request.param == "sync" else AsyncClaudeClient


async def _usage(kind: type[Any], **options: Any) -> Any:
    caller = Caller(kind(base_url=SERVICE, api_key=KEY, max_retries=0, **options))
    try:
        return await caller.get_usage()
    finally:
        await caller.close()


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
async def test_calls_go_through_the_proxy_the_environment_names(
    kind: type[Any], monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    with FloodServer(0, answers={f"{SERVICE}/v1/usage": USAGE_JSON}) as proxy:
        monkeypatch.setenv(variable, proxy.url)
        usage = await _usage(kind)
    assert usage.project_id == USAGE_BODY["project_id"]


@pytest.mark.parametrize(("no_proxy", "options"), [("127.0.0.1", {}), ("", {"trust_env": False})])
async def test_no_proxy_and_trust_env_false_go_direct(
    kind: type[Any], monkeypatch: pytest.MonkeyPatch, no_proxy: str, options: dict[str, Any]
) -> None:
    with FloodServer(0, answers={f"{SERVICE}/v1/usage": USAGE_JSON}) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", no_proxy)
        with pytest.raises(APIConnectionError):
            await _usage(kind, **options)
