"""ClaudeClient and AsyncClaudeClient over respx: every method, error, retry branch and option,
each test run with both clients (the ``make`` / ``client`` fixtures)."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any, cast

import httpx
import pytest
import respx

from claude_client import (
    APIConnectionError,
    AsyncClaudeClient,
    AuthenticationError,
    BadRequestError,
    BatchResponse,
    BudgetExceededError,
    ClaudeAPIError,
    ClaudeClient,
    ClientClosedError,
    HealthStatus,
    MalformedResponseError,
    Message,
    MissingCredentialsError,
    Model,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RouteRecommendation,
    ServerError,
    TaskFailedError,
    TimeoutError,
    UsageStats,
    ValidationError,
)
from tests.unit.conftest import (
    BASE,
    BATCH_BODY,
    BUDGET_EXCEEDED,
    CHAT,
    CHAT_BODY,
    CHAT_RESULT,
    HEALTH_BODY,
    KEY,
    RATE_LIMITED,
    ROUTE_BODY,
    TASK_FAILED,
    USAGE_BODY,
    Caller,
    Factory,
    FakeClock,
)


def sent(route: respx.Route, index: int = -1) -> Any:
    return json.loads(route.calls[index].request.content)


def read_timeout(route: respx.Route, index: int = -1) -> float:
    timeouts: dict[str, float] = route.calls[index].request.extensions["timeout"]
    return timeouts["read"]


# --- every method, sync and async ------------------------------------------------------------


async def test_complete_sends_the_prompt_and_returns_a_response(
    client: Caller, service: respx.MockRouter
) -> None:
    route = service.post(CHAT).respond(200, json=CHAT_BODY)
    result = await client.complete("list three colors", model=Model.HAIKU)
    assert result == CHAT_RESULT
    assert sent(route) == {  # no task limit: the service applies its own
        "messages": [{"role": "user", "content": "list three colors"}],
        "model": "haiku",
    }
    headers = route.calls.last.request.headers
    assert headers["authorization"] == f"Bearer {KEY}"
    assert headers["user-agent"].startswith("claude-code-client/")


async def test_complete_with_messages_and_max_tokens(
    client: Caller, service: respx.MockRouter
) -> None:
    route = service.post(CHAT).respond(200, json=CHAT_BODY)
    await client.complete(
        [Message("system", "be brief"), {"role": "user", "content": "hi"}], max_tokens=20000
    )
    assert sent(route) == {
        "messages": [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": "hi"},
        ],
        "max_tokens": 20000,
    }


async def test_complete_sends_generation_2_chat_tools_and_directory(
    client: Caller, service: respx.MockRouter
) -> None:
    route = service.post(CHAT).respond(200, json=CHAT_BODY)
    await client.complete(
        "read the readme", allowed_tools=("Read", "mcp__local-mcp"), working_directory="/srv/repo"
    )
    assert sent(route) == {
        "messages": [{"role": "user", "content": "read the readme"}],
        "allowed_tools": ["Read", "mcp__local-mcp"],
        "working_directory": "/srv/repo",
    }
    await client.complete("no tools", allowed_tools=[])
    assert sent(route)["allowed_tools"] == []  # the service adds nothing for an empty list


@pytest.mark.parametrize("model", [Model.AUTO, "auto", "AUTO"])
async def test_auto_sends_no_model(client: Caller, service: respx.MockRouter, model: Any) -> None:
    route = service.post(CHAT).respond(200, json=CHAT_BODY)
    await client.complete("hi", model=model)
    assert "model" not in sent(route)


@pytest.mark.parametrize(("model", "wire"), [("Opus", "opus"), ("SONNET", "sonnet")])
async def test_model_strings_are_sent_in_wire_form(
    client: Caller, service: respx.MockRouter, model: str, wire: str
) -> None:
    route = service.post(CHAT).respond(200, json=CHAT_BODY)
    await client.complete("hi", model=model)
    assert sent(route)["model"] == wire


async def test_batch_sends_indexed_ids_and_returns_results(
    client: Caller, service: respx.MockRouter
) -> None:
    route = service.post("/v1/batch").respond(200, json=BATCH_BODY)
    result = await client.batch(["first q", ("mine", "second q")], model="haiku", timeout=20)
    assert isinstance(result, BatchResponse)
    assert (result.total, result.completed, result.failed) == (2, 1, 1)
    assert result.results[1].error == "Process exited with code 1\nStderr: boom"
    assert sent(route) == {
        "prompts": [{"prompt": "first q", "id": "0"}, {"prompt": "second q", "id": "mine"}],
        "model": "haiku",
        "timeout": 20.0,
    }


async def test_get_usage_sends_the_period(client: Caller, service: respx.MockRouter) -> None:
    route = service.get("/v1/usage").respond(200, json=USAGE_BODY)
    stats = await client.get_usage()
    assert isinstance(stats, UsageStats)
    assert (stats.total_tokens, stats.remaining, stats.by_model["sonnet"].tokens) == (
        1316,
        -36,
        524,
    )
    assert route.calls.last.request.url.params["period"] == "month"
    await client.get_usage("Week")
    assert route.calls.last.request.url.params["period"] == "week"


async def test_route_returns_a_recommendation(client: Caller, service: respx.MockRouter) -> None:
    route = service.post("/v1/route").respond(200, json=ROUTE_BODY)
    result = await client.route("list three colors", context_size=20000)
    assert isinstance(result, RouteRecommendation)
    assert result.recommended_model is Model.HAIKU
    assert sent(route) == {"prompt": "list three colors", "context_size": 20000}


async def test_health(client: Caller, service: respx.MockRouter) -> None:
    service.get("/health").respond(200, json=HEALTH_BODY)
    health = await client.health()
    assert isinstance(health, HealthStatus)
    assert health.ok and health.services["worker_pool"] == "running"


async def test_context_managers_close_the_pool() -> None:
    with ClaudeClient(BASE, KEY) as sync_client:
        pass
    assert sync_client._http.is_closed
    async with AsyncClaudeClient(BASE, KEY) as async_client:
        pass
    assert async_client._http.is_closed


# --- arguments checked before any request ----------------------------------------------------


@pytest.mark.parametrize(
    ("method", "args", "kwargs"),
    [
        ("complete", ("hi",), {"model": "gpt-4"}),
        ("complete", ("hi",), {"timeout": 0.5}),
        ("complete", ("hi",), {"timeout": 301}),
        ("complete", ([],), {}),
        ("batch", ([],), {}),
        ("batch", (["a"],), {"model": "claude"}),
        ("batch", (["a"],), {"timeout": 0}),
        ("get_usage", ("year",), {}),
        ("route", ("hi",), {"context_size": -1}),
        # Generation 2 pastes these into a shell command line: nothing a shell interprets.
        ("complete", ("hi",), {"allowed_tools": ["Read'; touch /tmp/x; echo '"]}),
        ("complete", ("hi",), {"allowed_tools": ["Read Grep"]}),
        ("complete", ("hi",), {"allowed_tools": ["--dangerously-skip-permissions"]}),
        ("complete", ("hi",), {"allowed_tools": [""]}),
        ("complete", ("hi",), {"working_directory": "/srv/$(id)"}),
        ("complete", ("hi",), {"working_directory": ""}),
    ],
)
async def test_invalid_arguments_raise_value_error_before_any_request(
    client: Caller, service: respx.MockRouter, method: str, args: Any, kwargs: Any
) -> None:
    with pytest.raises(ValueError):
        await getattr(client, method)(*args, **kwargs)
    assert not service.calls


@pytest.mark.parametrize(
    ("method", "args", "kwargs"),
    [
        ("complete", ("hi",), {"max_tokens": "many"}),
        ("complete", ("hi",), {"allowed_tools": "Read"}),
        ("complete", ("hi",), {"allowed_tools": [1]}),
        ("complete", ("hi",), {"working_directory": 5}),
        ("complete", (123,), {}),
        ("route", (123,), {}),
        ("route", ("hi",), {"context_size": 1.5}),
        ("batch", ("one prompt",), {}),
        # The third position is the seed's project_id (a string): a number there is refused.
        ("complete", ("hi", "haiku", 60), {}),
        ("stream", ("hi", "haiku", 60), {}),
        ("get_usage", ("month", 7), {}),
        ("batch", (["a"], "haiku", 60), {}),
        ("batch", (["a"], "haiku", "p"), {"project_id": "p"}),
    ],
)
async def test_wrong_types_raise_type_error_before_any_request(
    client: Caller, service: respx.MockRouter, method: str, args: Any, kwargs: Any
) -> None:
    with pytest.raises(TypeError):
        await getattr(client, method)(*args, **kwargs)
    assert not service.calls


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), float("inf"), 1e12])
def test_constructor_rejects_a_wait_that_is_no_wait(timeout: float) -> None:
    with pytest.raises(ValueError):
        ClaudeClient(BASE, KEY, timeout=timeout)


@pytest.mark.parametrize(
    "setting",
    [
        {"retry_delay": float("inf")},
        {"retry_delay": 1e12},
        {"max_retry_delay": float("inf")},
        {"retry_deadline": float("nan")},
        {"max_retries": 10**6},
    ],
)
def test_retry_settings_must_be_finite_and_bounded(setting: dict[str, float]) -> None:
    """Issue 14: ``retry_delay=inf`` was accepted, then the sync client raised OverflowError
    and the async one slept forever."""
    with pytest.raises(ValueError, match="must be between"):
        ClaudeClient(BASE, KEY, **setting)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be between"):
        ClaudeClient(BASE, KEY).with_options(**setting)  # type: ignore[arg-type]


async def test_a_call_on_a_closed_client_says_the_client_is_closed(
    client: Caller, service: respx.MockRouter
) -> None:
    """Issue 14: httpx's bare RuntimeError came out; now a typed error says what happened."""
    service.get("/v1/usage").respond(200, json=USAGE_BODY)
    copy = client.client.with_options(max_retries=0)
    await client.close()
    for closed in (client, Caller(copy)):
        with pytest.raises(ClientClosedError, match="client is closed") as caught:
            await closed.get_usage()
        assert isinstance(caught.value, RuntimeError)
        assert isinstance(caught.value, ClaudeAPIError)


def test_constructor_rejects_the_wrong_http_client() -> None:
    with pytest.raises(TypeError):
        ClaudeClient(BASE, KEY, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        AsyncClaudeClient(BASE, KEY, http_client=httpx.Client())  # type: ignore[arg-type]


def test_a_project_id_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(TypeError, match="project_id must be a string"):
        cast(Any, ClaudeClient)(BASE, KEY, 60)


# --- every error class from its real status and body ------------------------------------------

ERRORS: list[tuple[int, Any, type[ClaudeAPIError]]] = [
    (400, {"detail": "Invalid period: year. Use 'month', 'week', or 'day'"}, BadRequestError),
    (401, {"detail": "Invalid or revoked API key"}, AuthenticationError),
    (403, {"detail": "Not authenticated"}, MissingCredentialsError),
    (403, {"detail": "Invalid authentication credentials"}, MissingCredentialsError),
    (403, {"detail": "Forbidden"}, PermissionDeniedError),
    (404, {"detail": "Not Found"}, NotFoundError),
    (
        422,
        {"detail": [{"type": "missing", "loc": ["body", "messages"], "msg": "Field required"}]},
        ValidationError,
    ),
    (429, BUDGET_EXCEEDED, BudgetExceededError),
    (500, TASK_FAILED, TaskFailedError),
    (500, "Internal Server Error", ServerError),
]


@pytest.mark.parametrize(("status", "body", "cls"), ERRORS)
async def test_each_error_status_raises_its_class_without_retry(
    client: Caller,
    service: respx.MockRouter,
    clock: FakeClock,
    status: int,
    body: Any,
    cls: type[ClaudeAPIError],
) -> None:
    kwargs = {"text": body} if isinstance(body, str) else {"json": body}
    route = service.post(CHAT).respond(status, **kwargs)
    with pytest.raises(cls) as info:
        await client.complete("hi")
    error = info.value
    assert type(error) is cls
    assert getattr(error, "status_code") == status  # noqa: B009
    assert getattr(error, "body") == body  # noqa: B009
    assert getattr(error, "method") == "POST"  # noqa: B009
    assert getattr(error, "url") == f"{BASE}{CHAT}"  # noqa: B009
    assert route.call_count == 1
    assert clock.sleeps == []


async def test_validation_error_carries_field_errors(
    client: Caller, service: respx.MockRouter
) -> None:
    body = {"detail": [{"type": "missing", "loc": ["body", "messages"], "msg": "Field required"}]}
    service.post(CHAT).respond(422, json=body)
    with pytest.raises(ValidationError) as info:
        await client.complete("hi")
    assert [(e.loc, e.msg, e.type) for e in info.value.errors] == [
        (("body", "messages"), "Field required", "missing")
    ]


async def test_usage_bad_period_from_the_server_is_bad_request(
    client: Caller, service: respx.MockRouter
) -> None:
    """Even if the client's own check is bypassed (low-level call), 400 maps to BadRequestError."""
    service.get("/v1/usage").respond(
        400, json={"detail": "Invalid period: year. Use 'month', 'week', or 'day'"}
    )
    with pytest.raises(BadRequestError):
        await client.get_usage("day")


async def test_batch_without_prompts_plain_text_500_is_a_server_error(
    client: Caller, service: respx.MockRouter
) -> None:
    service.post("/v1/batch").respond(
        500, text="Internal Server Error", headers={"content-type": "text/plain; charset=utf-8"}
    )
    with pytest.raises(ServerError) as info:
        await client.batch(["x"])
    assert not isinstance(info.value, TaskFailedError)
    assert info.value.body == "Internal Server Error"


async def test_no_key_is_an_authentication_error_saying_how_to_pass_one(
    make: Factory, service: respx.MockRouter
) -> None:
    """Issue 14 item 2: ``except AuthenticationError`` catches a missing key too."""
    route = service.post(CHAT).respond(403, json={"detail": "Not authenticated"})
    client = make(api_key=None)
    with pytest.raises(AuthenticationError) as info:
        await client.complete("hi")
    assert isinstance(info.value, MissingCredentialsError)
    assert not isinstance(info.value, PermissionDeniedError)
    assert "authorization" not in route.calls.last.request.headers
    assert "api_key=" in str(info.value)
    assert "CLAUDE_CODE_API_KEY" in str(info.value)


# --- malformed success bodies --------------------------------------------------------------

MALFORMED: list[tuple[str, dict[str, Any]]] = [
    ("chat html", {"text": "<!DOCTYPE html><html><body>Welcome to nginx</body></html>"}),
    ("chat truncated", {"text": json.dumps(CHAT_BODY)[:40]}),
    ("chat missing field", {"json": {k: v for k, v in CHAT_BODY.items() if k != "usage"}}),
    ("chat wrong type", {"json": {**CHAT_BODY, "cost": "cheap"}}),
    (
        "chat wrong nested type",
        {"json": {**CHAT_BODY, "usage": {**CHAT_BODY["usage"], "input_tokens": "7"}}},
    ),
    ("chat usage not an object", {"json": {**CHAT_BODY, "usage": "lots"}}),
    ("chat content not a string", {"json": {**CHAT_BODY, "content": ["a"]}}),
    ("chat a list", {"json": [CHAT_BODY]}),
    ("chat empty", {"content": b""}),
    ("chat 204", {"status": 204}),
]


@pytest.mark.parametrize(("case", "answer"), MALFORMED, ids=[c for c, _ in MALFORMED])
async def test_malformed_chat_body_is_a_malformed_response_error(
    client: Caller, service: respx.MockRouter, case: str, answer: dict[str, Any]
) -> None:
    status = answer.pop("status", 200)
    service.post(CHAT).respond(status, **answer)
    with pytest.raises(MalformedResponseError) as info:
        await client.complete("hi")
    error = info.value
    assert (error.status_code, error.method, error.url) == (status, "POST", f"{BASE}{CHAT}")
    assert len(error.body_excerpt) <= 200
    assert "Malformed response" in str(error)


async def test_undecodable_body_is_a_malformed_response_error(make: Factory) -> None:
    def bad_gzip(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-encoding": "gzip"}, stream=httpx.ByteStream(b"not gzip")
        )

    kind = make().is_async
    mock = httpx.MockTransport(bad_gzip)
    http = httpx.AsyncClient(transport=mock) if kind else httpx.Client(transport=mock)
    with pytest.raises(MalformedResponseError) as info:
        await make(http_client=http).complete("hi")
    assert "DecodingError" in str(info.value)
    assert info.value.body_excerpt == "not gzip"


@pytest.mark.parametrize(
    ("method", "path", "body", "call"),
    [
        ("POST", "/v1/batch", {**BATCH_BODY, "results": [{"id": "0"}]}, ("batch", ["x"])),
        (
            "POST",
            "/v1/batch",
            {**BATCH_BODY, "results": [{**BATCH_BODY["results"][0], "status": "weird"}]},
            ("batch", ["x"]),
        ),
        ("GET", "/v1/usage", {**USAGE_BODY, "period": "year"}, ("get_usage",)),
        (
            "GET",
            "/v1/usage",
            {**USAGE_BODY, "by_model": {"haiku": {"tokens": "x", "cost": 1}}},
            ("get_usage",),
        ),
        ("GET", "/v1/usage", {**USAGE_BODY, "limit": "none"}, ("get_usage",)),
        ("POST", "/v1/route", {**ROUTE_BODY, "recommended_model": "gpt-9"}, ("route", "x")),
        ("POST", "/v1/route", {**ROUTE_BODY, "budget_status": None}, ("route", "x")),
        ("GET", "/health", {**HEALTH_BODY, "services": {"worker_pool": 1}}, ("health",)),
        ("GET", "/health", {"status": "ok"}, ("health",)),
    ],
)
async def test_malformed_bodies_of_other_methods(
    client: Caller,
    service: respx.MockRouter,
    method: str,
    path: str,
    body: Any,
    call: tuple[Any, ...],
) -> None:
    service.route(method=method, path=path).respond(200, json=body)
    with pytest.raises(MalformedResponseError) as info:
        await getattr(client, call[0])(*call[1:])
    assert info.value.method == method
    assert info.value.url.startswith(f"{BASE}{path}")


# --- retries through the client ---------------------------------------------------------------


async def test_503_is_retried_with_backoff(
    client: Caller, service: respx.MockRouter, clock: FakeClock
) -> None:
    route = service.post(CHAT).mock(
        side_effect=[httpx.Response(503), httpx.Response(503), httpx.Response(200, json=CHAT_BODY)]
    )
    assert (await client.complete("hi")).content == "Red, green and blue."
    assert route.call_count == 3
    assert clock.sleeps == [0.25, 0.5]


@pytest.mark.parametrize("status", [502, 504])
async def test_a_gateway_error_of_a_completion_is_not_retried(
    client: Caller, service: respx.MockRouter, clock: FakeClock, status: int
) -> None:
    """Issue 14 item 4: a 504 from a gateway reran (and billed) the task up to 4 times."""
    route = service.post(CHAT).mock(
        side_effect=[httpx.Response(status), httpx.Response(200, json=CHAT_BODY)]
    )
    with pytest.raises(ServerError, match="the task may still run"):
        await client.complete("hi")
    assert route.call_count == 1
    usage = service.get("/v1/usage").mock(
        side_effect=[httpx.Response(status), httpx.Response(200, json=USAGE_BODY)]
    )
    await client.get_usage()  # runs no task: retried
    assert usage.call_count == 2


async def test_rate_limit_is_retried_after_the_minute_boundary_from_date(
    client: Caller, service: respx.MockRouter, clock: FakeClock
) -> None:
    limited = httpx.Response(
        429, json=RATE_LIMITED, headers={"date": "Wed, 25 Nov 2026 12:00:51 GMT"}
    )
    route = service.post(CHAT).mock(side_effect=[limited, httpx.Response(200, json=CHAT_BODY)])
    await Caller(client.client.with_options(max_retry_delay=61)).complete("hi")
    assert route.call_count == 2
    assert clock.sleeps == [9.5]  # 9 s to 12:01:00 + 0.5 s jitter


async def test_a_rate_limited_call_raises_at_once_when_the_window_is_far(
    client: Caller, service: respx.MockRouter, clock: FakeClock
) -> None:
    """Issue 14 item 3: a rate-limited call waited for the next minute, 4 times (8.5 minutes
    for 30 calls); now it waits only for a window that opens within max_retry_delay."""
    limited = httpx.Response(
        429, json=RATE_LIMITED, headers={"date": "Wed, 25 Nov 2026 12:00:21 GMT"}
    )
    route = service.get("/v1/usage").mock(side_effect=[limited])
    with pytest.raises(RateLimitError) as caught:
        await client.get_usage()
    assert route.call_count == 1
    assert clock.sleeps == []
    assert caught.value.retry_after == 39.0


async def test_rate_limit_gives_up_after_max_retries(
    make: Factory, service: respx.MockRouter, clock: FakeClock
) -> None:
    route = service.get("/v1/usage").respond(429, json=RATE_LIMITED)
    with pytest.raises(RateLimitError):
        await make(max_retries=2, max_retry_delay=61).get_usage()
    assert route.call_count == 3
    assert len(clock.sleeps) == 2


async def test_rate_limit_wait_past_the_deadline_is_not_made(
    make: Factory, service: respx.MockRouter, clock: FakeClock
) -> None:
    route = service.post(CHAT).respond(429, json=RATE_LIMITED)
    with pytest.raises(RateLimitError):
        await make(retry_deadline=10.0, max_retry_delay=61).complete("hi")  # needs 30.5 s
    assert route.call_count == 1
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "retry_after", ["7", "Wed, 25 Nov 2026 12:00:37 GMT"], ids=["seconds", "http-date"]
)
async def test_retry_after_is_honoured(
    client: Caller, service: respx.MockRouter, clock: FakeClock, retry_after: str
) -> None:
    busy = httpx.Response(503, headers={"retry-after": retry_after})
    service.post(CHAT).mock(side_effect=[busy, httpx.Response(200, json=CHAT_BODY)])
    await client.complete("hi")
    assert clock.sleeps == [7.0]


async def test_task_failure_retried_with_constructor_opt_in(
    make: Factory, service: respx.MockRouter
) -> None:
    route = service.post(CHAT).respond(500, json=TASK_FAILED)
    with pytest.raises(TaskFailedError):
        await make(retry_on_task_failure=True).complete("hi")
    assert route.call_count == 4


async def test_task_failure_retried_with_with_options_opt_in(
    client: Caller, service: respx.MockRouter
) -> None:
    route = service.post(CHAT).mock(
        side_effect=[httpx.Response(500, json=TASK_FAILED), httpx.Response(200, json=CHAT_BODY)]
    )
    copy = Caller(client.client.with_options(retry_on_task_failure=True))
    await copy.complete("hi")
    assert route.call_count == 2


@pytest.mark.parametrize(
    ("answer", "cls"),
    [
        (httpx.Response(500, json=TASK_FAILED), TaskFailedError),
        (httpx.ReadTimeout("slow"), TimeoutError),
    ],
    ids=["task-failed", "read-timeout"],
)
async def test_a_task_that_may_have_run_is_not_retried_by_default(
    client: Caller,
    service: respx.MockRouter,
    answer: httpx.Response | Exception,
    cls: type[ClaudeAPIError],
) -> None:
    route = service.post(CHAT).mock(side_effect=[answer, httpx.Response(200, json=CHAT_BODY)])
    with pytest.raises(cls):
        await client.complete("hi")
    assert route.call_count == 1


async def test_read_timeout_on_usage_and_route_is_retried(
    client: Caller, service: respx.MockRouter
) -> None:
    usage = service.get("/v1/usage").mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, json=USAGE_BODY)]
    )
    route = service.post("/v1/route").mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, json=ROUTE_BODY)]
    )
    await client.get_usage()
    await client.route("hi")
    assert (usage.call_count, route.call_count) == (2, 2)


async def test_connect_error_is_retried(
    client: Caller, service: respx.MockRouter, clock: FakeClock
) -> None:
    route = service.post(CHAT).mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json=CHAT_BODY)]
    )
    await client.complete("hi")
    assert route.call_count == 2
    assert clock.sleeps == [0.25]


async def test_unreachable_service_is_a_connection_error(
    make: Factory, service: respx.MockRouter
) -> None:
    route = service.get("/health").mock(side_effect=httpx.ConnectError("[Errno 111] refused"))
    with pytest.raises(APIConnectionError):
        await make(max_retries=1).health()
    assert route.call_count == 2


async def test_max_retries_zero_disables_retries(make: Factory, service: respx.MockRouter) -> None:
    route = service.post(CHAT).respond(503)
    with pytest.raises(ServerError):
        await make(max_retries=0).complete("hi")
    assert route.call_count == 1


# --- timeouts ------------------------------------------------------------------------------


async def test_default_call_sends_no_task_limit_and_outwaits_the_services_own(
    client: Caller, service: respx.MockRouter
) -> None:
    route = service.post(CHAT).respond(200, json=CHAT_BODY)
    await client.complete("hi")
    assert "timeout" not in sent(route)  # the service's own limit: 30 s
    timeouts = route.calls.last.request.extensions["timeout"]
    assert (timeouts["read"], timeouts["connect"]) == (40.0, 5.0)


async def test_per_call_timeout_reaches_body_and_read_timeout(
    client: Caller, service: respx.MockRouter
) -> None:
    route = service.post(CHAT).respond(200, json=CHAT_BODY)
    await client.complete("hi", timeout=120)
    assert sent(route)["timeout"] == 120.0
    assert read_timeout(route) == 130.0
    await client.complete("hi")  # the next call is back to the defaults
    assert "timeout" not in sent(route)
    assert read_timeout(route) == 40.0


@pytest.mark.parametrize("wait", [1.0, 100.0, 0.25])
async def test_constructor_timeout_is_the_wait_and_never_a_task_limit(
    make: Factory, service: respx.MockRouter, wait: float
) -> None:
    """Issue 14 item 1: ``timeout=1.0`` went out as a 1 s task limit in every body; the
    service killed the task and kept a worker slot stuck. It is the client's wait only."""
    chat = service.post(CHAT).respond(200, json=CHAT_BODY)
    batch = service.post("/v1/batch").respond(200, json=BATCH_BODY)
    client = make(timeout=wait)
    await client.complete("hi")
    await client.batch(["a", "b"])
    for route in (chat, batch):
        assert "timeout" not in sent(route)
        assert read_timeout(route) == wait
    await Caller(client.client.with_options(timeout=wait * 2)).complete("hi")
    assert "timeout" not in sent(chat)
    assert read_timeout(chat) == wait * 2


async def test_batch_read_timeout_covers_every_worker_round(
    client: Caller, service: respx.MockRouter
) -> None:
    route = service.post("/v1/batch").respond(200, json=BATCH_BODY)
    await client.batch([f"p{i}" for i in range(12)], timeout=20)
    assert sent(route)["timeout"] == 20.0
    assert read_timeout(route) == 70.0  # 3 rounds of 5 workers x 20 s + 10 s
    await client.batch([f"p{i}" for i in range(12)])  # the client's wait per round: 3 x 40 s
    assert "timeout" not in sent(route)
    assert read_timeout(route) == 120.0


async def test_concurrent_calls_keep_their_own_timeouts(
    service: respx.MockRouter,
) -> None:
    seen: dict[str, tuple[float, float]] = {}

    async def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        await asyncio.sleep(0.01 if body.get("timeout", 99) < 50 else 0)
        seen[body["messages"][0]["content"]] = (
            body.get("timeout"),
            request.extensions["timeout"]["read"],
        )
        return httpx.Response(200, json=CHAT_BODY)

    service.post(CHAT).mock(side_effect=answer)
    async with AsyncClaudeClient(BASE, KEY) as client:
        await asyncio.gather(
            client.complete("a", timeout=5), client.complete("b", timeout=200), client.complete("c")
        )
    assert seen == {"a": (5.0, 15.0), "b": (200.0, 210.0), "c": (None, 40.0)}


# --- the API key never leaks -----------------------------------------------------------------


def test_repr_redacts_the_key() -> None:
    client = ClaudeClient(BASE, KEY)
    assert KEY not in repr(client)
    assert KEY[-4:] in repr(client)  # at most the last 4 characters
    assert KEY not in repr(client.low_level)
    assert KEY not in str(client.low_level)
    assert "Bearer" not in repr(client)
    assert "api_key=None" in repr(ClaudeClient(BASE))
    assert KEY not in repr(client.with_options(timeout=60))


async def test_key_absent_from_every_error_and_log_record(
    make: Factory, service: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    client = make(max_retries=1)
    service.post(CHAT).mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(401, json={"detail": "Invalid or revoked API key"}),
        ]
    )
    service.post("/v1/batch").mock(side_effect=httpx.ConnectError("refused"))
    service.post("/v1/route").respond(200, text="<html>")
    service.get("/v1/usage").mock(side_effect=httpx.ReadTimeout("slow"))
    errors: list[BaseException] = []
    for call in (
        client.complete("hi"),
        client.batch(["x"]),
        client.route("x"),
        client.get_usage(),
    ):
        with pytest.raises(ClaudeAPIError) as info:
            await call
        errors.append(info.value)
    assert [type(e) for e in errors] == [
        AuthenticationError,
        APIConnectionError,
        MalformedResponseError,
        TimeoutError,
    ]
    for error in errors:
        assert KEY not in str(error)
        assert KEY not in repr(error)
        assert KEY not in repr(vars(error))
        for chained in (error.__cause__, error.__context__):
            assert chained is None or KEY not in repr(vars(chained))
    messages = [record.getMessage() for record in caplog.records]
    assert any("Retrying POST" in m and CHAT in m for m in messages)
    assert any("-> 401" in m for m in messages)
    for record in caplog.records:
        assert KEY not in record.getMessage()
        assert "Bearer" not in record.getMessage()


# --- low-level calls ---------------------------------------------------------------------------


def test_low_level_generated_call_shares_pool_auth_retries_and_errors(
    service: respx.MockRouter, clock: FakeClock
) -> None:
    from claude_code_api.api.chat import create_chat_completion
    from claude_code_api.api.service import get_service_info
    from claude_code_api.models import ChatCompletionRequest, ChatCompletionResponse
    from claude_code_api.models import Message as GMessage

    route = service.post(CHAT).mock(
        side_effect=[httpx.Response(503), httpx.Response(200, json=CHAT_BODY)]
    )
    with ClaudeClient(BASE, KEY) as client:
        low = client.low_level
        assert low.get_httpx_client() is client._http
        body = ChatCompletionRequest(messages=[GMessage(role="user", content="hi")])
        answer = create_chat_completion.sync_detailed(client=low, body=body)
        assert isinstance(answer.parsed, ChatCompletionResponse)
        assert route.call_count == 2 and clock.sleeps == [0.25]
        assert route.calls.last.request.headers["authorization"] == f"Bearer {KEY}"
        # An operation the high-level layer does not wrap, with typed errors.
        service.get("/").respond(500, text="Internal Server Error")
        with pytest.raises(ServerError):
            get_service_info.sync_detailed(client=low)


async def test_async_low_level_shares_the_async_client(service: respx.MockRouter) -> None:
    from claude_code_api.api.service import get_health

    service.get("/health").respond(401, json={"detail": "Invalid or revoked API key"})
    async with AsyncClaudeClient(BASE, KEY) as client:
        assert client.low_level.get_async_httpx_client() is client._http
        with pytest.raises(AuthenticationError):
            await get_health.asyncio_detailed(client=client.low_level)


# --- with_options and ownership ------------------------------------------------------------------


async def test_with_options_shares_the_pool_and_changes_only_what_it_names(
    client: Caller, service: respx.MockRouter
) -> None:
    route = service.post(CHAT).respond(200, json=CHAT_BODY)
    original = client.client
    copy = original.with_options(timeout=90, max_retries=5)
    assert type(copy) is type(original)
    assert copy._inner is original._inner
    assert (copy.timeout, copy.max_retries, copy.base_url) == (90.0, 5, original.base_url)
    assert (original.timeout, original.max_retries) == (40.0, 3)
    await Caller(copy).complete("hi")
    assert "timeout" not in sent(route)
    assert read_timeout(route) == 90.0
    assert route.calls.last.request.headers["authorization"] == f"Bearer {KEY}"


def test_closing_a_copy_leaves_the_pool_open(
    service: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[object] = []
    monkeypatch.setattr(httpx.HTTPTransport, "close", lambda self: closed.append(self))
    service.get("/health").respond(200, json=HEALTH_BODY)
    client = ClaudeClient(BASE, KEY)
    with client.with_options(max_retries=0) as copy:
        copy.health()
    del copy
    assert closed == []
    client.health()
    client.close()
    # the pool, under the bound and the fork guard
    assert closed == [client._inner.transport.transport]  # type: ignore[attr-defined]


async def test_async_copy_does_not_close_the_pool(
    service: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[object] = []

    async def record(self: httpx.AsyncHTTPTransport) -> None:
        closed.append(self)

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "aclose", record)
    client = AsyncClaudeClient(BASE, KEY)
    async with client.with_options(timeout=10):
        pass
    assert closed == []
    await client.aclose()
    assert closed == [client._inner.transport.transport]  # type: ignore[attr-defined]


def test_caller_supplied_client_is_used_and_never_closed(clock: FakeClock) -> None:
    seen: list[httpx.Request] = []
    answers = [httpx.Response(503), httpx.Response(200, json=CHAT_BODY)]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers.pop(0)

    mine = httpx.Client(transport=httpx.MockTransport(handler), headers={"X-Team": "blue"})
    with ClaudeClient(BASE, KEY, http_client=mine) as client:
        assert client.complete("hi").id == CHAT_BODY["id"]
    assert not mine.is_closed
    assert len(seen) == 2 and clock.sleeps == [0.25]
    assert seen[-1].headers["x-team"] == "blue"
    assert seen[-1].headers["authorization"] == f"Bearer {KEY}"
    assert str(seen[-1].url) == f"{BASE}{CHAT}"
    mine.close()


async def test_caller_supplied_async_client_is_never_closed() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=HEALTH_BODY)

    mine = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with AsyncClaudeClient(BASE, KEY, http_client=mine) as client:
        assert (await client.health()).ok
    assert not mine.is_closed
    await mine.aclose()


# --- configuration from the environment -------------------------------------------------------


def test_base_url_and_key_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, service: respx.MockRouter
) -> None:
    monkeypatch.setenv("CLAUDE_CODE_API_BASE_URL", BASE)
    monkeypatch.setenv("CLAUDE_CODE_API_KEY", KEY)
    route = service.post(CHAT).respond(200, json=CHAT_BODY)
    with ClaudeClient() as client:
        assert client.base_url == BASE
        client.complete("hi")
    assert route.calls.last.request.headers["authorization"] == f"Bearer {KEY}"
    with ClaudeClient("http://other.test", "cc_explicit") as explicit:
        assert explicit.base_url == "http://other.test"
        assert "cc_explicit" not in repr(explicit)


@pytest.mark.parametrize("pasted", [KEY + "\n", f"  {KEY}\r\n", "\t" + KEY])
def test_a_key_pasted_with_whitespace_around_it_is_trimmed(
    monkeypatch: pytest.MonkeyPatch, service: respx.MockRouter, pasted: str
) -> None:
    route = service.post(CHAT).respond(200, json=CHAT_BODY)
    monkeypatch.setenv("CLAUDE_CODE_API_KEY", pasted)
    with ClaudeClient(BASE) as from_env, ClaudeClient(BASE, pasted) as explicit:
        from_env.complete("hi")
        explicit.complete("hi")
    assert [c.request.headers["authorization"] for c in route.calls] == [f"Bearer {KEY}"] * 2


@pytest.mark.parametrize("broken", [KEY[:10] + " " + KEY[10:], KEY + "\x00", KEY + "\u00e9"])
def test_a_key_a_header_cannot_carry_is_refused_without_showing_it(broken: str) -> None:
    with pytest.raises(ValueError, match="key not shown") as caught:
        ClaudeClient(BASE, broken)
    assert KEY[:10] not in str(caught.value)
    assert caught.value.__context__ is None


def test_a_key_that_is_not_a_string_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="api_key must be a string"):
        ClaudeClient(BASE, cast(Any, b"cc_bytes"))


def test_a_request_httpx_cannot_encode_is_an_error_that_quotes_nothing() -> None:
    secret = "cc_" + "5" * 40
    own = httpx.Client(headers={"X-Token": secret + "\n"})
    # h11 refuses the header while writing the request, once connected: any listening socket
    with (
        socket.create_server(("127.0.0.1", 0)) as listening,
        ClaudeClient(f"http://127.0.0.1:{listening.getsockname()[1]}", KEY, http_client=own) as c,
        pytest.raises(APIConnectionError, match="not valid HTTP") as caught,
    ):
        c.complete("hi")
    error = caught.value
    assert secret not in str(error) and error.__cause__ is None and error.__suppress_context__


def test_default_base_url() -> None:
    assert ClaudeClient().base_url == "http://localhost:8080"
