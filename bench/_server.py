"""A minimal, fast HTTP server for the benchmarks: a raw ASGI app answering every request with
one fixed, valid body of the endpoint (a chat completion), served by uvicorn in its own process
so that it does not compete with the client for the interpreter lock.

``python -m bench._server`` prints ``listening on http://127.0.0.1:PORT`` once it serves.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any

#: A chat completion as the service sends it (service-behaviour.md, section 2).
CHAT_BYTES = (
    b'{"id":"0b6f7c1e-64a8-4b0e-9a53-3b8f1d1c2a10","model":"haiku","content":"Red, green and'
    b' blue.","usage":{"input_tokens":7,"output_tokens":38,"total_tokens":45},"cost":4.925e-05,'
    b'"project_id":"bench"}'
)
_HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(CHAT_BYTES)).encode()),
]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Read the request body, answer the fixed chat completion."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": CHAT_BYTES})


def _listen() -> socket.socket:
    # The protocol is given explicitly: asyncio turns TCP_NODELAY on only for sockets whose
    # protocol says TCP (without it each answer waits on the client's delayed ACK).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    return sock


def main() -> None:
    """Serve on a free port; print its URL first."""
    import uvicorn

    sock = _listen()
    config = uvicorn.Config(
        app, http="h11", loop="asyncio", lifespan="off", log_config=None, access_log=False
    )
    # Connections wait in the listening socket's backlog until uvicorn accepts them.
    print(f"listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    uvicorn.Server(config).run(sockets=[sock])


@contextlib.contextmanager
def running(module: str = "bench._server", *args: str) -> Iterator[str]:
    """A server process (this one by default); yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", module, *args], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if "listening on " not in line:
            raise RuntimeError(f"the benchmark server did not start: {line!r}")
        yield line.rsplit("listening on ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    main()
