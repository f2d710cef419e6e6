"""Issue 14 item 14: an error body that echoes the request's ``Authorization`` header does not
put the key into the error (``BadRequestError``, ``MalformedResponseError``): the library
redacts it, not only the CLI."""

from __future__ import annotations

import json
import traceback

import pytest
import respx

from claude_client import BadRequestError, ClaudeAPIError, MalformedResponseError
from tests.unit.conftest import CHAT, KEY, Factory

OTHER_TOKEN = "my-own-gateway-token-42"


def _echo(status: int, key: str) -> tuple[int, bytes]:
    echoed = {
        "detail": f"bad request from Bearer {key}",
        "headers": {"authorization": f"Bearer {key}"},
    }
    return status, json.dumps(echoed).encode()


@pytest.mark.parametrize("status", [400, 200])
@pytest.mark.parametrize("key", [KEY, OTHER_TOKEN])
async def test_an_echoed_key_is_redacted_in_the_error(
    make: Factory, service: respx.MockRouter, status: int, key: str
) -> None:
    code, body = _echo(status, key)
    service.post(CHAT).respond(code, content=body)
    expected = BadRequestError if status == 400 else MalformedResponseError
    with pytest.raises(ClaudeAPIError) as info:
        await make(api_key=key if key.startswith("cc_") else None).complete("hi")
    assert isinstance(info.value, expected)
    error = info.value
    # What the error says and carries (a crash reporter's captured locals aside: the generated
    # parser's frames hold the body it was given).
    shown = "".join(traceback.format_exception(error)) + repr(error.args) + repr(vars(error))
    assert key not in shown and key.removeprefix("cc_")[:24] not in shown
    assert "Bearer ***" in shown
