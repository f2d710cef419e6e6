"""Generation 2's operations, loaded on the first generation-2 call: each operation's ``Op``
(its generated answer, conversion and retry class) and the scope that reads a generic 404 as
``UnsupportedByServiceError``. Kept apart from ``_gen2_client`` so that the client classes
load without the generated models and the generation-2 results."""

from __future__ import annotations

from typing import Any, Final, TypeVar

from claude_code_api import models as g
from claude_code_api.api.process import process as process_op
from claude_code_api.api.providers import get_provider_models, list_providers
from claude_code_api.api.service import get_readiness
from claude_code_api.api.tasks import execute_task as execute_task_op
from claude_code_api.api.tasks import get_capabilities

from claude_client._calls import Op, Scope
from claude_client._error_mapping import task_error, unsupported_by_service
from claude_client._exceptions import NotFoundError
from claude_client._gen2_models import (
    TaskResult,
    TaskStatus,
    agentic_task_from,
    capabilities_from,
    process_response_from,
    provider_models_from,
    providers_from,
    readiness_from,
)

__all__ = [
    "CAPABILITIES",
    "PROCESS",
    "PROVIDERS",
    "PROVIDER_MODELS",
    "READY",
    "TASK",
    "Gen2Scope",
    "execute_task_op",
    "finished",
    "get_capabilities",
    "get_provider_models",
    "get_readiness",
    "list_providers",
    "process_op",
]

_G = TypeVar("_G")
_R = TypeVar("_R")

#: The generic 404 of a path the service does not have (generation 1 for these paths).
_NO_ROUTE: Final = "Not Found"

TASK: Final = Op(g.AgenticTaskResponse, agentic_task_from, "task", "POST", "/v1/task", True)
PROCESS: Final = Op(
    g.AIServiceResponse, process_response_from, "process", "POST", "/v1/process", True
)
PROVIDERS: Final = Op(list, providers_from, "providers", "GET", "/v1/providers", False)
PROVIDER_MODELS: Final = Op(
    g.ProviderModels,
    provider_models_from,
    "provider_models",
    "GET",
    "/v1/providers/{provider}/models",
    False,
)
CAPABILITIES: Final = Op(
    g.CapabilitiesResponse, capabilities_from, "capabilities", "GET", "/v1/capabilities", False
)
READY: Final = Op(g.ReadyResponse, readiness_from, "ready", "GET", "/ready", False)


class Gen2Scope(Scope[_G, _R]):
    """A generation-2 call's scope: a generic 404 says the service is older."""

    __slots__ = ("operation",)

    def __init__(self, op: Op[_G, _R], wait: float, operation: str) -> None:
        super().__init__(op, wait)
        self.operation = operation

    def __exit__(self, *exc_info: Any) -> None:
        super().__exit__(*exc_info)
        exc = exc_info[1]
        if isinstance(exc, NotFoundError) and exc.detail == _NO_ROUTE:
            raise unsupported_by_service(exc, self.operation) from exc


def finished(result: TaskResult, where: str) -> TaskResult:
    """``result`` if the task completed; else its typed ``TaskError``."""
    if result.status is not TaskStatus.COMPLETED:
        raise task_error(result.status.value, result.error, result, where)
    return result
