"""scripts/contract_changes.py: the change report finds added and removed operations, changed
schemas, and the changes that break calls the handwritten layer makes."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from contract_changes import Usage, compare, handwritten_usage, type_of

ROOT = Path(__file__).resolve().parents[2]
CONTRACT: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())
USAGE = handwritten_usage(ROOT / "claude_client")


def _changed() -> dict[str, Any]:
    return copy.deepcopy(CONTRACT)


def test_the_handwritten_layer_usage_is_read_from_its_source() -> None:
    assert {"create_chat_completion", "process_batch", "get_health"} <= USAGE.operations
    assert {"ChatCompletionResponse", "HealthResponse", "StreamDoneFrame"} <= USAGE.models


def test_the_same_contract_reports_nothing() -> None:
    report = compare(CONTRACT, CONTRACT, USAGE)
    assert not (report.added or report.removed or report.schemas_changed or report.breaking)
    assert "BREAKING for existing calls of claude_client: none" in str(report)


def test_a_removed_operation_the_client_calls_is_breaking() -> None:
    new = _changed()
    del new["paths"]["/v1/usage"]
    report = compare(CONTRACT, new, USAGE)
    assert report.removed == ("GET /v1/usage (get_usage)",)
    assert report.breaking == ("operation removed: GET /v1/usage (get_usage)",)


def test_a_removed_operation_the_client_does_not_call_is_not_breaking() -> None:
    new = _changed()
    del new["paths"]["/ready"]
    report = compare(CONTRACT, new, Usage(frozenset({"get_health"}), frozenset()))
    assert report.removed == ("GET /ready (get_readiness)",)
    assert report.breaking == ()


def test_an_added_operation_and_its_answers_are_listed() -> None:
    old = copy.deepcopy(CONTRACT)
    del old["paths"]["/v1/capabilities"]
    new = _changed()
    new["paths"]["/v1/usage"]["get"]["responses"]["404"] = {"description": "gone"}
    report = compare(old, new, USAGE)
    assert report.added == ("GET /v1/capabilities (get_capabilities)",)
    assert report.answers == ("GET /v1/usage: +404",)


def test_a_removed_or_retyped_field_the_client_reads_is_breaking() -> None:
    new = _changed()
    props = new["components"]["schemas"]["ChatCompletionResponse"]["properties"]
    del props["cost"]
    props["content"] = {"type": "integer"}
    report = compare(CONTRACT, new, USAGE)
    assert "ChatCompletionResponse.cost: float (removed; read)" in report.breaking
    assert "ChatCompletionResponse.content: str -> int (retyped; read)" in report.breaking


def test_a_renamed_field_shows_as_removed_and_added() -> None:
    new = _changed()
    props = new["components"]["schemas"]["Usage"]["properties"]
    props["prompt_tokens"] = props.pop("input_tokens")
    report = compare(CONTRACT, new, USAGE)
    (change,) = report.schemas_changed
    assert (change.name, change.added, change.removed) == (
        "Usage",
        ("prompt_tokens: int",),
        ("input_tokens: int",),
    )
    assert "Usage.input_tokens: int (removed; read)" in report.breaking


def test_a_new_required_request_field_is_breaking() -> None:
    new = _changed()
    schema = new["components"]["schemas"]["RouteRequest"]
    schema["properties"]["project"] = {"type": "string"}
    schema["required"] = [*schema["required"], "project", "context_size"]
    report = compare(CONTRACT, new, USAGE)
    assert "RouteRequest.project (new required field; not sent)" in report.breaking
    assert "RouteRequest.context_size (new required field; not sent)" in report.breaking


def test_a_changed_field_of_an_unused_schema_is_listed_but_not_breaking() -> None:
    new = _changed()
    new["components"]["schemas"]["TaskUsage"]["properties"]["total_cost"] = {"type": "string"}
    report = compare(CONTRACT, new, Usage(frozenset({"get_health"}), frozenset()))
    assert [c.name for c in report.schemas_changed] == ["TaskUsage"]
    assert report.breaking == ()


def test_an_enum_the_client_reads_that_gains_a_value_is_breaking() -> None:
    new = _changed()
    new["components"]["schemas"]["ModelName"]["enum"].append("haiku-5")
    report = compare(CONTRACT, new, USAGE)
    assert report.breaking == (
        "ModelName enum[haiku, sonnet, opus] -> enum[haiku, sonnet, opus, haiku-5] (read)",
    )


def test_schemas_are_matched_by_title_not_by_served_key() -> None:
    """The service renamed Message to src__api__Message: the generated class did not change."""
    new = _changed()
    schemas = new["components"]["schemas"]
    schemas["chat__Message"] = schemas.pop("src__api__Message")
    report = compare(CONTRACT, new, USAGE)
    assert report.schemas_added == report.schemas_removed == ()


@pytest.mark.parametrize(
    ("schema", "text"),
    [
        ({"anyOf": [{"type": "string"}, {"type": "null"}]}, "None | str"),
        ({"type": "array", "items": {"$ref": "#/components/schemas/Usage"}}, "list[Usage]"),
        ({"type": "object", "additionalProperties": {"type": "integer"}}, "dict[str, int]"),
        ({"type": ["integer", "null"]}, "None | int"),
        ({"const": "chat"}, "Literal['chat']"),
        ({}, "Any"),
    ],
)
def test_types_read_as_python(schema: dict[str, Any], text: str) -> None:
    assert type_of(CONTRACT, schema) == text
