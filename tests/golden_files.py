"""Golden files: output compared exactly with a file in tests/golden/ that a person reviewed.

`UPDATE_GOLDEN=1` rewrites a file that differs and then fails the test, naming the file: what was written has not
been reviewed yet, so a run that rewrites can never pass on what it wrote. The next run, without it, passes once the
rewritten file is in the tree (`git diff tests/golden` shows what to review).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = "UPDATE_GOLDEN"


def compare_golden(path: Path, actual: str, update: bool | None = None) -> None:
    """Assert that `actual` is the golden file's text; with UPDATE_GOLDEN set, rewrite a differing file and fail."""
    if update is None:
        update = bool(os.environ.get(UPDATE))
    expected = path.read_text(encoding="utf-8") if path.is_file() else None
    if actual == expected:
        return
    if update:
        path.write_text(actual, encoding="utf-8")
        pytest.fail(f"{UPDATE} rewrote {path}: review it (git diff {path}), then run again without {UPDATE}")
    if expected is None:
        pytest.fail(f"no golden file {path}: run with {UPDATE}=1 to write it, then review it")
    assert actual == expected, f"differs from {path} ({UPDATE}=1 rewrites it, and fails until reviewed)"
