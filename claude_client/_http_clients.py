"""The httpx clients under ``ClaudeClient``: httpx's own, with each path merged once.

httpx merges a relative URL with the base URL on every request by parsing the path, then
parsing the joined URL again: 20-30 us of CPU per call on a 2-core machine, about a fifth of
httpx's whole cost, and on the critical path of every call. The generated operations send the
same few paths over and over, so these clients merge each path once and hand httpx the
finished ``httpx.URL`` (immutable, so one can be shared by every request and thread). What is
sent is unchanged: ``tests/unit/test_http_clients.py`` compares it with httpx's own merge.
"""

from __future__ import annotations

from typing import Any, Final

import httpx

__all__ = ["AsyncClient", "Client"]

#: Paths remembered per client; past this (never with the service's own paths) httpx merges.
MAX_PATHS: Final = 64


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


class Client(httpx.Client):
    """``httpx.Client`` merging each relative path with the base URL once."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._merged_paths = MergedPaths()

    def build_request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Request:
        """``httpx.Client.build_request``, with a known path's merged URL."""
        return super().build_request(
            method, self._merged_paths.url_for(self.base_url, url), **kwargs
        )


class AsyncClient(httpx.AsyncClient):
    """``httpx.AsyncClient`` merging each relative path with the base URL once."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._merged_paths = MergedPaths()

    def build_request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Request:
        """``httpx.AsyncClient.build_request``, with a known path's merged URL."""
        return super().build_request(
            method, self._merged_paths.url_for(self.base_url, url), **kwargs
        )
