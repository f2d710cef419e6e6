"""``ProjectCache``: the key's project, learned once and shared by a client and its copies.

A module of its own because every client makes one when it is made, and the streaming
modules it serves load only on a first stream (``from claude_client import ClaudeClient``
and a client without streams never pay for them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claude_client._models import UsageStats

__all__ = ["ProjectCache"]


class ProjectCache:
    """The API key's project, learned once from ``GET /v1/usage`` and shared by client copies.

    The socket charges the project named in the chat frame (``"default"`` when none is named);
    sending the key's own project makes streamed usage count where REST usage does.
    """

    __slots__ = ("project_id",)

    def __init__(self) -> None:
        self.project_id: str | None = None

    def learn(self, usage: UsageStats) -> str:
        """Remember the project of a usage answer and return it."""
        self.project_id = usage.project_id
        return usage.project_id
