"""The environment for tests that run the repository's scripts: the tools they call
(``mkdocs``, ``openapi-python-client``, ``ruff``) are looked up next to the interpreter running
the tests first, so the tests pass without an activated virtualenv."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def tools_env() -> dict[str, str]:
    """``os.environ`` with this interpreter's scripts folder first on ``PATH``."""
    scripts = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": os.pathsep.join([scripts, os.environ.get("PATH", "")])}
