"""A small application that uses the client: what examples/test_my_app.py tests.

CLAUDE_CODE_API_BASE_URL=... CLAUDE_CODE_API_KEY=... python examples/my_app.py "some text"
"""

from __future__ import annotations

# --8<-- [start:example]
import sys

import attrs

from claude_client import BudgetExceededError, ClaudeClient, Model, TaskFailedError


@attrs.frozen
class Summary:
    """What the application returns: the text, or why there is none."""

    text: str | None
    model: str | None = None
    cost: float = 0.0
    problem: str | None = None


def summarise(client: ClaudeClient, document: str) -> Summary:
    """Summarise `document` on the cheapest model; degrade gracefully when it cannot."""
    try:
        reply = client.complete(f"Summarise in one line: {document}", model=Model.HAIKU)
    except BudgetExceededError:
        return Summary(text=None, problem="budget")
    except TaskFailedError:
        return Summary(text=None, problem="task failed")
    return Summary(text=reply.content, model=reply.model, cost=reply.cost)


def main(argv: list[str]) -> int:
    with ClaudeClient() as client:  # CLAUDE_CODE_API_BASE_URL / CLAUDE_CODE_API_KEY
        summary = summarise(client, " ".join(argv) or "an empty document")
    print(summary.text if summary.text is not None else f"no summary: {summary.problem}")
    return 0 if summary.problem is None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
