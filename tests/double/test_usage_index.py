"""The indexed usage log gives exactly what a scan of every record gave (tokens, costs to the
last bit, per-model sums), for any period start, including records dated out of order."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from claude_client.testing._usage import PeriodUsage, UsageLog

Record = tuple[str, str, int, float, datetime]
START = datetime(2026, 12, 1)


def _scan(records: list[Record], project: str, threshold: datetime) -> PeriodUsage:
    """The double's former rule: every record of the project since the threshold, summed left
    to right in time order (ties in the order recorded)."""
    chosen = sorted(
        (r for r in records if r[0] == project and r[4] >= threshold), key=lambda r: r[4]
    )
    tokens, cost = 0, 0.0
    by_model: dict[str, tuple[int, float]] = {}
    for _, model, count, price, _ in chosen:
        tokens += count
        cost += price
        before = by_model.get(model, (0, 0.0))
        by_model[model] = (before[0] + count, before[1] + price)
    return PeriodUsage(tokens, cost, dict(sorted(by_model.items())))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("out_of_order", [False, True])
def test_the_index_matches_a_full_scan(seed: int, out_of_order: bool) -> None:
    rng = random.Random(seed)
    log = UsageLog()
    records: list[Record] = []
    at = START
    for _ in range(400):
        step = rng.uniform(-3600, 7200) if out_of_order else rng.uniform(0, 3600)
        at += timedelta(seconds=step)
        record = (
            rng.choice(["p1", "p2"]),
            rng.choice(["haiku", "sonnet", "opus", "claude-x"]),
            rng.randrange(0, 500),
            rng.random() / 1000,
            at,
        )
        records.append(record)
        log.add(*record)
    for threshold in [START - timedelta(days=1), *(r[4] for r in rng.sample(records, 20))]:
        for project in ("p1", "p2", "nobody"):
            assert log.since(project, threshold) == _scan(records, project, threshold)
            assert log.tokens_since(project, threshold) == _scan(records, project, threshold).tokens


def test_an_empty_period_has_no_models() -> None:
    log = UsageLog()
    log.add("p", "haiku", 10, 0.5, START)
    assert log.since("p", START + timedelta(seconds=1)) == PeriodUsage(0, 0.0, {})
    assert log.since("p", START) == PeriodUsage(10, 0.5, {"haiku": (10, 0.5)})
