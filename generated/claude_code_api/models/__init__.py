"""Contains all the data models used in inputs/outputs"""

from .batch_item_status import BatchItemStatus
from .batch_prompt import BatchPrompt
from .batch_request import BatchRequest
from .batch_response import BatchResponse
from .batch_result import BatchResult
from .budget_status import BudgetStatus
from .chat_completion_request import ChatCompletionRequest
from .chat_completion_response import ChatCompletionResponse
from .error_detail import ErrorDetail
from .health_response import HealthResponse
from .health_response_services import HealthResponseServices
from .http_validation_error import HTTPValidationError
from .message import Message
from .model_name import ModelName
from .period import Period
from .route_request import RouteRequest
from .route_response import RouteResponse
from .service_info import ServiceInfo
from .service_info_endpoints import ServiceInfoEndpoints
from .stream_chat_request import StreamChatRequest
from .stream_done_frame import StreamDoneFrame
from .stream_error_frame import StreamErrorFrame
from .stream_token_frame import StreamTokenFrame
from .usage import Usage
from .usage_by_model import UsageByModel
from .usage_response import UsageResponse
from .usage_response_by_model import UsageResponseByModel
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext

__all__ = (
    "BatchItemStatus",
    "BatchPrompt",
    "BatchRequest",
    "BatchResponse",
    "BatchResult",
    "BudgetStatus",
    "ChatCompletionRequest",
    "ChatCompletionResponse",
    "ErrorDetail",
    "HealthResponse",
    "HealthResponseServices",
    "HTTPValidationError",
    "Message",
    "ModelName",
    "Period",
    "RouteRequest",
    "RouteResponse",
    "ServiceInfo",
    "ServiceInfoEndpoints",
    "StreamChatRequest",
    "StreamDoneFrame",
    "StreamErrorFrame",
    "StreamTokenFrame",
    "Usage",
    "UsageByModel",
    "UsageResponse",
    "UsageResponseByModel",
    "ValidationError",
    "ValidationErrorContext",
)
