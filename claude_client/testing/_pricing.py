"""Prices per model, and the cost formula the service applies to the CLI's token counts."""

from __future__ import annotations

#: USD per million tokens, (input, output), as the service's worker pool and streamer use.
PRICES_PER_MILLION: dict[str, tuple[float, float]] = {
    "haiku": (0.25, 1.25),
    "sonnet": (3.00, 15.00),
    "opus": (15.00, 75.00),
}


def cost_of(model: str, input_tokens: int, output_tokens: int) -> float:
    """Cost in USD, computed in the service's order so the floats match to the last bit.

    A model the price table does not know costs 0.0, as in the service.
    """
    prices = PRICES_PER_MILLION.get(model)
    if prices is None:
        return 0.0
    input_cost = (input_tokens / 1_000_000) * prices[0]
    output_cost = (output_tokens / 1_000_000) * prices[1]
    return input_cost + output_cost
