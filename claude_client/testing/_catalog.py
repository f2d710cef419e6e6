"""Generation 2's fixed catalogues: providers and their models, installed agents and skills.

The providers answers are constants in the service. Agents and skills are read from the
service user's ``~/.claude``; the double has the one agent and one skill the observed setup
had (``code-reviewer``, ``code-analyzer``), which ``/v1/task`` checks requests against.
"""

from __future__ import annotations

from typing import Any, Final

PROVIDERS: Final[list[dict[str, Any]]] = [
    {"name": "claudecode", "available": True, "models": ["haiku", "sonnet", "opus"]},
    {
        "name": "anthropic",
        "available": True,
        "models": [
            "haiku",
            "sonnet",
            "opus",
            "claude-3-haiku",
            "claude-3-sonnet",
            "claude-3-opus",
        ],
    },
]

_KNOWN_PROVIDERS: Final = ("anthropic", "claudecode", "claude")


def _model(max_tokens: int) -> dict[str, Any]:
    return {
        "max_tokens": max_tokens,
        "context_window": 200000,
        "supports_functions": False,
        "supports_vision": True,
    }


_MODELS: Final = {"haiku": _model(4096), "sonnet": _model(8192), "opus": _model(4096)}


def provider_models(provider: str) -> dict[str, Any] | None:
    """``/v1/providers/{provider}/models`` (provider echoed as sent), None when unsupported."""
    if provider.lower() not in _KNOWN_PROVIDERS:
        return None
    return {"provider": provider, "models": _MODELS}


AGENTS: Final[list[dict[str, Any]]] = [
    {
        "name": "code-reviewer",
        "description": "Reviews code for defects",
        "tools": ["Read", "Grep"],
        "model": "haiku",
    }
]
SKILLS: Final[list[dict[str, Any]]] = [
    {
        "name": "code-analyzer",
        "description": "Static analysis of a code base",
        "command": "code-analyzer",
    }
]
AGENT_NAMES: Final = frozenset(a["name"] for a in AGENTS)
SKILL_NAMES: Final = frozenset(s["name"] for s in SKILLS)

CAPABILITIES: Final[dict[str, Any]] = {
    "agents": AGENTS,
    "skills": SKILLS,
    "agents_count": len(AGENTS),
    "skills_count": len(SKILLS),
}
