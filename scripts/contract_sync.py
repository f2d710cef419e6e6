"""``scripts/sync-contract URL-or-FILE``: take in what a service serves now, rebuild, report.

Why: following the service is one command. The served ``/openapi.json`` (fetched from a running
service, or read from a file) is kept verbatim in ``contract/served/`` as a new generation
(unless an existing one is identical), the overlay is pointed at it, ``openapi.yaml`` is rebuilt,
``generated/`` regenerated, and the change report (``contract_changes``) says what the update
means for the handwritten layer. When overlay targets no longer match, nothing is rebuilt: the
report lists them, to be fixed in ``contract/overlay.yaml`` before ``scripts/build-contract``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import yaml
from contract_build import (
    CONTRACT,
    OUTPUT,
    OVERLAY,
    ROOT,
    apply,
    load_json,
    load_overlay,
    render,
)
from contract_changes import compare, handwritten_usage

SERVED = CONTRACT / "served"
FETCH_TIMEOUT = 30.0


class SyncError(Exception):
    """The source could not be read, or is not an OpenAPI document."""


def fetch(source: str) -> bytes:
    """The bytes of ``source``: an ``http(s)://`` URL (a service's ``/openapi.json``) or a file."""
    try:
        if re.match(r"https?://", source):
            response = httpx.get(source, timeout=FETCH_TIMEOUT)
            response.raise_for_status()
            raw = response.content
        else:
            raw = Path(source).read_bytes()
        document = json.loads(raw)
    except (httpx.HTTPError, OSError, ValueError) as exc:
        raise SyncError(f"cannot read an OpenAPI document from {source}: {exc}") from exc
    if not isinstance(document, dict) or "openapi" not in document or "paths" not in document:
        raise SyncError(f"{source} is not an OpenAPI document (no 'openapi' and 'paths')")
    return raw


def _generation(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[1])


def store(raw: bytes, served: Path = SERVED) -> tuple[Path, bool]:
    """The served file holding ``raw`` (an identical generation, or a new one) and if it is new."""
    document = json.loads(raw)
    known = sorted(served.glob("generation-*.json"), key=_generation)
    for path in known:
        if load_json(path) == document:
            return path, False
    number = _generation(known[-1]) + 1 if known else 1
    path = served / f"generation-{number}.json"
    path.write_bytes(raw)
    return path, True


def point_overlay(served: Path, overlay: Path = OVERLAY) -> None:
    """Rewrite the overlay's ``extends`` line (comments and layout kept)."""
    relative = served.resolve().relative_to(overlay.parent.resolve()).as_posix()
    text = overlay.read_text(encoding="utf-8")
    updated, count = re.subn(r"(?m)^extends: .*$", f"extends: {relative}", text, count=1)
    if count != 1:
        raise SyncError(f"{overlay} has no top-level 'extends:' line")
    overlay.write_text(updated, encoding="utf-8")


def _load_any(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("source", help="a running service's /openapi.json URL, or a file")
    parser.add_argument(
        "--previous", type=Path, help="the contract to compare with (default: openapi.yaml)"
    )
    parser.add_argument("--report", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    try:
        raw = fetch(args.source)
        old_path = args.previous or OUTPUT
        old, old_name = _load_any(old_path), old_path.name
        stored, new = store(raw)
        point_overlay(stored)
    except (SyncError, OSError, ValueError, yaml.YAMLError) as exc:
        print(f"sync-contract: {exc}", file=sys.stderr)
        return 1
    name = stored.relative_to(CONTRACT).as_posix()
    document, unmatched = apply(load_json(stored), load_overlay())
    notes = [f"Served document: contract/{name} ({'new' if new else 'already stored'})"]
    if unmatched:
        notes.append(
            f"Overlay targets that match nothing ({len(unmatched)}): openapi.yaml NOT rebuilt"
        )
        notes += [f"  {target}" for target in unmatched]
        notes.append(
            "Fix contract/overlay.yaml, then run scripts/build-contract and scripts/generate."
        )
    usage = handwritten_usage(ROOT / "claude_client")
    header = f"Contract change report: {old_name} -> contract/{name} + overlay\n\n"
    text = header + str(compare(old, document, usage, notes))
    if not unmatched:
        OUTPUT.write_text(render(document, name), encoding="utf-8")
        subprocess.run([str(ROOT / "scripts" / "generate")], check=True, stdout=subprocess.DEVNULL)
    print(text, end="")
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    return 1 if unmatched else 0


if __name__ == "__main__":
    sys.exit(main())
