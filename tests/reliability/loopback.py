"""A bare TCP server on loopback, the base of the hostile servers (``hostile``, ``flood``):
each connection is served in its own daemon thread until the block is left."""

from __future__ import annotations

import socket
import threading
from typing import Self


class LoopbackServer:
    """Listens on 127.0.0.1 (a free port) and hands every connection to ``_serve``.

    Attributes:
        sent: Bytes written so far, over all connections (the subclasses count them).
    """

    #: Seconds a connection's reads and writes may block (``None``: no limit).
    conn_timeout: float | None = None
    #: Seconds to wait for each thread when the block is left.
    join_timeout: float = 5.0

    def __init__(self) -> None:
        self.sent = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _serve(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.conn_timeout is not None:
                conn.settimeout(self.conn_timeout)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def __enter__(self) -> Self:
        thread = threading.Thread(target=self._accept, daemon=True)
        self._threads.append(thread)
        thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._listener.close()
        for thread in self._threads:
            thread.join(self.join_timeout)
