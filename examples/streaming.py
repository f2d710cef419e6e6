"""Streaming: print a completion while it is produced, then what it used and cost.

Run it against any service (or the local double, `python -m claude_client.testing`):

    CLAUDE_CODE_API_BASE_URL=http://127.0.0.1:8765 CLAUDE_CODE_API_KEY=cc_... \
        python examples/streaming.py
"""

from __future__ import annotations

# --8<-- [start:example]
from claude_client import ClaudeClient, DoneEvent, Model, StreamError, TokenEvent


def main() -> None:
    with ClaudeClient() as client:
        # The text, chunk by chunk, the moment each frame arrives. Chunks are slices of the
        # reply cut by length, so one may end in the middle of a word: print them as they are.
        for chunk in client.stream("Tell me a story about a whale", model=Model.SONNET):
            print(chunk, end="", flush=True)
        print()

        # Events, then the whole result. Model.AUTO (the default) asks route() first: the
        # socket itself cannot choose a model.
        with client.stream_events("list three colors") as stream:
            tokens = 0
            for event in stream:
                if isinstance(event, TokenEvent):
                    tokens += 1
                elif isinstance(event, DoneEvent):
                    print(f"done after {tokens} chunks on {event.model}")
            reply = stream.get_final_response()
        print(f"{reply.model}: {reply.content}")
        print(
            f"{reply.usage.total_tokens} tokens, ${reply.cost:.6f}, "
            f"charged to project {reply.project_id}"
        )

        # Streamed usage counts in the key's project, like REST usage.
        usage = client.get_usage()
        print(f"project {usage.project_id}: {usage.total_tokens} tokens this month")

        # Stopping early is fine: leaving the loop closes the socket.
        for chunk in client.stream("Tell me a story about a whale", model=Model.HAIKU):
            print(f"first chunk only: {chunk!r}")
            break

        # A socket that ends before "done" raises StreamError, never hangs: every wait for a
        # frame is bounded by the timeout (default: the client's timeout).
        try:
            print("".join(client.stream("list three colors", model=Model.HAIKU, timeout=60)))
        except StreamError as exc:
            print(f"stream broke: {exc}")


if __name__ == "__main__":
    main()
