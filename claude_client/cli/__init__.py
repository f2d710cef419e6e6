"""The ``claude-client`` command line: complete, stream, batch, usage, route, health and
serve-double. Installed with the ``cli`` extra (typer and rich)."""

from __future__ import annotations

try:
    from claude_client.cli._app import app, main
    from claude_client.cli._output import ExitCode
except ModuleNotFoundError as error:  # pragma: no cover - the extra is in the dev environment
    if error.name not in {"typer", "rich", "click"}:
        raise
    raise ModuleNotFoundError(
        f"claude-client needs the cli extra ({error.name} is missing): "
        "pip install 'claude-code-client[cli]'",
        name=error.name,
    ) from error

__all__ = ["ExitCode", "app", "main"]
