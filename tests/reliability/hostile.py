"""Hostile servers on loopback, for faults the double cannot play: an answer dripped byte by
byte (headers or body), and a gateway that starts the task behind it and answers 504.

Each runs in background threads and is used as a context manager; it records what it did
(bytes sent, connections, tasks started), so a test proves an outcome without timing it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import httpx

from tests.reliability.loopback import LoopbackServer

#: A 200 JSON answer's head; the body is whatever the test drips.
JSON_HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n"
#: A WebSocket acceptance (its accept token never matters: it never arrives in time).
UPGRADE_HEAD = (
    b"HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
    b"sec-websocket-accept: x\r\n\r\n"
)


def _read_head(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65_536)
        if not chunk:
            return data
        data += chunk
    return data


class DripServer(LoopbackServer):
    """Answers every request with ``head`` then ``body``, one byte per ``delay`` seconds
    (``drip_head=False``: the head at once, only the body dripped).

    Attributes:
        sent: Bytes written so far, over all connections.
        total: Bytes of one whole answer.
    """

    def __init__(self, head: bytes, body: bytes = b"", *, delay: float, drip_head: bool) -> None:
        super().__init__()
        self.head, self.body, self.delay, self.drip_head = head, body, delay, drip_head
        self.total = len(head) + len(body)

    def _pieces(self) -> Iterator[bytes]:
        if self.drip_head:
            yield from (self.head[i : i + 1] for i in range(len(self.head)))
        else:
            yield self.head
        yield from (self.body[i : i + 1] for i in range(len(self.body)))

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            _read_head(conn)
            for piece in self._pieces():
                if self._stop.wait(self.delay if piece is not self.head else 0):
                    return
                conn.sendall(piece)
                self.sent += len(piece)


class GatewayTimeout(LoopbackServer):
    """A gateway with a short read timeout in front of ``upstream``: every request is passed on
    (so the task starts and is billed), and the client gets 504 at once, as nginx gives
    ``504 Gateway Time-out`` while the service goes on working.

    Attributes:
        forwarded: Requests passed on to the upstream (tasks started).
    """

    def __init__(self, upstream: str) -> None:
        super().__init__()
        self.upstream = upstream
        self.forwarded = 0
        self._lock = threading.Lock()
        self._workers: list[threading.Thread] = []

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            head = _read_head(conn)
            request_line, _, rest = head.partition(b"\r\n")
            headers_blob, _, body = rest.partition(b"\r\n\r\n")
            headers = dict(
                line.decode("latin-1").split(": ", 1) for line in headers_blob.split(b"\r\n")
            )
            length = int(headers.get("content-length", headers.get("Content-Length", "0")))
            while len(body) < length:
                chunk = conn.recv(65_536)
                if not chunk:
                    break
                body += chunk
            method, path, _ = request_line.decode("latin-1").split(" ", 2)
            worker = threading.Thread(
                target=self._forward, args=(method, path, headers, body), daemon=True
            )
            with self._lock:
                self.forwarded += 1
                self._workers.append(worker)
            worker.start()
            page = b"<html><center><h1>504 Gateway Time-out</h1></center></html>"
            conn.sendall(
                b"HTTP/1.1 504 Gateway Time-out\r\ncontent-type: text/html\r\n"
                b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(page), page)
            )

    def _forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> None:
        keep = {k: v for k, v in headers.items() if k.lower() in ("authorization", "content-type")}
        with contextlib.suppress(httpx.HTTPError):
            httpx.request(method, self.upstream + path, headers=keep, content=body, timeout=30)

    def settle(self, timeout: float = 30.0) -> None:
        """Wait until every forwarded task has finished upstream."""
        deadline = time.monotonic() + timeout
        for worker in list(self._workers):
            worker.join(max(0.0, deadline - time.monotonic()))

    def __exit__(self, *exc_info: object) -> None:
        self.settle()
        super().__exit__(*exc_info)
