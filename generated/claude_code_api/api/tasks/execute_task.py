from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.agentic_task_request import AgenticTaskRequest
from ...models.agentic_task_response import AgenticTaskResponse
from ...models.error_detail import ErrorDetail
from ...models.http_validation_error import HTTPValidationError
from ...types import Response


def _get_kwargs(
    *,
    body: AgenticTaskRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/task",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AgenticTaskResponse | ErrorDetail | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = AgenticTaskResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorDetail.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorDetail.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorDetail.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorDetail.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorDetail.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AgenticTaskResponse | ErrorDetail | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AgenticTaskRequest,
) -> Response[AgenticTaskResponse | ErrorDetail | HTTPValidationError]:
    """Execute an agentic task

     Generation 2. Needs a key with a permission profile. Checks, in order: the profile
    (403), the request (500, nothing ran), the budget of the body's `project_id` (200 with
    `status: failed`, nothing ran), then runs; over `max_cost` it answers 200
    `cost_exceeded` (ran, not charged). A 500 `Task execution failed: object of type
    'NoneType' has no len()` means the task ran: retrying runs it again.

    Args:
        body (AgenticTaskRequest): Request model for agentic task execution.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgenticTaskResponse | ErrorDetail | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: AgenticTaskRequest,
) -> AgenticTaskResponse | ErrorDetail | HTTPValidationError | None:
    """Execute an agentic task

     Generation 2. Needs a key with a permission profile. Checks, in order: the profile
    (403), the request (500, nothing ran), the budget of the body's `project_id` (200 with
    `status: failed`, nothing ran), then runs; over `max_cost` it answers 200
    `cost_exceeded` (ran, not charged). A 500 `Task execution failed: object of type
    'NoneType' has no len()` means the task ran: retrying runs it again.

    Args:
        body (AgenticTaskRequest): Request model for agentic task execution.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgenticTaskResponse | ErrorDetail | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AgenticTaskRequest,
) -> Response[AgenticTaskResponse | ErrorDetail | HTTPValidationError]:
    """Execute an agentic task

     Generation 2. Needs a key with a permission profile. Checks, in order: the profile
    (403), the request (500, nothing ran), the budget of the body's `project_id` (200 with
    `status: failed`, nothing ran), then runs; over `max_cost` it answers 200
    `cost_exceeded` (ran, not charged). A 500 `Task execution failed: object of type
    'NoneType' has no len()` means the task ran: retrying runs it again.

    Args:
        body (AgenticTaskRequest): Request model for agentic task execution.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgenticTaskResponse | ErrorDetail | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AgenticTaskRequest,
) -> AgenticTaskResponse | ErrorDetail | HTTPValidationError | None:
    """Execute an agentic task

     Generation 2. Needs a key with a permission profile. Checks, in order: the profile
    (403), the request (500, nothing ran), the budget of the body's `project_id` (200 with
    `status: failed`, nothing ran), then runs; over `max_cost` it answers 200
    `cost_exceeded` (ran, not charged). A 500 `Task execution failed: object of type
    'NoneType' has no len()` means the task ran: retrying runs it again.

    Args:
        body (AgenticTaskRequest): Request model for agentic task execution.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgenticTaskResponse | ErrorDetail | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
