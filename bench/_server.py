"""Minimal, fast HTTP servers for the benchmarks, each served by uvicorn in its own process so
that it does not compete with the client for the interpreter lock.

- default: a raw ASGI app answering every request at once with one fixed, valid chat
  completion (what the per-call benchmarks compare clients on: the network's cost only).
- ``--workers N --task-seconds S``: a stand-in of the service's capacity for the utilization
  benchmark. Like the service, every task (a chat completion, or one prompt of a batch) takes
  one of ``N`` workers for ``S`` seconds; tasks beyond ``N`` wait for a free worker. It also
  answers ``/v1/usage`` (no budget) and ``/health``, which the batch helpers call.

``python -m bench._server [--workers N --task-seconds S]`` prints ``listening on
http://127.0.0.1:PORT`` once it serves.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator, MutableMapping, Sequence
from typing import Any

#: A chat completion as the service sends it (service-behaviour.md, section 2).
CHAT_BYTES = (
    b'{"id":"0b6f7c1e-64a8-4b0e-9a53-3b8f1d1c2a10","model":"haiku","content":"Red, green and'
    b' blue.","usage":{"input_tokens":7,"output_tokens":38,"total_tokens":45},"cost":4.925e-05,'
    b'"project_id":"bench"}'
)
#: The usage of a project without a budget (``/v1/usage``).
USAGE_BYTES = (
    b'{"project_id":"bench","period":"month","total_tokens":0,"total_cost":0.0,"by_model":{},'
    b'"limit":null,"remaining":null}'
)
HEALTH_BYTES = (
    b'{"status":"ok","version":"0.1.0","services":{"worker_pool":"running",'
    b'"budget_manager":"initialized","auth_manager":"initialized"}}'
)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def batch_bytes(ids: Sequence[str | None], prompts: Sequence[str]) -> bytes:
    """A ``/v1/batch`` answer with every prompt completed (the chat completion's figures)."""
    usage = {"input_tokens": 7, "output_tokens": 38, "total_tokens": 45}
    results = [
        {"id": i, "prompt": p, "status": "completed", "content": "Red, green and blue.",
         "usage": usage, "cost": 4.925e-05, "error": None}
        for i, p in zip(ids, prompts, strict=True)
    ]  # fmt: skip
    n = len(results)
    return json.dumps(
        {"total": n, "completed": n, "failed": 0, "results": results,
         "total_cost": 4.925e-05 * n, "total_tokens": 45 * n}
    ).encode()  # fmt: skip


async def _body(receive: Receive) -> bytes:
    parts = []
    more = True
    while more:
        message = await receive()
        parts.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(parts)


async def _answer(send: Send, body: bytes, status: int = 200) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Read the request body, answer the fixed chat completion."""
    if scope["type"] != "http":
        return
    await _body(receive)
    await _answer(send, CHAT_BYTES)


def service_app(workers: int, task_seconds: float) -> Callable[[Scope, Receive, Send], Any]:
    """The capacity stand-in: ``workers`` tasks at once, each ``task_seconds`` long."""
    slots = asyncio.Semaphore(workers)

    async def task() -> None:
        async with slots:
            await asyncio.sleep(task_seconds)

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = await _body(receive)
        path = scope["path"]
        if path == "/v1/chat/completions":
            await task()
            await _answer(send, CHAT_BYTES)
        elif path == "/v1/batch":
            request = json.loads(body)
            prompts = request["prompts"]
            await asyncio.gather(*(task() for _ in prompts))
            ids = [p.get("id") for p in prompts]
            await _answer(send, batch_bytes(ids, [p["prompt"] for p in prompts]))
        elif path == "/v1/usage":
            await _answer(send, USAGE_BYTES)
        elif path == "/health":
            await _answer(send, HEALTH_BYTES)
        else:
            await _answer(send, b'{"detail":"Not Found"}', 404)

    return serve


def _listen() -> socket.socket:
    # The protocol is given explicitly: asyncio turns TCP_NODELAY on only for sockets whose
    # protocol says TCP (without it each answer waits on the client's delayed ACK).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(4096)
    return sock


def main(argv: Sequence[str] | None = None) -> None:
    """Serve on a free port; print its URL first."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--workers", type=int, default=0, help="tasks at once (0: no tasks)")
    parser.add_argument("--task-seconds", type=float, default=0.1, help="length of one task")
    args = parser.parse_args(argv)
    served = service_app(args.workers, args.task_seconds) if args.workers else app
    sock = _listen()
    config = uvicorn.Config(
        served, http="h11", loop="asyncio", lifespan="off", log_config=None, access_log=False,
        backlog=4096, timeout_keep_alive=60,
    )  # fmt: skip
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
