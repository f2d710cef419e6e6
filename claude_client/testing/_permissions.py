"""Generation 2's per-key permission profiles, and its check of an agentic task against one.

The service keeps a profile per API key (no HTTP route manages them); ``/v1/task`` checks the
bearer key's profile, the WebSocket ``agentic_task`` the message's ``api_key``. The three tiers
are the service's own helpers' defaults. The check runs in the service's order (tools, agents,
skills, timeout, cost) with plain Python semantics on whatever it is given: a string of tools
is iterated by character and a non-number timeout fails the comparison (a ``TypeError`` the
WebSocket turns into "Server error"), as in the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

Tier = Literal["free", "pro", "enterprise"]


@dataclass(frozen=True)
class PermissionProfile:
    """What one key may ask of ``/v1/task``: tools, agents, skills (``"*"`` = all), limits."""

    allowed_tools: tuple[str, ...]
    blocked_tools: tuple[str, ...]
    allowed_agents: tuple[str, ...]
    allowed_skills: tuple[str, ...]
    max_execution_seconds: int
    max_cost_per_task: float


TIERS: Final[dict[str, PermissionProfile]] = {
    "free": PermissionProfile(("Read",), ("Write", "Edit", "Bash"), (), (), 60, 0.10),
    "pro": PermissionProfile(
        ("Read", "Grep", "Glob", "Bash"),
        ("Write", "Edit"),
        ("security-auditor", "code-reviewer"),
        ("vulnerability-scanner", "code-analyzer"),
        300,
        1.00,
    ),
    "enterprise": PermissionProfile(("*",), (), ("*",), ("*",), 600, 10.00),
}


def profile_for(tier: Tier | PermissionProfile | None) -> PermissionProfile | None:
    """A profile from a tier name (or the profile itself); ``ValueError`` for another name."""
    if tier is None or isinstance(tier, PermissionProfile):
        return tier
    try:
        return TIERS[tier]
    except KeyError:
        raise ValueError(f"unknown permission tier {tier!r}; use one of {sorted(TIERS)}") from None


def refusal(
    profile: PermissionProfile | None,
    tools: Any,
    agents: Any,
    skills: Any,
    timeout: Any,
    max_cost: Any,
) -> str | None:
    """Why the service refuses this task for this profile (None: allowed)."""
    if profile is None:
        return "No permission profile found for API key"
    for tool in tools or ():
        if tool in profile.blocked_tools:
            return f"Tool '{tool}' is explicitly blocked"
        if "*" not in profile.allowed_tools and tool not in profile.allowed_tools:
            return f"Tool '{tool}' is not in allowed list"
    for agent in agents or ():
        if "*" not in profile.allowed_agents and agent not in profile.allowed_agents:
            return f"Agent '{agent}' is not in allowed list"
    for skill in skills or ():
        if "*" not in profile.allowed_skills and skill not in profile.allowed_skills:
            return f"Skill '{skill}' is not in allowed list"
    limit = profile.max_execution_seconds
    if timeout is not None and timeout > limit:
        return f"Requested timeout ({timeout}s) exceeds limit ({limit}s)"
    cap = profile.max_cost_per_task
    if max_cost is not None and max_cost > cap:
        return f"Requested max cost (${max_cost}) exceeds limit (${cap})"
    return None
