"""The usage log, indexed: per project and per project and model, records in time order with
running sums, so a period's totals cost a binary search instead of a scan of the whole log.

Every completion adds a record; ``/v1/usage``, ``/v1/route``, auto-routing and every budget
check read totals since a period's start. Rescanning the log made a long ``/v1/batch`` run with
``auto`` quadratic. Sums stay the ones the plain scan gave: tokens are integers, and a cost
total is the left-to-right sum of the records in the period (the running sum when the period
holds every record, else a sum over the period's own records only).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class _Series:
    """Records of one project (or one project and model), in time order."""

    times: list[datetime] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)
    #: Running sums: ``token_sums[k]`` / ``cost_sums[k]`` over the first k records.
    token_sums: list[int] = field(default_factory=lambda: [0])
    cost_sums: list[float] = field(default_factory=lambda: [0.0])

    def add(self, at: datetime, tokens: int, cost: float) -> None:
        if not self.times or at >= self.times[-1]:
            self.times.append(at)
            self.costs.append(cost)
            self.token_sums.append(self.token_sums[-1] + tokens)
            self.cost_sums.append(self.cost_sums[-1] + cost)
            return
        # Dated before the last record (a test moved the clock back): keep time order.
        index = bisect.bisect_right(self.times, at)
        tokens_each = [b - a for a, b in zip(self.token_sums, self.token_sums[1:], strict=False)]
        self.times.insert(index, at)
        self.costs.insert(index, cost)
        tokens_each.insert(index, tokens)
        self.token_sums = [0]
        self.cost_sums = [0.0]
        for count, price in zip(tokens_each, self.costs, strict=True):
            self.token_sums.append(self.token_sums[-1] + count)
            self.cost_sums.append(self.cost_sums[-1] + price)

    def since(self, threshold: datetime) -> tuple[int, float, int]:
        """(tokens, cost, records) of the records dated at or after ``threshold``."""
        start = bisect.bisect_left(self.times, threshold)
        count = len(self.times) - start
        tokens = self.token_sums[-1] - self.token_sums[start]
        if start == 0:
            return tokens, self.cost_sums[-1], count
        cost = 0.0
        for price in self.costs[start:]:
            cost += price
        return tokens, cost, count


@dataclass(frozen=True)
class PeriodUsage:
    """One project's totals since a moment, and per model (models with records only)."""

    tokens: int
    cost: float
    by_model: dict[str, tuple[int, float]]


class UsageLog:
    """The usage records, indexed by project and by project and model (not thread-safe:
    the caller holds its lock)."""

    def __init__(self) -> None:
        self._projects: dict[str, _Series] = {}
        self._models: dict[str, dict[str, _Series]] = {}

    def add(self, project_id: str, model: str, tokens: int, cost: float, at: datetime) -> None:
        """Record one completion's usage."""
        self._projects.setdefault(project_id, _Series()).add(at, tokens, cost)
        models = self._models.setdefault(project_id, {})
        models.setdefault(model, _Series()).add(at, tokens, cost)

    def tokens_since(self, project_id: str, threshold: datetime) -> int:
        """A project's tokens dated at or after ``threshold``."""
        series = self._projects.get(project_id)
        return 0 if series is None else series.since(threshold)[0]

    def since(self, project_id: str, threshold: datetime) -> PeriodUsage:
        """A project's totals and per-model sums (sorted by model) since ``threshold``."""
        series = self._projects.get(project_id)
        if series is None:
            return PeriodUsage(0, 0.0, {})
        tokens, cost, _ = series.since(threshold)
        by_model: dict[str, tuple[int, float]] = {}
        for model, model_series in sorted(self._models[project_id].items()):
            model_tokens, model_cost, count = model_series.since(threshold)
            if count:
                by_model[model] = (model_tokens, model_cost)
        return PeriodUsage(tokens, cost, by_model)
