"""Schemathesis runs our contract (``openapi.yaml``) against the service double.

Every operation of ``openapi.yaml`` (not the double's own ``/openapi.json``, which is the
service's incomplete document) is exercised with generated requests, valid and invalid, over a
real socket; every answer must be one the contract documents: its status code, content type
and body schema. Bounded: 25 examples per operation and generation mode, no deadline,
deterministic generation, a few seconds in all.

Deviations from schemathesis's default checks, each replaced by a stricter check of ours:

- ``missing_required_header`` insists on 401 for a missing ``Authorization`` header, and its
  expected statuses cannot be configured for that header. The service answers 403
  ``Not authenticated`` (service-behaviour.md, section 2, authentication table) and
  ``openapi.yaml`` documents exactly that (``components.responses.Forbidden``);
  ``missing_key_is_forbidden`` checks the 403 and its body instead.
- ``negative_data_rejection`` expects every schema-violating request to be refused. The
  service validates with pydantic's lax mode and treats ``model`` as free text, so it accepts
  numeric strings and booleans for numbers, unknown query parameters and unknown model names
  (service-behaviour.md, section 2: "Any other string is passed on too (no 422)"; the
  contract's ``ModelName`` description says the same). Our contract is stricter than the
  service on purpose: it says what a client should send. What the answer to such a request
  must look like is still checked by every other check.
- ``not_a_server_error`` refuses every 5xx. The contract documents two 500s a generated
  request can meet: ``Task failed: ...`` from a chat completion whose model the CLI does not
  know (only reachable with a model outside the enum), and the plain-text
  ``Internal Server Error`` of ``/v1/batch`` with no prompts and no model.
  Generation 2 adds ``/v1/task``'s 500 ``Task execution failed: ...`` for a request its own
  checks refuse (empty description, unknown agents or skills, over 600 s or $10) and
  ``/v1/process``'s 500 ``SDK completion failed`` (without ``use_cli``: the SDK path has no
  key offline), its plain-text 500 (a ``null`` project or a ``content`` list of strings) and its
  501 (streaming or async asked for). ``only_documented_server_errors`` allows exactly those
  and nothing else.
- ``positive_data_acceptance`` expects every schema-valid request to be accepted; ``/v1/process``
  refuses one without any message with 400 ``No messages provided``, which a schema cannot say
  (one of four fields). For that operation ``process_without_messages_is_400`` checks the 400
  instead.

Only the contract's operations that the double serves are run (derived from
``claude_client.testing.api_routes()``): until the double serves generation 2, its new
operations (``/v1/process``, ``/v1/task``, ...) are left out, and
``test_the_double_serves_every_generation_1_operation`` checks that nothing else is.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import schemathesis
from schemathesis.checks import (
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from claude_client.testing import ServiceDouble, api_routes
from tests.contract._operations import HTTP_METHODS, operations

ROOT = Path(__file__).resolve().parents[2]
MODELS = ("haiku", "sonnet", "opus")

#: The double's key, fixed before the schema is loaded so schemathesis's own auth handling
#: (which leaves it out of the cases that test missing or wrong credentials) can send it.
#: A generated request of any operation.
Case = schemathesis.Case[Any]

API_KEY = "cc_" + secrets.token_hex(20)

CONFIG = schemathesis.Config.from_dict(
    {
        "auth": {"openapi": {"HTTPBearer": {"bearer": API_KEY}}},
        "generation": {"max-examples": 25, "deterministic": True, "database": "none"},
        "request-timeout": 10,
    }
)
CONTRACT = schemathesis.openapi.from_path(ROOT / "openapi.yaml", config=CONFIG)


CONTRACT_OPERATIONS = operations(CONTRACT.raw_schema)
SERVED_BY_DOUBLE = {
    f"{method} {path}"
    for path, methods in api_routes().items()
    for method in methods
    if method != "WEBSOCKET"
}
#: What schemathesis runs: the contract's operations that the double serves.
schema = CONTRACT.include(name=sorted(CONTRACT_OPERATIONS & SERVED_BY_DOUBLE))

EXCLUDED = [missing_required_header, negative_data_rejection, not_a_server_error]


def _json(response: schemathesis.Response) -> Any:
    try:
        return json.loads(response.content or b"")
    except ValueError:
        return None


def _detail(response: schemathesis.Response) -> str:
    body = _json(response)
    detail = body.get("detail") if isinstance(body, dict) else None
    return detail if isinstance(detail, str) else ""


def only_documented_server_errors(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: Case
) -> None:
    """A 5xx only where the contract documents one for this request (see module docstring)."""
    status = response.status_code
    if status < 500:
        return
    body = case.body if isinstance(case.body, dict) else {}
    operation = f"{case.method.upper()} {case.path}"
    if operation == "POST /v1/chat/completions" and status == 500:
        detail = _detail(response)
        assert detail.startswith("Task failed: "), f"500 without a Task failed detail: {detail!r}"
        assert body.get("model") not in (*MODELS, None), (
            f"a valid request failed on the server: {detail!r}"
        )
        return
    if operation == "POST /v1/batch" and status == 500:
        assert body.get("prompts") == [] and body.get("model") is None, (
            "only an empty batch without a model may answer 500"
        )
        _assert_plain_500(response)
        return
    if operation == "POST /v1/task" and status == 500:
        reason = _detail(response).removeprefix("Task execution failed: ")
        refused = [check for prefix, check in TASK_REFUSALS.items() if reason.startswith(prefix)]
        assert refused and refused[0](body), f"a valid task failed on the server: {reason!r}"
        return
    if operation == "POST /v1/process":
        _check_process_server_error(response, body)
        return
    raise AssertionError(f"undocumented server error {status} for {operation}: {response.text!r}")


def _assert_plain_500(response: schemathesis.Response) -> None:
    assert response.status_code == 500
    assert response.headers.get("content-type", [""])[0].startswith("text/plain")
    assert response.text == "Internal Server Error"


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


#: /v1/task's own request checks (500, nothing ran): reason -> the request that earns it.
TASK_REFUSALS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "Description is required": lambda b: not str(b.get("description") or "").strip(),
    "Unknown agents requested": lambda b: bool(b.get("allow_agents")),
    "Unknown skills requested": lambda b: bool(b.get("allow_skills")),
    "Timeout cannot exceed 600 seconds": lambda b: _number(b.get("timeout")) > 600,
    "Max cost cannot exceed": lambda b: _number(b.get("max_cost")) > 10,
}


def _check_process_server_error(response: schemathesis.Response, body: dict[str, Any]) -> None:
    """/v1/process's documented 5xx (service-behaviour.latest.md, section 2)."""
    extra = body.get("additional_params")
    if response.status_code == 501:
        streaming = isinstance(extra, dict) and bool(extra.get("stream"))
        assert streaming or body.get("async_processing") is True, response.text
        return
    content = body.get("content")
    if body.get("project_id", "") is None or (
        isinstance(content, list) and any(not isinstance(part, dict) for part in content)
    ):
        _assert_plain_500(response)
        return
    assert response.status_code == 500, response.text
    detail = _detail(response)
    assert detail.startswith("SDK completion failed: "), detail
    assert body.get("use_cli") is not True, f"the CLI path failed: {detail!r}"


def process_without_messages_is_400(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: Case
) -> None:
    """/v1/process refuses a request without any message (no schema can say "one of")."""
    if response.status_code != 400 or _detail(response) == "There was an error parsing the body":
        return
    body = case.body if isinstance(case.body, dict) else {}
    assert _detail(response) == "No messages provided", response.text
    given = [body.get(name) for name in ("messages", "system_message", "user_message")]
    assert not any(given), f"messages were given: {given!r}"


def _needs_key(case: Case) -> bool:
    """Whether the contract asks a key for the path (any of its operations)."""
    raw = CONTRACT.raw_schema
    item = raw["paths"].get(case.path, {})
    return any(
        op.get("security", raw["security"]) for method, op in item.items() if method in HTTP_METHODS
    )


def missing_key_is_forbidden(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: Case
) -> None:
    """A request without ``Authorization`` to a route that needs a key gets the service's 403
    (or a body 400/422)."""
    if not _needs_key(case) or "authorization" in {name.lower() for name in (case.headers or {})}:
        return
    if response.status_code == 422:
        # Undecodable JSON is refused before the key is looked at (service-behaviour.md, 2).
        return
    if response.status_code == 400 and _detail(response) == "There was an error parsing the body":
        # So is a body that is not UTF-8 (FastAPI reads the body before the key dependency).
        return
    assert response.status_code == 403, f"no key: {response.status_code} {response.text!r}"
    assert _detail(response) in ("Not authenticated", "Invalid authentication credentials")


BODY_OPERATIONS = sorted(
    (path, method)
    for path, item in CONTRACT.raw_schema["paths"].items()
    for method, op in item.items()
    if method in HTTP_METHODS and "requestBody" in op
)


@pytest.mark.parametrize(("path", "method"), BODY_OPERATIONS)
def test_contract_documents_400_for_undecodable_bodies(path: str, method: str) -> None:
    """FastAPI 0.109 (the service's) answers 400 for a body that is not decodable text."""
    assert "400" in CONTRACT.raw_schema["paths"][path][method]["responses"]


@pytest.fixture(scope="module")
def double() -> Iterator[ServiceDouble]:
    """A double of its own, whose key has a limit the generated requests cannot reach."""
    with ServiceDouble(api_key=API_KEY, rate_limit=1_000_000) as served:
        yield served


@schema.parametrize()
def test_the_double_answers_as_the_contract_says(case: Case, double: ServiceDouble) -> None:
    response = case.call(base_url=double.base_url)
    checks: list[schemathesis.CheckFunction] = [
        only_documented_server_errors,
        missing_key_is_forbidden,
    ]
    excluded = list(EXCLUDED)
    if f"{case.method.upper()} {case.path}" == "POST /v1/process":
        checks.append(process_without_messages_is_400)
        excluded.append(positive_data_acceptance)
    case.validate_response(response, excluded_checks=excluded, additional_checks=checks)


def test_every_contract_operation_the_double_serves_is_exercised() -> None:
    loaded = [result for result in schema.get_all_operations() if isinstance(result, Ok)]
    run = {f"{op.ok().method.upper()} {op.ok().path}" for op in loaded}
    assert len(loaded) == len(list(schema.get_all_operations()))
    assert run == CONTRACT_OPERATIONS & SERVED_BY_DOUBLE
    assert SERVED_BY_DOUBLE <= CONTRACT_OPERATIONS


def test_the_double_serves_every_generation_1_operation() -> None:
    """What is left out of the run is only what generation 1 did not have."""
    generation_1 = json.loads((ROOT / "contract" / "served" / "generation-1.json").read_text())
    assert operations(generation_1) <= SERVED_BY_DOUBLE


# --- answers generation cannot reach: explicit requests, checked against the same contract --

CONFORMANCE = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _chat(content: str, **extra: Any) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": content}], **extra}


class Scenario(NamedTuple):
    """One request and the answer the contract says it gets.

    ``key``: "ok" (unlimited project), "exhausted" (budget spent), "bad" (unknown key),
    "limited" (1 request per minute, already used), None (no header).
    """

    method: str
    path: str
    payload: dict[str, Any] | None
    key: str | None
    status: int
    detail: str = ""


CHAT, BATCH, USAGE, ROUTE = "/v1/chat/completions", "/v1/batch", "/v1/usage", "/v1/route"
SCENARIOS = {
    "chat 401 unknown key": Scenario("POST", CHAT, _chat("hi"), "bad", 401, "Invalid or"),
    "chat 403 no key": Scenario("POST", CHAT, _chat("hi"), None, 403, "Not authenticated"),
    "chat 429 budget": Scenario("POST", CHAT, _chat("hi"), "exhausted", 429, "Budget exceeded"),
    "chat 429 rate limit": Scenario("POST", CHAT, _chat("hi"), "limited", 429, "Rate limit"),
    "chat 500 task failed": Scenario("POST", CHAT, _chat("[[fail]]"), "ok", 500, "Task failed"),
    "chat 500 bad output": Scenario("POST", CHAT, _chat("[[bad-json]]"), "ok", 500, "Task failed"),
    "chat 200 empty reply": Scenario("POST", CHAT, _chat("[[empty]]", model="opus"), "ok", 200),
    "chat 422 timeout": Scenario("POST", CHAT, _chat("hi", timeout=0.5), "ok", 422),
    "batch 200 failed item": Scenario(
        "POST", BATCH, {"prompts": [{"prompt": "a"}, {"prompt": "[[fail]]", "id": "x"}]}, "ok", 200
    ),
    "batch 200 over budget": Scenario(
        "POST", BATCH, {"prompts": [{"prompt": "a"}]}, "exhausted", 200
    ),
    "batch 429 rate limit": Scenario("POST", BATCH, {"prompts": []}, "limited", 429, "Rate limit"),
    "usage 200 with budget": Scenario("GET", USAGE, {"period": "week"}, "exhausted", 200),
    "usage 401 unknown key": Scenario("GET", USAGE, None, "bad", 401, "Invalid or"),
    "usage 429 rate limit": Scenario("GET", USAGE, None, "limited", 429, "Rate limit"),
    "route 200 over budget": Scenario("POST", ROUTE, {"prompt": "analyze"}, "exhausted", 200),
    "route 401 unknown key": Scenario("POST", ROUTE, {"prompt": "x"}, "bad", 401, "Invalid or"),
    "route 429 rate limit": Scenario("POST", ROUTE, {"prompt": "x"}, "limited", 429, "Rate limit"),
    "health 200 bad key ignored": Scenario("GET", "/health", None, "bad", 200),
    "root 200": Scenario("GET", "/", None, None, 200),
}


def _key(double: ServiceDouble, which: str | None) -> str | None:
    if which == "ok":
        return double.api_key
    if which == "exhausted":
        return double.exhausted_key
    if which == "bad":
        return "cc_" + "0" * 40
    if which == "limited":
        key = double.add_key("limited-project", rate_limit=1)
        double.clock.freeze()  # both requests in the same calendar minute
        first = schema[USAGE]["GET"].Case(headers={"Authorization": f"Bearer {key}"})
        assert first.call(base_url=double.base_url).status_code == 200
        return key
    return None


@pytest.mark.parametrize("name", SCENARIOS)
def test_answers_generation_cannot_reach_follow_the_contract(
    name: str, double: ServiceDouble
) -> None:
    scenario = SCENARIOS[name]
    double.reset()
    try:
        key = _key(double, scenario.key)
        # The header is set here: schemathesis's auth would send the module's key.
        headers = {} if key is None else {"Authorization": f"Bearer {key}"}
        operation = schema[scenario.path][scenario.method]
        if scenario.method == "GET":
            case = operation.Case(headers=headers, query=scenario.payload or {})
        else:
            case = operation.Case(headers=headers, body=scenario.payload)
        response = case.call(base_url=double.base_url)
        assert response.status_code == scenario.status, response.text
        assert _detail(response).startswith(scenario.detail), response.text
        case.validate_response(response, checks=CONFORMANCE)
    finally:
        double.reset()
