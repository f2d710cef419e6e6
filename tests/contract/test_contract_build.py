"""scripts/contract_build.py: the overlay is a valid Overlay 1.0 document, openapi.yaml is its
output, and a target that no longer matches is an error that names it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from contract_build import (
    OVERLAY,
    OverlayError,
    apply,
    build,
    build_text,
    load_json,
    load_overlay,
    served_path,
)

ROOT = Path(__file__).resolve().parents[2]
OVERLAY_DOC = load_overlay()
SERVED = load_json(served_path(OVERLAY_DOC))


def test_openapi_yaml_is_the_overlay_applied_to_the_served_document() -> None:
    assert build_text() == (ROOT / "openapi.yaml").read_text(encoding="utf-8")


def test_the_overlay_extends_the_newest_served_document() -> None:
    newest = max((ROOT / "contract" / "served").glob("generation-*.json"), key=_generation)
    assert served_path(OVERLAY_DOC) == newest.resolve()


def _generation(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[1])


def test_the_build_does_not_touch_its_input() -> None:
    before = copy.deepcopy(SERVED)
    build(SERVED, OVERLAY_DOC)
    assert before == SERVED


def test_a_target_that_matches_nothing_fails_the_build_and_is_named() -> None:
    served: dict[str, Any] = copy.deepcopy(SERVED)
    del served["paths"]["/v1/task"]
    with pytest.raises(OverlayError, match=r"\$\.paths\['/v1/task'\]\.post"):
        build(served, OVERLAY_DOC)


def test_applied_to_generation_1_only_generation_2_curation_is_unmatched() -> None:
    generation_1 = load_json(ROOT / "contract" / "served" / "generation-1.json")
    document, unmatched = apply(generation_1, OVERLAY_DOC)
    assert unmatched
    new_paths = set(SERVED["paths"]) - set(generation_1["paths"])
    new_schemas = set(SERVED["components"]["schemas"]) - set(generation_1["components"]["schemas"])
    # HealthResponse: generation 2 typed its services as objects (generation 1: any object).
    changed = new_paths | new_schemas | {"HealthResponse"}
    for target in unmatched:
        assert any(name in target for name in changed), target
    assert document["paths"]["/health"]["get"]["operationId"] == "get_health"


def test_an_invalid_overlay_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "overlay.yaml"
    broken.write_text(OVERLAY.read_text().replace("overlay: 1.0.0", "overlay: one"))
    with pytest.raises(OverlayError, match=r"not an Overlay 1\.0 document"):
        load_overlay(broken)
