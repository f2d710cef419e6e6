"""Defaults and environment variables, in one place.

Every number the client uses without being told lives here, with the reason for it.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from typing import Final
from urllib.parse import urlsplit

#: Environment variable naming the service's base URL.
ENV_BASE_URL: Final = "CLAUDE_CODE_API_BASE_URL"
#: Environment variable holding the API key (``cc_`` + 40 hex characters); it decides the project.
ENV_API_KEY: Final = "CLAUDE_CODE_API_KEY"
#: The service's own default address.
DEFAULT_BASE_URL: Final = "http://localhost:8080"

#: The service's own task limit, in seconds, for a request that names none (the service
#: accepts 1 to 300). The client sends a limit only when a call passes ``timeout=``.
SERVICE_TASK_LIMIT: Final = 30.0
MIN_TASK_TIMEOUT: Final = 1.0
MAX_TASK_TIMEOUT: Final = 300.0
#: How much longer than a task limit the client waits for the HTTP answer. The client must
#: outwait the server, or it gives up on work the server still finishes and bills.
READ_TIMEOUT_MARGIN: Final = 10.0
#: How long the client waits for an answer by default (the constructor's ``timeout``): longer
#: than the service's own task limit, so a default call never gives up on work the service
#: finishes. This wait is the client's alone: it is never sent to the service.
DEFAULT_TIMEOUT: Final = SERVICE_TASK_LIMIT + READ_TIMEOUT_MARGIN
#: Longest wait a client accepts, in seconds (a day): every wait is bounded.
MAX_WAIT: Final = 86_400.0
#: The header naming one request (the same on each of its retries); generation 2 echoes it.
REQUEST_ID_HEADER: Final = "X-Request-ID"
#: Connecting to the service is quick or it is not going to happen.
CONNECT_TIMEOUT: Final = 5.0
#: The service runs tasks on a pool of this many workers; a batch of n prompts can take
#: ceil(n / WORKER_SLOTS) task limits.
WORKER_SLOTS: Final = 5

#: Requests one client keeps in flight at most (``max_concurrency``): a few times the service's
#: workers keeps them busy; more only queues in the connection pool (see ``_limits``).
DEFAULT_MAX_CONCURRENCY: Final = 32

DEFAULT_MAX_RETRIES: Final = 3
DEFAULT_RETRY_DELAY: Final = 0.5
#: Cap of one backoff delay, and the longest rate-limit window one call waits for.
DEFAULT_MAX_RETRY_DELAY: Final = 8.0
#: Upper bound on any server-requested wait (``Retry-After``), in seconds.
MAX_RETRY_AFTER: Final = 60.0
#: Bounds of the retry settings: retries per call, and any retry delay or deadline in seconds.
MAX_RETRIES_LIMIT: Final = 100
MAX_RETRY_SECONDS: Final = 3_600.0
#: How long a batch run waits for a rate-limit window to open (the service counts requests per
#: calendar minute), and how many such waits one run makes before its chunks fail instead.
BATCH_RATE_LIMIT_WAIT: Final = 61.0
BATCH_RATE_LIMIT_WAITS: Final = 30

PERIODS: Final = ("month", "week", "day")

#: Largest answer body the client reads, in bytes (``max_response_bytes``). The service's
#: answers are kilobytes (a batch of a hundred long completions, a few MiB): a body past this
#: is not the service's, and reading it would only fill memory. Checked against
#: ``Content-Length`` before reading, and while the body arrives.
DEFAULT_MAX_RESPONSE_BYTES: Final = 64 * 1024 * 1024

#: Batch: prompts per request: 5 rounds of the service's 5 workers, well inside any sensible
#: timeout.
DEFAULT_CHUNK_SIZE: Final = 25
#: Batch: requests in flight at once: enough to keep the service's 5 workers busy between chunks.
DEFAULT_CONCURRENCY: Final = 2
#: Batch: output tokens budgeted per prompt before any completion has shown a larger one.
DEFAULT_OUTPUT_ALLOWANCE: Final = 256
#: Prices per million (input, output) tokens, as the service bills them: the batch budget guard
#: estimates dollars with them.
PRICES: Final[Mapping[str, tuple[float, float]]] = {
    "haiku": (0.25, 1.25),
    "sonnet": (3.0, 15.0),
    "opus": (15.0, 75.0),
}


#: What an API key may hold: visible ASCII, as the service's keys (``cc_`` and hex) do.
_HEADER_SAFE: Final = re.compile(r"[\x21-\x7e]+")


def resolve_base_url(base_url: str | None) -> str:
    """The explicit base URL, else ``$CLAUDE_CODE_API_BASE_URL``, else the service default.

    Checked before anything is sent, because the mistakes are easy and their symptoms are not
    (``localhost:8080`` fails as a connection error, ``http://host/v1`` as a bare 404).

    Raises:
        TypeError: the URL is not a string.
        ValueError: the URL has no ``http://`` or ``https://`` scheme or no host, holds a user
            name or password (never shown), a query string or a fragment, cannot be parsed
            (e.g. a bad port), or ends in ``/v1`` (the client adds ``/v1`` itself).
    """
    url = base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    if not isinstance(url, str):
        raise TypeError(f"base_url must be a string, got {type(url).__name__}")
    url = url.strip()
    shown = _without_userinfo(url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number from 0 to 65535 raises here
    except ValueError as exc:  # e.g. "http://[::1": an unclosed IPv6 address
        raise ValueError(f"base URL {shown!r} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"base URL {shown!r} is not an http:// or https:// URL (for example {DEFAULT_BASE_URL})"
        )
    if "@" in parts.netloc:
        raise ValueError(
            f"base URL {shown!r} holds a user name or password (not shown): refused, as it "
            "would be sent as Basic authentication instead of the API key and show in logs; "
            f"give the URL without it, and the key as api_key= or {ENV_API_KEY}"
        )
    if "?" in url or "#" in url:
        root = shown.split("?")[0].split("#")[0]
        raise ValueError(
            f"base URL {root!r} has a query string or fragment (not shown): give the service's "
            "root; the client adds each path itself, and a query would land in the wrong place"
        )
    import httpx  # here: ``import claude_client`` alone (logging set up) needs no httpx

    try:
        httpx.URL(url)  # what the client will parse: a bad port or host fails here, typed
    except httpx.InvalidURL as exc:
        raise ValueError(f"base URL {shown!r} is not a valid URL ({exc})") from None
    if parts.path.rstrip("/").endswith("/v1"):
        root = _without_userinfo(url[: url.rindex("/v1")])
        raise ValueError(
            f"base URL {shown!r} ends in /v1: give the service's root ({root!r}); "
            "the client adds /v1 to each path itself"
        )
    return url


def _without_userinfo(url: str) -> str:
    """``url`` without a ``user:password@`` part, which must not appear in a message."""
    return re.sub(r"(?<=//)[^/@]*@", "***@", url, count=1)


def environment_proxy(base_url: str) -> str | None:
    """The proxy the environment names for ``base_url``, as httpx reads it: ``HTTPS_PROXY`` /
    ``HTTP_PROXY`` by scheme, else ``ALL_PROXY``; none when ``NO_PROXY`` covers the host
    (lower-case names too, through the standard library's ``urllib.request``)."""
    import urllib.request

    proxies = urllib.request.getproxies()
    parts = urlsplit(base_url)
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(parts.netloc):
        return None
    return proxy


def resolve_api_key(api_key: str | None) -> str | None:
    """The explicit key, else ``$CLAUDE_CODE_API_KEY``, without surrounding whitespace (a key
    pasted or read from a file with its newline); an empty value counts as no key.

    Raises:
        TypeError: the key is not a string.
        ValueError: the key holds characters an HTTP header cannot carry (the message never
            shows the key: httpx's own error would quote it).
    """
    key = api_key or os.environ.get(ENV_API_KEY) or None
    if key is None:
        return None
    if not isinstance(key, str):
        raise TypeError(f"api_key must be a string, got {type(key).__name__}")
    key = key.strip()
    if not key:
        return None
    if not _HEADER_SAFE.fullmatch(key):
        raise ValueError(
            "api_key holds spaces or characters an HTTP header cannot carry (key not shown)"
        )
    return key


def check_task_timeout(timeout: float, name: str = "timeout") -> float:
    """Return ``timeout`` as a float if the service accepts it (1 to 300 s), else raise.

    Raises:
        TypeError: ``timeout`` is not a number.
        ValueError: ``timeout`` is outside 1..300 seconds (or not finite).
    """
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(f"{name} must be a number of seconds, got {type(timeout).__name__}")
    if not MIN_TASK_TIMEOUT <= timeout <= MAX_TASK_TIMEOUT:
        raise ValueError(
            f"{name} must be between {MIN_TASK_TIMEOUT:g} and {MAX_TASK_TIMEOUT:g} seconds "
            f"(the service's limits), got {timeout!r}"
        )
    return float(timeout)


def check_wait(timeout: float, name: str = "timeout") -> float:
    """Return ``timeout`` as a float if it is a usable wait (above 0, at most a day), else raise.

    Raises:
        TypeError: ``timeout`` is not a number.
        ValueError: ``timeout`` is not above 0, not finite, or longer than a day.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(f"{name} must be a number of seconds, got {type(timeout).__name__}")
    if not 0 < timeout <= MAX_WAIT:
        raise ValueError(
            f"{name} must be above 0 and at most {MAX_WAIT:g} seconds, got {timeout!r}"
        )
    return float(timeout)


def rounds_for(tasks: int) -> int:
    """How many rounds of the service's worker pool ``tasks`` tasks take."""
    return max(1, math.ceil(tasks / WORKER_SLOTS))


def check_max_response_bytes(value: int) -> int:
    """Return ``value`` if it is a usable body limit (a positive number of bytes), else raise.

    Raises:
        TypeError: ``value`` is not an integer.
        ValueError: ``value`` is not positive.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_response_bytes must be an integer, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"max_response_bytes must be a positive number of bytes, got {value}")
    return value


def read_timeout_for(task_timeout: float, tasks: int = 1) -> float:
    """The wait for a request running ``tasks`` tasks of ``task_timeout`` each.

    Longer than the server can take: one task limit per round of the worker pool, plus a margin.
    """
    return task_timeout * rounds_for(tasks) + READ_TIMEOUT_MARGIN


def timeouts_for(wait: float) -> dict[str, float]:
    """httpx's timeouts for an attempt that may take ``wait`` seconds (connecting is quick)."""
    return {"connect": min(wait, CONNECT_TIMEOUT), "read": wait, "write": wait, "pool": wait}


#: What betrays a key in text the service sends back (a body echoing the request): a bearer
#: token, and anything shaped like a service key (``cc_`` and 40 hex characters).
_SECRETS: Final = re.compile(r"(?i)(?<=bearer )\s*[^\s\"',;}\]]+|cc_[0-9a-f]{40}")


def redact_secrets(text: str) -> str:
    """``text`` with every bearer token and service key in it replaced by ``***``."""
    if "cc_" not in text and "earer" not in text:  # the common case, without the regex
        return text
    return _SECRETS.sub("***", text)


def redact_key(api_key: str | None) -> str | None:
    """A form of the key safe to print: ``cc_…abcd`` (4 characters at most), or ``***``."""
    if api_key is None:
        return None
    if len(api_key) >= 20:
        prefix = "cc_" if api_key.startswith("cc_") else ""
        return f"{prefix}…{api_key[-4:]}"
    return "***"
