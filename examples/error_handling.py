"""Error handling: one hierarchy, specific classes for what you can act on.

CLAUDE_CODE_API_BASE_URL=... CLAUDE_CODE_API_KEY=... python examples/error_handling.py
"""

from __future__ import annotations

# --8<-- [start:example]
from claude_client import (
    APIConnectionError,
    AuthenticationError,
    BudgetExceededError,
    ClaudeAPIError,
    ClaudeClient,
    PermissionDeniedError,
    RateLimitError,
    TaskFailedError,
)


def ask(client: ClaudeClient, prompt: str) -> str:
    """What an application does: act on the errors it can handle, report the rest."""
    try:
        return client.complete(prompt, model="haiku").content
    except BudgetExceededError as exc:  # 429, never retried: wait for next month or raise it
        return f"budget spent ({exc.detail})"
    except RateLimitError:  # 429, raised only once the automatic retries are used up
        return "rate limited: try again in a minute"
    except TaskFailedError as exc:  # 500: the task ran and failed; not rerun unless opted in
        return f"the task failed on the server: {exc.detail}"
    except (AuthenticationError, PermissionDeniedError) as exc:  # 401 / 403: fix the key
        return f"{type(exc).__name__} (HTTP {exc.status_code}): check CLAUDE_CODE_API_KEY"
    except APIConnectionError as exc:  # no answer at all (TimeoutError is a subclass)
        return f"{type(exc).__name__}: is the service running?"
    except ClaudeAPIError as exc:  # anything else the service did
        return f"{type(exc).__name__}: {exc}"


def main() -> None:
    with ClaudeClient() as client:
        print("ok:", ask(client, "list three colors")[:40])

        # Arguments are checked before any request: plain ValueError / TypeError.
        try:
            client.complete("hello", model="gpt-4")
        except ValueError as exc:
            print("ValueError:", exc)
        try:
            client.get_usage(period="year")
        except ValueError as exc:
            print("ValueError:", exc)

        # A wrong key: 401, with the status, the detail and the request on the error.
        with ClaudeClient(base_url=client.base_url, api_key="cc_" + "0" * 40) as wrong:
            print("wrong key:", ask(wrong, "hello"))
            try:
                wrong.get_usage()
            except AuthenticationError as exc:
                print(f"  {exc.status_code} {exc.method} {exc.url}: {exc.detail!r}")
                print(f"  the key is not in the message: {'0000' not in str(exc)}")

    # Nothing listening: connection refused is retried (it surely did not run), then raised.
    with ClaudeClient(base_url="http://127.0.0.1:9", max_retries=1, retry_delay=0.01) as down:
        print("no service:", ask(down, "hello"))


if __name__ == "__main__":
    main()
