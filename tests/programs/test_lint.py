"""cfn-lint judges every template we emit: zero findings, JSON and YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ROOT, lint, run_tool

CONFIGS = [None, *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*.toml"))]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c or "default")
def test_cfn_lint_has_zero_findings(config, fmt):
    args = ["--format", fmt] + (["--config", config] if config else [])
    result = run_tool("generate.py", *args)
    assert result.returncode == 0, result.stderr
    assert lint(result.stdout) == []


def test_lint_catches_a_broken_template():
    """The lint helper is not a rubber stamp: a wrong property is reported."""
    result = run_tool("generate.py")
    broken = result.stdout.replace('"NetworkMode": "awsvpc"', '"NetworkMode": "vpc"')
    assert broken != result.stdout
    assert lint(broken)


def test_examples_exist():
    assert len(CONFIGS) >= 3 and Path(ROOT / "examples").is_dir()
