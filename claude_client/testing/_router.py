"""The service's model auto-selection and the reasoning text ``/v1/route`` reports.

Keyword matching is by substring on the lower-cased prompt ("add" matches "address"), and a
budget of exactly 0 remaining counts as unlimited (the service uses ``remaining or inf``):
both are the service's behaviour, kept so routing decisions match.
"""

from __future__ import annotations

SIMPLE_KEYWORDS = ("list", "format", "count", "show", "get", "create", "add")
COMPLEX_KEYWORDS = (
    "analyze",
    "architect",
    "debug",
    "design",
    "implement",
    "optimize",
    "refactor",
    "review",
    "test",
    "diagnose",
    "strategy",
)


def budget_remaining(remaining: int | None) -> float:
    """The service's ``usage["remaining"] or float("inf")``: None and 0 both mean unlimited."""
    return float(remaining) if remaining else float("inf")


def _is_simple(prompt: str) -> bool:
    lowered = prompt.lower()
    return len(prompt) < 100 and any(kw in lowered for kw in SIMPLE_KEYWORDS)


def _is_complex(prompt: str) -> bool:
    lowered = prompt.lower()
    return any(kw in lowered for kw in COMPLEX_KEYWORDS)


def auto_select_model(prompt: str, context_size: int, remaining: float) -> str:
    """haiku, sonnet or opus, from budget, context size and prompt keywords."""
    if remaining < 1000:
        return "haiku"
    if context_size > 10000:
        return "opus"
    if _is_simple(prompt):
        return "haiku"
    if _is_complex(prompt):
        return "sonnet" if remaining >= 5000 else "haiku"
    return "sonnet"


def reasoning(prompt: str, context_size: int, remaining: float) -> str:
    """The ``reasoning`` text of ``/v1/route``, built exactly as the service builds it."""
    parts: list[str] = []
    if remaining < 1000:
        parts.append("Budget constraint: Insufficient budget forces Haiku")
    elif context_size > 10000:
        parts.append("Context constraint: Large context requires Opus")
    if _is_simple(prompt):
        parts.append("Simple prompt with basic keywords → Haiku")
    if _is_complex(prompt):
        if remaining >= 5000:
            parts.append("Complex reasoning keywords with sufficient budget → Sonnet")
        else:
            parts.append("Complex keywords but limited budget → Haiku")
    if not parts:
        parts.append("Medium complexity task → Sonnet (default)")
    return " | ".join(parts)
