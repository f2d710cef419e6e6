"""The batch's value types: an input item, one prompt's outcome, the run's totals, the input error.

Kept apart from the code that makes them, so every other batch module (and the CLI) can name
them without pulling in the scheduler or a runner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple, TypeAlias

import attrs

from claude_client._models import Usage

ItemStatus: TypeAlias = Literal["completed", "failed", "skipped"]
PromptInput: TypeAlias = "str | BatchItem | tuple[str, str] | Sequence[str] | Mapping[str, Any]"
ProgressHook: TypeAlias = Callable[["BatchSummary"], None]


def format_cost(dollars: float) -> str:
    """Dollars for people: to the micro-dollar, without trailing zeros or float noise
    (``$0.01941``, ``$0.01``, ``$1,234.50``)."""
    whole, _, cents = f"{dollars:,.6f}".partition(".")
    return f"${whole}.{cents.rstrip('0').ljust(2, '0')}"


def _cost_repr(dollars: float | None) -> str:
    """A cost in a repr without float noise (``0.009452``, not ``0.009452000000000006``)."""
    return repr(dollars if dollars is None else round(dollars, 10))


class BatchInputError(ValueError):
    """Batch input that cannot be sent: empty, a duplicate id, a malformed item or JSONL line,
    a missing input file, or an output file that is the input, a directory or in use by
    another run.

    Raised before any request is made. ``line`` is the 1-based line of a JSONL file, if any.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


# --------------------------------------------------------------------------------------------
# Input


@attrs.frozen
class BatchItem:
    """One prompt of a batch and its id (unique within the batch)."""

    id: str = attrs.field(validator=attrs.validators.instance_of(str))
    prompt: str = attrs.field(validator=attrs.validators.instance_of(str))


class _Entry(NamedTuple):
    position: int  # index in the input, counting every item
    item: BatchItem
    where: str  # "item 3" or "in.jsonl:4", for error messages
    problem: str | None = None  # why the item cannot be sent (it is booked failed instead)


@attrs.frozen
class BatchItemResult:
    """The outcome of one prompt: ``completed``, ``failed`` (with ``error``) or ``skipped``.

    ``skipped`` items never ran; ``error`` says why (budget or spend cap). ``index`` is the
    prompt's position in the input.
    """

    index: int
    id: str
    prompt: str
    status: ItemStatus
    content: str | None = None
    usage: Usage | None = None
    cost: float | None = attrs.field(default=None, repr=_cost_repr)
    error: str | None = None
    #: The answer came from the client's cache (nothing sent; usage zero, cost 0.0).
    cached: bool = False

    def to_json(self) -> dict[str, Any]:
        """The result as the JSON object written to a JSONL results file (``cached`` only
        when true)."""
        line = attrs.asdict(self, recurse=True)
        del line["index"]
        if not self.cached:
            del line["cached"]
        return line


@attrs.frozen
class BatchSummary:
    """Totals of a batch run so far (passed to ``on_progress``) or at its end.

    ``total`` counts every input item; ``already_completed`` those a resumed run found completed
    in its results file and did not send again. ``stop_reason`` says why scheduling stopped early
    (budget or spend cap), if it did. Tokens and cost are those of this run; the cost is the
    exact sum of the prompts' costs (no float noise). ``rate_limit_waits`` counts the times the
    run waited for the key's rate-limit window to open and sent a refused chunk again.
    """

    total: int
    completed: int = 0
    failed: int = 0
    skipped: int = 0
    already_completed: int = 0
    total_tokens: int = 0
    total_cost: float = attrs.field(default=0.0, repr=_cost_repr)
    requests: int = 0
    stop_reason: str | None = None
    #: Times the run waited for a rate-limit window before sending a chunk again.
    rate_limit_waits: int = 0

    @property
    def done(self) -> int:
        """Items with an outcome: completed (now or before), failed or skipped."""
        return self.completed + self.failed + self.skipped + self.already_completed


@attrs.frozen
class BatchRunResult(BatchSummary):
    """The totals of a finished run (see `BatchSummary`) and every result in input order."""

    results: tuple[BatchItemResult, ...] = ()

    @classmethod
    def of(cls, summary: BatchSummary, results: Iterable[BatchItemResult]) -> BatchRunResult:
        """``summary`` with ``results`` sorted into input order."""
        ordered = tuple(sorted(results, key=lambda result: result.index))
        return cls(**attrs.asdict(summary, recurse=False), results=ordered)
