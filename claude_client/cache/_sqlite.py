"""``SQLiteCache``: one file shared by every process of a machine, safe under concurrent writers.

The file is in WAL mode (readers never block the writer, nor it them) and every connection
waits up to ``busy_timeout`` for a lock instead of failing with ``database is locked``. Each
store is one ``BEGIN IMMEDIATE`` transaction that also drops expired rows and, by the
monotonic row id, the oldest rows beyond ``max_entries``: the bound holds however many
processes write. Each process opens its own connection (a connection never crosses a fork).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from claude_client.cache._backend import DEFAULT_TTL, check_positive, check_ttl

__all__ = ["SQLiteCache"]

_TABLE = "claude_client_cache"
_SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {_TABLE} ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " key TEXT NOT NULL UNIQUE,"
    " value BLOB NOT NULL,"
    " expires REAL)",
    f"CREATE INDEX IF NOT EXISTS {_TABLE}_expires ON {_TABLE}(expires)",
)

_GET = f"SELECT value FROM {_TABLE} WHERE key = ? AND (expires IS NULL OR expires > ?)"


class SQLiteCache:
    """A cache in an SQLite file, shared by the processes (and threads) of one machine.

    Entries past ``ttl`` are never returned and are deleted by the next store; beyond
    ``max_entries`` the oldest stored go first. Use a local disk: SQLite's WAL mode does not
    work over a network file system.

    Args:
        path: The database file (created with its directory if missing).
        max_entries: Most entries kept. Default 100 000.
        ttl: Seconds an entry lives, ``None`` for no expiry. Default one day.
        busy_timeout: Longest wait in seconds for another writer's lock. Default 10.

    Raises:
        TypeError, ValueError: a bound that is not a positive number.
        sqlite3.Error: the file cannot be opened or is not an SQLite database.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        max_entries: int = 100_000,
        ttl: float | None = DEFAULT_TTL,
        *,
        busy_timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.max_entries = check_positive("max_entries", max_entries)
        self.ttl = check_ttl(ttl)
        self.busy_timeout = check_ttl(busy_timeout)
        self._clock = clock
        self._lock = threading.Lock()
        self._pid = -1
        self._conn: sqlite3.Connection | None = None
        self._inherited: list[sqlite3.Connection] = []
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._connection()

    def __repr__(self) -> str:
        return f"SQLiteCache({str(self.path)!r}, max_entries={self.max_entries}, ttl={self.ttl!r})"

    def _connection(self) -> sqlite3.Connection:
        """This process's connection (opened, and the schema made, on first use)."""
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        if self._conn is not None:
            # Opened before a fork: closing it here could disturb the parent's locks.
            self._inherited.append(self._conn)
        conn = sqlite3.connect(
            self.path,
            timeout=self.busy_timeout or 0.0,
            isolation_level=None,
            check_same_thread=False,
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        for statement in _SCHEMA:
            conn.execute(statement)
        self._conn, self._pid = conn, os.getpid()
        return conn

    def get(self, key: str) -> bytes | None:
        """The bytes under ``key``, or ``None`` (missing or expired)."""
        with self._lock:
            cursor = self._connection().execute(_GET, (key, self._clock()))
            row = cursor.fetchone()
        return None if row is None else bytes(row[0])

    def set(self, key: str, value: bytes) -> None:
        """Store ``value`` under ``key`` in one transaction that also enforces the bounds."""
        now = self._clock()
        expires = None if self.ttl is None else now + self.ttl
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    f"INSERT OR REPLACE INTO {_TABLE} (key, value, expires) VALUES (?, ?, ?)",
                    (key, sqlite3.Binary(value), expires),
                )
                conn.execute(f"DELETE FROM {_TABLE} WHERE expires <= ?", (now,))
                conn.execute(
                    f"DELETE FROM {_TABLE} WHERE id <= (SELECT max(id) FROM {_TABLE}) - ?",
                    (self.max_entries,),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def __len__(self) -> int:
        with self._lock:
            row = self._connection().execute(f"SELECT count(*) FROM {_TABLE}").fetchone()
        return int(row[0])

    def clear(self) -> None:
        """Forget every entry (for every process using the file)."""
        with self._lock:
            self._connection().execute(f"DELETE FROM {_TABLE}")

    def close(self) -> None:
        """Close this process's connection (the next use opens a new one)."""
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None
