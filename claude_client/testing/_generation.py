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
    **{
        path: {method: handler}
        for path, method, handler in (
            ("/v1/process", "POST", "_process"),
            ("/v1/providers", "GET", "_providers"),
            ("/v1/providers/{provider}/models", "GET", "_provider_models"),
            ("/v1/task", "POST", "_task"),
            ("/v1/capabilities", "GET", "_capabilities"),
            ("/ready", "GET", "_ready"),
        )
    },
}
DOCS_PATHS: Final = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})


@dataclass(frozen=True)
class Generation:
    """One generation's differences: its routes, served document, chat request schema and
    the worker pool's cost formula; the smaller differences follow from its number."""

    number: int
    routes: dict[str, dict[str, str]]
    openapi_file: str
    chat_request: Validator
    pricing: Pricing

    @property
    def stderr_after_output(self) -> bool:
        """The pool's "not JSON" error ends with ``\\nStderr: ...`` (from generation 2)."""
        return self.number >= 2

    @property
    def request_ids(self) -> bool:
        """Answers carry ``X-Request-ID`` (from generation 2)."""
        return self.number >= 2

    @property
    def agentic_stream(self) -> bool:
        """The WebSocket serves ``agentic_task`` messages (from generation 2)."""
        return self.number >= 2


GENERATIONS: Final = {
    1: Generation(1, ROUTES_1, "service-openapi.observed.json", CHAT_REQUEST, cost_of),
    2: Generation(2, ROUTES_2, "service-openapi.latest.json", CHAT_REQUEST_2, cost_by_parts),
}


def find_generation(number: int) -> Generation:
    """The record of generation ``number`` (1 or 2); ``ValueError`` for any other."""
    try:
        return GENERATIONS[number]
    except (KeyError, TypeError):
        raise ValueError(
            f"generation must be one of {sorted(GENERATIONS)}, not {number!r}"
        ) from None
