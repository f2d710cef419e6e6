"""ServiceDouble itself: lifecycle, addresses, reset, counters, arranging state."""

from __future__ import annotations

import socket

import httpx
import pytest

from claude_client.testing import ServiceDouble
from tests.double.support import bearer, chat_body, hung_health_call


def test_addresses_and_restart() -> None:
    double = ServiceDouble(api_key="cc_test", exhausted_key="cc_broke")
    assert not double.running
    for _ in range(2):
        with double:
            assert double.running
            assert double.base_url == f"http://127.0.0.1:{double.port}"
            assert double.ws_url == f"ws://127.0.0.1:{double.port}/v1/stream"
            response = httpx.get(f"{double.base_url}/v1/usage", headers=bearer("cc_test"))
            assert response.json()["project_id"] == "test-project"
            response = httpx.get(f"{double.base_url}/v1/usage", headers=bearer("cc_broke"))
            assert response.json()["project_id"] == "exhausted-project"
        assert not double.running


def test_port_in_use_is_an_error(double: ServiceDouble) -> None:
    with pytest.raises(OSError):
        ServiceDouble(port=double.port).start()


def test_generated_keys_have_the_service_format(double: ServiceDouble) -> None:
    key = double.add_key("probe")
    assert key.startswith("cc_") and len(key) == 43
    int(key[3:], 16)


def test_reset_restores_the_starting_state(anon: httpx.Client, double: ServiceDouble) -> None:
    key = double.add_key("probe")
    double.set_budget("test-project", 0)
    double.token_delay = 0.5
    double.clock.advance(3600)
    anon.get("/health")
    double.reset()
    assert double.stats.requests() == 0
    assert anon.get("/v1/usage", headers=bearer(key)).status_code == 401
    usage = anon.get("/v1/usage", headers=bearer(double.api_key)).json()
    assert (usage["limit"], usage["total_tokens"]) == (None, 0)
    assert double.token_delay == 0.0
    exhausted = anon.get("/v1/usage", headers=bearer(double.exhausted_key)).json()
    assert (exhausted["limit"], exhausted["total_tokens"]) == (1000, 1200)


def test_token_delay_must_not_be_negative(double: ServiceDouble) -> None:
    with pytest.raises(ValueError):
        double.token_delay = -1


def test_usage_helper_rejects_unknown_periods(double: ServiceDouble) -> None:
    with pytest.raises(ValueError):
        double.usage("test-project", "year")


def test_request_and_task_counters(http: httpx.Client, double: ServiceDouble) -> None:
    http.get("/health")
    http.post("/v1/chat/completions", json=chat_body("hi", "haiku"))
    http.post("/v1/chat/completions", json=chat_body("hi", "haiku"))
    snapshot = double.stats.snapshot()
    assert snapshot.requests == {"/health": 1, "/v1/chat/completions": 2}
    assert snapshot.total_requests == 3
    assert snapshot.tasks_started == 2


def test_open_connections_are_visible(double: ServiceDouble) -> None:
    with httpx.Client(base_url=double.base_url) as client:
        client.get("/health")
        assert double.stats.open_connections >= 1
    assert double.stats.open_connections >= 0


def test_stop_releases_a_hung_request() -> None:
    double = ServiceDouble().start()
    double.faults.hang()
    caller, outcome = hung_health_call(double)
    double.stop()
    caller.join(10)
    assert not caller.is_alive() and len(outcome) == 1
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", double.port), timeout=1).close()
