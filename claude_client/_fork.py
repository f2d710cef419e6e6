"""Connection pools that never cross a fork.

A client used before ``os.fork()`` (multiprocessing's fork start method, gunicorn
``--preload``) and then in the child would share its pooled sockets with the parent: both
write requests on one connection and read each other's answers. So the client's own pool sits
in a ``ForkSafeTransport``: the first request in a forked child makes a fresh pool there, and
the parent's pool (its sockets are the parent's) is left untouched, never used nor closed.

The check per request is one comparison with a counter that ``os.register_at_fork`` bumps in
every forked child: no system call on the hot path. A caller's own ``http_client`` is theirs
and is not wrapped.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Generic, TypeVar

import httpx

__all__ = ["AsyncForkSafeTransport", "ForkSafeTransport"]

#: Forks this process descends from (0 in the process that imported the library).
_forks = 0


def _forked() -> None:
    global _forks
    _forks += 1


if hasattr(os, "register_at_fork"):  # POSIX; elsewhere there is no fork to guard against
    os.register_at_fork(after_in_child=_forked)

_T = TypeVar("_T", httpx.BaseTransport, httpx.AsyncBaseTransport)


class _PerProcess(Generic[_T]):
    """A transport made by ``make``, made again in a forked child before its first use there."""

    __slots__ = ("_forks", "_make", "_transport")

    def __init__(self, make: Callable[[], _T]) -> None:
        self._make: Callable[[], _T] = make
        self._transport: _T = make()
        self._forks = _forks

    @property
    def transport(self) -> _T:
        """This process's transport (a fresh one on first use after a fork)."""
        if self._forks != _forks:
            self._transport = self._make()  # the parent's pool stays as it is, unused
            self._forks = _forks
        return self._transport

    def _own(self) -> _T | None:
        """The transport to close: none in a child that never used one of its own."""
        return self._transport if self._forks == _forks else None


class ForkSafeTransport(_PerProcess[httpx.BaseTransport], httpx.BaseTransport):
    """A sync transport (``make()``, e.g. ``httpx.HTTPTransport``) never shared with a parent."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` on this process's pool."""
        return self.transport.handle_request(request)

    def close(self) -> None:
        """Close this process's pool (never a parent's)."""
        if (transport := self._own()) is not None:
            transport.close()


class AsyncForkSafeTransport(_PerProcess[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport):
    """The async twin of ``ForkSafeTransport``."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` on this process's pool."""
        return await self.transport.handle_async_request(request)

    async def aclose(self) -> None:
        """Close this process's pool (never a parent's)."""
        if (transport := self._own()) is not None:
            await transport.aclose()
