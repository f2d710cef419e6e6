"""The contract itself: openapi.yaml is valid OpenAPI 3.1 and documents what the service does.

Lists of operations are derived from the contract and the service's served documents
(``contract/served/``), never spelled out here: a new operation is checked by the same rules.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml
from openapi_spec_validator import validate

from tests.contract._operations import HTTP_METHODS, operations

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / name).read_text())
    return loaded


SPEC = _load("openapi.yaml")
GENERATION_1 = _load("contract/served/generation-1.json")
OPERATIONS = {
    f"{method.upper()} {path}": op
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if method in HTTP_METHODS
}


def test_openapi_yaml_is_a_valid_openapi_3_1_document() -> None:
    assert SPEC["openapi"].startswith("3.1")
    validate(SPEC)


def test_the_contract_has_every_operation_the_service_serves() -> None:
    served = _load(f"contract/{_load('contract/overlay.yaml')['extends']}")
    assert set(OPERATIONS) == operations(served)
    # One client serves both generations: generation 1's operations are all still there.
    assert operations(GENERATION_1) <= set(OPERATIONS)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_operation_ids_read_as_python_function_names_under_a_declared_tag(name: str) -> None:
    op = OPERATIONS[name]
    assert re.fullmatch(r"[a-z][a-z0-9_]*", op["operationId"])
    assert not keyword.iskeyword(op["operationId"])
    assert len(op["tags"]) == 1
    assert op["tags"][0] in {tag["name"] for tag in SPEC["tags"]}


def test_operation_ids_are_unique() -> None:
    ids = [op["operationId"] for op in OPERATIONS.values()]
    assert len(ids) == len(set(ids))


def test_no_two_schemas_share_a_title() -> None:
    """openapi-python-client names classes by title and silently drops a path on a clash."""
    titles = [s.get("title", name) for name, s in SPEC["components"]["schemas"].items()]
    assert len(titles) == len(set(titles))


def _statuses(name: str) -> set[str]:
    return set(OPERATIONS[name]["responses"])


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_real_error_response_is_documented(name: str) -> None:
    """Rules from service-behaviour*.md section 2, applied to every operation."""
    op = OPERATIONS[name]
    statuses = _statuses(name)
    assert "200" in statuses
    if op.get("security", SPEC["security"]):
        # A key: missing or malformed 403, unknown 401, over the per-minute limit 429.
        assert {"401", "403", "429"} <= statuses
    if "requestBody" in op:
        # A body that is not UTF-8: 400; one that fails validation: 422.
        assert {"400", "422"} <= statuses
    if "parameters" in op:
        assert "422" in statuses


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_json_answer_documents_the_request_id_header(name: str) -> None:
    for status, response in OPERATIONS[name]["responses"].items():
        if "$ref" in response:
            response = SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
        assert "X-Request-ID" in response["headers"], status
        assert not response["headers"]["X-Request-ID"].get("required", False)


def test_public_routes_opt_out_of_the_bearer_key() -> None:
    assert SPEC["components"]["securitySchemes"]["HTTPBearer"] == {
        **SPEC["components"]["securitySchemes"]["HTTPBearer"],
        "type": "http",
        "scheme": "bearer",
    }
    assert SPEC["security"] == [{"HTTPBearer": []}]
    public = {name for name, op in OPERATIONS.items() if op.get("security") == []}
    assert all(not name.split()[1].startswith("/v1/") or "/providers" in name for name in public)
    assert {"GET /health", "GET /"} <= public


def test_models_and_periods_are_enums_and_auto_is_not_a_model() -> None:
    schemas = SPEC["components"]["schemas"]
    assert schemas["ModelName"]["enum"] == ["haiku", "sonnet", "opus"]
    assert schemas["Period"]["enum"] == ["month", "week", "day"]
    for request in ("ChatCompletionRequest", "BatchRequest", "AgenticTaskRequest"):
        model = schemas[request]["properties"]["model"]["anyOf"]
        assert {"$ref": "#/components/schemas/ModelName"} in model
        assert {"type": "null"} in model


def _validator(name: str) -> jsonschema.Draft202012Validator:
    resolvable = {**SPEC, "$ref": f"#/components/schemas/{name}"}
    return jsonschema.Draft202012Validator(resolvable)


HEALTH = {
    1: {
        "status": "ok",
        "version": "0.1.0",
        "services": {"worker_pool": "running", "budget_manager": "initialized"},
    },
    2: {
        "status": "degraded",
        "version": "0.1.0",
        "uptime_seconds": 47.8,
        "services": {
            "worker_pool": {"status": "ok", "detail": {"running": True, "active_workers": 0}},
            "redis": {"status": "unavailable", "detail": None},
        },
    },
}


@pytest.mark.parametrize("generation", sorted(HEALTH))
def test_health_documents_the_shape_of_both_generations(generation: int) -> None:
    _validator("HealthResponse").validate(HEALTH[generation])


def test_health_refuses_a_service_of_neither_shape() -> None:
    with pytest.raises(jsonschema.ValidationError):
        _validator("HealthResponse").validate(
            {"status": "ok", "version": "1", "services": {"worker_pool": 5}}
        )


def _refs(messages: list[dict[str, str]]) -> list[str]:
    return [m["$ref"].rsplit("/", 1)[-1] for m in messages]


def test_websocket_streams_document_each_message_and_frame_type_once() -> None:
    schemas = SPEC["components"]["schemas"]
    for stream in SPEC["x-websocket-streams"].values():
        for direction in ("client-messages", "server-messages"):
            names = _refs(stream[direction])
            types = [schemas[name]["properties"]["type"]["const"] for name in names]
            assert len(types) == len(set(types)), direction
    chat = SPEC["x-websocket-streams"]["/v1/stream"]
    assert {"chat", "agentic_task"} <= {
        schemas[name]["properties"]["type"]["const"] for name in _refs(chat["client-messages"])
    }
