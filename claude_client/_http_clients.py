"""The httpx clients under ``ClaudeClient``: httpx's own, with each path merged once and a
direct ``send``.

httpx merges a relative URL with the base URL on every request by parsing the path, then
parsing the joined URL again: 20-30 us of CPU per call on a 2-core machine, about a fifth of
httpx's whole cost, and on the critical path of every call. The generated operations send the
same few paths over and over, so these clients merge each path once and hand httpx the
finished ``httpx.URL`` (immutable, so one can be shared by every request and thread). What is
sent is unchanged: ``tests/unit/test_http_clients.py`` compares it with httpx's own merge.

``httpx.Client.send`` wraps every request in an auth flow (a generator), a redirect loop,
event-hook loops and a cookie extraction through the stdlib ``http.cookiejar`` (which wraps the
request in a ``urllib.request.Request`` and parses the headers with ``email``): about 30-35 us
of CPU per call here, a quarter of raw httpx's whole cost, for features these clients never
use. While a client has no auth, no event hooks and follows no redirects (anyone may add them
through ``low_level.get_httpx_client()``: then httpx's own ``send`` runs), ``send`` hands the
request to the transport directly and does what httpx would still do: set
``response.request`` and ``elapsed``, store a ``Set-Cookie``, log the request on the
``httpx`` logger, read the body. A caller's own client (``http_client=``) is used the same way
(`send_unread`): its own transport for the URL (pool, mounts, proxies, TLS) when it has
nothing to apply, its ``send`` when it has (auth, hooks, redirects, a ``send`` of its own,
looked at on each call), instead of our client's send stacked on the caller's; our client
keeps its cookies in the caller's jar (``cookies_from``), so the caller's cookies are sent and
answers' are stored there once. That path then costs what our own client's costs.

They also refuse a request after ``close()`` (theirs, or that of the client whose pool they
share: ``pool_owner``) with the library's ``ClientClosedError``, instead of httpx's bare
``RuntimeError`` or a silent reopening of a closed pool.
"""

from __future__ import annotations

import datetime
import logging
import time
from typing import Any, Final

import httpx

from claude_client._exceptions import ClientClosedError

USE_CLIENT_DEFAULT: Final = httpx.USE_CLIENT_DEFAULT

__all__ = ["AsyncClient", "Client", "asend_unread", "closes_shielded", "send_unread"]

_httpx_logger = logging.getLogger("httpx")
_Sender = httpx.BaseTransport | httpx.AsyncBaseTransport

#: Paths remembered per client; past this (never with the service's own paths) httpx merges.
MAX_PATHS: Final = 64
_CLOSED: Final = (
    "This client is closed: make a new client (a with_options() copy works only while the "
    "client it came from is open)"
)
#: Where httpx's own ``Client.send`` / ``AsyncClient.send`` are defined.
_HTTPX_CLIENT_MODULE: Final = httpx.Client.send.__module__
_THEIRS_CLOSED: Final = "The http_client given to this client is closed: keep it open while in use"


class MergedPaths:
    """Relative paths already merged with one base URL.

    Changing the client's ``base_url`` (a new ``httpx.URL`` object) starts afresh. Only plain
    paths on an absolute base URL are remembered: a URL with a query, a fragment, a host or a
    scheme, or any URL on a relative base, goes to httpx as it is. Safe across threads: the base
    URL and its paths are swapped together, as one tuple.
    """

    __slots__ = ("_known",)

    def __init__(self) -> None:
        # (base URL, its merged paths, or None when the base is not absolute)
        self._known: tuple[httpx.URL | None, dict[str, httpx.URL] | None] = (None, None)

    @property
    def urls(self) -> dict[str, httpx.URL]:
        """The remembered paths and their merged URLs."""
        return self._known[1] or {}

    def url_for(self, base: httpx.URL, url: httpx.URL | str) -> httpx.URL | str:
        """The absolute URL for ``url`` on ``base``, or ``url`` itself for httpx to merge."""
        if not isinstance(url, str):
            return url
        known_base, urls = self._known
        if base is not known_base:
            urls = {} if base.is_absolute_url else None
            self._known = (base, urls)
        if urls is None:
            return url
        merged = urls.get(url)
        if merged is not None:
            return merged
        plain_path = url[:1] == "/" and url[:2] != "//" and "?" not in url and "#" not in url
        if not plain_path or len(urls) >= MAX_PATHS:
            return url
        # httpx's rule (Client._merge_url): the base URL ends in "/"; append the path to it.
        merged = base.copy_with(raw_path=base.raw_path + httpx.URL(url).raw_path.lstrip(b"/"))
        urls[url] = merged
        return merged


def _plain(
    client: httpx.Client | httpx.AsyncClient,
    stream: bool,
    auth: object,
    follow_redirects: object,
) -> bool:
    """Whether httpx's ``send`` would do nothing but hand the request to the transport: no
    auth, no event hooks, no redirect to follow, the body read before returning."""
    if stream or auth is not USE_CLIENT_DEFAULT or client.auth is not None:
        return False
    follows = (
        client.follow_redirects
        if follow_redirects is USE_CLIENT_DEFAULT
        else bool(follow_redirects)
    )
    hooks = client.event_hooks
    return not follows and not hooks["request"] and not hooks["response"]


def _answered(
    client: httpx.Client | httpx.AsyncClient, request: httpx.Request, response: httpx.Response
) -> httpx.Response:
    """What httpx's ``send`` does with an answer besides hooks and redirects."""
    response.request = request
    if "set-cookie" in response.headers or "set-cookie2" in response.headers:
        client.cookies.extract_cookies(response)
    if _httpx_logger.isEnabledFor(logging.INFO):
        _httpx_logger.info(
            'HTTP Request: %s %s "%s %d %s"',
            request.method,
            request.url,
            response.http_version,
            response.status_code,
            response.reason_phrase,
        )
    return response


def _own_transport(client: httpx.Client | httpx.AsyncClient, url: httpx.URL) -> Any:
    """The caller's client's own transport for ``url`` (its pool, or a mounted proxy) while
    its ``send`` would add nothing to it (no auth, no event hooks, no redirects to follow,
    httpx's own ``send``);
    ``None`` otherwise, for its ``send``. Looked at on every call, a few attribute reads (the
    caller may add a hook or auth at any time): the plain case costs what our own client
    costs.

    Raises:
        ClientClosedError: the caller's client is closed.
    """
    if client.is_closed:
        raise ClientClosedError(_THEIRS_CLOSED)
    if client.auth is not None or client.follow_redirects:
        return None
    # A send of the caller's own (a subclass's, or httpx's patched by an instrumentation
    # library such as Sentry's) is theirs to run on every request.
    if getattr(type(client).send, "__module__", None) != _HTTPX_CLIENT_MODULE:
        return None
    hooks = client.event_hooks
    if hooks["request"] or hooks["response"]:
        return None
    # httpx's own lookup of the mounts (proxies); private, hence looked up with a fallback.
    find = getattr(client, "_transport_for_url", None)
    return None if find is None else find(url)


def closes_shielded(client: httpx.AsyncClient) -> bool:
    """Whether every transport of a caller's ``client`` is httpx's own (exactly): httpcore's
    pool, proxies included, closes a body in shielded scopes itself, so the retry transport
    needs no shielded scope of its own (~5 us a call) for a cancelled call to give its
    connection back. Any other transport keeps that scope. (httpx sets a client's transports
    once, at construction.)"""
    transports = [getattr(client, "_transport", None), *getattr(client, "_mounts", {}).values()]
    return transports[0] is not None and all(
        transport is None or type(transport) is httpx.AsyncHTTPTransport for transport in transports
    )


def send_unread(client: httpx.Client, request: httpx.Request) -> httpx.Response:
    """Send ``request`` with a caller's ``client``, the body unread: straight to the client's own
    transport when it has no auth, hooks or redirects to apply, else through its ``send``. So
    ``http_client=`` costs one httpx client, not ours stacked on the caller's. What httpx's
    ``send`` does besides (``response.request``, the cookie jar, the log line) our client
    does once, with the caller's cookie jar as its own (``Client(cookies_from=...)``)."""
    transport = _own_transport(client, request.url)
    if transport is None:
        return client.send(request, stream=True)
    response: httpx.Response = transport.handle_request(request)
    return response


async def asend_unread(client: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    """``send_unread`` for an ``httpx.AsyncClient``."""
    transport = _own_transport(client, request.url)
    if transport is None:
        return await client.send(request, stream=True)
    response: httpx.Response = await transport.handle_async_request(request)
    return response


class _CallersJar:
    """The ``cookies`` of our httpx clients: with ``http_client=``, the caller's client's jar
    (read on each request, as the caller may replace it), so its cookies are sent and answers'
    stored there; else the client's own."""

    _cookies: httpx.Cookies
    _cookies_from: httpx.Client | httpx.AsyncClient | None = None

    @property
    def cookies(self) -> httpx.Cookies:
        """The cookie jar requests are sent and answers stored with."""
        owner = self._cookies_from
        return self._cookies if owner is None else owner.cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        if self._cookies_from is None:
            self._cookies = httpx.Cookies(cookies)
        else:
            self._cookies_from.cookies = cookies


def _check_open(client: Client | AsyncClient) -> None:
    """Refuse a request once the client, or the client whose pool it shares, is closed."""
    owner = client._pool_owner
    if client.is_closed or (owner is not None and owner.is_closed):
        raise ClientClosedError(_CLOSED)


def _direct(
    client: httpx.Client | httpx.AsyncClient, sender: _Sender | None, options: dict[str, Any]
) -> _Sender | None:
    """The transport to hand a request to directly, or ``None`` for httpx's own ``send``
    (``options``: its ``stream``, ``auth`` and ``follow_redirects`` arguments)."""
    if sender is None or not _plain(
        client,
        options.get("stream", False),
        options.get("auth", USE_CLIENT_DEFAULT),
        options.get("follow_redirects", USE_CLIENT_DEFAULT),
    ):
        return None
    if client.is_closed:
        raise RuntimeError("Cannot send a request, as the client has been closed.")
    return sender


def _finished(
    client: httpx.Client | httpx.AsyncClient,
    request: httpx.Request,
    response: httpx.Response,
    start: float,
) -> httpx.Response:
    """The answer of a direct send, read: its body is in memory already (our retry transport
    reads it before handing it back), so reading it cannot block, sync or async."""
    _answered(client, request, response).read()
    response.elapsed = datetime.timedelta(seconds=time.perf_counter() - start)
    return response


class Client(_CallersJar, httpx.Client):
    """``httpx.Client`` merging each relative path once and sending straight to its transport."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        pool_owner: httpx.Client | None = None,
        cookies_from: httpx.Client | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(transport=transport, **kwargs)
        self._merged_paths = MergedPaths()
        self._sender = transport  # None: httpx made its own; every send goes through httpx
        self._pool_owner = pool_owner
        self._cookies_from = cookies_from

    def build_request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Request:
        """``httpx.Client.build_request``, with a known path's merged URL."""
        return super().build_request(
            method, self._merged_paths.url_for(self.base_url, url), **kwargs
        )

    def send(self, request: httpx.Request, **options: Any) -> httpx.Response:
        """``httpx.Client.send``; without auth, hooks or redirects, straight to the transport;
        ``ClientClosedError`` once the client (or the one whose pool it shares) is closed."""
        _check_open(self)
        sender = _direct(self, self._sender, options)
        if not isinstance(sender, httpx.BaseTransport):
            return super().send(request, **options)
        start = time.perf_counter()
        return _finished(self, request, sender.handle_request(request), start)


class AsyncClient(_CallersJar, httpx.AsyncClient):
    """``httpx.AsyncClient`` merging each relative path once and sending straight to its
    transport."""

    def __init__(
        self,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        pool_owner: httpx.AsyncClient | None = None,
        cookies_from: httpx.AsyncClient | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(transport=transport, **kwargs)
        self._merged_paths = MergedPaths()
        self._sender = transport
        self._pool_owner = pool_owner
        self._cookies_from = cookies_from

    def build_request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Request:
        """``httpx.AsyncClient.build_request``, with a known path's merged URL."""
        return super().build_request(
            method, self._merged_paths.url_for(self.base_url, url), **kwargs
        )

    async def send(self, request: httpx.Request, **options: Any) -> httpx.Response:
        """``httpx.AsyncClient.send``; without auth, hooks or redirects, straight to the
        transport; ``ClientClosedError`` once closed, as ``Client.send``."""
        _check_open(self)
        sender = _direct(self, self._sender, options)
        if not isinstance(sender, httpx.AsyncBaseTransport):
            return await super().send(request, **options)
        start = time.perf_counter()
        return _finished(self, request, await sender.handle_async_request(request), start)
