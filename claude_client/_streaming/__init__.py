"""Streaming over the service's WebSocket ``/v1/stream``: pure frame handling, thin sockets.

Layers, top to bottom (each module imports only those below it):

- ``_streams``: ``ChatStream`` / ``AsyncChatStream``, one streamed completion used as a
  context manager; they join one request's frames to a socket and close it on every exit.
- ``_chat``: the chat message (no I/O): the checked request (``StreamSpec``), the frame sent
  (``build_chat_frame``), the frames received (``parse_frame``) and one request's state
  (``_Exchange``: frames in, events out, the final response).
- ``_websocket``: WebSocket framing (``_Protocol``, no I/O) and the sync/async sockets, which
  move text messages over an upgraded ``httpx`` connection and know no message type.
- ``_direct``: the async handshake straight on an asyncio socket (h11), where that changes
  nothing but the cost (asyncio, the client's own pool, no proxy); it answers as httpx would.
- ``_task`` / ``_task_streams``: the same two layers for generation 2's ``agentic_task``
  message (``TaskStream`` / ``AsyncTaskStream``), on the same sockets.
- ``_events``: the public events and the final response.

What the socket's texts and failures become as errors lives in ``_error_mapping``.
"""

import claude_client
from claude_client._streaming._chat import (
    ProjectCache,
    StreamSpec,
    build_chat_frame,
    parse_frame,
    stream_spec,
)
from claude_client._streaming._events import (
    DoneEvent,
    ErrorEvent,
    StreamedResponse,
    StreamEvent,
    TaskDoneEvent,
    TaskEvent,
    ThinkingEvent,
    TokenEvent,
)
from claude_client._streaming._streams import AsyncChatStream, ChatStream, aiter_text, iter_text
from claude_client._streaming._task import TaskSpec
from claude_client._streaming._task_streams import AsyncTaskStream, TaskStream
from claude_client._streaming._websocket import (
    MAX_MESSAGE_CHARS,
    STREAM_PATH,
    websocket_url,
)

__all__ = [
    "MAX_MESSAGE_CHARS",
    "STREAM_PATH",
    "AsyncChatStream",
    "AsyncTaskStream",
    "ChatStream",
    "DoneEvent",
    "ErrorEvent",
    "ProjectCache",
    "StreamEvent",
    "StreamSpec",
    "StreamedResponse",
    "TaskDoneEvent",
    "TaskEvent",
    "TaskSpec",
    "TaskStream",
    "ThinkingEvent",
    "TokenEvent",
    "aiter_text",
    "build_chat_frame",
    "iter_text",
    "parse_frame",
    "stream_spec",
    "websocket_url",
]

# Show the public names here as claude_client.X (the package adopts them; see its _adopt).
claude_client._adopt(__name__)
