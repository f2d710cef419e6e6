"""Batch at scale: chunking, a budget guard, JSONL files with resume, sync and async runners.

The service's ``/v1/batch`` endpoint answers only when every prompt in the request is done, runs
them on 5 workers with a per-prompt timeout and does not check the project's budget at all. This
package makes large batches safe by sending them in chunks, a few at once, and by refusing to start
a chunk whose estimated cost would overrun the project's token budget or a dollar cap.

Everything that decides is plain code without I/O and shared by the sync and async runners, one
module a concern: the value types (`_types`), reading and checking input (`_input`:
`iter_batch_items`, `read_prompts_jsonl`), the guard (`_guard`: `BudgetGuard`), the scheduler
that plans chunks and books their outcomes (`_scheduler`: `BatchScheduler`), the JSONL results
file and resume (`_files`: `ResultWriter`, `load_resume_state`) and the options, job and run
state (`_job`). The runners (`_sync`, `_async`) only send chunks and wait for them. The default
numbers and the prices live in `claude_client._config`.

Budget estimate (documented, conservative): a prompt is estimated at ``2 x words`` input tokens
(the service's own rule for its budget check) plus an output allowance of
`DEFAULT_OUTPUT_ALLOWANCE` tokens, raised during a run to the largest output a prompt has
actually produced. A chunk that fails as a whole counts as if it spent its full estimate, since the
service may have run and billed some of its prompts. Dollar estimates use the model's price; with
``auto`` the most expensive model's price, because the service may choose it.
"""

import claude_client
from claude_client._batch._async import (
    NEEDS_ASYNCIO,
    AsyncBatchClient,
    AsyncBatchIterator,
    aiter_batch,
    arun_batch,
    arun_batch_file,
)
from claude_client._batch._files import (
    ResultWriter,
    ResumeState,
    compact_results,
    load_resume_state,
)
from claude_client._batch._guard import BudgetGuard, Estimate
from claude_client._batch._input import iter_batch_items, read_prompts_jsonl
from claude_client._batch._job import BatchOptions
from claude_client._batch._scheduler import BatchScheduler, Chunk
from claude_client._batch._sync import (
    BatchIterator,
    SyncBatchClient,
    iter_batch,
    run_batch,
    run_batch_file,
)
from claude_client._batch._types import (
    BatchInputError,
    BatchItem,
    BatchItemResult,
    BatchRunResult,
    BatchSummary,
    ItemStatus,
    ProgressHook,
    PromptInput,
)
from claude_client._config import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_CONCURRENCY,
    DEFAULT_OUTPUT_ALLOWANCE,
)

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_OUTPUT_ALLOWANCE",
    "NEEDS_ASYNCIO",
    "AsyncBatchClient",
    "AsyncBatchIterator",
    "BatchInputError",
    "BatchItem",
    "BatchItemResult",
    "BatchIterator",
    "BatchOptions",
    "BatchRunResult",
    "BatchScheduler",
    "BatchSummary",
    "BudgetGuard",
    "Chunk",
    "Estimate",
    "ItemStatus",
    "ProgressHook",
    "PromptInput",
    "ResultWriter",
    "ResumeState",
    "SyncBatchClient",
    "aiter_batch",
    "arun_batch",
    "arun_batch_file",
    "compact_results",
    "iter_batch",
    "iter_batch_items",
    "load_resume_state",
    "read_prompts_jsonl",
    "run_batch",
    "run_batch_file",
]

# Show the public names here as claude_client.X (the package adopts them; see its _adopt).
claude_client._adopt(__name__)
