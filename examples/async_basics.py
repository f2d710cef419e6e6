"""Asynchronous basics: several completions at once on one AsyncClaudeClient.

CLAUDE_CODE_API_BASE_URL=... CLAUDE_CODE_API_KEY=... python examples/async_basics.py
"""

from __future__ import annotations

# --8<-- [start:example]
import asyncio

from claude_client import AsyncClaudeClient, Model

QUESTIONS = (
    "list three colors",
    "count to five",
    "show a greeting",
)


async def main() -> None:
    async with AsyncClaudeClient() as client:  # same arguments as ClaudeClient
        # One client, one connection pool, many concurrent calls.
        replies = await asyncio.gather(
            *(client.complete(question, model=Model.HAIKU) for question in QUESTIONS)
        )
        for question, reply in zip(QUESTIONS, replies, strict=True):
            print(f"{question!r} -> {reply.content}")

        usage = await client.get_usage(period="day")
        print(f"today: {usage.total_tokens} tokens, ${usage.total_cost:.6f}")


if __name__ == "__main__":
    asyncio.run(main())
