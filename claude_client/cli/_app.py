"""The ``claude-client`` commands (typer), each a thin layer over the client."""

from __future__ import annotations

import contextlib
import copy
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import attrs
import typer
from typer.core import TyperCommand, TyperGroup

from claude_client._batch import DEFAULT_CHUNK_SIZE, DEFAULT_CONCURRENCY, DEFAULT_OUTPUT_ALLOWANCE
from claude_client._client import ClaudeClient
from claude_client._config import ENV_API_KEY, ENV_BASE_URL, PERIODS
from claude_client._exceptions import ClaudeAPIError
from claude_client._models import Model
from claude_client.cli._output import ExitCode, Output, exit_code_for
from claude_client.testing import __main__ as serving


@attrs.frozen
class _Settings:
    base_url: str | None
    api_key: str | None
    output: Output

    @classmethod
    def of(cls, base_url: str | None, api_key: str | None, as_json: bool) -> _Settings:
        """The settings of the global options; an empty ``--api-key`` is refused (it would
        otherwise fall back to ``$CLAUDE_CODE_API_KEY`` without a word)."""
        output = Output(as_json=as_json, secret=api_key)
        if api_key is not None and not api_key.strip():
            output.fail_with(
                ExitCode.USAGE,
                f"--api-key is empty: give the key, or leave the option out to use ${ENV_API_KEY}",
                kind="configuration",
            )
        return cls(base_url, api_key, output)

    def client(self) -> ClaudeClient:
        """The client; a base URL or key it refuses is a configuration error (exit code 2),
        found before anything is sent (``localhost:8080`` is no connection error)."""
        try:
            return ClaudeClient(base_url=self.base_url, api_key=self.api_key)
        except (ValueError, TypeError) as error:
            self.output.fail_with(
                ExitCode.USAGE, str(error), type(error).__name__, kind="configuration"
            )


def _settings(ctx: typer.Context) -> _Settings:
    settings = ctx.obj
    assert isinstance(settings, _Settings)
    return settings


def _click_error(name: str) -> type[Exception]:
    """click's exception class ``name``, from the click that typer runs.

    typer 0.26 and later run their own copy of click, whose errors the ``click`` package's
    classes do not catch; ``typer.BadParameter`` (public in every version) derives from both
    classes needed here, whichever click it comes from.
    """
    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == name and issubclass(cls, Exception):
            return cls
    raise ImportError(f"typer.BadParameter does not derive from click's {name}")


_ClickException = _click_error("ClickException")
_UsageError = _click_error("UsageError")


def _untagged(params: list[Any]) -> list[Any]:
    """``params`` with no type tag on the flags in the help (typer 0.29 shows ``--json
    <bool>``, ``--help <bool>``): an empty metavar replaces it."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


def _unbraced(pieces: list[str]) -> list[str]:
    """The usage line's pieces without typer's braces around required arguments
    (``batch [OPTIONS] INPUT``, not ``{INPUT}``)."""
    return [piece[1:-1] if piece[:1] + piece[-1:] == "{}" else piece for piece in pieces]


def _late_global(ctx: Any, param: Any, value: Any) -> None:
    """A global option given after the command (``claude-client usage --json``) overrides
    the value given, or read from the environment, before it."""
    if value is None or value is False:
        return
    settings = _settings(ctx)
    given = {"base_url": settings.base_url, "api_key": settings.api_key,
             "as_json": settings.output.as_json}  # fmt: skip
    ctx.obj = _Settings.of(**{**given, param.name: value})


def _as_late(option: Any) -> Any:
    """A copy of the global ``option`` for a command's own options: no environment variable
    (the global option reads it), and its value goes to the settings, not to the command."""
    late = copy.copy(option)
    late.envvar = None
    late.show_envvar = False
    late.expose_value = False
    late.callback = _late_global
    late.rich_help_panel = "Global options"
    return late


class _Command(TyperCommand):
    """A subcommand: its help without type tags on flags or braces in the usage line."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _untagged(super().get_params(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _unbraced(super().collect_usage_pieces(ctx))


class _Group(TyperGroup):
    """The top-level command. click's own errors (an unknown option or command, a bad or
    missing value) print one line on stderr, as JSON under ``--json``, like every other error,
    instead of click's usage box, and exit with ``ExitCode.USAGE``; ``--help`` is unchanged.

    click runs not standalone (``standalone_mode=False``), so that it raises those errors
    instead of printing them; this method then prints them and exits, as standalone click does.

    The global options are accepted after the command too (``claude-client usage --json``),
    except by ``serve-double``, whose ``--api-key`` is the key the double serves.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, command in self.commands.items():
            if name != "serve-double":
                command.params.extend(_as_late(option) for option in self.params)

    def get_params(self, ctx: Any) -> list[Any]:
        return _untagged(super().get_params(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _unbraced(super().collect_usage_pieces(ctx))

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        def run() -> Any:
            # Returns the code of a typer.Exit (0 after --help), or the command's result.
            return super(_Group, self).main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )

        if not standalone_mode:
            return run()
        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = run()
        except _ClickException as error:
            code = self._report(error, argv)
        except typer.Abort:  # e.g. an EOFError: click's "Aborted!", exit code 1
            code = ExitCode.ERROR
            self._output(None, argv).report(code, "aborted", "Abort")
        except Exception as error:  # anything else (MemoryError, RecursionError, a bug): one line
            code = exit_code_for(error)
            message = " ".join(str(error).split())[:500] or type(error).__name__
            self._output(None, argv).report(code, message, type(error).__name__)
        sys.exit(int(code) if isinstance(code, int) else 0)

    def _report(self, error: Exception, argv: list[str]) -> ExitCode:
        """Print click's ``error`` as one line (the help, for no arguments at all)."""
        format_message: Callable[[], str] = getattr(error, "format_message", error.__str__)
        if type(error).__name__ == "NoArgsIsHelpError":
            # typer has printed the help already (rich), or it is the message (no rich).
            if help_text := format_message().strip():
                print(help_text, file=sys.stderr)
            return ExitCode.USAGE
        output = self._output(getattr(error, "ctx", None), argv)
        if isinstance(error, _UsageError):
            code, kind = ExitCode.USAGE, "usage"
        else:
            code, kind = ExitCode.ERROR, None
        output.report(code, format_message(), type(error).__name__, kind=kind)
        return code

    def _output(self, ctx: Any, argv: list[str]) -> Output:
        """The output of this run: as the global options set it up, or, when click failed
        before it read them all, as ``--json`` and ``--api-key`` (or its variable) in ``argv``
        ask (before or after the command)."""
        options = argv[: argv.index("--")] if "--" in argv else argv
        settings = getattr(ctx, "obj", None)
        if isinstance(settings, _Settings) and (settings.output.as_json or "--json" not in options):
            return settings.output
        root = ctx.find_root() if ctx is not None else None
        params: dict[str, Any] = dict(root.params) if root is not None else {}
        secret = params.get("api_key") or _option_value(argv, "--api-key")
        return Output(
            as_json=bool(params.get("as_json")) or "--json" in options,
            secret=secret or os.environ.get(ENV_API_KEY),
        )


def _option_value(argv: list[str], option: str) -> str | None:
    """The value given to ``option`` in ``argv`` (``--option VALUE`` or ``--option=VALUE``)."""
    for i, arg in enumerate(argv):
        if arg == option and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(option + "="):
            return arg.partition("=")[2]
    return None


app = typer.Typer(
    name="claude-client",
    cls=_Group,
    help="Command-line client for the Claude Code API Service.",
    epilog=(
        "Exit codes: 0 ok, 1 other error, 2 bad arguments or input, 3 authentication,"
        " 4 budget (or a batch stopped at its budget or --max-cost), 5 connection or timeout,"
        " 6 rate limit, 7 batch finished with failed prompts (run it again to retry them),"
        " 130 interrupted."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@contextlib.contextmanager
def _reported(output: Output, interrupted: str = "stopped by Ctrl-C") -> Iterator[None]:
    """Turn any failure into one stderr line and its exit code (``interrupted`` for Ctrl-C)."""
    try:
        yield
    except (ClaudeAPIError, ValueError, TypeError, OSError) as error:
        output.fail(error)
    except KeyboardInterrupt:
        output.fail_with(ExitCode.INTERRUPTED, interrupted)


ModelOption = Annotated[
    str,
    typer.Option(
        "--model", "-m", metavar="MODEL", help="haiku, sonnet, opus or auto (the service chooses)."
    ),
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(metavar="SECONDS", help="The service's time limit per prompt (1-300)."),
]
#: ``--context-size``: one name for the one thing on ``complete`` and ``route`` (the service's
#: ``max_tokens`` and ``context_size``); ``complete`` also takes ``--max-tokens``, hidden.
CONTEXT_SIZE_HELP = "Tokens of context to expect; steers the service's choice of model."
PromptArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="PROMPT",
        help="The prompt; read from stdin when omitted or '-'.",
        show_default=False,
    ),
]


def _with_prompt(ctx: typer.Context, prompt: str | None) -> tuple[_Settings, str]:
    """The settings, and the prompt from the argument or else from stdin."""
    settings = _settings(ctx)
    if prompt is not None and prompt != "-":
        return settings, prompt
    if sys.stdin.isatty():
        settings.output.fail_with(ExitCode.USAGE, "give a prompt, or pipe one on stdin")
    text = sys.stdin.read()
    if not text.strip():
        settings.output.fail_with(ExitCode.USAGE, "the prompt read from stdin is empty")
    return settings, text


@app.callback()
def _global(
    ctx: typer.Context,
    base_url: Annotated[
        str | None,
        typer.Option(
            envvar=ENV_BASE_URL,
            metavar="URL",
            help="The service's root URL, without /v1 (default http://localhost:8080).",
        ),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(envvar=ENV_API_KEY, metavar="KEY", help="The API key.", show_default=False),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Machine-readable JSON output (errors too).")
    ] = False,
) -> None:
    """Talk to the Claude Code API Service: completions, streaming, batches, usage."""
    ctx.obj = _Settings.of(base_url, api_key, as_json)


@app.command(cls=_Command)
def complete(
    ctx: typer.Context,
    prompt: PromptArgument = None,
    model: ModelOption = "auto",
    timeout: TimeoutOption = None,
    context_size: Annotated[
        int | None, typer.Option(min=0, metavar="TOKENS", help=CONTEXT_SIZE_HELP)
    ] = None,
    max_tokens: Annotated[int | None, typer.Option(hidden=True)] = None,
    allowed_tools: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-tool",
            metavar="TOOL",
            help="Generation 2: a tool the CLI may use (repeat for more), e.g. Read.",
            show_default=False,
        ),
    ] = None,
    working_directory: Annotated[
        str | None,
        typer.Option(
            metavar="DIR",
            help="Generation 2: the directory on the service's machine the CLI runs in.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Complete one prompt and print the answer."""
    settings, text = _with_prompt(ctx, prompt)
    output = settings.output
    if context_size is not None and max_tokens is not None:
        output.fail_with(ExitCode.USAGE, "give --context-size or --max-tokens, not both")
    with _reported(output), settings.client() as client:
        response = client.complete(text, model=Model.parse(model), timeout=timeout,
                                   max_tokens=max_tokens if context_size is None else context_size,
                                   allowed_tools=allowed_tools or None,
                                   working_directory=working_directory,
                                   )  # fmt: skip
        if output.as_json:
            output.json(response)
        else:
            output.text(response.content)


@app.command(cls=_Command)
def stream(
    ctx: typer.Context,
    prompt: PromptArgument = None,
    model: ModelOption = "auto",
    timeout: TimeoutOption = None,
) -> None:
    """Stream one completion, printing tokens as they arrive (JSON: one line per token)."""
    settings, text = _with_prompt(ctx, prompt)
    output = settings.output
    with _reported(output), settings.client() as client:
        for token in client.stream(text, model=Model.parse(model), timeout=timeout):
            if output.as_json:
                output.json({"token": token})
            else:
                output.text(token, end="")
        if not output.as_json:
            output.text("")


@app.command(cls=_Command)
def batch(
    ctx: typer.Context,
    input_path: Annotated[
        Path, typer.Argument(metavar="INPUT", help="JSONL prompts: strings or {id, prompt}.")
    ],
    output_path: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="JSONL results, one line per prompt (default INPUT.results.jsonl).",
            show_default=False,
        ),
    ] = None,
    model: ModelOption = "auto",
    chunk_size: Annotated[
        int, typer.Option(metavar="N", help="Prompts per request.")
    ] = DEFAULT_CHUNK_SIZE,
    concurrency: Annotated[
        int, typer.Option(metavar="N", help="Requests at once.")
    ] = DEFAULT_CONCURRENCY,
    max_cost: Annotated[
        float | None,
        typer.Option(metavar="DOLLARS", help="Stop before spending more than this many dollars."),
    ] = None,
    timeout: TimeoutOption = None,
    resume: Annotated[
        bool,
        typer.Option(help="Skip ids already completed in the output; --no-resume starts afresh."),
    ] = True,
    budget_guard: Annotated[
        bool, typer.Option(help="Stop before the project's token budget runs out.")
    ] = True,
    output_allowance: Annotated[
        int, typer.Option(metavar="TOKENS", help="Output tokens budgeted per prompt.")
    ] = DEFAULT_OUTPUT_ALLOWANCE,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
) -> None:
    """Run a JSONL file of prompts in chunks, writing results as they arrive (resumable)."""
    settings = _settings(ctx)
    output = settings.output
    target = output_path or input_path.with_name(input_path.stem + ".results.jsonl")
    resume_hint = (
        f"stopped by Ctrl-C; the results so far are in {target}: run the same command again"
        " to resume (completed prompts are not sent again)"
        if resume
        else f"stopped by Ctrl-C; the results so far are in {target}: run the same command"
        " without --no-resume to resume (completed prompts are not sent again)"
    )
    with _reported(output, resume_hint), settings.client() as client:
        summary = client.run_batch_file(
            input_path, target, resume=resume, model=model, chunk_size=chunk_size,
            concurrency=concurrency, max_cost=max_cost, timeout=timeout,
            budget_guard=budget_guard, output_allowance=output_allowance, progress=progress,
        )  # fmt: skip
    if output.as_json:
        output.json({"output": str(target), **attrs.asdict(summary)})
    else:
        output.batch_summary(summary, str(target))
    if summary.stop_reason is not None:
        output.fail_with(
            ExitCode.BUDGET,
            f"{summary.skipped} of {summary.total} prompts were not sent (nor billed), because "
            f"{summary.stop_reason}; run the same command again to send them (it resumes)",
        )
    if summary.failed:
        output.fail_with(
            ExitCode.INCOMPLETE, f"{summary.failed} prompts failed; run again to retry them"
        )


@app.command(cls=_Command)
def usage(
    ctx: typer.Context,
    period: Annotated[
        str, typer.Option("--period", metavar="PERIOD", help=f"One of {', '.join(PERIODS)}.")
    ] = "month",
) -> None:
    """Show the project's usage by model, and its budget."""
    settings = _settings(ctx)
    output = settings.output
    if period not in PERIODS:
        output.fail_with(ExitCode.USAGE, f"--period must be one of {', '.join(PERIODS)}")
    with _reported(output), settings.client() as client:
        stats = client.get_usage(period)
    if output.as_json:
        output.json(stats)
    else:
        output.usage_table(stats)


@app.command(cls=_Command)
def route(
    ctx: typer.Context,
    prompt: PromptArgument = None,
    context_size: Annotated[int, typer.Option(min=0, metavar="TOKENS", help=CONTEXT_SIZE_HELP)] = 0,
) -> None:
    """Ask which model the service would choose for a prompt (runs nothing)."""
    settings, text = _with_prompt(ctx, prompt)
    output = settings.output
    with _reported(output), settings.client() as client:
        recommendation = client.route(text, context_size=context_size)
    if output.as_json:
        output.json(recommendation)
    else:
        output.route(recommendation)


@app.command(cls=_Command)
def health(ctx: typer.Context) -> None:
    """Check that the service is up (needs no key)."""
    settings = _settings(ctx)
    output = settings.output
    with _reported(output), settings.client() as client:
        status = client.health()
    if output.as_json:
        output.json(status)
    else:
        output.health(status)
    if not status.ok:
        output.fail_with(ExitCode.ERROR, f"the service reports status {status.status!r}")


@app.command("serve-double", cls=_Command)
def serve_double(
    ctx: typer.Context,
    generation: Annotated[
        int,
        typer.Option(
            min=1, max=2, metavar="N", help="Service generation to serve: 1, or 2 (the newest)."
        ),
    ] = serving.DEFAULT_GENERATION,
    host: Annotated[
        str, typer.Option("--host", metavar="HOST", help="Address to bind.")
    ] = serving.DEFAULT_HOST,
    port: Annotated[
        int,
        typer.Option("--port", min=0, max=65535, metavar="PORT", help="Port (0: any free port)."),
    ] = serving.DEFAULT_PORT,
    api_key: Annotated[
        str | None,
        typer.Option(
            metavar="KEY", help="Key on a project without budget limit (default: a new one)."
        ),
    ] = None,
    exhausted_key: Annotated[
        str | None,
        typer.Option(
            metavar="KEY", help="Key on a project whose budget is spent (default: a new one)."
        ),
    ] = None,
    rate_limit: Annotated[
        int, typer.Option(min=1, metavar="N", help="Requests per minute per key.")
    ] = serving.DEFAULT_RATE_LIMIT,
    token_delay: Annotated[
        float,
        typer.Option(min=0, metavar="SECONDS", help="Pause per streamed slice of the stand-in."),
    ] = serving.DEFAULT_TOKEN_DELAY,
) -> None:
    """Run the local service double until Ctrl-C (as `python -m claude_client.testing`).

    Example: claude-client serve-double --port 8080 --api-key cc_test
    """
    output = _settings(ctx).output
    try:
        code = serving.serve(
            generation=generation, host=host, port=port, api_key=api_key,
            exhausted_key=exhausted_key, rate_limit=rate_limit, token_delay=token_delay,
        )  # fmt: skip
    except serving.MissingExtraError as error:
        output.fail_with(ExitCode.ERROR, str(error))
    raise typer.Exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``claude-client`` console script."""
    app(args=argv, prog_name="claude-client")
