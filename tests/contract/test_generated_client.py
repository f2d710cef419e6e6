"""The generated low-level client: it is importable, calls the service with a bearer key, parses
attrs models, and regenerating from a changed contract yields the new call."""

from __future__ import annotations

import importlib
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import respx
import yaml
from claude_code_api import AuthenticatedClient
from claude_code_api.api.chat import create_chat_completion
from claude_code_api.models import (
    ChatCompletionRequest,
    ChatCompletionResponse,
    Message,
    ModelName,
    Usage,
)

from tests._tools import tools_env
from tests.unit.conftest import CHAT_BODY

ROOT = Path(__file__).resolve().parents[2]


@respx.mock(base_url="http://service.test")
def test_generated_chat_call_sends_bearer_key_and_parses_attrs_models(
    respx_mock: respx.MockRouter,
) -> None:
    route = respx_mock.post("/v1/chat/completions").respond(200, json=CHAT_BODY)
    client = AuthenticatedClient(base_url="http://service.test", token="cc_" + "a" * 40)
    body = ChatCompletionRequest(
        messages=[Message(role="user", content="list three colors")], model=ModelName.HAIKU
    )

    response = create_chat_completion.sync_detailed(client=client, body=body)

    sent = route.calls.last.request
    assert sent.headers["Authorization"] == "Bearer cc_" + "a" * 40
    assert json.loads(sent.content) == {
        "messages": [{"role": "user", "content": "list three colors"}],
        "model": "haiku",
        "timeout": 30.0,
    }
    assert response.status_code == 200
    parsed = response.parsed
    assert isinstance(parsed, ChatCompletionResponse)
    assert isinstance(parsed.usage, Usage)
    assert (parsed.model, parsed.usage.total_tokens, parsed.cost) == ("haiku", 45, 4.925e-05)


SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text())
OPERATIONS = sorted(
    (op["tags"][0], op["operationId"])
    for item in SPEC["paths"].values()
    for op in item.values()
    if isinstance(op, dict) and "operationId" in op
)


@pytest.mark.parametrize(("tag", "operation_id"), OPERATIONS)
def test_every_contract_operation_has_its_generated_call(tag: str, operation_id: str) -> None:
    """Nothing is dropped silently (a title clash once made the generator skip a path)."""
    module = importlib.import_module(f"claude_code_api.api.{tag}.{operation_id}")
    for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
        assert callable(getattr(module, name))


def test_omitted_model_is_not_sent_so_the_service_auto_selects() -> None:
    body = ChatCompletionRequest(messages=[Message(role="user", content="hi")])
    assert "model" not in body.to_dict()


def test_regenerating_from_a_changed_contract_yields_the_new_operation(tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    spec["paths"]["/info"] = {
        "get": {
            "tags": ["service"],
            "operationId": "get_info",
            "security": [],
            "responses": {
                "200": {
                    "description": "Ready.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/HealthResponse"}
                        }
                    },
                }
            },
        }
    }
    work = tmp_path / "repo"
    (work / "scripts").mkdir(parents=True)
    for script in ("generate", "_tools.sh"):
        shutil.copy(ROOT / "scripts" / script, work / "scripts" / script)
    shutil.copy(ROOT / "openapi-python-client.yaml", work / "openapi-python-client.yaml")
    shutil.copytree(ROOT / "codegen-templates", work / "codegen-templates")
    (work / "openapi.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))

    subprocess.run(
        ["bash", str(work / "scripts" / "generate"), str(tmp_path / "out")],
        check=True,
        capture_output=True,
        env=tools_env(),
    )

    code = (
        "import httpx, respx\n"
        "from claude_code_api import Client\n"
        "from claude_code_api.api.service import get_info\n"
        "with respx.mock(base_url='http://s.test') as m:\n"
        "    m.get('/info').respond(200, json={'status': 'ok', 'version': '1', 'services': {}})\n"
        "    r = get_info.sync(client=Client(base_url='http://s.test'))\n"
        "print(type(r).__name__, r.status)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(tmp_path / "out")},
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "HealthResponse ok"
    # The installed package is untouched by the experiment.
    assert importlib.util.find_spec("claude_code_api.api.service.get_info") is None
    assert httpx.__version__
