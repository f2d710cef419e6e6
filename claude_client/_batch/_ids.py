"""The duplicate-id check of a batch in 8 bytes per id, so that a million prompts need 16 MB.

A dict of the ids with their places costs about 190 bytes per id (190 MB at a million prompts,
before the first request). `DigestSet` keeps only each id's 64-bit ``hash()`` in an ``array``
with open addressing (linear probing, at most half full). A digest seen before does not prove a
duplicate: `first_place` then reads the entries again up to that one and compares the ids
themselves, so two distinct ids are never taken for one (a collision, about one in 2**64 per
pair, costs one extra read of the input and nothing else).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from claude_client._batch._types import _Entry

#: Slots of a new table (a power of two).
_MIN_SLOTS = 1024
#: The empty slot's value; a digest equal to it is stored as ``_ZERO_AS``.
_EMPTY = 0
_ZERO_AS = 1


class DigestSet:
    """64-bit digests in a flat ``array('q')`` table: 8 bytes a slot, at most half full.

    ``expected`` sizes the table once (no growth, so no second table held while copying).
    """

    __slots__ = ("_count", "_mask", "_slots")

    def __init__(self, expected: int = 0) -> None:
        size = _MIN_SLOTS
        while size < 2 * expected:
            size *= 2
        self._slots = array("q", bytes(8 * size))
        self._mask = size - 1
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, digest: int) -> bool:
        """Store ``digest``; ``False`` if it was already there."""
        digest = digest or _ZERO_AS
        slots, mask = self._slots, self._mask
        i = digest & mask
        while True:
            found = slots[i]
            if found == _EMPTY:
                break
            if found == digest:
                return False
            i = (i + 1) & mask
        slots[i] = digest
        self._count += 1
        if 2 * self._count > mask:
            self._grow()
        return True

    def _grow(self) -> None:
        old = self._slots
        size = 2 * len(old)
        self._slots = array("q", bytes(8 * size))
        self._mask = size - 1
        self._count = 0
        for digest in old:
            if digest != _EMPTY:
                self.add(digest)


def first_place(entries: Iterable[_Entry], entry: _Entry) -> str | None:
    """Where ``entry`` 's id was used before it, reading ``entries`` from the start; ``None``
    when no earlier entry has that id (its digest only collided with another id's)."""
    for earlier in entries:
        if earlier.position >= entry.position:
            return None
        if earlier.item.id == entry.item.id:
            return earlier.where
    return None
