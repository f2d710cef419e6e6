from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.chat_completion_request import ChatCompletionRequest
from ...models.chat_completion_response import ChatCompletionResponse
from ...models.error_detail import ErrorDetail
from ...models.http_validation_error import HTTPValidationError
from ...types import Response


def _get_kwargs(
    *,
    body: ChatCompletionRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/chat/completions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ChatCompletionResponse | ErrorDetail | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = ChatCompletionResponse.from_dict(response.json())

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
) -> Response[ChatCompletionResponse | ErrorDetail | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChatCompletionRequest,
) -> Response[ChatCompletionResponse | ErrorDetail | HTTPValidationError]:
    """Create a chat completion

     Runs one prompt through the CLI. Messages are joined as `role: content` paragraphs into
    one prompt. Without `model` (or with null) the service picks one. The project's monthly
    budget is checked first, with an estimate of 2 x the words of the prompt.
    A 500 means the task ran and failed or timed out on the server: retrying runs it again.

    Args:
        body (ChatCompletionRequest): Request model for chat completions.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatCompletionResponse | ErrorDetail | HTTPValidationError]
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
    body: ChatCompletionRequest,
) -> ChatCompletionResponse | ErrorDetail | HTTPValidationError | None:
    """Create a chat completion

     Runs one prompt through the CLI. Messages are joined as `role: content` paragraphs into
    one prompt. Without `model` (or with null) the service picks one. The project's monthly
    budget is checked first, with an estimate of 2 x the words of the prompt.
    A 500 means the task ran and failed or timed out on the server: retrying runs it again.

    Args:
        body (ChatCompletionRequest): Request model for chat completions.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatCompletionResponse | ErrorDetail | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChatCompletionRequest,
) -> Response[ChatCompletionResponse | ErrorDetail | HTTPValidationError]:
    """Create a chat completion

     Runs one prompt through the CLI. Messages are joined as `role: content` paragraphs into
    one prompt. Without `model` (or with null) the service picks one. The project's monthly
    budget is checked first, with an estimate of 2 x the words of the prompt.
    A 500 means the task ran and failed or timed out on the server: retrying runs it again.

    Args:
        body (ChatCompletionRequest): Request model for chat completions.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatCompletionResponse | ErrorDetail | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ChatCompletionRequest,
) -> ChatCompletionResponse | ErrorDetail | HTTPValidationError | None:
    """Create a chat completion

     Runs one prompt through the CLI. Messages are joined as `role: content` paragraphs into
    one prompt. Without `model` (or with null) the service picks one. The project's monthly
    budget is checked first, with an estimate of 2 x the words of the prompt.
    A 500 means the task ran and failed or timed out on the server: retrying runs it again.

    Args:
        body (ChatCompletionRequest): Request model for chat completions.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatCompletionResponse | ErrorDetail | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
