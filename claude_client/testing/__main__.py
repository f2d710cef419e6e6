"""``python -m claude_client.testing``: serve the double until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m claude_client.testing",
        description="Serve a local double of the Claude Code API Service.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any)")
    parser.add_argument("--api-key", help="key on a project without budget limit (default: new)")
    parser.add_argument(
        "--exhausted-key", help="key on a project whose budget is spent (default: new)"
    )
    parser.add_argument(
        "--rate-limit", type=int, default=100, help="requests per minute per key (default 100)"
    )
    parser.add_argument(
        "--token-delay",
        type=float,
        default=0.0,
        help="seconds per streamed slice of the stand-in model (default 0)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the double in the foreground; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        from claude_client.testing._server import ServiceDouble
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        print(
            f"The service double needs the 'testing' extra: "
            f"pip install 'claude-code-client[testing]' ({exc})",
            file=sys.stderr,
        )
        return 2
    double = ServiceDouble(
        host=args.host,
        port=args.port,
        api_key=args.api_key,
        exhausted_key=args.exhausted_key,
        rate_limit=args.rate_limit,
        token_delay=args.token_delay,
    )
    try:
        double.start()
    except OSError as exc:
        print(f"Cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(f"Claude Code API double listening on {double.base_url}", flush=True)
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
