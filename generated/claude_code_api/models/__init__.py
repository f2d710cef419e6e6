"""Contains all the data models used in inputs/outputs.

Each model's module is imported on first use (module ``__getattr__``), so an operation loads
only the models it names, not all of them.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .agent_list_item import AgentListItem
    from .agentic_task_request import AgenticTaskRequest
    from .agentic_task_response import AgenticTaskResponse
    from .ai_service_response import AIServiceResponse
    from .artifact import Artifact
    from .batch_item_status import BatchItemStatus
    from .batch_prompt import BatchPrompt
    from .batch_request import BatchRequest
    from .batch_response import BatchResponse
    from .batch_result import BatchResult
    from .budget_status import BudgetStatus
    from .capabilities_response import CapabilitiesResponse
    from .chat_completion_request import ChatCompletionRequest
    from .chat_completion_response import ChatCompletionResponse
    from .error_detail import ErrorDetail
    from .execution_log_entry import ExecutionLogEntry
    from .execution_log_entry_details import ExecutionLogEntryDetails
    from .health_response import HealthResponse
    from .health_response_services import HealthResponseServices
    from .http_validation_error import HTTPValidationError
    from .message import Message
    from .message_role import MessageRole
    from .model_info import ModelInfo
    from .model_name import ModelName
    from .period import Period
    from .process_message import ProcessMessage
    from .process_message_metadata_type_0 import ProcessMessageMetadataType0
    from .process_message_tool_calls_type_0_item import ProcessMessageToolCallsType0Item
    from .process_metadata import ProcessMetadata
    from .process_request import ProcessRequest
    from .process_request_additional_params_type_0 import (
        ProcessRequestAdditionalParamsType0,
    )
    from .process_request_media_content_type_0_item import (
        ProcessRequestMediaContentType0Item,
    )
    from .process_request_memory_type_0 import ProcessRequestMemoryType0
    from .process_request_output_schema_type_0 import ProcessRequestOutputSchemaType0
    from .process_request_tools_type_0_item import ProcessRequestToolsType0Item
    from .provider import Provider
    from .provider_models import ProviderModels
    from .provider_models_models import ProviderModelsModels
    from .ready_response import ReadyResponse
    from .route_request import RouteRequest
    from .route_response import RouteResponse
    from .service_health import ServiceHealth
    from .service_health_detail_type_0 import ServiceHealthDetailType0
    from .service_info import ServiceInfo
    from .service_info_endpoints import ServiceInfoEndpoints
    from .skill_list_item import SkillListItem
    from .stream_agentic_task_request import StreamAgenticTaskRequest
    from .stream_chat_request import StreamChatRequest
    from .stream_done_frame import StreamDoneFrame
    from .stream_error_frame import StreamErrorFrame
    from .stream_result_frame import StreamResultFrame
    from .stream_thinking_frame import StreamThinkingFrame
    from .stream_token_frame import StreamTokenFrame
    from .task_result import TaskResult
    from .task_status import TaskStatus
    from .task_usage import TaskUsage
    from .usage import Usage
    from .usage_by_model import UsageByModel
    from .usage_response import UsageResponse
    from .usage_response_by_model import UsageResponseByModel
    from .validation_error import ValidationError
    from .validation_error_context import ValidationErrorContext

_HOMES = {
    "AgentListItem": ".agent_list_item",
    "AgenticTaskRequest": ".agentic_task_request",
    "AgenticTaskResponse": ".agentic_task_response",
    "AIServiceResponse": ".ai_service_response",
    "Artifact": ".artifact",
    "BatchItemStatus": ".batch_item_status",
    "BatchPrompt": ".batch_prompt",
    "BatchRequest": ".batch_request",
    "BatchResponse": ".batch_response",
    "BatchResult": ".batch_result",
    "BudgetStatus": ".budget_status",
    "CapabilitiesResponse": ".capabilities_response",
    "ChatCompletionRequest": ".chat_completion_request",
    "ChatCompletionResponse": ".chat_completion_response",
    "ErrorDetail": ".error_detail",
    "ExecutionLogEntry": ".execution_log_entry",
    "ExecutionLogEntryDetails": ".execution_log_entry_details",
    "HealthResponse": ".health_response",
    "HealthResponseServices": ".health_response_services",
    "HTTPValidationError": ".http_validation_error",
    "Message": ".message",
    "MessageRole": ".message_role",
    "ModelInfo": ".model_info",
    "ModelName": ".model_name",
    "Period": ".period",
    "ProcessMessage": ".process_message",
    "ProcessMessageMetadataType0": ".process_message_metadata_type_0",
    "ProcessMessageToolCallsType0Item": ".process_message_tool_calls_type_0_item",
    "ProcessMetadata": ".process_metadata",
    "ProcessRequest": ".process_request",
    "ProcessRequestAdditionalParamsType0": ".process_request_additional_params_type_0",
    "ProcessRequestMediaContentType0Item": ".process_request_media_content_type_0_item",
    "ProcessRequestMemoryType0": ".process_request_memory_type_0",
    "ProcessRequestOutputSchemaType0": ".process_request_output_schema_type_0",
    "ProcessRequestToolsType0Item": ".process_request_tools_type_0_item",
    "Provider": ".provider",
    "ProviderModels": ".provider_models",
    "ProviderModelsModels": ".provider_models_models",
    "ReadyResponse": ".ready_response",
    "RouteRequest": ".route_request",
    "RouteResponse": ".route_response",
    "ServiceHealth": ".service_health",
    "ServiceHealthDetailType0": ".service_health_detail_type_0",
    "ServiceInfo": ".service_info",
    "ServiceInfoEndpoints": ".service_info_endpoints",
    "SkillListItem": ".skill_list_item",
    "StreamAgenticTaskRequest": ".stream_agentic_task_request",
    "StreamChatRequest": ".stream_chat_request",
    "StreamDoneFrame": ".stream_done_frame",
    "StreamErrorFrame": ".stream_error_frame",
    "StreamResultFrame": ".stream_result_frame",
    "StreamThinkingFrame": ".stream_thinking_frame",
    "StreamTokenFrame": ".stream_token_frame",
    "TaskResult": ".task_result",
    "TaskStatus": ".task_status",
    "TaskUsage": ".task_usage",
    "Usage": ".usage",
    "UsageByModel": ".usage_by_model",
    "UsageResponse": ".usage_response",
    "UsageResponseByModel": ".usage_response_by_model",
    "ValidationError": ".validation_error",
    "ValidationErrorContext": ".validation_error_context",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = (
    "AgenticTaskRequest",
    "AgenticTaskResponse",
    "AgentListItem",
    "AIServiceResponse",
    "Artifact",
    "BatchItemStatus",
    "BatchPrompt",
    "BatchRequest",
    "BatchResponse",
    "BatchResult",
    "BudgetStatus",
    "CapabilitiesResponse",
    "ChatCompletionRequest",
    "ChatCompletionResponse",
    "ErrorDetail",
    "ExecutionLogEntry",
    "ExecutionLogEntryDetails",
    "HealthResponse",
    "HealthResponseServices",
    "HTTPValidationError",
    "Message",
    "MessageRole",
    "ModelInfo",
    "ModelName",
    "Period",
    "ProcessMessage",
    "ProcessMessageMetadataType0",
    "ProcessMessageToolCallsType0Item",
    "ProcessMetadata",
    "ProcessRequest",
    "ProcessRequestAdditionalParamsType0",
    "ProcessRequestMediaContentType0Item",
    "ProcessRequestMemoryType0",
    "ProcessRequestOutputSchemaType0",
    "ProcessRequestToolsType0Item",
    "Provider",
    "ProviderModels",
    "ProviderModelsModels",
    "ReadyResponse",
    "RouteRequest",
    "RouteResponse",
    "ServiceHealth",
    "ServiceHealthDetailType0",
    "ServiceInfo",
    "ServiceInfoEndpoints",
    "SkillListItem",
    "StreamAgenticTaskRequest",
    "StreamChatRequest",
    "StreamDoneFrame",
    "StreamErrorFrame",
    "StreamResultFrame",
    "StreamThinkingFrame",
    "StreamTokenFrame",
    "TaskResult",
    "TaskStatus",
    "TaskUsage",
    "Usage",
    "UsageByModel",
    "UsageResponse",
    "UsageResponseByModel",
    "ValidationError",
    "ValidationErrorContext",
)
