"""Configuration: environment variables, timeouts, with_options() and your own httpx client.

CLAUDE_CODE_API_BASE_URL=... CLAUDE_CODE_API_KEY=... python examples/configuration.py
"""

from __future__ import annotations

# --8<-- [start:example]
import os

import httpx

from claude_client import ClaudeClient


def main() -> None:
    print(f"CLAUDE_CODE_API_BASE_URL={os.environ.get('CLAUDE_CODE_API_BASE_URL')}")

    with ClaudeClient(timeout=60, max_retries=2) as client:
        # The key is never shown: repr() keeps at most its last four characters.
        print(repr(client))
        # timeout is how long each call waits for its answer: never sent to the service.
        print(f"waits {client.timeout:g} s, up to {client.max_retries} retries")

        # A copy with other defaults, sharing the connection pool of `client`.
        patient = client.with_options(timeout=300, max_retries=0)
        print(f"copy: waits {patient.timeout:g} s, up to {patient.max_retries} retries")

        # A per-call timeout is sent as the task's server-side limit; the wait grows with it.
        reply = patient.complete("list three colors", model="haiku", timeout=120)
        print(f"{reply.model} answered ({len(reply.content)} characters)")

    # Your own httpx.Client (proxies, TLS, limits, event hooks): the library sends through it
    # with its own base URL, key, timeouts and retries, and leaves it open for you to close.
    seen: list[str] = []

    def log_request(request: httpx.Request) -> None:
        seen.append(f"{request.method} {request.url.path}")

    with httpx.Client(event_hooks={"request": [log_request]}) as http:
        with ClaudeClient(http_client=http) as client:
            client.health()
            client.get_usage()
        print(f"requests through my httpx client: {seen}")
        print(f"my httpx client is still open: {not http.is_closed}")


if __name__ == "__main__":
    main()
