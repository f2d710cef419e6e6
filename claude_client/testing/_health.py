"""What ``/health``, ``/ready`` and ``/`` answer, per generation.

Generation 1 answers fixed texts. Generation 2 reports each service as an object, shows the
worker pool's load (``active_workers``, ``queued_tasks``), its uptime, and says ``"degraded"``
because the service runs without Redis (as every observed setup does); ``/ready`` always says
ready (the service's 503 never comes).
"""

from __future__ import annotations

from typing import Any, Final

VERSION: Final = "0.1.0"

HEALTH_1: Final[dict[str, Any]] = {
    "status": "ok",
    "version": VERSION,
    "services": {
        "worker_pool": "running",
        "budget_manager": "initialized",
        "auth_manager": "initialized",
    },
}

READY: Final[dict[str, Any]] = {"ready": True, "reason": None}


def health_2(uptime_seconds: float, active: int, workers: int, queued: int) -> dict[str, Any]:
    """Generation 2's ``/health`` for the pool's current load."""
    ok: dict[str, Any] = {"status": "ok", "detail": None}
    pool = {"running": True, "active_workers": active, "max_workers": workers}
    return {
        "status": "degraded",
        "version": VERSION,
        "uptime_seconds": round(uptime_seconds, 1),
        "services": {
            "worker_pool": {"status": "ok", "detail": {**pool, "queued_tasks": queued}},
            "redis": {"status": "unavailable", "detail": None},
            "audit_db": ok,
            "budget_manager": ok,
            "auth_manager": ok,
        },
    }


def root(generation: int) -> dict[str, Any]:
    """The fixed map ``/`` answers (it names none of generation 2's new routes)."""
    links = {"docs": "/docs", "health": "/health"}
    if generation >= 2:
        links["ready"] = "/ready"
    port = 8080 if generation == 1 else 8006
    return {
        "name": "Claude Code API Service",
        "version": VERSION,
        **links,
        "endpoints": {
            "chat": "/v1/chat/completions",
            "batch": "/v1/batch",
            "usage": "/v1/usage",
            "route": "/v1/route",
            "stream": f"ws://localhost:{port}/v1/stream",
        },
    }
