"""A file run's two paths, checked before any request, and the lock on its output.

Writing the results into the input would read them back as prompts (and bill them, without
end); two runs on one output would both send, and bill, every prompt still to do.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from claude_client._batch._types import BatchInputError


def check_paths(input_path: str | os.PathLike[str], output_path: str | os.PathLike[str]) -> None:
    """Raise `BatchInputError` unless the input is an existing file and the output another
    file in an existing directory: not a directory, and not the input under another name (a
    symlink or a hard link)."""
    source, target = Path(input_path), Path(output_path)
    if not source.exists():
        raise BatchInputError(f"{source}: no such input file")
    if source.is_dir():
        raise BatchInputError(f"{source}: the input is a directory, not a JSONL file")
    if target.is_dir():
        raise BatchInputError(f"{target}: the output is a directory; name a file to write")
    if not target.parent.is_dir():  # the lock would create it: a typo would go unnoticed
        raise BatchInputError(f"{target}: the output's directory {target.parent} does not exist")
    # An existing output is compared by device and inode (os.stat), which sees through links.
    same = target.samefile(source) if target.exists() else target.resolve() == source.resolve()
    if same:
        raise BatchInputError(
            f"{target}: the output is the input file {source}; results written there would be "
            "read back as prompts: write them to another file"
        )


def lock_path(output_path: str | os.PathLike[str]) -> Path:
    """The lock file beside ``output_path`` (left in place; an unheld lock file is harmless)."""
    output = Path(output_path)
    return output.with_name(output.name + ".lock")


@contextlib.contextmanager
def output_lock(output_path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the output's advisory lock for a run, or raise `BatchInputError` at once if another
    run (in this process or another) holds it. The system frees it when its holder dies."""
    from filelock import FileLock, Timeout  # imported where it runs, as the runners' pools are

    lock = FileLock(lock_path(output_path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise BatchInputError(
            f"{output_path}: another batch run is writing to this output (it holds "
            f"{lock_path(output_path)}); running both would send and bill its prompts twice: "
            "wait for that run to end, or write to another file"
        ) from None
    try:
        yield
    finally:
        lock.release()
