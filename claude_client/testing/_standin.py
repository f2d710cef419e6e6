"""A deterministic stand-in for the ``claude`` CLI the service runs for every completion.

The service only sees what a CLI run leaves behind: an exit code, stdout (one JSON object with
a ``content`` list and ``usage``), stderr, and how long it took. This module decides those from
the prompt and the model name alone, so the same prompt and model always give the same reply.

Magic markers anywhere in the prompt make the run misbehave on purpose:

- ``[[fail]]`` / ``[[fail:N]]``: exit code 1 (or N) with a short stderr message.
- ``[[sleep:SECONDS]]``: the run takes that long before printing (a REST request whose
  ``timeout`` is shorter gets the service's "Task timed out" 500).
- ``[[bad-json]]``: exit code 0 but stdout is ``this is not json``.
- ``[[empty]]``: a reply with empty text and 0 output tokens.

Model names: ``haiku``, ``sonnet``, ``opus`` and full names starting with ``claude-`` are
accepted (the latter cost 0.0: the service's price table does not know them); any other name,
``auto`` included, fails with exit code 1 as a CLI that does not know the model would.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass

KNOWN_MODELS = ("haiku", "sonnet", "opus")

_MARKER = re.compile(r"\[\[(fail|sleep|bad-json|empty)(?::([^\]]*))?\]\]")
_ROLE_PREFIX = re.compile(r"^[A-Za-z_]+: ")
_TASK_PREFIX = "Task: "

_OPENINGS = (
    'Here is a short answer about "{topic}".',
    'You asked about "{topic}".',
    'Good question about "{topic}".',
    'Let us look at "{topic}" together.',
    'On "{topic}", a few points stand out.',
    'Thinking about "{topic}", here is my take.',
)
_BODY = (
    "The simplest approach is usually the right place to start.",
    "It helps to split the problem into small, testable steps.",
    "Each option has trade-offs worth writing down before choosing.",
    "A quick experiment will tell you more than a long debate.",
    "Start from what you know works, then change one thing at a time.",
    "Clear names and short functions make the result easier to maintain.",
    "Measure before optimizing, and keep the measurements.",
    "Most of the value comes from the first few careful decisions.",
    "Write down the assumptions so they can be checked later.",
    "Keep the common case fast and the rare case correct.",
    "Examples often explain more than definitions do.",
    "A second look tomorrow usually catches what was missed today.",
)
_CLOSINGS = (
    "I hope this helps.",
    "Let me know if you want more detail.",
    "Happy to expand on any part of this.",
    "That should be enough to get started.",
)
_BODY_SENTENCES = {"haiku": 1, "sonnet": 2, "opus": 3}


@dataclass(frozen=True)
class CliRun:
    """What one CLI run leaves behind, and how long it takes before it prints anything."""

    exit_code: int
    stdout: str
    stderr: str
    sleep: float = 0.0


def is_known_model(model: str) -> bool:
    """Whether the stand-in CLI accepts this model name."""
    return model in KNOWN_MODELS or model.startswith("claude-")


def count_tokens(text: str) -> int:
    """A plausible token count: about 1.3 per whitespace-separated word, at least 1."""
    return max(1, math.ceil(1.3 * len(text.split())))


def slices(text: str) -> list[str]:
    """The service's streaming cut: slices of ``max(1, len // 20)`` characters (words split)."""
    size = max(1, len(text) // 20)
    return [text[i : i + size] for i in range(0, len(text), size)]


def _topic(prompt: str) -> str:
    """The asked-about text, echoed as written (punctuation kept): the last message, or an
    agentic task's description (generation 2 sends ``Task: ...`` then its configuration)."""
    if prompt.startswith(_TASK_PREFIX):
        asked = prompt[len(_TASK_PREFIX) :].split("\n")[0]
    else:
        asked = _ROLE_PREFIX.sub("", prompt.split("\n\n")[-1])
    words = _MARKER.sub(" ", asked).split()
    if not words:
        return "your request"
    return " ".join(words[:8]) + ("..." if len(words) > 8 else "")


def reply_text(prompt: str, model: str) -> str:
    """The stand-in's answer: a few readable sentences, a pure function of prompt and model."""
    digest = hashlib.sha256(f"{model}\n{prompt}".encode()).digest()
    family = next((name for name in KNOWN_MODELS if name in model), "sonnet")
    sentences = [_OPENINGS[digest[0] % len(_OPENINGS)].format(topic=_topic(prompt))]
    body_count = _BODY_SENTENCES[family] + digest[1] % 2
    order = sorted(range(len(_BODY)), key=lambda i: (digest[2 + i], i))
    sentences.extend(_BODY[i] for i in order[:body_count])
    if family != "haiku":
        sentences.append(_CLOSINGS[digest[20] % len(_CLOSINGS)])
    return " ".join(sentences)


def _output(text: str, prompt: str, model: str) -> str:
    usage = {
        "input_tokens": count_tokens(prompt),
        "output_tokens": count_tokens(text) if text else 0,
    }
    payload = {"type": "message", "model": model, "content": [{"type": "text", "text": text}]}
    return json.dumps({**payload, "usage": usage}) + "\n"


def run(prompt: str, model: str) -> CliRun:
    """Decide the outcome of running the CLI on ``prompt`` with ``model``."""
    if not is_known_model(model):
        stderr = f"Error: model '{model}' not found. Available models: haiku, sonnet, opus\n"
        return CliRun(exit_code=1, stdout="", stderr=stderr)
    markers: dict[str, str] = {}
    for match in _MARKER.finditer(prompt):
        markers.setdefault(match.group(1), match.group(2) or "")
    sleep = 0.0
    if "sleep" in markers:
        try:
            sleep = max(0.0, float(markers["sleep"]))
        except ValueError:
            sleep = 0.0
        if not math.isfinite(sleep):
            sleep = 0.0
    if "fail" in markers:
        code = int(markers["fail"]) if markers["fail"].isdigit() else 1
        stderr = "Error: simulated CLI failure ([[fail]] marker in the prompt)\n"
        return CliRun(exit_code=code or 1, stdout="", stderr=stderr, sleep=sleep)
    if "bad-json" in markers:
        return CliRun(exit_code=0, stdout="this is not json\n", stderr="", sleep=sleep)
    text = "" if "empty" in markers else reply_text(prompt, model)
    return CliRun(exit_code=0, stdout=_output(text, prompt, model), stderr="", sleep=sleep)


def parse_output(stdout: str) -> tuple[str, int, int]:
    """Read text and token counts the way the service does; raises ``json.JSONDecodeError``."""
    output = json.loads(stdout)
    content = output.get("content", [{}])[0].get("text", "")
    usage = output.get("usage", {})
    return str(content), int(usage.get("input_tokens", 0)), int(usage.get("output_tokens", 0))
