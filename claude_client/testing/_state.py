"""Keys, rate-limit windows, budgets and the usage log: everything the service keeps in SQLite.

Held in memory behind one lock, because the server thread serves requests while the test
thread adds keys, sets budgets or resets. Rules follow the service's auth and budget managers:
a key maps to one project; the rate limit counts requests per key in calendar-minute windows
and a refused request is not counted; a budget is a monthly token limit per project, checked
as ``used this month + estimate <= limit``; usage periods are the calendar month, the last
7 days and the last 24 hours.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from claude_client.testing._clock import Clock
from claude_client.testing._permissions import PermissionProfile
from claude_client.testing._usage import UsageLog

PERIODS = ("month", "week", "day")


class InvalidPeriodError(ValueError):
    """Raised for a usage period other than month, week or day (the service answers 400)."""

    def __init__(self, period: str) -> None:
        super().__init__(f"Invalid period: {period}. Use 'month', 'week', or 'day'")


@dataclass(frozen=True)
class SeedKey:
    """A key the double starts with (and gets back on reset)."""

    key: str
    project_id: str
    rate_limit: int = 100
    permissions: PermissionProfile | None = None


@dataclass(frozen=True)
class SeedUsage:
    """A usage record the double starts with, dated at reset time."""

    project_id: str
    model: str
    tokens: int
    cost: float


@dataclass(frozen=True)
class Seed:
    """The state ``reset()`` returns to."""

    keys: tuple[SeedKey, ...] = ()
    budgets: tuple[tuple[str, int | None], ...] = ()
    usage: tuple[SeedUsage, ...] = ()


@dataclass
class _Key:
    project_id: str
    rate_limit: int
    revoked: bool = False


@dataclass(frozen=True)
class ProjectUsage:
    """One project's usage in one period, as the service's budget manager reports it
    (``/v1/usage`` renders it). Not the client's ``claude_client.ProjectUsage``, the typed
    result of ``get_usage()``: this is the double's own bookkeeping."""

    total_tokens: int
    total_cost: float
    by_model: dict[str, tuple[int, float]] = field(default_factory=dict)
    limit: int | None = None
    remaining: int | None = None


def new_api_key() -> str:
    """A key in the service's format: ``cc_`` and 40 hex characters."""
    return f"cc_{secrets.token_bytes(20).hex()}"


class ServiceState:
    """The double's persistent state, safe to use from any thread."""

    def __init__(self, clock: Clock, seed: Seed) -> None:
        self._clock = clock
        self._seed = seed
        self._lock = threading.RLock()
        self._keys: dict[str, _Key] = {}
        self._windows: dict[tuple[str, datetime], int] = {}
        self._budgets: dict[str, int | None] = {}
        self._permissions: dict[str, PermissionProfile] = {}
        self._usage = UsageLog()
        self.reset()

    # -- lifecycle -----------------------------------------------------------------------
    def reset(self) -> None:
        """Forget every key, window, budget and usage record made since the seed."""
        with self._lock:
            self._keys = {k.key: _Key(k.project_id, k.rate_limit) for k in self._seed.keys}
            self._windows = {}
            self._budgets = dict(self._seed.budgets)
            self._permissions = {
                k.key: k.permissions for k in self._seed.keys if k.permissions is not None
            }
            self._usage = UsageLog()
            for record in self._seed.usage:
                self.track_usage(record.project_id, record.model, record.tokens, record.cost)

    # -- keys and rate limits ------------------------------------------------------------
    def add_key(self, project_id: str, rate_limit: int = 100, key: str | None = None) -> str:
        """Bind a (new or given) key to ``project_id`` with a per-minute request limit."""
        api_key = key if key is not None else new_api_key()
        with self._lock:
            self._keys[api_key] = _Key(project_id, rate_limit)
        return api_key

    def revoke_key(self, key: str) -> bool:
        """Revoke a key; it then gets 401 like an unknown one. False if it is unknown."""
        with self._lock:
            record = self._keys.get(key)
            if record is None:
                return False
            record.revoked = True
            return True

    def project_of(self, key: str) -> str | None:
        """The key's project, or None for an unknown or revoked key."""
        with self._lock:
            record = self._keys.get(key)
            if record is None or record.revoked:
                return None
            return record.project_id

    def allow_request(self, key: str) -> bool:
        """Count one request in the key's current calendar-minute window, unless it is full."""
        with self._lock:
            record = self._keys.get(key)
            if record is None:
                return False
            window = (key, self._clock.now().replace(second=0, microsecond=0))
            count = self._windows.get(window, 0)
            if count >= record.rate_limit:
                return False
            self._windows[window] = count + 1
            return True

    # -- permission profiles (generation 2) -----------------------------------------------
    def set_permissions(self, key: str, profile: PermissionProfile | None) -> None:
        """Give ``key`` a profile for agentic tasks (None takes it away)."""
        with self._lock:
            if profile is None:
                self._permissions.pop(key, None)
            else:
                self._permissions[key] = profile

    def permissions_of(self, key: object) -> PermissionProfile | None:
        """The profile stored for this string (any string: the table is not the key table)."""
        with self._lock:
            return self._permissions.get(key) if isinstance(key, str) else None

    # -- budgets and usage ---------------------------------------------------------------
    def set_budget(self, project_id: str, limit_tokens: int | None) -> None:
        """Set a project's monthly token limit (None: unlimited)."""
        with self._lock:
            self._budgets[project_id] = limit_tokens

    def within_budget(self, project_id: str, estimated_tokens: int) -> bool:
        """The service's pre-check: usage this calendar month plus the estimate fits the limit."""
        with self._lock:
            limit = self._budgets.get(project_id)
            if limit is None:
                return True
            used = self._usage.tokens_since(project_id, self._period_start("month"))
            return used + estimated_tokens <= limit

    def track_usage(self, project_id: str, model: str, tokens: int, cost: float) -> None:
        """Add one usage record, dated now."""
        with self._lock:
            self._usage.add(project_id, model, tokens, cost, self._clock.now())

    def usage(self, project_id: str, period: str = "month") -> ProjectUsage:
        """Totals and per-model sums since the period's start, with limit and remaining."""
        with self._lock:
            totals = self._usage.since(project_id, self._period_start(period))
            limit = self._budgets.get(project_id)
            remaining = None if limit is None else limit - totals.tokens
            return ProjectUsage(
                total_tokens=totals.tokens,
                total_cost=totals.cost,
                by_model=totals.by_model,
                limit=limit,
                remaining=remaining,
            )

    # -- helpers -------------------------------------------------------------------------

    def _period_start(self, period: str) -> datetime:
        now = self._clock.now()
        if period == "month":
            return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        if period == "week":
            return now - timedelta(days=7)
        if period == "day":
            return now - timedelta(days=1)
        raise InvalidPeriodError(period)
