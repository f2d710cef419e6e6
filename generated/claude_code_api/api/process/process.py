from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ai_service_response import AIServiceResponse
from ...models.error_detail import ErrorDetail
from ...models.http_validation_error import HTTPValidationError
from ...models.process_request import ProcessRequest
from ...types import Response


def _get_kwargs(
    *,
    body: ProcessRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/process",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AIServiceResponse | ErrorDetail | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = AIServiceResponse.from_dict(response.json())

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

    if response.status_code == 501:
        response_501 = ErrorDetail.from_dict(response.json())

        return response_501

    if response.status_code == 504:
        response_504 = ErrorDetail.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AIServiceResponse | ErrorDetail | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ProcessRequest,
) -> Response[AIServiceResponse | ErrorDetail | HTTPValidationError]:
    """Process messages ("AI services" compatible)

     Generation 2. Maps `provider`/`model_name` to haiku, sonnet or opus and runs the
    messages (`messages`, `system_message`/`user_message`, or `content`). Checks, in order:
    no messages (400), `additional_params.stream` or `async_processing` (501), the budget of
    the body's `project_id` (403), then runs. Only `use_cli: true` works without an API key
    on the service. A 500 `Task failed` or a 504 means the task ran: retrying runs it again.

    Args:
        body (ProcessRequest): AI Services compatible request format.

            This mirrors the production ai-services API but only supports Claude Code.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AIServiceResponse | ErrorDetail | HTTPValidationError]
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
    body: ProcessRequest,
) -> AIServiceResponse | ErrorDetail | HTTPValidationError | None:
    """Process messages ("AI services" compatible)

     Generation 2. Maps `provider`/`model_name` to haiku, sonnet or opus and runs the
    messages (`messages`, `system_message`/`user_message`, or `content`). Checks, in order:
    no messages (400), `additional_params.stream` or `async_processing` (501), the budget of
    the body's `project_id` (403), then runs. Only `use_cli: true` works without an API key
    on the service. A 500 `Task failed` or a 504 means the task ran: retrying runs it again.

    Args:
        body (ProcessRequest): AI Services compatible request format.

            This mirrors the production ai-services API but only supports Claude Code.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AIServiceResponse | ErrorDetail | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ProcessRequest,
) -> Response[AIServiceResponse | ErrorDetail | HTTPValidationError]:
    """Process messages ("AI services" compatible)

     Generation 2. Maps `provider`/`model_name` to haiku, sonnet or opus and runs the
    messages (`messages`, `system_message`/`user_message`, or `content`). Checks, in order:
    no messages (400), `additional_params.stream` or `async_processing` (501), the budget of
    the body's `project_id` (403), then runs. Only `use_cli: true` works without an API key
    on the service. A 500 `Task failed` or a 504 means the task ran: retrying runs it again.

    Args:
        body (ProcessRequest): AI Services compatible request format.

            This mirrors the production ai-services API but only supports Claude Code.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AIServiceResponse | ErrorDetail | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ProcessRequest,
) -> AIServiceResponse | ErrorDetail | HTTPValidationError | None:
    """Process messages ("AI services" compatible)

     Generation 2. Maps `provider`/`model_name` to haiku, sonnet or opus and runs the
    messages (`messages`, `system_message`/`user_message`, or `content`). Checks, in order:
    no messages (400), `additional_params.stream` or `async_processing` (501), the budget of
    the body's `project_id` (403), then runs. Only `use_cli: true` works without an API key
    on the service. A 500 `Task failed` or a 504 means the task ran: retrying runs it again.

    Args:
        body (ProcessRequest): AI Services compatible request format.

            This mirrors the production ai-services API but only supports Claude Code.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AIServiceResponse | ErrorDetail | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
