"""``stream()`` and ``stream_events()`` of both clients against the double, over a real socket.

No assertion on absolute durations beyond "well under the time a hang would take": arrival
is shown by ordering (the first chunk arrives before the service has finished: its usage is
not yet recorded) and by timestamps relative to each other.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest

from claude_client import (
    AsyncChatStream,
    AsyncClaudeClient,
    BudgetExceededError,
    ChatStream,
    ClaudeAPIError,
    ClaudeClient,
    DoneEvent,
    ErrorEvent,
    Model,
    StreamedResponse,
    StreamError,
    TaskFailedError,
    TimeoutError,
    TokenEvent,
)
from claude_client.testing import ServiceDouble, StatsSnapshot

PROMPT = "list three colors"
TIMEOUT = 10.0


@pytest.fixture
def client(claude_double: ServiceDouble) -> Iterator[ClaudeClient]:
    with ClaudeClient(claude_double.base_url, claude_double.api_key, max_retries=0) as c:
        yield c


@pytest.fixture
async def aclient(claude_double: ServiceDouble) -> AsyncIterator[AsyncClaudeClient]:
    async with AsyncClaudeClient(claude_double.base_url, claude_double.api_key, max_retries=0) as c:
        yield c


def all_closed(s: StatsSnapshot) -> bool:
    return s.ws_opened > 0 and s.ws_open == 0


async def until(double: ServiceDouble, predicate: Callable[[StatsSnapshot], bool]) -> bool:
    """Poll the double's counters without blocking the event loop."""
    for _ in range(250):
        if predicate(double.stats.snapshot()):
            return True
        await asyncio.sleep(0.02)
    return False


# --- text arrives as it is produced ------------------------------------------------------------


def test_the_first_chunk_arrives_before_the_last_token_is_produced(
    claude_double: ServiceDouble, client: ClaudeClient
) -> None:
    claude_double.token_delay = 0.05
    arrivals: list[float] = []
    recorded_at_first_chunk = None
    for _chunk in client.stream(PROMPT, model=Model.HAIKU):
        arrivals.append(time.monotonic())
        if recorded_at_first_chunk is None:
            recorded_at_first_chunk = claude_double.usage(claude_double.project_id).total_tokens
    # when the first chunk was in our hands the service had not finished (usage is recorded
    # after "done"); it was recorded once the stream ended
    assert recorded_at_first_chunk == 0
    assert claude_double.usage(claude_double.project_id).total_tokens > 0
    # and the chunks came spread over the production time, not in one burst at the end
    assert len(arrivals) >= 10
    assert arrivals == sorted(arrivals)
    assert arrivals[-1] - arrivals[0] > 0.5 * (len(arrivals) - 1) * 0.05


async def test_async_chunks_arrive_before_the_stream_ends(
    claude_double: ServiceDouble, aclient: AsyncClaudeClient
) -> None:
    claude_double.token_delay = 0.05
    arrivals: list[float] = []
    recorded_at_first_chunk = None
    async for _chunk in aclient.stream(PROMPT, model=Model.HAIKU):
        arrivals.append(time.monotonic())
        if recorded_at_first_chunk is None:
            recorded_at_first_chunk = claude_double.usage(claude_double.project_id).total_tokens
    assert recorded_at_first_chunk == 0
    assert len(arrivals) >= 10
    assert arrivals[-1] - arrivals[0] > 0.5 * (len(arrivals) - 1) * 0.05


# --- the same answer as complete() -------------------------------------------------------------


@pytest.mark.parametrize("model", [Model.HAIKU, Model.SONNET, Model.OPUS])
def test_joined_chunks_equal_complete_for_the_same_prompt_and_model(
    client: ClaudeClient, model: Model
) -> None:
    chunks = list(client.stream("Tell me a story about a whale", model=model))
    assert len(chunks) > 1
    assert "".join(chunks) == client.complete("Tell me a story about a whale", model=model).content


def test_a_message_list_streams_like_complete(client: ClaudeClient) -> None:
    messages = [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "analyze this architecture"},
    ]
    with client.stream_events(messages, model="sonnet") as stream:
        streamed = stream.get_final_response()
    completed = client.complete(messages, model="sonnet")
    assert streamed.content == completed.content
    assert (streamed.usage, streamed.cost, streamed.model) == (
        completed.usage,
        completed.cost,
        completed.model,
    )


async def test_async_joined_chunks_equal_complete(aclient: AsyncClaudeClient) -> None:
    chunks = [c async for c in aclient.stream(PROMPT, model="opus")]
    assert "".join(chunks) == (await aclient.complete(PROMPT, model="opus")).content


def test_an_empty_completion_streams_no_chunk_and_a_done(client: ClaudeClient) -> None:
    with client.stream_events("[[empty]]", model="haiku") as stream:
        events = list(stream)
    assert len(events) == 1 and isinstance(events[0], DoneEvent)
    assert events[0].usage.output_tokens == 0
    assert stream.get_final_text() == ""


# --- events, usage, cost, model -----------------------------------------------------------------


def test_events_are_tokens_then_one_done_with_usage_cost_and_model(
    claude_double: ServiceDouble, client: ClaudeClient
) -> None:
    with client.stream_events(PROMPT, model=Model.HAIKU) as stream:
        assert isinstance(stream, ChatStream)
        assert (stream.model, stream.project_id) == ("haiku", claude_double.project_id)
        assert stream.url == claude_double.ws_url
        events = list(stream)
        reply = stream.get_final_response()
    assert all(isinstance(e, TokenEvent) for e in events[:-1])
    done = events[-1]
    assert isinstance(done, DoneEvent)
    completed = client.complete(PROMPT, model=Model.HAIKU)
    assert reply == StreamedResponse(
        model="haiku",
        content=completed.content,
        usage=completed.usage,
        cost=completed.cost,
        project_id=claude_double.project_id,
    )
    assert (done.usage, done.cost, done.model) == (reply.usage, reply.cost, reply.model)
    assert reply.usage.total_tokens == reply.usage.input_tokens + reply.usage.output_tokens
    # after the end the stream stays finished
    assert list(stream) == []
    assert stream.get_final_text() == completed.content


async def test_async_events_and_final_response(
    claude_double: ServiceDouble, aclient: AsyncClaudeClient
) -> None:
    async with aclient.stream_events(PROMPT, model="sonnet") as stream:
        assert isinstance(stream, AsyncChatStream)
        texts = [t async for t in stream.aiter_text()]
        reply = await stream.get_final_response()
    assert "".join(texts) == reply.content == await stream.get_final_text()
    assert (reply.model, reply.project_id) == ("sonnet", claude_double.project_id)
    assert reply.cost > 0


def test_get_final_response_reads_the_rest_of_the_stream(client: ClaudeClient) -> None:
    with client.stream_events(PROMPT, model="haiku") as stream:
        first = next(stream)
        assert isinstance(first, TokenEvent)
        reply = stream.get_final_response()
    assert reply.content.startswith(first.text)
    assert reply.content == client.complete(PROMPT, model="haiku").content


def test_a_stream_must_be_entered(client: ClaudeClient) -> None:
    stream = client.stream_events(PROMPT, model="haiku")
    with pytest.raises(RuntimeError, match="context manager"):
        next(stream)


# --- Model.AUTO ------------------------------------------------------------------------------


@pytest.mark.parametrize("prompt", ["list three colors", "analyze this architecture"])
def test_auto_asks_the_route_endpoint_and_picks_what_complete_picks(
    claude_double: ServiceDouble, client: ClaudeClient, prompt: str
) -> None:
    with client.stream_events(prompt) as stream:
        reply = stream.get_final_response()
    assert claude_double.stats.requests("/v1/route") == 1
    completed = client.complete(prompt)  # the service's own auto-selection
    assert stream.model == reply.model == completed.model
    assert reply.content == completed.content


async def test_async_auto_asks_the_route_endpoint(
    claude_double: ServiceDouble, aclient: AsyncClaudeClient
) -> None:
    text = "".join([c async for c in aclient.stream(PROMPT, model=Model.AUTO)])
    assert claude_double.stats.requests("/v1/route") == 1
    assert text == (await aclient.complete(PROMPT)).content


# --- billing lands on the key's project --------------------------------------------------------


def test_streamed_usage_shows_in_get_usage_of_the_keys_project(
    claude_double: ServiceDouble, client: ClaudeClient
) -> None:
    before = client.get_usage()
    with client.stream_events(PROMPT, model="sonnet") as stream:
        reply = stream.get_final_response()
    after = client.get_usage()
    assert after.project_id == reply.project_id == claude_double.project_id
    assert after.total_tokens == before.total_tokens + reply.usage.total_tokens
    assert after.total_cost == pytest.approx(before.total_cost + reply.cost)
    assert after.by_model["sonnet"].tokens == reply.usage.total_tokens
    assert claude_double.usage("default").total_tokens == 0  # not the socket's default


async def test_async_streamed_usage_shows_in_get_usage(
    claude_double: ServiceDouble, aclient: AsyncClaudeClient
) -> None:
    async with aclient.stream_events(PROMPT, model="haiku") as stream:
        reply = await stream.get_final_response()
    usage = await aclient.get_usage()
    assert usage.by_model["haiku"].tokens == reply.usage.total_tokens
    assert claude_double.usage("default").total_tokens == 0


def test_the_project_is_learned_once_and_shared_with_copies(
    claude_double: ServiceDouble, client: ClaudeClient
) -> None:
    copy = client.with_options(timeout=60)
    for c in (client, copy, client, copy):
        assert "".join(c.stream(PROMPT, model="haiku"))
    assert claude_double.stats.requests("/v1/usage") == 1
    assert claude_double.usage(claude_double.project_id).total_tokens > 0


def test_a_budget_error_frame_is_budget_exceeded(claude_double: ServiceDouble) -> None:
    with (
        ClaudeClient(claude_double.base_url, claude_double.exhausted_key) as client,
        pytest.raises(BudgetExceededError, match=claude_double.exhausted_project_id) as caught,
    ):
        list(client.stream(PROMPT, model="haiku"))
    assert caught.value.status_code == 429
    assert claude_double.stats.wait_until(all_closed)


async def test_async_budget_error(claude_double: ServiceDouble) -> None:
    async with AsyncClaudeClient(claude_double.base_url, claude_double.exhausted_key) as client:
        with pytest.raises(BudgetExceededError):
            async with client.stream_events(PROMPT, model="opus") as stream:
                await stream.get_final_response()


def test_an_error_frame_is_yielded_as_an_event_then_raised(
    claude_double: ServiceDouble, client: ClaudeClient
) -> None:
    seen: list[object] = []
    with (
        client.stream_events("[[fail]]", model="haiku") as stream,
        pytest.raises(TaskFailedError) as raised,
    ):
        for event in stream:
            seen.append(event)
    assert seen == [ErrorEvent(message="Streaming error: Claude CLI exited with code 1")]
    assert raised.value.detail == "Streaming error: Claude CLI exited with code 1"
    assert claude_double.stats.wait_until(all_closed)


async def test_async_error_event_then_the_error(aclient: AsyncClaudeClient) -> None:
    seen: list[object] = []
    async with aclient.stream_events("[[fail]]", model="haiku") as stream:
        async for event in stream:
            seen.append(event)
            if isinstance(event, ErrorEvent):
                break  # handled here: no exception from the loop
        with pytest.raises(TaskFailedError):
            await stream.get_final_response()
    assert [type(e) for e in seen] == [ErrorEvent]


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "text"),
    [
        ("[[fail]] please", "Streaming error: Claude CLI exited with code 1"),
        ("[[bad-json]] please", "Streaming error: Failed to parse Claude CLI output"),
    ],
)
def test_a_cli_failure_is_a_task_failed_server_error(
    claude_double: ServiceDouble, client: ClaudeClient, prompt: str, text: str
) -> None:
    with pytest.raises(TaskFailedError, match=text) as caught:
        list(client.stream(prompt, model="haiku"))
    assert caught.value.status_code == 500
    assert claude_double.stats.wait_until(all_closed)


def test_a_failed_stream_raises_the_same_error_again(client: ClaudeClient) -> None:
    with client.stream_events("[[fail]]", model="haiku") as stream:
        with pytest.raises(TaskFailedError) as first:
            list(stream)
        with pytest.raises(TaskFailedError) as again:
            stream.get_final_response()
    assert again.value is first.value


def test_an_unknown_model_fails_before_any_request(
    claude_double: ServiceDouble, client: ClaudeClient
) -> None:
    with pytest.raises(ValueError, match="Unknown model"):
        client.stream(PROMPT, model="gpt-4")
    with pytest.raises(ValueError, match="Unknown model"):
        client.stream_events(PROMPT, model="gpt-4")
    assert claude_double.stats.snapshot().total_requests == 0
    assert claude_double.stats.ws_opened == 0


@pytest.mark.parametrize("abrupt", [False, True])
def test_a_socket_dropped_mid_stream_is_a_stream_error(
    claude_double: ServiceDouble, client: ClaudeClient, abrupt: bool
) -> None:
    claude_double.faults.ws_close_after(4, abrupt=abrupt)
    chunks: list[str] = []
    with pytest.raises(StreamError, match="closed before the stream finished"):
        for chunk in client.stream(PROMPT, model="haiku"):
            chunks.append(chunk)
    assert len(chunks) == 4
    assert claude_double.stats.wait_until(all_closed)


async def test_async_socket_dropped_mid_stream(
    claude_double: ServiceDouble, aclient: AsyncClaudeClient
) -> None:
    claude_double.faults.ws_close_after(2, abrupt=True)
    async with aclient.stream_events(PROMPT, model="haiku") as stream:
        with pytest.raises(StreamError):
            await stream.get_final_response()


def test_no_frame_within_the_timeout_is_a_timeout_error_not_a_hang(
    claude_double: ServiceDouble, client: ClaudeClient
) -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="No stream frame within"):
        list(client.stream("[[sleep:3]] slow", model="haiku", timeout=0.3))
    assert time.monotonic() - started < 2.5  # gave up well before the 3 s run ends
    assert claude_double.stats.wait_until(all_closed)


async def test_async_no_frame_within_the_timeout(
    claude_double: ServiceDouble, aclient: AsyncClaudeClient
) -> None:
    with pytest.raises(TimeoutError):
        async with aclient.stream_events("[[sleep:3]]", model="haiku", timeout=0.3) as stream:
            await stream.get_final_response()
    assert await until(claude_double, all_closed)


def test_a_refused_handshake_raises_without_leaking(
    claude_double: ServiceDouble, client: ClaudeClient
) -> None:
    claude_double.faults.ws_reject()
    with pytest.raises(ClaudeAPIError) as caught:
        list(client.stream(PROMPT, model="haiku"))
    assert getattr(caught.value, "status_code", None) == 403


def test_without_a_key_the_project_lookup_fails_typed(
    claude_double: ServiceDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAUDE_CODE_API_KEY", raising=False)
    with (
        ClaudeClient(claude_double.base_url) as client,
        pytest.raises(ClaudeAPIError) as caught,
    ):
        list(client.stream(PROMPT, model="haiku"))
    assert getattr(caught.value, "status_code", None) == 403
    assert claude_double.stats.ws_opened == 0


# --- resources: every way out closes the socket --------------------------------------------------


def test_breaking_out_of_the_loop_closes_the_socket(
    claude_double: ServiceDouble, client: ClaudeClient
) -> None:
    claude_double.token_delay = 0.05
    for _chunk in client.stream(PROMPT, model="haiku"):
        break
    assert claude_double.stats.wait_until(all_closed)
    assert claude_double.usage(claude_double.project_id).total_tokens == 0  # never finished


def test_an_exception_in_the_callers_loop_closes_the_socket(
    claude_double: ServiceDouble, client: ClaudeClient
) -> None:
    claude_double.token_delay = 0.05

    class Stop(Exception):
        pass

    with pytest.raises(Stop):
        for _chunk in client.stream(PROMPT, model="haiku"):
            raise Stop
    assert claude_double.stats.wait_until(all_closed)
    with pytest.raises(Stop), client.stream_events(PROMPT, model="haiku") as stream:
        for _event in stream:
            raise Stop
    assert claude_double.stats.wait_until(lambda s: s.ws_opened == 2 and s.ws_open == 0)
    with pytest.raises(StreamError, match="closed before it finished"):
        stream.get_final_response()


async def test_async_break_closes_the_socket(
    claude_double: ServiceDouble, aclient: AsyncClaudeClient
) -> None:
    claude_double.token_delay = 0.05
    async with contextlib.aclosing(aclient.stream(PROMPT, model="haiku")) as chunks:
        async for _chunk in chunks:
            break
    assert await until(claude_double, all_closed)
    # without aclosing(): the abandoned generator is closed by the event loop's finalizer,
    # in another task; the socket still closes and the caller's task is unharmed
    async for _chunk in aclient.stream(PROMPT, model="haiku"):
        break
    gc.collect()
    assert await until(claude_double, lambda s: s.ws_opened == 2 and s.ws_open == 0)
    await asyncio.sleep(0.05)  # the caller's task goes on running normally


async def test_task_cancellation_closes_the_socket(
    claude_double: ServiceDouble, aclient: AsyncClaudeClient
) -> None:
    claude_double.token_delay = 0.05
    first_chunk = asyncio.Event()

    async def consume() -> None:
        async for _chunk in aclient.stream(PROMPT, model="haiku"):
            first_chunk.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first_chunk.wait(), TIMEOUT)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await until(claude_double, all_closed)
    # a cancelled stream was not finished, and the client still works afterwards
    assert claude_double.usage(claude_double.project_id).total_tokens == 0
    assert "".join([c async for c in aclient.stream(PROMPT, model="haiku")])


async def test_a_timeout_around_the_loop_cancels_and_closes(
    claude_double: ServiceDouble, aclient: AsyncClaudeClient
) -> None:
    claude_double.token_delay = 0.2

    async def read_all() -> str:
        async with aclient.stream_events(PROMPT, model="haiku") as stream:
            return await stream.get_final_text()

    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(read_all(), 0.5)
    assert await until(claude_double, all_closed)


def test_many_sequential_streams_leak_no_socket(
    claude_double: ServiceDouble, client: ClaudeClient
) -> None:
    for _ in range(40):
        with client.stream_events(PROMPT, model="haiku") as stream:
            stream.get_final_response()
    for _ in range(10):
        for _chunk in client.stream(PROMPT, model="haiku"):
            break
    assert claude_double.stats.wait_until(lambda s: s.ws_opened == 50 and s.ws_open == 0)
    # at most the one keep-alive connection of the REST lookup is still open
    assert claude_double.stats.open_connections <= 1


async def test_async_many_sequential_streams_leak_no_socket(
    claude_double: ServiceDouble, aclient: AsyncClaudeClient
) -> None:
    for _ in range(40):
        async with aclient.stream_events(PROMPT, model="haiku") as stream:
            await stream.get_final_response()
    assert await until(claude_double, lambda s: s.ws_opened == 40 and s.ws_open == 0)
    assert claude_double.stats.open_connections <= 1


# --- handshake: the key, the URL, and never the key in errors or logs -----------------------------


def test_the_handshake_sends_the_bearer_key_to_the_base_url(claude_double: ServiceDouble) -> None:
    seen: list[httpx.Request] = []
    with (
        httpx.Client(event_hooks={"request": [seen.append]}) as own,
        ClaudeClient(claude_double.base_url, claude_double.api_key, http_client=own) as client,
    ):
        assert "".join(client.stream(PROMPT, model="haiku"))  # through the caller's client
    upgrade = [r for r in seen if r.headers.get("upgrade") == "websocket"]
    assert len(upgrade) == 1
    assert str(upgrade[0].url) == claude_double.base_url + "/v1/stream"
    assert upgrade[0].headers["authorization"] == f"Bearer {claude_double.api_key}"


def test_the_key_never_appears_in_errors_reprs_or_logs(
    claude_double: ServiceDouble, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    keys = (claude_double.api_key, claude_double.exhausted_key)
    texts: list[str] = []

    def attempt(client: ClaudeClient, prompt: str, timeout: float | None = None) -> None:
        stream = client.stream_events(prompt, model="haiku", timeout=timeout)
        texts.append(repr(stream))
        try:
            with stream:
                texts.append(repr(stream))
                stream.get_final_response()
        except ClaudeAPIError as exc:
            texts.extend([str(exc), repr(exc), repr(vars(exc))])

    for key in keys:
        with ClaudeClient(claude_double.base_url, key, max_retries=0) as client:
            texts.append(repr(client))
            attempt(client, PROMPT)  # budget exceeded with the exhausted key
            attempt(client, "[[fail]]")
            attempt(client, "[[sleep:2]]", timeout=0.2)
            claude_double.faults.ws_close_after(1)
            attempt(client, PROMPT)
            claude_double.faults.clear()
            claude_double.faults.ws_reject()
            attempt(client, PROMPT)
    texts.extend(r.getMessage() for r in caplog.records)
    assert len(texts) > 20
    assert not [t for t in texts if any(key in t for key in keys)]
