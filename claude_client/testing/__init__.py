"""A faithful local double of the Claude Code API Service, for tests and demos.

``ServiceDouble`` serves the service's HTTP API and its WebSocket stream on 127.0.0.1 (uvicorn,
in a background thread) and reproduces what a client can observe of the real service
(TrentDevStuff/claude-code-orchestrator, as observed on the wire; the testing guide lists it),
defects a client must cope with included: a test that passes against the double tells the
truth about the service. It serves either generation of the service: 1 (c098248) or 2
(d6ea230, the default: agentic tasks, ``/v1/process``, providers, capabilities, ``/ready``,
request ids, the new ``/health``). Needs the ``testing`` extra (Starlette, uvicorn, wsproto);
importing this package alone does not load them.

In-process:

```python
from claude_client.testing import ServiceDouble

with ServiceDouble() as double:
    double.base_url, double.ws_url, double.api_key, double.exhausted_key
    double.faults.fail(503, times=2, path="/v1/chat/completions")
```

With pytest, ask for the ``claude_double`` fixture (function-scoped, reset around each test)
or ``claude_double_server`` (session-scoped). Out of process:

```bash
python -m claude_client.testing --port 8765 --api-key cc_test --exhausted-key cc_broke
```

The stand-in model is deterministic (same prompt and model, same reply); markers in a prompt
make it misbehave: ``[[fail]]`` / ``[[fail:N]]`` (CLI exits 1 / N), ``[[sleep:SECONDS]]``
(the run takes that long: a server-side timeout when over the request's ``timeout``),
``[[bad-json]]`` (CLI prints non-JSON), ``[[empty]]`` (empty reply). Model names other than
haiku, sonnet, opus and ``claude-*`` fail as an unknown model fails in the CLI.

Faults (``double.faults``): ``respond``, ``fail`` (500/502/503/504...), ``rate_limit`` (429,
optional ``Retry-After``), ``html_error``, ``malformed_json``, ``slow``, ``drop_mid_body``,
``disconnect``, ``hang``, ``ws_close_after``, ``ws_reject``; each with ``times`` and, for HTTP,
``path``/``method``. Counters (``double.stats``): requests per path, WebSocket connections
opened/closed/open, stand-in runs, open TCP connections, ``wait_until(predicate)``.
Time (``double.clock``): ``advance(seconds)``, ``freeze()``, for rate windows and periods.

DIFFERENCES from the real service (deliberate):

- The worker-slot wedge is not reproduced: a server-side timeout frees its slot, so later
  requests keep working (the service stops running any task after five timeouts).
- No polling latency: a REST completion takes only the stand-in's time (``token_delay`` per
  slice, ``[[sleep]]``), where the service adds 0.6-0.75 s; a batch item's timeout is counted
  from submission for every item (the service waits on items one after another).
- The CLI is a deterministic stand-in that does receive the prompt and model (the service's
  ``shell=True`` call loses both); its stderr texts and token counts are its own.
- Model names starting with ``claude-`` are accepted by the stand-in CLI (cost 0.0, as the
  service prices unknown names); the real CLI's list of accepted names is not reproduced.
- A WebSocket request's CLI run does not block the event loop (the service's does, stalling
  every other request meanwhile); the advertised 30 s WebSocket limit does not act in either.
- The WebSocket usage record is written just before ``done`` goes out, so a client reading
  ``/v1/usage`` right after ``done`` (or a test resetting the double) always sees it (the
  service writes it right after ``done`` and can lag).
- Token frames are spaced by ``token_delay`` (default 0) rather than the service's ~10 ms.
- Costs are ``(in x price_in + out x price_out) / 1e6`` on both REST and WebSocket, which gives
  the observed wire values exactly; the streamer's source at c098248 sums two quotients
  instead, so a real ``done`` frame may differ from the REST cost in the last digit.
- A non-string WebSocket ``project_id`` is turned into a project the way SQLite binds it
  (numbers become text, null fails after ``done``, lists fail as "Server error"); the text of
  unusual floats may differ from SQLite's.
- A WebSocket the service stopped serving ("Server error: ...") is closed with code 1001 when
  the double resets or stops; the service holds it open until it restarts.
- ``/docs`` and ``/redoc`` are a small local page instead of Swagger UI / ReDoc from a CDN.
- State lives in memory and starts fresh (no SQLite files); ``reset()`` and the fault, clock
  and counter controls exist only in the double. Float sums in ``/v1/usage`` are plain
  left-to-right additions, which may differ in the last digit from SQLite's ``SUM``.
- Responses carry the same headers as the service's (uvicorn's ``date`` and ``server``
  included) unless a fault says otherwise; faults model a proxy or network in front of it.

Generation 2 only (service-behaviour.latest.md):

- Server-side timeouts answer at once, not ``timeout`` + 2 s (chat, batch, ``/v1/process``)
  or + 10 s (``/v1/task``); ``/v1/process``'s CLI timeout floor (30 s) is settable
  (``process_timeout_floor``) so a test reaches its 504 quickly.
- ``/v1/process`` without ``use_cli`` fails as the service does offline (no Anthropic API key);
  a service with a key would answer from the Anthropic API instead.
- ``/v1/task`` creates no ``/tmp/agentic_tasks/<id>`` directory (the answer names it) and its
  ``artifacts`` are always ``[]``, as observed; the agentic prompt's agent and skill sections
  are shortened. The stand-in CLI echoes a task's description, not the whole prompt.
- ``model`` and ``allowed_tools`` reach no shell: the injections the service allows are not
  reproduced (a model name the stand-in does not know fails as an unknown model).
- Agents and skills are fixed (``code-reviewer``, ``code-analyzer``), not read from a home
  directory; permission profiles live in memory (both seeded keys: ``pro``).
- A server shutdown closes sockets with 1000/1001, not the service's 1012 mid-stream.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claude_client.testing.__main__ import main
    from claude_client.testing._clock import Clock
    from claude_client.testing._faults import Fault, Faults
    from claude_client.testing._permissions import PermissionProfile
    from claude_client.testing._server import ServiceDouble
    from claude_client.testing._state import ProjectUsage
    from claude_client.testing._stats import Stats, StatsSnapshot

__all__ = [
    "Clock",
    "Fault",
    "Faults",
    "PermissionProfile",
    "ProjectUsage",
    "ServiceDouble",
    "Stats",
    "StatsSnapshot",
    "api_routes",
    "main",
]

_LAZY = {
    "Clock": "claude_client.testing._clock",
    "Fault": "claude_client.testing._faults",
    "Faults": "claude_client.testing._faults",
    "PermissionProfile": "claude_client.testing._permissions",
    "ServiceDouble": "claude_client.testing._server",
    "Stats": "claude_client.testing._stats",
    "StatsSnapshot": "claude_client.testing._stats",
    "ProjectUsage": "claude_client.testing._state",
    "main": "claude_client.testing.__main__",
}


def api_routes(generation: int = 2) -> dict[str, tuple[str, ...]]:
    """The service's API as the double serves it for a generation (default the newest):
    path -> HTTP methods (``WEBSOCKET`` for the stream). FastAPI's documentation routes
    (``/openapi.json``, ``/docs``...) are left out."""
    from claude_client.testing._generation import DOCS_PATHS, find_generation

    served = find_generation(generation).routes
    routes = {p: tuple(m) for p, m in served.items() if p not in DOCS_PATHS}
    routes["/v1/stream"] = ("WEBSOCKET",)
    return routes


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
