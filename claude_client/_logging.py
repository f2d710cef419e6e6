"""Request logging: ``CLAUDE_CLIENT_LOG=info|debug`` and one structured record per attempt / call.

Records go to the ``claude_client`` logger, which stays silent (no handler, level unset) unless
the application configures logging or ``CLAUDE_CLIENT_LOG`` is set, as ``ANTHROPIC_LOG`` /
``OPENAI_LOG`` do for their clients. Each record carries its fields as one dict,
``record.claude_client``, so a JSON formatter can emit them as they are (see the observability
guide). No header is ever logged, and every text field passes through ``redact``: an API key
(``cc_`` + 40 hex, or the client's own key) never reaches a log. Building a record is skipped
entirely when its level is off.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from typing import Any, Final

from claude_client import _config

__all__ = ["ENV_LOG", "FIELDS", "attempt_record", "call_record", "redact", "setup_from_env"]

logger = logging.getLogger("claude_client")

#: The environment variable that switches the ``claude_client`` logger on.
ENV_LOG: Final = "CLAUDE_CLIENT_LOG"
_LEVELS: Final = {"info": logging.INFO, "debug": logging.DEBUG}
#: The attribute of every record holding its structured fields.
FIELDS: Final = "claude_client"
#: The service's key format, redacted wherever it appears even when it is not the client's key.
_KEY_PATTERN: Final = re.compile(r"cc_[0-9a-fA-F]{40}")


class _EnvHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The stderr handler ``CLAUDE_CLIENT_LOG`` adds (marked so it is added once)."""


def setup_from_env(environ: Mapping[str, str] = os.environ) -> int | None:
    """Switch the ``claude_client`` logger on per ``CLAUDE_CLIENT_LOG``; the level set, or None.

    ``info`` logs one record per call, ``debug`` also one per attempt; anything else (unset,
    ``off``) leaves logging as the application configured it. The handler writes to stderr.
    """
    level = _LEVELS.get(environ.get(ENV_LOG, "").strip().lower())
    if level is None:
        return None
    logger.setLevel(level)
    if not any(isinstance(h, _EnvHandler) for h in logger.handlers):
        handler = _EnvHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    return level


def redact(text: str, secret: str | None = None) -> str:
    """``text`` with the client's key and anything shaped like a service key redacted."""
    if secret and secret in text:
        text = text.replace(secret, _config.redact_key(secret) or "***")
    return _KEY_PATTERN.sub(lambda m: _config.redact_key(m.group()) or "***", text)


def _clean(fields: dict[str, Any], secret: str | None) -> dict[str, Any]:
    return {
        name: redact(value, secret) if isinstance(value, str) else value
        for name, value in fields.items()
        if value is not None
    }


def attempt_record(
    *,
    method: str,
    path: str,
    attempt: int,
    duration: float,
    status: int | None = None,
    error: str | None = None,
    request_id: str | None = None,
    retry_in: float | None = None,
    secret: str | None = None,
) -> None:
    """Log one HTTP attempt at DEBUG (``duration`` in seconds; ``error`` a failure's type)."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    fields = _clean(
        {
            "event": "attempt",
            "method": method,
            "path": path,
            "status": status,
            "error": error,
            "attempt": attempt,
            "request_id": request_id,
            "duration_ms": round(duration * 1000, 3),
            "retry_in": None if retry_in is None else round(retry_in, 3),
        },
        secret,
    )
    outcome = status if status is not None else error
    text = f"{method} {path} -> {outcome} (attempt {attempt}, {fields['duration_ms']:.1f} ms)"
    if request_id:
        text += f" request_id={request_id}"
    if retry_in is not None:
        text += f", retrying in {retry_in:.2f} s"
    logger.debug(redact(text, secret), extra={FIELDS: fields})


def call_record(
    *,
    operation: str,
    method: str,
    path: str,
    duration: float,
    status: int | None = None,
    attempts: int | None = None,
    request_id: str | None = None,
    model: str | None = None,
    input_tokens: int | None = None,
    output_tokens: int | None = None,
    cost: float | None = None,
    cache_hit: bool | None = None,
    saved_cost: float | None = None,
    error: str | None = None,
    secret: str | None = None,
) -> None:
    """Log one finished call at INFO (a failed one too, ``error`` naming its type and text:
    the application sees the exception itself; the record is for the request log)."""
    if not logger.isEnabledFor(logging.INFO):
        return
    fields = _clean(
        {
            "event": "call",
            "operation": operation,
            "method": method,
            "path": path,
            "status": status,
            "attempts": attempts,
            "request_id": request_id,
            "duration_ms": round(duration * 1000, 3),
            "model": model,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cost": cost,
            "cache_hit": cache_hit,
            "saved_cost": saved_cost,
            "error": error,
        },
        secret,
    )
    parts = [f"{operation} {method} {path}"]
    parts.append(f"-> {error}" if error is not None else f"-> {status if status else 'ok'}")
    if model:
        parts.append(f"model={model}")
    if input_tokens is not None and output_tokens is not None:
        parts.append(f"tokens={input_tokens}+{output_tokens}")
    if cost is not None:
        parts.append(f"cost=${cost:.6f}")
    if cache_hit:
        parts.append("(cache hit)")
    parts.append(f"in {fields['duration_ms']:.1f} ms")
    if request_id:
        parts.append(f"request_id={request_id}")
    logger.info(redact(" ".join(parts), secret), extra={FIELDS: fields})
