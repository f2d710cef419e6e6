"""claude-code-client: the Python client for the Claude Code API Service.

The public surface is re-exported here; every other module is private.

```python
from claude_client import ClaudeClient, Model

with ClaudeClient() as client:  # $CLAUDE_CODE_API_BASE_URL, $CLAUDE_CODE_API_KEY
    reply = client.complete("list three colors", model=Model.HAIKU)
    print(reply.content, reply.cost)
```
"""

# Only the version and the logging switch are imported here: each public name is imported on
# first use (``__getattr__`` below), so ``import claude_client`` stays cheap and a program pays
# only for what it uses (httpx, the generated models, attrs, streaming, batch, testing). Type
# checkers read the imports of the ``TYPE_CHECKING`` block as usual.
from typing import TYPE_CHECKING

from claude_client import _logging
from claude_client._version import __version__

if TYPE_CHECKING:
    from claude_client._async_client import AsyncClaudeClient
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
    from claude_client._client import ClaudeClient
    from claude_client._exceptions import (
        APIConnectionError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        BudgetExceededError,
        ClaudeAPIError,
        ClientClosedError,
        FieldError,
        MalformedFrameError,
        MalformedResponseError,
        MissingCredentialsError,
        NotFoundError,
        PermissionDeniedError,
        PoolTimeoutError,
        ProjectIdIgnoredWarning,
        RateLimitError,
        ResponseTooLargeError,
        ServerError,
        StreamError,
        TaskBudgetExceededError,
        TaskCostExceededError,
        TaskError,
        TaskExecutionError,
        TaskFailedError,
        TaskTimeoutError,
        TimeoutError,
        UnsupportedByServiceError,
        ValidationError,
    )
    from claude_client._gen2_models import (
        Agent,
        Artifact,
        Capabilities,
        ExecutionStep,
        ModelInfo,
        ProcessResponse,
        Provider,
        ProviderList,
        ProviderModels,
        Readiness,
        Skill,
        TaskResult,
        TaskStatus,
        TaskUsage,
    )
    from claude_client._model_choice import Model
    from claude_client._models import (
        BatchResponse,
        BatchResult,
        BudgetStatus,
        HealthStatus,
        Message,
        ModelUsage,
        Response,
        RouteRecommendation,
        Usage,
        UsageStats,
    )
    from claude_client._retries import RetryPolicy
    from claude_client._streaming import (
        AsyncChatStream,
        AsyncTaskStream,
        ChatStream,
        DoneEvent,
        ErrorEvent,
        StreamedResponse,
        StreamEvent,
        TaskDoneEvent,
        TaskEvent,
        TaskStream,
        ThinkingEvent,
        TokenEvent,
    )

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "Agent",
    "Artifact",
    "AsyncBatchIterator",
    "AsyncChatStream",
    "AsyncClaudeClient",
    "AsyncTaskStream",
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
    "Capabilities",
    "ChatStream",
    "ClaudeAPIError",
    "ClaudeClient",
    "ClientClosedError",
    "DoneEvent",
    "ErrorEvent",
    "ExecutionStep",
    "FieldError",
    "HealthStatus",
    "MalformedFrameError",
    "MalformedResponseError",
    "Message",
    "MissingCredentialsError",
    "Model",
    "ModelInfo",
    "ModelUsage",
    "NotFoundError",
    "PermissionDeniedError",
    "PoolTimeoutError",
    "ProcessResponse",
    "ProjectIdIgnoredWarning",
    "Provider",
    "ProviderList",
    "ProviderModels",
    "RateLimitError",
    "Readiness",
    "Response",
    "ResponseTooLargeError",
    "RetryPolicy",
    "RouteRecommendation",
    "ServerError",
    "Skill",
    "StreamError",
    "StreamEvent",
    "StreamedResponse",
    "TaskBudgetExceededError",
    "TaskCostExceededError",
    "TaskDoneEvent",
    "TaskError",
    "TaskEvent",
    "TaskExecutionError",
    "TaskFailedError",
    "TaskResult",
    "TaskStatus",
    "TaskStream",
    "TaskTimeoutError",
    "TaskUsage",
    "ThinkingEvent",
    "TimeoutError",
    "TokenEvent",
    "UnsupportedByServiceError",
    "Usage",
    "UsageStats",
    "ValidationError",
    "__version__",
]

#: The private module each public name lives in.
_HOMES: dict[str, str] = {
    "AsyncBatchIterator": "claude_client._batch",
    "BatchInputError": "claude_client._batch",
    "BatchItem": "claude_client._batch",
    "BatchItemResult": "claude_client._batch",
    "BatchIterator": "claude_client._batch",
    "BatchOptions": "claude_client._batch",
    "BatchRunResult": "claude_client._batch",
    "BatchSummary": "claude_client._batch",
    "AsyncClaudeClient": "claude_client._async_client",
    "ClaudeClient": "claude_client._client",
    "APIConnectionError": "claude_client._exceptions",
    "APIStatusError": "claude_client._exceptions",
    "APITimeoutError": "claude_client._exceptions",
    "AuthenticationError": "claude_client._exceptions",
    "BadRequestError": "claude_client._exceptions",
    "BudgetExceededError": "claude_client._exceptions",
    "ClaudeAPIError": "claude_client._exceptions",
    "ClientClosedError": "claude_client._exceptions",
    "FieldError": "claude_client._exceptions",
    "MalformedFrameError": "claude_client._exceptions",
    "MalformedResponseError": "claude_client._exceptions",
    "MissingCredentialsError": "claude_client._exceptions",
    "NotFoundError": "claude_client._exceptions",
    "PermissionDeniedError": "claude_client._exceptions",
    "PoolTimeoutError": "claude_client._exceptions",
    "ProjectIdIgnoredWarning": "claude_client._exceptions",
    "RateLimitError": "claude_client._exceptions",
    "ResponseTooLargeError": "claude_client._exceptions",
    "ServerError": "claude_client._exceptions",
    "StreamError": "claude_client._exceptions",
    "TaskFailedError": "claude_client._exceptions",
    "TimeoutError": "claude_client._exceptions",
    "ValidationError": "claude_client._exceptions",
    "BatchResponse": "claude_client._models",
    "BatchResult": "claude_client._models",
    "BudgetStatus": "claude_client._models",
    "HealthStatus": "claude_client._models",
    "Message": "claude_client._models",
    "Model": "claude_client._model_choice",
    "ModelUsage": "claude_client._models",
    "Response": "claude_client._models",
    "RouteRecommendation": "claude_client._models",
    "Usage": "claude_client._models",
    "UsageStats": "claude_client._models",
    "RetryPolicy": "claude_client._retries",
    "AsyncChatStream": "claude_client._streaming",
    "ChatStream": "claude_client._streaming",
    "DoneEvent": "claude_client._streaming",
    "ErrorEvent": "claude_client._streaming",
    "StreamedResponse": "claude_client._streaming",
    "StreamEvent": "claude_client._streaming",
    "TokenEvent": "claude_client._streaming",
    "TaskBudgetExceededError": "claude_client._exceptions",
    "TaskCostExceededError": "claude_client._exceptions",
    "TaskError": "claude_client._exceptions",
    "TaskExecutionError": "claude_client._exceptions",
    "TaskTimeoutError": "claude_client._exceptions",
    "UnsupportedByServiceError": "claude_client._exceptions",
    "Agent": "claude_client._gen2_models",
    "Artifact": "claude_client._gen2_models",
    "Capabilities": "claude_client._gen2_models",
    "ExecutionStep": "claude_client._gen2_models",
    "ModelInfo": "claude_client._gen2_models",
    "ProcessResponse": "claude_client._gen2_models",
    "Provider": "claude_client._gen2_models",
    "ProviderList": "claude_client._gen2_models",
    "ProviderModels": "claude_client._gen2_models",
    "Readiness": "claude_client._gen2_models",
    "Skill": "claude_client._gen2_models",
    "TaskResult": "claude_client._gen2_models",
    "TaskStatus": "claude_client._gen2_models",
    "TaskUsage": "claude_client._gen2_models",
    "AsyncTaskStream": "claude_client._streaming",
    "TaskDoneEvent": "claude_client._streaming",
    "TaskEvent": "claude_client._streaming",
    "TaskStream": "claude_client._streaming",
    "ThinkingEvent": "claude_client._streaming",
}


def _adopt(home: str | None = None) -> None:
    """Bind every public name whose module is loaded by now (only ``home``'s, when given),
    and show the exported classes as ``claude_client.X`` in tracebacks and reprs, not as the
    private module that defines them (as httpx and anthropic do); pickle finds them here by
    that name. ``StreamEvent`` and ``TaskEvent`` are unions, not classes: they keep no module
    of their own. Each home module calls ``_adopt(__name__)`` as its last line, so a module
    first loaded inside a call (the client imports most of its modules lazily) shows the
    public names too."""
    import sys

    names = globals()
    for name, where in _HOMES.items():
        module = sys.modules.get(where)
        if module is None or name in names or (home is not None and where != home):
            continue
        value = getattr(module, name, names)  # a module still loading may lack the name
        if value is names:
            continue
        if isinstance(value, type):
            value.__module__ = __name__
        names[name] = value


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    importlib.import_module(home)
    _adopt()
    return globals()[name]


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


# ``CLAUDE_CLIENT_LOG=info|debug`` switches the ``claude_client`` logger on (a stderr handler).
_logging.setup_from_env()
