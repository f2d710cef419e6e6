"""Low-level generated calls through client.low_level: same pool, key, retries and errors.

CLAUDE_CODE_API_BASE_URL=... CLAUDE_CODE_API_KEY=... python examples/low_level.py
"""

from __future__ import annotations

# --8<-- [start:example]
from claude_code_api.api.chat import create_chat_completion
from claude_code_api.api.service import get_service_info
from claude_code_api.models import (
    ChatCompletionRequest,
    ChatCompletionResponse,
    Message,
    ModelName,
)

from claude_client import ClaudeClient


def main() -> None:
    with ClaudeClient() as client:
        # GET / is in the contract but not wrapped by the high-level client. client.call()
        # runs a generated operation with client=client.low_level, and turns a body that
        # breaks the contract into MalformedResponseError (the generated parser would raise
        # KeyError or ValueError).
        info = client.call(get_service_info.sync)
        assert info is not None
        print(f"{info.name} {info.version}")
        for name, path in sorted(info.endpoints.additional_properties.items()):
            print(f"  {name}: {path}")

        # Or pass client.low_level yourself. The *_detailed form gives the status code and
        # headers along with the parsed model.
        body = ChatCompletionRequest(
            messages=[Message(role="user", content="list three colors")],
            model=ModelName.HAIKU,
        )
        answer = create_chat_completion.sync_detailed(client=client.low_level, body=body)
        print(f"HTTP {int(answer.status_code)}, {answer.headers['content-type']}")
        # The generated type also lists the error models, but an error status never gets here:
        # the shared transport raises the library's typed errors (BudgetExceededError, ...).
        completion = answer.parsed
        assert isinstance(completion, ChatCompletionResponse)
        print(f"{completion.model}: {completion.content} (${completion.cost:.6f})")


if __name__ == "__main__":
    main()
