"""Over TLS, as in production behind a proxy: ``https://`` calls and the ``wss://`` stream, with
the certificate authority trusted through the caller's own ``httpx`` client, sync and async.
Certificates come from trustme (a throwaway CA), the double serves them with uvicorn."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import trustme

from claude_client import APIConnectionError, AsyncClaudeClient, ClaudeClient, Model
from claude_client.testing import ServiceDouble

PROMPT = "list three colors"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def tls_double(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceDouble]:
    folder = tmp_path_factory.mktemp("tls")
    cert = ca.issue_cert("127.0.0.1")
    chain, key = folder / "chain.pem", folder / "key.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(chain))
    cert.private_key_pem.write_to_path(str(key))
    with ServiceDouble(ssl_certfile=str(chain), ssl_keyfile=str(key)) as double:
        yield double


@pytest.fixture
def trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def test_the_double_serves_https_and_wss(tls_double: ServiceDouble) -> None:
    assert tls_double.base_url.startswith("https://127.0.0.1:")
    assert tls_double.ws_url.startswith("wss://127.0.0.1:")
    assert Path(tls_double.ws_url).name == "stream"


def test_sync_calls_and_stream_over_tls(
    tls_double: ServiceDouble, trusting: ssl.SSLContext
) -> None:
    with (
        httpx.Client(verify=trusting) as own,
        ClaudeClient(tls_double.base_url, tls_double.api_key, http_client=own) as client,
    ):
        answer = client.complete(PROMPT, model=Model.HAIKU)
        with client.stream_events(PROMPT, model=Model.HAIKU) as stream:
            text = "".join(stream.iter_text())
            streamed = stream.get_final_response()
            assert stream.url.startswith("wss://")
    assert answer.content and text == streamed.content
    assert streamed.usage.total_tokens > 0


async def test_async_calls_and_stream_over_tls(
    tls_double: ServiceDouble, trusting: ssl.SSLContext
) -> None:
    async with (
        httpx.AsyncClient(verify=trusting) as own,
        AsyncClaudeClient(tls_double.base_url, tls_double.api_key, http_client=own) as client,
    ):
        answer = await client.complete(PROMPT, model=Model.HAIKU)
        chunks = [chunk async for chunk in client.stream(PROMPT, model=Model.HAIKU)]
    assert answer.content and "".join(chunks)


def test_an_untrusted_certificate_is_a_typed_error_and_not_retried(
    tls_double: ServiceDouble, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="claude_client")
    with ClaudeClient(tls_double.base_url, tls_double.api_key) as client:
        with pytest.raises(APIConnectionError) as caught:
            client.complete(PROMPT, model=Model.HAIKU)
        with pytest.raises(APIConnectionError), client.stream_events(PROMPT, model=Model.HAIKU):
            pass
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert not [r for r in caplog.records if r.getMessage().startswith("Retrying")]
    assert [r for r in caplog.records if r.getMessage().startswith("Not retrying POST")]


async def test_async_stream_over_tls_on_the_clients_own_pool(
    tls_double: ServiceDouble,
    ca: trustme.CA,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The async handshake straight on an asyncio socket uses the pool's own TLS context
    (here: the authority named by ``SSL_CERT_FILE``, read as httpx reads the environment)."""
    from claude_client._streaming._direct import direct_pool

    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    async with AsyncClaudeClient(tls_double.base_url, tls_double.api_key) as client:
        assert direct_pool(client.client) is not None
        async with client.stream_events(PROMPT, model=Model.HAIKU) as stream:
            text = "".join([chunk async for chunk in stream.aiter_text()])
            assert stream.url.startswith("wss://")
    assert text
