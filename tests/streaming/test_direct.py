"""The async handshake straight on an asyncio socket (``_streaming._direct``): when it is taken,
and that it keeps the httpx path's bounds and typed errors.

Hand-made servers (``asyncio.start_server`` in the test's own loop) answer what the double
never does: a handshake dripped or cut, a frame cut mid-way, the first frame in the same packet
as the ``101``, a refusal's body past the limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
import trustme
from wsproto.utilities import generate_accept_token

from claude_client import (
    APIConnectionError,
    APITimeoutError,
    AsyncClaudeClient,
    PermissionDeniedError,
    ResponseTooLargeError,
    StreamError,
)
from claude_client._streaming._direct import direct_pool
from claude_client._streaming._websocket import _AsyncSocket
from claude_client.testing import ServiceDouble

WAIT = 0.5
KEY = "cc_" + "k" * 40

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def serving(handler: Handler) -> AsyncIterator[str]:
    """A server on a free port running ``handler`` per connection; its base URL."""
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


async def upgrade(reader: asyncio.StreamReader) -> bytes:
    """Read a handshake; the ``101`` head that accepts it."""
    head = await reader.readuntil(b"\r\n\r\n")
    assert KEY.encode() in head  # the client's own headers travel on the direct path
    key = next(
        line.split(b":", 1)[1].strip()
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"sec-websocket-key:")
    )
    return (
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: " + generate_accept_token(key) + b"\r\n\r\n"
    )


def text_frame(text: str) -> bytes:
    """An unmasked server text frame (up to 65,535 bytes of payload)."""
    payload = text.encode()
    if len(payload) < 126:
        return bytes([0x81, len(payload)]) + payload
    return bytes([0x81, 126]) + len(payload).to_bytes(2, "big") + payload


def client_for(base_url: str, **options: object) -> AsyncClaudeClient:
    return AsyncClaudeClient(base_url, KEY, max_retries=0, **options)  # type: ignore[arg-type]


async def test_the_direct_path_is_taken_only_where_it_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("http_proxy", raising=False)
    monkeypatch.delenv("ALL_PROXY", raising=False)
    monkeypatch.delenv("all_proxy", raising=False)
    async with client_for("http://127.0.0.1:9") as client:
        assert direct_pool(client.client) is not None
        copy = client.with_options(timeout=3)
        assert direct_pool(copy.client) is not None
    assert direct_pool(client.client) is None  # closed: httpx's path raises the closed error
    async with httpx.AsyncClient() as own, client_for("http://127.0.0.1:9", http_client=own) as c:
        assert direct_pool(c.client) is None  # a caller's own client: its transport decides
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:3128")
    async with client_for("http://example.invalid:9") as client:
        assert direct_pool(client.client) is None  # a proxy: through httpx's proxy pool
    async with client_for("http://127.0.0.1:9", trust_env=False) as client:
        assert direct_pool(client.client) is not None
        client.client.event_hooks["request"].append(lambda request: None)
        assert direct_pool(client.client) is None  # hooks run on httpx's path only


def test_under_trio_the_httpx_path_stays() -> None:
    trio = pytest.importorskip("trio")

    async def main() -> object:
        async with client_for("http://127.0.0.1:9") as client:
            return direct_pool(client.client)

    assert trio.run(main) is None


async def test_a_stream_over_the_direct_path(claude_double: ServiceDouble) -> None:
    async with AsyncClaudeClient(claude_double.base_url, claude_double.api_key) as client:
        assert direct_pool(client.client) is not None
        async with client.stream_events("list three colors", model="haiku") as stream:
            text = "".join([chunk async for chunk in stream.aiter_text()])
            reply = await stream.get_final_response()
        assert stream.url.startswith("ws://")
    assert text and text == reply.content
    assert claude_double.stats.wait_until(lambda s: s.ws_open == 0)


async def test_a_refused_handshake_is_the_http_paths_error(claude_double: ServiceDouble) -> None:
    claude_double.faults.ws_reject()
    async with AsyncClaudeClient(claude_double.base_url, claude_double.api_key) as client:
        with pytest.raises(PermissionDeniedError) as caught:
            await _AsyncSocket.connect(client.client, WAIT)
    assert caught.value.status_code == 403
    assert caught.value.url.startswith("ws://")


async def test_no_server_is_a_connection_error() -> None:
    async with client_for("http://127.0.0.1:9") as client:
        with pytest.raises(APIConnectionError) as caught:
            await _AsyncSocket.connect(client.client, WAIT)
    assert caught.value.url == "ws://127.0.0.1:9/v1/stream"
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert KEY not in str(caught.value)


async def test_a_dripped_handshake_ends_at_the_deadline() -> None:
    sent = []

    async def drip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        answer = await upgrade(reader)
        for byte in answer:  # each read returns in time; the whole never does
            writer.write(bytes([byte]))
            sent.append(byte)
            await asyncio.sleep(0.05)

    async with serving(drip) as url, client_for(url) as client:
        with pytest.raises(APITimeoutError):
            await _AsyncSocket.connect(client.client, WAIT)
    assert len(sent) < 40


async def test_a_silent_server_ends_at_the_deadline() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65_536)
        await asyncio.sleep(10)

    async with serving(silent) as url, client_for(url) as client:
        with pytest.raises(APITimeoutError) as caught:
            await _AsyncSocket.connect(client.client, 0.2)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


async def test_a_server_gone_before_answering_is_a_connection_error() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    async with serving(hang_up) as url, client_for(url) as client:
        with pytest.raises(APIConnectionError) as caught:
            await _AsyncSocket.connect(client.client, WAIT)
    assert not isinstance(caught.value, APITimeoutError)
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)


async def test_an_answer_that_is_not_http_is_a_connection_error() -> None:
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")

    async with serving(garbage) as url, client_for(url) as client:
        with pytest.raises(APIConnectionError):
            await _AsyncSocket.connect(client.client, WAIT)


async def test_a_refusals_body_past_the_limit_is_refused() -> None:
    async def large(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in range(100):
            writer.write(b"400\r\n" + b"x" * 1024 + b"\r\n")
        writer.write(b"0\r\n\r\n")

    async with serving(large) as url, client_for(url) as client:
        with pytest.raises(ResponseTooLargeError):
            await _AsyncSocket.connect(client.client, WAIT, max_bytes=10_000)


async def test_the_first_frame_in_the_handshakes_packet_is_read() -> None:
    async def eager(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(await upgrade(reader) + text_frame('{"type":"token","content":"hi"}'))
        await reader.read(65_536)

    async with serving(eager) as url, client_for(url) as client:
        socket = await _AsyncSocket.connect(client.client, WAIT)
        try:
            assert await socket.receive_text(WAIT) == '{"type":"token","content":"hi"}'
        finally:
            await socket.aclose()


async def test_a_server_closing_mid_frame_is_a_stream_error() -> None:
    async def cut(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(await upgrade(reader) + text_frame('{"type":"token","content":"hi"}')[:6])
        await writer.drain()
        writer.close()

    async with serving(cut) as url, client_for(url) as client:
        socket = await _AsyncSocket.connect(client.client, WAIT)
        try:
            with pytest.raises(StreamError, match="closed before the stream finished"):
                await socket.receive_text(WAIT)
        finally:
            await socket.aclose()


async def test_a_frame_dripped_after_the_handshake_ends_at_the_read_timeout() -> None:
    async def drip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(await upgrade(reader))
        for byte in text_frame('{"type":"token","content":"a long slice"}'):
            writer.write(bytes([byte]))
            await asyncio.sleep(0.05)

    async with serving(drip) as url, client_for(url) as client:
        socket = await _AsyncSocket.connect(client.client, WAIT)
        try:
            with pytest.raises(APITimeoutError):
                await socket.receive_text(0.3)
        finally:
            await socket.aclose()


async def test_a_cancelled_handshake_closes_its_socket() -> None:
    closed = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        await reader.read()  # until the client closes
        closed.set()

    async with serving(silent) as url, client_for(url) as client:
        task = asyncio.create_task(_AsyncSocket.connect(client.client, 10))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.wait_for(closed.wait(), 5)


async def test_an_untrusted_certificate_is_a_typed_error(tmp_path: object) -> None:
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            await reader.read(65_536)

    server = await asyncio.start_server(accept, "127.0.0.1", 0, ssl=server_context)
    port = server.sockets[0].getsockname()[1]
    try:
        async with client_for(f"https://127.0.0.1:{port}") as client:
            assert direct_pool(client.client) is not None
            with pytest.raises(APIConnectionError) as caught:
                await _AsyncSocket.connect(client.client, WAIT)
    finally:
        server.close()
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert caught.value.url.startswith("wss://")


async def test_a_fast_peer_cannot_fill_memory_while_the_caller_does_not_read() -> None:
    text = "x" * 60_000
    count = 600  # 36 MB of frames, sent as fast as the socket takes them: past any buffer
    sent = asyncio.Event()

    async def flood(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(await upgrade(reader))
        frame = text_frame(text)
        for _ in range(count):
            writer.write(frame)
            await writer.drain()
        sent.set()
        await reader.read(65_536)

    async with serving(flood) as url, client_for(url) as client:
        socket = await _AsyncSocket.connect(client.client, WAIT)
        try:
            await asyncio.sleep(0.3)  # the caller reads nothing meanwhile
            assert not sent.is_set()  # the peer is held back by the paused reads
            assert socket._stream._size < 1024 * 1024  # the unread bytes held here
            received = [await socket.receive_text(WAIT) for _ in range(count)]
        finally:
            await socket.aclose()
    assert received == [text] * count


async def test_an_anyio_cancel_scope_ends_a_direct_stream_and_closes_it(
    claude_double: ServiceDouble,
) -> None:
    """anyio cancels a task on asyncio with ``Task.cancel``: the direct socket's waits (a future,
    a loop timer) end with it, in the handshake or between chunks, and the socket is closed."""
    import anyio

    claude_double.token_delay = 0.2
    async with AsyncClaudeClient(claude_double.base_url, claude_double.api_key) as client:
        await client.get_usage()  # learn the project: the stream goes straight to its socket
        for within in (0.0005, 0.05, 0.3):  # mid-handshake, before and after the first chunk
            with anyio.move_on_after(within) as scope:
                async for _chunk in client.stream("tell me a story", model="haiku"):
                    pass
            assert scope.cancelled_caught
        claude_double.token_delay = 0
        assert "".join([chunk async for chunk in client.stream("hi", model="haiku")])
    assert claude_double.stats.wait_until(lambda s: s.ws_open == 0)
