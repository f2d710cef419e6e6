"""Running a REST task the way the service's worker pool does, minus its wedge.

Five worker slots; a task waits for a slot, runs the stand-in CLI, and its result is read as
the pool reads it. The ``timeout`` covers waiting and running, as the service's
``get_result(task_id, timeout)`` does. Unlike the service, a timed-out task gives its slot
back: the double does not reproduce the pool that stops running anything after five timeouts.
The pool's cost formula and its "not JSON" text differ by generation, so both are given.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass

from claude_client.testing import _standin

Pricing = Callable[[str, int, int], float]


@dataclass(frozen=True)
class TaskResult:
    """A finished task: completed with text and usage, or failed with the pool's error text."""

    completed: bool
    text: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0
    error: str = ""
    timed_out: bool = False

    @property
    def total_tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens

    def usage(self) -> dict[str, int]:
        """The ``usage`` object of the service's responses."""
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "total_tokens": self.total_tokens,
        }


class TaskRunner:
    """The worker pool: bounded concurrency, per-task timeout, stand-in CLI underneath."""

    def __init__(
        self,
        workers: int,
        token_delay: Callable[[], float],
        on_start: Callable[[], None],
        pricing: Pricing,
        stderr_after_output: bool = False,
    ) -> None:
        self.workers = workers
        self._slots = asyncio.Semaphore(workers)
        self._token_delay = token_delay
        self._on_start = on_start
        self._pricing = pricing
        self._stderr_after_output = stderr_after_output
        self.active = 0
        self.queued = 0

    async def run(self, prompt: str, model: str, timeout: float) -> TaskResult:
        """Run one task; a task still unfinished after ``timeout`` seconds fails."""
        self.queued += 1
        waiting = True
        try:
            async with asyncio.timeout(timeout):
                async with self._slots:
                    self.queued -= 1
                    waiting = False
                    self.active += 1
                    try:
                        self._on_start()
                        return await self._execute(prompt, model)
                    finally:
                        self.active -= 1
        except TimeoutError:
            error = f"Task timed out after {timeout} seconds"
            return TaskResult(completed=False, error=error, timed_out=True)
        finally:
            if waiting:
                self.queued -= 1

    async def _execute(self, prompt: str, model: str) -> TaskResult:
        cli = _standin.run(prompt, model)
        if cli.exit_code != 0:
            await asyncio.sleep(cli.sleep)
            return TaskResult(
                completed=False,
                error=f"Process exited with code {cli.exit_code}\nStderr: {cli.stderr}",
            )
        try:
            reply, input_tokens, output_tokens = _standin.parse_output(cli.stdout)
        except json.JSONDecodeError as exc:
            await asyncio.sleep(cli.sleep)
            error = f"Failed to parse JSON output: {exc}\nOutput: {cli.stdout}"
            if self._stderr_after_output:
                error += f"\nStderr: {cli.stderr}"
            return TaskResult(completed=False, error=error)
        # The CLI "writes" its reply one slice per token_delay before it exits.
        await asyncio.sleep(cli.sleep + self._token_delay() * len(_standin.slices(reply)))
        return TaskResult(
            completed=True,
            text=reply,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cost=self._pricing(model, input_tokens, output_tokens),
        )
