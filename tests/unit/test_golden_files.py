"""compare_golden: a golden file is the reviewed output; UPDATE_GOLDEN=1 rewrites it and fails until it is reviewed."""

from __future__ import annotations

import re

import pytest

from tests.golden_files import compare_golden

FAILED = pytest.fail.Exception


def test_the_same_text_passes_and_leaves_the_file_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    path = tmp_path / "diff.txt"
    path.write_text("reviewed\n")
    compare_golden(path, "reviewed\n")
    assert path.read_text() == "reviewed\n"


def test_a_difference_fails_naming_the_file_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    path = tmp_path / "diff.txt"
    path.write_text("reviewed\n")
    with pytest.raises(AssertionError, match=re.escape(str(path))):
        compare_golden(path, "changed\n")
    assert path.read_text() == "reviewed\n"


def test_update_golden_rewrites_the_file_and_then_fails_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    path = tmp_path / "diff.txt"
    path.write_text("reviewed\n")
    with pytest.raises(FAILED, match=rf"UPDATE_GOLDEN rewrote {re.escape(str(path))}: review it"):
        compare_golden(path, "changed\n")
    assert path.read_text() == "changed\n"
    compare_golden(path, "changed\n")  # the next run passes on the reviewed file


def test_update_golden_passes_when_nothing_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    path = tmp_path / "diff.txt"
    path.write_text("reviewed\n")
    before = path.stat().st_mtime_ns
    compare_golden(path, "reviewed\n")
    assert path.stat().st_mtime_ns == before


def test_a_missing_file_fails_and_is_written_only_with_update_golden(tmp_path, monkeypatch):
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    path = tmp_path / "new.md"
    with pytest.raises(FAILED, match=re.escape(str(path))):
        compare_golden(path, "first\n")
    assert not path.exists()
    with pytest.raises(FAILED, match=f"rewrote {re.escape(str(path))}"):
        compare_golden(path, "first\n", update=True)
    assert path.read_text() == "first\n"


def test_every_golden_file_is_compared_through_the_one_helper():
    """A test that wrote golden files by itself would pass on what it wrote again."""
    from tests.helpers import ROOT

    writers = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "tests").rglob("*.py")
        if '"UPDATE_GOLDEN"' in p.read_text() and p.name not in {"golden_files.py", "test_golden_files.py"}
    ]
    assert writers == [], writers
