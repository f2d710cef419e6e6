"""Asynchronous streaming: several streams at once, events and usage, stopping early.

CLAUDE_CODE_API_BASE_URL=... CLAUDE_CODE_API_KEY=... python examples/async_streaming.py
"""

from __future__ import annotations

# --8<-- [start:example]
import asyncio
import contextlib

from claude_client import AsyncClaudeClient, Model

QUESTIONS = ("list three colors", "count to five", "show a greeting")


async def collect(client: AsyncClaudeClient, question: str) -> str:
    # aclosing() closes the socket at once should the loop end early (break, exception);
    # without it, an abandoned stream is closed by the event loop a moment later.
    async with contextlib.aclosing(client.stream(question, model=Model.HAIKU)) as chunks:
        return "".join([chunk async for chunk in chunks])


async def main() -> None:
    async with AsyncClaudeClient() as client:
        # One socket per stream, all on the client's connection pool.
        answers = await asyncio.gather(*(collect(client, q) for q in QUESTIONS))
        for question, answer in zip(QUESTIONS, answers, strict=True):
            print(f"{question!r} -> {answer}")

        # The richer form: events, then usage, cost and model.
        async with client.stream_events("Tell me a story about a whale") as stream:
            async for chunk in stream.aiter_text():
                print(chunk, end="", flush=True)
            print()
            reply = await stream.get_final_response()
        print(f"{reply.model}: {reply.usage.total_tokens} tokens, ${reply.cost:.6f}")

        # Stopping early closes the socket; so does cancelling the task that reads it.
        async with contextlib.aclosing(client.stream("count to five", model="opus")) as chunks:
            async for chunk in chunks:
                print(f"first chunk only: {chunk!r}")
                break


if __name__ == "__main__":
    asyncio.run(main())
