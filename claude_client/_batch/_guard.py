"""The budget guard: estimates what prompts may cost and refuses a chunk that would overrun.

The service's batch endpoint does not check the project's budget; this guard does, on the
conservative estimate described in the package docstring.
"""

from __future__ import annotations

from typing import Final

import attrs

from claude_client._batch._types import format_cost
from claude_client._config import DEFAULT_OUTPUT_ALLOWANCE, PRICES
from claude_client._models import Model


@attrs.frozen
class Estimate:
    """Estimated tokens and dollars of some prompts."""

    tokens: int
    cost: float

    def __add__(self, other: Estimate) -> Estimate:
        return Estimate(self.tokens + other.tokens, self.cost + other.cost)


_NOTHING: Final = Estimate(0, 0.0)


@attrs.define
class BudgetGuard:
    """Decides whether the next chunk may run, from what is left of a token budget and a cap.

    ``remaining_tokens`` is the project's remaining budget from the usage endpoint when the run
    starts (``None``: no budget); ``max_cost`` a client-side spend cap in dollars (``None``: none).
    Each chunk reserves its estimate when scheduled and settles to what it actually reported.
    """

    remaining_tokens: int | None
    max_cost: float | None
    model: Model
    output_allowance: int = DEFAULT_OUTPUT_ALLOWANCE
    spent: Estimate = _NOTHING
    reserved: Estimate = _NOTHING

    def estimate(self, prompt: str) -> Estimate:
        """Conservative tokens and dollars for one prompt (see the module docstring)."""
        input_tokens = 2 * len(prompt.split())
        price_in, price_out = PRICES.get(self.model.value, max(PRICES.values()))
        cost = (input_tokens * price_in + self.output_allowance * price_out) / 1e6
        return Estimate(input_tokens + self.output_allowance, cost)

    def shortfall(self, estimate: Estimate) -> str | None:
        """Why ``estimate`` does not fit beside what is spent and reserved; ``None`` if it does."""
        committed = self.spent + self.reserved
        if self.remaining_tokens is not None:
            left = self.remaining_tokens - committed.tokens
            if estimate.tokens > left:
                return (
                    f"the project's token budget would run out: the next prompt needs up to "
                    f"{estimate.tokens:,} tokens and {max(left, 0):,} are left"
                )
        if self.max_cost is not None:
            left_cost = self.max_cost - committed.cost
            if estimate.cost > left_cost:
                return (
                    f"max_cost {format_cost(self.max_cost)} would be exceeded: the next prompt "
                    f"may cost up to {format_cost(estimate.cost)} and "
                    f"{format_cost(max(left_cost, 0.0))} of it is left"
                )
        return None

    def reserve(self, estimate: Estimate) -> None:
        """Hold ``estimate`` for a chunk that was just scheduled."""
        self.reserved += estimate

    def settle(self, estimate: Estimate, actual: Estimate | None, largest_output: int) -> None:
        """Replace a chunk's reservation by what it reported (its estimate if it failed)."""
        self.reserved = Estimate(
            self.reserved.tokens - estimate.tokens, self.reserved.cost - estimate.cost
        )
        self.spent += estimate if actual is None else actual
        self.output_allowance = max(self.output_allowance, largest_output)
