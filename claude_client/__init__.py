"""claude-code-client: the Python client for the Claude Code API Service.

The public surface is re-exported here; every other module is private.

```python
from claude_client import ClaudeClient, Model

with ClaudeClient() as client:  # $CLAUDE_CODE_API_BASE_URL, $CLAUDE_CODE_API_KEY
    reply = client.complete("list three colors", model=Model.HAIKU)
    print(reply.content, reply.cost)
```
"""

from claude_client import _logging
from claude_client._batch import (
    AsyncBatchIterator,
    BatchInputError,
    BatchItem,
    BatchItemResult,
    BatchIterator,
    BatchOptions,
    BatchRunResult,
    BatchSummary,
)
from claude_client._client import AsyncClaudeClient, ClaudeClient
from claude_client._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BudgetExceededError,
    ClaudeAPIError,
    FieldError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    ProjectIdIgnoredWarning,
    RateLimitError,
    ServerError,
    StreamError,
    TaskFailedError,
    TimeoutError,
    ValidationError,
)
from claude_client._models import (
    BatchResponse,
    BatchResult,
    BudgetStatus,
    HealthStatus,
    Message,
    Model,
    ModelUsage,
    Response,
    RouteRecommendation,
    Usage,
    UsageStats,
)
from claude_client._retries import RetryPolicy
from claude_client._streaming import (
    AsyncChatStream,
    ChatStream,
    DoneEvent,
    ErrorEvent,
    StreamedResponse,
    StreamEvent,
    TokenEvent,
)
from claude_client._version import __version__

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncBatchIterator",
    "AsyncChatStream",
    "AsyncClaudeClient",
    "AuthenticationError",
    "BadRequestError",
    "BatchInputError",
    "BatchItem",
    "BatchItemResult",
    "BatchIterator",
    "BatchOptions",
    "BatchResponse",
    "BatchResult",
    "BatchRunResult",
    "BatchSummary",
    "BudgetExceededError",
    "BudgetStatus",
    "ChatStream",
    "ClaudeAPIError",
    "ClaudeClient",
    "DoneEvent",
    "ErrorEvent",
    "FieldError",
    "HealthStatus",
    "MalformedResponseError",
    "Message",
    "Model",
    "ModelUsage",
    "NotFoundError",
    "PermissionDeniedError",
    "ProjectIdIgnoredWarning",
    "RateLimitError",
    "Response",
    "RetryPolicy",
    "RouteRecommendation",
    "ServerError",
    "StreamError",
    "StreamEvent",
    "StreamedResponse",
    "TaskFailedError",
    "TimeoutError",
    "TokenEvent",
    "Usage",
    "UsageStats",
    "ValidationError",
    "__version__",
]

# The exported classes show as ``claude_client.X`` in tracebacks and reprs, not as the private
# module that defines them (as httpx and anthropic do); pickle finds them here by that name.
# ``StreamEvent`` is a union, not a class: it keeps no module of its own.
for _name in __all__:
    _exported = globals()[_name]
    if isinstance(_exported, type):
        _exported.__module__ = __name__
del _name, _exported

# ``CLAUDE_CLIENT_LOG=info|debug`` switches the ``claude_client`` logger on (a stderr handler).
_logging.setup_from_env()
