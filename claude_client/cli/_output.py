"""What the command line prints: JSON or rich text on stdout, one error line on stderr.

The exit code says what kind of failure it was, so scripts can react without parsing text.
"""

from __future__ import annotations

import enum
import json
import sys
from collections.abc import Mapping
from typing import Any, NoReturn, TextIO

import attrs
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claude_client._batch import BatchInputError, BatchSummary
from claude_client._batch._types import format_cost
from claude_client._config import ENV_API_KEY
from claude_client._exceptions import (
    APIConnectionError,
    AuthenticationError,
    BudgetExceededError,
    MissingCredentialsError,
    PermissionDeniedError,
    RateLimitError,
)
from claude_client._models import HealthStatus, RouteRecommendation, UsageStats


class ExitCode(enum.IntEnum):
    """The exit codes of ``claude-client``."""

    OK = 0
    ERROR = 1  # any other failure of the service or the client
    USAGE = 2  # bad arguments or input (the same code click uses for usage errors)
    AUTH = 3  # no key, or the key is unknown or revoked
    BUDGET = 4  # the project's budget is exhausted, or a batch stopped at its budget or cap
    CONNECTION = 5  # the service could not be reached, or did not answer in time
    RATE_LIMIT = 6  # too many requests this minute
    INCOMPLETE = 7  # a batch finished with failed items: run it again to retry them
    INTERRUPTED = 130  # Ctrl-C (a batch keeps every result it wrote: run it again to resume)


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit code for an error a command raised."""
    if isinstance(error, AuthenticationError | PermissionDeniedError):
        return ExitCode.AUTH
    if isinstance(error, BudgetExceededError):
        return ExitCode.BUDGET
    if isinstance(error, APIConnectionError):
        return ExitCode.CONNECTION
    if isinstance(error, RateLimitError):
        return ExitCode.RATE_LIMIT
    if isinstance(error, BatchInputError | ValueError | TypeError | OSError):
        return ExitCode.USAGE
    return ExitCode.ERROR


#: What each exit code's error line calls the error: ``claude-client: <kind> error: ...``.
#: A code without a kind (``ERROR``) prints ``claude-client: error: ...``.
_KINDS = {
    ExitCode.AUTH: "authentication",
    ExitCode.BUDGET: "budget",
    ExitCode.CONNECTION: "connection",
    ExitCode.RATE_LIMIT: "rate limit",
    ExitCode.USAGE: "input",
    ExitCode.INCOMPLETE: "incomplete",
    ExitCode.INTERRUPTED: "interrupted",
}


def _label(code: ExitCode, kind: str | None = None) -> str:
    kind = kind or _KINDS.get(code)
    return f"{kind} error" if kind else "error"


def _one_line(text: str) -> str:
    return " ".join(text.split())


class Output:
    """Prints results as JSON (``--json``) or for people, and fails with one stderr line.

    ``secret`` (the API key) is masked in anything printed, in case a message quotes it.
    """

    def __init__(self, *, as_json: bool, secret: str | None = None) -> None:
        self.as_json = as_json
        self._secret = secret.strip() if secret else None  # a blank "key" masks nothing
        self.tables = Console(highlight=False, soft_wrap=True)

    def _mask(self, text: str) -> str:
        return text.replace(self._secret, "***") if self._secret else text

    def json(self, value: object) -> None:
        """Print one JSON document (or line) on stdout."""
        self.text(json.dumps(jsonable(value), ensure_ascii=False))

    def text(self, text: str, *, end: str = "\n") -> None:
        """Print plain text on stdout as it is, flushed (tokens appear as they arrive)."""
        _write(sys.stdout, self._mask(text) + end)

    def note(self, text: str) -> None:
        """Print one line on stderr (stdout stays free for results)."""
        _write(sys.stderr, self._mask(text) + "\n")

    def fail(self, error: BaseException, code: ExitCode | None = None) -> NoReturn:
        """Print ``error`` as one line on stderr and exit with its code."""
        code = exit_code_for(error) if code is None else code
        text = str(error)
        if isinstance(error, MissingCredentialsError):  # the command line's way to pass a key
            text = error.with_hint(f"pass --api-key or set {ENV_API_KEY}")
        message = self._mask(_one_line(text) or type(error).__name__)
        self.fail_with(code, message, type(error).__name__)

    def fail_with(
        self, code: ExitCode, message: str, error_type: str = "", *, kind: str | None = None
    ) -> NoReturn:
        """Print ``message`` as one line on stderr and exit with ``code`` (``kind``: as for
        :meth:`report`)."""
        self.report(code, message, error_type, kind=kind)
        raise typer.Exit(int(code))

    def report(
        self, code: ExitCode, message: str, error_type: str = "", *, kind: str | None = None
    ) -> None:
        """Print the error line: ``claude-client: <kind> error: <message>`` (just ``error:``
        for a code without a kind), or with ``--json``
        ``{"error": <message>, "type": <error_type or kind>, "exit_code": <code>}``.

        ``kind`` overrides the code's own (``usage`` for click's usage errors, ``configuration``
        for a bad base URL or key: exit code 2, like ``input``).
        """
        message = self._mask(_one_line(message))
        if self.as_json:
            error_type = error_type or kind or _KINDS.get(code, "error")
            line = json.dumps({"error": message, "type": error_type, "exit_code": int(code)})
        else:
            line = f"claude-client: {_label(code, kind)}: {message}"
        self.note(line)

    # --- renderings for people ------------------------------------------------------------

    def usage_table(self, stats: UsageStats) -> None:
        """Usage by model as a table, with totals and the budget."""
        # Names from the service are printed as they are, never read as Rich markup.
        table = Table(title=f"Usage of {escape(stats.project_id)} this {escape(stats.period)}")
        table.add_column("model")
        table.add_column("tokens", justify="right")
        table.add_column("cost (USD)", justify="right")
        for name, usage in sorted(stats.by_model.items()):
            table.add_row(escape(name), f"{usage.tokens:,}", f"{usage.cost:.6f}")
        table.add_section()
        table.add_row("total", f"{stats.total_tokens:,}", f"{stats.total_cost:.6f}")
        self.tables.print(table)
        if stats.limit is None:
            self.text("budget: no limit")
        else:
            self.text(f"budget: {stats.remaining:,} of {stats.limit:,} tokens left")

    def route(self, route: RouteRecommendation) -> None:
        """The recommended model and why."""
        self.text(f"{route.recommended_model.value}: {route.reasoning}")

    def health(self, health: HealthStatus) -> None:
        """Status, version and each component."""
        optional = health.ok and health.status != "ok"
        up = " (up: the components not ok are optional)" if optional else ""
        self.text(f"{health.status} (version {health.version}){up}")
        for name, state in sorted(health.services.items()):
            self.text(f"  {name}: {state}")

    def batch_summary(self, summary: BatchSummary, output: str) -> None:
        """A batch's totals, on stderr (stdout stays free for pipes)."""
        parts = [
            f"{summary.completed} completed",
            f"{summary.failed} failed",
            f"{summary.skipped} skipped",
        ]
        if summary.already_completed:
            parts.append(f"{summary.already_completed} already completed")
        self.note(
            f"{', '.join(parts)} of {summary.total}; {summary.total_tokens:,} tokens, "
            f"{format_cost(summary.total_cost)}; results in {output}"
        )


def _write(stream: TextIO, text: str) -> None:
    stream.write(text)
    stream.flush()


def jsonable(value: object) -> Any:
    """``value`` as plain JSON data: attrs classes, enums and mappings included."""
    if attrs.has(type(value)):
        instance: Any = value
        return {key: jsonable(item) for key, item in attrs.asdict(instance, recurse=False).items()}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


__all__ = ["ExitCode", "Output", "exit_code_for", "jsonable"]
