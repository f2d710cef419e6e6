"""The three backends: get/set, TTL and size bounds, threads, processes, and a real Redis."""

from __future__ import annotations

import multiprocessing
import threading
import uuid
from pathlib import Path

import pytest
import redis

from claude_client.cache import CacheBackend, MemoryCache, RedisCache, SQLiteCache


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# --- MemoryCache ---------------------------------------------------------------------------


def test_memory_get_set_and_miss() -> None:
    cache = MemoryCache()
    assert cache.get("k") is None
    cache.set("k", b"v")
    assert cache.get("k") == b"v"
    cache.set("k", b"w")
    assert cache.get("k") == b"w"
    assert len(cache) == 1
    assert isinstance(cache, CacheBackend)


def test_memory_evicts_the_least_recently_used() -> None:
    cache = MemoryCache(max_entries=2)
    cache.set("a", b"1")
    cache.set("b", b"2")
    assert cache.get("a") == b"1"  # a is now the most recently used
    cache.set("c", b"3")
    assert cache.get("b") is None
    assert cache.get("a") == b"1"
    assert cache.get("c") == b"3"


def test_memory_ttl() -> None:
    clock = FakeClock()
    cache = MemoryCache(ttl=10, clock=clock)
    cache.set("k", b"v")
    clock.now += 9.9
    assert cache.get("k") == b"v"
    clock.now += 0.1
    assert cache.get("k") is None
    assert len(cache) == 0


def test_memory_without_ttl_keeps_entries() -> None:
    clock = FakeClock()
    cache = MemoryCache(ttl=None, clock=clock)
    cache.set("k", b"v")
    clock.now += 1e9
    assert cache.get("k") == b"v"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"max_entries": 0}, ValueError),
        ({"max_entries": 1.5}, TypeError),
        ({"max_entries": True}, TypeError),
        ({"ttl": 0}, ValueError),
        ({"ttl": -1}, ValueError),
        ({"ttl": float("inf")}, ValueError),
        ({"ttl": "60"}, TypeError),
    ],
)
def test_bounds_are_checked(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        MemoryCache(**kwargs)  # type: ignore[arg-type]


def test_memory_under_threads_keeps_its_bound() -> None:
    cache = MemoryCache(max_entries=50)
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(500):
                cache.set(f"{n}-{i}", b"x" * (i % 7))
                cache.get(f"{n}-{i - 3}")
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(cache) == 50


# --- SQLiteCache ---------------------------------------------------------------------------


def test_sqlite_get_set_and_persistence(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "cache.db"
    cache = SQLiteCache(path)
    assert cache.get("k") is None
    cache.set("k", b"\x00binary\xff")
    cache.set("k2", b"")
    assert cache.get("k") == b"\x00binary\xff"
    assert cache.get("k2") == b""
    cache.close()
    again = SQLiteCache(path)
    assert again.get("k") == b"\x00binary\xff"
    assert len(again) == 2
    again.clear()
    assert again.get("k") is None
    assert isinstance(again, CacheBackend)


def test_sqlite_is_in_wal_mode(tmp_path: Path) -> None:
    import sqlite3

    SQLiteCache(tmp_path / "c.db").set("k", b"v")
    with sqlite3.connect(tmp_path / "c.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_ttl(tmp_path: Path) -> None:
    clock = FakeClock()
    cache = SQLiteCache(tmp_path / "c.db", ttl=5, clock=clock)
    cache.set("old", b"1")
    clock.now += 5
    assert cache.get("old") is None
    cache.set("new", b"2")  # the store drops the expired row
    assert len(cache) == 1
    assert cache.get("new") == b"2"


def test_sqlite_keeps_the_newest_max_entries(tmp_path: Path) -> None:
    cache = SQLiteCache(tmp_path / "c.db", max_entries=3)
    for i in range(10):
        cache.set(f"k{i}", str(i).encode())
    assert len(cache) == 3
    assert [cache.get(f"k{i}") for i in range(6, 10)] == [None, b"7", b"8", b"9"]
    cache.set("k7", b"again")  # a replaced entry counts as the newest
    cache.set("k10", b"10")
    assert cache.get("k7") == b"again"
    assert cache.get("k8") is None


def _write_many(path: str, worker: int, count: int) -> None:
    cache = SQLiteCache(path, max_entries=1_000_000, busy_timeout=60)
    for i in range(count):
        cache.set(f"w{worker}-{i}", f"{worker}:{i}".encode())
        cache.set("shared", f"{worker}:{i}".encode())


def test_sqlite_several_processes_writing_at_once(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    SQLiteCache(path)  # the file exists before the writers race
    ctx = multiprocessing.get_context("spawn")
    workers, count = 4, 150
    procs = [ctx.Process(target=_write_many, args=(path, w, count)) for w in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * workers
    cache = SQLiteCache(path)
    assert len(cache) == workers * count + 1
    for w in range(workers):
        for i in (0, count // 2, count - 1):
            assert cache.get(f"w{w}-{i}") == f"{w}:{i}".encode()
    shared = cache.get("shared")
    assert shared is not None and shared.endswith(f":{count - 1}".encode())


def test_sqlite_works_after_fork(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    cache = SQLiteCache(path)
    cache.set("parent", b"1")
    ctx = multiprocessing.get_context("fork")
    child = ctx.Process(target=cache.set, args=("child", b"2"))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 0
    assert cache.get("child") == b"2"
    assert cache.get("parent") == b"1"


def test_sqlite_rejects_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "not.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        SQLiteCache(path)


# --- RedisCache against a real redis-server ---------------------------------------------------


def test_redis_get_set_ttl_and_prefix(redis_url: str) -> None:
    prefix = f"test-{uuid.uuid4().hex}:"
    cache = RedisCache(redis_url, ttl=30, prefix=prefix)
    assert cache.get("k") is None
    cache.set("k", b"\x00v\xff")
    assert cache.get("k") == b"\x00v\xff"
    raw = redis.Redis.from_url(redis_url)
    assert raw.get(prefix + "k") == b"\x00v\xff"
    remaining = raw.pttl(prefix + "k")
    assert 0 < remaining <= 30_000
    other = RedisCache(redis_url, prefix=f"other-{uuid.uuid4().hex}:")
    assert other.get("k") is None
    assert isinstance(cache, CacheBackend)
    cache.close()
    raw.close()


def test_redis_without_ttl_sets_no_expiry(redis_url: str) -> None:
    prefix = f"test-{uuid.uuid4().hex}:"
    cache = RedisCache(redis_url, ttl=None, prefix=prefix)
    cache.set("k", b"v")
    raw = redis.Redis.from_url(redis_url)
    assert raw.pttl(prefix + "k") == -1  # exists, no expiry
    raw.close()


def test_redis_shared_by_two_clients(redis_url: str) -> None:
    prefix = f"test-{uuid.uuid4().hex}:"
    RedisCache(redis_url, prefix=prefix).set("k", b"from one machine")
    assert RedisCache(redis_url, prefix=prefix).get("k") == b"from one machine"


def test_redis_repr_never_shows_the_url() -> None:
    cache = RedisCache("redis://user:s3cret@127.0.0.1:1/0")
    assert "s3cret" not in repr(cache)


def test_redis_unreachable_raises_a_redis_error() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    cache = RedisCache(closed, timeout=2)
    with pytest.raises(redis.RedisError):
        cache.get("k")


def test_two_clients_share_answers_through_redis(redis_url: str, claude_double: object) -> None:
    from claude_client import ClaudeClient
    from claude_client.testing import ServiceDouble

    assert isinstance(claude_double, ServiceDouble)
    prefix = f"test-{uuid.uuid4().hex}:"
    replies = []
    for _ in range(2):  # two machines: two clients, one Redis
        cache = RedisCache(redis_url, prefix=prefix)
        with ClaudeClient(claude_double.base_url, claude_double.api_key, cache=cache) as client:
            replies.append(client.complete("list three colors", model="haiku"))
        cache.close()
    first, second = replies
    assert not first.cached and second.cached and second.content == first.content
    assert claude_double.stats.requests("/v1/chat/completions") == 1
