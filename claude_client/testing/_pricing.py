"""Prices per model, and the cost formula the service applies to the CLI's token counts."""

from __future__ import annotations

#: USD per million tokens, (input, output), as the service's worker pool and streamer use.
PRICES_PER_MILLION: dict[str, tuple[float, float]] = {
    "haiku": (0.25, 1.25),
    "sonnet": (3.00, 15.00),
    "opus": (15.00, 75.00),
}


def cost_of(model: str, input_tokens: int, output_tokens: int) -> float:
    """Cost in USD, rounded the way the service's floats come out.

    The observed wire values (7 in + 38 out: 4.925e-05 haiku, 0.000591 sonnet, 0.002955 opus)
    are what ``(in x price_in + out x price_out) / 1e6`` gives to the last bit, so that is the
    order used here. A model the price table does not know costs 0.0, as in the service.
    """
    prices = PRICES_PER_MILLION.get(model)
    if prices is None:
        return 0.0
    return (input_tokens * prices[0] + output_tokens * prices[1]) / 1_000_000


def cost_by_parts(model: str, input_tokens: int, output_tokens: int) -> float:
    """Cost in USD as generation 2 sums it: ``in / 1e6 x price_in + out / 1e6 x price_out``.

    Its worker pool's own formula; the wire shows the difference in the last bit (4 in + 35
    out on haiku: 4.474999999999999e-05 where `cost_of` gives 4.475e-05).
    """
    prices = PRICES_PER_MILLION.get(model)
    if prices is None:
        return 0.0
    return (input_tokens / 1_000_000) * prices[0] + (output_tokens / 1_000_000) * prices[1]
