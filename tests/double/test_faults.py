"""Fault injection: programmed errors, bad bodies, slowness, dropped and hung connections."""

from __future__ import annotations

import httpx
import httpx_ws
import pytest

from claude_client.testing import ServiceDouble
from tests.double.support import (
    bearer,
    chat_body,
    hung_health_call,
    receive,
    user,
    websocket,
)

CHAT = "/v1/chat/completions"


def test_fail_next_n_then_recover(http: httpx.Client, double: ServiceDouble) -> None:
    fault = double.faults.fail(503, times=2, path=CHAT)
    body = chat_body("hi", "haiku")
    assert http.get("/v1/usage").status_code == 200  # other paths untouched
    first, second, third = (http.post(CHAT, json=body) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (503, 503, 200)
    assert first.json() == {"detail": "Service Unavailable"}
    assert "retry-after" not in first.headers
    assert (fault.hits, fault.remaining, double.faults.pending) == (2, 0, [])
    assert double.stats.tasks_started == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_error_statuses(http: httpx.Client, double: ServiceDouble, status: int) -> None:
    double.faults.fail(status)
    assert http.get("/v1/usage").status_code == status


def test_rate_limit_fault_uses_the_service_body(http: httpx.Client, double: ServiceDouble) -> None:
    double.faults.rate_limit()
    double.faults.rate_limit(retry_after=3)
    double.faults.rate_limit(body={"detail": "slow down"})
    plain, with_header, custom = (http.get("/v1/usage") for _ in range(3))
    assert plain.status_code == 429
    assert plain.json() == {"detail": "Rate limit exceeded. Please try again later."}
    assert "retry-after" not in plain.headers
    assert with_header.headers["retry-after"] == "3"
    assert custom.json() == {"detail": "slow down"}


def test_faulted_requests_are_not_counted_or_billed(
    anon: httpx.Client, double: ServiceDouble
) -> None:
    double.clock.freeze()
    key = double.add_key("probe", rate_limit=1)
    double.faults.fail(502, times=3)
    for _ in range(3):
        assert anon.get("/v1/usage", headers=bearer(key)).status_code == 502
    assert anon.get("/v1/usage", headers=bearer(key)).status_code == 200
    assert double.stats.requests("/v1/usage") == 4


def test_html_error_page(http: httpx.Client, double: ServiceDouble) -> None:
    double.faults.html_error(502)
    response = http.post(CHAT, json=chat_body("hi", "haiku"))
    assert response.status_code == 502
    assert response.headers["content-type"] == "text/html"
    assert "<title>502 Bad Gateway</title>" in response.text


def test_malformed_json_cuts_the_real_body(http: httpx.Client, double: ServiceDouble) -> None:
    double.faults.malformed_json(path=CHAT)
    response = http.post(CHAT, json=chat_body("hi", "haiku"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.text.startswith('{"id":"')
    with pytest.raises(ValueError):
        response.json()
    assert http.get("/v1/usage").json()["total_tokens"] > 0  # the service did run it


def test_malformed_json_with_a_given_body(http: httpx.Client, double: ServiceDouble) -> None:
    double.faults.malformed_json('{"total": 1, "resu')
    response = http.get("/v1/usage")
    assert (response.status_code, response.text) == (200, '{"total": 1, "resu')


def test_respond_with_anything(http: httpx.Client, double: ServiceDouble) -> None:
    double.faults.respond(418, "short and stout", content_type="text/plain", headers={"x-a": "b"})
    response = http.get("/health")
    assert (response.status_code, response.text, response.headers["x-a"]) == (
        418,
        "short and stout",
        "b",
    )


def test_slow_response_beats_a_short_client_timeout(
    http: httpx.Client, double: ServiceDouble
) -> None:
    double.faults.slow(30, path=CHAT)
    with pytest.raises(httpx.ReadTimeout):
        http.post(CHAT, json=chat_body("hi", "haiku"), timeout=0.5)
    double.reset()  # releases the held request
    assert http.post(CHAT, json=chat_body("hi", "haiku")).status_code == 200


def test_slow_response_still_answers(http: httpx.Client, double: ServiceDouble) -> None:
    double.faults.slow(0.2)
    assert http.get("/v1/usage").status_code == 200


def test_connection_dropped_mid_body(http: httpx.Client, double: ServiceDouble) -> None:
    double.faults.drop_mid_body(path=CHAT)
    with pytest.raises(httpx.RemoteProtocolError):
        http.post(CHAT, json=chat_body("hi", "haiku"))
    assert http.get("/v1/usage").json()["total_tokens"] > 0  # billed all the same


def test_connection_dropped_mid_body_streaming_read(double: ServiceDouble) -> None:
    double.faults.drop_mid_body()
    with (
        httpx.Client(base_url=double.base_url) as client,
        client.stream("GET", "/health") as response,
    ):
        assert response.status_code == 200
        assert int(response.headers["content-length"]) > 0
        with pytest.raises(httpx.RemoteProtocolError):
            response.read()


def test_disconnect_without_response(http: httpx.Client, double: ServiceDouble) -> None:
    double.faults.disconnect()
    with pytest.raises(httpx.RemoteProtocolError):
        http.get("/health")
    assert http.get("/health").status_code == 200


def test_hang_until_the_client_gives_up(http: httpx.Client, double: ServiceDouble) -> None:
    double.faults.hang()
    with pytest.raises(httpx.ReadTimeout):
        http.get("/v1/usage", timeout=0.5)
    assert double.stats.wait_until(lambda s: s.http_disconnects == 1)


def test_hang_until_reset(double: ServiceDouble) -> None:
    double.faults.hang(path="/health")
    caller, errors = hung_health_call(double)
    double.reset()
    caller.join(10)
    assert not caller.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], httpx.RemoteProtocolError)


def test_times_none_and_method_filter(http: httpx.Client, double: ServiceDouble) -> None:
    double.faults.fail(500, times=None, path="/v1/usage", method="GET")
    assert [http.get("/v1/usage").status_code for _ in range(3)] == [500, 500, 500]
    assert http.post("/v1/usage").status_code == 405
    double.faults.clear()
    assert http.get("/v1/usage").status_code == 200


def test_times_must_be_positive(double: ServiceDouble) -> None:
    with pytest.raises(ValueError):
        double.faults.fail(500, times=0)


def test_reset_forgets_faults(http: httpx.Client, double: ServiceDouble) -> None:
    double.faults.fail(500, times=5)
    double.reset()
    assert http.get("/health").status_code == 200


def _frame() -> dict[str, object]:
    return {"type": "chat", "model": "haiku", "messages": user("list three colors")}


def test_websocket_closed_mid_stream(double: ServiceDouble) -> None:
    double.faults.ws_close_after(3)
    with websocket(double.ws_url) as ws:
        ws.send_json(_frame())
        tokens = [receive(ws) for _ in range(3)]
        assert [t["type"] for t in tokens] == ["token"] * 3
        with pytest.raises(httpx_ws.WebSocketDisconnect) as closed:
            ws.receive(timeout=5)
    assert closed.value.code == 1011
    assert double.usage("default").total_tokens == 0
    assert double.stats.wait_until(lambda s: s.ws_closed == 1)


def test_websocket_dropped_without_close_frame(double: ServiceDouble) -> None:
    double.faults.ws_close_after(0, abrupt=True)
    with websocket(double.ws_url) as ws:
        ws.send_json(_frame())
        with pytest.raises((httpx_ws.WebSocketDisconnect, httpx_ws.WebSocketNetworkError)):
            ws.receive(timeout=5)
    assert double.stats.wait_until(lambda s: s.ws_closed == 1)


def test_websocket_handshake_rejected(double: ServiceDouble) -> None:
    double.faults.ws_reject()
    with pytest.raises(httpx_ws.WebSocketUpgradeError), websocket(double.ws_url):
        pass
    with websocket(double.ws_url) as ws:
        ws.send_json(_frame())
        assert receive(ws)["type"] == "token"
    assert double.stats.snapshot().ws_rejected == 1
