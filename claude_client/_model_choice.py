"""``Model``, the model a prompt runs on: a module of its own, without the generated package
or attrs, because the clients' signatures name ``Model.AUTO`` as a default and
``from claude_client import ClaudeClient`` must stay cheap (``_models`` loads on first use)."""

from __future__ import annotations

import enum

import claude_client

__all__ = ["Model"]


class Model(enum.StrEnum):
    """The model to run a prompt on.

    ``AUTO`` lets the service choose (the client then sends no model). Plain strings are
    accepted wherever a ``Model`` is, case-insensitively: ``Model("Haiku") is Model.HAIKU``.
    An unknown name raises ``ValueError`` before any request is made (the service itself would
    pass it to its CLI and fail late, with a 500).
    """

    HAIKU = "haiku"
    SONNET = "sonnet"
    OPUS = "opus"
    AUTO = "auto"

    @classmethod
    def _missing_(cls, value: object) -> Model:
        if isinstance(value, str):
            lowered = value.strip().lower()
            for member in cls:
                if member.value == lowered:
                    return member
        names = ", ".join(repr(m.value) for m in cls)
        raise ValueError(f"Unknown model {value!r}: use one of {names} (or Model.<NAME>)")

    @classmethod
    def parse(cls, value: Model | str) -> Model:
        """Return the ``Model`` for ``value`` (a ``Model`` or a name in any case).

        Raises:
            ValueError: ``value`` names no model.
        """
        return value if isinstance(value, Model) else cls(value)


claude_client._adopt(__name__)
