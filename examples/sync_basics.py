"""Synchronous basics: a completion per model, auto-selection, a conversation, usage, health.

Run it against any service (or the local double, `python -m claude_client.testing`):

    CLAUDE_CODE_API_BASE_URL=http://127.0.0.1:8765 CLAUDE_CODE_API_KEY=cc_... \
        python examples/sync_basics.py
"""

from __future__ import annotations

# --8<-- [start:example]
from claude_client import ClaudeClient, Message, Model


def main() -> None:
    # No arguments: the URL and key come from CLAUDE_CODE_API_BASE_URL / CLAUDE_CODE_API_KEY.
    with ClaudeClient() as client:
        health = client.health()
        state = "up" if health.ok else "down"
        print(f"service {state} ({health.status}), version {health.version}")

        for model in (Model.HAIKU, Model.SONNET, Model.OPUS):
            reply = client.complete("Name one benefit of unit tests.", model=model)
            print(f"{reply.model}: {reply.usage.total_tokens} tokens, ${reply.cost:.6f}")

        # Model.AUTO (the default) lets the service choose; the reply says which model ran.
        reply = client.complete("list three colors")
        print(f"auto chose {reply.model}: {reply.content}")

        # A conversation: Message objects or plain {"role", "content"} dicts.
        reply = client.complete(
            [
                Message("system", "Answer in one sentence."),
                {"role": "user", "content": "Why do we write docstrings?"},
            ],
            model="haiku",  # plain names work too, in any case
        )
        print(f"conversation: {reply.content}")

        usage = client.get_usage()  # the key's project, this month
        print(f"project {usage.project_id}: {usage.total_tokens} tokens, ${usage.total_cost:.6f}")
        for name, per_model in sorted(usage.by_model.items()):
            print(f"  {name}: {per_model.tokens} tokens")


if __name__ == "__main__":
    main()
