"""Models and auto-routing: ask route() before running, then let Model.AUTO choose.

CLAUDE_CODE_API_BASE_URL=... CLAUDE_CODE_API_KEY=... python examples/models_and_routing.py
"""

from __future__ import annotations

# --8<-- [start:example]
from claude_client import ClaudeClient, Model

PROMPTS = (
    ("list three colors", 0),
    ("analyze this architecture", 0),
    ("Tell me a story about a whale", 0),
    ("Summarise the attached document", 20_000),
)


def main() -> None:
    with ClaudeClient() as client:
        # route() runs no task: it costs nothing and says which model AUTO would pick, and why.
        for prompt, context_size in PROMPTS:
            rec = client.route(prompt, context_size=context_size)
            print(f"{prompt!r} (context {context_size}) -> {rec.recommended_model.value}")
            print(f"    {rec.reasoning}")

        # With Model.AUTO (the default) the service picks; response.model says what ran.
        reply = client.complete("analyze this architecture", model=Model.AUTO)
        print(f"complete() with AUTO ran on {reply.model}")

        # Names are checked before any request: a typo never reaches the service.
        try:
            client.complete("hello", model="gpt-4")
        except ValueError as exc:
            print(f"ValueError: {exc}")

        print(f"Model('Opus') is Model.OPUS: {Model('Opus') is Model.OPUS}")


if __name__ == "__main__":
    main()
