"""What differs between the service's two generations, in one record per generation.

Generation 1 is the service at c098248 (``service-behaviour.md``), generation 2 the one at
d6ea230 (``service-behaviour.latest.md``). Everything the two share is written once in the
handlers; each handler asks its `Generation` only where they differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from claude_client.testing._pricing import cost_by_parts, cost_of
from claude_client.testing._tasks import Pricing
from claude_client.testing._validation import CHAT_REQUEST, CHAT_REQUEST_2, Validator

#: The newest generation, what the double serves unless told otherwise.
LATEST: Final = 2

#: Every HTTP route of generation 1: path -> method -> handler method name. FastAPI adds no
#: HEAD to the service's own GET routes, but its documentation routes (Starlette's) answer HEAD.
ROUTES_1: Final[dict[str, dict[str, str]]] = {
    "/v1/chat/completions": {"POST": "_chat"},
    "/v1/batch": {"POST": "_batch"},
    "/v1/usage": {"GET": "_usage"},
    "/v1/route": {"POST": "_route"},
    "/health": {"GET": "_health"},
    "/": {"GET": "_root"},
    "/openapi.json": {"GET": "_openapi", "HEAD": "_openapi"},
    "/docs": {"GET": "_docs", "HEAD": "_docs"},
    "/docs/oauth2-redirect": {"GET": "_docs", "HEAD": "_docs"},
    "/redoc": {"GET": "_docs", "HEAD": "_docs"},
}
#: Generation 2 adds these (``{provider}`` matches one path segment).
ROUTES_2: Final[dict[str, dict[str, str]]] = {
    **ROUTES_1,
    "/v1/process": {"POST": "_process"},
    "/v1/providers": {"GET": "_providers"},
    "/v1/providers/{provider}/models": {"GET": "_provider_models"},
    "/v1/task": {"POST": "_task"},
    "/v1/capabilities": {"GET": "_capabilities"},
    "/ready": {"GET": "_ready"},
}
DOCS_PATHS: Final = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})


@dataclass(frozen=True)
class Generation:
    """One generation's differences."""

    number: int
    routes: dict[str, dict[str, str]]
    openapi_file: str
    chat_request: Validator
    pricing: Pricing
    #: The pool's "not JSON" error ends with ``\\nStderr: ...`` (generation 2).
    stderr_after_output: bool
    #: Answers carry ``X-Request-ID`` (generation 2).
    request_ids: bool
    #: The WebSocket serves ``agentic_task`` messages (generation 2).
    agentic_stream: bool


GENERATIONS: Final = {
    1: Generation(
        number=1,
        routes=ROUTES_1,
        openapi_file="service-openapi.observed.json",
        chat_request=CHAT_REQUEST,
        pricing=cost_of,
        stderr_after_output=False,
        request_ids=False,
        agentic_stream=False,
    ),
    2: Generation(
        number=2,
        routes=ROUTES_2,
        openapi_file="service-openapi.latest.json",
        chat_request=CHAT_REQUEST_2,
        pricing=cost_by_parts,
        stderr_after_output=True,
        request_ids=True,
        agentic_stream=True,
    ),
}


def find_generation(number: int) -> Generation:
    """The record of generation ``number`` (1 or 2); ``ValueError`` for any other."""
    try:
        return GENERATIONS[number]
    except (KeyError, TypeError):
        raise ValueError(
            f"generation must be one of {sorted(GENERATIONS)}, not {number!r}"
        ) from None
