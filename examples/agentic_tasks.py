"""Agentic tasks and the other operations of the service's generation 2.

Run it against a generation-2 service (or the local double, `python -m claude_client.testing`):

    CLAUDE_CODE_API_BASE_URL=http://127.0.0.1:8765 CLAUDE_CODE_API_KEY=cc_... \
        python examples/agentic_tasks.py

The key needs a permission profile on the service (the double's keys have the `pro` one).
"""

from __future__ import annotations

# --8<-- [start:example]
from claude_client import (
    ClaudeClient,
    TaskCostExceededError,
    ThinkingEvent,
    UnsupportedByServiceError,
)


def main() -> None:
    with ClaudeClient() as client:
        try:
            ready = client.ready()
        except UnsupportedByServiceError as exc:  # a generation-1 service
            print(f"not available: {exc}")
            return
        print(f"ready: {ready.ready}")
        for provider in client.providers():
            print(f"provider {provider.name}: {', '.join(provider.models)}")
        capabilities = client.capabilities()
        print(f"agents: {', '.join(a.name for a in capabilities.agents) or '-'}")

        # A task: tools by plain name, a time limit in whole seconds, a cost limit in USD.
        result = client.execute_task(
            "summarize the repository", allow_tools=["Read", "Grep"], timeout=60, max_cost=0.5
        )
        print(f"task {result.status}: {result.usage.model_used}, ${result.cost:.6f}")

        # A task over its max_cost ran but is not charged: a typed error carrying its result.
        try:
            client.execute_task("review every module", model="opus", max_cost=0.000001)
        except TaskCostExceededError as exc:
            print(f"stopped: {exc.result.error}")

        # The same task over the WebSocket: progress notes, then the result.
        with client.stream_task("list the modules", timeout=60) as stream:
            for event in stream:
                if isinstance(event, ThinkingEvent):
                    print(f"thinking: {event.text}")
            print(f"streamed task {stream.get_final_result().status}")

        # /v1/process: the "AI services" request format; use_cli runs the Claude CLI.
        answer = client.process(
            "anthropic", "claude-3-haiku", user_message="hello", use_cli=True, max_tokens=300
        )
        print(f"process ran {answer.actual_model}: ${answer.cost:.6f}")

        # Tasks and process() are billed to the key's own project, like everything else.
        usage = client.get_usage()
        print(f"project {usage.project_id}: {usage.total_tokens} tokens")


# --8<-- [end:example]

if __name__ == "__main__":
    main()
