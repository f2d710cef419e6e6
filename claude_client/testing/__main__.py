"""``python -m claude_client.testing``: serve the double until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

#: The defaults of the command's options (``claude-client serve-double`` uses them too).
DEFAULT_GENERATION = 2  # the newest
GENERATIONS = (1, 2)
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_RATE_LIMIT = 100
DEFAULT_TOKEN_DELAY = 0.0
#: How to get the double's dependencies, from an index or from a clone of the repository.
INSTALL_HINT = (
    "pip install 'claude-code-client[testing]' (from a clone: pip install -e '.[testing]')"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m claude_client.testing",
        description="Serve a local double of the Claude Code API Service.",
    )
    parser.add_argument(
        "--generation",
        type=int,
        choices=GENERATIONS,
        default=DEFAULT_GENERATION,
        help=f"which generation of the service to serve (default {DEFAULT_GENERATION}, the newest)",
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 = any)"
    )
    parser.add_argument("--api-key", help="key on a project without budget limit (default: new)")
    parser.add_argument(
        "--exhausted-key", help="key on a project whose budget is spent (default: new)"
    )
    parser.add_argument(
        "--rate-limit",
        type=int,
        default=DEFAULT_RATE_LIMIT,
        help=f"requests per minute per key (default {DEFAULT_RATE_LIMIT})",
    )
    parser.add_argument(
        "--token-delay",
        type=float,
        default=DEFAULT_TOKEN_DELAY,
        help="seconds per streamed slice of the stand-in model (default 0)",
    )
    return parser


class MissingExtraError(ImportError):
    """The double's dependencies (the ``testing`` extra) are not installed."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the double in the foreground; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        return serve(**vars(args))
    except MissingExtraError as exc:
        print(f"{_parser().prog}: {exc}", file=sys.stderr)
        return 2


def serve(
    *,
    generation: int = DEFAULT_GENERATION,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    api_key: str | None = None,
    exhausted_key: str | None = None,
    rate_limit: int = DEFAULT_RATE_LIMIT,
    token_delay: float = DEFAULT_TOKEN_DELAY,
) -> int:
    """Serve the double until SIGINT or SIGTERM; returns the process exit code.

    Raises:
        MissingExtraError: the ``testing`` extra is not installed (the message says how to).
    """
    try:
        from claude_client.testing._server import ServiceDouble
    except ImportError as exc:  # depends on the installed extras
        raise MissingExtraError(
            f"the service double needs the testing extra ({exc}): {INSTALL_HINT}"
        ) from exc
    double = ServiceDouble(
        generation=generation,
        host=host,
        port=port,
        api_key=api_key,
        exhausted_key=exhausted_key,
        rate_limit=rate_limit,
        token_delay=token_delay,
    )
    try:
        double.start()
    except OSError as exc:
        print(f"Cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 1

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(f"Claude Code API double listening on {double.base_url}", flush=True)
        print(f"  service generation:        {double.generation}", flush=True)
        print(f"  API key (no budget limit): {double.api_key}", flush=True)
        print(f"  API key (budget spent):    {double.exhausted_key}", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        double.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
