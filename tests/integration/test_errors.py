"""Every error class from the double's real answers, sync and async; none shows an API key.

Arguments the service would refuse are refused by the client before any request (plain
``ValueError``); the same mistakes sent through ``low_level`` reach the service and come back
as its 4xx, typed.
"""

from __future__ import annotations

from typing import Any

from claude_code_api.api.batch import process_batch
from claude_code_api.api.chat import create_chat_completion
from claude_code_api.models import BatchRequest, ChatCompletionRequest, Message

from claude_client import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    BudgetExceededError,
    MissingCredentialsError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TaskFailedError,
    TimeoutError,
    ValidationError,
    _config,
)
from claude_client.testing import ServiceDouble
from tests.integration.conftest import (
    CHAT,
    HEALTH,
    USAGE,
    Factory,
    keys_of,
    low_level,
    raises,
)
from tests.unit.conftest import Caller


async def test_no_key_is_an_authentication_error(
    make: Factory, claude_double: ServiceDouble
) -> None:
    error = await raises(
        MissingCredentialsError, make(api_key=None).complete("hi"), *keys_of(claude_double)
    )
    assert (error.status_code, error.detail) == (403, "Not authenticated")
    assert error.body == {"detail": "Not authenticated"}
    assert _config.ENV_API_KEY in str(error)
    assert (error.method, error.url) == ("POST", claude_double.base_url + CHAT)
    assert claude_double.stats.requests(CHAT) == 1
    assert claude_double.stats.tasks_started == 0


async def test_unknown_and_revoked_keys_are_authentication_errors(
    make: Factory, claude_double: ServiceDouble
) -> None:
    revoked = claude_double.add_key("old-project")
    assert claude_double.revoke_key(revoked)
    for key in ("cc_" + "0" * 40, revoked):
        error = await raises(
            AuthenticationError, make(api_key=key).get_usage(), key, *keys_of(claude_double)
        )
        assert (error.status_code, error.detail) == (401, "Invalid or revoked API key")
    assert claude_double.stats.requests(USAGE) == 2


async def test_spent_budget_is_budget_exceeded_and_never_retried(
    make: Factory, claude_double: ServiceDouble
) -> None:
    broke = make(api_key=claude_double.exhausted_key)
    error = await raises(
        BudgetExceededError, broke.complete("one more please"), *keys_of(claude_double)
    )
    assert error.status_code == 429
    assert error.detail == f"Budget exceeded for project {claude_double.exhausted_project_id}"
    assert claude_double.stats.requests(CHAT) == 1
    assert claude_double.stats.tasks_started == 0


async def test_rate_limit_without_retries_is_a_rate_limit_error(
    make: Factory, claude_double: ServiceDouble
) -> None:
    claude_double.clock.freeze()  # both requests in one calendar minute
    key = claude_double.add_key("busy-project", rate_limit=1)
    busy = make(api_key=key, max_retries=0)
    assert (await busy.get_usage()).project_id == "busy-project"
    error = await raises(RateLimitError, busy.get_usage(), key, *keys_of(claude_double))
    assert (error.status_code, error.detail) == (
        429,
        "Rate limit exceeded. Please try again later.",
    )
    assert "retry-after" not in {name.lower() for name in error.headers}
    assert claude_double.stats.requests(USAGE) == 2


async def test_task_failure_is_task_failed(client: Caller, claude_double: ServiceDouble) -> None:
    error = await raises(
        TaskFailedError, client.complete("[[fail]] break", model="haiku"), *keys_of(claude_double)
    )
    assert isinstance(error, ServerError)
    assert error.status_code == 500
    assert error.detail.startswith("Task failed: Process exited with code 1\nStderr: ")
    assert claude_double.stats.tasks_started == 1


async def test_bad_cli_output_is_task_failed(client: Caller, claude_double: ServiceDouble) -> None:
    error = await raises(TaskFailedError, client.complete("[[bad-json]]"), *keys_of(claude_double))
    assert error.detail.startswith("Task failed: Failed to parse JSON output: ")


async def test_server_side_timeout_is_task_failed(
    client: Caller, claude_double: ServiceDouble
) -> None:
    error = await raises(
        TaskFailedError,
        client.complete("[[sleep:5]] slow", model="haiku", timeout=1),
        *keys_of(claude_double),
    )
    assert error.detail == "Task failed: Task timed out after 1.0 seconds"
    assert claude_double.stats.requests(CHAT) == 1


async def test_invalid_arguments_never_reach_the_service(
    client: Caller, claude_double: ServiceDouble
) -> None:
    calls: list[Any] = [
        client.complete("hi", timeout=0.5),
        client.complete("hi", timeout=301),
        client.complete("hi", model="gpt-4"),
        client.complete([]),
        client.batch([]),
        client.get_usage("year"),
        client.route("hi", context_size=-1),
    ]
    for call in calls:
        await raises(ValueError, call)
    assert claude_double.stats.requests() == 0


async def test_the_services_422_through_low_level(
    client: Caller, claude_double: ServiceDouble
) -> None:
    body = ChatCompletionRequest(messages=[Message(role="user", content="hi")], timeout=0.5)
    error = await raises(
        ValidationError,
        low_level(client, create_chat_completion, body=body),
        *keys_of(claude_double),
    )
    assert error.status_code == 422
    assert [(e.loc, e.type) for e in error.errors] == [(("body", "timeout"), "greater_than_equal")]
    assert "body.timeout" in error.detail
    assert claude_double.stats.tasks_started == 0


async def test_the_services_400_through_low_level(
    client: Caller, claude_double: ServiceDouble
) -> None:
    low = client.client.low_level
    if client.is_async:
        call: Any = low.get_async_httpx_client().get(USAGE, params={"period": "year"})
    else:

        async def call_sync() -> Any:
            return low.get_httpx_client().get(USAGE, params={"period": "year"})

        call = call_sync()
    error = await raises(BadRequestError, call, *keys_of(claude_double))
    assert (error.status_code, error.detail) == (
        400,
        "Invalid period: year. Use 'month', 'week', or 'day'",
    )
    assert claude_double.stats.requests(USAGE) == 1


async def test_empty_batch_without_model_is_a_plain_text_server_error(
    client: Caller, claude_double: ServiceDouble
) -> None:
    error = await raises(
        ServerError,
        low_level(client, process_batch, body=BatchRequest(prompts=[])),
        *keys_of(claude_double),
    )
    assert not isinstance(error, TaskFailedError)
    assert (error.status_code, error.body) == (500, "Internal Server Error")
    assert claude_double.stats.requests("/v1/batch") == 1  # a 500 is not retried by default


async def test_a_wrong_base_path_is_not_found(make: Factory, claude_double: ServiceDouble) -> None:
    lost = make(base_url=claude_double.base_url + "/api")
    error = await raises(NotFoundError, lost.health(), *keys_of(claude_double))
    assert (error.status_code, error.detail) == (404, "Not Found")
    assert error.url == claude_double.base_url + "/api" + HEALTH


async def test_unreachable_service_is_a_connection_error(
    make: Factory, claude_double: ServiceDouble, unused_port: int
) -> None:
    nowhere = make(base_url=f"http://127.0.0.1:{unused_port}", max_retries=1)
    error = await raises(APIConnectionError, nowhere.get_usage(), *keys_of(claude_double))
    assert not isinstance(error, TimeoutError)
    assert "ConnectError" in str(error)
