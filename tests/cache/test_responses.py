"""Keys, the stored form of an answer, and a cache that fails being a miss."""

from __future__ import annotations

import logging
from pathlib import Path

import attrs
import pytest

from claude_client import Response, Usage
from claude_client.cache import MemoryCache, SQLiteCache
from claude_client.cache._responses import (
    ResponseCache,
    backend_for,
    dump,
    load,
    request_key,
    scope_for,
)

KEY = "cc_" + "ab" * 20
ANSWER = Response(
    id="0b6f7c1e-64a8-4b0e-9a53-3b8f1d1c2a10",
    model="haiku",
    content="Red, green and blue.",
    usage=Usage(7, 38, 45),
    cost=4.925e-05,
    project_id="probe",
)
BODY = {"messages": [{"role": "user", "content": "list"}], "model": "haiku", "timeout": 30.0}
PATH = "/v1/chat/completions"


def test_key_is_the_canonical_request() -> None:
    scope = scope_for("http://svc", KEY)
    reordered = {
        "timeout": 30.0,
        "model": "haiku",
        "messages": [{"content": "list", "role": "user"}],
    }
    assert request_key(scope, "POST", PATH, BODY) == request_key(scope, "post", PATH, reordered)
    key = request_key(scope, "POST", PATH, BODY)
    assert len(key) == 64 and int(key, 16) >= 0


@pytest.mark.parametrize(
    "change",
    [
        {"model": "sonnet"},
        {"timeout": 60.0},
        {"max_tokens": 10},
        {"messages": [{"role": "user", "content": "List"}]},
    ],
)
def test_any_change_to_the_body_is_another_key(change: dict[str, object]) -> None:
    scope = scope_for("http://svc", KEY)
    assert request_key(scope, "POST", PATH, BODY) != request_key(
        scope, "POST", PATH, {**BODY, **change}
    )


def test_service_and_api_key_scope_the_key() -> None:
    one = scope_for("http://svc", KEY)
    assert one == scope_for("http://svc/", KEY)
    assert one != scope_for("http://other", KEY)
    assert one != scope_for("http://svc", "cc_" + "cd" * 20)
    assert one != scope_for("http://svc", None)
    assert KEY not in one and KEY[-8:] not in one
    assert request_key(one, "POST", PATH, BODY) != request_key(one, "POST", "/v1/batch", BODY)


def test_a_hit_costs_nothing_and_reports_what_it_saved() -> None:
    hit = load(dump(ANSWER))
    assert hit is not None
    assert hit.cached is True
    assert (hit.id, hit.model, hit.content, hit.project_id) == (
        ANSWER.id,
        ANSWER.model,
        ANSWER.content,
        ANSWER.project_id,
    )
    assert hit.usage == Usage(0, 0, 0)
    assert hit.cost == 0.0
    assert hit.saved_usage == ANSWER.usage
    assert hit.saved_cost == ANSWER.cost
    assert ANSWER.cached is False and ANSWER.saved_usage is None and ANSWER.saved_cost is None


def test_another_format_is_a_miss() -> None:
    assert load(b'{"format": 99}') is None


def test_backend_for() -> None:
    assert backend_for(None) is None
    assert backend_for(False) is None
    assert isinstance(backend_for(True), MemoryCache)
    mine = MemoryCache()
    assert backend_for(mine) is mine
    with pytest.raises(TypeError, match="cache must be"):
        backend_for("yes")
    with pytest.raises(TypeError):
        backend_for(1)


class Broken:
    def get(self, key: str) -> bytes | None:
        raise OSError("disk gone")

    def set(self, key: str, value: bytes) -> None:
        raise OSError("disk gone")


def test_a_failing_backend_is_a_logged_miss(caplog: pytest.LogCaptureFixture) -> None:
    cache = ResponseCache(Broken(), scope_for("http://svc", KEY))
    with caplog.at_level(logging.WARNING, logger="claude_client"):
        assert cache.get("k") is None
        cache.put("k", ANSWER)
    assert [r.getMessage() for r in caplog.records] == [
        "cache lookup failed, treated as a miss: OSError",
        "cache store failed, answer not cached: OSError",
    ]


def test_a_corrupt_entry_is_a_miss(caplog: pytest.LogCaptureFixture) -> None:
    backend = MemoryCache()
    cache = ResponseCache(backend, "scope")
    backend.set("k", b"not json")
    backend.set("k2", b'{"format": 1, "usage": [1, 2]}')
    with caplog.at_level(logging.WARNING, logger="claude_client"):
        assert cache.get("k") is None
        assert cache.get("k2") is None
    assert len(caplog.records) == 2


def test_round_trip_and_a_hit_is_not_stored_again() -> None:
    backend = MemoryCache()
    cache = ResponseCache(backend, "scope")
    cache.put("k", ANSWER)
    hit = cache.get("k")
    assert hit is not None and hit.cached
    stored = backend.get("k")
    cache.put("k", hit)
    assert backend.get("k") == stored
    assert not cache.blocking


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
async def test_async_round_trip(kind: str, tmp_path: Path) -> None:
    backend = MemoryCache() if kind == "memory" else SQLiteCache(tmp_path / "c.db")
    cache = ResponseCache(backend, "scope")
    assert cache.blocking is (kind == "sqlite")
    assert await cache.aget("k") is None
    await cache.aput("k", ANSWER)
    hit = await cache.aget("k")
    assert hit is not None and hit.saved_usage == ANSWER.usage


def test_a_memory_hit_is_decoded_once_and_a_new_entry_is_seen() -> None:
    backend = MemoryCache()
    cache = ResponseCache(backend, "scope")
    cache.put("k", ANSWER)
    first, second = cache.get("k"), cache.get("k")
    assert first is not None and first is second  # the same bytes: decoded once
    cache.put("k", Response(**{**attrs.asdict(ANSWER, recurse=False), "content": "new"}))
    third = cache.get("k")
    assert third is not None and third.content == "new"


def test_a_remembered_key_is_made_once() -> None:
    cache = ResponseCache(MemoryCache(), "scope")
    made: list[str] = []

    def make() -> str:
        made.append("k")
        return "key"

    assert cache.remembered_key(("a", 1), make) == cache.remembered_key(("a", 1), make) == "key"
    assert made == ["k"]
