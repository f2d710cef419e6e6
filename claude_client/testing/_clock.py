"""The double's sense of time, injectable so tests never wait for a minute or a month to pass.

The real service uses naive local ``datetime.now()`` for its rate-limit windows (calendar
minutes) and budget periods (calendar month, last 7 days, last 24 hours); so does this clock.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta


class Clock:
    """Local wall-clock time that a test can shift forward or freeze.

    ``advance(60)`` moves into the next rate-limit window at once; ``freeze()`` stops time so a
    test's requests cannot straddle a minute boundary. ``reset()`` returns to real time.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen_at: datetime | None = None

    def now(self) -> datetime:
        """The current time as the double sees it (naive, local)."""
        with self._lock:
            base = self._frozen_at if self._frozen_at is not None else datetime.now()
            return base + self._offset

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (backwards if negative)."""
        with self._lock:
            self._offset += timedelta(seconds=seconds)

    def freeze(self, at: datetime | None = None) -> None:
        """Stop time at ``at`` (default: now); ``advance`` still moves it."""
        with self._lock:
            base = self._frozen_at if self._frozen_at is not None else datetime.now()
            self._frozen_at = at if at is not None else base + self._offset
            self._offset = timedelta(0)

    def unfreeze(self) -> None:
        """Let time run again from where it was frozen."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - datetime.now()
                self._frozen_at = None

    def reset(self) -> None:
        """Back to real local time."""
        with self._lock:
            self._offset = timedelta(0)
            self._frozen_at = None
