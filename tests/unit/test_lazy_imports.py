"""What ``from claude_client import ClaudeClient`` loads, and what each first call loads.

Checked by module names in a fresh interpreter (never by time: ``bench/imports.py`` prints the
figures): the client classes load without the generated models, attrs, streaming, batch,
generation 2, the cache or the CLI's rich/click, and each part loads on its first use, its
public classes and errors then the very objects ``claude_client.X`` names.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest

#: Modules a program that only imports the client must not load.
HEAVY = (
    "attr",
    "attrs",
    "anyio",
    "httpcore",
    "claude_code_api",
    "claude_code_api.models",
    "claude_client._models",
    "claude_client._result_base",
    "claude_client._gen2_models",
    "claude_client._gen2_args",
    "claude_client._gen2_ops",
    "claude_client._exceptions",
    "claude_client._error_mapping",
    "claude_client._retries",
    "claude_client._retry_transport",
    "claude_client._clock",
    "claude_client._calls",
    "claude_client._observe",
    "claude_client._telemetry",
    "claude_client._streaming",
    "claude_client._batch",
    "claude_client.cache",
    "claude_client.cli",
    "rich",
    "click",
    "pygments",
)


def _run(script: str) -> Any:
    """Run ``script`` in a new interpreter; it prints one JSON object, returned here."""
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    "statement",
    [
        "from claude_client import ClaudeClient",
        "from claude_client import AsyncClaudeClient",
        "from claude_client import ClaudeClient, Model",
        "import claude_client",
    ],
)
def test_importing_the_client_loads_none_of_the_heavy_modules(statement: str) -> None:
    loaded = _run(
        f"""
        import json, sys
        {statement}
        print(json.dumps(sorted(sys.modules)))
        """
    )
    # httpx's own import loads rich and click (its CLI) when they are installed: not ours.
    baseline = _run("import json, sys, httpx; print(json.dumps(sorted(sys.modules)))")
    assert isinstance(loaded, list) and isinstance(baseline, list)
    assert sorted(set(HEAVY) & (set(loaded) - set(baseline))) == []
    # The package alone binds its names lazily: not even httpx.
    assert ("httpx" in loaded) is (statement != "import claude_client")


_FIRST_USE = """
import json, sys, warnings

import httpx

from claude_client import ClaudeClient

CHAT = {
    "id": "c1", "model": "haiku", "content": "hi", "cost": 0.0001, "project_id": "p",
    "usage": {"input_tokens": 1, "output_tokens": 2, "total_tokens": 3},
}
seen = {}

def answer(request):
    return httpx.Response(200, json=CHAT)

def loaded(*names):
    return {name: name in sys.modules for name in names}

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    client = ClaudeClient(
        api_key="k",
        project_id="ignored",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
    )
import claude_client

warning = caught[0].category
seen["warning"] = [warning is claude_client.ProjectIdIgnoredWarning, warning.__module__]
seen["made"] = loaded("claude_client._streaming", "claude_client._batch",
                      "claude_client._gen2_models", "claude_client.cache", "claude_client.cli")
reply = client.complete("hi")
seen["reply"] = [type(reply) is claude_client.Response, type(reply).__module__, reply.content]
seen["completed"] = loaded("claude_code_api.models", "claude_client._models",
                           "claude_client._streaming", "claude_client._batch",
                           "claude_client._gen2_models")
stream = client.stream_events("hi")
seen["stream"] = [type(stream) is claude_client.ChatStream, type(stream).__module__]
seen["streamed"] = loaded("claude_client._streaming", "claude_client._batch")
try:
    client.run_batch([])
except Exception as exc:
    seen["batch"] = [type(exc) is claude_client.BatchInputError, type(exc).__module__]
seen["batched"] = loaded("claude_client._batch", "claude_client._gen2_ops")
try:
    client.provider_models("")
except ValueError as exc:
    seen["gen2"] = [type(exc).__name__]
seen["gen2_loaded"] = loaded("claude_client._gen2_models", "claude_client._gen2_ops",
                             "claude_client.cli")
print(json.dumps(seen))
"""


def test_each_part_loads_on_its_first_use_as_the_public_objects() -> None:
    seen = _run(_FIRST_USE)
    assert seen["warning"] == [True, "claude_client"]
    made = {"claude_client._streaming": False, "claude_client._batch": False}
    made |= {"claude_client._gen2_models": False, "claude_client.cache": False}
    assert seen["made"] == made | {"claude_client.cli": False}
    assert seen["reply"] == [True, "claude_client", "hi"]
    assert seen["completed"] == {
        "claude_code_api.models": True,
        "claude_client._models": True,
        "claude_client._streaming": False,
        "claude_client._batch": False,
        "claude_client._gen2_models": False,
    }
    assert seen["stream"] == [True, "claude_client"]
    assert seen["streamed"] == {"claude_client._streaming": True, "claude_client._batch": False}
    assert seen["batch"] == [True, "claude_client"]
    assert seen["batched"] == {"claude_client._batch": True, "claude_client._gen2_ops": False}
    assert seen["gen2"] == ["ValueError"]
    assert seen["gen2_loaded"] == {
        "claude_client._gen2_models": True,
        "claude_client._gen2_ops": True,
        "claude_client.cli": False,
    }
