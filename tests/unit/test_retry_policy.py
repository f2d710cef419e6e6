"""The pure retry policy: every branch of the decision table and every kind of delay."""

from __future__ import annotations

import ssl

import httpcore
import httpx
import pytest

from claude_client import RetryPolicy
from claude_client._retries import (
    ExceptionKind,
    Outcome,
    exception_kind,
    retry_after_seconds,
    seconds_to_next_minute,
)

NOW = 1795608030.0  # 2026-11-25 12:00:30 UTC
RATE = "Rate limit exceeded. Please try again later."
BUDGET = "Budget exceeded for project probe-budget"
TASK = "Task failed: Task timed out after 2.0 seconds"


def decide(
    outcome: Outcome,
    policy: RetryPolicy | None = None,
    *,
    retries_done: int = 0,
    runs_task: bool = True,
    elapsed: float = 0.0,
    rand: float = 0.5,
) -> tuple[bool, float]:
    decision = (policy or RetryPolicy()).decide(
        outcome,
        retries_done=retries_done,
        runs_task=runs_task,
        now=NOW,
        elapsed=elapsed,
        rand=rand,
    )
    return decision.retry, decision.delay


def status(code: int, detail: str = "", **headers: str) -> Outcome:
    return Outcome(status_code=code, detail=detail, headers=headers)


@pytest.mark.parametrize(
    "outcome",
    [
        status(429, RATE, date="Wed, 25 Nov 2026 12:00:55 GMT"),
        status(503),
        Outcome(error=ExceptionKind.NOT_SENT),
    ],
)
@pytest.mark.parametrize("runs_task", [False, True])
def test_always_retried(outcome: Outcome, runs_task: bool) -> None:
    assert decide(outcome, runs_task=runs_task)[0]


@pytest.mark.parametrize(
    "outcome",
    [
        status(429, BUDGET),
        status(400, "Invalid period: year"),
        status(401, "Invalid or revoked API key"),
        status(403, "Not authenticated"),
        status(404, "Not Found"),
        status(405),
        status(422, "body.timeout: ..."),
        status(501),
        Outcome(error=ExceptionKind.FATAL),
        Outcome(error=ExceptionKind.POOL_FULL),
    ],
)
def test_never_retried_even_with_the_opt_in(outcome: Outcome) -> None:
    assert not decide(outcome)[0]
    assert not decide(outcome, RetryPolicy(retry_on_task_failure=True), runs_task=False)[0]


@pytest.mark.parametrize(
    "outcome",
    [
        status(500, TASK),
        status(500, "Internal Server Error"),
        status(502),
        status(504),
        Outcome(error=ExceptionKind.MAYBE_SENT),
    ],
)
def test_task_may_have_run_retried_only_when_safe_or_opted_in(outcome: Outcome) -> None:
    assert not decide(outcome)[0]
    assert decide(outcome, runs_task=False)[0]
    assert decide(outcome, RetryPolicy(retry_on_task_failure=True))[0]


def test_max_retries_counts_retries_not_attempts() -> None:
    policy = RetryPolicy(max_retries=2)
    assert decide(status(503), policy, retries_done=0)[0]
    assert decide(status(503), policy, retries_done=1)[0]
    assert not decide(status(503), policy, retries_done=2)[0]
    assert not decide(status(503), RetryPolicy(max_retries=0))[0]


def test_backoff_is_exponential_with_full_jitter_and_capped() -> None:
    policy = RetryPolicy(retry_delay=0.5, max_retry_delay=8.0, max_retries=10)
    ceilings = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    for n, ceiling in enumerate(ceilings):
        assert decide(status(503), policy, retries_done=n, rand=0.999999)[1] == pytest.approx(
            ceiling, rel=1e-5
        )
        assert decide(status(503), policy, retries_done=n, rand=0.25)[1] == pytest.approx(
            ceiling / 4
        )
        assert decide(status(503), policy, retries_done=n, rand=0.0)[1] == 0.0


def test_retry_after_in_seconds_is_obeyed() -> None:
    assert decide(status(503, **{"retry-after": "7"})) == (True, 7.0)
    assert decide(status(429, RATE, **{"retry-after": "2.5"})) == (True, 2.5)


def test_retry_after_as_http_date_is_obeyed() -> None:
    # 12:00:30 now, retry at 12:00:45.
    assert decide(status(503, **{"retry-after": "Wed, 25 Nov 2026 12:00:45 GMT"})) == (True, 15.0)
    # A date in the past means "now".
    assert decide(status(503, **{"retry-after": "Wed, 25 Nov 2026 11:00:00 GMT"})) == (True, 0.0)


def test_retry_after_is_capped() -> None:
    assert decide(status(503, **{"retry-after": "3600"})) == (True, 60.0)
    capped = RetryPolicy(max_retry_after=5.0)
    assert decide(status(503, **{"retry-after": "30"}), capped) == (True, 5.0)


def test_unparseable_retry_after_falls_back_to_backoff() -> None:
    assert decide(status(503, **{"retry-after": "soon"}), rand=0.5) == (True, 0.25)
    assert retry_after_seconds("nan", NOW) is None
    assert retry_after_seconds(None, NOW) is None
    assert retry_after_seconds("-3", NOW) == 0.0


#: A policy that waits out any rate-limit window (the opt-in for single calls).
PATIENT = RetryPolicy(max_retry_delay=61.0)


def test_rate_limit_waits_for_the_next_minute_from_the_date_header() -> None:
    outcome = status(429, RATE, date="Wed, 25 Nov 2026 12:00:42 GMT")
    # 18 s to 12:01:00, plus rand * 1 s of jitter.
    assert decide(outcome, PATIENT, rand=0.5) == (True, 18.5)
    assert decide(outcome, PATIENT, rand=0.0) == (True, 18.0)


def test_rate_limit_at_the_top_of_a_minute_waits_a_whole_window() -> None:
    outcome = status(429, RATE, date="Wed, 25 Nov 2026 12:01:00 GMT")
    assert decide(outcome, PATIENT, rand=0.0) == (True, 60.0)


def test_rate_limit_without_date_uses_the_local_clock() -> None:
    assert decide(status(429, RATE), PATIENT, rand=0.0) == (True, 30.0)  # now is 12:00:30
    assert seconds_to_next_minute("garbage", NOW + 15) == 15.0


def test_a_rate_limit_window_past_max_retry_delay_is_not_waited_for() -> None:
    """Issue 14 item 3: one call waits for a window only when it opens within
    max_retry_delay (8 s by default); else the error comes at once, saying when it opens."""
    far = status(429, RATE, date="Wed, 25 Nov 2026 12:00:10 GMT")  # 50 s to the window
    decision = RetryPolicy().decide(
        far, retries_done=0, runs_task=False, now=NOW, elapsed=0.0, rand=0.0
    )
    assert not decision.retry
    assert decision.delay == 50.0
    assert "window opens in 50.0 s" in decision.reason
    near = status(429, RATE, date="Wed, 25 Nov 2026 12:00:55 GMT")  # 5 s to the window
    assert decide(near, rand=0.0) == (True, 5.0)
    assert not decide(status(429, RATE, **{"retry-after": "9"}))[0]
    assert RetryPolicy.rate_limit_window(far, NOW) == 50.0
    assert RetryPolicy.rate_limit_window(status(429, RATE, **{"retry-after": "12"}), NOW) == 12.0


def test_deadline_stops_a_retry_whose_wait_would_pass_it() -> None:
    policy = RetryPolicy(retry_deadline=20.0, max_retry_delay=61.0)
    outcome = status(429, RATE, date="Wed, 25 Nov 2026 12:00:42 GMT")
    assert decide(outcome, policy, elapsed=0.0, rand=0.0)[0]  # 18 s < 20 s
    assert not decide(outcome, policy, elapsed=5.0, rand=0.0)[0]  # 5 + 18 > 20
    assert decide(status(503), policy, elapsed=19.0, rand=0.5)[0]  # 19 + 0.25 < 20


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"max_retries": -1}, ValueError),
        ({"max_retries": 1.5}, TypeError),
        ({"retry_delay": -0.1}, ValueError),
        ({"max_retry_delay": float("nan")}, ValueError),
        ({"retry_deadline": -1.0}, ValueError),
        # issue 14: retry settings are finite and bounded
        ({"retry_delay": float("inf")}, ValueError),
        ({"retry_delay": 1e12}, ValueError),
        ({"max_retry_delay": float("inf")}, ValueError),
        ({"retry_deadline": float("inf")}, ValueError),
        ({"max_retry_after": 1e12}, ValueError),
        ({"max_retries": 10**9}, ValueError),
        ({"retry_delay": "1"}, TypeError),
    ],
)
def test_policy_rejects_nonsense(kwargs: dict[str, float], error: type[Exception]) -> None:
    with pytest.raises(error):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (httpx.ConnectError("refused"), ExceptionKind.NOT_SENT),
        (httpx.ConnectTimeout("slow"), ExceptionKind.NOT_SENT),
        (httpx.PoolTimeout("busy"), ExceptionKind.POOL_FULL),
        (httpx.ReadTimeout("slow"), ExceptionKind.MAYBE_SENT),
        (httpx.WriteTimeout("slow"), ExceptionKind.MAYBE_SENT),
        (httpx.ReadError("reset"), ExceptionKind.MAYBE_SENT),
        (httpx.WriteError("broken pipe"), ExceptionKind.MAYBE_SENT),
        (httpx.RemoteProtocolError("dropped"), ExceptionKind.MAYBE_SENT),
        (httpx.UnsupportedProtocol("ftp"), ExceptionKind.FATAL),
        (httpx.LocalProtocolError("bad"), ExceptionKind.FATAL),
    ],
)
def test_exception_kinds(exc: httpx.TransportError, kind: ExceptionKind) -> None:
    assert exception_kind(exc) is kind


def _as_httpx_raises(*inner: BaseException) -> httpx.ConnectError:
    """An httpx ``ConnectError`` chained as httpx and httpcore chain theirs: caused by an
    httpcore error, whose context is ``inner[0]``, each caused by the next."""
    mapped = httpcore.ConnectError("mapped")
    outer = httpx.ConnectError("connect failed")
    outer.__cause__ = mapped
    below: BaseException = mapped
    for exc in inner:
        if below is mapped:
            below.__context__ = exc
        else:
            below.__cause__ = exc
        below = exc
    return outer


def test_a_rejected_certificate_is_fatal() -> None:
    rejected = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED]")
    assert exception_kind(_as_httpx_raises(rejected)) is ExceptionKind.FATAL
    # under trio: httpcore -> trio.BrokenResourceError -> ssl
    broken = RuntimeError("BrokenResourceError stand-in")
    assert exception_kind(_as_httpx_raises(broken, rejected)) is ExceptionKind.FATAL
    other_tls = _as_httpx_raises(ssl.SSLError(1, "WRONG_VERSION"))
    assert exception_kind(other_tls) is ExceptionKind.NOT_SENT


def test_an_old_rejection_being_handled_by_the_caller_does_not_count() -> None:
    # a fallback call made inside `except` for a first, rejected server: its plain connection
    # refusal carries the old failure only as implicit context
    old = _as_httpx_raises(ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED]"))
    refused = ConnectionRefusedError(111, "Connection refused")
    refused.__context__ = old
    assert exception_kind(_as_httpx_raises(refused)) is ExceptionKind.NOT_SENT


def test_a_cyclic_exception_chain_ends() -> None:
    first, second = httpx.ConnectError("a"), httpcore.ConnectError("b")
    first.__cause__, second.__context__ = second, first
    assert exception_kind(first) is ExceptionKind.NOT_SENT
