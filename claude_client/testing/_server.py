"""``ServiceDouble``: the double served by uvicorn on a free local port, in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Self

import uvicorn

from claude_client.testing._app import DoubleApp
from claude_client.testing._clock import Clock
from claude_client.testing._faults import Faults
from claude_client.testing._generation import LATEST, find_generation
from claude_client.testing._permissions import PermissionProfile, Tier, profile_for
from claude_client.testing._pricing import cost_of
from claude_client.testing._release import Releaser
from claude_client.testing._state import (
    PERIODS,
    ProjectUsage,
    Seed,
    SeedKey,
    SeedUsage,
    ServiceState,
    new_api_key,
)
from claude_client.testing._stats import Stats
from claude_client.testing._stream import STREAM_PATH

#: The exhausted project's monthly limit and what it has used (spent, like the service's
#: observed -36 remaining; a remaining of exactly 0 would make /v1/route treat it as unlimited).
EXHAUSTED_LIMIT = 1000
EXHAUSTED_USED = (400, 800)  # input, output tokens, recorded on haiku

#: The service's floor of ``/v1/process``'s CLI timeout: ``max(30, max_tokens / 10)`` s.
PROCESS_TIMEOUT_FLOOR = 30.0

_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 10.0


def _listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket. Its protocol is set explicitly (not 0) because asyncio only
    turns on TCP_NODELAY for accepted sockets whose protocol says TCP; without it every
    response waits ~40 ms on the client's delayed ACK."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


class ServiceDouble:
    """A faithful local Claude Code API Service for tests, demos and users' own test suites.

    Use as a context manager (or ``start()``/``stop()``). It owns two keys: ``api_key`` on a
    project without budget limit, and ``exhausted_key`` on a project whose monthly budget is
    already spent; on generation 2 both have the ``pro`` permission profile for agentic
    tasks. ``reset()`` brings back exactly that starting state.

    Args:
        generation: Which generation of the service to serve: 1 (c098248, what the seed
            client was written for) or 2 (d6ea230, the newest, the default).
        host: The address to listen on.
        port: The port; 0 picks a free one (see ``port`` once started).
        api_key: The unlimited project's key; default a new random key.
        exhausted_key: The spent project's key; default a new random key.
        project_id: The unlimited project's name.
        exhausted_project_id: The spent project's name.
        rate_limit: Requests per calendar minute per key (the service's default 100).
        token_delay: Seconds between streamed tokens.
        process_timeout_floor: The floor of ``/v1/process``'s CLI timeout (the service's 30 s;
            lower it to reach its 504 quickly).
        workers: Concurrent stand-in runs (the service's pool has 5).
        clock: The double's time; default the system clock.
        ssl_certfile: A PEM certificate (chain): serve ``https://`` and ``wss://``.
        ssl_keyfile: Its private key, when not in ``ssl_certfile``.
    """

    def __init__(
        self,
        *,
        generation: int = LATEST,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        exhausted_key: str | None = None,
        project_id: str = "test-project",
        exhausted_project_id: str = "exhausted-project",
        rate_limit: int = 100,
        token_delay: float = 0.0,
        process_timeout_floor: float = PROCESS_TIMEOUT_FLOOR,
        workers: int = 5,
        clock: Clock | None = None,
        ssl_certfile: str | None = None,
        ssl_keyfile: str | None = None,
    ) -> None:
        self._generation = find_generation(generation)
        self.host = host
        # With a certificate the double serves https:// and wss:// (the real service sits
        # behind a TLS proxy in production); the key may be in the certificate file.
        self._ssl_certfile = ssl_certfile
        self._ssl_keyfile = ssl_keyfile
        self._requested_port = port
        self.api_key = api_key or new_api_key()
        self.exhausted_key = exhausted_key or new_api_key()
        self.project_id = project_id
        self.exhausted_project_id = exhausted_project_id
        self.clock = clock if clock is not None else Clock()
        self.faults = Faults()
        self.stats = Stats()
        self._initial_token_delay = token_delay
        self._token_delay = token_delay
        self._initial_process_floor = process_timeout_floor
        self.process_timeout_floor = process_timeout_floor
        used_in, used_out = EXHAUSTED_USED
        profile = profile_for("pro") if self._generation.number >= 2 else None
        seed = Seed(
            keys=(
                SeedKey(self.api_key, project_id, rate_limit, profile),
                SeedKey(self.exhausted_key, exhausted_project_id, rate_limit, profile),
            ),
            budgets=((exhausted_project_id, EXHAUSTED_LIMIT),),
            usage=(
                SeedUsage(
                    exhausted_project_id,
                    "haiku",
                    used_in + used_out,
                    cost_of("haiku", used_in, used_out),
                ),
            ),
        )
        self._state = ServiceState(self.clock, seed)
        self._releaser = Releaser()
        self.app = DoubleApp(
            self._state,
            self.faults,
            self.stats,
            self._releaser,
            lambda: self._token_delay,
            self._generation,
            lambda: self.process_timeout_floor,
            workers,
        )
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._port = 0

    @property
    def generation(self) -> int:
        """Which generation of the service this double serves (1 or 2)."""
        return self._generation.number

    # -- addresses -----------------------------------------------------------------------
    @property
    def port(self) -> int:
        """The port the double listens on (known once started)."""
        return self._port

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` (``https://`` with a certificate), the service's base URL."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        scheme = "https" if self._ssl_certfile else "http"
        return f"{scheme}://{host}:{self._port}"

    @property
    def ws_url(self) -> str:
        """``ws://HOST:PORT/v1/stream`` (``wss://`` with a certificate), the stream's URL."""
        return "ws" + self.base_url[len("http") :] + STREAM_PATH

    @property
    def running(self) -> bool:
        """Whether the server thread is serving."""
        return self._thread is not None and self._thread.is_alive()

    # -- the stand-in model --------------------------------------------------------------
    @property
    def token_delay(self) -> float:
        """Seconds the stand-in model takes per streamed slice (REST completions too)."""
        return self._token_delay

    @token_delay.setter
    def token_delay(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("token_delay must be >= 0")
        self._token_delay = seconds

    # -- state a test can arrange --------------------------------------------------------
    def add_key(
        self,
        project_id: str,
        rate_limit: int = 100,
        *,
        key: str | None = None,
        permissions: Tier | PermissionProfile | None = None,
    ) -> str:
        """A new key (or ``key``) bound to ``project_id``, with a per-minute request limit and,
        for generation 2's agentic tasks, a permission profile (a tier name or a profile)."""
        new_key = self._state.add_key(project_id, rate_limit, key)
        if permissions is not None:
            self.set_permissions(new_key, permissions)
        return new_key

    def set_permissions(self, key: str, profile: Tier | PermissionProfile | None) -> None:
        """Give a key (or any string: the WebSocket checks only this table) the permission
        profile ``"free"``, ``"pro"``, ``"enterprise"`` or a `PermissionProfile`; None removes
        it (``/v1/task`` then answers 403)."""
        self._state.set_permissions(key, profile_for(profile))

    def revoke_key(self, key: str) -> bool:
        """Revoke a key: it then gets 401 "Invalid or revoked API key"."""
        return self._state.revoke_key(key)

    def set_budget(self, project_id: str, limit_tokens: int | None) -> None:
        """Set a project's monthly token limit (None removes the limit)."""
        self._state.set_budget(project_id, limit_tokens)

    def record_usage(
        self, project_id: str, model: str, input_tokens: int, output_tokens: int
    ) -> None:
        """Add a usage record now, as if a completion had run (priced like the service)."""
        self._state.track_usage(
            project_id,
            model,
            input_tokens + output_tokens,
            cost_of(model, input_tokens, output_tokens),
        )

    def usage(self, project_id: str, period: str = "month") -> ProjectUsage:
        """A project's usage as ``/v1/usage`` computes it, without a request."""
        if period not in PERIODS:
            raise ValueError(f"period must be one of {PERIODS}")
        return self._state.usage(project_id, period)

    def reset(self) -> None:
        """Back to the starting state: faults, held requests, clock, keys, permission profiles,
        budgets, usage, rate-limit windows, counters, ``token_delay`` and
        ``process_timeout_floor``."""
        self.faults.clear()
        self._releaser.release_all()
        self._releaser.wait_idle(timeout=5.0)
        self.clock.reset()
        self._state.reset()
        self.stats.reset()
        self._token_delay = self._initial_token_delay
        self.process_timeout_floor = self._initial_process_floor

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> Self:
        """Bind the port and serve in a background thread; returns once requests are served."""
        if self.running:
            return self
        sock = _listen(self.host, self._requested_port)
        self._socket = sock
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            http="h11",
            ws="wsproto",
            loop="asyncio",
            lifespan="on",
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=3,
            ssl_certfile=self._ssl_certfile,
            ssl_keyfile=self._ssl_keyfile,
        )
        server = uvicorn.Server(config)
        self._server = server
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="claude-double", daemon=True
        )
        self._thread = thread
        thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the Claude Code API double failed to start")
            time.sleep(0.005)
        self.stats.attach_connection_counter(lambda: len(server.server_state.connections))
        return self

    def stop(self) -> None:
        """Release held requests, shut the server down and free the port."""
        server, thread = self._server, self._thread
        if server is not None and thread is not None:
            self._releaser.release_all()
            server.should_exit = True
            thread.join(_STOP_TIMEOUT)
            if thread.is_alive():  # pragma: no cover - uvicorn's own grace period ran out
                server.force_exit = True
                thread.join(_STOP_TIMEOUT)
        if self._socket is not None:
            self._socket.close()
        self.stats.attach_connection_counter(None)
        self._server = self._thread = self._socket = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self.base_url if self.running else "stopped"
        return f"<ServiceDouble generation {self.generation} {state}>"
