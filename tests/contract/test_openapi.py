"""The contract itself: openapi.yaml is valid OpenAPI 3.1 and documents what the service does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    return loaded


def test_openapi_yaml_is_a_valid_openapi_3_1_document(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_operation_ids_read_as_python_function_names(spec: dict[str, Any]) -> None:
    ids = {
        op["operationId"]
        for path in spec["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert ids == {
        "create_chat_completion",
        "process_batch",
        "get_usage",
        "recommend_model",
        "get_health",
        "get_service_info",
    }


@pytest.mark.parametrize(
    ("path", "method", "statuses"),
    [
        ("/v1/chat/completions", "post", {"200", "400", "401", "403", "422", "429", "500"}),
        ("/v1/batch", "post", {"200", "400", "401", "403", "422", "429", "500"}),
        ("/v1/usage", "get", {"200", "400", "401", "403", "422", "429"}),
        ("/v1/route", "post", {"200", "400", "401", "403", "422", "429"}),
    ],
)
def test_every_real_error_response_is_documented(
    spec: dict[str, Any], path: str, method: str, statuses: set[str]
) -> None:
    assert set(spec["paths"][path][method]["responses"]) == statuses


def test_models_and_periods_are_enums_and_auto_is_not_a_model(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert schemas["ModelName"]["enum"] == ["haiku", "sonnet", "opus"]
    assert schemas["Period"]["enum"] == ["month", "week", "day"]
    chat_model = schemas["ChatCompletionRequest"]["properties"]["model"]["anyOf"]
    assert {"$ref": "#/components/schemas/ModelName"} in chat_model
    assert {"type": "null"} in chat_model


def test_bearer_security_scheme_guards_v1_routes_only(spec: dict[str, Any]) -> None:
    assert spec["components"]["securitySchemes"]["HTTPBearer"] == {
        **spec["components"]["securitySchemes"]["HTTPBearer"],
        "type": "http",
        "scheme": "bearer",
    }
    assert spec["security"] == [{"HTTPBearer": []}]
    assert spec["paths"]["/health"]["get"]["security"] == []
    assert spec["paths"]["/"]["get"]["security"] == []


def test_websocket_stream_is_documented_with_its_frames(spec: dict[str, Any]) -> None:
    stream = spec["x-websocket-streams"]["/v1/stream"]
    refs = [m["$ref"].rsplit("/", 1)[-1] for m in stream["server-messages"]]
    assert refs == ["StreamTokenFrame", "StreamDoneFrame", "StreamErrorFrame"]
    assert stream["client-messages"] == [{"$ref": "#/components/schemas/StreamChatRequest"}]
    for name in ["StreamChatRequest", *refs]:
        assert name in spec["components"]["schemas"]
