"""A server on loopback that answers with bodies as large as asked (gigabytes), made while they
are sent, so a test of the client's body limit never holds such a body itself; and a sampler
of this process's peak memory while the client meets it.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Mapping
from typing import Self

import psutil
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Request, TextMessage

from tests.reliability.loopback import LoopbackServer
from tests.unit.conftest import USAGE_BODY

_BLOCK = b"x" * 65_536
#: A usage answer, for the lookup of the key's project that every stream starts with.
USAGE_JSON = json.dumps(USAGE_BODY).encode()


def _read_request(conn: socket.socket) -> bytes:
    """One request's head, its body read too (an unread body would make closing reset the
    connection, and the client lose the answer)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65_536)
        if not chunk:
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            left = int(value) - len(body)
            while left > 0 and (chunk := conn.recv(min(left, 65_536))):
                left -= len(chunk)
    return head


class FloodServer(LoopbackServer):
    """Answers every request with a ``size``-byte body of ``status`` (``Content-Length`` when
    ``declared``, else chunked), except the paths of ``answers``, which get their small JSON
    body with 200, and, with ``tokens``, the WebSocket path: it accepts the handshake, waits for
    the chat frame and sends ``tokens`` token frames of ``token_chars`` characters, then done.

    Attributes:
        sent: Body bytes written so far, over all connections (the client's reading stops it).
    """

    conn_timeout = 10.0
    join_timeout = 10.0

    def __init__(
        self,
        size: int,
        *,
        status: int = 200,
        declared: bool = True,
        answers: Mapping[str, bytes] | None = None,
        tokens: int = 0,
        token_chars: int = 0,
    ) -> None:
        super().__init__()
        self.size, self.status, self.declared = size, status, declared
        self.tokens, self.token_chars = tokens, token_chars
        self.answers = dict(answers or {})

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            while not self._stop.is_set():
                head = _read_request(conn)
                if not head:
                    return
                path = head.split(b" ", 2)[1].decode("latin-1").split("?")[0]
                if path in self.answers:
                    body = self.answers[path]
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                        b"content-length: %d\r\n\r\n%s" % (len(body), body)
                    )
                    continue
                if self.tokens and path == "/v1/stream":
                    self._stream(conn, head)
                    return
                self._flood(conn)
                return

    def _flood(self, conn: socket.socket) -> None:
        framing = (
            b"content-length: %d" % self.size if self.declared else b"transfer-encoding: chunked"
        )
        conn.sendall(
            b"HTTP/1.1 %d Flood\r\ncontent-type: application/json\r\n%s\r\n\r\n"
            % (self.status, framing)
        )
        left = self.size
        while left > 0 and not self._stop.is_set():
            block = _BLOCK[: min(left, len(_BLOCK))]
            conn.sendall(block if self.declared else b"%x\r\n%s\r\n" % (len(block), block))
            left -= len(block)
            self.sent += len(block)
        if not self.declared:
            conn.sendall(b"0\r\n\r\n")

    def _stream(self, conn: socket.socket, head: bytes) -> None:
        ws = WSConnection(ConnectionType.SERVER)
        ws.receive_data(head + b"\r\n\r\n")
        if not any(isinstance(event, Request) for event in ws.events()):
            return
        conn.sendall(ws.send(AcceptConnection()))
        while not any(isinstance(e, TextMessage) and e.message_finished for e in ws.events()):
            data = conn.recv(65_536)
            if not data:
                return
            ws.receive_data(data)
        token = ws.send(
            TextMessage(data=json.dumps({"type": "token", "content": "x" * self.token_chars}))
        )
        for _ in range(self.tokens):
            conn.sendall(token)
            self.sent += len(token)
        usage = {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2}
        done = {"type": "done", "usage": usage, "cost": 0.0, "model": "haiku"}
        conn.sendall(ws.send(TextMessage(data=json.dumps(done))))
        conn.sendall(ws.send(CloseConnection(code=1000)))


class PeakMemory:
    """The growth of this process's resident memory over the block, at its highest (sampled
    every 2 ms by a thread)."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self.start = self.peak = 0

    def _sample(self) -> None:
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, self._process.memory_info().rss)

    @property
    def growth(self) -> int:
        """Bytes of resident memory at the peak over the start."""
        return max(0, self.peak - self.start)

    def __enter__(self) -> Self:
        self.start = self.peak = self._process.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self.peak = max(self.peak, self._process.memory_info().rss)
