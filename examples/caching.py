"""Response caching: re-running the same prompts sends nothing and costs nothing.

CLAUDE_CODE_API_BASE_URL=... CLAUDE_CODE_API_KEY=... python examples/caching.py
"""

from __future__ import annotations

# --8<-- [start:example]
import tempfile
from pathlib import Path

from claude_client import ClaudeClient, Model
from claude_client.cache import SQLiteCache

PROMPTS = ("list three colors", "count to five", "show a greeting")


def run(client: ClaudeClient, label: str) -> None:
    spent = saved = 0.0
    for prompt in PROMPTS:
        reply = client.complete(prompt, model=Model.HAIKU)
        spent += reply.cost
        saved += reply.saved_cost or 0.0
        how = "cache" if reply.cached else "sent"
        print(f"{label} {how:<5} {prompt!r}: {reply.usage.total_tokens} tokens billed")
    print(f"{label} spent ${spent:.6f}, saved ${saved:.6f}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.db"
        # The first run sends every prompt and stores each answer in the SQLite file.
        with ClaudeClient(cache=SQLiteCache(path)) as client:
            run(client, "run 1:")
        # A re-run (here a new client; another process on this machine would do the same)
        # finds every answer in the file: nothing is sent, nothing is billed.
        with ClaudeClient(cache=SQLiteCache(path)) as client:
            run(client, "run 2:")
            fresh = client.complete(PROMPTS[0], model=Model.HAIKU, cache=False)
            print(f"cache=False sends it again: cached={fresh.cached}")

    # Model.AUTO is routed first, so the entry is keyed by the model that answers.
    with ClaudeClient(cache=True) as client:  # True: an in-memory LRU
        auto = client.complete("list three colors")
        named = client.complete("list three colors", model=auto.model)
        print(f"auto ran on {auto.model}; naming {named.model} hits it: cached={named.cached}")


if __name__ == "__main__":
    main()
